//! A serial MRAM chip over SPI, and a storage driver for it.
//!
//! [`SpiMram`] is the emulated part: an [`MramArray`] behind the command set that serial MRAM
//! and FRAM parts share (Everspin MR25H, Fujitsu MB85RS, Infineon FM25):
//!
//! | opcode | command | bytes after the opcode |
//! |---|---|---|
//! | `0x06` | WREN, set the write-enable latch | - |
//! | `0x04` | WRDI, clear it | - |
//! | `0x05` | RDSR, read the status register | status, repeated |
//! | `0x01` | WRSR, write the status register (needs WEL) | new status |
//! | `0x03` | READ | address (2 bytes up to 64 KiB, else 3), then data out |
//! | `0x02` | WRITE (needs WEL) | address, then data in |
//!
//! Status register: bit 1 WEL (read only; cleared when a WRITE or WRSR ends, at chip select
//! rising, as on the MB85RS and MR25H parts), bits 2-3 BP0/BP1 block protection (none, upper
//! quarter, upper half, all), bit 7 WPEN (stored; there is no WP pin). Bit 0 (WIP) is always 0:
//! MRAM writes at bus speed. Addresses wrap around the array; writes to protected blocks or
//! without WEL are ignored, as silicon ignores them, and counted ([`ChipStats`]). Every data
//! byte written goes through the array's physics with the chip's write pulse, so a marginal
//! pulse ([`SpiMram::set_write_pulse`]) makes bits fail as they would; `DelayNs` operations in a
//! transaction let device time pass (retention).
//!
//! [`MramFlash`] is a driver for any such chip over an [`SpiDevice`], implementing
//! `embedded-storage`'s NOR-flash traits (blocking and async), so a storage crate runs on it
//! unchanged; with [`MramFlash::with_verify`] it reads each write back and rewrites the bytes
//! that did not take (write-verify), as a storage layer for MRAM would.

use embedded_hal::spi::{ErrorType as SpiErrorType, Operation, SpiDevice};
use embedded_storage::nor_flash::{
    ErrorType, MultiwriteNorFlash, NorFlash, NorFlashError, NorFlashErrorKind, ReadNorFlash,
};
use larmor::device::mram::{CellParams, MramArray, Pulse, Stats};
use larmor::real::Float;
use larmor::Error;

/// WREN.
pub const WREN: u8 = 0x06;
/// WRDI.
pub const WRDI: u8 = 0x04;
/// RDSR.
pub const RDSR: u8 = 0x05;
/// WRSR.
pub const WRSR: u8 = 0x01;
/// READ.
pub const READ: u8 = 0x03;
/// WRITE.
pub const WRITE: u8 = 0x02;
/// Status bit: write-enable latch.
pub const WEL: u8 = 0x02;
/// Status bits: block protection BP1:BP0.
pub const BP_MASK: u8 = 0x0C;
/// Status bit: write-protect enable.
pub const WPEN: u8 = 0x80;

/// Bus-level counts of the chip.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChipStats {
    /// Transactions (chip-select cycles).
    pub transactions: u64,
    /// Data bytes dropped because WEL was clear or the block protected.
    pub ignored_writes: u64,
    /// Opcodes the chip does not know (ignored).
    pub unknown_commands: u64,
}

/// Where a transaction is in its command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Opcode,
    Status,
    StatusWrite,
    Address { op: u8, got: u8, addr: u32 },
    ReadData { addr: u32 },
    WriteData { addr: u32 },
    Ignore,
}

/// The emulated SPI MRAM chip of `BYTES` bytes, its physics in scalar `S` (f64 by default, f32
/// on a Cortex-M4F; see the [module docs](self)).
#[derive(Clone, Debug)]
pub struct SpiMram<const BYTES: usize, S: Float = f64> {
    array: MramArray<BYTES, S>,
    status: u8,
    pulse: Pulse,
    stats: ChipStats,
    phase: Phase,
    wrote: bool,
}

impl<const BYTES: usize, S: Float> SpiMram<BYTES, S> {
    /// Address bytes of the command set for this size: 2 up to 64 KiB, else 3.
    pub const ADDRESS_BYTES: u8 = if BYTES <= 1 << 16 { 2 } else { 3 };

    /// A chip with cells `params`, variation seed `seed`, and the nominal write pulse.
    ///
    /// # Errors
    /// As [`MramArray::new`].
    pub fn new(params: CellParams, seed: u64) -> Result<Self, Error> {
        Ok(Self {
            array: MramArray::new(params, seed)?,
            status: 0,
            pulse: Pulse::nominal(&params),
            stats: ChipStats::default(),
            phase: Phase::Opcode,
            wrote: false,
        })
    }

    /// Sets the write pulse the chip's drivers apply (a marginal pulse makes writes fail).
    pub fn set_write_pulse(&mut self, pulse: Pulse) {
        self.pulse = pulse;
    }

    /// The write pulse.
    pub fn write_pulse(&self) -> Pulse {
        self.pulse
    }

    /// The array (its physics counts and raw bits).
    pub fn array(&self) -> &MramArray<BYTES, S> {
        &self.array
    }

    /// The array, to change its temperature or let time pass between transactions.
    pub fn array_mut(&mut self) -> &mut MramArray<BYTES, S> {
        &mut self.array
    }

    /// The array's physics counts.
    pub fn stats(&self) -> Stats {
        self.array.stats()
    }

    /// Bus-level counts.
    pub fn chip_stats(&self) -> ChipStats {
        self.stats
    }

    /// The status register.
    pub fn status(&self) -> u8 {
        self.status
    }

    /// `true` if byte `addr` lies in the block the BP bits protect.
    fn protected(&self, addr: u32) -> bool {
        let n = BYTES as u32;
        let from = match (self.status & BP_MASK) >> 2 {
            0 => return false,
            1 => n - n / 4,
            2 => n / 2,
            _ => 0,
        };
        addr >= from
    }

    fn wrap(addr: u32) -> u32 {
        addr % BYTES as u32
    }

    /// One byte on the bus: returns MISO (what the chip drives while `mosi` comes in; it
    /// depends only on the bytes before), then takes `mosi`.
    fn exchange(&mut self, mosi: u8) -> u8 {
        match self.phase {
            Phase::Opcode => {
                self.phase = match mosi {
                    WREN => {
                        self.status |= WEL;
                        Phase::Ignore
                    }
                    WRDI => {
                        self.status &= !WEL;
                        Phase::Ignore
                    }
                    RDSR => Phase::Status,
                    WRSR => Phase::StatusWrite,
                    READ | WRITE => Phase::Address {
                        op: mosi,
                        got: 0,
                        addr: 0,
                    },
                    _ => {
                        self.stats.unknown_commands += 1;
                        Phase::Ignore
                    }
                };
                0xFF
            }
            Phase::Status => self.status,
            Phase::StatusWrite => {
                if self.status & WEL != 0 {
                    self.status = (self.status & WEL) | (mosi & (BP_MASK | WPEN));
                    self.wrote = true;
                }
                self.phase = Phase::Ignore;
                0xFF
            }
            Phase::Address { op, got, addr } => {
                let addr = (addr << 8) | u32::from(mosi);
                let got = got + 1;
                self.phase = if got < Self::ADDRESS_BYTES {
                    Phase::Address { op, got, addr }
                } else if op == READ {
                    Phase::ReadData {
                        addr: Self::wrap(addr),
                    }
                } else {
                    Phase::WriteData {
                        addr: Self::wrap(addr),
                    }
                };
                0xFF
            }
            Phase::ReadData { addr } => {
                let mut b = [0u8];
                // the span is inside the array by construction (wrapped address)
                let _ = self.array.read(addr as usize, &mut b);
                self.phase = Phase::ReadData {
                    addr: Self::wrap(addr + 1),
                };
                b[0]
            }
            Phase::WriteData { addr } => {
                if self.status & WEL != 0 && !self.protected(addr) {
                    let _ = self.array.write(addr as usize, &[mosi], self.pulse);
                } else {
                    self.stats.ignored_writes += 1;
                }
                self.wrote = true;
                self.phase = Phase::WriteData {
                    addr: Self::wrap(addr + 1),
                };
                0xFF
            }
            Phase::Ignore => 0xFF,
        }
    }

    /// Chip select rises: the command ends; a WRITE or WRSR clears WEL.
    fn deselect(&mut self) {
        if self.wrote {
            self.status &= !WEL;
        }
        self.wrote = false;
        self.phase = Phase::Opcode;
        self.stats.transactions += 1;
    }
}

impl<const BYTES: usize, S: Float> SpiErrorType for SpiMram<BYTES, S> {
    type Error = core::convert::Infallible;
}

impl<const BYTES: usize, S: Float> SpiDevice<u8> for SpiMram<BYTES, S> {
    fn transaction(&mut self, operations: &mut [Operation<'_, u8>]) -> Result<(), Self::Error> {
        for op in operations.iter_mut() {
            match op {
                Operation::Write(buf) => {
                    for &b in buf.iter() {
                        self.exchange(b);
                    }
                }
                Operation::Read(buf) => {
                    for b in buf.iter_mut() {
                        *b = self.exchange(0x00);
                    }
                }
                Operation::Transfer(read, write) => {
                    for k in 0..read.len().max(write.len()) {
                        let miso = self.exchange(write.get(k).copied().unwrap_or(0x00));
                        if let Some(r) = read.get_mut(k) {
                            *r = miso;
                        }
                    }
                }
                Operation::TransferInPlace(buf) => {
                    for b in buf.iter_mut() {
                        *b = self.exchange(*b);
                    }
                }
                Operation::DelayNs(ns) => {
                    let _ = self.array.advance(f64::from(*ns) * 1e-9);
                }
            }
        }
        self.deselect();
        Ok(())
    }
}

/// Errors of [`MramFlash`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlashError<E> {
    /// The bus failed.
    Spi(E),
    /// An access outside the chip or not aligned to the erase size.
    OutOfBounds,
    /// Write-verify: bytes still differ after every retry (every chunk of the write was still
    /// verified and retried).
    Verify {
        /// First address that did not take.
        addr: u32,
    },
}

impl<E: core::fmt::Debug> NorFlashError for FlashError<E> {
    fn kind(&self) -> NorFlashErrorKind {
        match self {
            FlashError::OutOfBounds => NorFlashErrorKind::OutOfBounds,
            _ => NorFlashErrorKind::Other,
        }
    }
}

/// Counts of the driver's write-verify.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VerifyStats {
    /// Bytes rewritten after a read-back mismatch.
    pub rewrites: u64,
    /// Writes that still differed after every retry.
    pub failures: u64,
}

/// A NOR-flash driver for a serial MRAM chip (any part with the command set of the module
/// docs) over an [`SpiDevice`]. MRAM needs no erase; `erase` writes `0xFF` (what NOR-flash
/// users expect) over whole pages of `PAGE` bytes.
#[derive(Debug)]
pub struct MramFlash<SPI, const PAGE: usize = 1024> {
    spi: SPI,
    capacity: u32,
    address_bytes: u8,
    retries: u8,
    verify: VerifyStats,
}

impl<SPI: SpiDevice<u8>, const PAGE: usize> MramFlash<SPI, PAGE> {
    /// A driver for a chip of `capacity` bytes, no write-verify.
    pub fn new(spi: SPI, capacity: u32) -> Self {
        Self {
            spi,
            capacity,
            address_bytes: if capacity <= 1 << 16 { 2 } else { 3 },
            retries: 0,
            verify: VerifyStats::default(),
        }
    }

    /// Reads every write back and rewrites the bytes that differ, up to `retries` times.
    pub fn with_verify(mut self, retries: u8) -> Self {
        self.set_verify(retries);
        self
    }

    /// As [`MramFlash::with_verify`], in place (0: no verify).
    pub fn set_verify(&mut self, retries: u8) {
        self.retries = retries;
    }

    /// The bus device (the emulated chip, in tests).
    pub fn spi(&self) -> &SPI {
        &self.spi
    }

    /// The bus device, mutably.
    pub fn spi_mut(&mut self) -> &mut SPI {
        &mut self.spi
    }

    /// Write-verify counts.
    pub fn verify_stats(&self) -> VerifyStats {
        self.verify
    }

    fn command(&self, op: u8, addr: u32) -> ([u8; 4], usize) {
        let a = addr.to_be_bytes();
        match self.address_bytes {
            2 => ([op, a[2], a[3], 0], 3),
            _ => ([op, a[1], a[2], a[3]], 4),
        }
    }

    fn check(&self, offset: u32, len: usize) -> Result<(), FlashError<SPI::Error>> {
        match offset.checked_add(len as u32) {
            Some(end) if end <= self.capacity => Ok(()),
            _ => Err(FlashError::OutOfBounds),
        }
    }

    fn read_raw(&mut self, offset: u32, bytes: &mut [u8]) -> Result<(), FlashError<SPI::Error>> {
        let (cmd, n) = self.command(READ, offset);
        self.spi
            .transaction(&mut [Operation::Write(&cmd[..n]), Operation::Read(bytes)])
            .map_err(FlashError::Spi)
    }

    fn write_raw(&mut self, offset: u32, bytes: &[u8]) -> Result<(), FlashError<SPI::Error>> {
        self.spi.write(&[WREN]).map_err(FlashError::Spi)?;
        let (cmd, n) = self.command(WRITE, offset);
        self.spi
            .transaction(&mut [Operation::Write(&cmd[..n]), Operation::Write(bytes)])
            .map_err(FlashError::Spi)
    }

    /// Writes, then (with verify) reads back in chunks and rewrites what differs.
    fn write_checked(&mut self, offset: u32, bytes: &[u8]) -> Result<(), FlashError<SPI::Error>> {
        self.write_raw(offset, bytes)?;
        if self.retries == 0 {
            return Ok(());
        }
        let mut back = [0u8; 64];
        // every chunk is verified, also after one failed: the error names the first address
        let mut first_bad = None;
        for (c, chunk) in bytes.chunks(back.len()).enumerate() {
            let base = offset + (c * back.len()) as u32;
            for attempt in 0..=self.retries {
                let got = &mut back[..chunk.len()];
                self.read_raw(base, got)?;
                let mut bad = None;
                for (k, (&want, &have)) in chunk.iter().zip(got.iter()).enumerate() {
                    if want != have {
                        bad.get_or_insert(k);
                        if attempt < self.retries {
                            self.write_raw(base + k as u32, &[want])?;
                            self.verify.rewrites += 1;
                        }
                    }
                }
                match bad {
                    None => break,
                    Some(k) if attempt == self.retries => {
                        self.verify.failures += 1;
                        first_bad.get_or_insert(base + k as u32);
                    }
                    Some(_) => {}
                }
            }
        }
        match first_bad {
            None => Ok(()),
            Some(addr) => Err(FlashError::Verify { addr }),
        }
    }
}

impl<SPI: SpiDevice<u8>, const PAGE: usize> ErrorType for MramFlash<SPI, PAGE> {
    type Error = FlashError<SPI::Error>;
}

impl<SPI: SpiDevice<u8>, const PAGE: usize> ReadNorFlash for MramFlash<SPI, PAGE> {
    const READ_SIZE: usize = 1;

    fn read(&mut self, offset: u32, bytes: &mut [u8]) -> Result<(), Self::Error> {
        self.check(offset, bytes.len())?;
        self.read_raw(offset, bytes)
    }

    fn capacity(&self) -> usize {
        self.capacity as usize
    }
}

impl<SPI: SpiDevice<u8>, const PAGE: usize> NorFlash for MramFlash<SPI, PAGE> {
    const WRITE_SIZE: usize = 1;
    const ERASE_SIZE: usize = PAGE;

    fn erase(&mut self, from: u32, to: u32) -> Result<(), Self::Error> {
        let page = PAGE as u32;
        if from > to || from % page != 0 || to % page != 0 || to > self.capacity {
            return Err(FlashError::OutOfBounds);
        }
        let ones = [0xFFu8; 64];
        let mut at = from;
        while at < to {
            let n = (to - at).min(ones.len() as u32);
            self.write_checked(at, &ones[..n as usize])?;
            at += n;
        }
        Ok(())
    }

    fn write(&mut self, offset: u32, bytes: &[u8]) -> Result<(), Self::Error> {
        self.check(offset, bytes.len())?;
        self.write_checked(offset, bytes)
    }
}

/// MRAM overwrites any value in place, so writing a word twice is allowed.
impl<SPI: SpiDevice<u8>, const PAGE: usize> MultiwriteNorFlash for MramFlash<SPI, PAGE> {}

impl<SPI: SpiDevice<u8>, const PAGE: usize> embedded_storage_async::nor_flash::ReadNorFlash
    for MramFlash<SPI, PAGE>
{
    const READ_SIZE: usize = 1;

    async fn read(&mut self, offset: u32, bytes: &mut [u8]) -> Result<(), Self::Error> {
        ReadNorFlash::read(self, offset, bytes)
    }

    fn capacity(&self) -> usize {
        self.capacity as usize
    }
}

impl<SPI: SpiDevice<u8>, const PAGE: usize> embedded_storage_async::nor_flash::NorFlash
    for MramFlash<SPI, PAGE>
{
    const WRITE_SIZE: usize = 1;
    const ERASE_SIZE: usize = PAGE;

    async fn erase(&mut self, from: u32, to: u32) -> Result<(), Self::Error> {
        NorFlash::erase(self, from, to)
    }

    async fn write(&mut self, offset: u32, bytes: &[u8]) -> Result<(), Self::Error> {
        NorFlash::write(self, offset, bytes)
    }
}

impl<SPI: SpiDevice<u8>, const PAGE: usize> embedded_storage_async::nor_flash::MultiwriteNorFlash
    for MramFlash<SPI, PAGE>
{
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_set_and_status() {
        let mut chip = SpiMram::<1024>::new(CellParams::default(), 1).unwrap();
        // WRITE without WREN is ignored
        chip.write(&[WRITE, 0x00, 0x10, 0xAB]).unwrap();
        assert_eq!(chip.array().raw()[0x10], 0);
        assert_eq!(chip.chip_stats().ignored_writes, 1);
        chip.write(&[WREN]).unwrap();
        let mut st = [0u8; 2];
        chip.transaction(&mut [Operation::Write(&[RDSR]), Operation::Read(&mut st)])
            .unwrap();
        assert_eq!(st, [WEL, WEL]);
        chip.write(&[WRITE, 0x03, 0xFF, 0x11, 0x22]).unwrap(); // wraps past the end
        assert_eq!(chip.array().raw()[0x3FF], 0x11);
        assert_eq!(chip.array().raw()[0], 0x22);
        assert_eq!(chip.status() & WEL, 0, "WEL cleared after WRITE");
        let mut buf = [0u8; 2];
        chip.transaction(&mut [
            Operation::Write(&[READ, 0x03, 0xFF]),
            Operation::Read(&mut buf),
        ])
        .unwrap();
        assert_eq!(buf, [0x11, 0x22]);
        // protect the upper half: writes there are dropped
        chip.write(&[WREN]).unwrap();
        chip.write(&[WRSR, 0x08]).unwrap();
        assert_eq!(chip.status(), 0x08);
        chip.write(&[WREN]).unwrap();
        chip.write(&[WRITE, 0x02, 0x00, 0x55]).unwrap();
        assert_eq!(chip.array().raw()[0x200], 0);
        chip.write(&[WREN]).unwrap();
        chip.write(&[WRITE, 0x01, 0x00, 0x55]).unwrap();
        assert_eq!(chip.array().raw()[0x100], 0x55);
        chip.write(&[0x9F]).unwrap();
        assert_eq!(chip.chip_stats().unknown_commands, 1);
    }

    #[test]
    fn flash_driver_round_trip_and_bounds() {
        let chip = SpiMram::<4096>::new(CellParams::default(), 2).unwrap();
        let mut flash: MramFlash<_, 1024> = MramFlash::new(chip, 4096);
        NorFlash::erase(&mut flash, 1024, 3072).unwrap();
        let mut b = [0u8; 4];
        ReadNorFlash::read(&mut flash, 2000, &mut b).unwrap();
        assert_eq!(b, [0xFF; 4]);
        NorFlash::write(&mut flash, 4090, &[1, 2, 3, 4, 5, 6]).unwrap();
        ReadNorFlash::read(&mut flash, 4092, &mut b).unwrap();
        assert_eq!(b, [3, 4, 5, 6]);
        assert_eq!(
            NorFlash::write(&mut flash, 4095, &[1, 2]),
            Err(FlashError::OutOfBounds)
        );
        assert_eq!(
            NorFlash::erase(&mut flash, 10, 1024),
            Err(FlashError::OutOfBounds)
        );
    }
}

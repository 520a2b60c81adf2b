//! A QMC5883L three-axis AMR magnetometer on I2C, whose readings come from the kernel's bridge
//! model ([`larmor::device::sensor`]).
//!
//! # Why the QMC5883L
//! Neither the HMC5883L nor the QMC5883L has an `embedded-hal` 1.0 blocking driver on the Rust
//! crate registry. The `embedded-hal` 0.2 drivers are `hmc5983` 0.1 (which decodes the HMC's
//! big-endian data registers as little-endian) and `qmc5883l` 0.0.1 (which decodes its part's
//! data correctly); so this part is the QMC5883L, served on the `embedded-hal` 1.0
//! [`I2c`] trait and, with the `eh02` feature, on the 0.2 `blocking::i2c::{Write, WriteRead,
//! Read}` traits, so that the 0.2 driver runs unchanged.
//!
//! # Register map (QST Corporation, QMC5883L datasheet: register map and register definitions)
//! | address | register | here |
//! |---|---|---|
//! | `0x00..=0x05` | data X, Y, Z, each LSB first (little-endian), two's complement | read-only |
//! | `0x06` | status: DRDY (bit 0), OVL (bit 1), DOR (bit 2) | read-only |
//! | `0x07..=0x08` | temperature, LSB first, 100 LSB/degC (zero at 25 degC here: the datasheet leaves the offset uncalibrated) | read-only |
//! | `0x09` | control 1: MODE (bits 1:0, `00` standby, `01` continuous), ODR (3:2: 10, 50, 100, 200 Hz), RNG (5:4: `00` +-2 G, `01` +-8 G), OSR (7:6) | read/write |
//! | `0x0A` | control 2: INT_ENB (bit 0), ROL_PNT (bit 6), SOFT_RST (bit 7, self-clearing: resets every register) | read/write |
//! | `0x0B` | SET/RESET period (datasheet recommends `0x01`) | read/write |
//! | `0x0D` | chip ID, `0xFF` | read-only |
//!
//! The register pointer is set by the first byte of a write and increments after each byte;
//! with ROL_PNT set, a read that starts in `0x00..=0x06` rolls over from `0x06` to `0x00`.
//! DRDY is set when a conversion is loaded and cleared by reading a data register; DOR is set
//! when a conversion overwrites unread data and cleared by reading `0x06`; OVL is set when an
//! axis leaves `-32768..=32767` (that axis then reads the saturated code) and cleared by the next
//! in-range conversion. The QMC5883L has no single-measurement mode (only standby and
//! continuous).
//!
//! # Readings
//! Sensitivity 12 000 LSB/G at +-2 G and 3 000 LSB/G at +-8 G (datasheet, electrical
//! characteristics). Each axis is an AMR full bridge ([`BridgeSpec`]; 1 kOhm arms, `dR/R` 2%,
//! `H_K` 20 G, 5 V, offset 1 mV/V) sampled by a [`Sampler`] (its noise band-limited to 200 Hz, the
//! widest digital-filter band, taken as ideal), plus the converter's own white noise
//! of 2 mG rms (the datasheet's field resolution). Every conversion takes a reading after a set
//! pulse and one after a reset pulse and returns half their difference, as the part's internal
//! SET/RESET does: the bridge offset cancels. The digital gain is calibrated on the small-signal
//! bridge sensitivity, so AMR's own non-linearity (`V ~ m_x m_y`, 0.5% at 2 G for `H_K` = 20 G)
//! and the cross-axis effect of a field along each bridge's easy axis remain, as on real parts.
//! Axis `x` is sensitive to `H_x` with its easy axis along `y`; `y` and `z` have their easy
//! axis along `x`.
//!
//! # Time
//! The part has its own clock: [`Qmc5883l::advance`] moves it, and every bus transaction moves
//! it by its duration at the bus clock (`9` SCL cycles per byte, address included, plus one for
//! start/stop; 400 kHz by default), so a driver that polls the status register sees DRDY after
//! `1 / ODR`.
//!
//! ```
//! use embedded_hal::i2c::I2c;
//! use larmor_parts::magnetometer::{Qmc5883l, ADDRESS};
//! let mut part = Qmc5883l::<f32>::new(1).unwrap();
//! let mut id = [0u8];
//! part.write_read(ADDRESS, &[0x0D], &mut id).unwrap();
//! assert_eq!(id[0], 0xFF);
//! part.set_field_gauss([0.5, 0.0, 0.0]).unwrap();
//! part.write(ADDRESS, &[0x09, 0x01]).unwrap(); // continuous, 10 Hz, +-2 G
//! part.advance(0.1).unwrap();
//! let mut d = [0u8; 6];
//! part.write_read(ADDRESS, &[0x00], &mut d).unwrap();
//! let x = i16::from_le_bytes([d[0], d[1]]);
//! assert!((x - 6000).abs() < 150);
//! ```

use embedded_hal::i2c::{ErrorKind, ErrorType, I2c, NoAcknowledgeSource, Operation};
use larmor::device::sensor::{BridgeSpec, ElementKind, Sampler, GAUSS_AM};
use larmor::random::{Gaussian, Philox};
use larmor::{Error, Real};

/// The part's 7-bit I2C address (fixed, QMC5883L datasheet).
pub const ADDRESS: u8 = 0x0D;
/// Data register X LSB.
pub const REG_DATA: u8 = 0x00;
/// Status register.
pub const REG_STATUS: u8 = 0x06;
/// Temperature LSB.
pub const REG_TEMP: u8 = 0x07;
/// Control register 1.
pub const REG_CONTROL1: u8 = 0x09;
/// Control register 2.
pub const REG_CONTROL2: u8 = 0x0A;
/// SET/RESET period register.
pub const REG_PERIOD: u8 = 0x0B;
/// Chip identification register.
pub const REG_CHIP_ID: u8 = 0x0D;
/// Status: data ready.
pub const STATUS_DRDY: u8 = 1 << 0;
/// Status: overflow.
pub const STATUS_OVL: u8 = 1 << 1;
/// Status: data skipped (overrun).
pub const STATUS_DOR: u8 = 1 << 2;

const NREG: usize = 0x0E;

/// A bus error of the emulated part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BusError {
    /// No device at this address (the part answers only [`ADDRESS`]).
    NoDevice(u8),
    /// The kernel model refused a value (non-finite field).
    Model,
}

impl core::fmt::Display for BusError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            BusError::NoDevice(a) => write!(f, "no I2C device at address {a:#04x}"),
            BusError::Model => write!(f, "the sensor model refused its input"),
        }
    }
}

impl core::error::Error for BusError {}

impl embedded_hal::i2c::Error for BusError {
    fn kind(&self) -> ErrorKind {
        match self {
            BusError::NoDevice(_) => ErrorKind::NoAcknowledge(NoAcknowledgeSource::Address),
            BusError::Model => ErrorKind::Other,
        }
    }
}

/// The emulated QMC5883L (see the [module docs](self)); `S` is the free-layer scalar.
#[derive(Clone, Debug)]
pub struct Qmc5883l<S: Real = f32> {
    axes: [Sampler<S>; 3],
    /// Volts per gauss of each bridge (small signal, after a set pulse).
    v_per_gauss: [f64; 3],
    regs: [u8; NREG],
    pointer: u8,
    field_am: [f64; 3],
    time_s: f64,
    next_conversion_s: f64,
    scl_hz: f64,
    temperature_k: f64,
    adc_noise_gauss: f64,
    rng: Philox,
}

/// The default axis bridge: AMR, 1 kOhm arms, `dR/R` 2%, `H_K` 20 G, 5 V, offset 1 mV/V.
///
/// ```
/// let s = larmor_parts::magnetometer::default_bridge();
/// assert_eq!(s.r_ohm, 1e3);
/// ```
pub fn default_bridge() -> BridgeSpec {
    let mut s = BridgeSpec::new(ElementKind::Amr, 1e3, 0.02, 20.0 * GAUSS_AM);
    s.offset_mv_per_v = 1.0;
    s
}

impl<S: Real> Qmc5883l<S> {
    /// A part with the [`default_bridge`] on every axis, noise from Philox streams
    /// `(seed, 0..4)`, at 300 K, zero field, registers at their reset values.
    ///
    /// # Errors
    /// As [`Qmc5883l::with_bridge`].
    pub fn new(seed: u64) -> Result<Self, Error> {
        Self::with_bridge(default_bridge(), 2e-3, seed)
    }

    /// A part whose three axes are `bridge` and whose converter adds `adc_noise_gauss` rms of
    /// white noise per conversion.
    ///
    /// # Errors
    /// Whatever [`BridgeSpec::build`] refuses; [`Error::OutOfRange`] for a negative or
    /// non-finite `adc_noise_gauss` (`qmc5883l.adc_noise_gauss`) or a bridge with no
    /// sensitivity (`qmc5883l.sensitivity`).
    pub fn with_bridge(bridge: BridgeSpec, adc_noise_gauss: f64, seed: u64) -> Result<Self, Error> {
        if !(adc_noise_gauss >= 0.0 && adc_noise_gauss.is_finite()) {
            return Err(Error::OutOfRange {
                param: "qmc5883l.adc_noise_gauss",
                value: adc_noise_gauss,
                allowed: ">= 0 gauss (finite)",
            });
        }
        let b = bridge.build::<S>()?;
        let vpg = b.sensitivity_v_per_am() * GAUSS_AM;
        if !(vpg.abs() > 0.0 && vpg.is_finite()) {
            return Err(Error::OutOfRange {
                param: "qmc5883l.sensitivity",
                value: vpg,
                allowed: "a bridge with non-zero sensitivity (V/gauss)",
            });
        }
        // bridge noise band-limited to 200 Hz, the widest digital filter (ODR 200 Hz x 2)
        let fs = 400.0;
        let axes = [
            Sampler::new(b, fs, 0.01, seed, 0)?,
            Sampler::new(b, fs, 0.01, seed, 1)?,
            Sampler::new(b, fs, 0.01, seed, 2)?,
        ];
        let mut part = Self {
            axes,
            v_per_gauss: [vpg; 3],
            regs: [0; NREG],
            pointer: 0,
            field_am: [0.0; 3],
            time_s: 0.0,
            next_conversion_s: f64::INFINITY,
            scl_hz: 400e3,
            temperature_k: 300.0,
            adc_noise_gauss,
            rng: Philox::new(seed, 3),
        };
        part.soft_reset();
        Ok(part)
    }

    fn soft_reset(&mut self) {
        self.regs = [0; NREG];
        self.regs[REG_CHIP_ID as usize] = 0xFF;
        self.next_conversion_s = f64::INFINITY;
    }

    /// Sets the applied field (A/m), effective from the next conversion.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for a non-finite component (`qmc5883l.field`).
    pub fn set_field_am(&mut self, h_am: [f64; 3]) -> Result<(), Error> {
        for c in h_am {
            if !c.is_finite() {
                return Err(Error::OutOfRange {
                    param: "qmc5883l.field",
                    value: c,
                    allowed: "finite A/m",
                });
            }
        }
        self.field_am = h_am;
        Ok(())
    }

    /// Sets the applied field in gauss (`1 G = 1e-4 T / mu0`).
    ///
    /// # Errors
    /// As [`Qmc5883l::set_field_am`].
    pub fn set_field_gauss(&mut self, b_gauss: [f64; 3]) -> Result<(), Error> {
        self.set_field_am(b_gauss.map(|b| b * GAUSS_AM))
    }

    /// Sets the die temperature (K): bridges and the temperature register follow.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] outside `1e-3 ..= 2000 K`.
    pub fn set_temperature_k(&mut self, t_k: f64) -> Result<(), Error> {
        for a in &mut self.axes {
            a.bridge_mut().set_temperature_k(t_k)?;
        }
        self.temperature_k = t_k;
        Ok(())
    }

    /// Sets the bus clock used to time transactions (Hz).
    ///
    /// # Errors
    /// [`Error::OutOfRange`] outside `1 kHz ..= 5 MHz` (`qmc5883l.scl`).
    pub fn set_scl_hz(&mut self, hz: f64) -> Result<(), Error> {
        if !(1e3..=5e6).contains(&hz) {
            return Err(Error::OutOfRange {
                param: "qmc5883l.scl",
                value: hz,
                allowed: "1e3 ..= 5e6 Hz",
            });
        }
        self.scl_hz = hz;
        Ok(())
    }

    /// The part's clock (s).
    pub fn time_s(&self) -> f64 {
        self.time_s
    }

    /// A register's value as the part holds it (no side effects).
    ///
    /// ```
    /// let part = larmor_parts::magnetometer::Qmc5883l::<f32>::new(1).unwrap();
    /// assert_eq!(part.register(0x0D), Some(0xFF)); // chip ID
    /// assert_eq!(part.register(0x20), None);
    /// ```
    pub fn register(&self, reg: u8) -> Option<u8> {
        self.regs.get(reg as usize).copied()
    }

    /// Sensitivity of the present range (LSB per gauss).
    ///
    /// ```
    /// use embedded_hal::i2c::I2c;
    /// use larmor_parts::magnetometer::{Qmc5883l, ADDRESS};
    /// let mut part = Qmc5883l::<f32>::new(1).unwrap();
    /// assert_eq!(part.lsb_per_gauss(), 12000.0);
    /// part.write(ADDRESS, &[0x09, 0x10]).unwrap(); // RNG = 01: +-8 G
    /// assert_eq!(part.lsb_per_gauss(), 3000.0);
    /// ```
    pub fn lsb_per_gauss(&self) -> f64 {
        if (self.regs[REG_CONTROL1 as usize] >> 4) & 0b11 == 0b01 {
            3000.0
        } else {
            12000.0
        }
    }

    /// Output data rate (Hz) selected by control 1.
    pub fn odr_hz(&self) -> f64 {
        match (self.regs[REG_CONTROL1 as usize] >> 2) & 0b11 {
            0 => 10.0,
            1 => 50.0,
            2 => 100.0,
            _ => 200.0,
        }
    }

    fn continuous(&self) -> bool {
        self.regs[REG_CONTROL1 as usize] & 0b11 == 0b01
    }

    /// Lets `dt_s` seconds pass, running every conversion that falls due.
    ///
    /// ```
    /// use embedded_hal::i2c::I2c;
    /// use larmor_parts::magnetometer::{Qmc5883l, ADDRESS, STATUS_DRDY};
    /// let mut part = Qmc5883l::<f32>::new(1).unwrap();
    /// part.write(ADDRESS, &[0x09, 0x0D]).unwrap(); // continuous, 200 Hz
    /// part.advance(4e-3).unwrap();
    /// assert_eq!(part.register(0x06).unwrap() & STATUS_DRDY, 0);
    /// part.advance(1e-3).unwrap();
    /// assert_eq!(part.register(0x06).unwrap() & STATUS_DRDY, STATUS_DRDY);
    /// ```
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for a negative or non-finite `dt_s` (`qmc5883l.dt`); model errors.
    pub fn advance(&mut self, dt_s: f64) -> Result<(), Error> {
        if !(dt_s >= 0.0 && dt_s.is_finite()) {
            return Err(Error::OutOfRange {
                param: "qmc5883l.dt",
                value: dt_s,
                allowed: ">= 0 s (finite)",
            });
        }
        let end = self.time_s + dt_s;
        while self.next_conversion_s <= end {
            self.time_s = self.next_conversion_s;
            self.convert()?;
            self.next_conversion_s += 1.0 / self.odr_hz();
        }
        self.time_s = end;
        Ok(())
    }

    /// One conversion of the three axes into the data registers.
    fn convert(&mut self) -> Result<(), Error> {
        let h = self.field_am;
        // (easy-axis field, sensitive field) per axis
        let inputs = [[h[1], h[0]], [h[0], h[1]], [h[0], h[2]]];
        let lsb = self.lsb_per_gauss();
        let mut overflow = false;
        for (i, (ax, input)) in self.axes.iter_mut().zip(inputs).enumerate() {
            ax.bridge_mut().set_pulse()?;
            let v_set = ax.sample(|_| input)?;
            ax.bridge_mut().reset_pulse()?;
            let v_reset = ax.sample(|_| input)?;
            ax.bridge_mut().set_pulse()?;
            let gauss = 0.5 * (v_set - v_reset) / self.v_per_gauss[i]
                + self.adc_noise_gauss * f64::std_normal(&mut self.rng);
            let code = larmor::math::floor_f64(gauss * lsb + 0.5);
            let c = if code > 32767.0 {
                overflow = true;
                32767
            } else if code < -32768.0 {
                overflow = true;
                -32768
            } else {
                code as i16
            };
            let [lo, hi] = c.to_le_bytes();
            self.regs[2 * i] = lo;
            self.regs[2 * i + 1] = hi;
        }
        let t_code = larmor::math::floor_f64((self.temperature_k - 298.15) * 100.0 + 0.5);
        let t = t_code.clamp(-32768.0, 32767.0) as i16;
        let [lo, hi] = t.to_le_bytes();
        self.regs[REG_TEMP as usize] = lo;
        self.regs[REG_TEMP as usize + 1] = hi;
        let st = &mut self.regs[REG_STATUS as usize];
        if *st & STATUS_DRDY != 0 {
            *st |= STATUS_DOR;
        }
        *st |= STATUS_DRDY;
        if overflow {
            *st |= STATUS_OVL;
        } else {
            *st &= !STATUS_OVL;
        }
        Ok(())
    }

    fn bus_time(&mut self, bytes: usize) -> Result<(), Error> {
        let clocks = 9.0 * (bytes as f64 + 1.0) + 1.0;
        self.advance(clocks / self.scl_hz)
    }

    fn read_byte(&mut self) -> u8 {
        let p = self.pointer;
        let v = self.regs.get(p as usize).copied().unwrap_or(0);
        match p {
            0..=5 => self.regs[REG_STATUS as usize] &= !STATUS_DRDY,
            6 => self.regs[REG_STATUS as usize] &= !STATUS_DOR,
            _ => {}
        }
        let rol = self.regs[REG_CONTROL2 as usize] & (1 << 6) != 0;
        self.pointer = if (rol && p == 6) || p as usize + 1 >= NREG {
            0
        } else {
            p + 1
        };
        v
    }

    fn write_byte(&mut self, v: u8) {
        let p = self.pointer;
        match p {
            REG_CONTROL1 => {
                let was = self.continuous();
                self.regs[p as usize] = v;
                if self.continuous() && !was {
                    self.next_conversion_s = self.time_s + 1.0 / self.odr_hz();
                } else if !self.continuous() {
                    self.next_conversion_s = f64::INFINITY;
                }
            }
            REG_CONTROL2 => {
                if v & 0x80 != 0 {
                    self.soft_reset();
                } else {
                    self.regs[p as usize] = v & 0x41;
                }
            }
            REG_PERIOD | 0x0C => self.regs[p as usize] = v,
            _ => {} // read-only
        }
        self.pointer = if p as usize + 1 >= NREG { 0 } else { p + 1 };
    }

    /// Runs one bus transaction (shared by the 1.0 and 0.2 interfaces).
    fn run(&mut self, address: u8, ops: &mut [Operation<'_>]) -> Result<(), BusError> {
        if address != ADDRESS {
            return Err(BusError::NoDevice(address));
        }
        let mut bytes = 0;
        let mut prev_write = false;
        for op in ops.iter_mut() {
            match op {
                Operation::Write(data) => {
                    for (k, &b) in data.iter().enumerate() {
                        if k == 0 && !prev_write {
                            self.pointer = b;
                        } else {
                            self.write_byte(b);
                        }
                    }
                    bytes += data.len();
                    prev_write = true;
                }
                Operation::Read(buf) => {
                    for b in buf.iter_mut() {
                        *b = self.read_byte();
                    }
                    bytes += buf.len();
                    prev_write = false;
                }
            }
        }
        self.bus_time(bytes).map_err(|_| BusError::Model)
    }
}

impl<S: Real> ErrorType for Qmc5883l<S> {
    type Error = BusError;
}

impl<S: Real> I2c for Qmc5883l<S> {
    fn transaction(
        &mut self,
        address: u8,
        operations: &mut [Operation<'_>],
    ) -> Result<(), Self::Error> {
        self.run(address, operations)
    }
}

/// `embedded-hal` 0.2 blocking I2C, for drivers not yet ported to 1.0 (feature `eh02`).
#[cfg(feature = "eh02")]
mod eh02 {
    use super::{BusError, Operation, Qmc5883l};
    use embedded_hal_02::blocking::i2c::{Read, Write, WriteRead};
    use larmor::Real;

    macro_rules! impls {
        ($t:ty) => {
            impl<S: Real> Write for $t {
                type Error = BusError;
                fn write(&mut self, address: u8, bytes: &[u8]) -> Result<(), BusError> {
                    self.run(address, &mut [Operation::Write(bytes)])
                }
            }
            impl<S: Real> Read for $t {
                type Error = BusError;
                fn read(&mut self, address: u8, buffer: &mut [u8]) -> Result<(), BusError> {
                    self.run(address, &mut [Operation::Read(buffer)])
                }
            }
            impl<S: Real> WriteRead for $t {
                type Error = BusError;
                fn write_read(
                    &mut self,
                    address: u8,
                    bytes: &[u8],
                    buffer: &mut [u8],
                ) -> Result<(), BusError> {
                    self.run(
                        address,
                        &mut [Operation::Write(bytes), Operation::Read(buffer)],
                    )
                }
            }
        };
    }
    impls!(Qmc5883l<S>);
    impls!(&mut Qmc5883l<S>);
}

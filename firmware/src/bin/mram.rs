//! The emulated SPI MRAM under a real storage crate: `larmor_scenarios::mram::session` runs
//! `sequential-storage` (a key-value map, unchanged) on the emulated chip through the
//! `embedded-storage` driver, at the nominal write pulse, at a marginal one and at the
//! marginal one with write-verify, then lets ten years pass at 125 C. Logs every count and the
//! hash of the array's bits (compared bit for bit with the host by `tests/tests/parity.rs`), the
//! instructions (QEMU) or cycles (hardware) per map update, the RAM the chip takes and the stack
//! high-water mark; exits 0 if the nominal and verified phases lost no record.
//!
//! Log line: `mram session corrupted=a,b,c switches=.. write_errors=.. read_disturbs=..
//! misreads=.. retention_flips=.. rewrites=.. hash=.. ok|FAIL`
#![no_std]
#![no_main]

use cortex_m_rt::entry;
use larmor_firmware::{bench, board, exit, stack, start};
use larmor_scenarios::mram::{session, Chip, BYTES, STORES};

#[entry]
fn main() -> ! {
    let counter = start("mram");
    let (result, ticks) = counter.measure(session::<f32>);
    let Ok(r) = result else {
        defmt::error!("mram session: parameter error FAIL");
        exit(false)
    };
    let ok = r.corrupted[0] == 0 && r.corrupted[2] == 0 && r.corrupted[1] > 0;
    let s = r.stats;
    defmt::info!(
        "mram session corrupted={=u32},{=u32},{=u32} switches={=u64} write_errors={=u64} read_disturbs={=u64} misreads={=u64} retention_flips={=u64} rewrites={=u64} hash={=u64} {=str}",
        r.corrupted[0],
        r.corrupted[1],
        r.corrupted[2],
        s.switches,
        s.write_errors,
        s.read_disturbs,
        s.misreads,
        s.retention_flips,
        r.rewrites,
        r.hash,
        if ok { "ok" } else { "FAIL" }
    );
    let per = bench::ticks_to_instructions(ticks) / u64::from(3 * STORES);
    defmt::info!(
        "mram: {=u64} {=str} per map update (store + fetch), {=u32} updates",
        per,
        board::UNIT,
        3 * STORES
    );
    defmt::info!(
        "mram: chip {=usize} B of RAM for {=usize} B emulated",
        core::mem::size_of::<Chip<f32>>(),
        BYTES
    );
    stack::report();
    exit(ok);
}

//! The emulated magnetic sensors: samples an AMR bridge of the HMC1001 kind (Johnson and
//! Hooge noise, Stoner-Wohlfarth free layer) and reports the instructions (QEMU) or cycles
//! (hardware) per sample, hence the highest sample rate the core sustains at its clock; then
//! runs the third-party `qmc5883l` driver, unchanged, against the emulated QMC5883L
//! magnetometer in a 0.5 G field. Logs the samples' hash and the driver's readings (compared
//! bit for bit with the host by `tests/tests/parity.rs`) and exits 0 if the reading is within
//! its tolerance of 0.5 G (6000 LSB at 12 000 LSB/G).
//!
//! Log line: `sensor session hash=.. lo=.. hi=.. xyz=(x, y, z) sum_x=.. ok|FAIL`
#![no_std]
#![no_main]

use cortex_m_rt::entry;
use larmor_firmware::{bench, board, exit, stack, start};
use larmor_scenarios::sensor::{sample_bridge, session, READINGS, SAMPLES};

#[entry]
fn main() -> ! {
    let counter = start("sensor");
    let (sampled, ticks) = counter.measure(|| sample_bridge(|_| {}));
    let per_sample = bench::ticks_to_instructions(ticks) / u64::from(SAMPLES);
    defmt::info!(
        "sensor: {=u64} {=str} per bridge sample; {=u64} samples/s sustained at {=u32} MHz",
        per_sample,
        board::UNIT,
        u64::from(board::CORE_HZ) / per_sample.max(1),
        board::CORE_HZ / 1_000_000
    );
    let Ok(r) = session() else {
        defmt::error!("sensor session: error FAIL");
        exit(false)
    };
    let mean_x = r.sum_x / READINGS as i32;
    let ok = sampled.is_ok() && (mean_x - 6000).abs() <= 5 * 24 + 2;
    defmt::info!(
        "sensor session hash={=u64} lo={=u64} hi={=u64} xyz=({=i16}, {=i16}, {=i16}) sum_x={=i32} {=str}",
        r.hash,
        r.range_bits[0],
        r.range_bits[1],
        r.xyz[0],
        r.xyz[1],
        r.xyz[2],
        r.sum_x,
        if ok { "ok" } else { "FAIL" }
    );
    stack::report();
    exit(ok)
}

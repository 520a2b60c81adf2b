//! The macrospin self-test, small enough for a 32 KiB part: the standard trajectory (the
//! standard macrospin, 10^5 RK4 steps = 10 ns) in the core's natural scalar, f32 on a
//! Cortex-M4F (hardware FPU), fixed-point I6F26 on a Cortex-M0/M0+. Checks the result (finite,
//! `|m| = 1`, within its bound of the host's golden f64 value), logs the exact bits for the
//! host's parity test, the instructions (QEMU) or cycles (hardware) per step and the stack
//! high-water mark, and exits 0 only if every check passed.
//!
//! Unlike `selftest`, the model is not compiled from SI units on the target: it is built from
//! the reduced constants in `larmor_scenarios::reduced` (bit patterns generated on the host
//! from `MacrospinSpec::compile`, checked bit for bit by `tests/tests/parity.rs`) as one
//! concrete type (`Specialized`: constant Zeeman + demag + first-order uniaxial), so no
//! soft-float f64 set-up code, drive waveforms or `Option` terms are linked. Built with
//! `--profile size` by `scripts/firmware-test.sh`.
//!
//! Log line (parsed by `tests/tests/parity.rs`, same format as `selftest`):
//! `macrospin rk4 <scalar> steps=<n> m=(x, y, z) bits=(bx, by, bz) err=.. bound=.. ... ok|FAIL`
#![no_std]
#![no_main]

use core::hint::black_box;

use cortex_m_rt::entry;
use larmor::stepper::Rk4;
use larmor_firmware::{bench, board, finish, log_result, start};
use larmor_scenarios::{run_system, Method, StandardReduced, STANDARD_STEPS};

/// The scalar of this core: f32 with a hardware FPU, I6F26 without.
#[cfg(target_abi = "eabihf")]
type Scalar = f32;
/// The scalar of this core: f32 with a hardware FPU, I6F26 without.
#[cfg(not(target_abi = "eabihf"))]
type Scalar = larmor_scenarios::Q26;

/// Runs and checks the standard trajectory in `S`; logs the result and returns whether it
/// passed.
#[inline(never)]
fn standard_trajectory<S: StandardReduced>(counter: &bench::Counter) -> bool {
    let r = S::STANDARD;
    let mut sys = r.model();
    let steps = black_box(STANDARD_STEPS);
    let (result, ticks) = counter.measure(|| run_system(&mut sys, r.m0, Rk4::new(), r.dt, steps));
    let ok = log_result("macrospin", Method::Rk4, steps, result);
    let instructions = bench::ticks_to_instructions(ticks);
    let centi = instructions * 100 / u64::from(steps);
    defmt::info!(
        "macrospin: {=u64}.{=u64:02} {=str} per step ({=u64} ticks)",
        centi / 100,
        centi % 100,
        board::UNIT,
        ticks
    );
    ok
}

#[entry]
fn main() -> ! {
    let counter = start("macrospin");
    let ok = standard_trajectory::<Scalar>(&counter);
    finish(ok, "macrospin: all checks passed", "macrospin: FAILED")
}

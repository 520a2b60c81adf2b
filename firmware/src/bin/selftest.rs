//! Self-test: runs the standard scenarios of `larmor-scenarios` (the standard macrospin with
//! RK4, Heun, midpoint, Dormand-Prince, and Heun with thermal noise) in every scalar type the
//! core supports, checks each result (finite, `|m| = 1`, within its bound of the host's golden
//! f64 value; thermal runs bit for bit against the host's run in the same scalar), logs the exact
//! bits for the host's parity test, reports the stack high-water mark, and exits 0 only if every
//! check passed. On the Cortex-M4F it also runs the 256-spin lattice scenario
//! ([`larmor_firmware::lattice`]; its own log lines, `lattice ...`).
//!
//! Log line per run (parsed by `tests/tests/parity.rs`):
//! `selftest <method> <scalar> steps=<n> m=(x, y, z) bits=(bx, by, bz) err=.. bound=.. ... ok|FAIL`
//! where `bx` is `m.x.to_f64().to_bits()` (exact for every scalar).
#![no_std]
#![no_main]

use core::hint::black_box;

use cortex_m_rt::entry;
use larmor::params::Macrospin;
use larmor::random::Gaussian;
use larmor::{Error, Real, Vec3};
#[cfg(target_abi = "eabihf")]
use larmor_firmware::lattice;
use larmor_firmware::{board, exit, log_result, stack};
#[cfg(target_abi = "eabihf")]
use larmor_scenarios::lattice::{BONDS_256, SITES_256};
use larmor_scenarios::{
    pulse_onset, run_method, run_method_thermal, selftest_steps, standard_model, Method,
    PULSE_ONSET_STEP, PULSE_STARTS, Q26,
};

/// Every method but those `skip` names, in scalar `S`, each run by `run` on the standard model.
#[inline(never)] // own stack frame: scalars do not add up in main
fn all_methods<S: Real>(
    passed: &mut u32,
    failed: &mut u32,
    skip: impl Fn(Method) -> bool,
    run: impl Fn(&mut Macrospin<S>, S, Method, u32) -> Result<Vec3<S>, Error>,
) {
    let Ok((mut model, dt)) = standard_model::<S>() else {
        defmt::error!("selftest: the standard model does not compile FAIL");
        *failed += 1;
        return;
    };
    for method in Method::ALL {
        if skip(method) {
            continue;
        }
        let steps = black_box(selftest_steps(method));
        let ok = log_result(
            "selftest",
            method,
            steps,
            run(&mut model, dt, method, steps),
        );
        *if ok { &mut *passed } else { &mut *failed } += 1;
    }
}

/// Every method, thermal included, in a float type.
fn all_float<S: Real + Gaussian>(passed: &mut u32, failed: &mut u32) {
    // inertial LLG in soft-float f32 only where flash is plentiful (the M0 runs it in I6F26)
    let skip = |method| cfg!(not(target_abi = "eabihf")) && method == Method::Inertial;
    all_methods::<S>(passed, failed, skip, run_method_thermal);
}

/// The deterministic methods in fixed-point (no Gaussian draws for fixed-point yet).
fn all_fixed(passed: &mut u32, failed: &mut u32) {
    let skip = |method| method == Method::HeunThermal;
    all_methods::<Q26>(passed, failed, skip, run_method);
}

/// Device time in scalar `S`: a field pulse 1 ns, 1 us, 1 ms and 1 s after the start must act
/// at step [`PULSE_ONSET_STEP`]; logs each result (`devicetime <scalar> start=.. step=..
/// bits=(..)`, compared bit for bit with the host by `tests/tests/parity.rs`).
#[inline(never)] // own stack frame
fn device_time<S: Real>(passed: &mut u32, failed: &mut u32) {
    for start in PULSE_STARTS {
        let ok = match pulse_onset::<S>(black_box(start)) {
            Ok((step, m)) => {
                let v = m.to_f64();
                let ok = step == PULSE_ONSET_STEP;
                defmt::info!(
                    "devicetime {=str} start={=f64} step={=u32} bits=({=u64}, {=u64}, {=u64}) {=str}",
                    S::NAME,
                    start,
                    step,
                    v[0].to_bits(),
                    v[1].to_bits(),
                    v[2].to_bits(),
                    if ok { "ok" } else { "FAIL" }
                );
                ok
            }
            Err(_) => {
                defmt::error!("devicetime {=str} start={=f64}: error FAIL", S::NAME, start);
                false
            }
        };
        *if ok { &mut *passed } else { &mut *failed } += 1;
    }
}

#[entry]
fn main() -> ! {
    stack::paint();
    defmt::info!("selftest on {=str}, {=str}", board::NAME, board::CPU);
    let (mut passed, mut failed) = (0u32, 0u32);
    // f32 first: hardware floating point on the Cortex-M4F, soft-float on the Cortex-M0.
    all_float::<f32>(&mut passed, &mut failed);
    all_fixed(&mut passed, &mut failed);
    // device time in soft-float f32 only where flash is plentiful (the M0 has 256 KiB)
    #[cfg(target_abi = "eabihf")]
    device_time::<f32>(&mut passed, &mut failed);
    device_time::<Q26>(&mut passed, &mut failed);
    // soft-float f64 (bit-identical to the host) where flash is plentiful
    #[cfg(target_abi = "eabihf")]
    all_float::<f64>(&mut passed, &mut failed);
    #[cfg(target_abi = "eabihf")]
    device_time::<f64>(&mut passed, &mut failed);

    // the 256-spin lattice where flash is plentiful (the M0 runs it in the `lattice` app: this
    // app leaves 10 KiB of its 256 KiB flash free, the lattice scenario takes 31 KiB)
    #[cfg(target_abi = "eabihf")]
    lattice::run::<SITES_256, BONDS_256>(16, None, &mut passed, &mut failed);

    stack::report();
    if failed == 0 {
        defmt::info!("selftest: all {=u32} checks passed", passed);
    } else {
        defmt::error!("selftest: {=u32} passed, {=u32} FAILED", passed, failed);
    }
    exit(failed == 0)
}

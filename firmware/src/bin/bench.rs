//! Benchmark: instructions (QEMU) or cycles (hardware) per step of every stepper on the
//! standard macrospin (uniaxial + demag + Zeeman), for each scalar type: f32 (hardware FPU on a
//! Cortex-M4F, soft-float on a Cortex-M0), fixed-point I6F26, and f64 (soft-float on both).
//! Each figure is one SysTick measurement of `n` consecutive steps divided by `n`, so its
//! resolution is one tick / `n` (QEMU: 40 instructions per tick on qemu-m4, 62.5 on qemu-m0).
//!
//! `rk4-generic` runs the compiled `Macrospin<S>` itself (its drive list, K2, absent terms and
//! torques are checked in every stage); the other lines run its specialised form
//! (`ConstantZeeman + Demag + UniaxialK1` as one concrete type, bit-identical results): the cost
//! of the physics alone.
//!
//! Log line per measurement (collected by `scripts/firmware-report.sh`):
//! `bench <method> <scalar> steps=<n> ticks=<t> instructions=<i> per_step=<i/n>`
#![no_std]
#![no_main]

use core::hint::black_box;

use cortex_m_rt::entry;
use larmor::random::Gaussian;
use larmor::stepper::{DormandPrince, Heun, Midpoint, Rk4};
use larmor::{Error, Real, Vec3};
use larmor_firmware::{bench, board, finish, start};
use larmor_scenarios::{
    d_per_kelvin, dopri_tolerance, run_method, run_system, run_thermal, specialize, standard_model,
    standard_spec, Method, Q26,
};

/// Steps per measurement: one tick is 0.01 (qemu-m4) or 0.016 (qemu-m0) instructions per step.
const STEPS: u32 = 4000;
/// Fewer steps for soft-float f64 (10-20x slower), still 0.1 instructions per step or better.
#[cfg(target_abi = "eabihf")]
const STEPS_F64: u32 = 1000;

/// Logs one measurement; false on a stepper error.
#[inline(never)] // own stack frame: scalars do not add up in main
fn report(
    method: &str,
    scalar: &str,
    n: u32,
    res: Result<Vec3<impl Real>, Error>,
    ticks: u64,
) -> bool {
    if res.is_err() {
        defmt::error!("bench {=str} {=str}: stepper error", method, scalar);
        return false;
    }
    let instructions = bench::ticks_to_instructions(ticks);
    let centi = instructions * 100 / u64::from(n);
    defmt::info!(
        "bench {=str} {=str} steps={=u32} ticks={=u64} instructions={=u64} per_step={=u64}.{=u64:02}",
        method,
        scalar,
        n,
        ticks,
        instructions,
        centi / 100,
        centi % 100
    );
    true
}

/// Measures the deterministic methods in scalar `S`: on the compiled `Macrospin<S>` as it is
/// (`generic`, with its `Option` terms and torques) and on its [`specialize`]d form (one
/// concrete type, what a firmware with a fixed model runs; same bits).
#[inline(never)] // own stack frame: scalars do not add up in main
fn deterministic<S: Real>(counter: &bench::Counter, n: u32) -> bool {
    let Ok((mut model, dt)) = standard_model::<S>() else {
        return false;
    };
    let Some(mut sys) = specialize(&model) else {
        return false;
    };
    let n = black_box(n);
    let mut ok = true;
    let (r, t) = counter.measure(|| run_method(&mut model, dt, Method::Rk4, n));
    ok &= report("rk4-generic", S::NAME, n, r, t);
    let m0 = model.m0;
    let (r, t) = counter.measure(|| run_system(&mut sys, m0, Rk4::new(), dt, n));
    ok &= report("rk4", S::NAME, n, r, t);
    let (r, t) = counter.measure(|| run_system(&mut sys, m0, Heun::new(), dt, n));
    ok &= report("heun", S::NAME, n, r, t);
    let (r, t) = counter.measure(|| run_system(&mut sys, m0, Midpoint::new(), dt, n));
    ok &= report("midpoint", S::NAME, n, r, t);
    let (r, t) =
        counter.measure(|| run_system(&mut sys, m0, DormandPrince::new(dopri_tolerance()), dt, n));
    ok &= report("dopri45", S::NAME, n, r, t);
    ok
}

/// Measures Heun with thermal noise (one 3-component Gaussian draw per step) in scalar `S`.
#[inline(never)] // own stack frame: scalars do not add up in main
fn thermal<S: Real + Gaussian>(counter: &bench::Counter, n: u32) -> bool {
    let (Ok((mut model, dt)), Ok(d)) = (standard_model::<S>(), d_per_kelvin(&standard_spec()))
    else {
        return false;
    };
    let n = black_box(n);
    let (r, t) = counter.measure(|| run_thermal(&mut model, S::from_f64(d), dt, n));
    report(Method::HeunThermal.name(), S::NAME, n, r, t)
}

#[entry]
fn main() -> ! {
    let counter = start("bench");
    let mut ok = true;
    ok &= deterministic::<f32>(&counter, STEPS);
    ok &= thermal::<f32>(&counter, STEPS);
    ok &= deterministic::<Q26>(&counter, STEPS);
    // soft-float f64 only where flash is plentiful (the M0's 256 KiB would not hold it)
    #[cfg(target_abi = "eabihf")]
    {
        ok &= deterministic::<f64>(&counter, STEPS_F64);
        ok &= thermal::<f64>(&counter, STEPS_F64);
    }
    if board::EMULATED {
        let res = bench::DECI_INSTRUCTIONS_PER_TICK;
        defmt::info!(
            "bench: 1 tick = {=u32}.{=u32} instructions (QEMU -icount shift=0)",
            res / 10,
            res % 10
        );
    }
    finish(ok, "bench: done", "bench: a stepper failed")
}

//! The lattice scenario on a board ([`larmor_scenarios::lattice`]): builds the periodic
//! square lattice, runs LLG (midpoint stepper) and Metropolis Monte Carlo from the same random
//! start, checks each result against its golden hash from the host, and logs the lines
//! `tests/tests/parity.rs` compares bit for bit. Shared by the `selftest` and `lattice` apps.
//!
//! Log lines:
//! - `lattice memory sites=.. lattice=.. state=.. stepper=.. model=.. total=.. budget=..`
//!   (`core::mem::size_of` of each part on this target, bytes);
//! - `lattice llg f32 sites=.. steps=.. hash=.. e0=.. e=.. m=(..) bits=(..) e_bits=..
//!   norm_err=.. ok|FAIL` and `lattice mc f32 sites=.. steps=<sweeps> hash=.. ... ok|FAIL`
//!   (`bits`: the mean m as f32 bits; the hash covers every spin);
//! - with a counter: `lattice instructions sites=.. llg_per_step=.. per_spin=..
//!   mc_per_sweep=.. per_move=..` (SysTick: instructions under QEMU, cycles on hardware).

use core::hint::black_box;

use larmor::stepper::Midpoint;
use larmor::Vec3;
use larmor_scenarios::lattice::{
    self, square, Memory, Parts, SquareLattice, LLG_STEPS, MC_SWEEPS, NORM_BOUND,
};

use crate::bench::{self, Counter};

/// The lattice's RAM budget (bytes): state, neighbour lists, parameters, stepper scratch.
pub const BUDGET: u32 = 16 * 1024;

/// Counts one check.
fn count(ok: bool, passed: &mut u32, failed: &mut u32) {
    *if ok { passed } else { failed } += 1;
}

/// `x / n` with two decimals, as (integer part, hundredths).
fn centi(x: u64, n: u64) -> (u64, u64) {
    let c = x * 100 / n.max(1);
    (c / 100, c % 100)
}

/// The lattice scenario with `side x side` spins in capacities `N` sites and `NB` bonds; with
/// a `counter`, also the instructions (cycles) per LLG step and per Monte Carlo sweep. Adds
/// its checks (memory budget, LLG, Monte Carlo) to `passed` / `failed`.
///
/// Two frames: this one holds the built lattice, the next one the state and the stepper, so
/// the lattice builder's own frame and the stepper's scratch are never on the stack together.
#[inline(never)]
pub fn run<const N: usize, const NB: usize>(
    side: usize,
    counter: Option<&Counter>,
    passed: &mut u32,
    failed: &mut u32,
) {
    let mem = Memory::of::<N, NB>();
    defmt::info!(
        "lattice memory sites={=u32} lattice={=u32} state={=u32} stepper={=u32} model={=u32} total={=u32} budget={=u32}",
        mem.sites,
        mem.lattice,
        mem.state,
        mem.stepper,
        mem.model,
        mem.total,
        BUDGET
    );
    count(mem.total <= BUDGET, passed, failed);
    // borrowed from the result, not moved out of it (a move is a copy through the stack)
    let built = square::<N, NB>(black_box(side));
    let Ok(lat) = &built else {
        defmt::error!("lattice: the {=usize}^2 lattice does not build FAIL", side);
        *failed += 1;
        return;
    };
    on(lat, counter, passed, failed);
}

/// The runs on a built lattice (see [`run`]).
#[inline(never)]
fn on<const N: usize, const NB: usize>(
    lat: &SquareLattice<N, NB>,
    counter: Option<&Counter>,
    passed: &mut u32,
    failed: &mut u32,
) {
    let mut state = [Vec3::ZERO; N];
    let mut stepper = Midpoint::new();
    let mut parts = Parts::new(lat, &mut state, &mut stepper);
    let sites = parts.sites() as u32;

    // LLG: the same sequence as `Parts::llg`, with the steps alone measured
    let steps = black_box(LLG_STEPS);
    parts.reset();
    let e0 = parts.energy();
    let (res, llg_ticks) = match counter {
        Some(c) => c.measure(|| parts.run_llg(steps)),
        None => (parts.run_llg(steps), 0),
    };
    let ok = match res {
        Ok(()) => {
            let r = parts.llg_report(steps, e0);
            let ok = lattice::golden("llg", sites, r.steps) == Some(r.hash)
                && r.norm_err <= NORM_BOUND
                && r.e < r.e0
                && r.m.is_finite();
            defmt::info!(
                "lattice llg f32 sites={=u32} steps={=u32} hash={=u64} e0={=f32} e={=f32} m=({=f32}, {=f32}, {=f32}) bits=({=u32}, {=u32}, {=u32}) e_bits={=u32} norm_err={=f32} {=str}",
                sites,
                r.steps,
                r.hash,
                r.e0,
                r.e,
                r.m.x,
                r.m.y,
                r.m.z,
                r.m.x.to_bits(),
                r.m.y.to_bits(),
                r.m.z.to_bits(),
                r.e.to_bits(),
                r.norm_err,
                if ok { "ok" } else { "FAIL" }
            );
            ok
        }
        Err(_) => {
            defmt::error!("lattice llg f32 sites={=u32}: stepper error FAIL", sites);
            false
        }
    };
    count(ok, passed, failed);

    // Monte Carlo: the same sequence as `Parts::mc`
    let sweeps = black_box(MC_SWEEPS);
    parts.reset();
    let Ok(mut mc) = Parts::<N, NB>::sampler() else {
        defmt::error!("lattice mc: no sampler FAIL");
        *failed += 1;
        return;
    };
    let ((), mc_ticks) = match counter {
        Some(c) => c.measure(|| parts.run_mc(&mut mc, sweeps)),
        None => (parts.run_mc(&mut mc, sweeps), 0),
    };
    let r = parts.mc_report(sweeps, &mc);
    let ok = lattice::golden("mc", sites, r.sweeps) == Some(r.hash)
        && r.acceptance > 0.0
        && r.acceptance < 1.0;
    defmt::info!(
        "lattice mc f32 sites={=u32} steps={=u32} hash={=u64} e={=f32} m=({=f32}, {=f32}, {=f32}) bits=({=u32}, {=u32}, {=u32}) e_bits={=u32} acceptance={=f64} {=str}",
        sites,
        r.sweeps,
        r.hash,
        r.e,
        r.m.x,
        r.m.y,
        r.m.z,
        r.m.x.to_bits(),
        r.m.y.to_bits(),
        r.m.z.to_bits(),
        r.e.to_bits(),
        r.acceptance,
        if ok { "ok" } else { "FAIL" }
    );
    count(ok, passed, failed);

    if counter.is_some() {
        let llg = bench::ticks_to_instructions(llg_ticks);
        let mc = bench::ticks_to_instructions(mc_ticks);
        let n = u64::from(sites);
        let (a, b) = centi(llg, u64::from(steps));
        let (c, d) = centi(llg, u64::from(steps) * n);
        let (e, f) = centi(mc, u64::from(sweeps));
        let (g, h) = centi(mc, u64::from(sweeps) * n);
        defmt::info!(
            "lattice {=str} sites={=u32} llg_per_step={=u64}.{=u64:02} per_spin={=u64}.{=u64:02} mc_per_sweep={=u64}.{=u64:02} per_move={=u64}.{=u64:02}",
            crate::board::UNIT,
            sites,
            a,
            b,
            c,
            d,
            e,
            f,
            g,
            h
        );
    }
}

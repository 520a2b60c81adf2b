//! Command `larmor bench`: throughput of the standard macrospin cases (median of 5 runs after a
//! warm-up).
//!
//! Cases (room temperature and spin torque):
//! - `a_rk4`: free layer Ms = 1e6 A/m, alpha = 0.01, disc 40 nm x 1.5 nm, demag (0, 0, 1),
//!   Ku = 878318.5 J/m^3 along z (mu0 H_K,eff = 0.5 T), m0 = (0.6, 0, 0.8), 0.1 T at 30 degrees
//!   from z in the xz-plane, RK4, dt = 0.1 ps, 10 ns, one sample kept every 100 steps;
//! - `b_heun_300k`: the same with Heun at 300 K;
//! - `c_stt_rk4`: the same layer, p = +z, P = 0.6, Lambda = 1, J = 1e11 A/m^2, no field,
//!   m0 tilted 1 degree from -z, RK4, 10 ns;
//! - `d_ensemble_heun_300k`: 1000 independent 5 ns trials of case b (trial k: seed k) on all
//!   cores, eight at a time in the lanes of one `Lanes<f64, 8>` scalar, as `larmor ensemble`
//!   runs them;
//! - `d_ensemble_one_by_one`: the same trials one by one (`--lanes 1`), with the same bits;
//! - `e_settled_f64`, `e_settled_f32`: a long run near equilibrium, where emulators and retention
//!   runs spend their time. The layer of case c starts at -z in 10 mT along x, gets a 1 ns
//!   pulse of 1e11 A/m^2 at 0.1 ns, switches and settles; RK4, dt = 0.1 ps. The rate of the
//!   whole 1 us run is compared with that of its first 10 ns (the fresh run): the settled
//!   state's decaying deviations must not slow the loop down (subnormal numbers would, by 2.4x
//!   in f64 and 8x in f32);
//! - `a_time_to_solution`: the wall time to reach case a's state at 10 ns to
//!   |m - m_ref| <= 1e-7, by Larmor's fastest way: RK4 with the largest step, or dopri45 or dop853
//!   with the loosest tolerance (atol = rtol), that meets it, each found by bisection; m_ref is RK4 at
//!   1 fs, checked against dopri45 at atol = rtol = 1e-14 (`reference_check`).
//!
//! Lattice cases (one thread; `steps` counts single-spin updates, so `steps_per_s` is
//! spin-steps or attempted moves per second per core):
//! - `f_lattice_heun_300k`: a periodic 8 x 8 x 8 simple-cubic lattice (512 spins),
//!   nearest-neighbour exchange J = 7.05e-21 J, uniaxial K = 5.65e-25 J per atom along z,
//!   mu_s = 2.22 mu_B (the iron-like constants of `examples/lattice/nanoparticle.toml`; on this
//!   lattice Tc = 1.443 J/kB = 737 K), alpha = 0.1, from +z, stochastic Heun at 300 K,
//!   dt = 0.1 fs, 2 ps (20000 steps): the scenario lowered and run as `larmor run` runs it
//!   ([`crate::exec::lattice::bench`]), without output; the spin-steps are steps x 512;
//! - `g_mc_ising`, `g_mc_heisenberg`: 4000 Metropolis sweeps of single-spin moves on the same
//!   lattice with J = 1 (reduced), from +z, at half the model's Tc (Ising Tc = 4.5115 J/kB,
//!   Heisenberg 1.4430 J/kB); Heisenberg proposals `normalise(m + g)` with `g` Gaussian of
//!   width 1 (the `larmor mc` default), through the terms `larmor mc` uses.
//!
//! Write-error rates (the README's MRAM example, `examples/mram_switching.toml`, with its pulse
//! amplitude changed; all threads):
//! - `h_wer_fp_1e13`: `larmor wer --method fp` at 1.9e11 A/m^2 (WER 1.4e-13; the default grid
//!   of 1000 cells and dt 1e-12 s, with the two coarser solves of the error estimate), wall time
//!   per estimate (median); `steps` counts the fine level's time steps;
//! - `h_wer_ams_1e9`: `larmor wer --method ams --replicas 100 --runs 20 --seed 3` at
//!   1.5e11 A/m^2 (WER 1.25e-9, a standard error near 10 %), timed once whatever `--runs` (it
//!   takes most of a minute), with the Fokker-Planck reference (`--grid 2000 --dt 1e-13`) and
//!   whether it lies in the interval; `steps` counts the steps integrated.

use std::time::Instant;

use clap::Args;
use larmor::drive::DriveSpec;
use larmor::field::ConstantZeeman;
use larmor::integrate::Control;
use larmor::lanes::{LaneStreams, Lanes};
use larmor::lattice::mc::{MonteCarlo, Rule, Spin};
use larmor::lattice::{Boundary, Exchange, LatticeSpec};
use larmor::params::{CurrentSpec, Macrospin, MacrospinSpec, Span, SttSpec, ThermalSpec};
use larmor::random::{Gaussian, Philox};
use larmor::stepper::Heun;
use larmor::stepper::Stepper;
use larmor::{Real, Vec3};
use rayon::prelude::*;

use crate::commands::wer::{fp_point, read_time, FpSettings, Start};
use crate::error::{HostError, Result};
use crate::exec::ams::{ams_wer, AmsSettings};
use crate::exec::campaign::Campaign;
use crate::exec::lattice::{bench as lattice_bench, BenchOutcome};
use crate::exec::mc::AnyLattice;
use crate::exec::pool::pool;
use crate::exec::solver::{with_stepper, StepperTask};
use crate::scenario::{Method, Scenario, Solver};

/// Arguments of `larmor bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// One JSON object per line (otherwise a table).
    #[arg(long)]
    pub json: bool,
    /// Only cases whose name contains this.
    #[arg(long)]
    pub case: Option<String>,
    /// Timed repetitions (the median is reported).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    pub runs: u32,
    /// Worker threads for the ensemble and write-error-rate cases (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
}

const DT: f64 = 1e-13;

/// Case a is the project's standard macrospin, defined once for the firmware, the parity test
/// and this benchmark (`larmor_scenarios::standard_spec`).
fn case_a() -> MacrospinSpec {
    larmor_scenarios::standard_spec()
}

fn case_b() -> MacrospinSpec {
    let mut s = case_a();
    s.thermal = Some(ThermalSpec {
        temperature: DriveSpec::Constant(300.0),
    });
    s
}

fn case_c() -> MacrospinSpec {
    let mut s = case_a();
    s.applied = [0.0; 3];
    let th = 1f64.to_radians();
    s.m0 = [th.sin(), 0.0, -th.cos()];
    s.stt = Some(SttSpec {
        polarizer: [0.0, 0.0, 1.0],
        polarization: 0.6,
        lambda: 1.0,
        field_like: 0.0,
        current: CurrentSpec::Density(DriveSpec::Constant(1e11)),
        thickness: None,
    });
    s
}

fn case_e() -> MacrospinSpec {
    let mut s = case_c();
    s.applied = [0.01, 0.0, 0.0];
    s.m0 = [0.0, 0.0, -1.0];
    s.stt = s.stt.map(|stt| SttSpec {
        current: CurrentSpec::Density(DriveSpec::Pulse {
            amplitude: 1e11,
            start: 0.1e-9,
            duration: 1e-9,
            rise: 0.0,
            fall: 0.0,
        }),
        ..stt
    });
    s
}

fn compile<S: Real + Gaussian>(s: &MacrospinSpec) -> Result<Macrospin<S>> {
    s.compile().map_err(|e| HostError::runtime(e.to_string()))
}

/// Integrates `duration` seconds keeping one sample every 100 steps; returns steps. Heun for
/// the thermal cases, RK4 otherwise, through the one solver dispatch.
fn single<S: Real + Gaussian>(
    model: &Macrospin<S>,
    duration: f64,
    thermal: bool,
    seed: u64,
    samples: &mut Vec<Vec3<S>>,
) -> Result<u64> {
    let solver = Solver {
        method: if thermal { Method::Heun } else { Method::Rk4 },
        dt: DT,
        duration,
        atol: Solver::DEFAULT_TOL,
        rtol: Solver::DEFAULT_TOL,
        max_steps: u64::MAX,
    };
    Ok(solve(model, &solver, seed, samples)?.0)
}

/// Integrates `solver.duration` seconds from `m0` with `solver` (the first step `solver.dt`),
/// keeping one sample every 100 steps; returns (accepted steps, final m).
fn solve<S: Real + Gaussian>(
    model: &Macrospin<S>,
    solver: &Solver,
    seed: u64,
    samples: &mut Vec<Vec3<S>>,
) -> Result<(u64, Vec3<S>)> {
    let u = model.units;
    let (dt, t_end) = (
        u.time_to_reduced(solver.dt),
        u.time_to_reduced(solver.duration),
    );
    let task = Single {
        model,
        dt,
        t_end,
        seed,
        samples,
    };
    with_stepper(solver, dt, t_end, task)?
}

/// One timed run, waiting for its stepper.
struct Single<'a, S: Real + Gaussian> {
    model: &'a Macrospin<S>,
    dt: f64,
    t_end: f64,
    seed: u64,
    samples: &'a mut Vec<Vec3<S>>,
}

impl<S: Real + Gaussian> StepperTask<S> for Single<'_, S> {
    type Output = Result<(u64, Vec3<S>)>;

    fn run<St: Stepper<S, 1>>(self, stepper: St) -> Result<(u64, Vec3<S>)> {
        let mut m = [self.model.m0];
        let samples = self.samples;
        samples.clear();
        let mut obs = |k: u64, _t: f64, m: &[Vec3<S>]| {
            if k % 100 == 0 {
                samples.push(m[0]);
            }
            Control::Continue
        };
        let mut rng = Philox::new(self.seed, 0);
        let span = Span {
            t0: 0.0,
            t_end: self.t_end,
            dt: self.dt,
        };
        let stats = self
            .model
            .integrate(&mut rng, stepper, &mut m, span, &mut [], &mut obs);
        let steps = stats.map_err(|e| HostError::runtime(e.to_string()))?.steps;
        Ok((steps, m[0]))
    }
}

/// Case b's trials `k0 .. k0 + L` (seeds `k0 + i`, stream 0, as [`single`] runs them) in the
/// lanes of one [`Lanes`] scalar: Heun for `duration` seconds, one sample (of all lanes) every
/// 100 steps; returns the steps of all lanes.
fn lanes_heun<const L: usize>(
    model: &Macrospin<Lanes<f64, L>>,
    duration: f64,
    k0: u64,
    samples: &mut Vec<Vec3<Lanes<f64, L>>>,
) -> Result<u64> {
    let u = model.units;
    let span = Span {
        t0: 0.0,
        t_end: u.time_to_reduced(duration),
        dt: u.time_to_reduced(DT),
    };
    let mut m = [model.m0];
    samples.clear();
    let mut obs = |k: u64, _t: f64, m: &[Vec3<Lanes<f64, L>>]| {
        if k % 100 == 0 {
            samples.push(m[0]);
        }
        Control::Continue
    };
    let mut rng = LaneStreams(core::array::from_fn(|i| Philox::new(k0 + i as u64, 0)));
    let stats = model.integrate(&mut rng, Heun::new(), &mut m, span, &mut [], &mut obs);
    Ok(stats.map_err(|e| HostError::runtime(e.to_string()))?.steps * L as u64)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Case e in scalar `S`: (steps, median wall time) of the 1 us run, and the steps per second
/// of its first 10 ns.
fn settled<S: Real + Gaussian>(runs: u32) -> Result<(u64, f64, f64)> {
    let model = compile::<S>(&case_e())?;
    let mut samples = Vec::with_capacity(100_100);
    let mut time = |duration: f64| -> Result<(u64, f64)> {
        single(&model, duration, false, 0, &mut samples)?; // warm-up
        let mut walls = Vec::new();
        let mut steps = 0;
        for _ in 0..runs {
            let t = Instant::now();
            steps = single(&model, duration, false, 0, &mut samples)?;
            walls.push(t.elapsed().as_secs_f64());
        }
        std::hint::black_box(&samples);
        Ok((steps, median(walls)))
    };
    let (fresh_steps, fresh_wall) = time(10e-9)?;
    let (steps, wall) = time(1e-6)?;
    Ok((steps, wall, fresh_steps as f64 / fresh_wall))
}

/// A key added to a case's report: (JSON key, JSON value, the table's text for it).
type Extra = (&'static str, String, String);

/// The fresh rate and the settled/fresh ratio, for the report.
fn settled_extra(steps: u64, wall: f64, fresh: f64) -> [Extra; 2] {
    let ratio = steps as f64 / wall / fresh;
    [
        (
            "fresh_steps_per_s",
            fresh.round().to_string(),
            format!("fresh {:.2} M steps/s", fresh / 1e6),
        ),
        (
            "settled_over_fresh",
            ratio.to_string(),
            format!("settled/fresh {ratio:.3}"),
        ),
    ]
}

/// Largest final-state error |m - m_ref| of a solution in `a_time_to_solution`.
const TTS_TARGET: f64 = 1e-7;
/// Simulated time of `a_time_to_solution` (s).
const TTS_DURATION: f64 = 10e-9;

/// Case a to `TTS_DURATION` with `method`: RK4 with step `param` (s), or an adaptive
/// method (dopri45, dop853) with atol = rtol = `param` (first step 0.1 ps).
fn tts_solver(method: Method, param: f64) -> Solver {
    let adaptive = method.adaptive();
    Solver {
        method,
        dt: if adaptive { DT } else { param },
        duration: TTS_DURATION,
        atol: if adaptive { param } else { Solver::DEFAULT_TOL },
        rtol: if adaptive { param } else { Solver::DEFAULT_TOL },
        max_steps: u64::MAX,
    }
}

/// A way to case a's 10 ns state: its solver parameter (RK4 step in s, or dopri45 tolerance),
/// accepted steps, error against the reference, and median wall time (s).
#[derive(Clone, Copy, Debug)]
struct Solution {
    method: Method,
    param: f64,
    steps: u64,
    error: f64,
    wall: f64,
}

/// Bisection for the largest `param` in [`lo`, `hi`] (geometric, `iters` halvings) whose
/// final state is within `TTS_TARGET` of `reference`, after widening `hi` down by `factor`
/// until it meets it. `lo` must meet it. Returns the solution (not timed yet).
fn tts_search(
    model: &Macrospin<f64>,
    method: Method,
    reference: Vec3<f64>,
    start: f64,
    factor: f64,
    iters: u32,
) -> Result<Solution> {
    let mut samples = Vec::with_capacity(1 << 16);
    let mut error_at = |param: f64| -> (u64, f64) {
        match solve(model, &tts_solver(method, param), 0, &mut samples) {
            Ok((steps, m)) => {
                let e = (m - reference).norm();
                // a NaN error fails like an infinite one
                (steps, if e.is_finite() { e } else { f64::INFINITY })
            }
            // a step too large to stay finite is simply too large
            Err(_) => (0, f64::INFINITY),
        }
    };
    // walk down from `start` by `factor` to the first parameter that meets the target
    let (mut fail, mut pass) = (start, start);
    let mut best = error_at(pass);
    let mut tries = 0;
    while best.1 > TTS_TARGET {
        tries += 1;
        if tries > 40 {
            return Err(HostError::runtime(format!(
                "a_time_to_solution: {} reaches no error <= {TTS_TARGET:e} down to {pass:e}",
                method.name()
            )));
        }
        fail = pass;
        pass /= factor;
        best = error_at(pass);
    }
    if fail != pass {
        for _ in 0..iters {
            let mid = (fail * pass).sqrt();
            let r = error_at(mid);
            if r.1 <= TTS_TARGET {
                pass = mid;
                best = r;
            } else {
                fail = mid;
            }
        }
    }
    Ok(Solution {
        method,
        param: pass,
        steps: best.0,
        error: best.1,
        wall: f64::NAN,
    })
}

/// Case `a_time_to_solution`: the reference, its check against dopri45 at 1e-14, and the
/// timed RK4 and dopri45 solutions.
fn time_to_solution(runs: u32) -> Result<(Vec3<f64>, f64, [Solution; 3])> {
    let model = compile::<f64>(&case_a())?;
    let mut samples = Vec::with_capacity(1 << 20);
    let (_, reference) = solve(&model, &tts_solver(Method::Rk4, 1e-15), 0, &mut samples)?;
    let (_, tight) = solve(&model, &tts_solver(Method::Dopri45, 1e-14), 0, &mut samples)?;
    let check = (tight - reference).norm();
    let mut found = [
        // RK4 from 100 ps down by halves, then 8 bisections (0.3 %)
        tts_search(&model, Method::Rk4, reference, 1e-10, 2.0, 8)?,
        // dopri45 from 1e-3 down by decades, then 8 bisections (1 %)
        tts_search(&model, Method::Dopri45, reference, 1e-3, 10.0, 8)?,
        // dop853 the same way
        tts_search(&model, Method::Dop853, reference, 1e-3, 10.0, 8)?,
    ];
    for sol in &mut found {
        let solver = tts_solver(sol.method, sol.param);
        solve(&model, &solver, 0, &mut samples)?; // warm-up
        let mut walls = Vec::new();
        for _ in 0..runs {
            let t = Instant::now();
            solve(&model, &solver, 0, &mut samples)?;
            walls.push(t.elapsed().as_secs_f64());
        }
        std::hint::black_box(&samples);
        sol.wall = median(walls);
    }
    Ok((reference, check, found))
}

/// The faster of the two solutions.
fn fastest(found: &[Solution]) -> Solution {
    let mut best = found[0];
    for s in &found[1..] {
        if s.wall < best.wall {
            best = *s;
        }
    }
    best
}

/// The report's keys of `a_time_to_solution`: the chosen (fastest) way, then both.
fn tts_extra(reference: Vec3<f64>, check: f64, found: &[Solution; 3]) -> Vec<Extra> {
    let best = fastest(found);
    let describe = |s: &Solution| match s.method {
        Method::Dopri45 | Method::Dop853 => format!("{} tol {:.3e}", s.method.name(), s.param),
        _ => format!("{} dt {:.4e} s", s.method.name(), s.param),
    };
    let mut extra = vec![
        (
            "method",
            format!("\"{}\"", best.method.name()),
            describe(&best),
        ),
        (
            "time_to_solution_s",
            format!("{:.6e}", best.wall),
            format!("{:.3} ms", best.wall * 1e3),
        ),
        (
            "error",
            format!("{:.3e}", best.error),
            format!("error {:.2e}", best.error),
        ),
        ("target", format!("{TTS_TARGET:e}"), String::new()),
        (
            "reference",
            format!("[{},{},{}]", reference.x, reference.y, reference.z),
            String::new(),
        ),
        (
            "reference_check",
            format!("{check:.3e}"),
            format!("reference vs dopri45 1e-14: {check:.1e}"),
        ),
    ];
    for (s, key) in found.iter().zip(["rk4", "dopri45", "dop853"]) {
        let text = format!(
            "{}: {} steps {:.3} ms error {:.2e}",
            describe(s),
            s.steps,
            s.wall * 1e3,
            s.error
        );
        extra.push((
            key,
            format!(
                "{{\"param\":{:e},\"steps\":{},\"wall_s\":{:.6e},\"error\":{:.3e}}}",
                s.param, s.steps, s.wall, s.error
            ),
            text,
        ));
    }
    extra
}

/// Case f as the scenario a user would write (see the module docs).
const CASE_F: &str = r#"
[lattice]
kind = "sc"
size = 8
boundary = "periodic"
j = 7.05e-21
anisotropy = { k = 5.65e-25, axis = [0, 0, 1] }
mu_s = 2.22
temperature = 300.0
alpha = 0.1
initial = "uniform"
m0 = [0, 0, 1]

[solver]
method = "heun"
dt = 1e-16
duration = 2e-12
"#;

/// Case f: (spin-steps, median wall time, the last run's outcome).
fn lattice_heun(runs: u32) -> Result<(u64, f64, BenchOutcome)> {
    let plan = crate::scenario::lattice::from_text("bench f_lattice_heun_300k", CASE_F)?;
    let lat = AnyLattice::build(plan.spec, plan.sites)?;
    lattice_bench(&plan, &lat, 0)?; // warm-up
    let mut walls = Vec::new();
    let mut last = None;
    for r in 0..runs {
        let t = Instant::now();
        let out = lattice_bench(&plan, &lat, r as u64 + 1)?;
        walls.push(t.elapsed().as_secs_f64());
        last = Some(out);
    }
    let out = last.ok_or_else(|| HostError::runtime("no timed run"))?;
    Ok((out.steps * out.sites as u64, median(walls), out))
}

/// Cases g: (attempted moves, median wall time, acceptance, final |<m>|).
fn mc_case(spin: Spin, runs: u32) -> Result<(u64, f64, f64, f64)> {
    const SWEEPS: u64 = 4000;
    let spec = LatticeSpec::simple_cubic(8, Boundary::Periodic);
    let lat = AnyLattice::build(spec, 512)?;
    let ex = Exchange::<f64>::uniform(lat.neighbours(), 1.0);
    // the terms of `larmor mc` (exchange, no field)
    let terms = (ex, None::<ConstantZeeman<f64>>);
    let tc = if spin == Spin::Ising { 4.5115 } else { 1.4430 };
    let n = lat.sites();
    let one = |seed: u64| -> Result<(f64, f64)> {
        let rng = Philox::new(seed, 0);
        let mut mc = MonteCarlo::new(spin, Rule::Metropolis { step: 1.0 }, 0.5 * tc, rng)
            .map_err(|e| HostError::runtime(e.to_string()))?;
        let mut m = vec![Vec3::<f64>::Z; n];
        let mut de = 0.0;
        for _ in 0..SWEEPS {
            de += mc.sweep(&terms, &mut m);
        }
        std::hint::black_box(de);
        let s = m.iter().fold(Vec3::ZERO, |a, &v| a + v);
        Ok((mc.acceptance(), s.norm() / n as f64))
    };
    one(0)?; // warm-up
    let mut walls = Vec::new();
    let mut last = (0.0, 0.0);
    for r in 0..runs {
        let t = Instant::now();
        last = one(r as u64 + 1)?;
        walls.push(t.elapsed().as_secs_f64());
    }
    Ok((SWEEPS * n as u64, median(walls), last.0, last.1))
}

/// Runs `larmor bench`.
pub fn run(args: &BenchArgs) -> Result<()> {
    const CASES: [&str; 13] = [
        "a_rk4",
        "a_time_to_solution",
        "b_heun_300k",
        "c_stt_rk4",
        "d_ensemble_heun_300k",
        "d_ensemble_one_by_one",
        "e_settled_f64",
        "e_settled_f32",
        "f_lattice_heun_300k",
        "g_mc_ising",
        "g_mc_heisenberg",
        "h_wer_fp_1e13",
        "h_wer_ams_1e9",
    ];
    let want = |name: &str| args.case.as_deref().is_none_or(|c| name.contains(c));
    // every option checked before anything runs
    if !CASES.iter().any(|c| want(c)) {
        return Err(HostError::input(format!(
            "--case = {:?} matches no case: allowed a part of one of {}",
            args.case.as_deref().unwrap_or_default(),
            CASES.join(", ")
        )));
    }
    // checked before anything runs
    let pool =
        if want("d_ensemble_heun_300k") || want("d_ensemble_one_by_one") || want("h_wer_ams_1e9") {
            Some(pool(args.threads)?)
        } else {
            None
        };
    let mut samples = Vec::with_capacity(1100);
    let report = |case: &str, steps: u64, wall: f64, extra: &[Extra]| {
        let rate = steps as f64 / wall;
        if args.json {
            let more: String = extra
                .iter()
                .map(|(key, v, _)| format!(",\"{key}\":{v}"))
                .collect();
            crate::say!(
                "{{\"case\":\"{case}\",\"steps\":{steps},\"wall_s\":{wall:.6},\"steps_per_s\":{rate:.0}{more}}}"
            );
        } else {
            let more: String = extra
                .iter()
                .filter(|(_, _, text)| !text.is_empty())
                .map(|(_, _, text)| format!(", {text}"))
                .collect();
            crate::say!(
                "{case:<22} {steps:>10} steps  {wall:>9.4} s  {:>7.2} M steps/s{more}",
                rate / 1e6
            );
        }
    };
    for (name, spec, thermal) in [
        ("a_rk4", case_a(), false),
        ("b_heun_300k", case_b(), true),
        ("c_stt_rk4", case_c(), false),
    ] {
        if !want(name) {
            continue;
        }
        let model = compile::<f64>(&spec)?;
        single(&model, 10e-9, thermal, 0, &mut samples)?; // warm-up
        let mut walls = Vec::new();
        let mut steps = 0;
        for r in 0..args.runs {
            let t = Instant::now();
            steps = single(&model, 10e-9, thermal, r as u64 + 1, &mut samples)?;
            walls.push(t.elapsed().as_secs_f64());
        }
        std::hint::black_box(&samples);
        report(name, steps, median(walls), &[]);
    }
    if want("a_time_to_solution") {
        let (reference, check, found) = time_to_solution(args.runs)?;
        let extra = tts_extra(reference, check, &found);
        let best = fastest(&found);
        report("a_time_to_solution", best.steps, best.wall, &extra);
    }
    if let (true, Some(pool)) = (
        want("d_ensemble_heun_300k") || want("d_ensemble_one_by_one"),
        &pool,
    ) {
        let model = compile::<f64>(&case_b())?;
        let lane_model: Macrospin<Lanes<f64, 8>> = case_b()
            .compile()
            .map_err(|e| HostError::runtime(e.to_string()))?;
        const TRIALS: u64 = 1000;
        // trials 0..1000 in 125 batches of eight, or one by one: the same trials, bit for bit
        let in_lanes = || -> Result<u64> {
            pool.install(|| {
                (0..TRIALS / 8)
                    .into_par_iter()
                    .map(|b| lanes_heun(&lane_model, 5e-9, b * 8, &mut Vec::with_capacity(600)))
                    .sum::<Result<u64>>()
            })
        };
        let one_by_one = || -> Result<u64> {
            pool.install(|| {
                (0..TRIALS)
                    .into_par_iter()
                    .map(|k| single(&model, 5e-9, true, k, &mut Vec::with_capacity(600)))
                    .sum::<Result<u64>>()
            })
        };
        let cases: [(&str, &(dyn Fn() -> Result<u64> + Sync)); 2] = [
            ("d_ensemble_heun_300k", &in_lanes),
            ("d_ensemble_one_by_one", &one_by_one),
        ];
        for (name, run_all) in cases {
            if !want(name) {
                continue;
            }
            run_all()?;
            let mut walls = Vec::new();
            let mut steps = 0;
            for _ in 0..args.runs {
                let t = Instant::now();
                steps = run_all()?;
                walls.push(t.elapsed().as_secs_f64());
            }
            let wall = median(walls);
            let runs = TRIALS as f64 / wall;
            let text = format!("{runs:.1} runs/s");
            report(name, steps, wall, &[("runs_per_s", runs.to_string(), text)]);
        }
    }
    if want("e_settled_f64") {
        let (steps, wall, fresh) = settled::<f64>(args.runs)?;
        report(
            "e_settled_f64",
            steps,
            wall,
            &settled_extra(steps, wall, fresh),
        );
    }
    if want("e_settled_f32") {
        let (steps, wall, fresh) = settled::<f32>(args.runs)?;
        report(
            "e_settled_f32",
            steps,
            wall,
            &settled_extra(steps, wall, fresh),
        );
    }
    if want("f_lattice_heun_300k") {
        let (steps, wall, out) = lattice_heun(args.runs)?;
        let m = out.m;
        let m_abs = (m[0] * m[0] + m[1] * m[1] + m[2] * m[2]).sqrt();
        report(
            "f_lattice_heun_300k",
            steps,
            wall,
            &[
                (
                    "spins",
                    out.sites.to_string(),
                    format!("{} spins", out.sites),
                ),
                (
                    "lattice_steps",
                    out.steps.to_string(),
                    format!("{} lattice steps", out.steps),
                ),
                ("m", m_abs.to_string(), format!("|<m>| {m_abs:.4}")),
                (
                    "norm_error",
                    out.norm_error.to_string(),
                    format!("max ||m_i| - 1| {:.1e}", out.norm_error),
                ),
            ],
        );
    }
    for (name, spin) in [
        ("g_mc_ising", Spin::Ising),
        ("g_mc_heisenberg", Spin::Heisenberg),
    ] {
        if !want(name) {
            continue;
        }
        let (moves, wall, acc, m) = mc_case(spin, args.runs)?;
        report(
            name,
            moves,
            wall,
            &[
                (
                    "acceptance",
                    acc.to_string(),
                    format!("acceptance {acc:.3}"),
                ),
                ("m", m.to_string(), format!("|<m>| {m:.4}")),
            ],
        );
    }
    if want("h_wer_fp_1e13") {
        let sc = wer_cell(1.9e11)?;
        let read = read_time(&sc)?;
        let fp = FpSettings::defaults(read)?;
        let mut e = fp_point(&sc, &sc.spec, read, fp)?; // warm-up
        let mut walls = Vec::new();
        for _ in 0..args.runs {
            let t = Instant::now();
            e = fp_point(&sc, &sc.spec, read, fp)?;
            walls.push(t.elapsed().as_secs_f64());
        }
        let steps = (read / fp.dt).ceil() as u64;
        report(
            "h_wer_fp_1e13",
            steps,
            median(walls),
            &[
                ("wer", e.wer.to_string(), format!("WER {:.4e}", e.wer)),
                ("low", e.low.to_string(), format!("[{:.4e}", e.low)),
                ("high", e.high.to_string(), format!("{:.4e}]", e.high)),
            ],
        );
    }
    if let (true, Some(workers)) = (want("h_wer_ams_1e9"), &pool) {
        let sc = wer_cell(1.5e11)?;
        let read = read_time(&sc)?;
        let camp = Campaign::<f64>::new(&sc)?;
        let settings = AmsSettings {
            replicas: 100,
            runs: 20,
            seed: 3,
            settled: crate::commands::wer::DEFAULT_SETTLED,
        };
        let t = Instant::now();
        let e = ams_wer(
            &camp,
            &sc.spec,
            settings,
            workers,
            &indicatif::ProgressBar::hidden(),
        )?;
        let wall = t.elapsed().as_secs_f64();
        let trials: f64 = e.runs.iter().map(|r| r.trials).sum();
        let steps = (trials * (camp.t_read() / camp.dt()).ceil()).round() as u64;
        let fp = FpSettings::new(2000, 1e-13, Start::Pole, read)?;
        let reference = fp_point(&sc, &sc.spec, read, fp)?.wer;
        let rel = e.std_error / e.wer;
        let inside = e.low <= reference && reference <= e.high;
        report(
            "h_wer_ams_1e9",
            steps,
            wall,
            &[
                ("wer", e.wer.to_string(), format!("WER {:.4e}", e.wer)),
                ("low", e.low.to_string(), format!("[{:.4e}", e.low)),
                ("high", e.high.to_string(), format!("{:.4e}]", e.high)),
                (
                    "rel_std_error",
                    rel.to_string(),
                    format!("se {:.1} %", 100.0 * rel),
                ),
                (
                    "trials",
                    trials.to_string(),
                    format!("{trials:.0} trials' worth"),
                ),
                (
                    "fp",
                    reference.to_string(),
                    format!(
                        "FP {reference:.4e} {}",
                        if inside { "inside" } else { "OUTSIDE" }
                    ),
                ),
            ],
        );
    }
    Ok(())
}

/// The README's MRAM example with its pulse amplitude set to `amplitude` A/m^2.
fn wer_cell(amplitude: f64) -> Result<Scenario> {
    const TEXT: &str = include_str!("../../../examples/mram_switching.toml");
    const KEY: &str = "amplitude = 1.0e11";
    if !TEXT.contains(KEY) {
        return Err(HostError::runtime(format!(
            "bench: examples/mram_switching.toml no longer has {KEY:?}"
        )));
    }
    Scenario::from_text(
        "examples/mram_switching.toml (bench)",
        &TEXT.replace(KEY, &format!("amplitude = {amplitude:e}")),
    )
}

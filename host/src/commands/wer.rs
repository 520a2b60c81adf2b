//! Command `larmor wer`: the write-error rate of a scenario's pulse with a confidence interval,
//! from the exact Fokker-Planck solver (`--method fp`, axially symmetric scenarios, any rate
//! down to 1e-15 and below, interval = Richardson discretisation-error estimate) or from
//! brute-force stochastic-LLG trials (`--method mc`, the ensemble machinery, Wilson 95 %
//! interval), or from adaptive multilevel splitting of those trials (`--method ams`, any
//! scenario with `[switching]`, rates far below 1 / trials, Student-t 95 % interval over
//! independent runs; [`crate::exec::ams`]).

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use larmor::fokker_planck::{Initial, MAX_CELLS};
use larmor::params::Validated;

use crate::commands::args::Threads;
use crate::commands::checks::{kernel_err, load_scenario, out_of_range};
use crate::error::{HostError, Result};
use crate::exec::ams::{ams_wer, AmsSettings};
use crate::exec::campaign::{switching, Campaign};
use crate::exec::fp::{fp_wer, FpEstimate};
use crate::exec::pool::progress;
use crate::exec::stats::wilson;
use crate::exec::trials::run_trials;
use crate::output::csv::num;
use crate::scenario::Scenario;

/// How the write-error rate is computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum WerMethod {
    /// Exact Fokker-Planck solve of the polar-angle density (axially symmetric scenarios).
    Fp,
    /// Brute-force stochastic-LLG trials (any scenario with `[switching]`).
    Mc,
    /// Adaptive multilevel splitting of the stochastic-LLG trials (any scenario with
    /// `[switching]`).
    Ams,
}

/// The initial density of `--method fp`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Start {
    /// All probability at m0's pole, where every trial of `--method mc` starts.
    Pole,
    /// Boltzmann's distribution in m0's well (a cell in thermal equilibrium before the pulse).
    Boltzmann,
}

/// Arguments of `larmor wer`.
#[derive(Debug, Args)]
pub struct WerArgs {
    /// Scenario file: a pulse in `[stt]` (or a field drive), `[thermal]`; read at `[switching]`
    /// read_time, else at the end of the last waveform.
    pub scenario: PathBuf,
    /// fp: Fokker-Planck (axially symmetric scenarios: easy axis, fields and polariser along
    /// z); mc: stochastic trials; ams: adaptive multilevel splitting of the same trials
    /// (Cerou-Guyader 2007, generalised AMS of Brehier et al. 2016: kill every replica at or
    /// below the lowest score, branch each from a uniformly chosen survivor, estimate
    /// prod(1 - K/N)); the score is the time-augmented log-committor of the linearised
    /// dynamics, (t - (1 - u) / 2D) / T, above 1 exactly for a write error.
    #[arg(long, value_enum)]
    pub method: WerMethod,
    /// fp: grid, step and initial density.
    #[command(flatten)]
    pub fp: FpOptions,
    /// mc: number of trials (>= 1).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub trials: Option<u64>,
    /// ams: replicas, runs, early stop.
    #[command(flatten)]
    pub ams: AmsOptions,
    /// mc: seed; trial k uses the random stream (seed, k), as `larmor ensemble`. ams: run r
    /// uses the streams (seed, r 2^40 + c), c counting its paths (run 0 starts with the
    /// trials 0..N of mc).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (mc, ams: results do not depend on it).
    #[command(flatten)]
    pub threads: Threads,
    /// Print one JSON object instead of the summary: method, scenario, wer, low, high,
    /// interval ("richardson", "wilson95" or "student95"), read_time (s), wall_s, and for fp
    /// grid, dt (s), initial, fine, coarse_grid, coarse_step (the WER of the levels),
    /// grid_error, step_error (estimated errors of the finest level in ln WER); for mc
    /// trials, seed, errors; for ams replicas, runs, seed, std_error, rel_std_error,
    /// iterations (mean per run), trials (steps integrated, in whole trials), stride
    /// (checkpoint every so many steps), diffusion (reduced D of the score), run_wer (each
    /// run's estimate).
    #[arg(long)]
    pub json: bool,
}

/// The options of `--method fp` (`larmor wer`, `larmor sweep`).
#[derive(Debug, Args)]
pub struct FpOptions {
    /// fp: cells in theta (a multiple of 4, 8 to 2^24; the error estimate also solves on
    /// half of them) [default: 1000].
    #[arg(long)]
    pub grid: Option<usize>,
    /// fp: largest time step in s (the estimate also solves with twice it) [default: 1e-12].
    #[arg(long)]
    pub dt: Option<f64>,
    /// fp: initial density [default: pole].
    #[arg(long, value_enum)]
    pub initial: Option<Start>,
}

impl FpOptions {
    /// The options given, by name (to refuse them with another method).
    pub fn given(&self) -> [(&'static str, bool); 3] {
        [
            ("--grid", self.grid.is_some()),
            ("--dt", self.dt.is_some()),
            ("--initial", self.initial.is_some()),
        ]
    }

    /// The checked settings for a read at `read` s.
    pub fn settings(&self, read: f64) -> Result<FpSettings> {
        FpSettings::new(
            self.grid.unwrap_or(DEFAULT_GRID),
            self.dt.unwrap_or(DEFAULT_DT),
            self.initial.unwrap_or(Start::Pole),
            read,
        )
    }
}

/// The checked settings of `--method fp`.
#[derive(Clone, Copy, Debug)]
pub struct FpSettings {
    /// Cells in theta.
    pub grid: usize,
    /// Largest step (s).
    pub dt: f64,
    /// The option's value.
    pub start: Start,
    /// The kernel's initial density.
    pub initial: Initial,
}

impl FpSettings {
    /// `grid` cells, steps of at most `dt` s to the read at `read` s, from `start`; checked
    /// as `--grid`, `--dt`.
    pub fn new(grid: usize, dt: f64, start: Start, read: f64) -> Result<Self> {
        Ok(Self {
            grid: check_grid(grid)?,
            dt: check_dt(dt, read)?,
            start,
            initial: match start {
                Start::Pole => Initial::Pole,
                Start::Boltzmann => Initial::Boltzmann,
            },
        })
    }

    /// The defaults (`--grid 1000 --dt 1e-12 --initial pole`).
    pub fn defaults(read: f64) -> Result<Self> {
        Self::new(DEFAULT_GRID, DEFAULT_DT, Start::Pole, read)
    }
}

/// The options of `--method ams` (`larmor wer`, `larmor sweep`).
#[derive(Debug, Args)]
pub struct AmsOptions {
    /// ams: replicas per run (2 to 10^6) [default: 100].
    #[arg(long, value_parser = clap::value_parser!(u64).range(2..=1_000_000))]
    pub replicas: Option<u64>,
    /// ams: independent runs, whose mean and Student-t 95 % interval are reported (2 to
    /// 10^5) [default: 10].
    #[arg(long, value_parser = clap::value_parser!(u64).range(2..=100_000))]
    pub runs: Option<u64>,
    /// ams: a path whose u = sign(m0_c) m_c falls to -U (deep in the target well) is counted
    /// switched there instead of being integrated to the read time (0 < U <= 1; 1
    /// integrates every path to the end) [default: 0.9].
    #[arg(long)]
    pub settled: Option<f64>,
}

impl AmsOptions {
    /// The options given, by name (to refuse them with another method).
    pub fn given(&self) -> [(&'static str, bool); 3] {
        [
            ("--replicas", self.replicas.is_some()),
            ("--runs", self.runs.is_some()),
            ("--settled", self.settled.is_some()),
        ]
    }

    /// The checked settings with the seed `seed` (`None`: the error that asks for it).
    pub fn settings(&self, seed: Option<u64>) -> Result<AmsSettings> {
        let Some(seed) = seed else {
            return Err(HostError::input(
                "--method ams needs --seed S (and takes --replicas N, --runs R)",
            ));
        };
        let settled = self.settled.unwrap_or(DEFAULT_SETTLED);
        if !(settled > 0.0 && settled <= 1.0) {
            return Err(out_of_range(
                "--settled",
                settled,
                "0 < U <= 1 (1: integrate every path to the read time)",
            ));
        }
        Ok(AmsSettings {
            replicas: self.replicas.unwrap_or(DEFAULT_REPLICAS) as usize,
            runs: self.runs.unwrap_or(DEFAULT_RUNS) as usize,
            seed,
            settled,
        })
    }
}

/// Refuses the first option of `opts` that is given: it belongs to `method` only.
pub fn refuse(opts: &[(&str, bool)], method: &str) -> Result<()> {
    match opts.iter().find(|o| o.1) {
        Some((opt, _)) => Err(HostError::input(format!(
            "{opt} applies to --method {method} only"
        ))),
        None => Ok(()),
    }
}

/// Default `--replicas`.
pub const DEFAULT_REPLICAS: u64 = 100;
/// Default `--runs`.
pub const DEFAULT_RUNS: u64 = 10;

/// Default `--settled`.
pub const DEFAULT_SETTLED: f64 = 0.9;

/// Default `--grid`.
pub const DEFAULT_GRID: usize = 1000;
/// Default `--dt` (s).
pub const DEFAULT_DT: f64 = 1e-12;

/// Kernel parameter names of the Fokker-Planck solver and the options that set them.
const FP_NAMES: &[(&str, &str)] = &[
    ("fokker_planck.cells", "--grid"),
    ("fokker_planck.dt", "--dt"),
];

/// The time (s) at which the scenario's state is read: `[switching] read_time`, else the end of
/// the last waveform of the spin torque and the field drives.
pub fn read_time(sc: &Scenario) -> Result<f64> {
    if let Some(sw) = &sc.plan.switching {
        return Ok(sw.read_time);
    }
    let spec = sc.spec.spec();
    let mut ends: Vec<Option<f64>> = spec.drives.iter().map(|d| d.waveform.end_time()).collect();
    if let Some(stt) = &spec.stt {
        ends.push(match &stt.current {
            larmor::params::CurrentSpec::Density(d) => d.end_time(),
            larmor::params::CurrentSpec::Voltage { volts, .. } => volts.end_time(),
        });
    }
    match ends.iter().try_fold(0.0f64, |a, e| e.map(|e| a.max(e))) {
        Some(t) if t > 0.0 => Ok(t),
        _ => Err(HostError::input(format!(
            "{}: a write-error rate needs [switching] read_time or a pulse that ends (its end \
             is the read time)",
            sc.file
        ))),
    }
}

/// A kernel error of the Fokker-Planck solver: its own parameters named by their options, the
/// scenario's located at their key's line.
fn fp_error(sc: &Scenario, e: larmor::Error) -> HostError {
    match e {
        larmor::Error::OutOfRange { param, .. } if param.starts_with("fokker_planck.") => {
            kernel_err(e, FP_NAMES)
        }
        _ => sc.kernel_error(&e),
    }
}

/// `--grid`, checked: a multiple of 4 from 8 to 2^24.
pub fn check_grid(grid: usize) -> Result<usize> {
    if !(8..=MAX_CELLS).contains(&grid) || grid % 4 != 0 {
        return Err(out_of_range(
            "--grid",
            grid as f64,
            "a multiple of 4 from 8 to 2^24 (the error estimate also solves on grid / 2 cells)",
        ));
    }
    Ok(grid)
}

/// `--dt`, checked against the read time: > 0 s and at most 1e9 steps.
pub fn check_dt(dt: f64, read_time: f64) -> Result<f64> {
    if !(dt > 0.0 && dt.is_finite() && read_time / dt <= 1e9) {
        return Err(out_of_range(
            "--dt",
            dt,
            &format!(
                "> 0 s and at most 1e9 steps to the read time (>= {} s)",
                num(read_time / 1e9)
            ),
        ));
    }
    Ok(dt)
}

/// Runs `larmor wer`.
pub fn run(args: &WerArgs) -> Result<()> {
    let mc_only = [
        ("--trials", args.trials.is_some()),
        ("--seed", args.seed.is_some()),
    ];
    let (fp_only, ams_only) = (args.fp.given(), args.ams.given());
    match args.method {
        WerMethod::Ams => {
            refuse(&fp_only, "fp")?;
            refuse(&mc_only[..1], "mc")?;
        }
        WerMethod::Fp => {
            refuse(&mc_only, "mc")?;
            refuse(&ams_only, "ams")?;
        }
        WerMethod::Mc => {
            refuse(&fp_only, "fp")?;
            refuse(&ams_only, "ams")?;
        }
    }
    let sc = load_scenario(&args.scenario, &[])?;
    let read = read_time(&sc)?;
    let t0 = std::time::Instant::now();
    match args.method {
        WerMethod::Fp => {
            let fp = args.fp.settings(read)?;
            let e = fp_point(&sc, &sc.spec, read, fp)?;
            report_fp(&sc, args, &e, read, fp, t0.elapsed().as_secs_f64());
        }
        WerMethod::Mc => {
            let (Some(trials), Some(seed)) = (args.trials, args.seed) else {
                return Err(HostError::input(
                    "--method mc needs --trials N and --seed S",
                ));
            };
            switching(&sc, "--method mc")?;
            let camp = Campaign::<f64>::new(&sc)?;
            let pool = args.threads.pool()?;
            crate::exec::interrupt::install();
            let pb = progress(trials, "trials");
            let mut errors = 0u64;
            let complete = run_trials(&camp, seed, 0, 0..trials, &pool, &pb, |rows| {
                errors += rows.iter().filter(|r| !r.switched).count() as u64;
                Ok(())
            })?;
            pb.finish_and_clear();
            if !complete {
                return Err(HostError {
                    message: "interrupted".into(),
                    code: 130,
                });
            }
            let (low, high) = wilson(errors, trials);
            let wer = errors as f64 / trials as f64;
            let wall = t0.elapsed().as_secs_f64();
            if args.json {
                let v = serde_json::json!({
                    "method": "mc",
                    "scenario": sc.file,
                    "wer": wer,
                    "low": low,
                    "high": high,
                    "interval": "wilson95",
                    "read_time": read,
                    "wall_s": wall,
                    "trials": trials,
                    "seed": seed,
                    "errors": errors,
                });
                crate::say!("{v:#}");
            } else {
                crate::say!(
                    "larmor wer: {} (mc: {trials} trials, seed {seed}, read at {} s)",
                    sc.file,
                    num(read)
                );
                crate::say!(
                    "  WER  {wer:.4e}  [{low:.4e}, {high:.4e}]  Wilson 95 % ({errors} of {trials} \
                     trials not switched)"
                );
                crate::say!("  time {wall:.2} s");
            }
        }
        WerMethod::Ams => run_ams(&sc, args, read, t0)?,
    }
    Ok(())
}

/// `--method ams`.
fn run_ams(sc: &Scenario, args: &WerArgs, read: f64, t0: std::time::Instant) -> Result<()> {
    let settings = args.ams.settings(args.seed)?;
    switching(sc, "--method ams")?;
    let camp = Campaign::<f64>::new(sc)?;
    let pool = args.threads.pool()?;
    crate::exec::interrupt::install();
    let pb = progress(settings.runs as u64, "AMS runs");
    let e = ams_wer(&camp, &sc.spec, settings, &pool, &pb)?;
    pb.finish_and_clear();
    let wall = t0.elapsed().as_secs_f64();
    let nr = e.runs.len() as f64;
    let iterations = e.runs.iter().map(|r| r.iterations as f64).sum::<f64>() / nr;
    let trials = e.runs.iter().map(|r| r.trials).sum::<f64>();
    let rel = if e.wer > 0.0 {
        e.std_error / e.wer
    } else {
        f64::INFINITY
    };
    let (n, r, seed, settled) = (
        settings.replicas,
        settings.runs,
        settings.seed,
        settings.settled,
    );
    if args.json {
        let v = serde_json::json!({
            "method": "ams",
            "scenario": sc.file,
            "wer": e.wer,
            "low": e.low,
            "high": e.high,
            "interval": "student95",
            "read_time": read,
            "wall_s": wall,
            "replicas": n,
            "runs": r,
            "seed": seed,
            "settled": settled,
            "std_error": e.std_error,
            "rel_std_error": if rel.is_finite() { serde_json::json!(rel) } else { serde_json::Value::Null },
            "iterations": iterations,
            "trials": trials,
            "stride": e.stride,
            "diffusion": e.diffusion,
            "run_wer": e.runs.iter().map(|r| r.wer).collect::<Vec<_>>(),
        });
        crate::say!("{v:#}");
    } else {
        crate::say!(
            "larmor wer: {} (ams: {r} runs of {n} replicas, seed {seed}, read at {} s)",
            sc.file,
            num(read)
        );
        crate::say!(
            "  WER  {:.4e}  [{:.4e}, {:.4e}]  Student t 95 % over {r} runs (standard error {:.1} %)",
            e.wer,
            e.low,
            e.high,
            100.0 * rel
        );
        crate::say!(
            "  work {iterations:.0} levels per run, {trials:.0} trials' worth of steps in all"
        );
        crate::say!("  time {wall:.2} s");
    }
    Ok(())
}

/// The Fokker-Planck write-error rate of `spec` (the scenario `sc`, or a point of a sweep of
/// it), its errors named by the options and keys.
pub fn fp_point(sc: &Scenario, spec: &Validated, read: f64, fp: FpSettings) -> Result<FpEstimate> {
    fp_wer(spec, read, fp.grid, fp.dt, fp.initial).map_err(|e| fp_error(sc, e))
}

fn report_fp(sc: &Scenario, args: &WerArgs, e: &FpEstimate, read: f64, fp: FpSettings, wall: f64) {
    let FpSettings {
        grid, dt, start, ..
    } = fp;
    let initial = match start {
        Start::Pole => "pole",
        Start::Boltzmann => "boltzmann",
    };
    if args.json {
        let v = serde_json::json!({
            "method": "fp",
            "scenario": sc.file,
            "wer": e.wer,
            "low": e.low,
            "high": e.high,
            "interval": "richardson",
            "read_time": read,
            "wall_s": wall,
            "grid": grid,
            "dt": dt,
            "initial": initial,
            "fine": e.fine,
            "coarse_grid": e.coarse_grid,
            "coarse_step": e.coarse_step,
            "grid_error": e.grid_error,
            "step_error": e.step_error,
        });
        crate::say!("{v:#}");
        return;
    }
    crate::say!(
        "larmor wer: {} (fp: {grid} cells, dt {} s, initial {initial}, read at {} s)",
        sc.file,
        num(dt),
        num(read)
    );
    crate::say!(
        "  WER  {:.4e}  [{:.4e}, {:.4e}]  discretisation error (Richardson)",
        e.wer,
        e.low,
        e.high
    );
    crate::say!(
        "  levels  {grid} cells, dt: {:.4e}; {} cells: {:.4e}; dt {} s: {:.4e}",
        e.fine,
        grid / 2,
        e.coarse_grid,
        num(2.0 * dt),
        e.coarse_step
    );
    crate::say!(
        "  errors  grid {:+.2} %, step {:+.2} % (of the finest level)",
        100.0 * e.grid_error.exp_m1(),
        100.0 * e.step_error.exp_m1()
    );
    crate::say!("  time {wall:.2} s");
}

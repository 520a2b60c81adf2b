//! Command `larmor sweep`: switching probability and write-error rate against current amplitude,
//! pulse width, voltage or temperature; one summary row per point, from an ensemble of trials
//! (`--method mc`, the default), the exact Fokker-Planck solver (`--method fp`) or adaptive
//! multilevel splitting of the trials (`--method ams`), each point what `larmor wer` gives
//! for the scenario with that value.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use larmor::drive::DriveSpec;
use larmor::params::{CurrentSpec, MacrospinSpec, Validated};

use crate::commands::args::{helps, CampaignArgs, OutPlot};
use crate::commands::checks::{check_points, load_scenario};
use crate::commands::wer::{
    fp_point, read_time, refuse, AmsOptions, FpOptions, FpSettings, WerMethod,
};
use crate::error::{HostError, Result};
use crate::exec::ams::{ams_wer, AmsSettings};
use crate::exec::campaign::{switching, Campaign};
use crate::exec::pool::progress;
use crate::exec::resume::{read_lines, Journal};
use crate::exec::stats::Summary;
use crate::exec::trials::run_trials;
use crate::output::sweep::{plot_sweep, print_summary, Axis, SweepKind};
use crate::output::trials::{sweep_row, wer_sweep_row, SWEEP_HEADER, WER_SWEEP_HEADER};
use crate::scenario::Scenario;

/// What a sweep varies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Vary {
    /// Amplitude of the spin-torque current density (A/m^2) (STT, else SOT).
    Current,
    /// Amplitude of the MTJ voltage pulse (V).
    Voltage,
    /// Width (duration) of the current or voltage pulse (s).
    Width,
    /// Temperature (K).
    Temperature,
}

/// Arguments of `larmor sweep`.
#[derive(Debug, Args)]
#[command(
    mut_args(helps(&[
        ("trials", "mc: trials per point"),
        (
            "seed",
            "mc: seed, trial k of point p uses the stream (seed, p * 2^32 + k); ams: the seed \
             of every point (as `larmor wer --method ams --seed S`: the points share their \
             streams)",
        ),
        (
            "out",
            "One row per point; mc: value, trials, switched, p_switch, p_low, p_high, wer, \
             mean_t_switch, median_t_switch; fp, ams: value, wer, wer_low, wer_high, p_switch, \
             std_error (the interval: fp's discretisation error, ams' Student t 95 %; \
             std_error: ams only)",
        ),
        (
            "plot",
            "PNG: P_sw and write-error rate (log scale) against the varied parameter",
        ),
    ])),
    mut_arg("trials", |a| a.required(false)),
    mut_arg("seed", |a| a.required(false))
)]
pub struct SweepArgs {
    /// Scenario file with `[switching]`, `[stt]` or `[sot]` (and usually `[thermal]`).
    pub scenario: PathBuf,
    /// The parameter to vary.
    #[arg(long, value_enum)]
    pub vary: Vary,
    /// Explicit values, comma separated (SI units).
    #[arg(long, value_delimiter = ',', conflicts_with_all = ["from", "to", "points"])]
    pub values: Vec<f64>,
    /// First value of an even grid.
    #[arg(long, requires_all = ["to", "points"])]
    pub from: Option<f64>,
    /// Last value of the grid.
    #[arg(long)]
    pub to: Option<f64>,
    /// Number of grid points (>= 2).
    #[arg(long)]
    pub points: Option<usize>,
    /// Logarithmic grid.
    #[arg(long)]
    pub log: bool,
    /// How each point's write-error rate is computed: mc, the trials of `larmor ensemble`
    /// (needs --trials and --seed); fp, the exact Fokker-Planck solver (axially symmetric
    /// scenarios); ams, adaptive multilevel splitting of the trials (needs --seed): as
    /// `larmor wer --method`.
    #[arg(long, value_enum, default_value = "mc")]
    pub method: WerMethod,
    /// Trials per point, seed, threads, resumption.
    #[command(flatten)]
    pub campaign: CampaignArgs,
    /// fp: grid, step and initial density.
    #[command(flatten)]
    pub fp: FpOptions,
    /// ams: replicas, runs, early stop.
    #[command(flatten)]
    pub ams: AmsOptions,
    /// The summary table and its plot.
    #[command(flatten)]
    pub files: OutPlot,
}

/// Most points of a sweep grid (each point is a whole campaign of trials).
const MAX_POINTS: usize = 1_000_000;

/// The grid of `--from a --to b --points n [--log]`: `n` values (2 to 10^6) evenly spaced from
/// `a` to `b` inclusive, geometrically with `log` (then both > 0).
pub fn grid_values(a: f64, b: f64, n: usize, log: bool) -> Result<Vec<f64>> {
    // bounded before anything is allocated
    check_points(n, 2, MAX_POINTS)?;
    if !(a.is_finite() && b.is_finite()) {
        return Err(HostError::input(format!(
            "--from {a} --to {b}: the grid's ends must be finite"
        )));
    }
    if log && !(a > 0.0 && b > 0.0) {
        return Err(HostError::input("--log needs --from and --to > 0"));
    }
    Ok((0..n)
        .map(|i| {
            let f = i as f64 / (n - 1) as f64;
            if log {
                (a.ln() + f * (b.ln() - a.ln())).exp()
            } else {
                a + f * (b - a)
            }
        })
        .collect())
}

fn grid(args: &SweepArgs) -> Result<Vec<f64>> {
    let v = if !args.values.is_empty() {
        args.values.clone()
    } else {
        let (a, b, n) = match (args.from, args.to, args.points) {
            (Some(a), Some(b), Some(n)) => (a, b, n),
            _ => {
                return Err(HostError::input(
                    "give --values v1,v2,... or --from A --to B --points N",
                ))
            }
        };
        grid_values(a, b, n, args.log)?
    };
    // every value is checked (finite, at most MAX_POINTS) by `campaigns`
    Ok(v)
}

/// Sets the varied parameter in a copy of the spec.
fn apply(
    spec: &MacrospinSpec,
    vary: Vary,
    value: f64,
) -> std::result::Result<MacrospinSpec, String> {
    let mut s = spec.clone();
    let pulse_amp = |d: &mut DriveSpec, what: &str| match d {
        DriveSpec::Pulse { amplitude, .. } => {
            *amplitude = value;
            Ok(())
        }
        DriveSpec::Constant(v) => {
            *v = value;
            Ok(())
        }
        _ => Err(format!("--vary {what} needs a constant or pulse waveform")),
    };
    let width = |d: &mut DriveSpec| match d {
        DriveSpec::Pulse { duration, .. } => {
            *duration = value;
            Ok(())
        }
        _ => Err("--vary width needs a pulse waveform".to_string()),
    };
    match vary {
        Vary::Current => match (&mut s.stt, &mut s.sot) {
            (Some(stt), _) => match &mut stt.current {
                CurrentSpec::Density(d) => pulse_amp(d, "current")?,
                CurrentSpec::Voltage { .. } => {
                    return Err("this [stt] is voltage driven: use --vary voltage".into())
                }
            },
            (None, Some(sot)) => pulse_amp(&mut sot.current_density, "current")?,
            _ => return Err("--vary current needs [stt] or [sot]".into()),
        },
        Vary::Voltage => match &mut s.stt {
            Some(stt) => match &mut stt.current {
                CurrentSpec::Voltage { volts, .. } => pulse_amp(volts, "voltage")?,
                _ => return Err("--vary voltage needs [stt] with voltage and [stt.mtj]".into()),
            },
            None => return Err("--vary voltage needs [stt] with voltage and [stt.mtj]".into()),
        },
        Vary::Width => match (&mut s.stt, &mut s.sot) {
            (Some(stt), _) => match &mut stt.current {
                CurrentSpec::Density(d) | CurrentSpec::Voltage { volts: d, .. } => width(d)?,
            },
            (None, Some(sot)) => width(&mut sot.current_density)?,
            _ => return Err("--vary width needs [stt] or [sot]".into()),
        },
        Vary::Temperature => match &mut s.thermal {
            Some(th) => th.temperature = DriveSpec::Constant(value),
            None => return Err("--vary temperature needs [thermal]".into()),
        },
    }
    s.validate().map_err(|e| e.to_string())?;
    Ok(s)
}

/// The scenario's spec at every value of a sweep of `vary`, each validated before anything
/// runs (an error names the value); at most [`MAX_POINTS`] finite values.
fn point_specs(sc: &Scenario, vary: Vary, values: &[f64]) -> Result<Vec<Validated>> {
    if values.len() > MAX_POINTS {
        return Err(HostError::input(format!(
            "{} sweep values: at most {MAX_POINTS} points",
            values.len()
        )));
    }
    if let Some(bad) = values.iter().find(|x| !x.is_finite()) {
        return Err(HostError::input(format!("sweep value {bad} is not finite")));
    }
    values
        .iter()
        .map(|&v| {
            apply(sc.spec.spec(), vary, v)
                .and_then(|s| s.validate().map_err(|e| e.to_string()))
                .map_err(|e| HostError::input(format!("{}: {e} (value {v:e})", sc.file)))
        })
        .collect()
}

/// The campaigns of a sweep of `sc` over `values` of `vary`, `trials` trials per point, each
/// point validated before anything runs (an error names the value); `one_by_one` as
/// `--lanes 1` (same results).
pub fn campaigns(
    sc: &Scenario,
    vary: Vary,
    values: &[f64],
    trials: u64,
    one_by_one: bool,
) -> Result<Vec<Campaign<f64>>> {
    switching(sc, "a sweep of trials (--method mc or ams)")?;
    if trials == 0 || trials > 1 << 32 {
        return Err(crate::commands::checks::out_of_range(
            "--trials",
            trials as f64,
            "1 <= N <= 2^32 per point",
        ));
    }
    point_specs(sc, vary, values)?
        .iter()
        .map(|s| Ok(Campaign::with_spec(sc, s)?.one_by_one_if(one_by_one)))
        .collect()
}

/// The ensemble of point `p` of a sweep (`trials` trials, as [`campaigns`] checked them;
/// trial k uses the stream `(seed, p * 2^32 + k)`), summarised; `None` when interrupted.
pub fn point(
    camp: &Campaign<f64>,
    p: usize,
    seed: u64,
    trials: u64,
    pool: &rayon::ThreadPool,
    pb: &indicatif::ProgressBar,
) -> Result<Option<Summary>> {
    let mut rows = Vec::with_capacity(trials.min(1 << 20) as usize);
    let complete = run_trials(camp, seed, (p as u64) << 32, 0..trials, pool, pb, |r| {
        rows.extend_from_slice(r);
        Ok(())
    })?;
    Ok(complete.then(|| Summary::of(&rows)))
}

/// What a sweep computes at every point, checked before anything runs.
enum Work {
    /// `--method mc`: an ensemble per point.
    Mc {
        camps: Vec<Campaign<f64>>,
        trials: u64,
        seed: u64,
    },
    /// `--method fp`: the Fokker-Planck solve of every point's spec.
    Fp {
        specs: Vec<Validated>,
        read: f64,
        fp: FpSettings,
    },
    /// `--method ams`: splitting of every point's trials.
    Ams {
        camps: Vec<Campaign<f64>>,
        specs: Vec<Validated>,
        settings: AmsSettings,
    },
}

impl Work {
    /// The method's work for `args`, every option and point checked; options of another
    /// method are refused.
    fn of(args: &SweepArgs, sc: &Scenario, values: &[f64]) -> Result<Self> {
        let c = &args.campaign;
        let mc_only = [("--trials", c.trials.is_some()), ("--lanes", c.lanes != 8)];
        let seed = [("--seed", c.seed.is_some())];
        Ok(match args.method {
            WerMethod::Mc => {
                refuse(&args.fp.given(), "fp")?;
                refuse(&args.ams.given(), "ams")?;
                let trials = c.trials("sweep --method mc")?;
                let seed = c.seed("sweep --method mc")?;
                let camps = campaigns(sc, args.vary, values, trials, c.lanes == 1)?;
                Work::Mc {
                    camps,
                    trials,
                    seed,
                }
            }
            WerMethod::Fp => {
                refuse(&mc_only, "mc")?;
                refuse(&seed, "mc or ams")?;
                refuse(&args.ams.given(), "ams")?;
                let read = read_time(sc)?;
                let fp = args.fp.settings(read)?;
                Work::Fp {
                    specs: point_specs(sc, args.vary, values)?,
                    read,
                    fp,
                }
            }
            WerMethod::Ams => {
                refuse(&mc_only, "mc")?;
                refuse(&args.fp.given(), "fp")?;
                let settings = args.ams.settings(c.seed)?;
                switching(sc, "a sweep of trials (--method mc or ams)")?;
                let specs = point_specs(sc, args.vary, values)?;
                let camps = specs
                    .iter()
                    .map(|s| Campaign::with_spec(sc, s))
                    .collect::<Result<_>>()?;
                Work::Ams {
                    camps,
                    specs,
                    settings,
                }
            }
        })
    }

    /// The CSV header of the rows.
    fn header(&self) -> &'static str {
        match self {
            Work::Mc { .. } => SWEEP_HEADER,
            _ => WER_SWEEP_HEADER,
        }
    }

    /// What identifies the sweep's results (beyond scenario, parameter and values): a
    /// resumed sweep must have the same.
    fn fingerprint(&self) -> String {
        match self {
            Work::Mc { trials, seed, .. } => format!("trials={trials} seed={seed}"),
            Work::Fp { fp, .. } => format!(
                "method=fp grid={} dt={:e} initial={:?}",
                fp.grid, fp.dt, fp.start
            ),
            Work::Ams { settings: a, .. } => format!(
                "method=ams replicas={} runs={} settled={:e} seed={}",
                a.replicas, a.runs, a.settled, a.seed
            ),
        }
    }

    /// Progress units per point, and their name.
    fn units(&self) -> (u64, &'static str) {
        match self {
            Work::Mc { trials, .. } => (*trials, "trials"),
            Work::Fp { .. } => (1, "points"),
            Work::Ams { settings, .. } => (settings.runs as u64, "AMS runs"),
        }
    }

    /// The row of point `p` (value `value`); `None` when interrupted.
    fn row(
        &self,
        sc: &Scenario,
        p: usize,
        value: f64,
        pool: &rayon::ThreadPool,
        pb: &indicatif::ProgressBar,
    ) -> Result<Option<String>> {
        let stopped = crate::exec::interrupt::requested;
        Ok(match self {
            Work::Mc {
                camps,
                trials,
                seed,
            } => point(&camps[p], p, *seed, *trials, pool, pb)?.map(|s| sweep_row(value, &s)),
            Work::Fp { specs, read, fp } => {
                if stopped() {
                    return Ok(None);
                }
                let e = fp_point(sc, &specs[p], *read, *fp)?;
                pb.inc(1);
                Some(wer_sweep_row(value, e.wer, e.low, e.high, None))
            }
            Work::Ams {
                camps,
                specs,
                settings,
            } => match ams_wer(&camps[p], &specs[p], *settings, pool, pb) {
                Ok(e) => Some(wer_sweep_row(
                    value,
                    e.wer,
                    e.low,
                    e.high,
                    Some(e.std_error),
                )),
                Err(_) if stopped() => None,
                Err(e) => return Err(e),
            },
        })
    }
}

/// Runs `larmor sweep`.
pub fn run(args: &SweepArgs) -> Result<()> {
    let sc = load_scenario(&args.scenario, &args.files.outputs())?;
    let values = grid(args)?;
    let work = Work::of(args, &sc, &values)?;
    let pool = args.campaign.threads.pool()?;
    crate::exec::interrupt::install();
    let fingerprint = format!(
        "# larmor sweep: scenario={:016x} vary={:?} values={:?} {}",
        sc.hash,
        args.vary,
        values,
        work.fingerprint()
    );
    let header = work.header();
    let (per_point, unit) = work.units();
    let journal = Journal::of(&args.files.out);
    let part = &journal.part;
    let mut lines: Vec<String> = Vec::new();
    let mut file = if journal.exists() {
        if !args.campaign.resume {
            return Err(HostError::input(format!(
                "{} holds an interrupted sweep: add --resume to complete it, or delete it",
                part.display()
            )));
        }
        let done = match read_lines(part, header)? {
            Some(done) if journal.fingerprint() == fingerprint => done,
            _ => {
                return Err(HostError::input(format!(
                    "--resume: {} belongs to a different sweep",
                    part.display()
                )))
            }
        };
        lines = done.0;
        eprintln!(
            "resuming {}: {} of {} points already done",
            part.display(),
            lines.len(),
            values.len()
        );
        journal.reopen(done.1)?
    } else {
        if let Some(d) = args
            .files
            .out
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            // the message of output::AtomicFile for a directory that cannot be created
            std::fs::create_dir_all(d)
                .map_err(|e| HostError::input(format!("cannot create {}: {e}", d.display())))?;
        }
        journal.start(&fingerprint, header)?
    };
    let pb = progress(values.len() as u64 * per_point, unit);
    pb.set_position(lines.len() as u64 * per_point);
    for p in lines.len()..values.len() {
        let row = journal.or_discard(|| work.row(&sc, p, values[p], &pool, &pb))?;
        let Some(l) = row else {
            pb.finish_and_clear();
            eprintln!(
                "interrupted: {p} of {} points saved in {}; run again with --resume",
                values.len(),
                part.display()
            );
            return Err(HostError {
                message: "interrupted".into(),
                code: 130,
            });
        };
        journal.append(&mut file, &l)?;
        lines.push(l);
    }
    pb.finish_and_clear();
    drop(file);
    journal.complete(&args.files.out)?;
    let parsed: Vec<Vec<f64>> = lines
        .iter()
        .map(|l| {
            l.trim_end()
                .split(',')
                .map(|x| x.parse().unwrap_or(f64::NAN))
                .collect()
        })
        .collect();
    let kind = match &work {
        Work::Mc { trials, .. } => SweepKind::Mc { trials: *trials },
        Work::Fp { .. } => SweepKind::Fp,
        Work::Ams { .. } => SweepKind::Ams,
    };
    let axis = match args.vary {
        Vary::Current => Axis::plain("current density (A/m^2)"),
        Vary::Voltage => Axis::plain("voltage (V)"),
        Vary::Width => Axis::nanoseconds("pulse width (ns)"),
        Vary::Temperature => Axis::plain("temperature (K)"),
    };
    if let Some(plot) = &args.files.plot {
        plot_sweep(plot, &sc.file, axis, kind, &parsed)?;
    }
    let what = format!("{:?}", args.vary);
    print_summary(&sc.file, &what, kind, &work.fingerprint(), &parsed);
    eprintln!(
        "  wrote     {}{}",
        args.files.out.display(),
        args.files
            .plot
            .as_ref()
            .map(|p| format!(", {}", p.display()))
            .unwrap_or_default()
    );
    Ok(())
}

//! Command `larmor run`: one deterministic macrospin trajectory from a scenario file to CSV
//! (+ PNG).

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use larmor::field::FieldTerm;
use larmor::integrate::{Control, Crossing, Integrator, RunStats, MAX_EVENTS};
use larmor::params::{Macrospin, Span};
use larmor::random::Gaussian;
use larmor::random::Philox;
use larmor::stepper::Stepper;
use larmor::{Real, Vec3};

use crate::commands::args::{helps, OutPlot};
use crate::commands::checks::load_scenario;
use crate::commands::Precision;
use crate::error::{HostError, Result};
use crate::exec::solver::{with_stepper, StepperTask, TracedRun};
use crate::output::plot::{column, decimate, draw, Panel, Series, BLUE, GREEN, PLOT_POINTS, RED};
use crate::output::{trace, AtomicFile};
use crate::scenario::{Event, Scenario};

/// Arguments of `larmor run`.
#[derive(Debug, Args)]
#[command(mut_args(helps(&[
    ("out", "Output CSV: t (s), mx, my, mz, energy (J), per-term energies (J), applied field (T)"),
    ("plot", "Also plot m(t) (and m versus the applied field when it varies) to this PNG"),
])))]
pub struct RunArgs {
    /// Scenario file (TOML, SI units: a macrospin, or an atomistic `[lattice]`; see
    /// examples/README.md).
    pub scenario: PathBuf,
    /// The output table and its plot.
    #[command(flatten)]
    pub files: OutPlot,
    /// Write every N-th step (the initial and final states are always written).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    pub every: u64,
    /// Scalar type of the kernel run.
    #[arg(long, value_enum, default_value_t = Precision::F64)]
    pub precision: Precision,
    /// Seed of the thermal noise (runs with `[thermal]`); the run is a pure function of
    /// (scenario, seed).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

/// One written row of a trajectory, in SI units.
#[derive(Clone, Debug, PartialEq)]
pub struct Row<'a> {
    /// Time (s).
    pub t: f64,
    /// Unit magnetisation.
    pub m: [f64; 3],
    /// Total energy (J).
    pub energy: f64,
    /// Energy of each field term (J), in the order of [`Trajectory::terms`].
    pub terms: &'a [f64],
    /// Applied field mu0 H (T).
    pub field: [f64; 3],
}

/// What a run produced (its rows went to the sink as they were written).
#[derive(Clone, Debug)]
pub struct Trajectory {
    /// Names of the field terms, in the order of [`Row::terms`].
    pub terms: Vec<String>,
    /// Accepted steps.
    pub steps: u64,
    /// Rejected steps (adaptive methods).
    pub rejected: u64,
    /// Time reached (s).
    pub t_end_s: f64,
    /// Final magnetisation.
    pub m: [f64; 3],
    /// Final energy (J).
    pub energy: f64,
    /// Rows written.
    pub rows: u64,
    /// Stopped early by an interrupt ([`crate::exec::interrupt`]).
    pub interrupted: bool,
    /// The scenario's events, each with the time it happened (s), if it did.
    pub events: Vec<(String, Option<f64>)>,
    /// Why the run stopped early, if it failed (the rows so far were written).
    pub failure: Option<String>,
}

/// What `larmor run` keeps of a trajectory for its plot: t (ns), m, applied field (T).
type Sample = [f64; 7];

/// Runs the command.
pub fn run(args: &RunArgs) -> Result<()> {
    if crate::scenario::locate::read_text(&args.scenario)
        .is_ok_and(|t| crate::scenario::stack::is_stack(&t))
    {
        return crate::commands::run_stack::run(args);
    }
    if crate::scenario::locate::read_text(&args.scenario)
        .is_ok_and(|t| crate::scenario::lattice::is_lattice(&t))
    {
        return run_lattice(args);
    }
    let sc = load_scenario(&args.scenario, &args.files.outputs())?;
    crate::exec::interrupt::install();
    let start = Instant::now();
    let file = std::cell::RefCell::new(AtomicFile::create(&args.files.out)?);
    let io = |e: std::io::Error| {
        HostError::runtime(format!("writing {}: {e}", args.files.out.display()))
    };
    let mut samples: Vec<Sample> = Vec::new();
    let mut line = String::with_capacity(256);
    let out = trajectory(
        &sc,
        args.precision,
        args.seed,
        args.every,
        |names| {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            file.borrow_mut()
                .writer()
                .write_all(trace::header(&names).as_bytes())
                .map_err(io)
        },
        |r| {
            trace::row(&mut line, r.t, r.m, r.energy, r.terms, r.field);
            let mut file = file.borrow_mut();
            file.writer().write_all(line.as_bytes()).map_err(io)?;
            samples.push([
                r.t * 1e9,
                r.m[0],
                r.m[1],
                r.m[2],
                r.field[0],
                r.field[1],
                r.field[2],
            ]);
            if samples.len() % 100_000 == 0 {
                file.writer().flush().map_err(io)?;
            }
            Ok(())
        },
    )?;
    file.into_inner().finish()?;
    let wall = start.elapsed().as_secs_f64();
    if let Some(p) = &args.files.plot {
        plot(&sc, &samples, p)?;
    }
    summary(&sc, args, &out, wall);
    ending(out.failure, out.interrupted)
}

/// One deterministic macrospin trajectory of scenario `sc` in scalar `precision` (a pure
/// function of scenario and `seed`): `header` gets the field terms' names first, then `sink`
/// every `every`-th step's row (the initial and final states always). The run stops at the
/// first error of either, or on an interrupt ([`crate::exec::interrupt::requested`]); a
/// failure of the kernel run is returned in [`Trajectory::failure`] after the rows so far.
pub fn trajectory(
    sc: &Scenario,
    precision: Precision,
    seed: u64,
    every: u64,
    mut header: impl FnMut(&[String]) -> Result<()>,
    mut sink: impl FnMut(&Row<'_>) -> Result<()>,
) -> Result<Trajectory> {
    if every == 0 {
        return Err(crate::commands::checks::out_of_range(
            "every",
            0.0,
            ">= 1 (write every N-th step)",
        ));
    }
    let io = Io {
        seed,
        every,
        header: &mut header,
        sink: &mut sink,
    };
    match precision {
        Precision::F64 => run_typed::<f64>(sc, io),
        Precision::F32 => run_typed::<f32>(sc, io),
    }
}

/// Where a trajectory's rows go.
struct Io<'a> {
    seed: u64,
    every: u64,
    header: &'a mut dyn FnMut(&[String]) -> Result<()>,
    sink: &'a mut dyn FnMut(&Row<'_>) -> Result<()>,
}

fn run_typed<S: Real + Gaussian>(sc: &Scenario, io: Io<'_>) -> Result<Trajectory> {
    let model: Macrospin<S> = sc.compile(&sc.spec)?;
    let s = &sc.plan.solver;
    let u = model.units;
    let dt = u.time_to_reduced(s.dt);
    let t_end = u.time_to_reduced(s.duration);
    let task = Trace {
        sc,
        io,
        model: &model,
        dt,
        t_end,
    };
    if model.inertia_tau.is_some() {
        with_stepper(s, dt, t_end, InertialTrace(task))?
    } else {
        with_stepper(s, dt, t_end, task)?
    }
}

/// The trajectory, waiting for its stepper.
struct Trace<'a, 'io, S> {
    sc: &'a Scenario,
    io: Io<'io>,
    model: &'a Macrospin<S>,
    dt: f64,
    t_end: f64,
}

/// The inertial trajectory (state (m, dm/dt)), waiting for its stepper.
struct InertialTrace<'a, 'io, S>(Trace<'a, 'io, S>);

/// What sees the trajectory: `(step, t, state)` after the start and every accepted step.
type Observe<'o, S> = dyn FnMut(u64, f64, &[Vec3<S>]) -> Control + 'o;

impl<S: Real + Gaussian> StepperTask<S> for Trace<'_, '_, S> {
    type Output = Result<Trajectory>;

    /// The macrospin's own LLG (stochastic with `[thermal]`).
    fn run<St: Stepper<S, 1>>(self, stepper: St) -> Result<Trajectory> {
        let (model, seed) = (self.model, self.io.seed);
        let span = Span {
            t0: 0.0,
            t_end: self.t_end,
            dt: self.dt,
        };
        go(self, |events, mut obs| {
            let mut m = [model.m0];
            let mut rng = Philox::new(seed, 0);
            model.integrate(&mut rng, stepper, &mut m, span, events, &mut obs)
        })
    }
}

impl<S: Real + Gaussian> StepperTask<S, 2> for InertialTrace<'_, '_, S> {
    type Output = Result<Trajectory>;

    /// Inertial LLG: the state is (m, dm/dt); the trace shows m.
    fn run<St: Stepper<S, 2>>(self, stepper: St) -> Result<Trajectory> {
        let (model, dt, t_end) = (self.0.model, self.0.dt, self.0.t_end);
        go(self.0, |events, mut obs| {
            let Some(inertial) = model.inertial() else {
                return Err(larmor::Error::Inconsistent {
                    what: "no [inertia] in this model",
                });
            };
            let (sys, y0) = inertial?;
            Integrator::new(sys, stepper, y0, dt)?
                .with_events::<MAX_EVENTS>()
                .run_recording(t_end, events, &mut obs)
        })
    }
}

/// Integrates `task` through `integrate` (the kernel run of its dynamics and stepper, given the
/// events and the observer), handing the rows to the sink as it goes.
fn go<S: Real + Gaussian>(
    task: Trace<'_, '_, S>,
    integrate: impl FnOnce(
        &mut [Crossing],
        &mut Observe<'_, S>,
    ) -> std::result::Result<RunStats, larmor::Error>,
) -> Result<Trajectory> {
    let Trace { sc, io, model, .. } = task;
    let u = model.units;
    let mut names = Vec::new();
    model
        .llg
        .terms
        .visit_energies(S::ZERO, &[model.m0], &mut |n, _| names.push(n.to_string()));
    (io.header)(&names)?;
    let sink = io.sink;

    let mut events: Vec<Crossing> = sc.plan.events.iter().map(Event::crossing).collect();

    let mut rows = 0u64;
    let mut last = (0u64, 0.0f64, model.m0);
    // the terms as the dynamics sees them at time t: waveforms re-expressed in a window
    // starting at t (the kernel never evaluates a drive at an absolute time)
    let mut probe = model.llg.terms.clone();
    let mut e_terms: Vec<f64> = Vec::with_capacity(names.len());
    let mut write_row = |t: f64, mv: Vec3<S>| -> Result<()> {
        probe.rebase(t);
        e_terms.clear();
        probe.visit_energies(S::ZERO, &[mv], &mut |_, e| {
            e_terms.push(model.energy_joules(e))
        });
        let field = probe
            .0
            .field_at(S::ZERO)
            .to_f64()
            .map(|h| u.reduced_to_tesla(h));
        rows += 1;
        sink(&Row {
            t: u.time_to_si(t),
            m: mv.to_f64(),
            energy: e_terms.iter().sum(),
            terms: &e_terms,
            field,
        })
    };
    let solver = &sc.plan.solver;
    let mut traced = TracedRun::new(solver, task.t_end, io.every);
    let result = {
        let mut on_step = |k: u64, t: f64, state: &[Vec3<S>]| {
            let mm = state[0];
            last = (k, t, mm);
            traced.step(k, t, || write_row(t, mm))
        };
        integrate(&mut events, &mut on_step)
    };
    let to_si = |t: f64| u.time_to_si(t);
    // always end the trace with the last state reached
    let (stats, failure) =
        traced.finish(solver, last.0, result, to_si, || write_row(last.1, last.2))?;
    let mut probe = model.llg.terms.clone();
    probe.rebase(last.1);
    let energy = model.energy_joules(probe.energy(S::ZERO, &[last.2]));
    Ok(Trajectory {
        terms: names,
        steps: last.0,
        rejected: stats.map(|s| s.rejected).unwrap_or(0),
        t_end_s: u.time_to_si(last.1),
        m: last.2.to_f64(),
        energy,
        rows,
        interrupted: stats.map(|s| s.stopped).unwrap_or(false)
            && crate::exec::interrupt::requested(),
        events: sc
            .plan
            .events
            .iter()
            .map(|e| e.name.clone())
            .zip(events.iter().map(|e| e.time.map(|t| u.time_to_si(t))))
            .collect(),
        failure,
    })
}

fn plot(sc: &Scenario, samples: &[Sample], path: &std::path::Path) -> Result<()> {
    let pts = |i: usize| column(samples, i);
    let colors = [RED, GREEN, BLUE];
    let mut panels = vec![Panel::new(
        format!("{}: m(t)", sc.file),
        "t (ns)",
        "m",
        vec![
            Series::new("mx", pts(1), colors[0]),
            Series::new("my", pts(2), colors[1]),
            Series::new("mz", pts(3), colors[2]),
        ],
    )
    .y_range(-1.05, 1.05)];
    if let Some(drive) = sc.spec.spec().drives.first() {
        // hysteresis: m and B projected on the (first) drive axis (normalised by lowering)
        let a = drive.amplitude;
        let loop_pts: Vec<(f64, f64)> = samples
            .iter()
            .map(|s| {
                (
                    (s[4] * a[0] + s[5] * a[1] + s[6] * a[2]) * 1e3,
                    s[1] * a[0] + s[2] * a[1] + s[3] * a[2],
                )
            })
            .collect();
        panels.push(
            Panel::new(
                "m along the drive axis vs applied field",
                "mu0 H along drive axis (mT)",
                "m . axis",
                vec![Series::new(
                    "m . axis",
                    decimate(&loop_pts, PLOT_POINTS),
                    colors[2],
                )],
            )
            .y_range(-1.05, 1.05),
        );
    }
    draw(path, &panels)
}

fn summary(sc: &Scenario, args: &RunArgs, out: &Trajectory, wall: f64) {
    let s = &sc.plan.solver;
    let method = s.method.name();
    eprintln!("larmor run: {} ({method}, {:?})", sc.file, args.precision);
    eprintln!(
        "  steps     {} accepted{} to t = {:.4} ns (dt {:.3e} s)",
        out.steps,
        if out.rejected > 0 {
            format!(", {} rejected", out.rejected)
        } else {
            String::new()
        },
        out.t_end_s * 1e9,
        s.dt
    );
    eprintln!(
        "  wall time {:.3} s ({:.2} M steps/s including output)",
        wall,
        out.steps as f64 / wall.max(1e-9) / 1e6
    );
    eprintln!(
        "  final m   ({:+.6}, {:+.6}, {:+.6})",
        out.m[0], out.m[1], out.m[2]
    );
    eprintln!("  energy    {:.6e} J", out.energy);
    for (name, t) in &out.events {
        match t {
            Some(t) => eprintln!("  event     {name}: t = {:.6} ns", t * 1e9),
            None => eprintln!("  event     {name}: did not happen"),
        }
    }
    eprint_wrote(args, out.rows);
}

/// `larmor run` of a `[lattice]` scenario: the average magnetisation and the energies of an
/// atomistic lattice against time.
fn run_lattice(args: &RunArgs) -> Result<()> {
    let plan = crate::scenario::lattice::load(&args.scenario)?;
    check_f64_run(args, &plan.file, "lattice")?;
    crate::exec::interrupt::install();
    let start = Instant::now();
    let out = crate::exec::lattice::run(&plan, args.seed, args.every, &args.files.out)?;
    let wall = start.elapsed().as_secs_f64();
    if let Some(p) = &args.files.plot {
        let pts = |i: usize| column(&out.samples, i);
        draw(
            p,
            &[Panel::new(
                format!("{}: average m(t) of {} spins", plan.file, plan.sites),
                "t (ns)",
                "<m>",
                vec![
                    Series::new("mx", pts(1), RED),
                    Series::new("my", pts(2), GREEN),
                    Series::new("mz", pts(3), BLUE),
                    Series::new("|<m>|", pts(4), crate::output::plot::GREY),
                ],
            )
            .y_range(-1.05, 1.05)],
        )?;
    }
    let u = plan.units;
    eprintln!(
        "larmor run: {} ({} spins, {}, T = {} K)",
        plan.file,
        plan.sites,
        plan.solver.method.name(),
        plan.temperature
    );
    eprintln!(
        "  units     J_ref = {:.4e} J, mu_s = {:.4e} J/T, time unit {:.4e} s, field unit {:.4} T, temperature unit {:.2} K",
        u.j_ref,
        u.mu_ref,
        u.time_unit(),
        u.field_unit(),
        u.temperature_unit()
    );
    eprint_steps(out.steps, out.t_end_s, plan.solver.dt, wall);
    eprintln!(
        "  final <m> ({:+.6}, {:+.6}, {:+.6})",
        out.m[0], out.m[1], out.m[2]
    );
    eprintln!("  energy    {:.6e} J", out.energy);
    eprint_wrote(args, out.rows);
    ending(out.failure, out.interrupted)
}

/// The checks of a lattice or stack run (`what`) of scenario `file` before it runs: no output
/// overwrites the scenario, and the precision is f64.
pub(crate) fn check_f64_run(args: &RunArgs, file: &str, what: &str) -> Result<()> {
    crate::output::check_files(
        &[("scenario", args.scenario.as_path())],
        &args.files.outputs(),
    )?;
    if args.precision != Precision::F64 {
        return Err(HostError::input(format!(
            "{file}: --precision f32: {what} runs are f64 only"
        )));
    }
    Ok(())
}

/// The steps line of a lattice or stack run's summary: `steps` to `t_end_s` (s) with step `dt`
/// (s) in `wall` seconds.
pub(crate) fn eprint_steps(steps: u64, t_end_s: f64, dt: f64, wall: f64) {
    eprintln!(
        "  steps     {steps} to t = {:.6} ns (dt {dt:.3e} s) in {wall:.3} s",
        t_end_s * 1e9
    );
}

/// The last line of a run's summary: the trace with its `rows`, and the plot.
pub(crate) fn eprint_wrote(args: &RunArgs, rows: u64) {
    eprint!("  wrote     {} ({rows} rows)", args.files.out.display());
    if let Some(p) = &args.files.plot {
        eprint!(", {}", p.display());
    }
    eprintln!();
}

/// How a run that wrote a trace ends: its `failure`, else an interruption (exit code 130), else
/// success; the trace is saved either way.
pub(crate) fn ending(failure: Option<String>, interrupted: bool) -> Result<()> {
    if let Some(f) = failure {
        return Err(HostError::runtime(format!(
            "{f} (the trace up to that point is saved)"
        )));
    }
    if interrupted {
        return Err(HostError {
            message: "interrupted (the trace so far is saved)".into(),
            code: 130,
        });
    }
    Ok(())
}

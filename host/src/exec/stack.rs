//! Execution stage: coupled layer stacks (`larmor run` and `larmor ensemble` of a `[[layer]]`
//! or `[[sublattice]]` scenario). The kernel's [`Stack`] (each layer's LLG in its own field,
//! the interlayer couplings, the spin-transfer torque polarised by the moving reference
//! layer) integrated by the stepper of the plan's solver (`exec::solver`), with Brown's field
//! of every layer drawn once per step ([`StackNoise`]) under `[thermal]`; the junction's
//! resistance from the kernel's [`StackMtj`]. Trial `k` of seed `s` draws the Philox stream
//! `(s, k)`: its result depends on nothing else.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use larmor::drive::Drive;
use larmor::integrate::{Control, Crossing, Direction, Integrator, RunStats};
use larmor::random::Philox;
use larmor::stack::{Stack, StackMtj, StackNoise};
use larmor::stepper::Stepper;
use larmor::Vec3;

use crate::error::{HostError, Result};
use crate::exec::campaign::TrialResult;
use crate::exec::solver::{run_error, with_stepper, StepGuard, StepperTask, TracedRun};
use crate::exec::trials::Trials;
use crate::output::AtomicFile;
use crate::scenario::stack::{Model, StackPlan, StackSwitching, MAX_LAYERS, MAX_PAIRS};

/// What a stack run produced.
#[derive(Debug)]
pub struct StackOutcome {
    /// Accepted steps.
    pub steps: u64,
    /// Time reached (s).
    pub t_end_s: f64,
    /// Final direction of each layer.
    pub m: Vec<[f64; 3]>,
    /// Final energy (J).
    pub energy: f64,
    /// Final resistance (ohm), with `[stack.mtj]`.
    pub resistance: Option<f64>,
    /// Rows written.
    pub rows: u64,
    /// Stopped by Ctrl-C.
    pub interrupted: bool,
    /// For the plot: `t (ns)`, `m_z` of each layer, `m_x` of each layer, then `R` (ohm) with a
    /// junction.
    pub samples: Vec<Vec<f64>>,
    /// The run failed (the trace so far is saved).
    pub failure: Option<String>,
    /// With `[switching]`: the first switching time (s) of the watched layer, if any.
    pub t_switch: Option<Option<f64>>,
}

/// The compiled model of a plan (both capacities of the kernel stack).
enum Compiled {
    Layers(Box<Stack<f64, MAX_LAYERS, MAX_PAIRS>>),
    Sublattices(Box<Stack<f64, 2, 1>>),
}

fn compile(plan: &StackPlan) -> Result<Compiled> {
    let fail = |e: larmor::Error| HostError::input(format!("{}: {e}", plan.file));
    Ok(match &plan.model {
        Model::Layers(spec) => Compiled::Layers(Box::new(spec.compile::<f64>().map_err(fail)?)),
        Model::Sublattices(spec) => {
            Compiled::Sublattices(Box::new(spec.compile::<f64>().map_err(fail)?))
        }
    })
}

/// The junction of a plan, for a stack of `layers` layers.
fn junction(plan: &StackPlan, layers: usize) -> Result<Option<StackMtj<f64>>> {
    let fail = |e: larmor::Error| HostError::input(format!("{}: stack.mtj: {e}", plan.file));
    plan.mtj
        .as_ref()
        .map(|j| {
            let mtj = j.spec.compile::<f64>().map_err(fail)?;
            StackMtj::new(mtj, j.free, j.reference, layers).map_err(fail)
        })
        .transpose()
}

/// The trace's header: `t`, `mx_NAME,my_NAME,mz_NAME` per layer, `energy`, then
/// `current_density` with `[stack.stt]` and `resistance` with `[stack.mtj]`.
pub fn header(plan: &StackPlan) -> String {
    let mut h = String::from("t");
    for n in &plan.names {
        let _ = write!(h, ",mx_{n},my_{n},mz_{n}");
    }
    h.push_str(",energy");
    if stt_drive(plan).is_some() {
        h.push_str(",current_density");
    }
    if plan.mtj.is_some() {
        h.push_str(",resistance");
    }
    h
}

fn stt_drive(plan: &StackPlan) -> Option<&larmor::drive::DriveSpec> {
    match &plan.model {
        Model::Layers(s) => s.stt.as_ref().map(|t| &t.current_density),
        Model::Sublattices(_) => None,
    }
}

/// The switching event of a layer: its component crossing `-sign threshold` away from its
/// initial sign.
fn crossing(sw: &StackSwitching) -> Crossing {
    Crossing {
        spin: sw.layer,
        component: sw.component,
        threshold: -sw.sign * sw.threshold,
        direction: if sw.sign < 0.0 {
            Direction::Rising
        } else {
            Direction::Falling
        },
        time: None,
        lane: 0,
    }
}

/// Integrates `stack` from its `m0` to reduced `t_end` with `stepper`, stochastic with
/// Brown's field at `temperature` (from `rng`) when given, watching `events`; the final (or
/// last good) state is left in `state`.
#[allow(clippy::too_many_arguments)]
fn integrate<St: Stepper<f64, N>, const N: usize, const P: usize>(
    stack: &Stack<f64, N, P>,
    stepper: St,
    temperature: Option<Drive<f64>>,
    rng: Philox,
    dt: f64,
    t_end: f64,
    state: &mut heapless::Vec<Vec3<f64>, N>,
    events: &mut [Crossing],
    obs: &mut impl FnMut(u64, f64, &[Vec3<f64>]) -> Control,
) -> std::result::Result<RunStats, larmor::Error> {
    match temperature {
        Some(t) => {
            let noise = StackNoise::new(stack, t, rng)?;
            Integrator::with_kick(stack.llg.clone(), stepper, stack.m0.clone(), dt, noise)?
                .run_span(state, (0.0, t_end), events, obs)
        }
        None => Integrator::new(stack.llg.clone(), stepper, stack.m0.clone(), dt)?.run_span(
            state,
            (0.0, t_end),
            events,
            obs,
        ),
    }
}

/// Runs the trajectory of `plan` (thermal noise from the stream `(seed, 0)`), writing every
/// `every`-th step (and the last) to `out`.
///
/// # Errors
/// An output that cannot be written; a model the kernel refuses.
pub fn run(plan: &StackPlan, seed: u64, every: u64, out: &Path) -> Result<StackOutcome> {
    match compile(plan)? {
        Compiled::Layers(s) => run_n(plan, &s, seed, every, out),
        Compiled::Sublattices(s) => run_n(plan, &s, seed, every, out),
    }
}

fn run_n<const N: usize, const P: usize>(
    plan: &StackPlan,
    stack: &Stack<f64, N, P>,
    seed: u64,
    every: u64,
    out: &Path,
) -> Result<StackOutcome> {
    let u = stack.units;
    let task = RunTask {
        plan,
        stack,
        mtj: junction(plan, stack.m0.len())?,
        seed,
        every,
        out,
        dt: u.time_to_reduced(plan.solver.dt),
        t_end: u.time_to_reduced(plan.solver.duration),
    };
    let (dt, t_end) = (task.dt, task.t_end);
    with_stepper(&plan.solver, dt, t_end, task)?
}

struct RunTask<'a, const N: usize, const P: usize> {
    plan: &'a StackPlan,
    stack: &'a Stack<f64, N, P>,
    mtj: Option<StackMtj<f64>>,
    seed: u64,
    every: u64,
    out: &'a Path,
    dt: f64,
    t_end: f64,
}

impl<const N: usize, const P: usize> StepperTask<f64, N> for RunTask<'_, N, P> {
    type Output = Result<StackOutcome>;

    fn run<St: Stepper<f64, N>>(self, stepper: St) -> Result<StackOutcome> {
        let RunTask {
            plan,
            stack,
            mtj,
            seed,
            every,
            out,
            dt,
            t_end,
        } = self;
        let u = stack.units;
        let stt = stt_drive(plan);
        let mut file = AtomicFile::create(out)?;
        let io = |e: std::io::Error| HostError::runtime(format!("writing {}: {e}", out.display()));
        writeln!(file.writer(), "{}", header(plan)).map_err(io)?;
        let mut rows = 0u64;
        let mut samples = Vec::new();
        let mut line = String::with_capacity(256);
        let energy = |m: &[Vec3<f64>]| {
            use larmor::llg::Dynamics;
            stack.llg.energy(0.0, m) * stack.energy_unit
        };
        let mut write_row =
            |t: f64, m: &[Vec3<f64>], file: &mut AtomicFile| -> std::io::Result<()> {
                line.clear();
                let t_s = u.time_to_si(t);
                let _ = write!(line, "{t_s:.9e}");
                let mut sample = vec![t_s * 1e9];
                sample.extend(m.iter().map(|v| v.z));
                sample.extend(m.iter().map(|v| v.x));
                for v in m {
                    // + 0.0: no -0 in the file
                    let _ = write!(
                        line,
                        ",{:.12},{:.12},{:.12}",
                        v.x + 0.0,
                        v.y + 0.0,
                        v.z + 0.0
                    );
                }
                let _ = write!(line, ",{:.9e}", energy(m) + 0.0);
                if let Some(d) = stt {
                    let _ = write!(line, ",{:.6e}", d.value_si(t_s) + 0.0);
                }
                if let Some(j) = &mtj {
                    let r = j.resistance(m, 0.0);
                    let _ = write!(line, ",{r:.6}");
                    sample.push(r);
                }
                line.push('\n');
                file.writer().write_all(line.as_bytes())?;
                samples.push(sample);
                rows += 1;
                Ok(())
            };
        let mut events: Vec<Crossing> = plan.switching.iter().map(crossing).collect();
        let mut state = stack.m0.clone();
        let mut traced = TracedRun::new(&plan.solver, t_end, every);
        let mut last = (0u64, 0.0f64);
        let temperature = plan.thermal.then(|| plan.temperature.compile::<f64>(&u));
        let result = {
            let mut obs = |k: u64, t: f64, m: &[Vec3<f64>]| {
                last = (k, t);
                traced.step(k, t, || write_row(t, m, &mut file).map_err(io))
            };
            integrate(
                stack,
                stepper,
                temperature,
                Philox::new(seed, 0),
                dt,
                t_end,
                &mut state,
                &mut events,
                &mut obs,
            )
        };
        let to_si = |t: f64| u.time_to_si(t);
        // always end the trace with the last state reached
        let (stats, failure) = traced.finish(&plan.solver, last.0, result, to_si, || {
            write_row(last.1, &state, &mut file).map_err(io)
        })?;
        file.finish()?;
        Ok(StackOutcome {
            steps: last.0,
            t_end_s: u.time_to_si(last.1),
            m: state.iter().map(|v| v.to_f64()).collect(),
            energy: energy(&state),
            resistance: mtj.as_ref().map(|j| j.resistance(&state, 0.0)),
            rows,
            interrupted: stats.is_some_and(|s| s.stopped) && crate::exec::interrupt::requested(),
            samples,
            failure,
            t_switch: plan
                .switching
                .as_ref()
                .map(|_| events.first().and_then(|e| e.time).map(to_si)),
        })
    }
}

/// A switching campaign of a stack: every trial starts from the layers' `m0` and is read at
/// `[switching] read_time`; the watched layer's row goes into TRIALS.csv.
pub struct StackCampaign {
    plan: StackPlan,
    model: Compiled,
    sw: StackSwitching,
}

impl StackCampaign {
    /// The campaign of a plan with `[switching]`.
    ///
    /// # Errors
    /// A plan without `[switching]`; a model the kernel refuses.
    pub fn new(plan: &StackPlan) -> Result<Self> {
        let Some(sw) = plan.switching else {
            return Err(HostError::input(format!(
                "{}: an ensemble needs a [switching] table (layer = name or index, read_time = s; every trial starts at the layers' m0)",
                plan.file
            )));
        };
        Ok(Self {
            plan: plan.clone(),
            model: compile(plan)?,
            sw,
        })
    }

    fn trial_n<const N: usize, const P: usize>(
        &self,
        stack: &Stack<f64, N, P>,
        seed: u64,
        stream: u64,
        trial: u64,
    ) -> Result<TrialResult> {
        let u = stack.units;
        let t_read = u.time_to_reduced(self.sw.read_time);
        let task = TrialTask {
            camp: self,
            stack,
            seed,
            stream,
            trial,
            dt: u.time_to_reduced(self.plan.solver.dt),
            t_read,
        };
        with_stepper(&self.plan.solver, task.dt, t_read, task)?
    }
}

impl Trials for StackCampaign {
    fn trial(&self, seed: u64, stream: u64, trial: u64) -> Result<TrialResult> {
        match &self.model {
            Compiled::Layers(s) => self.trial_n(s, seed, stream, trial),
            Compiled::Sublattices(s) => self.trial_n(s, seed, stream, trial),
        }
    }
}

struct TrialTask<'a, const N: usize, const P: usize> {
    camp: &'a StackCampaign,
    stack: &'a Stack<f64, N, P>,
    seed: u64,
    stream: u64,
    trial: u64,
    dt: f64,
    t_read: f64,
}

impl<const N: usize, const P: usize> StepperTask<f64, N> for TrialTask<'_, N, P> {
    type Output = Result<TrialResult>;

    fn run<St: Stepper<f64, N>>(self, stepper: St) -> Result<TrialResult> {
        let c = self.camp;
        let (plan, sw, u) = (&c.plan, &c.sw, self.stack.units);
        let mut ev = [crossing(sw)];
        let mut state = self.stack.m0.clone();
        let mut guard = StepGuard::new(&plan.solver, self.t_read);
        let mut obs = |k: u64, t: f64, _: &[Vec3<f64>]| guard.check(k, t);
        let temperature = plan.thermal.then(|| plan.temperature.compile::<f64>(&u));
        let r = integrate(
            self.stack,
            stepper,
            temperature,
            Philox::new(self.seed, self.stream),
            self.dt,
            self.t_read,
            &mut state,
            &mut ev,
            &mut obs,
        );
        let to_si = |t: f64| u.time_to_si(t);
        let fail = |e: String| HostError::runtime(format!("trial {}: {e}", self.trial));
        r.map_err(|e| fail(run_error(&plan.solver, &e, to_si)))?;
        if let Some(e) = guard.error(&plan.solver, to_si) {
            return Err(fail(e));
        }
        let m = state.get(sw.layer).copied().unwrap_or(Vec3::ZERO).to_f64();
        Ok(TrialResult {
            trial: self.trial,
            switched: m[sw.component] * sw.sign < -sw.threshold,
            t_switch: ev[0].time.map(to_si),
            m,
        })
    }
}

//! Execution stage: switching campaigns, one scenario and many independent stochastic trials.
//!
//! Trial `k` of seed `s` integrates the stochastic LLG equation with the Philox stream
//! `(s, k)`: its result depends on nothing else (not on threads, shards, or machines).

use larmor::integrate::{Crossing, Direction};
use larmor::params::{Macrospin, Span, Validated};
use larmor::random::Gaussian;
use larmor::random::Philox;
use larmor::stepper::Stepper;
use larmor::{Real, Vec3};

use crate::error::{HostError, Result};
use crate::exec::solver::{run_error, with_stepper, StepGuard, StepperTask};
use crate::scenario::{Scenario, Solver};

/// Outcome of one trial (its CSV row: `output::trials`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrialResult {
    /// Trial index.
    pub trial: u64,
    /// The switching-axis component changed sign by the read time.
    pub switched: bool,
    /// First time (s) the component crossed zero, if it did.
    pub t_switch: Option<f64>,
    /// State at the read time.
    pub m: [f64; 3],
}

/// A compiled campaign for scalar `S`.
pub struct Campaign<S> {
    model: Macrospin<S>,
    initial: Vec3<S>,
    component: usize,
    initial_sign: f64,
    dt: f64,
    t_read: f64,
    solver: Solver,
}

impl<S: Real + Gaussian> Campaign<S> {
    /// Builds the campaign of a scenario (needs `[switching]`).
    pub fn new(sc: &Scenario) -> Result<Self> {
        Self::with_spec(sc, &sc.spec)
    }

    /// The campaign of a scenario with modified kernel parameters (sweeps).
    pub fn with_spec(sc: &Scenario, spec: &Validated) -> Result<Self> {
        let sw = sc.plan.switching.as_ref().ok_or_else(|| {
            HostError::input(format!(
                "{}: an ensemble needs a [switching] table (read_time = s; every trial starts at [magnet] m0)",
                sc.file
            ))
        })?;
        if spec.spec().inertia.is_some() {
            return Err(sc.at_key(
                "inertia",
                "[inertia] runs with `larmor run` only (ensembles and sweeps integrate plain stochastic LLG)",
            ));
        }
        let model: Macrospin<S> = sc.compile(spec)?;
        let u = model.units;
        Ok(Self {
            initial: Vec3::from_f64(sw.initial),
            component: sw.component,
            initial_sign: sw.initial[sw.component].signum(),
            dt: u.time_to_reduced(sc.plan.solver.dt),
            t_read: u.time_to_reduced(sw.read_time),
            solver: sc.plan.solver,
            model,
        })
    }

    /// Runs trial `trial` with the stream `(seed, stream)`.
    pub fn trial(&self, seed: u64, stream: u64, trial: u64) -> Result<TrialResult> {
        let task = Trial {
            camp: self,
            seed,
            stream,
            trial,
        };
        with_stepper(&self.solver, self.dt, self.t_read, task)?
    }

    /// Reduced read time.
    pub fn t_read(&self) -> f64 {
        self.t_read
    }

    /// Reduced time step of the solver.
    pub fn dt(&self) -> f64 {
        self.dt
    }

    /// Index of the switching-axis component and the sign of the start state along it.
    pub fn axis(&self) -> (usize, f64) {
        (self.component, self.initial_sign)
    }

    /// The start state of every trial.
    pub fn initial(&self) -> [f64; 3] {
        self.initial.to_f64()
    }

    /// One piece of a trial (the path splitting of `larmor wer --method ams`): the same
    /// stochastic LLG, stepper and step guard as [`Campaign::trial`], from state `m0` at
    /// reduced time `t0` to the read time with the Philox stream `(seed, stream)`. `obs` sees
    /// every accepted step (its index from `t0`, reduced time, state) and may stop the run;
    /// returns the last state.
    pub fn segment(
        &self,
        seed: u64,
        stream: u64,
        t0: f64,
        m0: [f64; 3],
        obs: impl FnMut(u64, f64, [f64; 3]) -> larmor::integrate::Control,
    ) -> Result<[f64; 3]> {
        let task = Segment {
            camp: self,
            seed,
            stream,
            t0,
            m0,
            obs,
        };
        with_stepper(&self.solver, self.dt, self.t_read, task)?
    }
}

/// A piece of a trial, waiting for its stepper.
struct Segment<'a, S, O> {
    camp: &'a Campaign<S>,
    seed: u64,
    stream: u64,
    t0: f64,
    m0: [f64; 3],
    obs: O,
}

impl<S, O> StepperTask<S> for Segment<'_, S, O>
where
    S: Real + Gaussian,
    O: FnMut(u64, f64, [f64; 3]) -> larmor::integrate::Control,
{
    type Output = Result<[f64; 3]>;

    fn run<St: Stepper<S, 1>>(mut self, st: St) -> Result<[f64; 3]> {
        let c = self.camp;
        let mut m = [Vec3::from_f64(self.m0)];
        let mut rng = Philox::new(self.seed, self.stream);
        let mut guard = StepGuard::new(&c.solver, c.t_read);
        let user = &mut self.obs;
        let mut obs = |k: u64, t: f64, s: &[Vec3<S>]| {
            if guard.check(k, t) == larmor::integrate::Control::Stop {
                return larmor::integrate::Control::Stop;
            }
            user(k, t, s[0].to_f64())
        };
        let r = c.model.integrate(
            &mut rng,
            st,
            &mut m,
            Span {
                t0: self.t0,
                t_end: c.t_read,
                dt: c.dt,
            },
            &mut [],
            &mut obs,
        );
        let to_si = |t: f64| c.model.units.time_to_si(t);
        let fail = |e: String| HostError::runtime(format!("stream {}: {e}", self.stream));
        r.map_err(|e| fail(run_error(&c.solver, &e, to_si)))?;
        if let Some(e) = guard.error(&c.solver, to_si) {
            return Err(fail(e));
        }
        Ok(m[0].to_f64())
    }
}

/// One trial, waiting for its stepper.
struct Trial<'a, S> {
    camp: &'a Campaign<S>,
    seed: u64,
    stream: u64,
    trial: u64,
}

impl<S: Real + Gaussian> StepperTask<S> for Trial<'_, S> {
    type Output = Result<TrialResult>;

    fn run<St: Stepper<S, 1>>(self, st: St) -> Result<TrialResult> {
        let c = self.camp;
        let mut m = [c.initial];
        let dir = if c.initial_sign < 0.0 {
            Direction::Rising
        } else {
            Direction::Falling
        };
        let mut ev = [Crossing {
            spin: 0,
            component: c.component,
            threshold: 0.0,
            direction: dir,
            time: None,
        }];
        let mut rng = Philox::new(self.seed, self.stream);
        let mut guard = StepGuard::new(&c.solver, c.t_read);
        let mut obs = |k: u64, t: f64, _: &[Vec3<S>]| guard.check(k, t);
        let r = c.model.integrate(
            &mut rng,
            st,
            &mut m,
            Span {
                t0: 0.0,
                t_end: c.t_read,
                dt: c.dt,
            },
            &mut ev,
            &mut obs,
        );
        let to_si = |t: f64| c.model.units.time_to_si(t);
        let fail = |e: String| HostError::runtime(format!("trial {}: {e}", self.trial));
        r.map_err(|e| fail(run_error(&c.solver, &e, to_si)))?;
        if let Some(e) = guard.error(&c.solver, to_si) {
            return Err(fail(e));
        }
        let mf = m[0].to_f64();
        Ok(TrialResult {
            trial: self.trial,
            switched: mf[c.component] * c.initial_sign < 0.0,
            t_switch: ev[0].time.map(|t| c.model.units.time_to_si(t)),
            m: mf,
        })
    }
}

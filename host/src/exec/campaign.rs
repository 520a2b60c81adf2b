//! Execution stage: switching campaigns, one scenario and many independent stochastic trials.
//!
//! Trial `k` of seed `s` integrates the stochastic LLG equation with the Philox stream
//! `(s, k)`: its result depends on nothing else (not on threads, shards, lane batches, or
//! machines).
//!
//! Fixed-step campaigns run their trials [`LANES`] at a time in the lanes of one
//! [`Lanes`] scalar ([`Campaign::batch`]): one pass of the kernel's steppers advances all of
//! them, each lane bit-identical to its trial run alone (the kernel's `lanes` module says why).
//! A batch in which any trial fails is run again trial by trial, so a trial that fails (a NaN
//! in one lane) fails alone, with the message it has alone, and the others keep their results.

use larmor::integrate::{Crossing, Direction};
use larmor::lanes::{LaneStreams, Lanes};
use larmor::params::{Macrospin, Span, Validated};
use larmor::random::Gaussian;
use larmor::random::Philox;
use larmor::stepper::{Heun, Midpoint, Rk4, Stepper};
use larmor::{Real, Vec3};

use crate::error::{HostError, Result};
use crate::exec::solver::{run_error, with_stepper, StepGuard, StepperTask};
use crate::scenario::plan::Switching;
use crate::scenario::{Method, Scenario, Solver};

/// Trials in one lane batch ([`Campaign::batch`]): `f64x8` is one AVX-512 register or two AVX2
/// ones, `f32x8` one AVX2 register.
pub const LANES: usize = 8;

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
    /// The same model on lanes, for the fixed-step methods (`None`: trials run one by one).
    lanes: Option<Macrospin<Lanes<S, LANES>>>,
    initial: Vec3<S>,
    component: usize,
    initial_sign: f64,
    dt: f64,
    t_read: f64,
    solver: Solver,
}

/// The scenario's `[switching]` table, which trials need (`what`: who needs it, for the
/// message).
pub fn switching<'a>(sc: &'a Scenario, what: &str) -> Result<&'a Switching> {
    sc.plan.switching.as_ref().ok_or_else(|| {
        HostError::input(format!(
            "{}: {what} needs a [switching] table (read_time = s; every trial starts at [magnet] m0)",
            sc.file
        ))
    })
}

impl<S: Real + Gaussian> Campaign<S> {
    /// Builds the campaign of a scenario (needs `[switching]`).
    pub fn new(sc: &Scenario) -> Result<Self> {
        Self::with_spec(sc, &sc.spec)
    }

    /// The campaign of a scenario with modified kernel parameters (sweeps).
    pub fn with_spec(sc: &Scenario, spec: &Validated) -> Result<Self> {
        let sw = switching(sc, "an ensemble")?;
        if spec.spec().inertia.is_some() {
            return Err(sc.at_key(
                "inertia",
                "[inertia] runs with `larmor run` only (ensembles and sweeps integrate plain stochastic LLG)",
            ));
        }
        let model: Macrospin<S> = sc.compile(spec)?;
        // an adaptive step is chosen per trial: dopri45 and dop853 trials run one by one
        let lanes = match sc.plan.solver.method {
            Method::Dopri45 | Method::Dop853 => None,
            Method::Heun | Method::Rk4 | Method::Midpoint => Some(sc.compile(spec)?),
        };
        let u = model.units;
        Ok(Self {
            lanes,
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

    /// The campaign with its trials run one by one when `yes` (`--lanes 1`: the same results,
    /// slower), else as it is.
    #[must_use]
    pub fn one_by_one_if(mut self, yes: bool) -> Self {
        if yes {
            self.lanes = None;
        }
        self
    }

    /// Trials run side by side by [`Campaign::batch`]: [`LANES`], or 1 when they run one by one
    /// (adaptive steps, or [`Campaign::one_by_one_if`]).
    pub fn batch_len(&self) -> u64 {
        if self.lanes.is_some() {
            LANES as u64
        } else {
            1
        }
    }

    /// Trials `first .. first + LANES` (streams `(seed, stream_base + trial)`) side by side in
    /// lanes, each with the bits of [`Campaign::trial`]; `None` when the campaign runs trials
    /// one by one, or when the batch failed (a trial's NaN, a step guard): the caller then runs
    /// them one by one, so that only the failing trial fails, with its own message.
    pub fn batch(&self, seed: u64, stream_base: u64, first: u64) -> Option<[TrialResult; LANES]> {
        let model = self.lanes.as_ref()?;
        let task = LaneTrial {
            camp: self,
            model,
            seed,
            stream_base,
            first,
        };
        match self.solver.method {
            Method::Heun => task.run(Heun::new()),
            Method::Rk4 => task.run(Rk4::new()),
            Method::Midpoint => task.run(Midpoint::new()),
            Method::Dopri45 | Method::Dop853 => None,
        }
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

/// A batch of [`LANES`] trials, waiting for its stepper.
struct LaneTrial<'a, S> {
    camp: &'a Campaign<S>,
    model: &'a Macrospin<Lanes<S, LANES>>,
    seed: u64,
    stream_base: u64,
    first: u64,
}

impl<S: Real + Gaussian> LaneTrial<'_, S> {
    fn run<St: Stepper<Lanes<S, LANES>, 1>>(self, st: St) -> Option<[TrialResult; LANES]> {
        let c = self.camp;
        let mut m = [Vec3::from_f64(c.initial.to_f64())];
        let one = c.crossing(0);
        let mut ev: [Crossing; LANES] = core::array::from_fn(|lane| Crossing { lane, ..one });
        let mut rng = LaneStreams(core::array::from_fn(|i| {
            Philox::new(self.seed, self.stream_base + self.first + i as u64)
        }));
        let mut guard = StepGuard::new(&c.solver, c.t_read);
        let mut obs = |k: u64, t: f64, _: &[Vec3<Lanes<S, LANES>>]| guard.check(k, t);
        let span = Span {
            t0: 0.0,
            t_end: c.t_read,
            dt: c.dt,
        };
        let r = self
            .model
            .integrate(&mut rng, st, &mut m, span, &mut ev, &mut obs);
        if r.is_err() || guard.hit.is_some() {
            return None;
        }
        let v = m[0];
        Some(core::array::from_fn(|i| {
            c.result(
                self.first + i as u64,
                [v.x.lane(i), v.y.lane(i), v.z.lane(i)],
                ev[i].time,
            )
        }))
    }
}

impl<S: Real + Gaussian> Campaign<S> {
    /// The crossing a trial records: the switching-axis component through zero, away from its
    /// start sign, in lane `lane`.
    fn crossing(&self, lane: usize) -> Crossing {
        Crossing {
            spin: 0,
            component: self.component,
            threshold: 0.0,
            direction: if self.initial_sign < 0.0 {
                Direction::Rising
            } else {
                Direction::Falling
            },
            time: None,
            lane,
        }
    }

    /// The result of trial `trial` from its state at the read time and its crossing (reduced).
    fn result(&self, trial: u64, m: [f64; 3], crossing: Option<f64>) -> TrialResult {
        TrialResult {
            trial,
            switched: m[self.component] * self.initial_sign < 0.0,
            t_switch: crossing.map(|t| self.model.units.time_to_si(t)),
            m,
        }
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
        let mut ev = [c.crossing(0)];
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
        Ok(c.result(self.trial, m[0].to_f64(), ev[0].time))
    }
}

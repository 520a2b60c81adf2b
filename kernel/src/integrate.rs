//! The resumable integrator: one object that owns a dynamics, a stepper, the state, the clock,
//! the events and (for stochastic runs) the noise source, and advances them on request.
//!
//! ```text
//! Integrator::new(sys, stepper, state, dt)     deterministic
//! Integrator::thermal(llg, stepper, m, dt, thermal, rng)   Brown's field drawn once per step
//!   .with_events::<E>()        room for E threshold crossings (none by default: no cost)
//!   .step()                    one step
//!   .advance_steps(n)          n steps (what n calls of step() do, without their loop's tests)
//!   .advance_to(t)             steps until t (the last step shortened to land on it), or an event
//!   .run_to(t, observer)       the same, reporting every accepted step
//!   .checkpoint() / restore()  state, clock, step count and RNG position: a run continues
//!                              bit for bit
//! ```
//!
//! **Device time.** Absolute time is never held in the model scalar. The clock counts steps
//! (`u64`) and keeps absolute reduced time in `f64` for reports only; the dynamics sees a
//! *window-local* time `t_local = t - epoch` in its scalar, which stays below [`WINDOW`]: when
//! it would pass it, the epoch moves forward and the dynamics re-expresses its drives in the new
//! window ([`Dynamics::rebase`]). An f32 or Q26 model therefore keeps the same time resolution
//! after a second of device time as after a picosecond. For a fixed step the local time is
//! `k dt` (one rounding, no accumulation); an autonomous model never reads it, and the
//! compiler drops the bookkeeping.
//!
//! **Tiny components.** After every [`FLUSH_EVERY`]-th accepted step (counted from the start,
//! checkpointed with the clock) the state's components below [`Real::TINY`] are set to zero
//! ([`crate::state::flush`]), before the events and the observer see it: a settled state never
//! decays into subnormal numbers, and a resumed run flushes where the uninterrupted one did.
//!
//! **Events** are threshold crossings of one spin component, located on the cubic Hermite
//! interpolant of the step (values and derivatives at both ends, O(dt^4)); a crossing either
//! records its time or also stops the run ([`EventAction`]).

use crate::error::{check_min, Error};
use crate::field::FieldTerm;
use crate::llg::{Dynamics, LlgSystem};
use crate::random::NormalSource;
use crate::real::Real;
use crate::state::{flush, flush_due, Storage, FLUSH_EVERY};
use crate::stepper::{fits, Step, Stepper};
use crate::thermal::{Noisy, Thermal};
use crate::vec3::Vec3;

/// Length of the local-time window (reduced time units): the dynamics never sees a time larger
/// than this plus one step. 4 is exact in every scalar (Q26 holds [-32, 32)); an f32 local time
/// below 4 has a resolution of 4.8e-7, 2e-5 of a 0.1 ps step of a typical free layer.
pub const WINDOW: f64 = 4.0;

/// Event capacity for [`Integrator::with_events`] when one does not need to choose: 8.
pub const MAX_EVENTS: usize = 8;

/// Which sign changes a [`Crossing`] reacts to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Direction {
    /// From below to above the threshold.
    Rising,
    /// From above to below.
    Falling,
    /// Either.
    Either,
}

/// Event: the first time component `component` (0 = x, 1 = y, 2 = z) of state vector `spin`
/// crosses `threshold` in `direction`, located on the step's cubic Hermite interpolant.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Crossing {
    /// Index of the state vector (the spin).
    pub spin: usize,
    /// Component index (0, 1, 2).
    pub component: usize,
    /// Threshold value.
    pub threshold: f64,
    /// Direction.
    pub direction: Direction,
    /// Reduced time of the first crossing, once it happened.
    pub time: Option<f64>,
    /// The lane (trial) watched, for a lane scalar ([`crate::lanes::Lanes`]); 0 otherwise.
    pub lane: usize,
}

impl Crossing {
    /// A crossing of `m_z` of spin 0 through `threshold`.
    pub fn mz(threshold: f64, direction: Direction) -> Self {
        Self {
            spin: 0,
            component: 2,
            threshold,
            direction,
            time: None,
            lane: 0,
        }
    }
}

/// What happens when an event fires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum EventAction {
    /// Record its time and go on.
    Record,
    /// Record its time and stop [`Integrator::advance_to`] after the step.
    Stop,
}

/// What the observer wants after a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Control {
    /// Go on.
    Continue,
    /// Stop the run now (e.g. interrupted by the user).
    Stop,
}

/// Receives the state after the start and after every accepted step.
pub trait Observer<S: Real> {
    /// `step` counts accepted steps (0 = initial state); `t` is absolute reduced time.
    fn observe(&mut self, step: u64, t: f64, m: &[Vec3<S>]) -> Control;
}

impl<S: Real> Observer<S> for () {
    #[inline(always)]
    fn observe(&mut self, _: u64, _: f64, _: &[Vec3<S>]) -> Control {
        Control::Continue
    }
}

impl<S: Real, F: FnMut(u64, f64, &[Vec3<S>]) -> Control> Observer<S> for F {
    #[inline(always)]
    fn observe(&mut self, step: u64, t: f64, m: &[Vec3<S>]) -> Control {
        self(step, t, m)
    }
}

/// Why [`Integrator::advance_to`] or [`Integrator::run_to`] returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Stop {
    /// The requested time was reached.
    Reached,
    /// The event with this index (in the order of [`Integrator::add_event`]) fired and is a
    /// stopping one.
    Event(usize),
    /// The observer asked to stop.
    Observer,
}

/// Summary of a run so far.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct RunStats {
    /// Accepted steps.
    pub steps: u64,
    /// Rejected attempts (adaptive methods).
    pub rejected: u64,
    /// Reduced time reached.
    pub t: f64,
    /// `true` if the observer stopped the run early.
    pub stopped: bool,
}

/// What a step adds to the deterministic dynamics: nothing (`()`), or a stochastic field drawn
/// once per step ([`ThermalKick`]).
pub trait Kick<S: Real, D: Dynamics<S>, const N: usize> {
    /// One step of `stepper` on `sys` with this kick applied, from local time `t`.
    ///
    /// # Errors
    /// The stepper's; [`Error::Capacity`] if `m` is longer than the capacity `N`.
    fn step<St: Stepper<S, N>>(
        &mut self,
        sys: &D,
        stepper: &mut St,
        t: S,
        m: &mut [Vec3<S>],
        dt: S,
    ) -> Result<Step<S>, Error>;
    /// `false` if the kick depends on time (then the integrator keeps a local-time window).
    const AUTONOMOUS: bool = true;
    /// Re-expresses time-dependent parameters (a temperature waveform) relative to `epoch`;
    /// returns their horizon (see [`Dynamics::rebase`]).
    fn rebase(&mut self, _epoch: f64) -> f64 {
        f64::INFINITY
    }
}

impl<S: Real, D: Dynamics<S>, const N: usize> Kick<S, D, N> for () {
    #[inline(always)]
    fn step<St: Stepper<S, N>>(
        &mut self,
        sys: &D,
        stepper: &mut St,
        t: S,
        m: &mut [Vec3<S>],
        dt: S,
    ) -> Result<Step<S>, Error> {
        stepper.step(sys, t, m, dt)
    }
}

/// Brown's thermal field ([`Thermal`]) and the random stream it is drawn from: before every
/// step the field is drawn once and held over all stages (Stratonovich).
#[derive(Clone, Debug)]
pub struct ThermalKick<S, R, const N: usize> {
    /// The thermal field.
    pub thermal: Thermal<S, N>,
    /// Its random stream.
    pub rng: R,
}

impl<S, L, R, const N: usize> Kick<S, L, N> for ThermalKick<S, R, N>
where
    S: Real,
    L: LlgSystem<S> + Dynamics<S>,
    R: NormalSource<S>,
{
    #[inline(always)]
    fn step<St: Stepper<S, N>>(
        &mut self,
        llg: &L,
        stepper: &mut St,
        t: S,
        m: &mut [Vec3<S>],
        dt: S,
    ) -> Result<Step<S>, Error> {
        fits::<S, N>(m)?;
        let n = m.len();
        self.thermal.draw_from(n, t, dt, &mut self.rng);
        if !<L::Terms as FieldTerm<S>>::UNIFORM_NOISE {
            let terms = &llg.llg().terms;
            for (i, h) in self.thermal.h.iter_mut().take(n).enumerate() {
                // a factor of 1 leaves the draw as it is (x * 1 = x in every scalar)
                let f = terms.noise_scale(i);
                if f != S::ONE {
                    *h = h.scale(f);
                }
            }
        }
        let noisy = Noisy {
            llg: llg.llg(),
            h: &self.thermal.h[..n],
        };
        stepper.step(&noisy, t, m, dt)
    }
    const AUTONOMOUS: bool = false;
    fn rebase(&mut self, epoch: f64) -> f64 {
        self.thermal.temperature.rebase(epoch)
    }
}

/// Where an integrator is in time.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
struct Clock {
    /// Accepted steps since the start.
    steps: u64,
    /// Rejected attempts since the start.
    rejected: u64,
    /// Absolute reduced time of the grid origin (fixed-step methods: `t = origin + k dt`).
    origin: f64,
    /// Steps since `origin`.
    k: u64,
    /// Absolute reduced time (adaptive methods; fixed-step ones compute `origin + k h`).
    t: f64,
    /// Start of the current local-time window (absolute reduced time).
    epoch: f64,
    /// `k` at the start of the window.
    window_k: u64,
    /// Absolute reduced time up to which the waveforms' local forms are exact.
    horizon: f64,
    /// Step size for the next step (reduced; adaptive methods update it).
    h: f64,
    /// The initial state has been reported to an observer.
    reported: bool,
}

/// A snapshot from which [`Integrator::restore`] continues a run bit for bit: the state, the
/// clock (step count, time, window, next step size), the events and the noise source with its
/// random stream position.
#[derive(Clone, Debug)]
pub struct Checkpoint<S, K, const N: usize, const E: usize = 0, B = [Vec3<S>; N]> {
    state: B,
    clock: Clock,
    time: f64,
    limit: S,
    events: heapless::Vec<(Crossing, EventAction), E>,
    kick: K,
}

impl<S: Real, K, const N: usize, const E: usize, B: Storage<S, N>> Checkpoint<S, K, N, E, B> {
    /// The state at the checkpoint.
    pub fn state(&self) -> &[Vec3<S>] {
        self.state.as_slice()
    }
    /// Accepted steps at the checkpoint.
    pub fn steps(&self) -> u64 {
        self.clock.steps
    }
    /// Absolute reduced time at the checkpoint.
    pub fn time(&self) -> f64 {
        self.time
    }
}

/// A resumable integrator of the dynamics `D` with stepper `St`, a state of capacity `N` in
/// storage `B` (a fixed array `[Vec3<S>; N]` by default, or a `heapless::Vec<Vec3<S>, N>` for a
/// length chosen at run time; see [`crate::state::Storage`]), kick `K` and room for `E` events
/// (see the [module docs](self)).
/// With `E = 0` (what [`Integrator::new`] gives; [`Integrator::with_events`] makes room) no
/// event code is compiled into the step.
#[derive(Clone, Debug)]
pub struct Integrator<S: Real, D, St, const N: usize, K = (), const E: usize = 0, B = [Vec3<S>; N]>
{
    sys: D,
    stepper: St,
    state: B,
    /// The state before the last step, and the slope buffer, for locating events (written only
    /// when events are watched).
    prev: B,
    slope: B,
    clock: Clock,
    /// Some waveform depends on time (decided at each rebase: constant drives do not count);
    /// when `false` the dynamics sees local time 0 and no window is kept.
    timed: bool,
    /// Local time at which the next step starts a new window: [`WINDOW`], or less when a
    /// waveform's local form ends sooner (its horizon minus a step), in the model scalar.
    limit: S,
    /// The fixed step in the model scalar.
    dt: S,
    events: heapless::Vec<(Crossing, EventAction), E>,
    kick: K,
}

impl<S, D, St, B, const N: usize> Integrator<S, D, St, N, (), 0, B>
where
    S: Real,
    D: Dynamics<S>,
    St: Stepper<S, N>,
    B: Storage<S, N>,
{
    /// A deterministic integrator starting at reduced time 0 from `state`, with step `dt`
    /// (reduced; the first try for adaptive steppers).
    ///
    /// ```
    /// use larmor::{field::Zeeman, integrate::Integrator, llg::Llg, stepper::Rk4, Vec3};
    /// let sys = Llg::new(0.5f64, Zeeman::constant(Vec3::Z));
    /// let mut run = Integrator::new(sys, Rk4::new(), [Vec3::X], 0.01).unwrap();
    /// run.advance_to(40.0).unwrap();
    /// assert_eq!(run.steps(), 4000);
    /// assert!(run.state()[0].z > 0.9999);
    /// ```
    ///
    /// # Errors
    /// [`Error::OutOfRange`] (key `solver.dt`) unless `dt` is finite and > 0;
    /// [`Error::NonFiniteState`] for a non-finite initial state; [`Error::Empty`] for an empty
    /// one; [`Error::Capacity`] for a state longer than the capacity `N` (of the stepper's
    /// scratch and the noise field).
    pub fn new(sys: D, stepper: St, state: B, dt: f64) -> Result<Self, Error> {
        Self::with_kick(sys, stepper, state, dt, ())
    }
}

impl<S, L, St, B, R, const N: usize> Integrator<S, L, St, N, ThermalKick<S, R, N>, 0, B>
where
    S: Real,
    L: LlgSystem<S> + Dynamics<S>,
    St: Stepper<S, N>,
    B: Storage<S, N>,
    R: NormalSource<S>,
{
    /// A stochastic-LLG integrator: Brown's field `thermal` drawn from `rng` once per step and
    /// reused by every stage (Stratonovich).
    ///
    /// ```
    /// use larmor::{drive::Drive, field::Zeeman, integrate::Integrator, llg::Llg, random::Philox};
    /// use larmor::{stepper::Heun, thermal::Thermal, Vec3};
    /// let llg = Llg::new(0.1f64, Zeeman::constant(Vec3::Z));
    /// let th = Thermal::new(1e-4, Drive::constant(300.0));
    /// let mut run = Integrator::thermal(llg, Heun::new(), [Vec3::X], 0.01, th, Philox::new(7, 0)).unwrap();
    /// run.advance_to(10.0).unwrap();
    /// assert!((run.state()[0].norm() - 1.0).abs() < 1e-12);
    /// ```
    ///
    /// # Errors
    /// [`Error::Inconsistent`] for a stepper that is not consistent with the Stratonovich
    /// calculus (RK4, Dormand-Prince: their stages would need noise at intermediate times);
    /// otherwise as [`Integrator::new`].
    pub fn thermal(
        llg: L,
        stepper: St,
        m: B,
        dt: f64,
        thermal: Thermal<S, N>,
        rng: R,
    ) -> Result<Self, Error> {
        if !St::STOCHASTIC {
            return Err(Error::Inconsistent {
                what:
                    "thermal runs need a stochastic stepper (heun or midpoint), not rk4, dopri45 or dop853",
            });
        }
        Self::with_kick(llg, stepper, m, dt, ThermalKick { thermal, rng })
    }
}

impl<S, D, St, B, K, const N: usize> Integrator<S, D, St, N, K, 0, B>
where
    S: Real,
    D: Dynamics<S>,
    St: Stepper<S, N>,
    B: Storage<S, N>,
    K: Kick<S, D, N>,
{
    /// An integrator with any kick (see [`Integrator::new`], [`Integrator::thermal`]).
    ///
    /// # Errors
    /// As [`Integrator::new`].
    pub fn with_kick(sys: D, stepper: St, state: B, dt: f64, kick: K) -> Result<Self, Error> {
        check_min("solver.dt", dt, 0.0, false, "> 0")?;
        let m = state.as_slice();
        if m.is_empty() {
            return Err(Error::Empty { what: "state" });
        }
        fits::<S, N>(m)?;
        if m.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFiniteState { t: 0.0 });
        }
        let mut run = Self {
            sys,
            stepper,
            prev: state.clone(),
            slope: state.clone(),
            state,
            clock: Clock {
                steps: 0,
                rejected: 0,
                origin: 0.0,
                k: 0,
                t: 0.0,
                epoch: 0.0,
                window_k: 0,
                horizon: f64::INFINITY,
                h: dt,
                reported: false,
            },
            timed: true,
            limit: S::from_f64(WINDOW),
            dt: S::from_f64(dt),
            events: heapless::Vec::new(),
            kick,
        };
        run.rebase_now();
        Ok(run)
    }

    /// The whole-run form: starts at absolute reduced time `t0`, runs to `t_end` recording
    /// `events` (at most [`MAX_EVENTS`]) and the observer's reports, and writes the final (or,
    /// after an error, the last good) state into `m`.
    ///
    /// # Errors
    /// As [`Integrator::start_at`] and [`Integrator::run_recording`].
    pub fn run_span<O: Observer<S>>(
        self,
        m: &mut B,
        (t0, t_end): (f64, f64),
        events: &mut [Crossing],
        obs: &mut O,
    ) -> Result<RunStats, Error> {
        let mut run = self.with_events::<MAX_EVENTS>();
        run.start_at(t0)?;
        let result = run.run_recording(t_end, events, obs);
        m.clone_from(&run.state);
        result
    }

    /// The same integrator with room for `E` events ([`Integrator::add_event`]).
    ///
    /// ```
    /// use larmor::integrate::{Crossing, Direction, EventAction, Integrator};
    /// use larmor::{field::Zeeman, llg::Llg, stepper::Rk4, Vec3};
    /// let sys = Llg::new(0.3f64, Zeeman::constant(Vec3::Z));
    /// let mut run = Integrator::new(sys, Rk4::new(), [Vec3::X], 0.05).unwrap().with_events::<2>();
    /// run.add_event(Crossing::mz(0.5, Direction::Rising), EventAction::Record).unwrap();
    /// ```
    pub fn with_events<const E: usize>(self) -> Integrator<S, D, St, N, K, E, B> {
        Integrator {
            sys: self.sys,
            stepper: self.stepper,
            state: self.state,
            prev: self.prev,
            slope: self.slope,
            clock: self.clock,
            timed: self.timed,
            limit: self.limit,
            dt: self.dt,
            events: heapless::Vec::new(),
            kick: self.kick,
        }
    }
}

impl<S, D, St, B, K, const N: usize, const E: usize> Integrator<S, D, St, N, K, E, B>
where
    S: Real,
    D: Dynamics<S>,
    St: Stepper<S, N>,
    B: Storage<S, N>,
    K: Kick<S, D, N>,
{
    /// Moves the start of a fresh integrator to absolute reduced time `t0` (default 0).
    ///
    /// # Errors
    /// [`Error::OutOfRange`] (key `solver.t0`) for a non-finite `t0`, [`Error::Inconsistent`]
    /// once the integrator has stepped.
    pub fn start_at(&mut self, t0: f64) -> Result<(), Error> {
        crate::error::check_finite("solver.t0", t0)?;
        if self.clock.steps != 0 {
            return Err(Error::Inconsistent {
                what: "start_at: the integrator has already stepped",
            });
        }
        self.clock.origin = t0;
        self.clock.t = t0;
        self.clock.k = 0;
        self.rebase_now();
        Ok(())
    }

    /// Watches a threshold crossing; returns its index (for [`Integrator::event`] and
    /// [`Stop::Event`]).
    ///
    /// # Errors
    /// [`Error::Inconsistent`] if the event names a vector or component that does not exist,
    /// or if `E` events are already watched.
    pub fn add_event(&mut self, event: Crossing, action: EventAction) -> Result<usize, Error> {
        if event.spin >= self.state.as_slice().len()
            || event.component > 2
            || event.lane >= S::LANES
        {
            return Err(Error::Inconsistent {
                what: "event refers to a spin or component that does not exist",
            });
        }
        self.events
            .push((event, action))
            .map_err(|_| Error::Inconsistent {
                what: "too many events for this integrator (make room with with_events)",
            })?;
        Ok(self.events.len() - 1)
    }

    /// Event `i` as watched so far (its `time` is set once it fired).
    pub fn event(&self, i: usize) -> Option<&Crossing> {
        self.events.get(i).map(|(e, _)| e)
    }

    /// The current state.
    pub fn state(&self) -> &[Vec3<S>] {
        self.state.as_slice()
    }

    /// The current state in its storage (for a run that continues elsewhere).
    pub fn storage(&self) -> &B {
        &self.state
    }

    /// The dynamics.
    pub fn system(&self) -> &D {
        &self.sys
    }

    /// The noise source (the thermal field and its stream, for [`ThermalKick`]).
    pub fn kick(&self) -> &K {
        &self.kick
    }

    /// Accepted steps so far.
    pub fn steps(&self) -> u64 {
        self.clock.steps
    }

    /// Absolute reduced time.
    pub fn time(&self) -> f64 {
        self.t_abs()
    }

    /// Steps, rejections and time so far.
    pub fn stats(&self) -> RunStats {
        RunStats {
            steps: self.clock.steps,
            rejected: self.clock.rejected,
            t: self.t_abs(),
            stopped: false,
        }
    }

    /// Local time of the dynamics for the current state.
    #[inline(always)]
    fn local_time(&self) -> S {
        if St::ADAPTIVE {
            S::from_f64(self.clock.t - self.clock.epoch)
        } else {
            // k dt since the window start: steps since the epoch, one product
            self.dt.mul_u32(self.local_steps())
        }
    }

    /// Steps since the window started (fixed-step methods).
    #[inline(always)]
    fn local_steps(&self) -> u32 {
        (self.clock.k - self.clock.window_k) as u32
    }

    /// Moves the window start to the current time; the dynamics and the kick re-express
    /// their waveforms in the new window.
    #[inline(always)]
    fn rebase_now(&mut self) {
        let epoch = self.t_abs();
        self.clock.epoch = epoch;
        self.clock.window_k = self.clock.k;
        let (timed, horizon, limit) =
            new_window(&mut self.sys, &mut self.kick, epoch, self.clock.h);
        self.timed = timed;
        self.clock.horizon = horizon;
        self.limit = limit;
    }

    /// `true` when neither the dynamics nor the kick reads time: no window bookkeeping at all.
    const AUTONOMOUS: bool = D::AUTONOMOUS && K::AUTONOMOUS;

    /// Absolute reduced time of the current state.
    #[inline(always)]
    fn t_abs(&self) -> f64 {
        if St::ADAPTIVE {
            self.clock.t
        } else {
            self.clock.origin + self.clock.k as f64 * self.clock.h
        }
    }

    /// Runs to `t_end` watching `events` (recorded, not stopping) and writes their times back:
    /// the whole-run form the host's commands use. The state stays in the integrator
    /// ([`Integrator::state`]), also after an error (the last good step).
    ///
    /// # Errors
    /// As [`Integrator::add_event`] and [`Integrator::advance_to`].
    pub fn run_recording<O: Observer<S>>(
        &mut self,
        t_end: f64,
        events: &mut [Crossing],
        obs: &mut O,
    ) -> Result<RunStats, Error> {
        let first = self.events.len();
        for e in events.iter() {
            self.add_event(*e, EventAction::Record)?;
        }
        let result = self.run_to(t_end, obs);
        for (i, e) in events.iter_mut().enumerate() {
            e.time = self.event(first + i).and_then(|e| e.time);
        }
        Ok(RunStats {
            stopped: result? == Stop::Observer,
            ..self.stats()
        })
    }

    /// One step (`None`: the nominal grid step; `Some((h, t1))`: a step of size `h` that ends
    /// at absolute time `t1`, or an adaptive try), the flush when it is due ([`flush_due`];
    /// with `FLUSH = false` the caller flushes, [`Integrator::advance_steps`]), then the events.
    #[inline(always)]
    fn one_step<const FLUSH: bool>(&mut self, h: Option<(S, f64)>) -> Result<Step<S>, Error> {
        let local = if Self::AUTONOMOUS || !self.timed {
            S::ZERO
        } else {
            let l = self.local_time();
            if l >= self.limit {
                self.rebase_now();
                self.local_time()
            } else {
                l
            }
        };
        let watching = E > 0 && !self.events.is_empty();
        let t0 = if watching {
            self.prev.clone_from(&self.state);
            self.t_abs()
        } else {
            0.0
        };
        let dt = match h {
            Some((h, _)) => h,
            // the controller's proposal (S -> f64 -> S is exact)
            None if St::ADAPTIVE => S::from_f64(self.clock.h),
            None => self.dt,
        };
        let s = self.kick.step(
            &self.sys,
            &mut self.stepper,
            local,
            self.state.as_mut_slice(),
            dt,
        )?;
        self.clock.steps += 1;
        if FLUSH && S::SUBNORMALS && flush_due(self.clock.steps) {
            flush(self.state.as_mut_slice());
        }
        self.clock.rejected += u64::from(s.rejected);
        if St::ADAPTIVE {
            self.clock.t += s.taken.to_f64();
            self.clock.h = s.next.to_f64();
        } else if h.is_none() {
            self.clock.k += 1;
        }
        if watching {
            let t1 = match h {
                Some((_, t1)) if !St::ADAPTIVE => t1,
                _ => self.t_abs(),
            };
            let l1 = local + s.taken;
            let (m0, m1) = (self.prev.as_slice(), self.state.as_slice());
            let slope = self.slope.as_mut_slice();
            for (e, _) in self.events.iter_mut().filter(|(e, _)| e.time.is_none()) {
                e.time = detect(&self.sys, e, (t0, local), m0, (t1, l1), m1, slope);
            }
        }
        Ok(s)
    }

    /// Takes one step of the nominal size (fixed-step methods) or of the size the adaptive
    /// controller proposes, and updates the events.
    ///
    /// # Errors
    /// The stepper's ([`Error::NonFiniteState`], [`Error::StepSizeUnderflow`]); the state is
    /// left at the last good step.
    pub fn step(&mut self) -> Result<Step<S>, Error> {
        self.one_step::<true>(None)
    }

    /// `n` steps of [`Integrator::step`], with the same bits and events. The steps run in
    /// blocks that end where the state is flushed ([`FLUSH_EVERY`]), so the step loop itself
    /// tests nothing but its count: what a firmware's fixed-length run calls.
    ///
    /// ```
    /// use larmor::{field::Zeeman, integrate::Integrator, llg::Llg, stepper::Rk4, Vec3};
    /// let sys = Llg::new(0.5f64, Zeeman::constant(Vec3::Z));
    /// let mut a = Integrator::new(sys.clone(), Rk4::new(), [Vec3::X], 0.01).unwrap();
    /// let mut b = Integrator::new(sys, Rk4::new(), [Vec3::X], 0.01).unwrap();
    /// a.advance_steps(1000).unwrap();
    /// for _ in 0..1000 {
    ///     b.step().unwrap();
    /// }
    /// assert_eq!((a.steps(), a.state()), (1000, b.state()));
    /// ```
    ///
    /// # Errors
    /// As [`Integrator::step`]; the state is left at the last good step, the steps taken are
    /// counted.
    pub fn advance_steps(&mut self, n: u64) -> Result<(), Error> {
        if !S::SUBNORMALS {
            // fixed point: nothing to flush; u32 counts (one register on a 32-bit core)
            let mut left = n;
            while left > 0 {
                let block = left.min(u64::from(u32::MAX)) as u32;
                for _ in 0..block {
                    self.one_step::<false>(None)?;
                }
                left -= u64::from(block);
            }
            return Ok(());
        }
        if E > 0 && !self.events.is_empty() {
            // events are located on the flushed state: step by step
            for _ in 0..n {
                self.one_step::<true>(None)?;
            }
            return Ok(());
        }
        let mut left = n;
        while left > 0 {
            // at most FLUSH_EVERY steps: a u32 count, one register on a 32-bit core
            let block = left.min(FLUSH_EVERY - self.clock.steps % FLUSH_EVERY) as u32;
            for _ in 0..block {
                self.one_step::<false>(None)?;
            }
            left -= u64::from(block);
            if flush_due(self.clock.steps) {
                flush(self.state.as_mut_slice());
            }
        }
        Ok(())
    }

    /// Steps until absolute reduced time `t_end` (the last step is shortened to land on it),
    /// or until a stopping event fires.
    ///
    /// ```
    /// use larmor::integrate::{Crossing, Direction, EventAction, Integrator, Stop};
    /// use larmor::{field::Zeeman, llg::Llg, stepper::Rk4, Vec3};
    /// let sys = Llg::new(0.3f64, Zeeman::constant(Vec3::Z));
    /// let mut run = Integrator::new(sys, Rk4::new(), [Vec3::X], 0.05).unwrap().with_events::<1>();
    /// let e = run.add_event(Crossing::mz(0.5, Direction::Rising), EventAction::Stop).unwrap();
    /// assert_eq!(run.advance_to(100.0).unwrap(), Stop::Event(e));
    /// let t = run.event(e).unwrap().time.unwrap(); // atanh(0.5) (1 + alpha^2) / alpha
    /// assert!((t - 0.5493061443 * 1.09 / 0.3).abs() < 1e-6);
    /// assert_eq!(run.advance_to(100.0).unwrap(), Stop::Reached); // resumes where it stopped
    /// assert_eq!(run.time(), 100.0);
    /// ```
    ///
    /// # Errors
    /// [`Error::OutOfRange`] (key `solver.duration`) if `t_end` is before the current time or
    /// not finite; any stepper error (the state is left at the last good step).
    pub fn advance_to(&mut self, t_end: f64) -> Result<Stop, Error> {
        self.run_to(t_end, &mut NoReport)
    }

    /// As [`Integrator::advance_to`], reporting the state to `obs`: first the current state if
    /// nothing was reported yet (a fresh integrator reports its initial state as step 0), then
    /// every accepted step.
    ///
    /// # Errors
    /// As [`Integrator::advance_to`].
    pub fn run_to<O: Observer<S>>(&mut self, t_end: f64, obs: &mut O) -> Result<Stop, Error> {
        let t_now = self.t_abs();
        check_min("solver.duration", t_end - t_now, 0.0, true, ">= 0")?;
        if !self.clock.reported {
            self.clock.reported = true;
            if obs.observe(self.clock.steps, t_now, self.state.as_slice()) == Control::Stop {
                return Ok(Stop::Observer);
            }
        }
        if St::ADAPTIVE {
            while self.clock.t < t_end - 1e-12 * self.clock.h {
                let mut h = self.clock.h.min(t_end - self.clock.t);
                if !Self::AUTONOMOUS && self.timed && self.clock.horizon - self.clock.t > 0.0 {
                    // a step does not outrun the waveforms' local forms
                    h = h.min(self.clock.horizon - self.clock.t);
                }
                let h = S::from_f64(h);
                if let Some(stop) = self.after_step(Some((h, t_end)), obs)? {
                    return Ok(stop);
                }
            }
            return Ok(Stop::Reached);
        }
        // fixed grid t = origin + k h: the full steps that end at or before t_end (a
        // remainder below 1e-9 steps counts as none), then one shortened step onto t_end
        let h = self.clock.h;
        let last = crate::math::floor_f64((t_end - self.clock.origin) / h + 1e-9);
        let last = if last > 0.0 { last as u64 } else { 0 };
        let watching = E > 0 && !self.events.is_empty();
        while self.clock.k < last {
            if watching {
                if let Some(stop) = self.after_step(None, obs)? {
                    return Ok(stop);
                }
            } else {
                self.one_step::<true>(None)?;
                if obs.observe(self.clock.steps, self.t_abs(), self.state.as_slice())
                    == Control::Stop
                {
                    return Ok(Stop::Observer);
                }
            }
        }
        let rest = t_end - self.t_abs();
        if rest > 1e-9 * h {
            let stop = self.after_step(Some((S::from_f64(rest), t_end)), obs)?;
            // the grid starts again at t_end
            self.clock.origin = t_end;
            self.clock.k = 0;
            if !Self::AUTONOMOUS {
                self.rebase_now();
            }
            if let Some(stop) = stop {
                return Ok(stop);
            }
        }
        Ok(Stop::Reached)
    }

    /// One step of size `h` (`None`: the nominal grid step), then the observer and the stopping
    /// events.
    #[inline(always)]
    fn after_step<O: Observer<S>>(
        &mut self,
        h: Option<(S, f64)>,
        obs: &mut O,
    ) -> Result<Option<Stop>, Error> {
        let before = self.fired();
        self.one_step::<true>(h)?;
        let t = match h {
            Some((_, t1)) if !St::ADAPTIVE => t1,
            _ => self.t_abs(),
        };
        if obs.observe(self.clock.steps, t, self.state.as_slice()) == Control::Stop {
            return Ok(Some(Stop::Observer));
        }
        Ok(self.fired_stop(&before).map(Stop::Event))
    }

    /// Index of a stopping event that fired in the last step.
    fn fired_stop(&self, before: &[bool; E]) -> Option<usize> {
        self.events
            .iter()
            .enumerate()
            .position(|(i, (e, a))| *a == EventAction::Stop && e.time.is_some() && !before[i])
    }

    /// Which events had fired.
    fn fired(&self) -> [bool; E] {
        let mut f = [false; E];
        for (i, (e, _)) in self.events.iter().enumerate() {
            f[i] = e.time.is_some();
        }
        f
    }

    /// A snapshot of everything that evolves (state, clock, events, noise and its stream).
    pub fn checkpoint(&self) -> Checkpoint<S, K, N, E, B>
    where
        K: Clone,
    {
        Checkpoint {
            state: self.state.clone(),
            clock: self.clock,
            time: self.t_abs(),
            limit: self.limit,
            events: self.events.clone(),
            kick: self.kick.clone(),
        }
    }

    /// Continues from `cp`: the following steps are bit-identical to those that followed the
    /// checkpoint in the original run.
    pub fn restore(&mut self, cp: &Checkpoint<S, K, N, E, B>)
    where
        K: Clone,
    {
        self.state.clone_from(&cp.state);
        self.clock = cp.clock;
        self.events = cp.events.clone();
        self.kick = cp.kick.clone();
        self.limit = cp.limit;
        // the waveforms re-expressed for the checkpoint's window, as they were
        let epoch = self.clock.epoch;
        let horizon = self.sys.rebase(epoch).min(self.kick.rebase(epoch));
        self.timed = horizon < f64::INFINITY;
    }
}

/// Re-expresses the waveforms of `sys` and `kick` in the window starting at `epoch`; returns
/// whether anything depends on time, the absolute horizon of the local forms, and the local
/// time at which a step of size `h` must start the next window. Generic over the model only,
/// not the stepper: compiled once per model and scalar.
#[inline(never)]
fn new_window<S: Real, D: Dynamics<S>, K: Kick<S, D, N>, const N: usize>(
    sys: &mut D,
    kick: &mut K,
    epoch: f64,
    h: f64,
) -> (bool, f64, S) {
    let horizon = sys.rebase(epoch).min(kick.rebase(epoch));
    // the last stage of a step that starts before the limit stays inside the horizon
    let limit = (horizon - h).min(WINDOW);
    (
        horizon < f64::INFINITY,
        epoch + horizon,
        S::from_f64(if limit > 0.0 { limit } else { 0.0 }),
    )
}

/// An observer that ignores everything and never stops.
struct NoReport;

impl<S: Real> Observer<S> for NoReport {
    #[inline(always)]
    fn observe(&mut self, _: u64, _: f64, _: &[Vec3<S>]) -> Control {
        Control::Continue
    }
}

/// Crossing time within the step from `(t0, local0)` to `(t1, local1)` (absolute f64, local
/// model time), if the event fires in it; `d` is scratch for the slopes, as long as the state.
fn detect<S: Real, D: Dynamics<S>>(
    sys: &D,
    e: &Crossing,
    (t0, l0): (f64, S),
    m0: &[Vec3<S>],
    (t1, l1): (f64, S),
    m1: &[Vec3<S>],
    d: &mut [Vec3<S>],
) -> Option<f64> {
    let comp = |v: Vec3<S>| [v.x, v.y, v.z][e.component].lane(e.lane);
    let y0 = comp(m0[e.spin]) - e.threshold;
    let y1 = comp(m1[e.spin]) - e.threshold;
    let fired = match e.direction {
        Direction::Rising => y0 < 0.0 && y1 >= 0.0,
        Direction::Falling => y0 > 0.0 && y1 <= 0.0,
        Direction::Either => (y0 < 0.0 && y1 >= 0.0) || (y0 > 0.0 && y1 <= 0.0),
    };
    if !fired {
        return None;
    }
    let h = t1 - t0;
    sys.rhs(l0, m0, d);
    let d0 = comp(d[e.spin]) * h;
    sys.rhs(l1, m1, d);
    let d1 = comp(d[e.spin]) * h;
    Some(t0 + hermite_root(y0, d0, y1, d1) * h)
}

/// The root in [0, 1] of the cubic Hermite interpolant with end values `y0`, `y1` (of opposite
/// signs, or `y1 = 0`) and end slopes `d0`, `d1` (per unit step), by bisection (60 halvings:
/// f64 resolution). Not generic, so it is compiled once.
#[inline(never)]
fn hermite_root(y0: f64, d0: f64, y1: f64, d1: f64) -> f64 {
    let p = |s: f64| {
        let s2 = s * s;
        let s3 = s2 * s;
        (2.0 * s3 - 3.0 * s2 + 1.0) * y0
            + (s3 - 2.0 * s2 + s) * d0
            + (-2.0 * s3 + 3.0 * s2) * y1
            + (s3 - s2) * d1
    };
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    let rising = y0 < 0.0;
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if (p(mid) < 0.0) == rising {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drive::Drive;
    use crate::field::Zeeman;
    use crate::random::Philox;
    use crate::stepper::test_support::*;
    use crate::stepper::{DormandPrince, Heun, Rk4, Tolerance};

    fn bits(m: &[Vec3<f64>]) -> [u64; 3] {
        m[0].to_f64().map(f64::to_bits)
    }

    #[test]
    fn crossing_time_is_interpolated() {
        // m_z(t) = tanh(a t) crosses 0.5 at atanh(0.5)/a
        let (alpha, h) = (0.3, 1.0);
        let mut run = Integrator::new(precession(alpha, h), Rk4::new(), [Vec3::X], 0.05)
            .unwrap()
            .with_events::<1>();
        run.add_event(Crossing::mz(0.5, Direction::Rising), EventAction::Record)
            .unwrap();
        assert_eq!(run.advance_to(30.0).unwrap(), Stop::Reached);
        let a = alpha * h / (1.0 + alpha * alpha);
        let exact = libm::atanh(0.5) / a;
        let got = run.event(0).unwrap().time.unwrap();
        assert!((got - exact).abs() < 1e-6, "{got} vs {exact}");
        assert!((run.state()[0].z - exact_mz(alpha, h, 30.0)).abs() < 1e-8);
    }

    #[test]
    fn observer_can_stop_and_the_run_resumes() {
        let mut run = Integrator::new(precession(0.1, 1.0), Rk4::new(), [Vec3::X], 0.05).unwrap();
        let mut obs = |k: u64, _: f64, _: &[Vec3<f64>]| {
            if k >= 10 {
                Control::Stop
            } else {
                Control::Continue
            }
        };
        assert_eq!(run.run_to(30.0, &mut obs).unwrap(), Stop::Observer);
        assert_eq!(run.steps(), 10);
        assert_eq!(run.advance_to(30.0).unwrap(), Stop::Reached);
        assert_eq!(run.steps(), 600);
        assert_eq!(run.time(), 30.0);
    }

    #[test]
    fn rejects_bad_input() {
        let sys = precession(0.1, 1.0);
        for dt in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(Integrator::new(sys.clone(), Rk4::new(), [Vec3::X], dt).is_err());
        }
        let nan = Vec3::new(f64::NAN, 0.0, 0.0);
        assert!(Integrator::new(sys.clone(), Rk4::new(), [nan], 0.1).is_err());
        let mut run = Integrator::new(sys, Rk4::new(), [Vec3::X], 0.1).unwrap();
        run.advance_to(1.0).unwrap();
        assert!(run.advance_to(0.5).is_err(), "time runs forward only");
        assert!(run.advance_to(f64::NAN).is_err());
        let bad = Crossing {
            spin: 1,
            ..Crossing::mz(0.0, Direction::Either)
        };
        let mut run = run.clone();
        assert!(
            run.add_event(bad, EventAction::Record).is_err(),
            "no room, no spin 1"
        );
    }

    /// Advancing in pieces, on and off the step grid, gives the bits of one call; a
    /// checkpoint continues a thermal run bit for bit.
    #[test]
    fn pieces_and_checkpoints_are_bit_exact() {
        let sys = precession(0.05, 1.3);
        let mut whole = Integrator::new(sys.clone(), Rk4::new(), [Vec3::X], 0.01).unwrap();
        whole.advance_to(7.0).unwrap();
        let mut pieces = Integrator::new(sys.clone(), Rk4::new(), [Vec3::X], 0.01).unwrap();
        for t in [1.0, 2.5, 4.0, 7.0] {
            pieces.advance_to(t).unwrap();
        }
        assert_eq!(bits(whole.state()), bits(pieces.state()));
        assert_eq!(whole.steps(), pieces.steps());

        let th = crate::thermal::Thermal::new(1e-3, Drive::constant(300.0));
        let mut a =
            Integrator::thermal(sys, Heun::new(), [Vec3::X], 0.01, th, Philox::new(5, 1)).unwrap();
        a.advance_to(3.0).unwrap();
        let cp = a.checkpoint();
        a.advance_to(9.0).unwrap();
        let end = bits(a.state());
        let mut b = a.clone();
        b.restore(&cp);
        assert_eq!(b.time(), 3.0);
        assert_eq!(cp.steps(), 300);
        b.advance_to(9.0).unwrap();
        assert_eq!(bits(b.state()), end);
    }

    /// A settling f32 state's components fall below `TINY` and are set to zero after the next
    /// `FLUSH_EVERY`-th step, not before; stepping one by one, in blocks (`advance_steps`, in
    /// pieces that straddle flushes), by time (`advance_to`) and through a checkpoint taken
    /// between two flushes give the same bits.
    #[test]
    fn tiny_components_are_flushed_on_the_step_count_and_resume_exactly() {
        // alpha = 1 in a field along z: m_x, m_y decay by 2.5 % per step to below 2^-36 after
        // about 1000 steps and, unflushed, would be subnormal after 3500
        let sys = crate::llg::Llg::new(1.0f32, Zeeman::constant(Vec3::Z));
        let fresh = || Integrator::new(sys.clone(), Rk4::new(), [Vec3::X], 0.05).unwrap();
        let f32_bits = |m: &[Vec3<f32>]| [m[0].x.to_bits(), m[0].y.to_bits(), m[0].z.to_bits()];
        let tiny = |x: f32| x != 0.0 && x.abs() < f32::TINY;
        let mut one = fresh();
        let (mut unflushed, mut first_zero) = (0, 0);
        for _ in 0..4000 {
            one.step().unwrap();
            let m = one.state()[0];
            if flush_due(one.steps()) {
                assert!(!tiny(m.x) && !tiny(m.y), "flushed at step {}", one.steps());
            } else if tiny(m.x) || tiny(m.y) {
                unflushed += 1;
            }
            if first_zero == 0 && m.x == 0.0 && m.y == 0.0 {
                first_zero = one.steps();
            }
        }
        assert!(unflushed > 0, "tiny components live until the next flush");
        assert!(
            first_zero > 0 && flush_due(first_zero),
            "zeroed by a flush: {first_zero}"
        );
        assert!((one.state()[0].z - 1.0).abs() < 1e-6);
        let end = f32_bits(one.state());

        let mut blocks = fresh();
        for n in [1, 63, 64, 65, 1000, 2807] {
            blocks.advance_steps(n).unwrap();
        }
        let mut timed = fresh();
        timed.advance_to(4000.0 * 0.05).unwrap();
        let mut resumed = fresh();
        resumed.advance_steps(1000).unwrap();
        let cp = resumed.checkpoint();
        resumed.advance_steps(10).unwrap();
        resumed.restore(&cp);
        resumed.advance_steps(3000).unwrap();
        for run in [&blocks, &timed, &resumed] {
            assert_eq!(run.steps(), 4000);
            assert_eq!(f32_bits(run.state()), end);
        }
    }

    #[test]
    fn adaptive_runs_land_on_the_end_and_report_rejections() {
        let tol = Tolerance::new(1e-10, 1e-10, 1e-12, 0.5).unwrap();
        let mut run = Integrator::new(
            precession(0.2, 1.0),
            DormandPrince::new(tol),
            [Vec3::X],
            1.0,
        )
        .unwrap();
        run.advance_to(20.0).unwrap();
        assert_eq!(run.time(), 20.0);
        assert!((run.state()[0].z - exact_mz(0.2, 1.0, 20.0)).abs() < 1e-8);
        assert!(run.stats().rejected > 0, "a first try of 1.0 is rejected");
    }

    /// A field pulse that starts long after t = 0 acts at the right step in f32: local time.
    #[test]
    fn late_pulses_act_at_the_right_step_in_f32() {
        for start in [2.0e2, 2.0e5, 2.0e8, 2.0e11] {
            let dt = 0.022;
            // the edge is 0.3 dt before the end of step 10 after start_at
            let t0 = start - 9.7 * dt;
            let pulse = Drive::<f32>::linear(&[
                (start, 0.0),
                (start, 1.0),
                (start + 50.0, 1.0),
                (start + 50.0, 0.0),
            ])
            .unwrap();
            let z = Zeeman::constant(Vec3::ZERO)
                .with_drive(Vec3::X, pulse)
                .unwrap();
            let mut run =
                Integrator::new(crate::llg::Llg::new(0.01f32, z), Rk4::new(), [Vec3::Z], dt)
                    .unwrap();
            run.start_at(t0).unwrap();
            let mut first = 0;
            for k in 1..=20 {
                run.step().unwrap();
                if first == 0 && run.state()[0].y != 0.0 {
                    first = k;
                }
            }
            assert_eq!(first, 10, "pulse at {start}");
        }
    }

    /// A state whose length is chosen at run time (a `heapless::Vec` of capacity 8 holding 3
    /// uncoupled spins) steps every spin with exactly the bits of its own one-spin run: the
    /// slice algorithms do not depend on where the capacity lives. Deterministic and thermal.
    #[test]
    fn run_time_length_states_match_fixed_arrays() {
        let sys = precession(0.05, 1.3);
        let starts = [
            Vec3::X,
            Vec3::new(0.0, 0.6, 0.8),
            Vec3::new(-0.48, 0.6, 0.64),
        ];
        let lattice: heapless::Vec<Vec3<f64>, 8> = starts.iter().copied().collect();
        let mut many = Integrator::new(sys.clone(), Rk4::new(), lattice, 0.01).unwrap();
        many.advance_to(5.0).unwrap();
        assert_eq!(many.state().len(), 3);
        for (i, &m0) in starts.iter().enumerate() {
            let mut one = Integrator::new(sys.clone(), Rk4::new(), [m0], 0.01).unwrap();
            one.advance_to(5.0).unwrap();
            assert_eq!(bits(&many.state()[i..]), bits(one.state()), "spin {i}");
        }
        // thermal: the noise of spin i is the i-th triple of the stream, so spin 0 of the
        // lattice sees the stream of a one-spin run only in its first step; compare the
        // lattice with itself through a checkpoint instead, and check the capacity limits
        let th = crate::thermal::Thermal::<f64, 8>::new(1e-3, Drive::constant(300.0));
        let lattice: heapless::Vec<Vec3<f64>, 8> = starts.iter().copied().collect();
        let mut a = Integrator::thermal(
            sys.clone(),
            Heun::new(),
            lattice,
            0.01,
            th,
            Philox::new(5, 1),
        )
        .unwrap();
        a.advance_to(1.0).unwrap();
        let cp = a.checkpoint();
        a.advance_to(2.0).unwrap();
        let end: heapless::Vec<[u64; 3], 8> = a
            .state()
            .iter()
            .map(|v| v.to_f64().map(f64::to_bits))
            .collect();
        a.restore(&cp);
        a.advance_to(2.0).unwrap();
        let again: heapless::Vec<[u64; 3], 8> = a
            .state()
            .iter()
            .map(|v| v.to_f64().map(f64::to_bits))
            .collect();
        assert_eq!(end, again);
        // renormalised each step (one Newton step below |e| = 1/1024: residual below 3 e^2 / 4)
        assert!(a.state().iter().all(|v| (v.norm() - 1.0).abs() < 1e-6));
        // an empty state and events on a spin past the length are refused
        let empty: heapless::Vec<Vec3<f64>, 8> = heapless::Vec::new();
        assert!(Integrator::new(sys.clone(), Rk4::new(), empty, 0.01).is_err());
        let lattice: heapless::Vec<Vec3<f64>, 8> = starts.iter().copied().collect();
        let mut run = Integrator::new(sys, Rk4::new(), lattice, 0.01)
            .unwrap()
            .with_events::<1>();
        let past = Crossing {
            spin: 3,
            ..Crossing::mz(0.0, Direction::Either)
        };
        assert!(run.add_event(past, EventAction::Record).is_err());
    }

    /// A stepper called directly with a state longer than its scratch refuses it.
    #[test]
    fn steppers_refuse_states_beyond_their_capacity() {
        let sys = precession(0.1, 1.0);
        let mut m = [Vec3::X; 3];
        assert!(Rk4::<f64, 2>::new().step(&sys, 0.0, &mut m, 0.01).is_err());
        assert!(Heun::<f64, 2>::new().step(&sys, 0.0, &mut m, 0.01).is_err());
        let tol = Tolerance::default();
        assert!(DormandPrince::<f64, 2>::new(tol)
            .step(&sys, 0.0, &mut m, 0.01)
            .is_err());
        assert_eq!(m, [Vec3::X; 3], "state untouched");
    }
}

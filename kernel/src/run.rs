//! The integration driver: steps a system from `t0` to `t_end`, reports every accepted step to an
//! observer and detects events (threshold crossings with interpolated times).
//!
//! Time is kept in `f64` (reduced units) by the driver so that long runs in f32 do not lose
//! resolution; for fixed-step methods `t_k = t0 + k dt` exactly, without accumulation.

use rand_core::Rng;

use crate::error::{check_min, Error};
use crate::field::FieldTerm;
use crate::gauss::Gaussian;
use crate::llg::{Dynamics, Llg, Torque};
use crate::real::Real;
use crate::stepper::{Step, Stepper};
use crate::thermal::{Noisy, Thermal};
use crate::vec3::Vec3;

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

/// Event: the first time component `component` (0 = x, 1 = y, 2 = z) of spin `spin` crosses
/// `threshold` in `direction`. The time is found on the cubic Hermite interpolant of the step
/// (values and derivatives at both ends), accurate to O(dt^4) — this is how switching times are
/// measured.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Crossing {
    /// Spin index.
    pub spin: usize,
    /// Component index (0, 1, 2).
    pub component: usize,
    /// Threshold value.
    pub threshold: f64,
    /// Direction.
    pub direction: Direction,
    /// Reduced time of the first crossing, once it happened.
    pub time: Option<f64>,
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
        }
    }
}

/// What the observer wants after a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Control {
    /// Go on.
    Continue,
    /// Stop the run now (e.g. interrupted by the user, or an event ends the run).
    Stop,
}

/// Receives the state after the start and after every accepted step.
pub trait Observer<S: Real, const N: usize> {
    /// `step` counts accepted steps (0 = initial state); `t` is reduced time.
    fn observe(&mut self, step: u64, t: f64, m: &[Vec3<S>; N]) -> Control;
}

impl<S: Real, const N: usize> Observer<S, N> for () {
    #[inline(always)]
    fn observe(&mut self, _: u64, _: f64, _: &[Vec3<S>; N]) -> Control {
        Control::Continue
    }
}

impl<S: Real, const N: usize, F: FnMut(u64, f64, &[Vec3<S>; N]) -> Control> Observer<S, N> for F {
    #[inline(always)]
    fn observe(&mut self, step: u64, t: f64, m: &[Vec3<S>; N]) -> Control {
        self(step, t, m)
    }
}

/// Summary of a run.
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

/// Integrates `sys` from `t0` to `t_end` (reduced time) with initial step `dt`.
///
/// ```
/// use larmor::{field::Zeeman, llg::Llg, run::integrate, stepper::Rk4, Vec3};
/// let sys = Llg::new(0.5f64, Zeeman::constant(Vec3::Z));
/// let mut m = [Vec3::X];
/// let stats = integrate(&sys, &mut Rk4::new(), &mut m, 0.0, 40.0, 0.01, &mut [], &mut ()).unwrap();
/// assert_eq!(stats.steps, 4000);
/// assert!(m[0].z > 0.9999);
/// ```
///
/// # Errors
/// Invalid `dt`/`t_end`, and any stepper error (the state is left at the last good step).
#[allow(clippy::too_many_arguments)]
pub fn integrate<S, D, St, O, const N: usize>(
    sys: &D,
    stepper: &mut St,
    m: &mut [Vec3<S>; N],
    t0: f64,
    t_end: f64,
    dt: f64,
    events: &mut [Crossing],
    obs: &mut O,
) -> Result<RunStats, Error>
where
    S: Real,
    D: Dynamics<S, N>,
    St: Stepper<S, N>,
    O: Observer<S, N>,
{
    run_loop(
        St::ADAPTIVE,
        m,
        t0,
        t_end,
        dt,
        events,
        obs,
        |t, m, h| stepper.step(sys, S::from_f64(t), m, S::from_f64(h)),
        |t, m, d| sys.rhs(S::from_f64(t), m, d),
    )
}

/// Integrates the stochastic LLG equation: before every step, Brown's thermal field is drawn
/// from `rng` (once per step, reused by every stage: Stratonovich). Events are located on the
/// deterministic part's Hermite interpolant of each step.
///
/// ```
/// use larmor::{drive::Drive, field::Zeeman, llg::Llg, rng::Philox, run::integrate_thermal};
/// use larmor::{stepper::Heun, thermal::Thermal, Vec3};
/// let llg = Llg::new(0.1f64, Zeeman::constant(Vec3::Z));
/// let mut th = Thermal::new(1e-4, Drive::Constant(300.0));
/// let mut m = [Vec3::X];
/// let mut rng = Philox::new(7, 0);
/// integrate_thermal(&llg, &mut th, &mut rng, &mut Heun::new(), &mut m, 0.0, 10.0, 0.01, &mut [], &mut ()).unwrap();
/// assert!((m[0].norm() - 1.0).abs() < 1e-12);
/// ```
///
/// # Errors
/// [`Error::Inconsistent`] for a stepper that is not consistent with the Stratonovich calculus
/// (RK4, Dormand-Prince: their stages would need noise at intermediate times); otherwise as
/// [`integrate`].
#[allow(clippy::too_many_arguments)]
pub fn integrate_thermal<S, F, T, R, St, O, const N: usize>(
    llg: &Llg<S, F, T>,
    thermal: &mut Thermal<S, N>,
    rng: &mut R,
    stepper: &mut St,
    m: &mut [Vec3<S>; N],
    t0: f64,
    t_end: f64,
    dt: f64,
    events: &mut [Crossing],
    obs: &mut O,
) -> Result<RunStats, Error>
where
    S: Real + Gaussian,
    F: FieldTerm<S>,
    T: Torque<S>,
    R: Rng + ?Sized,
    St: Stepper<S, N>,
    O: Observer<S, N>,
{
    if !St::STOCHASTIC {
        return Err(Error::Inconsistent {
            what: "thermal runs need a stochastic stepper (heun or midpoint), not rk4 or dopri45",
        });
    }
    run_loop(
        St::ADAPTIVE,
        m,
        t0,
        t_end,
        dt,
        events,
        obs,
        |t, m, h| {
            let (ts, hs) = (S::from_f64(t), S::from_f64(h));
            thermal.draw(ts, hs, rng);
            stepper.step(&Noisy { llg, h: &thermal.h }, ts, m, hs)
        },
        |t, m, d| llg.rhs(S::from_f64(t), m, d),
    )
}

/// The shared driver: `advance(t, m, dt)` takes one step, `rhs` serves event interpolation.
#[allow(clippy::too_many_arguments)]
fn run_loop<S, O, A, R, const N: usize>(
    adaptive: bool,
    m: &mut [Vec3<S>; N],
    t0: f64,
    t_end: f64,
    dt: f64,
    events: &mut [Crossing],
    obs: &mut O,
    mut advance: A,
    rhs: R,
) -> Result<RunStats, Error>
where
    S: Real,
    O: Observer<S, N>,
    A: FnMut(f64, &mut [Vec3<S>; N], f64) -> Result<Step<S>, Error>,
    R: Fn(f64, &[Vec3<S>; N], &mut [Vec3<S>; N]),
{
    check_min("solver.dt", dt, 0.0, false, "> 0")?;
    check_min("solver.duration", t_end - t0, 0.0, true, ">= 0")?;
    for e in events.iter() {
        if e.spin >= N || e.component > 2 {
            return Err(Error::Inconsistent {
                what: "event refers to a spin or component that does not exist",
            });
        }
    }
    let mut stats = RunStats {
        steps: 0,
        rejected: 0,
        t: t0,
        stopped: false,
    };
    if obs.observe(0, t0, m) == Control::Stop {
        stats.stopped = true;
        return Ok(stats);
    }
    // fixed-step: number of steps, last one possibly shorter
    let n_fixed = if adaptive {
        0
    } else {
        libm::ceil((t_end - t0) / dt - 1e-9).max(0.0) as u64
    };
    let fixed_t = |k: u64| (t0 + k as f64 * dt).min(t_end);
    let mut t = t0;
    let mut h = dt;
    let mut prev = *m;
    while if adaptive {
        t < t_end - 1e-12 * dt
    } else {
        stats.steps < n_fixed
    } {
        let step_dt = if adaptive {
            h.min(t_end - t)
        } else {
            fixed_t(stats.steps + 1) - t
        };
        prev.copy_from_slice(m);
        let s = advance(t, m, step_dt)?;
        let t_new = if adaptive {
            t + s.taken.to_f64()
        } else {
            fixed_t(stats.steps + 1)
        };
        stats.steps += 1;
        stats.rejected += s.rejected as u64;
        h = s.next.to_f64();
        for e in events.iter_mut().filter(|e| e.time.is_none()) {
            e.time = detect(&rhs, e, t, &prev, t_new, m);
        }
        t = t_new;
        stats.t = t;
        if obs.observe(stats.steps, t, m) == Control::Stop {
            stats.stopped = true;
            break;
        }
    }
    Ok(stats)
}

/// Crossing time within `[t0, t1]`, if the event fires in this step.
fn detect<S: Real, R: Fn(f64, &[Vec3<S>; N], &mut [Vec3<S>; N]), const N: usize>(
    rhs: &R,
    e: &Crossing,
    t0: f64,
    m0: &[Vec3<S>; N],
    t1: f64,
    m1: &[Vec3<S>; N],
) -> Option<f64> {
    let comp = |v: Vec3<S>| v.to_f64()[e.component];
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
    let mut d = [Vec3::ZERO; N];
    rhs(t0, m0, &mut d);
    let d0 = comp(d[e.spin]) * h;
    rhs(t1, m1, &mut d);
    let d1 = comp(d[e.spin]) * h;
    // cubic Hermite p(s), s in [0,1]; bisection keeps the bracket (p(0), p(1) differ in sign)
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
    Some(t0 + 0.5 * (lo + hi) * h)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stepper::test_support::*;
    use crate::stepper::Rk4;

    #[test]
    fn crossing_time_is_interpolated() {
        // m_z(t) = tanh(a t) crosses 0.5 at atanh(0.5)/a
        let (alpha, h) = (0.3, 1.0);
        let sys = precession(alpha, h);
        let mut m = [Vec3::X];
        let mut ev = [Crossing::mz(0.5, Direction::Rising)];
        integrate(
            &sys,
            &mut Rk4::new(),
            &mut m,
            0.0,
            30.0,
            0.05,
            &mut ev,
            &mut (),
        )
        .unwrap();
        let a = alpha * h / (1.0 + alpha * alpha);
        let exact = libm::atanh(0.5) / a;
        let got = ev[0].time.unwrap();
        assert!((got - exact).abs() < 1e-6, "{got} vs {exact}");
        let _ = exact_mz(alpha, h, 0.0);
    }

    #[test]
    fn observer_can_stop() {
        let sys = precession(0.1, 1.0);
        let mut m = [Vec3::X];
        let mut obs = |k: u64, _: f64, _: &[Vec3<f64>; 1]| {
            if k >= 10 {
                Control::Stop
            } else {
                Control::Continue
            }
        };
        let st = integrate(
            &sys,
            &mut Rk4::new(),
            &mut m,
            0.0,
            30.0,
            0.05,
            &mut [],
            &mut obs,
        )
        .unwrap();
        assert!(st.stopped);
        assert_eq!(st.steps, 10);
    }

    #[test]
    fn rejects_bad_step() {
        let sys = precession(0.1, 1.0);
        let mut m = [Vec3::X];
        assert!(integrate(
            &sys,
            &mut Rk4::new(),
            &mut m,
            0.0,
            1.0,
            0.0,
            &mut [],
            &mut ()
        )
        .is_err());
        assert!(integrate(
            &sys,
            &mut Rk4::new(),
            &mut m,
            0.0,
            -1.0,
            0.1,
            &mut [],
            &mut ()
        )
        .is_err());
    }
}

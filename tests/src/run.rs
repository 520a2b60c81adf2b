//! Run-to-the-end conveniences over [`larmor::integrate::Integrator`] for the validation tests:
//! a deterministic or stochastic run from `t0` to `t_end` with recorded crossings, the final
//! (or last good) state written back.

use larmor::field::FieldTerm;
use larmor::gauss::Gaussian;
use larmor::integrate::{Crossing, Integrator, Kick, Observer, RunStats, MAX_EVENTS};
use larmor::llg::{Dynamics, Llg, Torque};
use larmor::rng::Rng;
use larmor::stepper::Stepper;
use larmor::thermal::Thermal;
use larmor::{Error, Real, Vec3};

/// Integrates `sys` (cloned) from `t0` to `t_end` with step `dt`.
///
/// # Errors
/// The integrator's.
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
    D: Dynamics<S, N> + Clone,
    St: Stepper<S, N>,
    O: Observer<S, N>,
{
    let run = Integrator::new(sys.clone(), stepper, *m, dt)?;
    finish(run, m, t0, t_end, events, obs)
}

/// Integrates the stochastic LLG equation (Brown's field from `rng`, once per step).
///
/// # Errors
/// The integrator's (a non-stochastic stepper is refused).
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
    F: FieldTerm<S> + Clone,
    T: Torque<S> + Clone,
    R: Rng + ?Sized,
    St: Stepper<S, N>,
    O: Observer<S, N>,
{
    let run = Integrator::thermal(llg.clone(), stepper, *m, dt, thermal.clone(), rng)?;
    finish(run, m, t0, t_end, events, obs)
}

fn finish<S, D, St, K, O, const N: usize>(
    run: Integrator<S, D, St, N, K>,
    m: &mut [Vec3<S>; N],
    t0: f64,
    t_end: f64,
    events: &mut [Crossing],
    obs: &mut O,
) -> Result<RunStats, Error>
where
    S: Real,
    D: Dynamics<S, N>,
    St: Stepper<S, N>,
    K: Kick<S, D, N>,
    O: Observer<S, N>,
{
    let mut run = run.with_events::<MAX_EVENTS>();
    run.start_at(t0)?;
    let result = run.run_recording(t_end, events, obs);
    *m = *run.state();
    result
}

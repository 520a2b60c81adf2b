//! Execution stage: the one solver dispatch. `run`, `ensemble`, `sweep` and `bench` all build
//! their stepper here from the plan's [`Solver`], so every command honours the same method,
//! step and dopri45 tolerances (`solver.atol`, `solver.rtol`).

use larmor::stepper::{DormandPrince, Heun, Midpoint, Rk4, Stepper, Tolerance};
use larmor::Real;

use crate::error::{HostError, Result};
use crate::scenario::{Method, Solver};

/// Work that needs a concrete stepper for a state of `N` vectors (1: a macrospin; 2: the
/// inertial state (m, dm/dt)): [`with_stepper`] calls [`StepperTask::run`] with the one the
/// solver settings ask for (monomorphised per method, no `dyn`).
pub trait StepperTask<S: Real, const N: usize = 1> {
    /// What the work returns.
    type Output;
    /// Does the work with `stepper`.
    fn run<St: Stepper<S, N>>(self, stepper: St) -> Self::Output;
}

/// Builds the stepper of `solver` and runs `task` with it. `dt` and `t_end` are reduced times:
/// the first step, and the end of the run (the largest step dopri45 may take; its smallest is
/// `dt * 1e-9`).
pub fn with_stepper<S: Real, T: StepperTask<S, N>, const N: usize>(
    solver: &Solver,
    dt: f64,
    t_end: f64,
    task: T,
) -> Result<T::Output> {
    Ok(match solver.method {
        Method::Rk4 => task.run(Rk4::new()),
        Method::Heun => task.run(Heun::new()),
        Method::Midpoint => task.run(Midpoint::new()),
        Method::Dopri45 => {
            let tol = Tolerance::new(solver.atol, solver.rtol, dt * 1e-9, t_end.max(dt))
                .map_err(|e| HostError::input(e.to_string()))?;
            task.run(DormandPrince::new(tol))
        }
    })
}

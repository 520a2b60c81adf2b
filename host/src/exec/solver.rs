//! Execution stage: the one solver dispatch. `run`, `ensemble`, `sweep` and `bench` all build
//! their stepper here from the plan's [`Solver`], so every command honours the same method,
//! step and adaptive (dopri45, dop853) tolerances (`solver.atol`, `solver.rtol`), and the same step-count guard
//! (`solver.max_steps`, [`StepGuard`]) and messages for an adaptive step that collapses.

use larmor::integrate::{Control, RunStats};
use larmor::stepper::{Dop853, DormandPrince, Heun, Midpoint, Rk4, Stepper, Tolerance};
use larmor::Real;

use crate::output::csv::num;

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
/// the first step, and the end of the run (the largest step an adaptive method may take; its smallest is
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
        Method::Dopri45 | Method::Dop853 => {
            let tol = Tolerance::new(solver.atol, solver.rtol, dt * 1e-9, t_end.max(dt))
                .map_err(|e| HostError::input(e.to_string()))?;
            if solver.method == Method::Dop853 {
                task.run(Dop853::new(tol))
            } else {
                task.run(DormandPrince::new(tol))
            }
        }
    })
}

/// The step-count guard of adaptive runs: the observer of every run asks it after each
/// accepted step, and it stops the run once `solver.max_steps` steps did not reach the end
/// (a step size collapsed by tight tolerances would otherwise run for ever).
#[derive(Clone, Copy, Debug)]
pub struct StepGuard {
    max: u64,
    t_end: f64,
    /// `(steps, reduced time)` where the guard stopped the run.
    pub hit: Option<(u64, f64)>,
}

impl StepGuard {
    /// The guard of `solver` for a run ending at reduced time `t_end`.
    pub fn new(solver: &Solver, t_end: f64) -> Self {
        Self {
            max: solver.max_steps,
            t_end,
            hit: None,
        }
    }

    /// After accepted step `k` at reduced time `t`: [`Control::Stop`] when the budget is spent.
    #[inline(always)]
    pub fn check(&mut self, k: u64, t: f64) -> Control {
        if k >= self.max && t < self.t_end {
            self.hit = Some((k, t));
            Control::Stop
        } else {
            Control::Continue
        }
    }

    /// The error of a run the guard stopped (`None` if it did not); `to_si` converts reduced
    /// time to seconds.
    pub fn error(&self, solver: &Solver, to_si: impl Fn(f64) -> f64) -> Option<String> {
        let (k, t) = self.hit?;
        let t_si = to_si(t);
        Some(format!(
            "solver.max_steps = {k} adaptive steps reached at t = {} s of solver.duration = {} s \
             (mean step {} s): the step size collapsed for solver.atol = {}, solver.rtol = {}; \
             loosen the tolerances or raise solver.max_steps (allowed 1 to 1e12)",
            sec(t_si),
            num(solver.duration),
            sec(t_si / k as f64),
            num(solver.atol),
            num(solver.rtol)
        ))
    }
}

/// The observer's bookkeeping of a run that writes a trace (`larmor run` of a macrospin, a
/// lattice or a stack): the step guard, every how many steps a row is written, the last step
/// written and the first write error.
#[derive(Debug)]
pub struct TracedRun {
    guard: StepGuard,
    every: u64,
    last_written: u64,
    write_err: Option<HostError>,
}

impl TracedRun {
    /// The bookkeeping of a run of `solver` to reduced time `t_end`, a row every `every` steps.
    pub fn new(solver: &Solver, t_end: f64, every: u64) -> Self {
        Self {
            guard: StepGuard::new(solver, t_end),
            every,
            last_written: u64::MAX,
            write_err: None,
        }
    }

    /// After accepted step `k` at reduced time `t`: stops when the guard does; every `every`
    /// steps writes the row (`write`), stopping on its error; stops on Ctrl-C.
    #[inline(always)]
    pub fn step(&mut self, k: u64, t: f64, write: impl FnOnce() -> Result<()>) -> Control {
        if self.guard.check(k, t) == Control::Stop {
            return Control::Stop;
        }
        if k % self.every == 0 {
            if let Err(e) = write() {
                self.write_err = Some(e);
                return Control::Stop;
            }
            self.last_written = k;
        }
        if crate::exec::interrupt::requested() {
            Control::Stop
        } else {
            Control::Continue
        }
    }

    /// After the run (`result`), which reached step `last`: the first write error, else the
    /// trace ends with the last state's row (`write`, unless it was written), and the run's
    /// statistics (none if the kernel failed) and failure message; `to_si` converts reduced
    /// time to seconds.
    ///
    /// # Errors
    /// A write error, during the run or of the last row.
    pub fn finish(
        self,
        solver: &Solver,
        last: u64,
        result: std::result::Result<RunStats, larmor::Error>,
        to_si: impl Fn(f64) -> f64,
        write: impl FnOnce() -> Result<()>,
    ) -> Result<(Option<RunStats>, Option<String>)> {
        if let Some(e) = self.write_err {
            return Err(e);
        }
        if self.last_written != last {
            write()?;
        }
        Ok(match result {
            Ok(s) => (Some(s), self.guard.error(solver, to_si)),
            Err(e) => (None, Some(run_error(solver, &e, to_si))),
        })
    }
}

/// A kernel integration error for a user: an adaptive step underflow names the tolerances and
/// the time reached in seconds; other errors as the kernel words them.
pub fn run_error(solver: &Solver, e: &larmor::Error, to_si: impl Fn(f64) -> f64) -> String {
    match *e {
        larmor::Error::StepSizeUnderflow { t, dt } => format!(
            "the adaptive step fell to {} s, below its floor solver.dt * 1e-9, at t = {} s of \
             solver.duration = {} s: solver.atol = {}, solver.rtol = {} are too tight for this \
             run; loosen them (allowed > 0)",
            sec(to_si(dt)),
            sec(to_si(t)),
            num(solver.duration),
            num(solver.atol),
            num(solver.rtol)
        ),
        _ => e.to_string(),
    }
}

/// A time in a message: four significant digits, exact zero as `0`.
fn sec(t: f64) -> String {
    if t == 0.0 {
        "0".into()
    } else {
        format!("{t:.4e}")
    }
}

//! Scenario stage, result: the run plan. Lowering validates a scenario file once and hands the
//! rest of the host these typed values; nothing after lowering reads the raw TOML.

use larmor::integrate::{Crossing, Direction};

pub use crate::scenario::schema::Method;

/// Everything the host needs to run a scenario besides the kernel's spec.
#[derive(Clone, Debug)]
pub struct RunPlan {
    /// The integrator and its settings.
    pub solver: Solver,
    /// Crossings to detect and report (`larmor run`).
    pub events: Vec<Event>,
    /// How a trial counts as switched (ensembles, sweeps).
    pub switching: Option<Switching>,
}

/// The integrator: method, step, run length and (dopri45) tolerances, all in SI.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Solver {
    /// The method given, else Heun with a temperature, else RK4.
    pub method: Method,
    /// Time step (s); the first try for dopri45.
    pub dt: f64,
    /// Simulated time (s).
    pub duration: f64,
    /// dopri45 absolute tolerance (default 1e-8).
    pub atol: f64,
    /// dopri45 relative tolerance (default 1e-8).
    pub rtol: f64,
    /// dopri45: most accepted steps (`solver.max_steps`, default [`Solver::DEFAULT_MAX_STEPS`])
    /// before the run stops with an error naming the tolerances; unbounded for fixed steps
    /// (their count is `duration / dt`, checked at lowering).
    pub max_steps: u64,
}

impl Solver {
    /// Default tolerance of dopri45 and dop853 when `solver.atol` / `solver.rtol` are not given.
    pub const DEFAULT_TOL: f64 = 1e-8;
    /// Default of `solver.max_steps` (dopri45, dop853).
    pub const DEFAULT_MAX_STEPS: u64 = 10_000_000;
    /// Largest `solver.max_steps` allowed.
    pub const MAX_MAX_STEPS: u64 = 1_000_000_000_000;

    /// The step budget of `method` from the file's `solver.max_steps`: the given value or the
    /// default for an adaptive method, unbounded for a fixed step (its count is duration / dt).
    pub fn max_steps_for(method: Method, given: Option<u64>) -> u64 {
        if method.adaptive() {
            given.unwrap_or(Self::DEFAULT_MAX_STEPS)
        } else {
            u64::MAX
        }
    }
}

/// A first crossing of a component of m through a threshold, with its name.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Name printed in the summary (`eventN` when not given).
    pub name: String,
    /// Component index (0 = x, 1 = y, 2 = z).
    pub component: usize,
    /// Threshold in [-1, 1].
    pub threshold: f64,
    /// Which sign changes count.
    pub direction: Direction,
}

impl Event {
    /// The kernel's event detector for this event (not yet triggered).
    pub fn crossing(&self) -> Crossing {
        Crossing {
            spin: 0,
            component: self.component,
            threshold: self.threshold,
            direction: self.direction,
            time: None,
            lane: 0,
        }
    }
}

/// `[switching]`, validated.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Switching {
    /// Initial direction of every trial, normalised.
    pub initial: [f64; 3],
    /// Index of the switching axis: the largest component of `initial`.
    pub component: usize,
    /// Time (s) at which the state is read; the trial stops there.
    pub read_time: f64,
}

impl Switching {
    /// From the direction as written (finite, non-zero) and the read time.
    pub fn new(initial: [f64; 3], read_time: f64) -> Self {
        let n = (initial.iter().map(|c| c * c).sum::<f64>()).sqrt();
        let init = initial.map(|c| c / n);
        let component = (0..3)
            .max_by(|&a, &b| init[a].abs().total_cmp(&init[b].abs()))
            .unwrap_or(2);
        Self {
            initial: init,
            component,
            read_time,
        }
    }
}

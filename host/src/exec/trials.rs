//! Execution stage: trials of a campaign in parallel, in chunks handed on in trial order (so
//! files are written in order and results do not depend on the number of threads).

use rayon::prelude::*;

use crate::error::Result;
use crate::exec::campaign::{Campaign, TrialResult};

/// A campaign of independent trials: a macrospin's ([`Campaign`]) or a lattice's
/// ([`crate::exec::lattice::LatticeCampaign`]).
pub trait Trials: Sync {
    /// Runs trial `trial` with the random stream `(seed, stream)`.
    ///
    /// # Errors
    /// A failed integration.
    fn trial(&self, seed: u64, stream: u64, trial: u64) -> Result<TrialResult>;
}

impl<S: larmor::Real + larmor::random::Gaussian> Trials for Campaign<S> {
    fn trial(&self, seed: u64, stream: u64, trial: u64) -> Result<TrialResult> {
        Campaign::trial(self, seed, stream, trial)
    }
}

/// Runs trials `range` of a campaign in parallel, in chunks written in trial order;
/// `sink` gets every finished chunk. Stops early (returning `false`) on Ctrl-C.
pub fn run_trials<C: Trials>(
    camp: &C,
    seed: u64,
    stream_base: u64,
    range: std::ops::Range<u64>,
    pool: &rayon::ThreadPool,
    pb: &indicatif::ProgressBar,
    mut sink: impl FnMut(&[TrialResult]) -> Result<()>,
) -> Result<bool> {
    let chunk = (pool.current_num_threads() as u64 * 16).max(64);
    let mut k = range.start;
    while k < range.end {
        if crate::exec::interrupt::requested() {
            return Ok(false);
        }
        let hi = (k + chunk).min(range.end);
        let rows: Vec<Result<TrialResult>> = pool.install(|| {
            (k..hi)
                .into_par_iter()
                .map(|t| {
                    let r = camp.trial(seed, stream_base + t, t);
                    pb.inc(1);
                    r
                })
                .collect()
        });
        let rows: Vec<TrialResult> = rows.into_iter().collect::<Result<_>>()?;
        sink(&rows)?;
        k = hi;
    }
    Ok(true)
}

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

    /// Trials that [`Trials::batch`] runs side by side (1: none, the default).
    fn batch_len(&self) -> u64 {
        1
    }

    /// Trials `first .. first + batch_len()` side by side, each with the bits of
    /// [`Trials::trial`]; `None` (the default) when they must run one by one, also when one of
    /// them failed.
    fn batch(&self, _seed: u64, _stream_base: u64, _first: u64) -> Option<Vec<TrialResult>> {
        None
    }
}

impl<S: larmor::Real + larmor::random::Gaussian> Trials for Campaign<S> {
    fn trial(&self, seed: u64, stream: u64, trial: u64) -> Result<TrialResult> {
        Campaign::trial(self, seed, stream, trial)
    }
    fn batch_len(&self) -> u64 {
        Campaign::batch_len(self)
    }
    fn batch(&self, seed: u64, stream_base: u64, first: u64) -> Option<Vec<TrialResult>> {
        Campaign::batch(self, seed, stream_base, first).map(Vec::from)
    }
}

/// Trials `range` (at most one batch): side by side when the range is a whole batch and the
/// batch succeeds, else one by one.
fn run_batch<C: Trials>(
    camp: &C,
    seed: u64,
    stream_base: u64,
    range: std::ops::Range<u64>,
) -> Vec<Result<TrialResult>> {
    if range.end - range.start == camp.batch_len() && camp.batch_len() > 1 {
        if let Some(rows) = camp.batch(seed, stream_base, range.start) {
            return rows.into_iter().map(Ok).collect();
        }
    }
    range
        .map(|t| camp.trial(seed, stream_base + t, t))
        .collect()
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
    let b = camp.batch_len().max(1);
    let chunk = (pool.current_num_threads() as u64 * 16)
        .max(64)
        .next_multiple_of(b);
    let mut k = range.start;
    while k < range.end {
        if crate::exec::interrupt::requested() {
            return Ok(false);
        }
        let hi = (k + chunk).min(range.end);
        let batches: Vec<Vec<Result<TrialResult>>> = pool.install(|| {
            (0..(hi - k).div_ceil(b))
                .into_par_iter()
                .map(|i| {
                    let lo = k + i * b;
                    let rows = run_batch(camp, seed, stream_base, lo..(lo + b).min(hi));
                    pb.inc(rows.len() as u64);
                    rows
                })
                .collect()
        });
        let rows: Vec<TrialResult> = batches.into_iter().flatten().collect::<Result<_>>()?;
        sink(&rows)?;
        k = hi;
    }
    Ok(true)
}

//! Execution stage: the worker thread pool and the progress bar every parallel command uses.

use crate::error::{HostError, Result};

/// Builds a thread pool with `threads` workers (all cores when `None`).
pub fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    if threads == Some(0) {
        return Err(HostError::input(
            "--threads = 0 is out of range: allowed >= 1",
        ));
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        // room for the stepper scratch of a lattice trial (reserved, touched only as used)
        .stack_size(64 << 20)
        .build()
        .map_err(|e| HostError::runtime(format!("thread pool: {e}")))
}

/// A progress bar on a terminal, nothing when stderr is piped.
pub fn progress(len: u64, what: &str) -> indicatif::ProgressBar {
    let pb = indicatif::ProgressBar::with_draw_target(
        Some(len),
        indicatif::ProgressDrawTarget::stderr(),
    );
    pb.set_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{{bar:40.cyan/blue}} {{pos}}/{{len}} {what} ({{per_sec}}, ETA {{eta}})"
        ))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    pb
}

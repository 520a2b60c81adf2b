//! Execution stage: kinetic Monte Carlo of a population in parallel. Particles are split into
//! fixed chunks, each with its own Philox stream, and summed in chunk order, so the result does
//! not depend on the number of threads.

use larmor::random::Philox;
use rayon::prelude::*;

use crate::error::Result;

/// Particles per kMC work unit (each with its own Philox stream): fixed, so the result does not
/// depend on the number of threads.
pub const KMC_CHUNK: usize = 4096;

/// Runs `kmc(rng, n_chunk, m_chunk)` over chunks of `n` particles in parallel (chunk `c` uses
/// the stream `(seed, stream_base + c)`) and returns the population mean of `<s>` per entry,
/// summed in chunk order.
pub fn kmc_chunks<F>(
    n: usize,
    len: usize,
    seed: u64,
    stream_base: u64,
    pool: &rayon::ThreadPool,
    pb: &indicatif::ProgressBar,
    kmc: F,
) -> Result<Vec<f64>>
where
    F: Fn(&mut Philox, usize, &mut [f64]) -> Result<()> + Sync,
{
    let chunks = n.div_ceil(KMC_CHUNK);
    let batch = kmc_batch(pool.current_num_threads());
    let mut total = vec![0.0; len];
    // a batch of chunks at a time, summed in chunk order: the memory in flight is `batch`
    // vectors of `len`, not one per chunk, and the sum is the same for any batch size
    for first in (0..chunks).step_by(batch) {
        let parts: Vec<Vec<f64>> = pool.install(|| {
            (first..chunks.min(first + batch))
                .into_par_iter()
                .map(|c| {
                    let nc = KMC_CHUNK.min(n - c * KMC_CHUNK);
                    let mut m = vec![0.0; len];
                    let mut rng = Philox::new(seed, stream_base + c as u64);
                    kmc(&mut rng, nc, &mut m)?;
                    pb.inc(nc as u64);
                    Ok(m.iter().map(|x| x * nc as f64).collect())
                })
                .collect::<Result<_>>()
        })?;
        for p in &parts {
            for (t, x) in total.iter_mut().zip(p) {
                *t += x;
            }
        }
    }
    Ok(total.into_iter().map(|x| x / n as f64).collect())
}

/// Chunks run at once by [`kmc_chunks`] on `threads` threads (their means are held in memory
/// until summed); the result does not depend on it.
pub fn kmc_batch(threads: usize) -> usize {
    4 * threads.max(1)
}

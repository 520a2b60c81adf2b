//! Execution stage: Monte Carlo temperature scans of spin lattices (`larmor mc`). Each
//! (size, temperature) point is one job in the worker pool, sampled by the kernel's
//! single-spin Monte Carlo (`larmor::lattice::mc`) on its own Philox stream
//! `(seed, s * 2^32 + t)`, so a scan does not depend on the number of threads. The blocks of
//! each point give jackknife errors (`larmor::lattice::observe`), and the Binder crossings of
//! consecutive sizes with the same jackknife over all runs at once.

use larmor::field::{ConstantZeeman, FieldTerm};
use larmor::lattice::mc::{MonteCarlo, Spin};
use larmor::lattice::observe::{crossing, Blocks, Means, Sample, Summary};
use larmor::lattice::{Exchange, Lattice, Neighbours};
use larmor::random::Philox;
use larmor::Vec3;
use rayon::prelude::*;

use crate::error::{HostError, Result};
use crate::scenario::mc::{McPlan, MAX_BLOCKS};

/// Directed bonds per site of the lattice capacities (fcc with four shells has 54).
const BONDS_PER_SITE: usize = 64;

/// A built lattice of one of the host's capacities (1024, 4096 or 32768 sites; the kernel's
/// lattices are const-generic). Only its capacity-free views are used.
pub enum AnyLattice {
    /// Up to 1024 sites.
    Small(Box<Lattice<1024, { 1024 * BONDS_PER_SITE }>>),
    /// Up to 4096 sites.
    Medium(Box<Lattice<4096, { 4096 * BONDS_PER_SITE }>>),
    /// Up to 32768 sites.
    Large(Box<Lattice<32768, { 32768 * BONDS_PER_SITE }>>),
}

impl AnyLattice {
    /// Builds `spec` (with `sites` sites) in the smallest capacity that holds it. The lattice
    /// is built on its own thread with a stack large enough for the largest capacity (8 MiB
    /// of bonds), then lives on the heap.
    pub fn build(spec: larmor::lattice::LatticeSpec, sites: usize) -> Result<Self> {
        let job = move || -> std::result::Result<AnyLattice, larmor::Error> {
            Ok(if sites <= 1024 {
                AnyLattice::Small(Box::new(Lattice::build(&spec)?))
            } else if sites <= 4096 {
                AnyLattice::Medium(Box::new(Lattice::build(&spec)?))
            } else {
                AnyLattice::Large(Box::new(Lattice::build(&spec)?))
            })
        };
        std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn(job)
            .map_err(|e| HostError::runtime(format!("lattice builder thread: {e}")))?
            .join()
            .map_err(|_| HostError::runtime("the lattice builder failed"))?
            .map_err(|e| HostError::input(e.to_string()))
    }

    /// The neighbour lists.
    pub fn neighbours(&self) -> Neighbours<'_> {
        match self {
            AnyLattice::Small(l) => l.neighbours(),
            AnyLattice::Medium(l) => l.neighbours(),
            AnyLattice::Large(l) => l.neighbours(),
        }
    }

    /// Position of site `i` (lattice constants).
    pub fn position(&self, i: usize) -> Option<[f64; 3]> {
        match self {
            AnyLattice::Small(l) => l.position(i),
            AnyLattice::Medium(l) => l.position(i),
            AnyLattice::Large(l) => l.position(i),
        }
    }

    /// Number of sites.
    pub fn sites(&self) -> usize {
        match self {
            AnyLattice::Small(l) => l.sites(),
            AnyLattice::Medium(l) => l.sites(),
            AnyLattice::Large(l) => l.sites(),
        }
    }
}

/// The blocks of one point.
pub type PointBlocks = Blocks<MAX_BLOCKS>;

/// One finished (size, temperature) point.
#[derive(Clone, Debug)]
pub struct Point {
    /// Index of the size.
    pub size: usize,
    /// Index of the temperature.
    pub temp: usize,
    /// The block means.
    pub blocks: PointBlocks,
    /// The observables with their jackknife errors.
    pub summary: Summary,
    /// Fraction of accepted moves.
    pub acceptance: f64,
}

/// Runs one point: `equilibration` sweeps from the ordered state (all spins along z; along x
/// for XY spins), then `sweeps` measured sweeps summed into `blocks` blocks; the energy is
/// tracked through the moves and recomputed at every block start.
fn run_point(plan: &McPlan, lat: &AnyLattice, size: usize, temp: usize) -> Result<Point> {
    let t = plan.temperatures[temp];
    let n = lat.sites();
    let ex = Exchange::<f64>::new(lat.neighbours(), &plan.j)
        .map_err(|e| HostError::input(format!("{}: mc.j: {e}", plan.file)))?;
    let zeeman = (plan.field != [0.0; 3]).then(|| ConstantZeeman::new(Vec3::from_f64(plan.field)));
    let terms = (ex, zeeman);
    let start = if plan.spin == Spin::Xy {
        Vec3::X
    } else {
        Vec3::Z
    };
    let mut m = vec![start; n];
    let stream = ((size as u64) << 32) | temp as u64;
    let mut mc = MonteCarlo::new(plan.spin, plan.rule, t, Philox::new(plan.seed, stream))
        .map_err(|e| HostError::input(format!("{}: {e}", plan.file)))?;
    let per_block = plan.sweeps / plan.blocks as u32;
    let mut blocks = PointBlocks::new(per_block).map_err(|e| HostError::runtime(e.to_string()))?;
    for _ in 0..plan.equilibration {
        mc.sweep(&terms, &mut m);
    }
    for _ in 0..plan.blocks {
        let mut energy = terms.energy(0.0, &m);
        for _ in 0..per_block {
            energy += mc.sweep(&terms, &mut m);
            blocks
                .push(&Sample::with_energy(energy, &m, &[]))
                .map_err(|e| HostError::runtime(e.to_string()))?;
        }
    }
    let summary = blocks
        .summary(n, t)
        .ok_or_else(|| HostError::runtime("fewer than two Monte Carlo blocks"))?;
    Ok(Point {
        size,
        temp,
        blocks,
        summary,
        acceptance: mc.acceptance(),
    })
}

/// Runs every point not yet `done` (by index `size * temperatures + temp`) on `pool`, in
/// chunks handed to `sink` in index order; stops before the next chunk on Ctrl-C (returning
/// `false`).
pub fn run_points(
    plan: &McPlan,
    lattices: &[AnyLattice],
    pool: &rayon::ThreadPool,
    pb: &indicatif::ProgressBar,
    mut sink: impl FnMut(Vec<Point>) -> Result<()>,
) -> Result<bool> {
    let nt = plan.temperatures.len();
    let total = lattices.len() * nt;
    // one chunk per size and a few temperatures: every worker busy, rows saved often
    let chunk = (pool.current_num_threads() * 2).max(1);
    let mut k = 0;
    while k < total {
        if crate::exec::interrupt::requested() {
            return Ok(false);
        }
        let hi = (k + chunk).min(total);
        let pts: Vec<Result<Point>> = pool.install(|| {
            (k..hi)
                .into_par_iter()
                .map(|i| {
                    let (s, t) = (i / nt, i % nt);
                    let r = run_point(plan, &lattices[s], s, t);
                    pb.inc(1);
                    r
                })
                .collect()
        });
        sink(pts.into_iter().collect::<Result<_>>()?)?;
        k = hi;
    }
    Ok(true)
}

/// A Binder crossing of two sizes with its jackknife error.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Crossing {
    /// The smaller size.
    pub l1: usize,
    /// The larger size.
    pub l2: usize,
    /// Crossing temperature (reduced, `kB T / J_ref`).
    pub tc: f64,
    /// Its jackknife standard error.
    pub tc_err: f64,
    /// `true` if the curves change order between two scanned temperatures (else `tc` is an
    /// extrapolation of the straight line through all of them).
    pub bracketed: bool,
}

/// The Binder crossing of the curves `a` and `b` (one run per temperature `t`, of two sizes):
/// the kernel's least-squares [`crossing`] through the points around the first sign change of
/// `U_a - U_b` (the bracketing pair and one more on each side; all points when the curves do
/// not change order, then `bracketed` is `false` and the crossing is an extrapolation). Its
/// error is the jackknife over the blocks with every run leaving out the same block index (the
/// runs are independent, so this is the jackknife of the whole data set; Berg, *Markov Chain
/// Monte Carlo Simulations*, 2004, sec. 2.7). `None` for fewer than two temperatures or
/// parallel curves.
pub fn binder_crossing(
    t: &[f64],
    a: &[&PointBlocks],
    b: &[&PointBlocks],
) -> Option<(f64, f64, bool)> {
    let u = |runs: &[&PointBlocks], k: Option<usize>| -> Option<Vec<f64>> {
        runs.iter()
            .map(|r| {
                let means = match k {
                    Some(k) => r.leave_out(k)?,
                    None => r.means()?,
                };
                Some(Means::binder(&means))
            })
            .collect()
    };
    let (ua, ub) = (u(a, None)?, u(b, None)?);
    let d: Vec<f64> = ua.iter().zip(&ub).map(|(x, y)| x - y).collect();
    let change = (0..d.len().saturating_sub(1)).find(|&i| d[i] * d[i + 1] <= 0.0);
    let w = match change {
        Some(i) => i.saturating_sub(1)..(i + 3).min(t.len()),
        None => 0..t.len(),
    };
    let tc = crossing(&t[w.clone()], &ua[w.clone()], &ub[w.clone()])?;
    let nb = a.iter().chain(b).map(|r| r.blocks()).min()?;
    let mut ts = Vec::with_capacity(nb);
    for k in 0..nb {
        let (ja, jb) = (u(a, Some(k))?, u(b, Some(k))?);
        ts.push(crossing(&t[w.clone()], &ja[w.clone()], &jb[w.clone()])?);
    }
    let n = ts.len() as f64;
    let mean = ts.iter().sum::<f64>() / n;
    let var = ts.iter().map(|x| (x - mean).powi(2)).sum::<f64>();
    let err = ((n - 1.0) / n * var).sqrt();
    (tc.is_finite() && err.is_finite()).then_some((tc, err, change.is_some()))
}

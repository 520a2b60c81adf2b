//! Command `larmor sw loop --population`: the loop of a population of non-interacting particles
//! (one loop engine per particle, in parallel; the result does not depend on the number of
//! threads), with remanence and coercivity and their standard errors.

use larmor::random::Dist;
use larmor::sw::coercivity::{self, branch_sums, BranchSums};
use larmor::sw::{self, Axes, Population};
use rayon::prelude::*;

use super::{LoopArgs, LoopReport, PopKind};
use crate::commands::checks::{check_angle, kernel_err, out_of_range};
use crate::error::{HostError, Result};
use crate::exec::pool::progress;
use crate::output::csv::num;

/// Particles per work unit: a function of the population size only, so sums are formed in the
/// same order whatever the number of threads.
fn chunk_size(n: usize) -> usize {
    n.div_ceil(4096).max(256)
}

/// Volume-weighted mean of `m_par` on the descending major branch at the field `h`, with the
/// standard error of a weighted mean over independently drawn particles (chunks in parallel,
/// summed in chunk order by the kernel).
fn branch_mean(pop: &Population<'_>, h: f64, pool: &rayon::ThreadPool) -> Result<(f64, f64)> {
    let n = pop.len();
    let cs = chunk_size(n);
    let sums: Vec<BranchSums> = pool.install(|| {
        (0..n.div_ceil(cs))
            .into_par_iter()
            .map(|c| branch_sums(pop, c * cs..(c + 1) * cs, h).map_err(|e| kernel_err(e, &[])))
            .collect::<Result<_>>()
    })?;
    Ok(coercivity::branch_mean(&sums))
}

pub(super) fn population_loop(
    args: &LoopArgs,
    kind: PopKind,
    fields: &[f64],
) -> Result<LoopReport> {
    let Some(n) = args.particles else {
        return Err(HostError::input(
            "--population needs --particles N (1 <= N <= 1e9)",
        ));
    };
    if !(1..=1_000_000_000).contains(&n) {
        return Err(out_of_range("--particles", n as f64, "1 <= N <= 1e9"));
    }
    let spread = |v: Option<f64>, opt: &str| -> Result<Dist> {
        match v {
            None => Ok(Dist::Fixed(1.0)),
            Some(s) if s.is_finite() && s >= 0.0 => Ok(if s == 0.0 {
                Dist::Fixed(1.0)
            } else {
                Dist::LogNormal { median: 1.0, sd: s }
            }),
            Some(s) => Err(out_of_range(
                opt,
                s,
                ">= 0 (standard deviation of the logarithm)",
            )),
        }
    };
    let hk = spread(args.hk_spread, "--hk-spread")?;
    let volume = spread(args.volume_spread, "--volume-spread")?;
    let axes = match kind {
        PopKind::Random3d => Axes::Random3D,
        PopKind::Random2d => Axes::Random2D,
        PopKind::Stratified3d => Axes::Stratified3D,
        PopKind::Stratified2d => Axes::Stratified2D,
        PopKind::Aligned => Axes::Aligned {
            psi: check_angle("--psi", args.psi.unwrap_or(0.0))?,
        },
    };
    if args.psi.is_some() && kind != PopKind::Aligned {
        return Err(HostError::input(
            "--psi applies to one particle or to --population aligned, not to distributed axes",
        ));
    }
    let pop = Population {
        axes,
        hk,
        volume,
        n,
        seed: args.seed.unwrap_or(0),
    };
    let names = [
        ("sw.population.hk", "--hk-spread"),
        ("sw.population.volume", "--volume-spread"),
        ("sw.population", "--particles"),
    ];
    pop.validate().map_err(|e| kernel_err(e, &names))?;
    let pool = args.threads.pool()?;

    // loop: one engine per particle, chunks computed in parallel and summed in chunk order
    let cs = chunk_size(n);
    let chunks = n.div_ceil(cs);
    let nf = fields.len();
    let (mut mp, mut mt) = (vec![0.0; nf], vec![0.0; nf]);
    let mut total = 0.0;
    let pb = progress(n as u64, "particles");
    let batch = 64;
    for b0 in (0..chunks).step_by(batch) {
        let parts: Vec<(f64, Vec<f64>, Vec<f64>)> = pool.install(|| {
            (b0..(b0 + batch).min(chunks))
                .into_par_iter()
                .map(|c| {
                    let (mut p, mut t) = (vec![0.0; nf], vec![0.0; nf]);
                    let w = sw::population_loop::<f64, _>(
                        pop.iter(c * cs..(c + 1) * cs),
                        fields,
                        &mut p,
                        &mut t,
                    )
                    .map_err(|e| kernel_err(e, &names))?;
                    pb.inc((cs.min(n - c * cs)) as u64);
                    Ok((w, p, t))
                })
                .collect::<Result<_>>()
        })?;
        for (w, p, t) in parts {
            total += w;
            for k in 0..nf {
                mp[k] += w * p[k];
                mt[k] += w * t[k];
            }
        }
    }
    pb.finish_and_clear();
    let rows: Vec<Vec<f64>> = (0..nf)
        .map(|k| vec![fields[k], mp[k] / total, mt[k] / total])
        .collect();

    // remanence and coercivity on the descending branch, exact for these particles
    let (mr, mr_se) = branch_mean(&pop, 0.0, &pool)?;
    let half = args.points; // descending branch: rows[..half]
    let bracket = (1..half)
        .find(|&k| rows[k][1] <= 0.0 && rows[k - 1][1] > 0.0)
        .map(|k| (fields[k], fields[k - 1]));
    let coercivity =
        coercivity::coercivity(mr, bracket, args.hmax, |h| branch_mean(&pop, h, &pool))?;
    let hk_max = if args.hk_spread.unwrap_or(0.0) > 0.0 {
        pop.iter(0..n).map(|p| p.hk).fold(0.0, f64::max)
    } else {
        1.0
    };
    let mut notes = Vec::new();
    if hk_max * 1.0000001 > args.hmax {
        notes.push(format!(
            "the largest particle H_K is {hk_max:.4} H_K,ref > hmax: some particles may not \
             switch (a minor loop for them)"
        ));
    }
    let sampled = sampled(args, kind);
    Ok(LoopReport {
        rows: rows.iter().map(|r| [r[0], r[1], r[2]]).collect(),
        remanence: mr,
        remanence_se: sampled.then_some(mr_se),
        coercivity: coercivity.map(|c| c.0),
        coercivity_se: coercivity.filter(|_| sampled).map(|c| c.1),
        switching_field: None,
        jumps: Vec::new(),
        notes,
    })
}

/// The population is drawn at random (axes or spreads), so its figures have standard errors.
fn sampled(args: &LoopArgs, kind: PopKind) -> bool {
    matches!(kind, PopKind::Random3d | PopKind::Random2d)
        || args.hk_spread.unwrap_or(0.0) > 0.0
        || args.volume_spread.unwrap_or(0.0) > 0.0
}

pub(super) fn print_population(args: &LoopArgs, kind: PopKind, r: &LoopReport, t_loop: f64) {
    let n = args.particles.unwrap_or(0);
    // the size of the pool `population_loop` made (rayon's default when not given)
    let threads = args
        .threads
        .threads
        .unwrap_or_else(rayon::current_num_threads);
    let sampled = sampled(args, kind);
    let pm = |se: Option<f64>| {
        if sampled {
            format!(
                " +- {:.6} (standard error over particles)",
                se.unwrap_or(0.0)
            )
        } else {
            " (no sampling: deterministic set of particles)".to_string()
        }
    };
    eprintln!(
        "larmor sw loop: population {} ({n} particles, seed {}), hmax {}, {} fields per branch, \
         {t_loop:.2} s on {threads} threads",
        kind_name(kind),
        args.seed.unwrap_or(0),
        num(args.hmax),
        args.points,
    );
    eprintln!(
        "  remanence   M_r/M_s = {:.6}{}",
        r.remanence,
        pm(r.remanence_se)
    );
    match r.coercivity {
        Some(hc) => eprintln!("  coercivity  H_c/H_K = {hc:.6}{}", pm(r.coercivity_se)),
        None => eprintln!(
            "  coercivity  not reached: <m_par> stays positive down to -hmax (raise --hmax)"
        ),
    }
    for note in &r.notes {
        eprintln!("  note        {note}");
    }
}

pub(super) fn kind_name(k: PopKind) -> &'static str {
    match k {
        PopKind::Random3d => "random3d",
        PopKind::Random2d => "random2d",
        PopKind::Aligned => "aligned",
        PopKind::Stratified3d => "stratified3d",
        PopKind::Stratified2d => "stratified2d",
    }
}

//! Command `larmor viscosity`: magnetic viscosity, M(t) of a population with distributed
//! barriers by kinetic Monte Carlo, against the exact expectation and the flat-density law.
//!
//! Energies in units of `kB T`. References: Neel, Ann. Geophys. 5, 99 (1949); Pfeiffer, Phys.
//! Status Solidi A 118, 295 (1990).

mod dist;

use clap::Args;
use larmor::arrhenius::{self, kmc_relax, kmc_sweep, Grains, TwoLevel};
use larmor::random::Dist;
use larmor::units::KB;
use rayon::prelude::*;

use crate::commands::args::{helps, OutPlot, Threads};
use crate::commands::checks::{check_points, kerr, log_grid, out_of_range, positive};
use crate::error::Result;
use crate::exec::kmc::kmc_chunks;
use crate::exec::pool::progress;
use crate::output::csv::{num, write_csv};
use crate::output::plot::{decimate, draw, Panel, Series, BLUE, GREEN, PLOT_POINTS, RED};
use dist::{density, expect, parse_dist};

// Arguments of `larmor viscosity` (a plain comment: clap would print a doc comment in --help).
#[derive(Debug, Args)]
#[command(mut_args(helps(&[
    (
        "out",
        "Output CSV, one row per time: t (s); e_probe (kB T), the barrier that relaxes at t, ln(t \
         f0 (1 + exp(-bias))); m, M/Ms from kMC; m_se, its standard error; m_exact, the expected \
         M/Ms for infinitely many particles (quadrature over the barrier distribution); s_exact, \
         the exact viscosity -dm_exact/d ln t; s_theory, the flat-density approximation 2 \
         P(e_probe) / (1 + exp(-bias)) (2 kB T P(0) Ms without back-switching); S in units of Ms \
         per unit of ln t",
    ),
    ("plot", "PNG: M/Ms against log10 t (kMC and exact), and the viscosity S against log10 t"),
])))]
pub struct ViscosityArgs {
    /// Distribution of the barrier E of the up state, in units of kB T (values >= 0):
    /// fixed:E, uniform:LO:HI, normal:MEAN:SD (negative draws count as 0) or
    /// lognormal:MEDIAN:SD (SD of ln E). Example: uniform:10:50.
    #[arg(long)]
    pub barrier: String,
    /// Extra barrier of the down state, in kB T (finite; from down the barrier is E + bias).
    /// 0: remanence decay in zero field (M relaxes to 0); large (e.g. 60): a reversing field,
    /// no back-switching (M relaxes to -Ms).
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    pub bias: f64,
    /// Attempt frequency f0 in Hz (> 0), the same for every particle.
    #[arg(long, default_value_t = 1e9, allow_negative_numbers = true)]
    pub f0: f64,
    /// Number of particles (1 to 1e9), all starting up (M = +Ms at t = 0).
    #[arg(long, default_value_t = 100_000)]
    pub particles: usize,
    /// Seed: particles k*4096 .. k*4096+4095 use the Philox stream (seed, k).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// First time of the log-spaced time grid (s, > 0).
    #[arg(long, default_value_t = 1e-3, allow_negative_numbers = true)]
    pub t_min: f64,
    /// Last time (s, >= t-min).
    #[arg(long, default_value_t = 1e3, allow_negative_numbers = true)]
    pub t_max: f64,
    /// Number of times, log-spaced from t-min to t-max (1 to 10^5).
    #[arg(long, default_value_t = 61)]
    pub points: usize,
    /// Simulate every flip (Gillespie, kernel kmc_relax) instead of drawing each particle's
    /// state at the output times from the exact two-state transition probabilities (the
    /// default; same distribution). Slow when low barriers flip back and forth many times.
    #[arg(long)]
    pub gillespie: bool,
    /// Worker threads.
    #[command(flatten)]
    pub threads: Threads,
    /// The output table and its plot.
    #[command(flatten)]
    pub files: OutPlot,
}

/// Runs `larmor viscosity`.
pub fn viscosity(args: &ViscosityArgs) -> Result<()> {
    args.files.check()?;
    let dist = parse_dist(&args.barrier)?;
    if !args.bias.is_finite() {
        return Err(out_of_range("--bias", args.bias, "finite (kB T)"));
    }
    let f0 = positive("--f0", args.f0, "Hz")?;
    if !(1..=1_000_000_000).contains(&args.particles) {
        return Err(out_of_range(
            "--particles",
            args.particles as f64,
            "1 <= N <= 1e9",
        ));
    }
    if !(args.t_min > 0.0 && args.t_min.is_finite()) {
        return Err(out_of_range("--t-min", args.t_min, "> 0 s (finite)"));
    }
    if !(args.t_max >= args.t_min && args.t_max.is_finite()) {
        return Err(out_of_range(
            "--t-max",
            args.t_max,
            &format!(">= --t-min = {} s (finite)", num(args.t_min)),
        ));
    }
    check_points(args.points, 1, 100_000)?;
    let grains = Grains {
        barrier_kt: dist,
        bias_kt: args.bias,
        f0,
    };
    grains.validate().map_err(kerr)?;
    let pool = args.threads.pool()?;
    let times = log_grid(args.t_min, args.t_max, args.points);
    let n = args.particles;
    let t0 = std::time::Instant::now();
    let pb = progress(n as u64, "particles");
    let m = if args.gillespie {
        kmc_chunks(n, times.len(), args.seed, 0, &pool, &pb, |rng, nc, m| {
            kmc_relax(rng, nc, |r| grains.draw(r), 1.0, &times, m)
                .map(|_| ())
                .map_err(kerr)
        })?
    } else {
        // exact two-state transitions between successive output times: kmc_sweep over the
        // interval index k (t = 0, times...) with dt = 1 and the rates scaled by each
        // interval's duration (constant rates: the transition depends only on w * duration)
        let clock: Vec<f64> = std::iter::once(0.0).chain(times.iter().copied()).collect();
        let durations: Vec<f64> = clock.windows(2).map(|w| w[1] - w[0]).collect();
        let index: Vec<f64> = (0..clock.len()).map(|k| k as f64).collect();
        let rates = |tl: &TwoLevel<f64>, mid: f64| {
            let d = durations[((mid - 0.5).round() as usize).min(durations.len() - 1)];
            (tl.up_to_down * d, tl.down_to_up * d)
        };
        let mut m = kmc_chunks(n, clock.len(), args.seed, 0, &pool, &pb, |rng, nc, m| {
            kmc_sweep(rng, nc, |r| grains.draw(r), &index, 1.0, rates, m)
                .map(|_| ())
                .map_err(kerr)
        })?;
        m.remove(0);
        m
    };
    pb.finish_and_clear();
    let t_kmc = t0.elapsed().as_secs_f64();

    // exact expectation: each grain relaxes to s0 with rate Gamma (Grains::draw's rates)
    let bias = args.bias;
    let grain = |e: f64| {
        let (a, b) = (-(e + bias).max(0.0), -e);
        let g = f0 * (a.exp() + b.exp());
        // s0 = (w_du - w_ud) / (w_du + w_ud) = tanh((a - b) / 2): finite even when both rates
        // underflow (a grain with a barrier of hundreds of kB T is frozen, g = 0)
        (g, (0.5 * (a - b)).tanh())
    };
    let back = 1.0 + (-bias).exp();
    let rows: Vec<Vec<f64>> = pool.install(|| {
        times
            .par_iter()
            .zip(&m)
            .map(|(&t, &mk)| {
                let m_exact = expect(&dist, |e| {
                    let (g, s0) = grain(e);
                    s0 + (1.0 - s0) * (-g * t).exp()
                });
                let s_exact = expect(&dist, |e| {
                    let (g, s0) = grain(e);
                    (1.0 - s0) * g * t * (-g * t).exp()
                });
                let e_probe = (t * f0 * back).ln();
                // Street and Woolley (1949) through the kernel: S = 2 kB T P(0) Ms with P per joule; the
                // temperature cancels (P per kB T = P per joule * kB T). Back-switching: / back.
                const T_REF: f64 = 300.0;
                let p = density(&dist, e_probe);
                let s_theory = if matches!(dist, Dist::Fixed(_)) {
                    f64::NAN
                } else {
                    arrhenius::viscosity_coefficient(p / (KB * T_REF), T_REF, 1.0).unwrap_or(0.0)
                        / back
                };
                let se = ((1.0 - mk * mk).max(0.0) / n as f64).sqrt();
                vec![t, e_probe, mk, se, m_exact, s_exact, s_theory]
            })
            .collect()
    });
    write_csv(
        &args.files.out,
        "t,e_probe,m,m_se,m_exact,s_exact,s_theory",
        &rows,
    )?;
    if let Some(plot) = &args.files.plot {
        let col = |c: usize| -> Vec<(f64, f64)> {
            decimate(
                &rows
                    .iter()
                    .filter(|r| r[c].is_finite())
                    .map(|r| (r[0].log10(), r[c]))
                    .collect::<Vec<_>>(),
                PLOT_POINTS,
            )
        };
        // kMC slope over about one decade of time (neighbouring rows are too noisy)
        let s_kmc: Vec<(f64, f64)> = (0..rows.len())
            .filter_map(|i| {
                let j = (i + 1..rows.len()).find(|&j| rows[j][0] >= 10.0 * rows[i][0])?;
                let (a, b) = (&rows[i], &rows[j]);
                Some((
                    0.5 * (a[0].log10() + b[0].log10()),
                    (a[2] - b[2]) / (b[0] / a[0]).ln(),
                ))
            })
            .collect();
        draw(
            plot,
            &[
                Panel::new(
                    format!(
                        "magnetic viscosity: {} particles, barrier {}",
                        n, args.barrier
                    ),
                    "log10 t (s)",
                    "M / Ms",
                    vec![
                        Series::new("kinetic Monte Carlo", col(2), BLUE),
                        Series::new("exact (N -> infinity)", col(4), RED),
                    ],
                ),
                Panel::new(
                    "viscosity S = -dM/d ln t",
                    "log10 t (s)",
                    "S / Ms",
                    vec![
                        Series::new("kMC (slope over one decade)", s_kmc, BLUE),
                        Series::new("2 kB T P(E) Ms / (1 + e^-bias)", col(6), GREEN),
                        Series::new("exact", col(5), RED),
                    ],
                ),
            ],
        )?;
    }
    let zmax = rows
        .iter()
        .filter(|r| r[3] > 0.0)
        .map(|r| ((r[2] - r[4]) / r[3]).abs())
        .fold(0.0, f64::max);
    let (first, last) = (&rows[0], &rows[rows.len() - 1]);
    eprintln!(
        "larmor viscosity: {n} particles, barrier {} kB T, bias {} kB T, f0 {} Hz, seed {}: \
         {t_kmc:.2} s on {} threads",
        args.barrier,
        num(bias),
        num(f0),
        args.seed,
        pool.current_num_threads()
    );
    eprintln!(
        "  M/Ms        {:.5} at t = {:.3e} s -> {:.5} at {:.3e} s (exact {:.5} -> {:.5}); max \
         |kMC - exact| = {zmax:.2} standard errors",
        first[2], first[0], last[2], last[0], first[4], last[4]
    );
    if rows.len() > 1 {
        let span = (last[0] / first[0]).ln();
        let mid = &rows[rows.len() / 2];
        eprintln!(
            "  S/Ms        {:.5} (kMC), {:.5} (exact), mean over the window per unit ln t; \
             flat-density formula {} at t = {:.3e} s",
            (first[2] - last[2]) / span,
            (first[4] - last[4]) / span,
            if mid[6].is_finite() {
                format!("{:.5}", mid[6])
            } else {
                "n/a".into()
            },
            mid[0]
        );
    }
    args.files.wrote();
    Ok(())
}

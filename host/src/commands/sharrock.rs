//! Command `larmor sharrock`: Sharrock's law, coercivity against field sweep rate or waiting
//! time, for the exact Stoner-Wohlfarth barrier, the closed-form law, and (sweeps) kinetic Monte
//! Carlo. References: Sharrock, IEEE Trans. Magn. 26, 193 (1990) and J. Appl. Phys. 76, 6413
//! (1994); Pfeiffer, Phys. Status Solidi A 118, 295 (1990).

use clap::{Args, ValueEnum};
use larmor::arrhenius::waiting::waiting_coercivity;
use larmor::arrhenius::{self, kmc_sweep};
use larmor::sw;
use rayon::prelude::*;

use crate::commands::args::{helps, OutPlot, Threads};
use crate::commands::checks::{
    check_angle, check_points, check_range, kerr, log_grid, out_of_range, positive,
};
use crate::error::{HostError, Result};
use crate::exec::kmc::{kmc_batch, kmc_chunks};
use crate::exec::pool::progress;
use crate::output::csv::{num, write_csv};
use crate::output::plot::{decimate, draw, Panel, Series, BLUE, ORANGE, PLOT_POINTS, RED};

// What `larmor sharrock` varies (a plain comment: clap would print a doc comment in --help).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Vs {
    /// Linear field sweep at a rate (units of H_K per second): Hc is where half the particles
    /// have switched (Sharrock 1994).
    Rate,
    /// Waiting time at constant field (s): Hc is the field that switches half the particles in
    /// that time (Sharrock 1990).
    Time,
}

/// Arguments of `larmor sharrock`.
#[derive(Debug, Args)]
#[command(mut_args(helps(&[
    (
        "out",
        "Output CSV, one row per value: rate (H_K/s) or t (s); hc, the coercive field Hc/H_K for \
         the exact Stoner-Wohlfarth barrier (half-switching of the survival probability, \
         back-switching neglected); hc_sharrock, the closed-form Sharrock law with exponent m and \
         H0 = h_sw(psi); with --particles: hc_kmc (field where the simulated mean m crosses 0) \
         and hc_kmc_se (its standard error)",
    ),
    ("plot", "PNG: Hc against log10 of the rate or time"),
])))]
pub struct SharrockArgs {
    /// Stability factor sigma = K V / (kB T) (> 0): the zero-field barrier in units of kB T.
    #[arg(long, allow_negative_numbers = true)]
    pub sigma: f64,
    /// Attempt frequency f0 in Hz (> 0), the same at every field.
    #[arg(long, default_value_t = 1e9, allow_negative_numbers = true)]
    pub f0: f64,
    /// Angle between the reversing field and the easy axis (degrees; folded into 0..90 by
    /// symmetry). The exact Stoner-Wohlfarth barrier is used at any angle.
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    pub psi: f64,
    /// Exponent m of the closed-form Sharrock law, barrier sigma (1 - h/h_sw)^m (> 0)
    /// [default: 2 at psi = 0, else Pfeiffer's 0.86 + 1.14 h_sw(psi)].
    #[arg(long, allow_negative_numbers = true)]
    pub exponent: Option<f64>,
    /// Vary the sweep rate (H_K/s) or the waiting time (s).
    #[arg(long, value_enum)]
    pub vs: Vs,
    /// First value of the log-spaced grid: rate in H_K/s (> 0) or time in s (> ln 2 / f0).
    #[arg(long, allow_negative_numbers = true)]
    pub from: f64,
    /// Last value of the grid (>= --from).
    #[arg(long, allow_negative_numbers = true)]
    pub to: f64,
    /// Number of grid values (1 to 10^4).
    #[arg(long, default_value_t = 25)]
    pub points: usize,
    /// With --vs rate: also simulate the sweep by kinetic Monte Carlo with this many particles
    /// per rate (0: no simulation; up to 1e8). Its field grid reaches 1.25 Hc in steps of
    /// h_sw/4000 and is limited to 1e6 cells: rates up to about 200 h_sw f0 / ln 2.
    #[arg(long, default_value_t = 0)]
    pub particles: usize,
    /// Seed of the kMC: rate k, particles j*4096.. use the Philox stream (seed, k * 2^32 + j).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Worker threads.
    #[command(flatten)]
    pub threads: Threads,
    /// The output table and its plot.
    #[command(flatten)]
    pub files: OutPlot,
}

/// Runs `larmor sharrock`.
pub fn sharrock(args: &SharrockArgs) -> Result<()> {
    args.files.check()?;
    let sigma = positive("--sigma", args.sigma, "(K V / kB T)")?;
    let f0 = positive("--f0", args.f0, "Hz")?;
    let psi_in = check_angle("--psi", args.psi)?;
    // fold into [0, pi/2]: the reversing field's angle to the axis it reverses
    let psi = psi_in.sin().abs().atan2(psi_in.cos().abs());
    let h_sw = sw::switching_field(psi).map_err(kerr)?;
    let m_exp = match args.exponent {
        Some(m) => positive("--exponent", m, "(2 aligned, ~1.5 misaligned)")?,
        None if psi == 0.0 => 2.0,
        None => arrhenius::pfeiffer_exponent(psi).map_err(kerr)?,
    };
    check_points(args.points, 1, 10_000)?;
    match args.vs {
        Vs::Rate => check_range(args.from, args.to, 0.0, "H_K/s")?,
        Vs::Time => check_range(
            args.from,
            args.to,
            std::f64::consts::LN_2 / f0,
            "s (= ln 2 / f0: shorter waits leave half the particles unswitched even without a \
             barrier)",
        )?,
    }
    if args.particles > 0 && args.vs == Vs::Time {
        return Err(HostError::input(
            "--particles (kinetic Monte Carlo) applies to --vs rate",
        ));
    }
    if args.particles > 100_000_000 {
        return Err(out_of_range(
            "--particles",
            args.particles as f64,
            "0 <= N <= 1e8",
        ));
    }
    let pool = args.threads.pool()?;
    // barriers (kB T) of the up well (against the field) and the down well at field h
    let (cp, sp) = (psi.cos(), psi.sin());
    let barriers = move |h: f64| -> (f64, f64) {
        match sw::barrier(-h * cp, h * sp) {
            Ok(Some(b)) => (
                2.0 * sigma * b.from_up_2kv(),
                2.0 * sigma * b.from_down_2kv(),
            ),
            _ => (0.0, f64::INFINITY), // outside the astroid: only the down well
        }
    };
    let up = move |h: f64| if h >= h_sw { 0.0 } else { barriers(h).0 };
    let values = log_grid(args.from, args.to, args.points);
    let t0 = std::time::Instant::now();
    let mut rows: Vec<Vec<f64>> = pool.install(|| {
        values
            .par_iter()
            .map(|&v| -> Result<Vec<f64>> {
                Ok(match args.vs {
                    Vs::Rate => {
                        let hc = arrhenius::sweep_coercivity(f0, v, h_sw, up).map_err(kerr)?;
                        let hs = h_sw
                            * arrhenius::sharrock_sweep(sigma, f0, v / h_sw, m_exp)
                                .map_err(kerr)?;
                        vec![v, hc, hs]
                    }
                    Vs::Time => {
                        let x = (f0 * v / std::f64::consts::LN_2).ln();
                        let (hc, hs) = if sigma <= x {
                            (0.0, 0.0) // superparamagnetic over t
                        } else {
                            (
                                waiting_coercivity(x, h_sw, up),
                                h_sw * arrhenius::sharrock(sigma, f0, v, m_exp).map_err(kerr)?,
                            )
                        };
                        vec![v, hc, hs]
                    }
                })
            })
            .collect::<Result<_>>()
    })?;
    let mut header = match args.vs {
        Vs::Rate => "rate,hc,hc_sharrock".to_string(),
        Vs::Time => "t,hc,hc_sharrock".to_string(),
    };
    if args.particles > 0 {
        header.push_str(",hc_kmc,hc_kmc_se");
        // field grid from 0 past the switching field; rates tabulated at interval midpoints
        let steps = 4000usize;
        let dh = h_sw / steps as f64;
        let h_end = (1.25 * h_sw).max(rows.iter().map(|r| r[1]).fold(0.0, f64::max) * 1.25);
        let nf = kmc_cells(h_end, dh, h_sw, f0, args.to, pool.current_num_threads())?;
        let fields: Vec<f64> = (0..nf).map(|k| k as f64 * dh).collect();
        let w_mid: Vec<(f64, f64)> = pool.install(|| {
            (0..nf)
                .into_par_iter()
                .map(|k| {
                    let h = (k as f64 + 0.5) * dh;
                    if h >= h_sw {
                        (f0, 0.0)
                    } else {
                        let (bu, bd) = barriers(h);
                        (f0 * (-bu).exp(), f0 * (-bd).exp())
                    }
                })
                .collect()
        });
        let rates = |_: &(), h: f64| w_mid[((h / dh - 0.5).round() as usize).min(nf - 1)];
        let pb = progress(rows.len() as u64 * args.particles as u64, "particles");
        for (i, row) in rows.iter_mut().enumerate() {
            let rate = row[0];
            let dt = dh / rate;
            let n = args.particles;
            let m = kmc_chunks(
                n,
                nf,
                args.seed,
                (i as u64) << 32,
                &pool,
                &pb,
                |rng, nc, m| {
                    kmc_sweep(rng, nc, |_| (), &fields, dt, rates, m)
                        .map(|_| ())
                        .map_err(kerr)
                },
            )?;
            let (hk, se) = match m.iter().position(|&x| x < 0.0) {
                Some(k) if k > 0 => {
                    let h = fields[k - 1] + dh * m[k - 1] / (m[k - 1] - m[k]);
                    // slope of the expected <m> = 2 S - 1 at half switching: (f0/rate) e^-B
                    let slope = (f0 / rate) * (-up(row[1])).exp();
                    (h, (1.0 / n as f64).sqrt() / slope)
                }
                _ => (f64::NAN, f64::NAN),
            };
            row.push(hk);
            row.push(se);
        }
        pb.finish_and_clear();
    }
    let elapsed = t0.elapsed().as_secs_f64();
    write_csv(&args.files.out, &header, &rows)?;
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
        let mut series = vec![
            Series::new("exact Stoner-Wohlfarth barrier", col(1), BLUE),
            Series::new("Sharrock law (power-law barrier)", col(2), ORANGE),
        ];
        if args.particles > 0 {
            series.push(Series::new("kinetic Monte Carlo", col(3), RED));
        }
        draw(
            plot,
            &[Panel::new(
                format!(
                    "Sharrock: sigma = {}, f0 = {} Hz, psi = {} deg, m = {:.3}",
                    num(sigma),
                    num(f0),
                    num(psi.to_degrees()),
                    m_exp
                ),
                match args.vs {
                    Vs::Rate => "log10 sweep rate (H_K/s)",
                    Vs::Time => "log10 waiting time (s)",
                },
                "Hc / H_K",
                series,
            )],
        )?;
    }
    eprintln!(
        "larmor sharrock: sigma {}, f0 {} Hz, psi {} deg (h_sw = {h_sw:.6}), exponent m = \
         {m_exp:.4}, {} values of the {}{}: {elapsed:.2} s",
        num(sigma),
        num(f0),
        num(psi.to_degrees()),
        rows.len(),
        match args.vs {
            Vs::Rate => "sweep rate",
            Vs::Time => "waiting time",
        },
        if args.particles > 0 {
            format!(", kMC with {} particles each", args.particles)
        } else {
            String::new()
        }
    );
    let unit = match args.vs {
        Vs::Rate => "H_K/s",
        Vs::Time => "s",
    };
    for r in &rows {
        eprintln!(
            "  {:>11.4e} {unit:<5} Hc/H_K = {:.6} (Sharrock {:.6}{})",
            r[0],
            r[1],
            r[2],
            if r.len() > 3 {
                format!(", kMC {:.6} +- {:.6}", r[3], r[4])
            } else {
                String::new()
            }
        );
    }
    args.files.wrote();
    Ok(())
}

/// Most cells of the kMC field grid (steps of h_sw / 4000): the grid reaches 1.25 Hc, so this
/// allows coercivities up to 200 h_sw, i.e. sweep rates up to about 200 h_sw f0 / ln 2.
const MAX_KMC_CELLS: usize = 1_000_000;

/// The number of cells of the kMC field grid from 0 to `h_end` in steps `dh`, refused before
/// anything is allocated when above [`MAX_KMC_CELLS`]: at sweep rates near and above f0 the
/// coercivity grows as `rate ln 2 / f0` and the grid with it.
fn kmc_cells(h_end: f64, dh: f64, h_sw: f64, f0: f64, to: f64, threads: usize) -> Result<usize> {
    let cells = (h_end / dh).ceil() + 1.0;
    if cells <= MAX_KMC_CELLS as f64 {
        return Ok(cells as usize);
    }
    // tables (fields, rates) plus the per-chunk means in flight
    let bytes = cells * (24.0 + 8.0 * (kmc_batch(threads) + 1) as f64);
    let hc_max = (MAX_KMC_CELLS - 1) as f64 * dh / 1.25;
    let rate_max = (hc_max - h_sw) * f0 / std::f64::consts::LN_2;
    Err(HostError::input(format!(
        "--to = {} H_K/s is out of range for kinetic Monte Carlo (--particles): the coercivity \
         reaches {} H_K, a field grid of {} cells ({:.1} GB); allowed with --particles: --to <= {} \
         H_K/s at --f0 = {} Hz (coercivity up to {} H_K, {MAX_KMC_CELLS} cells), or leave out \
         --particles",
        num(to),
        three_digits(h_end / 1.25),
        three_digits(cells),
        bytes / 1e9,
        three_digits(rate_max),
        num(f0),
        num(hc_max.floor()),
    )))
}

/// `x > 0` cut (not rounded) to three significant digits, so a bound is never shown too high.
fn three_digits(x: f64) -> String {
    let unit = 10f64.powf(x.log10().floor() - 2.0);
    let cut = (x / unit).floor() * unit;
    num(format!("{cut:.2e}").parse().unwrap_or(cut))
}

//! `larmor sw`: Stoner-Wohlfarth particles. The astroid from the kernel's stability analysis,
//! and quasi-static hysteresis loops of one particle (the kernel's history-following loop
//! engine) or of a population of non-interacting particles (one loop engine per particle, in
//! parallel; the result does not depend on the number of threads).
//!
//! Fields are in units of the anisotropy field `H_K = 2 K / (mu0 Ms)`, moments in units of
//! `Ms` (Stoner & Wohlfarth, Phil. Trans. R. Soc. A 240, 599 (1948)).

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use larmor::sw::{self, Axes, Dist, Population};
use plotters::style::RGBColor;
use rayon::prelude::*;

use crate::commands::ensemble::{pool, progress};
use crate::error::{HostError, Result};
use crate::output::plot::{decimate, draw, Panel, Series};
use crate::output::{check_writable, AtomicFile};

/// Arguments of `larmor sw`.
#[derive(Debug, Args)]
pub struct SwArgs {
    #[command(subcommand)]
    pub cmd: SwCmd,
}

/// The `larmor sw` subcommands.
#[derive(Debug, Subcommand)]
pub enum SwCmd {
    /// Switching field h_sw(psi) against the field angle (the astroid), from the stability
    /// condition e' = e'' = 0.
    Astroid(AstroidArgs),
    /// Quasi-static hysteresis loop +hmax -> -hmax -> +hmax of one particle (--psi) or of a
    /// population (--population); remanence and coercivity on stderr.
    Loop(LoopArgs),
}

/// Arguments of `larmor sw astroid`.
#[derive(Debug, Args)]
pub struct AstroidArgs {
    /// Output CSV, one row per field angle: psi_deg (angle between field and easy axis,
    /// degrees), h_sw (switching field, units of H_K), h_par = h_sw cos psi, h_perp = h_sw sin psi.
    #[arg(long)]
    pub out: PathBuf,
    /// PNG: the astroid in the (h_par, h_perp) plane and h_sw against psi.
    #[arg(long)]
    pub plot: Option<PathBuf>,
    /// Number of field angles, evenly spaced from 0 to 360 degrees inclusive (2 to 10^7).
    #[arg(long, default_value_t = 361)]
    pub points: usize,
}

/// Easy-axis distribution of a population (the field is applied along +z).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PopKind {
    /// Axes uniformly random on the sphere (pseudo-random from --seed).
    Random3d,
    /// Axes uniformly random in the plane of the field (x-z plane).
    Random2d,
    /// All axes at --psi degrees to the field (default 0).
    Aligned,
    /// Deterministic quadrature of the random-3D average (Fibonacci sphere): no sampling noise.
    Stratified3d,
    /// Deterministic quadrature of the random-2D average (evenly spaced angles).
    Stratified2d,
}

/// Arguments of `larmor sw loop`.
#[derive(Debug, Args)]
pub struct LoopArgs {
    /// Angle between the field and the easy axis (degrees, finite) for one particle; with
    /// --population aligned, the angle of every particle's axis (default 0).
    #[arg(long, allow_negative_numbers = true)]
    pub psi: Option<f64>,
    /// Largest field (units of H_K, 0 < hmax <= 1e6): the field goes from +hmax (positive
    /// saturation) to -hmax and back to +hmax. For populations with a spread of H_K, choose it
    /// above the largest switching field.
    #[arg(long, default_value_t = 2.0, allow_negative_numbers = true)]
    pub hmax: f64,
    /// Field values per branch, evenly spaced from +hmax to -hmax (3 to 10^6); the CSV has
    /// 2 N - 1 rows.
    #[arg(long, default_value_t = 401)]
    pub points: usize,
    /// Loop of a population of non-interacting particles with this easy-axis distribution
    /// (instead of one particle); m_par, m_perp are volume-weighted averages.
    #[arg(long, value_enum)]
    pub population: Option<PopKind>,
    /// Number of particles of the population (1 to 10^9).
    #[arg(long)]
    pub particles: Option<usize>,
    /// Seed of the population: particle k depends only on (seed, k) [default: 0].
    #[arg(long)]
    pub seed: Option<u64>,
    /// Spread of the particles' anisotropy fields: H_K/H_K,ref is log-normal with median 1 and
    /// this standard deviation of its logarithm (>= 0) [default: 0, all equal].
    #[arg(long, allow_negative_numbers = true)]
    pub hk_spread: Option<f64>,
    /// Spread of the particles' volumes (weights of their moments): log-normal with median 1
    /// and this standard deviation of the logarithm (>= 0) [default: 0, all equal].
    #[arg(long, allow_negative_numbers = true)]
    pub volume_spread: Option<f64>,
    /// Worker threads for populations (default: all cores); results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Output CSV: h (field along the measurement direction, units of H_K), m_par (moment
    /// along the field direction, units of Ms), m_perp (moment across it, in the plane of
    /// the field and the easy axis for one particle; along x for a population).
    #[arg(long)]
    pub out: PathBuf,
    /// PNG: m_par(h) (the loop) and m_perp(h).
    #[arg(long)]
    pub plot: Option<PathBuf>,
}

/// Runs `larmor sw ...`.
pub fn run(args: &SwArgs) -> Result<()> {
    match &args.cmd {
        SwCmd::Astroid(a) => astroid(a),
        SwCmd::Loop(a) => run_loop(a),
    }
}

// ---------------------------------------------------------------------------------------------
// helpers shared with commands::thermal_activation

/// `OPT = VALUE is out of range: allowed RANGE` (exit code 2), the kernel's wording.
pub(crate) fn out_of_range(opt: &str, value: f64, allowed: &str) -> HostError {
    HostError::input(format!(
        "{opt} = {} is out of range: allowed {allowed}",
        num(value)
    ))
}

/// A kernel error as bad input, with kernel parameter names replaced by command-line options.
pub(crate) fn kernel_err(e: larmor::Error, names: &[(&str, &str)]) -> HostError {
    let mut s = e.to_string();
    for (param, opt) in names {
        s = s.replace(param, opt);
    }
    HostError::input(s)
}

/// Checks `--out` and `--plot` before any work.
pub(crate) fn check_outputs(out: &Path, plot: Option<&PathBuf>) -> Result<()> {
    check_writable(out, "--out")?;
    if let Some(p) = plot {
        check_writable(p, "--plot")?;
        if p == out {
            return Err(HostError::input("--plot must differ from --out"));
        }
    }
    Ok(())
}

/// A number for CSV/JSON-like text: the shortest representation that reads back exactly,
/// plain for moderate magnitudes, scientific otherwise.
pub(crate) fn num(x: f64) -> String {
    let a = x.abs();
    if x == 0.0 {
        "0".into()
    } else if (1e-4..1e7).contains(&a) || !a.is_finite() {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}

/// Writes a CSV (header + rows of numbers) atomically.
pub(crate) fn write_csv(path: &Path, header: &str, rows: &[Vec<f64>]) -> Result<()> {
    let mut f = AtomicFile::create(path)?;
    let io = |e: std::io::Error| HostError::runtime(format!("writing {}: {e}", path.display()));
    let w = f.writer();
    writeln!(w, "{header}").map_err(io)?;
    for r in rows {
        let line: Vec<String> = r.iter().map(|&x| num(x)).collect();
        writeln!(w, "{}", line.join(",")).map_err(io)?;
    }
    f.finish().map(|_| ())
}

/// Plot colours (matplotlib's first four).
pub(crate) const BLUE: RGBColor = RGBColor(31, 119, 180);
pub(crate) const ORANGE: RGBColor = RGBColor(255, 127, 14);
pub(crate) const GREEN: RGBColor = RGBColor(44, 160, 44);
pub(crate) const RED: RGBColor = RGBColor(214, 39, 40);

/// Most points drawn per curve.
pub(crate) const PLOT_POINTS: usize = 4000;

/// `--points` within `[lo, hi]`.
pub(crate) fn check_points(n: usize, lo: usize, hi: usize) -> Result<()> {
    if n < lo || n > hi {
        return Err(out_of_range(
            "--points",
            n as f64,
            &format!("{lo} <= N <= {}", num(hi as f64)),
        ));
    }
    Ok(())
}

/// A finite angle in degrees.
fn check_angle(opt: &str, deg: f64) -> Result<f64> {
    if !deg.is_finite() || deg.abs() > 1e6 {
        return Err(out_of_range(
            opt,
            deg,
            "finite angle in degrees (|psi| <= 1e6)",
        ));
    }
    Ok(deg.to_radians())
}

fn wrote(out: &Path, plot: Option<&PathBuf>) {
    eprintln!(
        "  wrote       {}{}",
        out.display(),
        plot.map(|p| format!(", {}", p.display()))
            .unwrap_or_default()
    );
}

// ---------------------------------------------------------------------------------------------
// astroid

fn astroid(args: &AstroidArgs) -> Result<()> {
    check_outputs(&args.out, args.plot.as_ref())?;
    check_points(args.points, 2, 10_000_000)?;
    let n = args.points;
    let rows: Vec<Vec<f64>> = (0..n)
        .map(|k| {
            let deg = 360.0 * k as f64 / (n - 1) as f64;
            let p = sw::astroid_point(deg.to_radians()).map_err(|e| kernel_err(e, &[]))?;
            Ok(vec![deg, p.h_sw, p.h_par, p.h_perp])
        })
        .collect::<Result<_>>()?;
    write_csv(&args.out, "psi_deg,h_sw,h_par,h_perp", &rows)?;
    if let Some(plot) = &args.plot {
        let pts = |x: usize, y: usize| {
            decimate(
                &rows.iter().map(|r| (r[x], r[y])).collect::<Vec<_>>(),
                PLOT_POINTS,
            )
        };
        draw(
            plot,
            &[
                Panel {
                    title: "Stoner-Wohlfarth astroid".into(),
                    x_label: "h_par = H cos(psi) / H_K",
                    y_label: "h_perp = H sin(psi) / H_K",
                    series: vec![Series {
                        label: "switching field",
                        points: pts(2, 3),
                        color: BLUE,
                    }],
                    log_y: false,
                    y_range: Some((-1.1, 1.1)),
                },
                Panel {
                    title: "switching field against field angle".into(),
                    x_label: "psi (deg, field to easy axis)",
                    y_label: "h_sw = H_sw / H_K",
                    series: vec![Series {
                        label: "h_sw(psi)",
                        points: pts(0, 1),
                        color: RED,
                    }],
                    log_y: false,
                    y_range: Some((0.0, 1.05)),
                },
            ],
        )?;
    }
    let min = rows.iter().map(|r| r[1]).fold(f64::INFINITY, f64::min);
    eprintln!("larmor sw astroid: {n} field angles from 0 to 360 deg");
    eprintln!("  h_sw        from {min:.6} (psi = 45 deg) to 1 (psi = 0, 90 deg), units of H_K");
    wrote(&args.out, args.plot.as_ref());
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// loops

/// Fields of the loop: `points` values from +hmax to -hmax, then back through the same values
/// negated (2 points - 1 in all; the two branches are exact mirror images).
fn loop_fields(hmax: f64, points: usize) -> Vec<f64> {
    let down: Vec<f64> = (0..points)
        .map(|k| hmax * (1.0 - 2.0 * k as f64 / (points - 1) as f64))
        .collect();
    let mut all = down.clone();
    all.extend(down.iter().skip(1).map(|h| -h));
    all
}

fn run_loop(args: &LoopArgs) -> Result<()> {
    check_outputs(&args.out, args.plot.as_ref())?;
    if !(args.hmax > 0.0 && args.hmax <= 1e6) {
        return Err(out_of_range(
            "--hmax",
            args.hmax,
            "0 < hmax <= 1e6 (units of H_K)",
        ));
    }
    check_points(args.points, 3, 1_000_000)?;
    let fields = loop_fields(args.hmax, args.points);
    match args.population {
        None => {
            for (given, opt) in [
                (args.particles.is_some(), "--particles"),
                (args.seed.is_some(), "--seed"),
                (args.hk_spread.is_some(), "--hk-spread"),
                (args.volume_spread.is_some(), "--volume-spread"),
                (args.threads.is_some(), "--threads"),
            ] {
                if given {
                    return Err(HostError::input(format!(
                        "{opt} needs --population (random3d, random2d, aligned, stratified3d, \
                         stratified2d)"
                    )));
                }
            }
            let Some(psi) = args.psi else {
                return Err(HostError::input(
                    "sw loop needs --psi DEG (one particle) or --population KIND",
                ));
            };
            single_loop(args, check_angle("--psi", psi)?, &fields)
        }
        Some(kind) => population_loop(args, kind, &fields),
    }
}

fn single_loop(args: &LoopArgs, psi: f64, fields: &[f64]) -> Result<()> {
    let names = [("sw.psi", "--psi"), ("sw.field", "--hmax")];
    // start in the hemisphere of the field direction: positive saturation
    let mut lp =
        sw::Loop::<f64>::in_plane(psi, psi.cos() >= 0.0).map_err(|e| kernel_err(e, &names))?;
    let mut rows = Vec::with_capacity(fields.len());
    let mut jumps = Vec::new();
    for &h in fields {
        let st = lp
            .apply(larmor::Vec3::new(psi.cos(), psi.sin(), 0.0).scale(h))
            .map_err(|e| kernel_err(e, &names))?;
        if let Some(jf) = st.jump_field {
            // signed field along the measurement direction
            jumps.push(jf.x * psi.cos() + jf.y * psi.sin());
        }
        let (m_par, m_perp) = lp.components();
        rows.push(vec![h, m_par, m_perp]);
    }
    write_csv(&args.out, "h,m_par,m_perp", &rows)?;
    let hy = sw::hysteresis(psi).map_err(|e| kernel_err(e, &names))?;
    if let Some(plot) = &args.plot {
        plot_loop(
            plot,
            &format!(
                "one particle, field at {} deg to the easy axis",
                num(args.psi.unwrap_or(0.0))
            ),
            &rows,
        )?;
    }
    eprintln!(
        "larmor sw loop: one particle, field at psi = {} deg to the easy axis, hmax {}, {} \
         fields per branch",
        num(args.psi.unwrap_or(0.0)),
        num(args.hmax),
        args.points
    );
    eprintln!("  remanence   M_r/M_s = {:.9}", hy.remanence);
    eprintln!("  coercivity  H_c/H_K = {:.9}", hy.coercivity);
    match hy.switching_field {
        Some(h_sw) => eprintln!(
            "  switching   h_sw = {h_sw:.9} (astroid); jumps in this loop: {}",
            if jumps.is_empty() {
                "none (hmax below h_sw: a minor loop)".to_string()
            } else {
                jumps
                    .iter()
                    .map(|h| format!("{h:+.6}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        ),
        None => eprintln!("  switching   none: field across the easy axis, no hysteresis"),
    }
    wrote(&args.out, args.plot.as_ref());
    Ok(())
}

fn plot_loop(plot: &Path, title: &str, rows: &[Vec<f64>]) -> Result<()> {
    let col = |c: usize| {
        decimate(
            &rows.iter().map(|r| (r[0], r[c])).collect::<Vec<_>>(),
            PLOT_POINTS,
        )
    };
    draw(
        plot,
        &[
            Panel {
                title: format!("hysteresis loop: {title}"),
                x_label: "h = H / H_K",
                y_label: "m_par = M_par / M_s",
                series: vec![Series {
                    label: "m_par",
                    points: col(1),
                    color: BLUE,
                }],
                log_y: false,
                y_range: Some((-1.1, 1.1)),
            },
            Panel {
                title: "transverse moment".into(),
                x_label: "h = H / H_K",
                y_label: "m_perp = M_perp / M_s",
                series: vec![Series {
                    label: "m_perp",
                    points: col(2),
                    color: ORANGE,
                }],
                log_y: false,
                y_range: Some((-1.1, 1.1)),
            },
        ],
    )
}

/// Particles per work unit: a function of the population size only, so sums are formed in the
/// same order whatever the number of threads.
fn chunk_size(n: usize) -> usize {
    n.div_ceil(4096).max(256)
}

/// Volume-weighted mean of `m_par` on the descending major branch at the field `h`, with the
/// standard error of a weighted mean over independently drawn particles.
fn branch_mean(pop: &Population<'_>, h: f64, pool: &rayon::ThreadPool) -> Result<(f64, f64)> {
    let n = pop.len();
    let cs = chunk_size(n);
    let sums: Vec<[f64; 5]> = pool.install(|| {
        (0..n.div_ceil(cs))
            .into_par_iter()
            .map(|c| {
                let mut s = [0.0; 5];
                for p in pop.iter(c * cs..(c + 1) * cs) {
                    let x = sw::major_branch(&p, h).map_err(|e| kernel_err(e, &[]))?.0;
                    let w = p.volume;
                    s[0] += w;
                    s[1] += w * x;
                    s[2] += w * w;
                    s[3] += w * w * x;
                    s[4] += w * w * x * x;
                }
                Ok(s)
            })
            .collect::<Result<_>>()
    })?;
    let mut t = [0.0; 5];
    for s in &sums {
        for i in 0..5 {
            t[i] += s[i];
        }
    }
    let mean = t[1] / t[0];
    let var = (t[4] - 2.0 * mean * t[3] + mean * mean * t[2]).max(0.0);
    Ok((mean, var.sqrt() / t[0]))
}

fn population_loop(args: &LoopArgs, kind: PopKind, fields: &[f64]) -> Result<()> {
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
                Dist::LogNormal {
                    median: 1.0,
                    sigma: s,
                }
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
    let pool = pool(args.threads)?;
    let t0 = std::time::Instant::now();

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
    let t_loop = t0.elapsed().as_secs_f64();

    // remanence and coercivity on the descending branch, exact for these particles
    let (mr, mr_se) = branch_mean(&pop, 0.0, &pool)?;
    let half = args.points; // descending branch: rows[..half]
    let bracket = (1..half)
        .find(|&k| rows[k][1] <= 0.0 && rows[k - 1][1] > 0.0)
        .map(|k| (fields[k], fields[k - 1]));
    let coercivity = if mr.is_nan() || mr <= 0.0 {
        Some((0.0, 0.0)) // no remanence: no coercive field
    } else {
        let mean = |h: f64| branch_mean(&pop, h, &pool).map(|m| m.0);
        // M(lo) <= 0 < M(hi) from the loop's grid; confirmed on the exact branch, else widened
        let (mut lo, mut hi) = bracket.unwrap_or((-args.hmax, 0.0));
        if !(mean(lo)? <= 0.0 && mean(hi)? > 0.0) {
            (lo, hi) = (-args.hmax, 0.0);
        }
        if mean(lo)? > 0.0 {
            None
        } else {
            while hi - lo > 1e-11 * (1.0 + args.hmax) {
                let mid = 0.5 * (lo + hi);
                if mean(mid)? > 0.0 {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            let hc = -0.5 * (lo + hi);
            // standard error: SE of M at -Hc over the local slope of M(h) (delta method)
            let d = (1e-3 * args.hmax).min(0.5 * hc.max(1e-9));
            let se = branch_mean(&pop, -hc, &pool)?.1;
            let slope = (mean(-hc + d)? - mean(-hc - d)?) / (2.0 * d);
            Some((hc, if slope > 0.0 { se / slope } else { f64::NAN }))
        }
    };
    if let Some(plot) = &args.plot {
        plot_loop(plot, &format!("{n} particles, {}", kind_name(kind)), &rows)?;
    }
    write_csv(&args.out, "h,m_par,m_perp", &rows)?;
    let hk_max = if args.hk_spread.unwrap_or(0.0) > 0.0 {
        pop.iter(0..n).map(|p| p.hk).fold(0.0, f64::max)
    } else {
        1.0
    };

    let sampled = matches!(kind, PopKind::Random3d | PopKind::Random2d)
        || args.hk_spread.unwrap_or(0.0) > 0.0
        || args.volume_spread.unwrap_or(0.0) > 0.0;
    let pm = |se: f64| {
        if sampled {
            format!(" +- {se:.6} (standard error over particles)")
        } else {
            " (no sampling: deterministic set of particles)".to_string()
        }
    };
    eprintln!(
        "larmor sw loop: population {} ({n} particles, seed {}), hmax {}, {} fields per branch, \
         {t_loop:.2} s on {} threads",
        kind_name(kind),
        pop.seed,
        num(args.hmax),
        args.points,
        pool.current_num_threads()
    );
    eprintln!("  remanence   M_r/M_s = {mr:.6}{}", pm(mr_se));
    match coercivity {
        Some((hc, se)) => eprintln!("  coercivity  H_c/H_K = {hc:.6}{}", pm(se)),
        None => eprintln!(
            "  coercivity  not reached: <m_par> stays positive down to -hmax (raise --hmax)"
        ),
    }
    if hk_max * 1.0000001 > args.hmax {
        eprintln!(
            "  note        the largest particle H_K is {hk_max:.4} H_K,ref > hmax: some \
             particles may not switch (a minor loop for them)"
        );
    }
    wrote(&args.out, args.plot.as_ref());
    Ok(())
}

fn kind_name(k: PopKind) -> &'static str {
    match k {
        PopKind::Random3d => "random3d",
        PopKind::Random2d => "random2d",
        PopKind::Aligned => "aligned",
        PopKind::Stratified3d => "stratified3d",
        PopKind::Stratified2d => "stratified2d",
    }
}

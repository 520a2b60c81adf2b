//! Command `larmor sw`: Stoner-Wohlfarth particles. The astroid from the kernel's stability
//! analysis (here), and quasi-static hysteresis loops of one particle (`single`: the kernel's
//! history-following loop engine) or of a population of non-interacting particles
//! (`population`: one loop engine per particle, in parallel; the result does not depend on the
//! number of threads).
//!
//! Fields are in units of the anisotropy field `H_K = 2 K / (mu0 Ms)`, moments in units of
//! `Ms` (Stoner & Wohlfarth, Phil. Trans. R. Soc. A 240, 599 (1948)).

mod population;
mod single;

pub use single::loop_report;

use clap::{Args, Subcommand, ValueEnum};
use larmor::sw;

use crate::commands::args::{helps, OutPlot, Threads};
use crate::commands::checks::{check_points, kernel_err};
use crate::error::Result;
use crate::output::csv::write_csv;
use crate::output::plot::{decimate, draw, Panel, Series, BLUE, PLOT_POINTS, RED};

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
#[command(mut_args(helps(&[
    (
        "out",
        "Output CSV, one row per field angle: psi_deg (angle between field and easy axis, \
         degrees), h_sw (switching field, units of H_K), h_par = h_sw cos psi, h_perp = h_sw sin \
         psi",
    ),
    ("plot", "PNG: the astroid in the (h_par, h_perp) plane and h_sw against psi"),
])))]
pub struct AstroidArgs {
    /// The output table and its plot.
    #[command(flatten)]
    pub files: OutPlot,
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
#[command(mut_args(helps(&[
    (
        "threads",
        "Worker threads for populations (default: all cores); results do not depend on it",
    ),
    (
        "out",
        "Output CSV: h (field along the measurement direction, units of H_K), m_par (moment along \
         the field direction, units of Ms), m_perp (moment across it, in the plane of the field \
         and the easy axis for one particle; along x for a population)",
    ),
    ("plot", "PNG: m_par(h) (the loop) and m_perp(h)"),
])))]
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
    /// Worker threads.
    #[command(flatten)]
    pub threads: Threads,
    /// The output table and its plot.
    #[command(flatten)]
    pub files: OutPlot,
}

/// Runs `larmor sw ...`.
pub fn run(args: &SwArgs) -> Result<()> {
    match &args.cmd {
        SwCmd::Astroid(a) => astroid(a),
        SwCmd::Loop(a) => single::run_loop(a),
    }
}

/// The astroid at `points` field angles evenly spaced from 0 to 360 degrees inclusive (2 to
/// 10^7): rows `[psi_deg, h_sw, h_par, h_perp]`, the table of `larmor sw astroid`.
pub fn astroid_rows(points: usize) -> Result<Vec<[f64; 4]>> {
    check_points(points, 2, 10_000_000)?;
    (0..points)
        .map(|k| {
            let deg = 360.0 * k as f64 / (points - 1) as f64;
            let p = sw::astroid_point(deg.to_radians()).map_err(|e| kernel_err(e, &[]))?;
            Ok([deg, p.h_sw, p.h_par, p.h_perp])
        })
        .collect()
}

/// A quasi-static loop and its figures ([`loop_report`]).
#[derive(Clone, Debug)]
pub struct LoopReport {
    /// Rows `[h, m_par, m_perp]`: the table of `larmor sw loop` (2 points - 1 rows).
    pub rows: Vec<[f64; 3]>,
    /// Remanence M_r/M_s on the descending branch.
    pub remanence: f64,
    /// Its standard error over particles (a population drawn at random or with spreads).
    pub remanence_se: Option<f64>,
    /// Coercivity H_c/H_K (`None`: not reached down to -hmax).
    pub coercivity: Option<f64>,
    /// Its standard error over particles (as `remanence_se`).
    pub coercivity_se: Option<f64>,
    /// One particle: the astroid's switching field h_sw(psi) (`None` for a field across the
    /// axis, no hysteresis).
    pub switching_field: Option<f64>,
    /// One particle: the signed fields of the irreversible jumps in this loop.
    pub jumps: Vec<f64>,
    /// Warnings about the loop (a population whose largest H_K exceeds hmax).
    pub notes: Vec<String>,
}

fn astroid(args: &AstroidArgs) -> Result<()> {
    args.files.check()?;
    let n = args.points;
    let rows: Vec<Vec<f64>> = astroid_rows(n)?.iter().map(|r| r.to_vec()).collect();
    write_csv(&args.files.out, "psi_deg,h_sw,h_par,h_perp", &rows)?;
    if let Some(plot) = &args.files.plot {
        let pts = |x: usize, y: usize| {
            decimate(
                &rows.iter().map(|r| (r[x], r[y])).collect::<Vec<_>>(),
                PLOT_POINTS,
            )
        };
        draw(
            plot,
            &[
                Panel::new(
                    "Stoner-Wohlfarth astroid",
                    "h_par = H cos(psi) / H_K",
                    "h_perp = H sin(psi) / H_K",
                    vec![Series::new("switching field", pts(2, 3), BLUE)],
                )
                .y_range(-1.1, 1.1),
                Panel::new(
                    "switching field against field angle",
                    "psi (deg, field to easy axis)",
                    "h_sw = H_sw / H_K",
                    vec![Series::new("h_sw(psi)", pts(0, 1), RED)],
                )
                .y_range(0.0, 1.05),
            ],
        )?;
    }
    let min = rows.iter().map(|r| r[1]).fold(f64::INFINITY, f64::min);
    eprintln!("larmor sw astroid: {n} field angles from 0 to 360 deg");
    eprintln!("  h_sw        from {min:.6} (psi = 45 deg) to 1 (psi = 0, 90 deg), units of H_K");
    args.files.wrote();
    Ok(())
}

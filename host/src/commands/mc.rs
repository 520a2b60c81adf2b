//! Command `larmor mc`: Monte Carlo temperature scans of an Ising, XY or Heisenberg lattice
//! over several sizes, every (size, temperature) point a job in the worker pool on its own
//! random stream; one CSV row per point, the Binder-cumulant crossings of consecutive sizes
//! (finite-size estimates of `Tc`; Binder, Z. Phys. B 43, 119 (1981)) in a JSON summary, and
//! m(T), U4(T) plots. The physics is the kernel's (`larmor::lattice`); see `exec::mc`.

use std::path::PathBuf;

use clap::Args;

use crate::commands::args::{helps, OutPlot, Threads};
use crate::error::{HostError, Result};
use crate::exec::mc::{binder_crossing, run_points, AnyLattice, Crossing, Point};
use crate::exec::pool::progress;
use crate::output::check_files;
use crate::output::csv::{num, write_csv};
use crate::output::json::write_json;
use crate::output::plot::{draw, Panel, Series, BLUE, GREEN, GREY, ORANGE, RED};
use crate::scenario::mc::{self as mc_plan, McPlan};

/// The columns of the CSV of `larmor mc`.
pub const HEADER: &str = "L,T,m,m_err,m2,m4,u4,u4_err,e,c,chi";

/// Arguments of `larmor mc`.
#[derive(Debug, Args)]
#[command(mut_args(helps(&[
    (
        "out",
        "One row per (size, temperature), per spin, reduced units: L, T, m = <|m|>, m_err, \
         m2 = <m^2>, m4 = <m^4>, u4 (Binder cumulant), u4_err, e (energy), c (specific heat), \
         chi (susceptibility)",
    ),
    ("plot", "PNG: m(T) and the Binder cumulant U4(T) of every size"),
])))]
pub struct McArgs {
    /// Scan file (TOML, one `[mc]` table; see examples/README.md).
    pub scenario: PathBuf,
    /// The table and its plot.
    #[command(flatten)]
    pub files: OutPlot,
    /// JSON summary: the scan, and Tc from the Binder crossing of each pair of consecutive
    /// sizes with its jackknife error.
    #[arg(long)]
    pub summary: Option<PathBuf>,
    /// Worker threads.
    #[command(flatten)]
    pub threads: Threads,
}

/// The JSON summary.
#[derive(serde::Serialize)]
struct McSummary<'a> {
    scenario: &'a str,
    model: &'a str,
    algorithm: String,
    sizes: Vec<usize>,
    temperatures: &'a [f64],
    sweeps: u32,
    equilibration: u32,
    blocks: usize,
    seed: u64,
    crossings: Vec<Crossing>,
    wall_seconds: f64,
}

/// Runs `larmor mc`.
///
/// # Errors
/// Bad input (exit code 2), an interruption (130: the finished rows are written), a failed write.
pub fn run(args: &McArgs) -> Result<()> {
    let plan = mc_plan::load(&args.scenario)?;
    check_files(
        &[("scenario", args.scenario.as_path())],
        &[
            ("--out", Some(&args.files.out)),
            ("--plot", args.files.plot.as_deref()),
            ("--summary", args.summary.as_deref()),
        ],
    )?;
    let pool = args.threads.pool()?;
    let lattices: Vec<AnyLattice> = plan
        .lattices
        .iter()
        .enumerate()
        .map(|(i, &(l, spec, sites))| {
            AnyLattice::build(spec, sites).map_err(|e| {
                HostError::input(format!(
                    "{}: mc.sizes: L = {l} (size {i}): {}",
                    plan.file, e.message
                ))
            })
        })
        .collect::<Result<_>>()?;
    crate::exec::interrupt::install();
    let nt = plan.temperatures.len();
    let total = (lattices.len() * nt) as u64;
    let pb = progress(total, "points");
    let t0 = std::time::Instant::now();
    let mut points: Vec<Point> = Vec::with_capacity(total as usize);
    let complete = run_points(&plan, &lattices, &pool, &pb, |p| {
        points.extend(p);
        Ok(())
    })?;
    pb.finish_and_clear();
    let wall = t0.elapsed().as_secs_f64();
    let rows: Vec<Vec<f64>> = points
        .iter()
        .map(|p| {
            let s = &p.summary;
            vec![
                plan.lattices[p.size].0 as f64,
                plan.temperatures[p.temp],
                s.m.value,
                s.m.err,
                s.m2.value,
                s.m4.value,
                s.u4.value,
                s.u4.err,
                s.e.value,
                s.c.value,
                s.chi.value,
            ]
        })
        .collect();
    write_csv(&args.files.out, HEADER, &rows)?;
    if !complete {
        eprintln!(
            "interrupted: {} of {total} points written to {}",
            points.len(),
            args.files.out.display()
        );
        return Err(HostError {
            message: "interrupted".into(),
            code: 130,
        });
    }
    let crossings = crossings(&plan, &points);
    if let Some(p) = &args.summary {
        write_json(
            p,
            &McSummary {
                scenario: &plan.file,
                model: plan.model,
                algorithm: match plan.rule {
                    larmor::lattice::mc::Rule::HeatBath => "heat-bath".into(),
                    larmor::lattice::mc::Rule::Metropolis { step } => {
                        format!("metropolis (step {})", num(step))
                    }
                },
                sizes: plan.lattices.iter().map(|l| l.0).collect(),
                temperatures: &plan.temperatures,
                sweeps: plan.sweeps,
                equilibration: plan.equilibration,
                blocks: plan.blocks,
                seed: plan.seed,
                crossings: crossings.clone(),
                wall_seconds: wall,
            },
        )?;
    }
    if let Some(p) = &args.files.plot {
        plot(&plan, &rows, p)?;
    }
    report(&plan, &points, &crossings, wall, args);
    Ok(())
}

/// The Binder crossings of consecutive sizes (those that cross).
fn crossings(plan: &McPlan, points: &[Point]) -> Vec<Crossing> {
    let nt = plan.temperatures.len();
    let row = |s: usize| {
        points[s * nt..(s + 1) * nt]
            .iter()
            .map(|p| &p.blocks)
            .collect::<Vec<_>>()
    };
    (1..plan.lattices.len())
        .filter_map(|s| {
            let (a, b) = (row(s - 1), row(s));
            binder_crossing(&plan.temperatures, &a, &b).map(|(tc, tc_err, bracketed)| Crossing {
                l1: plan.lattices[s - 1].0,
                l2: plan.lattices[s].0,
                tc,
                tc_err,
                bracketed,
            })
        })
        .collect()
}

fn plot(plan: &McPlan, rows: &[Vec<f64>], path: &std::path::Path) -> Result<()> {
    const COLORS: [plotters::style::RGBColor; 5] = [BLUE, ORANGE, GREEN, RED, GREY];
    let labels: Vec<String> = plan
        .lattices
        .iter()
        .map(|l| format!("L = {}", l.0))
        .collect();
    let nt = plan.temperatures.len();
    let series = |col: usize| -> Vec<Series<'_>> {
        labels
            .iter()
            .enumerate()
            .filter(|(s, _)| (s + 1) * nt <= rows.len())
            .map(|(s, label)| {
                let pts = rows[s * nt..(s + 1) * nt]
                    .iter()
                    .map(|r| (r[1], r[col]))
                    .collect();
                Series::new(label, pts, COLORS[s % COLORS.len()])
            })
            .collect()
    };
    draw(
        path,
        &[
            Panel::new(
                format!("{}: {} magnetisation", plan.file, plan.model),
                "T (J / kB)",
                "<|m|>",
                series(2),
            )
            .y_range(0.0, 1.02),
            Panel::new(
                "Binder cumulant (sizes cross near Tc)",
                "T (J / kB)",
                "U4 = 1 - <m^4> / (3 <m^2>^2)",
                series(6),
            ),
        ],
    )
}

fn report(plan: &McPlan, points: &[Point], crossings: &[Crossing], wall: f64, args: &McArgs) {
    let acc = points.iter().map(|p| p.acceptance).sum::<f64>() / points.len().max(1) as f64;
    eprintln!(
        "larmor mc: {} ({} on {} sizes x {} temperatures, {} + {} sweeps per point) in {wall:.2} s",
        plan.file,
        plan.model,
        plan.lattices.len(),
        plan.temperatures.len(),
        plan.equilibration,
        plan.sweeps
    );
    eprintln!("  acceptance  {acc:.3} (mean over the points)");
    for c in crossings {
        eprintln!(
            "  Tc          {:.4} +- {:.4} J/kB (Binder crossing L = {} / {}{})",
            c.tc,
            c.tc_err,
            c.l1,
            c.l2,
            if c.bracketed {
                ""
            } else {
                ", extrapolated: widen the temperatures"
            }
        );
    }
    if crossings.is_empty() && plan.lattices.len() > 1 {
        eprintln!("  Tc          no Binder crossing found (parallel curves)");
    }
    if let Some(s) = &args.summary {
        eprintln!("  summary     {}", s.display());
    }
    args.files.wrote();
}

//! Command `larmor sw loop`: the loop's field grid and its checks, and the loop of one particle
//! (the kernel's history-following loop engine); remanence and coercivity on stderr.

use std::path::Path;

use larmor::sw;

use super::{population, LoopArgs, LoopReport};
use crate::commands::checks::{check_angle, check_points, kernel_err, out_of_range};
use crate::error::{HostError, Result};
use crate::output::csv::{num, write_csv};
use crate::output::plot::{decimate, draw, Panel, Series, BLUE, ORANGE, PLOT_POINTS};

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

/// The loop of `args` (one particle with `--psi`, or a population) and its figures, without
/// files: what `larmor sw loop` writes and prints (its `--out`/`--plot` are not used here).
pub fn loop_report(args: &LoopArgs) -> Result<LoopReport> {
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
                (args.threads.threads.is_some(), "--threads"),
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
            single_loop(check_angle("--psi", psi)?, &fields)
        }
        Some(kind) => population::population_loop(args, kind, &fields),
    }
}

pub(super) fn run_loop(args: &LoopArgs) -> Result<()> {
    args.files.check()?;
    let t0 = std::time::Instant::now();
    let r = loop_report(args)?;
    let t_loop = t0.elapsed().as_secs_f64();
    let rows: Vec<Vec<f64>> = r.rows.iter().map(|r| r.to_vec()).collect();
    let title = match args.population {
        None => format!(
            "one particle, field at {} deg to the easy axis",
            num(args.psi.unwrap_or(0.0))
        ),
        Some(kind) => format!(
            "{} particles, {}",
            args.particles.unwrap_or(0),
            population::kind_name(kind)
        ),
    };
    if let Some(plot) = &args.files.plot {
        plot_loop(plot, &title, &rows)?;
    }
    write_csv(&args.files.out, "h,m_par,m_perp", &rows)?;
    match args.population {
        None => print_single(args, &r),
        Some(kind) => population::print_population(args, kind, &r, t_loop),
    }
    args.files.wrote();
    Ok(())
}

fn single_loop(psi: f64, fields: &[f64]) -> Result<LoopReport> {
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
        rows.push([h, m_par, m_perp]);
    }
    let hy = sw::hysteresis(psi).map_err(|e| kernel_err(e, &names))?;
    Ok(LoopReport {
        rows,
        remanence: hy.remanence,
        remanence_se: None,
        coercivity: Some(hy.coercivity),
        coercivity_se: None,
        switching_field: hy.switching_field,
        jumps,
        notes: Vec::new(),
    })
}

fn print_single(args: &LoopArgs, r: &LoopReport) {
    eprintln!(
        "larmor sw loop: one particle, field at psi = {} deg to the easy axis, hmax {}, {} \
         fields per branch",
        num(args.psi.unwrap_or(0.0)),
        num(args.hmax),
        args.points
    );
    eprintln!("  remanence   M_r/M_s = {:.9}", r.remanence);
    eprintln!(
        "  coercivity  H_c/H_K = {:.9}",
        r.coercivity.unwrap_or(f64::NAN)
    );
    match r.switching_field {
        Some(h_sw) => eprintln!(
            "  switching   h_sw = {h_sw:.9} (astroid); jumps in this loop: {}",
            if r.jumps.is_empty() {
                "none (hmax below h_sw: a minor loop)".to_string()
            } else {
                r.jumps
                    .iter()
                    .map(|h| format!("{h:+.6}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        ),
        None => eprintln!("  switching   none: field across the easy axis, no hysteresis"),
    }
}

pub(super) fn plot_loop(plot: &Path, title: &str, rows: &[Vec<f64>]) -> Result<()> {
    let col = |c: usize| {
        decimate(
            &rows.iter().map(|r| (r[0], r[c])).collect::<Vec<_>>(),
            PLOT_POINTS,
        )
    };
    draw(
        plot,
        &[
            Panel::new(
                format!("hysteresis loop: {title}"),
                "h = H / H_K",
                "m_par = M_par / M_s",
                vec![Series::new("m_par", col(1), BLUE)],
            )
            .y_range(-1.1, 1.1),
            Panel::new(
                "transverse moment",
                "h = H / H_K",
                "m_perp = M_perp / M_s",
                vec![Series::new("m_perp", col(2), ORANGE)],
            )
            .y_range(-1.1, 1.1),
        ],
    )
}

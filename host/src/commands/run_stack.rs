//! `larmor run` of a coupled stack scenario (`[[layer]]` or `[[sublattice]]` tables): every
//! layer's direction, the energy and the junction's resistance against time.

use std::time::Instant;

use crate::commands::run::{check_f64_run, ending, eprint_steps, eprint_wrote, RunArgs};
use crate::error::Result;
use crate::output::plot::{column, draw, Panel, Series, BLUE, GREEN, GREY, ORANGE, RED};

/// Runs `larmor run` on a stack scenario.
///
/// # Errors
/// A bad scenario (by key), an output that would overwrite an input, a failed run (the trace
/// so far is saved), an interruption (exit code 130, the trace so far is saved).
pub fn run(args: &RunArgs) -> Result<()> {
    let plan = crate::scenario::stack::load(&args.scenario)?;
    check_f64_run(args, &plan.file, "stack")?;
    // --every given on the command line wins over solver.every
    let every = if args.every != 1 {
        args.every
    } else {
        plan.every
    };
    crate::exec::interrupt::install();
    let start = Instant::now();
    let out = crate::exec::stack::run(&plan, args.seed, every, &args.files.out)?;
    let wall = start.elapsed().as_secs_f64();
    if let Some(p) = &args.files.plot {
        let colors = [BLUE, RED, GREEN, ORANGE, GREY];
        let col = |i: usize| column(&out.samples, i);
        let n = plan.names.len();
        let labels: Vec<Vec<String>> = ["z", "x"]
            .iter()
            .map(|c| {
                plan.names
                    .iter()
                    .map(|name| format!("m{c}_{name}"))
                    .collect()
            })
            .collect();
        let mut panels = Vec::new();
        for (k, (c, y)) in [("z", "m_z"), ("x", "m_x")].into_iter().enumerate() {
            let series = labels[k]
                .iter()
                .enumerate()
                .map(|(i, l)| Series::new(l, col(1 + k * n + i), colors[i % colors.len()]))
                .collect();
            let panel = Panel::new(
                format!("{}: m_{c} of each layer", plan.file),
                "t (ns)",
                y,
                series,
            );
            // m_z on the full range; m_x scaled to show a small ring-down
            panels.push(if k == 0 {
                panel.y_range(-1.05, 1.05)
            } else {
                panel
            });
        }
        if plan.mtj.is_some() {
            panels.push(Panel::new(
                "junction resistance",
                "t (ns)",
                "R (ohm)",
                vec![Series::new("R", col(2 * n + 1), BLUE)],
            ));
        }
        draw(p, &panels)?;
    }
    eprintln!(
        "larmor run: {} ({} layers, {}{})",
        plan.file,
        plan.names.len(),
        plan.solver.method.name(),
        if plan.thermal { ", thermal" } else { "" }
    );
    eprint_steps(out.steps, out.t_end_s, plan.solver.dt, wall);
    for (n, m) in plan.names.iter().zip(&out.m) {
        eprintln!(
            "  final m   {n}: ({:+.6}, {:+.6}, {:+.6})",
            m[0], m[1], m[2]
        );
    }
    eprintln!("  energy    {:.6e} J", out.energy);
    if let Some(r) = out.resistance {
        eprintln!("  R         {r:.3} ohm");
    }
    if let (Some(t), Some(sw)) = (out.t_switch, plan.switching) {
        let name = &plan.names[sw.layer];
        match t {
            Some(t) => eprintln!("  switched  {name}: t = {:.6} ns", t * 1e9),
            None => eprintln!("  switched  {name}: did not switch"),
        }
    }
    eprint_wrote(args, out.rows);
    ending(out.failure, out.interrupted)
}

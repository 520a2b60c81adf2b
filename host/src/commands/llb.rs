//! Command `larmor llb`: a Landau-Lifshitz-Bloch macrospin (Garanin 1997) whose length follows
//! the temperature, up to and through Tc: longitudinal relaxation, heating above Tc and, with a
//! `[ttm]` table, ultrafast demagnetisation by a femtosecond laser pulse through the
//! two-temperature model (Beaurepaire et al. 1996; Atxitia et al. 2007). The kernel does the
//! physics (`larmor::meanfield`, `larmor::llb`, `larmor::ttm`); this command tabulates the
//! equilibrium, runs RK4 and writes the trace.
//!
//! Units inside: the reference field is 1 T (`h = B / 1 T`), so the time unit is
//! `1 / (gamma 1 T)` = 5.68 ps.

use std::path::PathBuf;

use clap::Args;
use larmor::drive::Waveform;
use larmor::field::Zeeman;
use larmor::integrate::Integrator;
use larmor::llb::{Equilibrium, Llb};
use larmor::meanfield::MeanField;
use larmor::stepper::Rk4;
use larmor::ttm::TwoTemperature;
use larmor::units::{Units, GAMMA_E, MU0, MU_B};
use larmor::Vec3;

use crate::commands::args::{helps, OutPlot};
use crate::commands::checks::kerr;
use crate::error::Result;
use crate::output::check_files;
use crate::output::csv::{num, write_csv};
use crate::output::plot::{decimate, draw, Panel, Series, BLUE, RED};
use crate::scenario::llb::{self as plan, LlbPlan, Temperature};

/// Rows of the equilibrium table (0 K to its top temperature).
const ROWS: usize = 1024;
/// Points of the two-temperature table over the run.
const TTM_POINTS: usize = 4001;

/// Arguments of `larmor llb`.
#[derive(Debug, Args)]
#[command(mut_args(helps(&[
    ("out", "Trace (CSV): t (s), t_e and t_p (K; the electron and lattice temperatures, equal \
             without [ttm]), mx, my, mz, m = |m| (over Ms at 0 K), m_e (equilibrium length at t_e)"),
    ("plot", "|m| and m_e against time, and the temperatures (PNG)"),
])))]
pub struct LlbArgs {
    /// Scenario (TOML: `[meanfield]`, `[llb]`, optional `[ttm]`, `[solver]`; see
    /// examples/README.md).
    pub scenario: PathBuf,
    /// The output table and its plot.
    #[command(flatten)]
    pub files: OutPlot,
}

/// Runs `larmor llb`.
pub fn run(args: &LlbArgs) -> Result<()> {
    let p = plan::load(&args.scenario)?;
    check_files(&[("scenario", &args.scenario)], &args.files.outputs())?;
    let located = |e: larmor::Error| p.kernel_error(&e);
    let mf = MeanField::with_tc(p.spin, p.tc).map_err(located)?;
    // the LLB's reduced units: reference field 1 T, i.e. mu0 Ms = 1 T for the time unit
    let units = Units::new(1.0 / MU0, GAMMA_E).map_err(kerr)?;
    match &p.temperature {
        Temperature::Drive(d) => {
            let (_, hi) = d.range();
            let drive = d.compile::<f64>(&units);
            let temps = |tau: f64| {
                let t = d.value_si(units.time_to_si(tau));
                (t, t)
            };
            simulate(args, &p, &mf, &units, drive, hi, temps)
        }
        Temperature::Ttm(spec) => {
            let ttm =
                TwoTemperature::<TTM_POINTS>::new(spec, units.time_unit()).map_err(located)?;
            // the LLB owns (and rebases) its copy; the trace reads the table at absolute time
            let temps = |tau: f64| (ttm.electron_at(tau), ttm.phonon_at(tau));
            simulate(
                args,
                &p,
                &mf,
                &units,
                ttm.clone(),
                ttm.peak_electron(),
                temps,
            )
        }
    }
}

/// Tabulates, integrates and writes the run with temperature `temperature` (peak `hottest`
/// K); `temps(tau)` gives the electron and lattice temperatures at absolute reduced time
/// `tau` for the trace.
fn simulate<W: Waveform<f64>>(
    args: &LlbArgs,
    p: &LlbPlan,
    mf: &MeanField,
    units: &Units,
    temperature: W,
    hottest: f64,
    temps: impl Fn(f64) -> (f64, f64),
) -> Result<()> {
    let located = |e: larmor::Error| p.kernel_error(&e);
    let t_max = (1.5 * p.tc).max(1.05 * hottest);
    let table = Equilibrium::<f64, ROWS>::mean_field(
        mf,
        t_max,
        p.moment * MU_B,
        p.anisotropy_field,
        p.callen,
    )
    .map_err(located)?;
    let m_e = |kelvin: f64| table.m_e(kelvin.clamp(0.0, t_max));
    let len0 = p.length.unwrap_or_else(|| m_e(temps(0.0).0));
    let n0 = (p.m0[0] * p.m0[0] + p.m0[1] * p.m0[1] + p.m0[2] * p.m0[2]).sqrt();
    let m0 = Vec3::new(p.m0[0], p.m0[1], p.m0[2]).scale(len0 / n0);
    let field = Zeeman::constant(Vec3::new(p.field[0], p.field[1], p.field[2]));
    let llb = Llb::new(p.lambda, table.clone(), temperature, p.axis, field).map_err(located)?;
    let dt = units.time_to_reduced(p.dt);
    let mut run = Integrator::new(llb, Rk4::<f64, 1>::new(), [m0], dt).map_err(kerr)?;
    let steps = (p.duration / p.dt).round() as u64;
    let mut rows = Vec::with_capacity((steps / p.every + 2) as usize);
    let row = |run: &Integrator<_, _, _, 1>, k: u64| {
        let tau = k as f64 * dt;
        let m = run.state()[0];
        let (te, tp) = temps(tau);
        vec![
            units.time_to_si(tau),
            te,
            tp,
            m.x,
            m.y,
            m.z,
            m.norm(),
            m_e(te),
        ]
    };
    rows.push(row(&run, 0));
    for k in 1..=steps {
        run.step().map_err(kerr)?;
        if k % p.every == 0 || k == steps {
            let r = row(&run, k);
            if r.iter().any(|x| !x.is_finite()) {
                return Err(crate::error::HostError::runtime(format!(
                    "the LLB run diverged at t = {} s (|m| = {}): make solver.dt smaller",
                    num(r[0]),
                    num(r[6])
                )));
            }
            rows.push(r);
        }
    }
    write_csv(&args.files.out, "t,t_e,t_p,mx,my,mz,m,m_e", &rows)?;
    let (low, t_low) = rows
        .iter()
        .map(|r| (r[6], r[0]))
        .fold((f64::INFINITY, 0.0), |a, b| if b.0 < a.0 { b } else { a });
    let last = rows.last().map_or(0.0, |r| r[6]);
    let end = rows.last().cloned().unwrap_or_default();
    eprintln!(
        "llb: Tc {:.1} K, {steps} RK4 steps of {} s; peak T_e {:.1} K",
        p.tc,
        num(p.dt),
        hottest
    );
    eprintln!(
        "  |m|         {:.4} at {:.1} K -> min {:.4} at {:.3} ps -> {:.4} at {:.3} ps (m_e {:.4} at \
         {:.1} K)",
        len0,
        temps(0.0).0,
        low,
        t_low * 1e12,
        last,
        end.first().copied().unwrap_or(0.0) * 1e12,
        end.get(7).copied().unwrap_or(0.0),
        end.get(1).copied().unwrap_or(0.0),
    );
    if let Some(plot) = &args.files.plot {
        let ps = |c: usize| -> Vec<(f64, f64)> {
            decimate(
                &rows.iter().map(|r| (r[0] * 1e12, r[c])).collect::<Vec<_>>(),
                2000,
            )
        };
        draw(
            plot,
            &[
                Panel::new(
                    format!("LLB, Tc = {} K", num(p.tc)),
                    "t (ps)",
                    "|m| / Ms(0 K)",
                    vec![
                        Series::new("|m|", ps(6), BLUE),
                        Series::new("m_e(T_e)", ps(7), RED),
                    ],
                ),
                Panel::new(
                    "temperatures",
                    "t (ps)",
                    "T (K)",
                    vec![
                        Series::new("electrons", ps(1), RED),
                        Series::new("lattice", ps(2), BLUE),
                    ],
                ),
            ],
        )?;
    }
    args.files.wrote();
    Ok(())
}

//! Command `larmor meanfield`: the Weiss mean-field magnetisation `m(T)` and longitudinal
//! susceptibility of Ising, classical (Heisenberg) or quantum spins (Weiss 1907; Kittel,
//! *Introduction to Solid State Physics*, ch. 11), from the kernel's
//! `larmor::meanfield::MeanField`; a CSV `T,m,chi`, a plot and the Curie temperature.

use clap::Args;
use larmor::meanfield::{MeanField, Spin};
use larmor::units::MU_B;

use crate::commands::args::{helps, OutPlot};
use crate::commands::checks::{check_points, kernel_err, out_of_range};
use crate::error::{HostError, Result};
use crate::output::csv::{num, write_csv};
use crate::output::plot::{draw, Panel, Series, BLUE, RED};

/// The columns of the CSV of `larmor meanfield`.
pub const HEADER: &str = "T,m,chi";

/// Kernel parameter names and the options that set them.
const NAMES: &[(&str, &str)] = &[
    ("meanfield.j0", "--j0"),
    ("meanfield.spin", "--spin"),
    ("meanfield.temperature", "--from/--to"),
    ("meanfield.zeeman", "--field"),
];

/// Arguments of `larmor meanfield`.
#[derive(Debug, Args)]
#[command(mut_args(helps(&[
    (
        "out",
        "One row per temperature: T (K), m (reduced magnetisation, the stable root), chi = dm/dB \
         (1/T; empty at Tc in zero field, where it diverges)",
    ),
    ("plot", "PNG: m(T) and 1/chi(T) (Curie-Weiss above Tc)"),
])))]
pub struct MeanfieldArgs {
    /// Spins: `ising` (s = +-1, F = tanh), `classical` (unit vectors, Langevin function) or a
    /// quantum spin S (`1/2`, `1`, `3/2`, ... or `0.5`, `1.5`; Brillouin function B_S).
    #[arg(long)]
    pub spin: String,
    /// Curie temperature (K, > 0); sets the exchange sum J0 (or give --j0).
    #[arg(long, conflicts_with = "j0", required_unless_present = "j0")]
    pub tc: Option<f64>,
    /// Exchange sum J0 = sum_j J_ij (J, > 0): kB Tc = J0 (Ising), J0 / 3 (classical),
    /// J0 S (S + 1) / 3 (quantum).
    #[arg(long)]
    pub j0: Option<f64>,
    /// Applied field B (T, finite); its Zeeman energy is mu B.
    #[arg(long, default_value_t = 0.0)]
    pub field: f64,
    /// Moment of one site, mu (Bohr magnetons, > 0): the Zeeman energy mu B and chi = dm/dB.
    #[arg(long, default_value_t = 1.0)]
    pub mu: f64,
    /// First temperature (K, >= 0).
    #[arg(long, default_value_t = 0.0)]
    pub from: f64,
    /// Last temperature (K, > --from; default 1.5 Tc).
    #[arg(long)]
    pub to: Option<f64>,
    /// Number of temperatures (2 to 1000000).
    #[arg(long, default_value_t = 151)]
    pub points: usize,
    /// The table and its plot.
    #[command(flatten)]
    pub files: OutPlot,
}

/// `--spin` as the kernel's spin kind.
fn parse_spin(s: &str) -> Result<Spin> {
    let bad = || {
        HostError::input(format!(
            "--spin = {s} is not a spin: allowed ising, classical, or a quantum spin S = 1/2, 1, \
             3/2, ... (as a fraction or a number)"
        ))
    };
    Ok(match s.trim() {
        "ising" => Spin::Ising,
        "classical" | "heisenberg" => Spin::Classical,
        q => {
            let v = match q.split_once('/') {
                Some((a, b)) => {
                    let a: f64 = a.trim().parse().map_err(|_| bad())?;
                    let b: f64 = b.trim().parse().map_err(|_| bad())?;
                    a / b
                }
                None => q.parse().map_err(|_| bad())?,
            };
            Spin::Quantum(v)
        }
    })
}

/// Runs `larmor meanfield`.
///
/// # Errors
/// Bad input (exit code 2), a failed write.
pub fn run(args: &MeanfieldArgs) -> Result<()> {
    args.files.check()?;
    let spin = parse_spin(&args.spin)?;
    let kerr = |e| kernel_err(e, NAMES);
    let (mf, j0) = match (args.tc, args.j0) {
        (_, Some(j0)) => (MeanField::new(spin, j0).map_err(kerr)?, j0),
        (Some(tc), None) => {
            if !(tc.is_finite() && tc > 0.0) {
                return Err(out_of_range("--tc", tc, "> 0 K (and finite)"));
            }
            // Tc is linear in J0: scale a probe to the Tc asked for
            let probe = MeanField::new(spin, 1e-21).map_err(kerr)?;
            let j0 = 1e-21 * tc / probe.tc();
            (MeanField::new(spin, j0).map_err(kerr)?, j0)
        }
        (None, None) => return Err(HostError::input("give --tc K or --j0 J")),
    };
    let tc = mf.tc();
    if !(args.mu.is_finite() && args.mu > 0.0) {
        return Err(out_of_range(
            "--mu",
            args.mu,
            "> 0 Bohr magnetons (and finite)",
        ));
    }
    if !args.field.is_finite() {
        return Err(out_of_range("--field", args.field, "finite (T)"));
    }
    let mu = args.mu * MU_B;
    let zeeman = mu * args.field;
    let from = args.from;
    if !(from.is_finite() && from >= 0.0) {
        return Err(out_of_range("--from", from, ">= 0 K (and finite)"));
    }
    let to = args.to.unwrap_or(1.5 * tc);
    if !(to.is_finite() && to > from) {
        return Err(out_of_range(
            "--to",
            to,
            &format!("> --from = {} K (and finite)", num(from)),
        ));
    }
    check_points(args.points, 2, 1_000_000)?;
    let n = args.points;
    let mut rows = Vec::with_capacity(n);
    for i in 0..n {
        let t = if i == n - 1 {
            to
        } else {
            from + (to - from) * i as f64 / (n - 1) as f64
        };
        let m = mf.magnetisation(t, zeeman).map_err(kerr)?;
        let chi = mf.susceptibility(t, zeeman).map_err(kerr)? * mu;
        // divergent at Tc in zero field: no value (an empty field), never inf
        rows.push(vec![t, m, if chi.is_finite() { chi } else { f64::NAN }]);
    }
    write_csv(&args.files.out, HEADER, &rows)?;
    if let Some(p) = &args.files.plot {
        let pts = |f: &dyn Fn(&Vec<f64>) -> f64| -> Vec<(f64, f64)> {
            rows.iter().map(|r| (r[0], f(r))).collect()
        };
        draw(
            p,
            &[
                Panel::new(
                    format!("mean field ({}): m(T), Tc = {:.4} K", args.spin, tc),
                    "T (K)",
                    "m",
                    vec![Series::new("m", pts(&|r| r[1]), BLUE)],
                )
                .y_range(0.0, 1.02),
                Panel::new(
                    "inverse susceptibility",
                    "T (K)",
                    "1 / chi (T)",
                    vec![Series::new("1 / (dm/dB)", pts(&|r| 1.0 / r[2]), RED)],
                ),
            ],
        )?;
    }
    eprintln!(
        "larmor meanfield: {} spins, J0 = {} J, B = {} T",
        args.spin,
        num(j0),
        num(args.field)
    );
    crate::say!("Tc = {} K", num(tc));
    args.files.wrote();
    Ok(())
}

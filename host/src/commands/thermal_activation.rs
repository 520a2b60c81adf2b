//! Thermally activated switching from the command line: `larmor neel-brown` (relaxation time of
//! one particle), `larmor viscosity` (M(t) of a population with distributed barriers, kinetic
//! Monte Carlo) and `larmor sharrock` (coercivity against sweep rate or waiting time).
//!
//! Energies in units of `kB T` unless stated; fields `h = H / H_K`; `sigma = K V / (kB T)`.
//! References: Neel, Ann. Geophys. 5, 99 (1949); Brown, Phys. Rev. 130, 1677 (1963);
//! Coffey & Kalmykov, J. Appl. Phys. 112, 121301 (2012); Sharrock, IEEE Trans. Magn. 26, 193
//! (1990) and J. Appl. Phys. 76, 6413 (1994); Pfeiffer, Phys. Status Solidi A 118, 295 (1990).

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use larmor::arrhenius::{self, kmc_relax, kmc_sweep, Grains, Prefactor, Regime, TwoLevel};
use larmor::rng::Philox;
use larmor::sw::{self, Dist};
use larmor::units::{GAMMA_E, KB};
use rayon::prelude::*;

use crate::commands::ensemble::{pool, progress};
use crate::commands::sw::{
    check_outputs, check_points, kernel_err, num, out_of_range, write_csv, BLUE, GREEN, ORANGE,
    PLOT_POINTS, RED,
};
use crate::error::{HostError, Result};
use crate::output::plot::{decimate, draw, Panel, Series};

/// Kernel parameter names and the options that set them.
const NAMES: &[(&str, &str)] = &[
    ("arrhenius.sigma", "--sigma"),
    ("arrhenius.h", "--h"),
    ("arrhenius.alpha", "--alpha"),
    ("arrhenius.hk_tesla", "--hk"),
    ("arrhenius.gamma", "--gamma"),
    ("arrhenius.psi", "--psi"),
    ("arrhenius.f0", "--f0"),
    ("arrhenius.rate", "--from/--to"),
    ("arrhenius.t", "--from/--to"),
    ("arrhenius.m", "--exponent"),
    ("arrhenius.grains.barrier", "--barrier"),
    ("arrhenius.grains.bias", "--bias"),
    ("arrhenius.grains.f0", "--f0"),
    ("sw.psi", "--psi"),
];

fn kerr(e: larmor::Error) -> HostError {
    kernel_err(e, NAMES)
}

/// `x > 0` and finite, else the one-line range error.
fn positive(opt: &str, x: f64, unit: &str) -> Result<f64> {
    if x > 0.0 && x.is_finite() {
        Ok(x)
    } else {
        Err(out_of_range(opt, x, format!("> 0 {unit}").trim_end()))
    }
}

/// An angle in degrees (finite, |psi| <= 1e6), in radians.
fn angle(deg: f64) -> Result<f64> {
    if deg.is_finite() && deg.abs() <= 1e6 {
        Ok(deg.to_radians())
    } else {
        Err(out_of_range(
            "--psi",
            deg,
            "finite angle in degrees (|psi| <= 1e6)",
        ))
    }
}

// =============================================================================================
// neel-brown

/// Arguments of `larmor neel-brown`.
#[derive(Debug, Args)]
pub struct NeelBrownArgs {
    /// Stability factor sigma = K V / (kB T) (> 0): the zero-field barrier in units of kB T.
    #[arg(long, allow_negative_numbers = true)]
    pub sigma: f64,
    /// Reduced field h = H / H_K (0 <= h < h_sw(psi): inside the astroid, where the particle has
    /// two minima and a barrier; h_sw(0) = 1, h_sw(45 deg) = 0.5).
    #[arg(long, allow_negative_numbers = true)]
    pub h: f64,
    /// Gilbert damping alpha (> 0), for Brown's prefactor (needed unless --f0 is given).
    #[arg(long, allow_negative_numbers = true)]
    pub alpha: Option<f64>,
    /// Anisotropy field B_K = mu0 H_K in tesla (> 0), for Brown's prefactor (needed unless --f0
    /// is given).
    #[arg(long, allow_negative_numbers = true)]
    pub hk: Option<f64>,
    /// Angle between the field and the easy axis (degrees). 0: field along the axis (Brown's
    /// axially symmetric prefactor); otherwise the Langer/Brown IHD prefactor with the exact
    /// Stoner-Wohlfarth curvatures.
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    pub psi: f64,
    /// Fixed attempt frequency f0 in Hz (> 0) for both wells (Neel's model) instead of Brown's
    /// prefactor; --alpha and --hk are then not needed (and not used).
    #[arg(long, allow_negative_numbers = true)]
    pub f0: Option<f64>,
    /// Gyromagnetic ratio in rad/(s T) (> 0), for Brown's prefactor.
    #[arg(long, default_value_t = GAMMA_E, allow_negative_numbers = true)]
    pub gamma: f64,
    /// Print one JSON object instead of a table.
    ///
    /// Fields: tau (s): relaxation time of <m.u>, 1/(rate_up + rate_down) (at h = 0 it is
    /// exp(sigma)/(2 f0)); log10_tau: its decimal logarithm (finite even when tau overflows);
    /// escape_time (s): mean time to leave the metastable well, 1/rate of that well; barrier
    /// (units of K V) and barrier_kt (units of kB T): the lower of the two barriers, the one
    /// that sets tau; f0 (Hz): attempt frequency of that well; well: which minimum it is ("up",
    /// in the +u hemisphere, or "down"; at h = 0 both are equal and "down" is reported);
    /// barrier_up, barrier_down (K V), barrier_up_kt, barrier_down_kt (kB T), f0_up, f0_down
    /// (Hz), rate_up, rate_down (Hz, escape rates f0 exp(-barrier)): both wells; s0:
    /// equilibrium <m.u> (+1 all up); h_sw: switching field at psi (units of H_K);
    /// transverse_stiffness (kB T): saddle curvature across the pass (the IHD formula needs it
    /// much larger than 1; 0 along the axis); prefactor: "fixed", "brown-axial" or "brown-ihd"; notes:
    /// warnings about the validity of the formula; input: the parameters as given (psi in
    /// degrees, hk in tesla). A value that overflows a 64-bit float is written as null.
    #[arg(long)]
    pub json: bool,
}

/// Runs `larmor neel-brown`.
pub fn neel_brown(args: &NeelBrownArgs) -> Result<()> {
    let sigma = positive("--sigma", args.sigma, "(K V / kB T)")?;
    let psi = angle(args.psi)?;
    let h_sw = sw::switching_field(psi).map_err(kerr)?;
    if !(args.h >= 0.0 && args.h < h_sw) {
        return Err(out_of_range(
            "--h",
            args.h,
            &format!(
                "0 <= h < h_sw(psi) = {} (H/H_K inside the astroid at psi = {} deg; beyond it \
                 there is no barrier and the Neel-Brown formula does not apply)",
                num(h_sw),
                num(args.psi)
            ),
        ));
    }
    let alpha = args
        .alpha
        .map(|a| positive("--alpha", a, "(Gilbert damping)"))
        .transpose()?;
    let hk = args
        .hk
        .map(|b| positive("--hk", b, "T (mu0 H_K)"))
        .transpose()?;
    let gamma = positive("--gamma", args.gamma, "rad/(s T)")?;
    let prefactor = match (args.f0, alpha, hk) {
        (Some(f0), _, _) => Prefactor::Fixed(positive("--f0", f0, "Hz")?),
        (None, Some(alpha), Some(hk_tesla)) => Prefactor::Brown {
            alpha,
            hk_tesla,
            gamma,
        },
        _ => {
            return Err(HostError::input(
                "neel-brown needs --alpha and --hk (Brown's prefactor) or --f0 HZ (a fixed \
                 attempt frequency)",
            ))
        }
    };
    let nb = arrhenius::neel_brown_with(sigma, args.h, psi, prefactor).map_err(kerr)?;
    let from_up = nb.barrier_up < nb.barrier_down;
    let (well, barrier_kt, f0, rate) = if from_up {
        ("up", nb.barrier_up, nb.f0_up, nb.rate_up)
    } else {
        ("down", nb.barrier_down, nb.f0_down, nb.rate_down)
    };
    // log10(tau) = -log10(f0_up e^-B_up + f0_down e^-B_down), without underflow
    let lu = nb.f0_up.ln() - nb.barrier_up;
    let ld = nb.f0_down.ln() - nb.barrier_down;
    let hi = lu.max(ld);
    let ln_rate = hi + ((lu - hi).exp() + (ld - hi).exp()).ln();
    let log10_tau = -ln_rate / std::f64::consts::LN_10;
    let prefactor_name = match nb.regime {
        Regime::Fixed => "fixed",
        Regime::Axial => "brown-axial",
        Regime::Ihd => "brown-ihd",
    };
    let mut notes = Vec::new();
    if barrier_kt < 5.0 {
        notes.push(format!(
            "barrier {barrier_kt:.3} kB T < 5: the high-barrier (Arrhenius) formula is only \
             qualitative here"
        ));
    } else if nb.regime == Regime::Axial && barrier_kt < 10.0 {
        notes.push(
            "Brown's axial prefactor is asymptotic in 1/barrier: a few % off at 10 kB T".into(),
        );
    }
    if nb.regime == Regime::Ihd && nb.transverse_stiffness < 5.0 {
        notes.push(format!(
            "transverse stiffness {:.3} kB T is not >> 1: the field is almost axial and the IHD \
             prefactor overestimates the rate",
            nb.transverse_stiffness
        ));
    }
    let fin = |x: f64| if x.is_finite() { Some(x) } else { None };
    if args.json {
        let v = serde_json::json!({
            "tau": fin(nb.tau),
            "log10_tau": log10_tau,
            "escape_time": fin(1.0 / rate),
            "barrier": barrier_kt / sigma,
            "barrier_kt": barrier_kt,
            "f0": f0,
            "well": well,
            "barrier_up": nb.barrier_up / sigma,
            "barrier_down": nb.barrier_down / sigma,
            "barrier_up_kt": nb.barrier_up,
            "barrier_down_kt": nb.barrier_down,
            "f0_up": nb.f0_up,
            "f0_down": nb.f0_down,
            "rate_up": nb.rate_up,
            "rate_down": nb.rate_down,
            "s0": nb.s0,
            "h_sw": h_sw,
            "transverse_stiffness": nb.transverse_stiffness,
            "prefactor": prefactor_name,
            "notes": notes,
            "input": {
                "sigma": sigma,
                "h": args.h,
                "psi_deg": args.psi,
                "alpha": alpha,
                "hk_tesla": hk,
                "gamma": gamma,
                "f0": args.f0,
            },
        });
        println!("{v:#}");
        return Ok(());
    }
    println!(
        "Neel-Brown relaxation: sigma = K V/kB T = {}, h = H/H_K = {}, psi = {} deg{}",
        num(sigma),
        num(args.h),
        num(args.psi),
        match prefactor {
            Prefactor::Fixed(f0) => format!(", fixed f0 = {} Hz", num(f0)),
            Prefactor::Brown {
                alpha, hk_tesla, ..
            } => format!(", alpha = {}, mu0 H_K = {} T", num(alpha), num(hk_tesla)),
        }
    );
    let row = |name: &str, value: String, what: &str| println!("  {name:<14} {value:<14} {what}");
    row(
        "tau",
        format!("{:.6e}", nb.tau),
        "s    relaxation time of <m.u>, 1/(rate_up + rate_down)",
    );
    row("log10_tau", format!("{log10_tau:.6}"), "");
    row(
        "escape_time",
        format!("{:.6e}", 1.0 / rate),
        &format!("s    mean time to leave the {well} well"),
    );
    row(
        "barrier",
        format!("{:.6}", barrier_kt / sigma),
        &format!("K V  from the {well} well ({barrier_kt:.4} kB T): sets tau"),
    );
    row(
        "f0",
        format!("{f0:.6e}"),
        &format!("Hz   attempt frequency of the {well} well ({prefactor_name})"),
    );
    row(
        "barrier_up",
        format!("{:.6}", nb.barrier_up / sigma),
        &format!("K V  ({:.4} kB T), up = +u hemisphere", nb.barrier_up),
    );
    row(
        "barrier_down",
        format!("{:.6}", nb.barrier_down / sigma),
        &format!("K V  ({:.4} kB T)", nb.barrier_down),
    );
    row(
        "rate_up",
        format!("{:.6e}", nb.rate_up),
        &format!("Hz   (f0_up = {:.6e} Hz)", nb.f0_up),
    );
    row(
        "rate_down",
        format!("{:.6e}", nb.rate_down),
        &format!("Hz   (f0_down = {:.6e} Hz)", nb.f0_down),
    );
    row("s0", format!("{:.6}", nb.s0), "     equilibrium <m.u>");
    row(
        "h_sw",
        format!("{h_sw:.6}"),
        "H_K  switching field at this psi (astroid)",
    );
    for n in &notes {
        println!("  note: {n}");
    }
    Ok(())
}

// =============================================================================================
// shared: log grids and chunked kMC

/// `n` log-spaced values from `a` to `b` (`[a]` for `n = 1`).
fn log_grid(a: f64, b: f64, n: usize) -> Vec<f64> {
    if n == 1 {
        return vec![a];
    }
    (0..n)
        .map(|i| {
            if i == n - 1 {
                b
            } else {
                (a.ln() + (b.ln() - a.ln()) * i as f64 / (n - 1) as f64).exp()
            }
        })
        .collect()
}

/// Checks `--from/--to` of a log grid: `lo < from <= to < inf`.
fn check_range(from: f64, to: f64, lo: f64, what: &str) -> Result<()> {
    if !(from > lo && from.is_finite()) {
        return Err(out_of_range(
            "--from",
            from,
            &format!("> {} {what}", num(lo)),
        ));
    }
    if !(to >= from && to.is_finite()) {
        return Err(out_of_range(
            "--to",
            to,
            &format!(">= --from = {} {what} (finite)", num(from)),
        ));
    }
    Ok(())
}

/// Particles per kMC work unit (each with its own Philox stream): fixed, so the result does not
/// depend on the number of threads.
const KMC_CHUNK: usize = 4096;

/// Runs `kmc(rng, n_chunk, m_chunk)` over chunks of `n` particles in parallel (chunk `c` uses
/// the stream `(seed, stream_base + c)`) and returns the population mean of `<s>` per entry,
/// summed in chunk order.
fn kmc_chunks<F>(
    n: usize,
    len: usize,
    seed: u64,
    stream_base: u64,
    pool: &rayon::ThreadPool,
    pb: &indicatif::ProgressBar,
    kmc: F,
) -> Result<Vec<f64>>
where
    F: Fn(&mut Philox, usize, &mut [f64]) -> std::result::Result<usize, larmor::Error> + Sync,
{
    let chunks = n.div_ceil(KMC_CHUNK);
    let parts: Vec<Vec<f64>> = pool.install(|| {
        (0..chunks)
            .into_par_iter()
            .map(|c| {
                let nc = KMC_CHUNK.min(n - c * KMC_CHUNK);
                let mut m = vec![0.0; len];
                let mut rng = Philox::new(seed, stream_base + c as u64);
                kmc(&mut rng, nc, &mut m).map_err(kerr)?;
                pb.inc(nc as u64);
                Ok(m.iter().map(|x| x * nc as f64).collect())
            })
            .collect::<Result<_>>()
    })?;
    let mut total = vec![0.0; len];
    for p in &parts {
        for (t, x) in total.iter_mut().zip(p) {
            *t += x;
        }
    }
    Ok(total.into_iter().map(|x| x / n as f64).collect())
}

// =============================================================================================
// viscosity

/// Arguments of `larmor viscosity`.
#[derive(Debug, Args)]
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
    /// Worker threads (default: all cores); results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Output CSV, one row per time: t (s); e_probe (kB T), the barrier that relaxes at t,
    /// ln(t f0 (1 + exp(-bias))); m, M/Ms from kMC; m_se, its standard error; m_exact, the
    /// expected M/Ms for infinitely many particles (quadrature over the barrier distribution);
    /// s_exact, the exact viscosity -dm_exact/d ln t; s_theory, the flat-density approximation
    /// 2 P(e_probe) / (1 + exp(-bias)) (2 kB T P(0) Ms without back-switching); S in units of
    /// Ms per unit of ln t.
    #[arg(long)]
    pub out: PathBuf,
    /// PNG: M/Ms against log10 t (kMC and exact), and the viscosity S against log10 t.
    #[arg(long)]
    pub plot: Option<PathBuf>,
}

/// Parses `--barrier`.
fn parse_dist(s: &str) -> Result<Dist> {
    const FORMS: &str = "fixed:E, uniform:LO:HI, normal:MEAN:SD or lognormal:MEDIAN:SD (kB T)";
    let bad = |why: &str| HostError::input(format!("--barrier = {s}: {why}; allowed {FORMS}"));
    let mut it = s.split(':');
    let kind = it.next().unwrap_or("").trim().to_ascii_lowercase();
    let vals: Vec<f64> = it
        .map(|v| v.trim().parse::<f64>())
        .collect::<std::result::Result<_, _>>()
        .map_err(|_| bad("not a number"))?;
    let need = |n: usize| {
        if vals.len() == n {
            Ok(())
        } else {
            Err(bad(&format!("{kind} takes {n} number(s)")))
        }
    };
    let d = match kind.as_str() {
        "fixed" => {
            need(1)?;
            Dist::Fixed(vals[0])
        }
        "uniform" => {
            need(2)?;
            Dist::Uniform {
                lo: vals[0],
                hi: vals[1],
            }
        }
        "normal" => {
            need(2)?;
            Dist::Normal {
                mean: vals[0],
                sigma: vals[1],
            }
        }
        "lognormal" => {
            need(2)?;
            Dist::LogNormal {
                median: vals[0],
                sigma: vals[1],
            }
        }
        _ => return Err(bad("unknown distribution")),
    };
    if vals.iter().any(|v| !v.is_finite()) {
        return Err(bad("values must be finite"));
    }
    let ok = match d {
        Dist::Fixed(e) => e >= 0.0,
        Dist::Uniform { lo, hi } => lo >= 0.0 && hi >= lo,
        Dist::Normal { mean, sigma } => mean > 0.0 && sigma >= 0.0,
        Dist::LogNormal { median, sigma } => median > 0.0 && sigma >= 0.0,
    };
    if !ok {
        return Err(bad(
            "out of range (E >= 0; uniform 0 <= LO <= HI; normal MEAN > 0, SD >= 0; lognormal \
             MEDIAN > 0, SD >= 0)",
        ));
    }
    d.validate("--barrier", false).map_err(kerr)?;
    Ok(d)
}

/// Composite Simpson over the barrier distribution: `E[f(E)]` with `E = max(draw, 0)` as in
/// `Grains::draw`, by quantile (uniform) or standard-normal (normal, log-normal) variables.
fn expect(d: &Dist, f: impl Fn(f64) -> f64) -> f64 {
    const N: usize = 1 << 16;
    let simpson = |g: &dyn Fn(f64) -> f64, a: f64, b: f64| {
        let h = (b - a) / N as f64;
        let mut s = g(a) + g(b);
        for k in 1..N {
            s += g(a + k as f64 * h) * if k % 2 == 1 { 4.0 } else { 2.0 };
        }
        s * h / 3.0
    };
    let phi = |z: f64| (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let zmax = 8.5; // tails beyond carry < 1e-16
    match *d {
        Dist::Fixed(e) => f(e.max(0.0)),
        Dist::Uniform { lo, hi } => {
            if hi > lo {
                simpson(&|u| f((lo + (hi - lo) * u).max(0.0)), 0.0, 1.0)
            } else {
                f(lo.max(0.0))
            }
        }
        Dist::Normal { mean, sigma } => {
            simpson(&|z| phi(z) * f((mean + sigma * z).max(0.0)), -zmax, zmax)
        }
        Dist::LogNormal { median, sigma } => {
            simpson(&|z| phi(z) * f(median * (sigma * z).exp()), -zmax, zmax)
        }
    }
}

/// Probability density of the barrier at `e` (per kB T); 0 for a fixed barrier.
fn density(d: &Dist, e: f64) -> f64 {
    let phi = |z: f64| (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
    match *d {
        Dist::Fixed(_) => 0.0,
        Dist::Uniform { lo, hi } => {
            if hi > lo && e >= lo && e <= hi {
                1.0 / (hi - lo)
            } else {
                0.0
            }
        }
        Dist::Normal { mean, sigma } => {
            if sigma > 0.0 && e > 0.0 {
                phi((e - mean) / sigma) / sigma
            } else {
                0.0
            }
        }
        Dist::LogNormal { median, sigma } => {
            if sigma > 0.0 && e > 0.0 {
                phi((e / median).ln() / sigma) / (sigma * e)
            } else {
                0.0
            }
        }
    }
}

/// Runs `larmor viscosity`.
pub fn viscosity(args: &ViscosityArgs) -> Result<()> {
    check_outputs(&args.out, args.plot.as_ref())?;
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
        barrier: dist,
        bias: args.bias,
        f0,
    };
    grains.validate().map_err(kerr)?;
    let pool = pool(args.threads)?;
    let times = log_grid(args.t_min, args.t_max, args.points);
    let n = args.particles;
    let t0 = std::time::Instant::now();
    let pb = progress(n as u64, "particles");
    let m = if args.gillespie {
        kmc_chunks(n, times.len(), args.seed, 0, &pool, &pb, |rng, nc, m| {
            kmc_relax(rng, nc, |r| grains.draw(r), 1.0, &times, m)
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
        })?;
        m.remove(0);
        m
    };
    pb.finish_and_clear();
    let t_kmc = t0.elapsed().as_secs_f64();

    // exact expectation: each grain relaxes to s0 with rate Gamma (Grains::draw's rates)
    let bias = args.bias;
    let grain = |e: f64| {
        let w_ud = f0 * (-e).exp();
        let w_du = f0 * (-(e + bias).max(0.0)).exp();
        let g = w_ud + w_du;
        (g, (w_du - w_ud) / g)
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
                // seed 002 eq. 26 through the kernel: S = 2 kB T P(0) Ms with P per joule; the
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
        &args.out,
        "t,e_probe,m,m_se,m_exact,s_exact,s_theory",
        &rows,
    )?;
    if let Some(plot) = &args.plot {
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
                Panel {
                    title: format!(
                        "magnetic viscosity: {} particles, barrier {}",
                        n, args.barrier
                    ),
                    x_label: "log10 t (s)",
                    y_label: "M / Ms",
                    series: vec![
                        Series {
                            label: "kinetic Monte Carlo",
                            points: col(2),
                            color: BLUE,
                        },
                        Series {
                            label: "exact (N -> infinity)",
                            points: col(4),
                            color: RED,
                        },
                    ],
                    log_y: false,
                    y_range: None,
                },
                Panel {
                    title: "viscosity S = -dM/d ln t".into(),
                    x_label: "log10 t (s)",
                    y_label: "S / Ms",
                    series: vec![
                        Series {
                            label: "kMC (slope over one decade)",
                            points: s_kmc,
                            color: BLUE,
                        },
                        Series {
                            label: "2 kB T P(E) Ms / (1 + e^-bias)",
                            points: col(6),
                            color: GREEN,
                        },
                        Series {
                            label: "exact",
                            points: col(5),
                            color: RED,
                        },
                    ],
                    log_y: false,
                    y_range: None,
                },
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
    eprintln!(
        "  wrote       {}{}",
        args.out.display(),
        args.plot
            .as_ref()
            .map(|p| format!(", {}", p.display()))
            .unwrap_or_default()
    );
    Ok(())
}

// =============================================================================================
// sharrock

/// What `larmor sharrock` varies.
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
    /// per rate (0: no simulation; up to 1e8).
    #[arg(long, default_value_t = 0)]
    pub particles: usize,
    /// Seed of the kMC: rate k, particles j*4096.. use the Philox stream (seed, k * 2^32 + j).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Worker threads (default: all cores); results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Output CSV, one row per value: rate (H_K/s) or t (s); hc, the coercive field Hc/H_K for
    /// the exact Stoner-Wohlfarth barrier (half-switching of the survival probability,
    /// back-switching neglected); hc_sharrock, the closed-form Sharrock law with exponent m and
    /// H0 = h_sw(psi); with --particles: hc_kmc (field where the simulated mean m crosses 0) and
    /// hc_kmc_se (its standard error).
    #[arg(long)]
    pub out: PathBuf,
    /// PNG: Hc against log10 of the rate or time.
    #[arg(long)]
    pub plot: Option<PathBuf>,
}

/// Runs `larmor sharrock`.
pub fn sharrock(args: &SharrockArgs) -> Result<()> {
    check_outputs(&args.out, args.plot.as_ref())?;
    let sigma = positive("--sigma", args.sigma, "(K V / kB T)")?;
    let f0 = positive("--f0", args.f0, "Hz")?;
    let psi_in = angle(args.psi)?;
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
    let pool = pool(args.threads)?;
    // barriers (kB T) of the up well (against the field) and the down well at field h
    let (cp, sp) = (psi.cos(), psi.sin());
    let barriers = move |h: f64| -> (f64, f64) {
        match sw::barrier(-h * cp, h * sp) {
            Ok(Some(b)) => (2.0 * sigma * b.from_up(), 2.0 * sigma * b.from_down()),
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
                            let (mut lo, mut hi) = (0.0, h_sw);
                            for _ in 0..200 {
                                let mid = 0.5 * (lo + hi);
                                if mid <= lo || mid >= hi {
                                    break;
                                }
                                if up(mid) > x {
                                    lo = mid;
                                } else {
                                    hi = mid;
                                }
                            }
                            (
                                0.5 * (lo + hi),
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
        let nf = (h_end / dh).ceil() as usize + 1;
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
                |rng, nc, m| kmc_sweep(rng, nc, |_| (), &fields, dt, rates, m),
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
    write_csv(&args.out, &header, &rows)?;
    if let Some(plot) = &args.plot {
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
            Series {
                label: "exact Stoner-Wohlfarth barrier",
                points: col(1),
                color: BLUE,
            },
            Series {
                label: "Sharrock law (power-law barrier)",
                points: col(2),
                color: ORANGE,
            },
        ];
        if args.particles > 0 {
            series.push(Series {
                label: "kinetic Monte Carlo",
                points: col(3),
                color: RED,
            });
        }
        draw(
            plot,
            &[Panel {
                title: format!(
                    "Sharrock: sigma = {}, f0 = {} Hz, psi = {} deg, m = {:.3}",
                    num(sigma),
                    num(f0),
                    num(psi.to_degrees()),
                    m_exp
                ),
                x_label: match args.vs {
                    Vs::Rate => "log10 sweep rate (H_K/s)",
                    Vs::Time => "log10 waiting time (s)",
                },
                y_label: "Hc / H_K",
                series,
                log_y: false,
                y_range: None,
            }],
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
    eprintln!(
        "  wrote       {}{}",
        args.out.display(),
        args.plot
            .as_ref()
            .map(|p| format!(", {}", p.display()))
            .unwrap_or_default()
    );
    Ok(())
}

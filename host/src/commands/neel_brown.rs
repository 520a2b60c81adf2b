//! Command `larmor neel-brown`: the Neel-Brown relaxation time of one particle in a field
//! (barriers, attempt frequencies, rates), as a table or JSON.
//!
//! Energies in units of `kB T` unless stated; fields `h = H / H_K`; `sigma = K V / (kB T)`.
//! References: Neel, Ann. Geophys. 5, 99 (1949); Brown, Phys. Rev. 130, 1677 (1963);
//! Coffey & Kalmykov, J. Appl. Phys. 112, 121301 (2012).

use clap::Args;
use larmor::arrhenius::{self, Prefactor, Regime};
use larmor::sw;
use larmor::units::GAMMA_E;

use crate::commands::checks::{check_angle, kerr, out_of_range, positive};
use crate::error::{HostError, Result};
use crate::output::csv::num;

// /// Arguments of `larmor neel-brown`.
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

/// The checked inputs and the results of a Neel-Brown evaluation.
struct Report {
    sigma: f64,
    alpha: Option<f64>,
    hk: Option<f64>,
    gamma: f64,
    h_sw: f64,
    prefactor: Prefactor,
    nb: arrhenius::NeelBrown,
    well: &'static str,
    barrier_kt: f64,
    f0: f64,
    rate: f64,
    log10_tau: f64,
    prefactor_name: &'static str,
    notes: Vec<String>,
}

/// The Neel-Brown relaxation of `args` as the JSON object of `larmor neel-brown --json`.
pub fn json(args: &NeelBrownArgs) -> Result<serde_json::Value> {
    Ok(report(args)?.json(args))
}

/// Runs `larmor neel-brown`.
pub fn neel_brown(args: &NeelBrownArgs) -> Result<()> {
    let r = report(args)?;
    if args.json {
        crate::say!("{:#}", r.json(args));
        return Ok(());
    }
    let Report {
        sigma,
        h_sw,
        prefactor,
        nb,
        well,
        barrier_kt,
        f0,
        rate,
        log10_tau,
        prefactor_name,
        notes,
        ..
    } = r;

    crate::say!(
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
    let row =
        |name: &str, value: String, what: &str| crate::say!("  {name:<14} {value:<14} {what}");
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
        format!("{:.6}", nb.barrier_up_kt / sigma),
        &format!("K V  ({:.4} kB T), up = +u hemisphere", nb.barrier_up_kt),
    );
    row(
        "barrier_down",
        format!("{:.6}", nb.barrier_down_kt / sigma),
        &format!("K V  ({:.4} kB T)", nb.barrier_down_kt),
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
        crate::say!("  note: {n}");
    }
    Ok(())
}

impl Report {
    /// The JSON object of `--json`.
    fn json(&self, args: &NeelBrownArgs) -> serde_json::Value {
        let Report {
            sigma,
            alpha,
            hk,
            gamma,
            h_sw,
            ref nb,
            well,
            barrier_kt,
            f0,
            rate,
            log10_tau,
            prefactor_name,
            ref notes,
            ..
        } = *self;
        let fin = |x: f64| if x.is_finite() { Some(x) } else { None };
        serde_json::json!({
            "tau": fin(nb.tau),
            "log10_tau": log10_tau,
            "escape_time": fin(1.0 / rate),
            "barrier": barrier_kt / sigma,
            "barrier_kt": barrier_kt,
            "f0": f0,
            "well": well,
            "barrier_up": nb.barrier_up_kt / sigma,
            "barrier_down": nb.barrier_down_kt / sigma,
            "barrier_up_kt": nb.barrier_up_kt,
            "barrier_down_kt": nb.barrier_down_kt,
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
        })
    }
}

/// Checks `args` and evaluates the relaxation.
fn report(args: &NeelBrownArgs) -> Result<Report> {
    let sigma = positive("--sigma", args.sigma, "(K V / kB T)")?;
    let psi = check_angle("--psi", args.psi)?;
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
    let from_up = nb.barrier_up_kt < nb.barrier_down_kt;
    let (well, barrier_kt, f0, rate) = if from_up {
        ("up", nb.barrier_up_kt, nb.f0_up, nb.rate_up)
    } else {
        ("down", nb.barrier_down_kt, nb.f0_down, nb.rate_down)
    };
    // log10(tau) = -log10(f0_up e^-B_up + f0_down e^-B_down), without underflow
    let lu = nb.f0_up.ln() - nb.barrier_up_kt;
    let ld = nb.f0_down.ln() - nb.barrier_down_kt;
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
    Ok(Report {
        sigma,
        alpha,
        hk,
        gamma,
        h_sw,
        prefactor,
        nb,
        well,
        barrier_kt,
        f0,
        rate,
        log10_tau,
        prefactor_name,
        notes,
    })
}

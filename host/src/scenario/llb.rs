//! The scenario of `larmor llb` (a Landau-Lifshitz-Bloch macrospin near or above Tc, heated by
//! a temperature waveform or a laser pulse through the two-temperature model), parsed and
//! checked by key before anything runs: `[meanfield]`, `[llb]`, `[ttm]` (optional) and
//! `[solver]` (see examples/README.md). Kernel validation errors name the kernel's parameter
//! (`llb.lambda`, `ttm.g_ep`, `meanfield.spin`), which is the key here too.

use std::path::Path;

use larmor::drive::DriveSpec;
use larmor::meanfield::Spin;
use larmor::ttm::TtmSpec;
use serde::Deserialize;

use crate::error::Result;
use crate::scenario::locate::{parse_toml, read_text, Source};
use crate::scenario::waveform::DriveToml;

/// A checked `larmor llb` scenario, in SI units.
#[derive(Debug)]
pub struct LlbPlan {
    /// File name (for messages).
    pub file: String,
    /// The file's text (to locate errors found after loading).
    text: String,
    /// Spins of the Weiss model.
    pub spin: Spin,
    /// Curie temperature (K).
    pub tc: f64,
    /// Atomic moment (Bohr magnetons).
    pub moment: f64,
    /// Coupling to the bath `lambda`.
    pub lambda: f64,
    /// Anisotropy field at 0 K (T).
    pub anisotropy_field: f64,
    /// Callen-Callen exponent of the anisotropy.
    pub callen: f64,
    /// Easy axis.
    pub axis: [f64; 3],
    /// Applied field (T).
    pub field: [f64; 3],
    /// Initial direction.
    pub m0: [f64; 3],
    /// Initial length over Ms(0 K) (`None`: m_e at the initial temperature).
    pub length: Option<f64>,
    /// The temperature: a waveform (K), or the two-temperature model.
    pub temperature: Temperature,
    /// Step (s).
    pub dt: f64,
    /// Duration (s).
    pub duration: f64,
    /// Write every `every`-th step.
    pub every: u64,
}

/// Where the temperature comes from.
#[derive(Debug)]
pub enum Temperature {
    /// A waveform in kelvin (`llb.temperature`).
    Drive(Box<DriveSpec>),
    /// The electron temperature of a laser-heated two-temperature model (`[ttm]`).
    Ttm(TtmSpec),
}

/// The file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    meanfield: MeanFieldToml,
    llb: LlbToml,
    ttm: Option<TtmToml>,
    solver: SolverToml,
}

/// `[meanfield]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MeanFieldToml {
    /// `"classical"`, `"ising"` or a quantum spin (0.5, 1, 1.5, ...).
    #[serde(default = "classical")]
    spin: toml::Value,
    /// Curie temperature (K).
    tc: f64,
}

fn classical() -> toml::Value {
    toml::Value::String("classical".into())
}

/// `[llb]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LlbToml {
    lambda: f64,
    /// Bohr magnetons per atom.
    moment: f64,
    #[serde(default)]
    anisotropy_field: f64,
    #[serde(default = "three")]
    callen: f64,
    #[serde(default = "z")]
    axis: [f64; 3],
    #[serde(default)]
    field: [f64; 3],
    #[serde(default = "z")]
    m0: [f64; 3],
    length: Option<f64>,
    temperature: Option<DriveToml>,
}

fn three() -> f64 {
    3.0
}

fn z() -> [f64; 3] {
    [0.0, 0.0, 1.0]
}

/// `[ttm]`: the kernel's `TtmSpec` fields.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TtmToml {
    gamma_e: f64,
    c_p: f64,
    g_ep: f64,
    ambient: f64,
    pulse_energy: f64,
    pulse_fwhm: f64,
    #[serde(default)]
    pulse_time: f64,
    sink_time: Option<f64>,
}

/// `[solver]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SolverToml {
    dt: f64,
    duration: f64,
    #[serde(default = "one")]
    every: u64,
}

fn one() -> u64 {
    1
}

/// Most steps of a run (a run of 100 million RK4 steps takes minutes).
pub const MAX_STEPS: f64 = 1e8;

/// Reads and checks a scenario.
///
/// # Errors
/// A one-line error at the key's line for a bad value, an unknown key or a missing table.
pub fn load(path: &Path) -> Result<LlbPlan> {
    let text = read_text(path)?;
    let file = path.display().to_string();
    let src = Source::new(&file, &text);
    let cfg: File = parse_toml(&src)?;
    let bad = |key: &str, value: String, allowed: &str| {
        src.at_key(
            key,
            format!("{key} = {value} is out of range: allowed {allowed}"),
        )
    };
    let spin = match &cfg.meanfield.spin {
        toml::Value::String(s) if s == "classical" => Spin::Classical,
        toml::Value::String(s) if s == "ising" => Spin::Ising,
        toml::Value::Float(s) => Spin::Quantum(*s),
        toml::Value::Integer(s) => Spin::Quantum(*s as f64),
        other => {
            return Err(bad(
                "meanfield.spin",
                other.to_string(),
                "\"classical\", \"ising\" or a quantum spin 1/2, 1, 3/2, ...",
            ))
        }
    };
    let tc = cfg.meanfield.tc;
    if !(tc.is_finite() && tc > 0.0 && tc <= 1e5) {
        return Err(bad("meanfield.tc", tc.to_string(), "(0, 1e5] K"));
    }
    let l = &cfg.llb;
    if !(l.moment.is_finite() && l.moment > 0.0 && l.moment <= 1e3) {
        return Err(bad(
            "llb.moment",
            l.moment.to_string(),
            "(0, 1000] Bohr magnetons",
        ));
    }
    if !(l.anisotropy_field.is_finite() && l.anisotropy_field >= 0.0) {
        return Err(bad(
            "llb.anisotropy_field",
            l.anisotropy_field.to_string(),
            ">= 0 T",
        ));
    }
    for (key, v) in [("llb.field", l.field), ("llb.m0", l.m0)] {
        if v.iter().any(|c| !c.is_finite() || c.abs() > 1e6) {
            return Err(bad(key, format!("{v:?}"), "finite components, |B| <= 1e6"));
        }
    }
    if let Some(len) = l.length {
        if !(len.is_finite() && (0.0..=1.5).contains(&len)) {
            return Err(bad(
                "llb.length",
                len.to_string(),
                "[0, 1.5] (|m| over Ms at 0 K)",
            ));
        }
    }
    if l.m0.iter().all(|&c| c == 0.0) {
        return Err(bad("llb.m0", format!("{:?}", l.m0), "a non-zero direction"));
    }
    let temperature =
        match (&cfg.ttm, &l.temperature) {
            (Some(_), Some(_)) => {
                return Err(src.at_key(
                    "llb.temperature",
                    "llb.temperature and [ttm] both set the temperature: give one",
                ))
            }
            (None, None) => return Err(src.at_key(
                "llb",
                "no temperature: give llb.temperature (K, a number or a waveform) or a [ttm] table",
            )),
            (None, Some(d)) => Temperature::Drive(Box::new(d.to_spec("llb.temperature")?)),
            (Some(t), None) => Temperature::Ttm(TtmSpec {
                gamma_e: t.gamma_e,
                c_p: t.c_p,
                g_ep: t.g_ep,
                ambient: t.ambient,
                pulse_energy: t.pulse_energy,
                pulse_fwhm: t.pulse_fwhm,
                pulse_time: t.pulse_time,
                sink_time: t.sink_time.unwrap_or(f64::INFINITY),
                duration: cfg.solver.duration,
            }),
        };
    if let Temperature::Drive(d) = &temperature {
        d.validate("llb.temperature")
            .map_err(|e| src.kernel_error(&e))?;
        let (lo, hi) = d.range();
        if lo < 0.0 || hi > 1e5 {
            return Err(bad(
                "llb.temperature",
                format!("a waveform from {lo} to {hi}"),
                "values in [0, 1e5] K",
            ));
        }
    }
    if let Some(sink) = cfg.ttm.as_ref().and_then(|t| t.sink_time) {
        if !(sink.is_finite() && sink > 0.0) {
            return Err(bad(
                "ttm.sink_time",
                sink.to_string(),
                "> 0 s (omit for none)",
            ));
        }
    }
    let s = &cfg.solver;
    if !(s.duration.is_finite() && s.duration > 0.0 && s.duration <= 1.0) {
        return Err(bad("solver.duration", s.duration.to_string(), "(0, 1] s"));
    }
    if !(s.dt.is_finite() && s.dt > 0.0 && s.dt <= s.duration) {
        return Err(bad("solver.dt", s.dt.to_string(), "(0, solver.duration] s"));
    }
    if s.duration / s.dt > MAX_STEPS {
        return Err(bad(
            "solver.dt",
            s.dt.to_string(),
            "at least solver.duration / 1e8 (at most 100 million steps)",
        ));
    }
    if s.every == 0 {
        return Err(bad("solver.every", "0".into(), ">= 1"));
    }
    Ok(LlbPlan {
        file: file.clone(),
        text: text.clone(),
        spin,
        tc,
        moment: l.moment,
        lambda: l.lambda,
        anisotropy_field: l.anisotropy_field,
        callen: l.callen,
        axis: l.axis,
        field: l.field,
        m0: l.m0,
        length: l.length,
        temperature,
        dt: s.dt,
        duration: s.duration,
        every: s.every,
    })
}

impl LlbPlan {
    /// A kernel error found after loading (at compile), located at its key's line in the
    /// scenario's text kept from loading.
    pub fn kernel_error(&self, e: &larmor::Error) -> crate::error::HostError {
        Source::new(&self.file, &self.text).kernel_error(e)
    }
}

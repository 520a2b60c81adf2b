//! The `larmor sensor` configuration file: TOML schema (`[bridge]`, `[sweep]`, `[noise]`,
//! optional `[loop]` and `[samples]`), lowered into the kernel's [`BridgeSpec`] and the host's
//! typed [`Plan`]. Every error names `FILE:LINE`, the key, the value and the allowed range; the
//! bridge parameters are validated by the kernel (its names `sensor.*` become the file's
//! `bridge.*` keys).

use std::path::Path;

use larmor::device::sensor::{
    Bridge, BridgeSpec, ElementKind, Hooge, MagneticNoise, Topology, GAUSS_AM,
};
use serde::Deserialize;

use crate::error::{HostError, Result};
use crate::output::csv::num;
use crate::scenario::locate::{parse_toml, read_text, Source};

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SensorFile {
    bridge: BridgeToml,
    sweep: SweepToml,
    noise: NoiseToml,
    #[serde(rename = "loop")]
    loop_: Option<LoopToml>,
    samples: Option<SamplesToml>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "lowercase")]
enum KindToml {
    Amr,
    Gmr,
    Tmr,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "lowercase")]
enum TopologyToml {
    Full,
    Half,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BridgeToml {
    kind: KindToml,
    topology: Option<TopologyToml>,
    r_ohm: f64,
    mr: f64,
    hk_am: Option<f64>,
    hk_gauss: Option<f64>,
    supply_v: Option<f64>,
    offset_mv_per_v: Option<f64>,
    temperature_k: Option<f64>,
    t_ref_k: Option<f64>,
    tcr_per_k: Option<f64>,
    tcs_per_k: Option<f64>,
    hooge: Option<HoogeToml>,
    magnetic: Option<MagneticToml>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HoogeToml {
    alpha_h: f64,
    carriers: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MagneticToml {
    alpha: f64,
    ms: f64,
    volume_m3: f64,
    gamma: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SweepToml {
    h_max_am: f64,
    points: usize,
    tilt_deg: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NoiseToml {
    f_min: f64,
    f_max: f64,
    points: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LoopToml {
    angle_deg: Option<f64>,
    h_max_hk: Option<f64>,
    minor_fraction: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SamplesToml {
    fs: f64,
    n: usize,
    amplitude_am: f64,
    frequency_hz: f64,
    f_lo: Option<f64>,
}

/// The sampled sine field of `[samples]`.
#[derive(Clone, Copy, Debug)]
pub struct Samples {
    /// Sample rate (Hz).
    pub fs: f64,
    /// Number of samples.
    pub n: usize,
    /// Field amplitude along the sensitive axis (A/m).
    pub amplitude_am: f64,
    /// Field frequency (Hz).
    pub frequency_hz: f64,
    /// Lowest pole of the 1/f generator (Hz).
    pub f_lo: f64,
}

/// Everything the command does, validated.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The bridge, validated by the kernel.
    pub spec: BridgeSpec,
    /// Operating temperature (K).
    pub temperature_k: f64,
    /// Transfer sweep: largest field (A/m), points per branch, tilt of the field from the
    /// sensitive axis towards the easy axis (rad).
    pub sweep: (f64, usize, f64),
    /// Noise grid: f_min, f_max (Hz), points.
    pub noise: (f64, f64, usize),
    /// Loop field angle from the easy axis (rad), largest field (A/m), minor-loop reversal
    /// fraction of it.
    pub loop_: (f64, f64, f64),
    /// The optional time series.
    pub samples: Option<Samples>,
}

/// Kernel parameter names and the keys of this file that set them.
const NAMES: &[(&str, &str)] = &[
    ("sensor.r_ohm", "bridge.r_ohm"),
    ("sensor.mr", "bridge.mr"),
    ("sensor.hk", "bridge.hk_am"),
    ("sensor.supply_v", "bridge.supply_v"),
    ("sensor.offset_mv_per_v", "bridge.offset_mv_per_v"),
    ("sensor.t_ref", "bridge.t_ref_k"),
    ("sensor.tcr", "bridge.tcr_per_k"),
    ("sensor.tcs", "bridge.tcs_per_k"),
    ("sensor.temperature", "bridge.temperature_k"),
    ("sensor.hooge.alpha_h", "bridge.hooge.alpha_h"),
    ("sensor.hooge.carriers", "bridge.hooge.carriers"),
    ("sensor.magnetic.alpha", "bridge.magnetic.alpha"),
    ("sensor.magnetic.ms", "bridge.magnetic.ms"),
    ("sensor.magnetic.volume", "bridge.magnetic.volume_m3"),
    ("sensor.magnetic.gamma", "bridge.magnetic.gamma"),
    ("sensor.flicker.f_lo", "samples.f_lo"),
    ("sensor.flicker.fs", "samples.fs"),
    ("sensor.flicker poles", "samples.f_lo"),
];

/// A loaded configuration: its text (to locate later errors) and the plan.
pub struct Config {
    file: String,
    text: String,
    /// The validated plan.
    pub plan: Plan,
}

impl Config {
    /// Reads, parses and validates `path`.
    pub fn load(path: &Path) -> Result<Self> {
        let text = read_text(path)?;
        let file = path.display().to_string();
        let plan = lower(&Source::new(&file, &text))?;
        Ok(Self { file, text, plan })
    }

    /// The file name (for messages).
    pub fn file(&self) -> &str {
        &self.file
    }

    /// A kernel error, named by this file's key and located at its line.
    pub fn kernel_error(&self, e: &larmor::Error) -> HostError {
        kernel_error(&Source::new(&self.file, &self.text), e)
    }

    /// A fresh bridge at the configured temperature (free layer along `+x`, zero field).
    pub fn bridge(&self) -> Result<Bridge<f64>> {
        let mut b = self
            .plan
            .spec
            .build::<f64>()
            .map_err(|e| self.kernel_error(&e))?;
        b.set_temperature_k(self.plan.temperature_k)
            .map_err(|e| self.kernel_error(&e))?;
        Ok(b)
    }
}

fn kernel_error(src: &Source<'_>, e: &larmor::Error) -> HostError {
    let mut msg = e.to_string();
    let param = match e {
        larmor::Error::OutOfRange { param, .. } => *param,
        larmor::Error::Capacity { what, .. } => *what,
        _ => "",
    };
    let key = NAMES
        .iter()
        .find(|(p, _)| *p == param)
        .map_or("", |(_, k)| *k);
    if !key.is_empty() {
        msg = msg.replace(param, key);
    }
    src.at_key(key, msg)
}

/// `KEY = VALUE is out of range: allowed RANGE`, at the key's line.
fn bad(src: &Source<'_>, key: &str, value: f64, allowed: &str) -> HostError {
    src.at_key(
        key,
        format!("{key} = {} is out of range: allowed {allowed}", num(value)),
    )
}

fn lower(src: &Source<'_>) -> Result<Plan> {
    let raw: SensorFile = parse_toml(src)?;
    let b = &raw.bridge;
    let hk_am = match (b.hk_am, b.hk_gauss) {
        (Some(h), None) => h,
        (None, Some(g)) => g * GAUSS_AM,
        _ => {
            return Err(src.at_key(
                "bridge",
                "bridge: give exactly one of hk_am (A/m) and hk_gauss (gauss)",
            ))
        }
    };
    let kind = match b.kind {
        KindToml::Amr => ElementKind::Amr,
        KindToml::Gmr => ElementKind::Gmr,
        KindToml::Tmr => ElementKind::Tmr,
    };
    let mut spec = BridgeSpec::new(kind, b.r_ohm, b.mr, hk_am);
    spec.topology = match b.topology {
        Some(TopologyToml::Half) => Topology::Half,
        _ => Topology::Full,
    };
    spec.supply_v = b.supply_v.unwrap_or(spec.supply_v);
    spec.offset_mv_per_v = b.offset_mv_per_v.unwrap_or(0.0);
    spec.t_ref_k = b.t_ref_k.unwrap_or(spec.t_ref_k);
    spec.tcr_per_k = b.tcr_per_k.unwrap_or(0.0);
    spec.tcs_per_k = b.tcs_per_k.unwrap_or(0.0);
    spec.hooge = b.hooge.as_ref().map(|h| Hooge {
        alpha_h: h.alpha_h,
        carriers: h.carriers,
    });
    spec.magnetic = b.magnetic.as_ref().map(|m| MagneticNoise {
        alpha: m.alpha,
        ms: m.ms,
        volume_m3: m.volume_m3,
        gamma: m.gamma.unwrap_or(larmor::units::GAMMA_E),
    });
    let mut bridge = spec.build::<f64>().map_err(|e| kernel_error(src, &e))?;
    let temperature_k = b.temperature_k.unwrap_or(spec.t_ref_k);
    bridge
        .set_temperature_k(temperature_k)
        .map_err(|e| kernel_error(src, &e))?;
    if spec.supply_v <= 0.0 {
        return Err(bad(
            src,
            "bridge.supply_v",
            spec.supply_v,
            "> 0 V (a sensor without supply has no signal)",
        ));
    }

    let s = &raw.sweep;
    if !(s.h_max_am > 0.0 && s.h_max_am <= 1e9) {
        return Err(bad(src, "sweep.h_max_am", s.h_max_am, "0 < h <= 1e9 A/m"));
    }
    check_points(src, "sweep.points", s.points, 2)?;
    let tilt = s.tilt_deg.unwrap_or(0.0);
    if !(-90.0..=90.0).contains(&tilt) {
        return Err(bad(src, "sweep.tilt_deg", tilt, "-90 ..= 90 degrees"));
    }

    let n = &raw.noise;
    if !(n.f_min > 0.0 && n.f_min.is_finite()) {
        return Err(bad(src, "noise.f_min", n.f_min, "> 0 Hz"));
    }
    if !(n.f_max > n.f_min && n.f_max <= 1e12) {
        let allowed = format!("> noise.f_min = {} Hz, <= 1e12 Hz", num(n.f_min));
        return Err(bad(src, "noise.f_max", n.f_max, &allowed));
    }
    check_points(src, "noise.points", n.points, 2)?;

    let l = raw.loop_.as_ref();
    let angle = l.and_then(|l| l.angle_deg).unwrap_or(5.0);
    if !(-90.0..=90.0).contains(&angle) {
        return Err(bad(src, "loop.angle_deg", angle, "-90 ..= 90 degrees"));
    }
    let h_loop = l.and_then(|l| l.h_max_hk).unwrap_or(2.0);
    if !(h_loop > 0.0 && h_loop <= 100.0) {
        return Err(bad(
            src,
            "loop.h_max_hk",
            h_loop,
            "0 < h <= 100 (units of H_K)",
        ));
    }
    let frac = l.and_then(|l| l.minor_fraction).unwrap_or(0.35);
    if !(frac > 0.0 && frac < 1.0) {
        return Err(bad(src, "loop.minor_fraction", frac, "0 < x < 1"));
    }

    let samples = match &raw.samples {
        None => None,
        Some(t) => Some(lower_samples(src, t, &bridge)?),
    };
    Ok(Plan {
        spec,
        temperature_k,
        sweep: (s.h_max_am, s.points, tilt.to_radians()),
        noise: (n.f_min, n.f_max, n.points),
        loop_: (angle.to_radians(), h_loop * hk_am, frac),
        samples,
    })
}

fn lower_samples(src: &Source<'_>, t: &SamplesToml, bridge: &Bridge<f64>) -> Result<Samples> {
    if !(t.fs > 0.0 && t.fs <= 1e12) {
        return Err(bad(src, "samples.fs", t.fs, "0 < fs <= 1e12 Hz"));
    }
    check_points(src, "samples.n", t.n, 1)?;
    if !(t.amplitude_am.is_finite() && t.amplitude_am.abs() <= 1e9) {
        return Err(bad(
            src,
            "samples.amplitude_am",
            t.amplitude_am,
            "|a| <= 1e9 A/m",
        ));
    }
    if !(t.frequency_hz >= 0.0 && t.frequency_hz <= 1e12) {
        return Err(bad(
            src,
            "samples.frequency_hz",
            t.frequency_hz,
            "0 ..= 1e12 Hz",
        ));
    }
    let f_lo = t.f_lo.unwrap_or(0.1 * t.fs / t.n as f64);
    // the kernel checks f_lo and the generator's capacity
    larmor::device::sensor::Sampler::new(*bridge, t.fs, f_lo, 0, 0)
        .map_err(|e| kernel_error(src, &e))?;
    Ok(Samples {
        fs: t.fs,
        n: t.n,
        amplitude_am: t.amplitude_am,
        frequency_hz: t.frequency_hz,
        f_lo,
    })
}

/// A count within `lo ..= 1e6`.
fn check_points(src: &Source<'_>, key: &str, n: usize, lo: usize) -> Result<()> {
    if n < lo || n > 1_000_000 {
        return Err(bad(src, key, n as f64, &format!("{lo} ..= 1e6")));
    }
    Ok(())
}

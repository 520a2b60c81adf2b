//! The configuration of `larmor mram` (a chip and a command script), parsed and checked by key
//! before anything runs: `[mram]` cell parameters (the kernel's `CellParams` field names),
//! `[array] kib`, and `[[step]]` operations (see examples/README.md).

use std::path::Path;

use larmor::device::mram::CellParams;
use serde::Deserialize;

use crate::error::Result;
use crate::scenario::locate::{parse_toml, read_text, Source};

/// A checked configuration.
#[derive(Debug)]
pub struct MramPlan {
    /// Cell parameters (validated by the kernel).
    pub cells: CellParams,
    /// Chip size in KiB: 1, 4, 16 or 64.
    pub kib: u32,
    /// The script.
    pub steps: Vec<Step>,
}

/// Reads and checks a configuration file.
///
/// # Errors
/// A one-line error at the key's line for a bad value, an unknown key or a missing table.
pub fn load(path: &Path) -> Result<MramPlan> {
    let text = read_text(path)?;
    let file = path.display().to_string();
    let src = Source::new(&file, &text);
    let cfg: Config = parse_toml(&src)?;
    let cells = cfg.mram.params(&src)?;
    check_steps(&src, &cfg.step)?;
    if ![1, 4, 16, 64].contains(&cfg.array.kib) {
        return Err(src.at_key(
            "array.kib",
            format!(
                "array.kib = {} is out of range: allowed 1, 4, 16 or 64",
                cfg.array.kib
            ),
        ));
    }
    Ok(MramPlan {
        cells,
        kib: cfg.array.kib,
        steps: cfg.step,
    })
}

/// The configuration file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    #[serde(default)]
    mram: Cells,
    array: ArraySize,
    step: Vec<Step>,
}

/// `[mram]`: any of the kernel's cell parameters (`larmor::device::mram::CellParams`, keys by
/// their field names); the rest keep their defaults.
#[derive(Debug, Default, Deserialize)]
#[serde(transparent)]
struct Cells(std::collections::BTreeMap<String, toml::Value>);

impl Cells {
    fn params(&self, src: &Source<'_>) -> Result<CellParams> {
        let mut p = CellParams::default();
        for (key, value) in &self.0 {
            let at = || format!("mram.{key}");
            if key == "read_favours_parallel" {
                p.read_favours_parallel = value.as_bool().ok_or_else(|| {
                    src.at_key(&at(), format!("{}: expected true or false", at()))
                })?;
                continue;
            }
            let field = match key.as_str() {
                "delta" => &mut p.delta,
                "t_ref" => &mut p.t_ref,
                "tau0" => &mut p.tau0,
                "ic0_p_ap" => &mut p.ic0_p_ap,
                "ic0_ap_p" => &mut p.ic0_ap_p,
                "tau_d" => &mut p.tau_d,
                "b" => &mut p.b,
                "r_p" => &mut p.r_p,
                "tmr" => &mut p.tmr,
                "sd_delta" => &mut p.sd_delta,
                "sd_ic0" => &mut p.sd_ic0,
                "sd_r_p" => &mut p.sd_r_p,
                "sd_tmr" => &mut p.sd_tmr,
                "read_current" => &mut p.read_current,
                "read_time" => &mut p.read_time,
                _ => {
                    return Err(src.at_key(
                        &at(),
                        format!(
                        "unknown key {} (the keys are CellParams' fields, see examples/README.md)",
                        at()
                    ),
                    ))
                }
            };
            *field = match value {
                toml::Value::Float(x) => *x,
                toml::Value::Integer(i) => *i as f64,
                _ => return Err(src.at_key(&at(), format!("{}: expected a number", at()))),
            };
        }
        p.validate().map_err(|e| src.kernel_error(&e))?;
        Ok(p)
    }
}

/// `[array]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArraySize {
    /// Chip size in KiB: 1, 4, 16 or 64.
    kib: u32,
}

/// One `[[step]]`.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase", deny_unknown_fields)]
pub enum Step {
    /// Write a fresh random pattern over the whole chip.
    Write {
        /// Pulse current (A).
        current: f64,
        /// Pulse width (s).
        width: f64,
        /// Write-verify retries (0 to 16).
        #[serde(default)]
        verify: u8,
    },
    /// Let time pass at rest at a temperature.
    Bake {
        /// Temperature (K).
        temperature: f64,
        /// Duration (s).
        duration: f64,
    },
    /// Read the whole chip back and compare it with the last pattern written.
    Read,
}

/// Checks the steps by key (`step[i].KEY`).
fn check_steps(src: &Source<'_>, steps: &[Step]) -> Result<()> {
    if steps.is_empty() || !steps.iter().any(|s| matches!(s, Step::Read)) {
        return Err(src.at_key(
            "step",
            "the script needs at least one [[step]] with op = \"read\" (what the rows report)",
        ));
    }
    let bad = |i: usize, key: &str, v: f64, allowed: &str| {
        src.at_key(
            "step",
            format!("step[{i}].{key} = {v:e} is out of range: allowed {allowed}"),
        )
    };
    for (i, s) in steps.iter().enumerate() {
        match *s {
            Step::Write {
                current,
                width,
                verify,
            } => {
                if !(current.is_finite() && current >= 0.0) {
                    return Err(bad(i, "current", current, ">= 0 A"));
                }
                if !(width.is_finite() && width > 0.0 && width <= 1e-3) {
                    return Err(bad(i, "width", width, "(0, 1e-3] s"));
                }
                if verify > 16 {
                    return Err(bad(i, "verify", f64::from(verify), "0 to 16 retries"));
                }
            }
            Step::Bake {
                temperature,
                duration,
            } => {
                if !(temperature.is_finite() && temperature > 0.0 && temperature <= 1000.0) {
                    return Err(bad(i, "temperature", temperature, "(0, 1000] K"));
                }
                if !(0.0..=1e12).contains(&duration) {
                    return Err(bad(i, "duration", duration, "[0, 1e12] s"));
                }
            }
            Step::Read => {}
        }
    }
    Ok(())
}

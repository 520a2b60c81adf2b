//! The configuration of `larmor mc` (a Monte Carlo temperature scan of a spin lattice over
//! several sizes), parsed and checked by key before anything runs: one `[mc]` table (see
//! examples/README.md). Values are in the lattice's reduced units: exchange, fields and
//! temperatures in units of the reference exchange `J_ref` (`kB T / J_ref`, `mu B / J_ref`),
//! so `j = 1` puts the square-lattice Ising `Tc` at 2.269.

use std::path::Path;

use larmor::lattice::mc::{Rule, Spin};
use larmor::lattice::{Boundary, Kind, LatticeSpec, SHELLS};
use serde::Deserialize;

use crate::error::Result;
use crate::exec::shard::fnv1a;
use crate::output::csv::num;
use crate::scenario::lattice::{kind, KINDS};
use crate::scenario::locate::{parse_toml, read_text, Source};

/// Most sites of one lattice (the largest capacity `larmor mc` is built for).
pub const MAX_SITES: usize = 32_768;
/// Most temperatures of a scan.
pub const MAX_TEMPERATURES: usize = 10_000;
/// Most sizes of a scan.
pub const MAX_SIZES: usize = 16;
/// Most jackknife blocks per point (the capacity of the kernel's `Blocks`).
pub const MAX_BLOCKS: usize = 64;
/// Most sweeps (equilibration plus measurement) per point.
pub const MAX_SWEEPS: u64 = 1_000_000_000;

/// A checked scan.
#[derive(Clone, Debug)]
pub struct McPlan {
    /// File name (for messages).
    pub file: String,
    /// FNV-1a hash of the file's bytes.
    pub hash: u64,
    /// The spins.
    pub spin: Spin,
    /// The model's name as written (`ising`, `xy`, `heisenberg`).
    pub model: &'static str,
    /// The move.
    pub rule: Rule,
    /// The lattice of each size: `(L, spec, sites)`.
    pub lattices: Vec<(usize, LatticeSpec, usize)>,
    /// Temperatures (reduced, > 0), increasing.
    pub temperatures: Vec<f64>,
    /// Measured sweeps per point (a multiple of `blocks`).
    pub sweeps: u32,
    /// Discarded sweeps before measuring.
    pub equilibration: u32,
    /// Exchange constant per shell (reduced).
    pub j: Vec<f64>,
    /// Applied field (reduced).
    pub field: [f64; 3],
    /// Seed: point `(size index s, temperature index t)` uses the Philox stream
    /// `(seed, s * 2^32 + t)`.
    pub seed: u64,
    /// Jackknife blocks per point.
    pub blocks: usize,
}

/// `[mc]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct McToml {
    model: String,
    lattice: String,
    #[serde(default = "periodic")]
    boundary: String,
    sizes: Vec<i64>,
    temperatures: Temperatures,
    sweeps: i64,
    #[serde(default)]
    equilibration: Option<i64>,
    #[serde(default = "metropolis")]
    algorithm: String,
    #[serde(default)]
    step: Option<f64>,
    #[serde(default)]
    j: Option<Exchange>,
    #[serde(default)]
    field: Option<Vec<f64>>,
    #[serde(default)]
    seed: u64,
    #[serde(default = "twenty")]
    blocks: i64,
}

fn periodic() -> String {
    "periodic".into()
}
fn metropolis() -> String {
    "metropolis".into()
}
fn twenty() -> i64 {
    20
}

/// `j = 1.0` or `j = [J1, J2, ...]`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Exchange {
    One(f64),
    Shells(Vec<f64>),
}

/// `temperatures = [T1, T2, ...]` or `temperatures = { from, to, points }`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Temperatures {
    List(Vec<f64>),
    Grid { from: f64, to: f64, points: i64 },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    mc: McToml,
}

/// Reads and checks a scan file.
///
/// # Errors
/// A one-line error at the key's line for a bad value, an unknown key or a missing table.
pub fn load(path: &Path) -> Result<McPlan> {
    let text = read_text(path)?;
    from_text(&path.display().to_string(), &text)
}

/// Parses and checks the text of a scan file named `file`.
///
/// # Errors
/// As [`load`].
pub fn from_text(file: &str, text: &str) -> Result<McPlan> {
    let src = Source::new(file, text);
    let raw: File = parse_toml(&src)?;
    let c = raw.mc;
    let bad = |key: &str, value: &str, allowed: &str| {
        src.at_key(
            &format!("mc.{key}"),
            format!("mc.{key} = {value} is out of range: allowed {allowed}"),
        )
    };
    let (spin, model) = match c.model.as_str() {
        "ising" => (Spin::Ising, "ising"),
        "xy" => (Spin::Xy, "xy"),
        "heisenberg" => (Spin::Heisenberg, "heisenberg"),
        m => {
            return Err(bad(
                "model",
                &format!("\"{m}\""),
                "\"ising\", \"xy\" or \"heisenberg\"",
            ))
        }
    };
    let kind =
        kind(&c.lattice).ok_or_else(|| bad("lattice", &format!("\"{}\"", c.lattice), KINDS))?;
    let boundary = match c.boundary.as_str() {
        "periodic" => Boundary::Periodic,
        "open" => Boundary::Open,
        b => {
            return Err(bad(
                "boundary",
                &format!("\"{b}\""),
                "\"periodic\" or \"open\"",
            ))
        }
    };
    let j = match c.j {
        None => vec![1.0],
        Some(Exchange::One(j)) => vec![j],
        Some(Exchange::Shells(v)) => v,
    };
    if j.is_empty() || j.len() > SHELLS {
        return Err(bad(
            "j",
            &format!("a list of {} constants", j.len()),
            &format!("a number or 1 to {SHELLS} constants, one per neighbour shell"),
        ));
    }
    if let Some(x) = j.iter().find(|x| !x.is_finite()) {
        return Err(bad(
            "j",
            &num(*x),
            "finite exchange constants (units of J_ref)",
        ));
    }
    let field = match c.field {
        None => [0.0; 3],
        Some(v) => <[f64; 3]>::try_from(v.as_slice()).map_err(|_| {
            bad(
                "field",
                &format!("a list of {} numbers", v.len()),
                "a vector of exactly 3 numbers [x, y, z]",
            )
        })?,
    };
    if field.iter().any(|x| !x.is_finite()) {
        return Err(bad("field", &format!("{field:?}"), "finite components"));
    }
    if c.sizes.is_empty() || c.sizes.len() > MAX_SIZES {
        return Err(bad(
            "sizes",
            &format!("a list of {} sizes", c.sizes.len()),
            &format!("1 to {MAX_SIZES} linear sizes L"),
        ));
    }
    let mut lattices = Vec::new();
    let d = kind.dims();
    let basis = match kind {
        Kind::Bcc => 2,
        Kind::Fcc => 4,
        _ => 1,
    };
    let max_l = (1..=MAX_SITES)
        .take_while(|l| l.pow(d as u32) * basis <= MAX_SITES)
        .last()
        .unwrap_or(1);
    for (i, &l) in c.sizes.iter().enumerate() {
        if l < 1 {
            return Err(bad(&format!("sizes[{i}]"), &l.to_string(), ">= 1"));
        }
        let lu = l as usize;
        if lu > max_l {
            return Err(bad(
                &format!("sizes[{i}]"),
                &l.to_string(),
                &format!(
                    "L <= {max_l} for the {} lattice (at most {MAX_SITES} sites per lattice)",
                    c.lattice
                ),
            ));
        }
        if lattices.iter().any(|&(x, _, _)| x == lu) {
            return Err(bad(
                &format!("sizes[{i}]"),
                &l.to_string(),
                "distinct sizes (this one is listed twice)",
            ));
        }
        let spec = match kind {
            Kind::Chain => LatticeSpec::chain(lu, boundary),
            Kind::Square => LatticeSpec::square(lu, lu, boundary),
            Kind::Triangular => LatticeSpec::triangular(lu, lu, boundary),
            Kind::SimpleCubic => LatticeSpec::simple_cubic(lu, boundary),
            Kind::Bcc => LatticeSpec::bcc(lu, boundary),
            _ => LatticeSpec::fcc(lu, boundary),
        }
        .with_shells(j.len());
        lattices.push((lu, spec, lu.pow(d as u32) * basis));
    }
    lattices.sort_by_key(|x| x.0);
    let temperatures = match c.temperatures {
        Temperatures::List(v) => v,
        Temperatures::Grid { from, to, points } => {
            if !(1..=MAX_TEMPERATURES as i64).contains(&points) {
                return Err(bad(
                    "temperatures.points",
                    &points.to_string(),
                    &format!("1 to {MAX_TEMPERATURES}"),
                ));
            }
            if !(to.is_finite() && to >= from) {
                return Err(bad(
                    "temperatures.to",
                    &num(to),
                    &format!(">= temperatures.from = {} (finite)", num(from)),
                ));
            }
            let n = points as usize;
            (0..n)
                .map(|i| {
                    if n == 1 {
                        from
                    } else if i == n - 1 {
                        to
                    } else {
                        // 12 significant digits: 2.26, not 2.2600000000000002
                        let x = from + (to - from) * i as f64 / (n - 1) as f64;
                        format!("{x:.11e}").parse().unwrap_or(x)
                    }
                })
                .collect()
        }
    };
    if temperatures.is_empty() || temperatures.len() > MAX_TEMPERATURES {
        return Err(bad(
            "temperatures",
            &format!("a list of {} temperatures", temperatures.len()),
            &format!("1 to {MAX_TEMPERATURES} temperatures"),
        ));
    }
    for (i, &t) in temperatures.iter().enumerate() {
        // c and chi divide by T and T^2: no temperature so small that they overflow
        if !(1e-6..=1e9).contains(&t) {
            return Err(bad(
                "temperatures",
                &num(t),
                &format!("> 0, from 1e-6 to 1e9 (units of J_ref / kB); entry {i}"),
            ));
        }
        if i > 0 && t <= temperatures[i - 1] {
            return Err(bad(
                "temperatures",
                &num(t),
                &format!("strictly increasing temperatures; entry {i}"),
            ));
        }
    }
    if !(2..=MAX_BLOCKS as i64).contains(&c.blocks) {
        return Err(bad(
            "blocks",
            &c.blocks.to_string(),
            &format!("2 to {MAX_BLOCKS} jackknife blocks"),
        ));
    }
    let blocks = c.blocks as usize;
    if !(c.blocks..=MAX_SWEEPS as i64).contains(&c.sweeps) || c.sweeps % c.blocks != 0 {
        return Err(bad(
            "sweeps",
            &c.sweeps.to_string(),
            &format!(
                "a multiple of mc.blocks = {blocks} from {blocks} to {}",
                num(MAX_SWEEPS as f64)
            ),
        ));
    }
    let equilibration = c.equilibration.unwrap_or(c.sweeps / 10);
    if !(0..=MAX_SWEEPS as i64).contains(&equilibration) {
        return Err(bad(
            "equilibration",
            &equilibration.to_string(),
            &format!("0 to {} sweeps", num(MAX_SWEEPS as f64)),
        ));
    }
    if (c.sweeps + equilibration) as u64 > MAX_SWEEPS {
        return Err(bad(
            "equilibration",
            &equilibration.to_string(),
            &format!("mc.sweeps + mc.equilibration <= {}", num(MAX_SWEEPS as f64)),
        ));
    }
    let rule = match c.algorithm.as_str() {
        "metropolis" => {
            let step = c.step.unwrap_or(1.0);
            if step.is_nan() || step <= 0.0 {
                return Err(bad(
                    "step",
                    &num(step),
                    "> 0 (radians for xy; inf: uniform proposals)",
                ));
            }
            Rule::Metropolis { step }
        }
        "heat-bath" => {
            if c.step.is_some() {
                return Err(src.at_key(
                    "mc.step",
                    "mc.step applies only to algorithm = \"metropolis\" (a heat bath draws without a proposal)",
                ));
            }
            Rule::HeatBath
        }
        a => {
            return Err(bad(
                "algorithm",
                &format!("\"{a}\""),
                "\"metropolis\" or \"heat-bath\"",
            ))
        }
    };
    Ok(McPlan {
        file: file.to_string(),
        hash: fnv1a(text.as_bytes()),
        spin,
        model,
        rule,
        lattices,
        temperatures,
        sweeps: c.sweeps as u32,
        equilibration: equilibration as u32,
        j,
        field,
        seed: c.seed,
        blocks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "[mc]\nmodel = \"ising\"\nlattice = \"square\"\nsizes = [4, 8]\n\
                        temperatures = { from = 2.0, to = 2.5, points = 3 }\nsweeps = 100\n";

    #[test]
    fn a_good_file_and_its_defaults() {
        let p = from_text("f.toml", GOOD).unwrap();
        assert_eq!(p.temperatures, vec![2.0, 2.25, 2.5]);
        assert_eq!((p.equilibration, p.blocks, p.seed), (10, 20, 0));
        assert_eq!(p.lattices.iter().map(|l| l.2).collect::<Vec<_>>(), [16, 64]);
        assert_eq!(p.rule, Rule::Metropolis { step: 1.0 });
    }

    #[test]
    fn bad_values_are_named() {
        for (from, to, key) in [
            ("sizes = [4, 8]", "sizes = [0, 8]", "mc.sizes[0] = 0"),
            ("sizes = [4, 8]", "sizes = [4, 182]", "L <= 181"),
            ("\"ising\"", "\"potts\"", "mc.model = \"potts\""),
            ("sweeps = 100", "sweeps = 0", "mc.sweeps = 0"),
            ("sweeps = 100", "sweeps = 110", "a multiple of mc.blocks"),
            ("from = 2.0", "from = -1.0", "mc.temperatures = -1"),
        ] {
            let text = GOOD.replace(from, to);
            let e = from_text("f.toml", &text).unwrap_err();
            assert!(e.message.contains(key), "{key}: {}", e.message);
            assert!(e.message.starts_with("f.toml:"), "{}", e.message);
        }
    }
}

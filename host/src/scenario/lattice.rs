//! Scenario stage: an atomistic lattice scenario for `larmor run` (a file with a `[lattice]`
//! table instead of `[magnet]`): the geometry, exchange per shell, DMI, anisotropy, moment,
//! field, temperature, damping and initial state in SI units, and the `[solver]` table of every
//! scenario. Lowered into a [`LatticePlan`]: the kernel's lattice spec and the on-site and
//! interaction constants in atomistic reduced units ([`AtomisticUnits`]: energies in
//! `J_ref = max |J_s|`, moments in `mu_ref = mu_s`), checked by key before anything runs.

use larmor::lattice::{Boundary, Kind, LatticeSpec, SHELLS};
use larmor::units::{AtomisticUnits, GAMMA_E, MU_B};
use serde::Deserialize;

use crate::error::Result;
use crate::exec::shard::fnv1a;
use crate::output::csv::num;
use crate::scenario::locate::{parse_toml, read_text, Source};
use crate::scenario::lower::{lower_solver, Quote, ThermalRun};
use crate::scenario::plan::Solver;
use crate::scenario::schema::SolverToml;

/// Most sites of a lattice run.
pub const MAX_SITES: usize = 8192;

/// `true` if the text is TOML with a top-level `[lattice]` table (a lattice scenario).
pub fn is_lattice(text: &str) -> bool {
    toml_edit::ImDocument::parse(text)
        .map(|d| d.contains_key("lattice"))
        .unwrap_or(false)
}

/// The initial state.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Initial {
    /// Every spin along a direction (normalised).
    Uniform([f64; 3]),
    /// Independent uniform directions (from the run's seed).
    Random,
    /// A conical spiral: `m_i = cos(c) a + sin(c) (cos(k . r_i) e1 + sin(k . r_i) e2)` about
    /// the axis `a` (with `e1, e2, a` right-handed), cone angle `c`, wave vector `k` (radians
    /// per lattice constant).
    Spiral {
        /// Wave vector (rad per lattice constant).
        k: [f64; 3],
        /// Axis (normalised).
        axis: [f64; 3],
        /// Cone angle (rad).
        cone: f64,
    },
}

/// A checked lattice scenario.
#[derive(Clone, Debug)]
pub struct LatticePlan {
    /// File name (for messages).
    pub file: String,
    /// FNV-1a hash of the file's bytes.
    pub hash: u64,
    /// The lattice to build.
    pub spec: LatticeSpec,
    /// Its number of sites.
    pub sites: usize,
    /// Unit system: `J_ref = max |J_s|`, `mu_ref = mu_s`.
    pub units: AtomisticUnits,
    /// Exchange per shell (reduced).
    pub j: Vec<f64>,
    /// DMI per shell (reduced), interfacial with this normal (`Some`) or bulk (`None`).
    pub dmi: Option<(Vec<f64>, Option<[f64; 3]>)>,
    /// Uniaxial anisotropy (reduced, per atom) and axis.
    pub anisotropy: (f64, [f64; 3]),
    /// Applied field (reduced).
    pub field: [f64; 3],
    /// Temperature (K).
    pub temperature: f64,
    /// Gilbert damping.
    pub alpha: f64,
    /// Initial state.
    pub initial: Initial,
    /// A site whose own direction the trace also writes.
    pub probe: Option<usize>,
    /// Integrator.
    pub solver: Solver,
    /// `[switching] read_time` (s), for `larmor ensemble`.
    pub read_time: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    lattice: LatticeToml,
    solver: SolverToml,
    #[serde(default)]
    switching: Option<SwitchingToml>,
}

/// `[switching]` of a lattice ensemble.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SwitchingToml {
    read_time: f64,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Numbers {
    One(f64),
    Many(Vec<f64>),
}

impl Numbers {
    fn list(&self) -> Vec<f64> {
        match self {
            Numbers::One(x) => vec![*x],
            Numbers::Many(v) => v.clone(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Sizes {
    One(i64),
    Many(Vec<i64>),
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Boundaries {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LatticeToml {
    kind: String,
    size: Sizes,
    #[serde(default)]
    boundary: Option<Boundaries>,
    j: Numbers,
    #[serde(default)]
    dmi: Option<DmiToml>,
    #[serde(default)]
    anisotropy: Option<AnisotropyToml>,
    mu_s: f64,
    #[serde(default)]
    field: Option<Vec<f64>>,
    #[serde(default)]
    temperature: f64,
    alpha: f64,
    #[serde(default)]
    gamma: Option<f64>,
    #[serde(default)]
    initial: Option<String>,
    #[serde(default)]
    m0: Option<Vec<f64>>,
    #[serde(default)]
    spiral: Option<SpiralToml>,
    #[serde(default)]
    probe: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DmiToml {
    d: Numbers,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    normal: Option<Vec<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnisotropyToml {
    k: f64,
    axis: Vec<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SpiralToml {
    k: Vec<f64>,
    #[serde(default)]
    axis: Option<Vec<f64>>,
    #[serde(default)]
    cone: Option<f64>,
}

/// Reads and checks a lattice scenario.
///
/// # Errors
/// A one-line error at the key's line for a bad value, an unknown key or a missing table.
pub fn load(path: &std::path::Path) -> Result<LatticePlan> {
    let text = read_text(path)?;
    from_text(&path.display().to_string(), &text)
}

/// Parses and checks the text of a lattice scenario named `file`.
///
/// # Errors
/// As [`load`].
pub fn from_text(file: &str, text: &str) -> Result<LatticePlan> {
    let src = Source::new(file, text);
    let raw: File = parse_toml(&src)?;
    let c = &raw.lattice;
    let bad = |key: &str, value: &str, allowed: &str| {
        src.at_key(
            key,
            format!("{key} = {value} is out of range: allowed {allowed}"),
        )
    };
    let vec3 = |key: &str, v: &[f64]| -> Result<[f64; 3]> {
        let a = <[f64; 3]>::try_from(v).map_err(|_| {
            bad(
                key,
                &format!("a list of {} numbers", v.len()),
                "a vector of exactly 3 numbers [x, y, z]",
            )
        })?;
        if a.iter().any(|x| !x.is_finite()) {
            return Err(bad(key, &format!("{a:?}"), "finite components"));
        }
        Ok(a)
    };
    let unit = |key: &str, v: &[f64]| -> Result<[f64; 3]> {
        let a = vec3(key, v)?;
        let n = (a[0] * a[0] + a[1] * a[1] + a[2] * a[2]).sqrt();
        if n.is_finite() && n > 0.0 {
            Ok(a.map(|x| x / n))
        } else {
            Err(bad(key, &format!("{a:?}"), "a non-zero direction"))
        }
    };
    let kind =
        kind(&c.kind).ok_or_else(|| bad("lattice.kind", &format!("\"{}\"", c.kind), KINDS))?;
    let d = kind.dims();
    let sizes: Vec<i64> = match &c.size {
        Sizes::One(l) => vec![*l; d],
        Sizes::Many(v) => v.clone(),
    };
    if sizes.len() != d {
        return Err(bad(
            "lattice.size",
            &format!("a list of {} sizes", sizes.len()),
            &format!("one number, or {d} cell counts for the {} lattice", c.kind),
        ));
    }
    let mut cells = [1usize; 3];
    for (i, &l) in sizes.iter().enumerate() {
        if !(1..=MAX_SITES as i64).contains(&l) {
            return Err(bad(
                "lattice.size",
                &l.to_string(),
                &format!("1 to {MAX_SITES} cells along each direction"),
            ));
        }
        cells[i] = l as usize;
    }
    let basis = match kind {
        Kind::Bcc => 2,
        Kind::Fcc => 4,
        _ => 1,
    };
    let sites = cells.iter().product::<usize>() * basis;
    if sites > MAX_SITES {
        return Err(bad(
            "lattice.size",
            &format!("{sizes:?} ({sites} sites)"),
            &format!("at most {MAX_SITES} sites"),
        ));
    }
    let parse_b = |s: &str| match s {
        "periodic" => Ok(Boundary::Periodic),
        "open" => Ok(Boundary::Open),
        b => Err(bad(
            "lattice.boundary",
            &format!("\"{b}\""),
            "\"periodic\" or \"open\" (or one per direction)",
        )),
    };
    let boundary: Vec<Boundary> = match &c.boundary {
        None => vec![Boundary::Periodic; d],
        Some(Boundaries::One(b)) => vec![parse_b(b)?; d],
        Some(Boundaries::Many(v)) if v.len() == d => {
            v.iter().map(|b| parse_b(b)).collect::<Result<_>>()?
        }
        Some(Boundaries::Many(v)) => {
            return Err(bad(
                "lattice.boundary",
                &format!("a list of {}", v.len()),
                &format!("one boundary, or {d} (one per lattice direction)"),
            ))
        }
    };
    let j = c.j.list();
    let dmi_d = c.dmi.as_ref().map(|x| x.d.list()).unwrap_or_default();
    let shells = j.len().max(dmi_d.len());
    if j.is_empty() || shells > SHELLS {
        return Err(bad(
            "lattice.j",
            &format!("{} constants", j.len()),
            &format!("1 to {SHELLS} exchange constants (J), one per neighbour shell"),
        ));
    }
    if let Some(x) = j.iter().chain(&dmi_d).find(|x| !x.is_finite()) {
        return Err(bad("lattice.j", &num(*x), "finite constants (J)"));
    }
    let mut spec = match kind {
        Kind::Chain => LatticeSpec::chain(cells[0], Boundary::Open),
        Kind::Square => LatticeSpec::square(cells[0], cells[1], Boundary::Open),
        Kind::Triangular => LatticeSpec::triangular(cells[0], cells[1], Boundary::Open),
        Kind::SimpleCubic => LatticeSpec::simple_cubic(cells[0], Boundary::Open),
        Kind::Bcc => LatticeSpec::bcc(cells[0], Boundary::Open),
        _ => LatticeSpec::fcc(cells[0], Boundary::Open),
    }
    .with_shells(shells);
    spec.cells = cells;
    for (k, b) in boundary.into_iter().enumerate() {
        spec = spec.with_boundary(k, b);
    }
    if !(c.mu_s.is_finite() && c.mu_s > 0.0) {
        return Err(bad("lattice.mu_s", &num(c.mu_s), "> 0 Bohr magnetons"));
    }
    let gamma = c.gamma.unwrap_or(GAMMA_E);
    let j_ref = j.iter().chain(&dmi_d).fold(0.0f64, |a, x| a.max(x.abs()));
    let j_ref = if j_ref > 0.0 { j_ref } else { 1e-21 };
    let units = AtomisticUnits::new(j_ref, c.mu_s * MU_B, gamma).map_err(|e| {
        src.at_key(
            if c.gamma.is_some() {
                "lattice.gamma"
            } else {
                "lattice.j"
            },
            e,
        )
    })?;
    let red = |x: &f64| units.energy_to_reduced(*x);
    let dmi = match &c.dmi {
        None => None,
        Some(t) => {
            let normal = match t.kind.as_deref().unwrap_or("interfacial") {
                "interfacial" => Some(unit(
                    "lattice.dmi.normal",
                    t.normal.as_deref().unwrap_or(&[0.0, 0.0, 1.0]),
                )?),
                "bulk" => {
                    if t.normal.is_some() {
                        return Err(src.at_key(
                            "lattice.dmi.normal",
                            "lattice.dmi.normal applies only to kind = \"interfacial\"",
                        ));
                    }
                    None
                }
                k => {
                    return Err(bad(
                        "lattice.dmi.kind",
                        &format!("\"{k}\""),
                        "\"interfacial\" or \"bulk\"",
                    ))
                }
            };
            Some((dmi_d.iter().map(red).collect(), normal))
        }
    };
    let anisotropy = match &c.anisotropy {
        None => (0.0, [0.0, 0.0, 1.0]),
        Some(a) => {
            if !a.k.is_finite() {
                return Err(bad(
                    "lattice.anisotropy.k",
                    &num(a.k),
                    "finite (J per atom)",
                ));
            }
            (red(&a.k), unit("lattice.anisotropy.axis", &a.axis)?)
        }
    };
    let field = match &c.field {
        None => [0.0; 3],
        Some(v) => vec3("lattice.field", v)?.map(|b| units.tesla_to_reduced(b)),
    };
    if !(c.temperature.is_finite() && c.temperature >= 0.0) {
        return Err(bad(
            "lattice.temperature",
            &num(c.temperature),
            ">= 0 K (and finite)",
        ));
    }
    if !(c.alpha.is_finite() && c.alpha >= 0.0) {
        return Err(bad("lattice.alpha", &num(c.alpha), ">= 0 (and finite)"));
    }
    if c.temperature > 0.0 && c.alpha == 0.0 {
        return Err(bad(
            "lattice.alpha",
            "0",
            "> 0 with lattice.temperature > 0 (the thermal field's strength is alpha kB T)",
        ));
    }
    let initial = match c.initial.as_deref().unwrap_or("uniform") {
        "uniform" => Initial::Uniform(unit(
            "lattice.m0",
            c.m0.as_deref().unwrap_or(&[0.0, 0.0, 1.0]),
        )?),
        "random" => Initial::Random,
        "spiral" => {
            let Some(sp) = &c.spiral else {
                return Err(src.at_key(
                    "lattice.initial",
                    "lattice.initial = \"spiral\" needs lattice.spiral = { k = [kx, ky, kz] (rad per lattice constant), axis = [0, 0, 1], cone = 90 (degrees) }",
                ));
            };
            let cone = sp.cone.unwrap_or(90.0);
            if !(0.0..=180.0).contains(&cone) {
                return Err(bad("lattice.spiral.cone", &num(cone), "0 to 180 degrees"));
            }
            Initial::Spiral {
                k: vec3("lattice.spiral.k", &sp.k)?,
                axis: unit(
                    "lattice.spiral.axis",
                    sp.axis.as_deref().unwrap_or(&[0.0, 0.0, 1.0]),
                )?,
                cone: cone.to_radians(),
            }
        }
        i => {
            return Err(bad(
                "lattice.initial",
                &format!("\"{i}\""),
                "\"uniform\", \"random\" or \"spiral\"",
            ))
        }
    };
    let probe = match c.probe {
        None => None,
        Some(p) if (0..sites as i64).contains(&p) => Some(p as usize),
        Some(p) => {
            return Err(bad(
                "lattice.probe",
                &p.to_string(),
                &format!("a site index 0 to {}", sites - 1),
            ))
        }
    };
    let thermal = ThermalRun {
        on: c.temperature > 0.0,
        what: "a thermal run",
        default: "lattice.temperature > 0",
    };
    let solver = lower_solver(&src, &raw.solver, thermal, Quote::PLAIN)?;
    let read_time = match &raw.switching {
        None => None,
        Some(sw)
            if sw.read_time.is_finite()
                && sw.read_time > 0.0
                && sw.read_time <= solver.duration =>
        {
            Some(sw.read_time)
        }
        Some(sw) => {
            return Err(bad(
                "switching.read_time",
                &num(sw.read_time),
                &format!("(0, solver.duration = {} s]", num(solver.duration)),
            ))
        }
    };
    Ok(LatticePlan {
        file: file.to_string(),
        hash: fnv1a(text.as_bytes()),
        spec,
        sites,
        units,
        j: j.iter().map(red).collect(),
        dmi,
        anisotropy,
        field,
        temperature: c.temperature,
        alpha: c.alpha,
        initial,
        probe,
        solver,
        read_time,
    })
}

/// The lattice kinds a scenario may name, as its messages list them.
pub(crate) const KINDS: &str = "\"chain\", \"square\", \"triangular\", \"sc\", \"bcc\" or \"fcc\"";

/// The lattice kind a scenario names (one of [`KINDS`], or `simple-cubic`).
pub(crate) fn kind(name: &str) -> Option<Kind> {
    Some(match name {
        "chain" => Kind::Chain,
        "square" => Kind::Square,
        "triangular" => Kind::Triangular,
        "sc" | "simple-cubic" => Kind::SimpleCubic,
        "bcc" => Kind::Bcc,
        "fcc" => Kind::Fcc,
        _ => return None,
    })
}

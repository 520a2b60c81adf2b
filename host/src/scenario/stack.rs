//! Scenario stage: a coupled layer stack for `larmor run` and `larmor ensemble` (a file with
//! `[[layer]]` tables, or two `[[sublattice]]` tables and an `[antiferromagnet]`, instead of
//! `[magnet]`). Layers, interlayer couplings, the stack's field, spin-transfer torque and
//! tunnel junction, temperature, switching criterion and solver, in SI units, lowered into the
//! kernel's [`StackSpec`] (or [`TwoSublatticeSpec`]) and checked by key before anything runs:
//! the kernel validates each layer on its own, so its error (`stack.layer.thickness`) is
//! reported at the line of the layer it is about (`layer[1].thickness`).

use larmor::drive::DriveSpec;
use larmor::mtj::MtjSpec;
use larmor::stack::{
    Lateral, LayerSpec, StackSpec, StackSttSpec, SublatticeSpec, TwoSublatticeSpec,
};
use larmor::units::GAMMA_E;
use serde::Deserialize;

use crate::error::{HostError, Result};
use crate::exec::shard::fnv1a;
use crate::output::csv::num;
use crate::scenario::locate::{parse_toml, read_text, Source};
use crate::scenario::lower::{lower_solver, Quote, ThermalRun};
use crate::scenario::plan::Solver;
use crate::scenario::schema::{self, Method};
use crate::scenario::waveform::DriveToml;

/// Most layers of a stack scenario.
pub const MAX_LAYERS: usize = 8;
/// Most couplings (and dipolar pairs: `8 * 7 / 2`).
pub const MAX_PAIRS: usize = 28;

/// The kernel spec of a layered stack scenario.
pub type Spec = StackSpec<MAX_LAYERS, MAX_PAIRS>;

/// `true` if the text is TOML with top-level `[[layer]]` or `[[sublattice]]` tables (a stack
/// scenario).
pub fn is_stack(text: &str) -> bool {
    toml_edit::ImDocument::parse(text)
        .map(|d| d.contains_key("layer") || d.contains_key("sublattice"))
        .unwrap_or(false)
}

/// The model of a stack scenario.
#[derive(Clone, Debug)]
pub enum Model {
    /// `[[layer]]` tables: a layer stack.
    Layers(Box<Spec>),
    /// Two `[[sublattice]]` tables and `[antiferromagnet]`.
    Sublattices(TwoSublatticeSpec),
}

/// `[stack.mtj]`, checked: the junction and its two layers.
#[derive(Clone, Copy, Debug)]
pub struct Junction {
    /// The kernel's junction parameters.
    pub spec: MtjSpec,
    /// Free layer index.
    pub free: usize,
    /// Reference layer index.
    pub reference: usize,
}

/// `[switching]` of a stack: a layer's switching along the largest component of its `m0`.
#[derive(Clone, Copy, Debug)]
pub struct StackSwitching {
    /// The layer watched.
    pub layer: usize,
    /// Its component (0, 1, 2): the largest of its initial direction.
    pub component: usize,
    /// Sign of that component at the start.
    pub sign: f64,
    /// `|threshold|` in [0, 1): switched once `sign m_c < -threshold`.
    pub threshold: f64,
    /// Read time (s).
    pub read_time: f64,
}

/// A checked stack scenario.
#[derive(Clone, Debug)]
pub struct StackPlan {
    /// File name (for messages).
    pub file: String,
    /// FNV-1a hash of the file's bytes.
    pub hash: u64,
    /// The stack.
    pub model: Model,
    /// Layer (or sublattice) names, bottom first: the trace's column suffixes.
    pub names: Vec<String>,
    /// The tunnel junction, if any.
    pub mtj: Option<Junction>,
    /// Temperature (K) as a waveform (0 without `[thermal]`).
    pub temperature: DriveSpec,
    /// `true` with a `[thermal]` table.
    pub thermal: bool,
    /// Integrator.
    pub solver: Solver,
    /// `solver.every`: write every N-th step.
    pub every: u64,
    /// Switching criterion.
    pub switching: Option<StackSwitching>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    layer: Vec<LayerToml>,
    #[serde(default)]
    coupling: Vec<CouplingToml>,
    #[serde(default)]
    stack: Option<StackToml>,
    #[serde(default)]
    sublattice: Vec<SublatticeToml>,
    #[serde(default)]
    antiferromagnet: Option<AfmToml>,
    #[serde(default)]
    thermal: Option<ThermalToml>,
    solver: SolverToml,
    #[serde(default)]
    switching: Option<SwitchingToml>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LayerToml {
    #[serde(default)]
    name: Option<String>,
    ms: f64,
    thickness: f64,
    #[serde(default)]
    area: Option<f64>,
    #[serde(default)]
    rect: Option<Vec<f64>>,
    #[serde(default)]
    spacer: f64,
    alpha: f64,
    #[serde(default)]
    gamma: Option<f64>,
    #[serde(default)]
    anisotropy: Option<AnisotropyToml>,
    #[serde(default)]
    demag: Option<Vec<f64>>,
    #[serde(default)]
    bias: Option<Vec<f64>>,
    m0: Vec<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnisotropyToml {
    ku: f64,
    axis: Vec<f64>,
}

/// A layer named by its index or its `name`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum LayerRef {
    Index(i64),
    Name(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CouplingToml {
    layers: Vec<LayerRef>,
    j1: f64,
    #[serde(default)]
    j2: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StackToml {
    #[serde(default)]
    applied: Option<Vec<f64>>,
    #[serde(default)]
    dipolar: bool,
    #[serde(default)]
    stt: Option<SttToml>,
    #[serde(default)]
    mtj: Option<MtjToml>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SttToml {
    free: LayerRef,
    reference: LayerRef,
    polarization: f64,
    #[serde(default = "one")]
    lambda: f64,
    #[serde(default)]
    field_like: f64,
    current_density: DriveToml,
}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MtjToml {
    free: LayerRef,
    reference: LayerRef,
    r_p: f64,
    tmr0: f64,
    v_half: f64,
    #[serde(default)]
    area: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SublatticeToml {
    #[serde(default)]
    name: Option<String>,
    ms: f64,
    alpha: f64,
    #[serde(default)]
    gamma: Option<f64>,
    #[serde(default)]
    anisotropy: Option<AnisotropyToml>,
    m0: Vec<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AfmToml {
    exchange: f64,
    #[serde(default)]
    applied: Option<Vec<f64>>,
    volume: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThermalToml {
    temperature: DriveToml,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SolverToml {
    #[serde(default)]
    method: Option<Method>,
    dt: f64,
    duration: f64,
    #[serde(default)]
    atol: Option<f64>,
    #[serde(default)]
    rtol: Option<f64>,
    #[serde(default)]
    max_steps: Option<u64>,
    #[serde(default)]
    every: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SwitchingToml {
    layer: LayerRef,
    read_time: f64,
    #[serde(default)]
    threshold: f64,
}

/// Reads and checks a stack scenario.
///
/// # Errors
/// A one-line error at the key's line for a bad value, an unknown key or a missing table.
pub fn load(path: &std::path::Path) -> Result<StackPlan> {
    let text = read_text(path)?;
    from_text(&path.display().to_string(), &text)
}

/// Locates keys of array-of-tables elements (`layer[1].thickness`), which
/// [`Source::at_key`] looks up only in the first element.
struct Locator<'a> {
    file: &'a str,
    text: &'a str,
    doc: Option<toml_edit::ImDocument<&'a str>>,
    src: Source<'a>,
}

impl<'a> Locator<'a> {
    fn new(file: &'a str, text: &'a str) -> Self {
        Self {
            file,
            text,
            doc: toml_edit::ImDocument::parse(text).ok(),
            src: Source::new(file, text),
        }
    }

    /// `FILE:LINE: message` at `table[index].key` (or at the element, or at the first line
    /// of the table's key when the element is not found).
    fn at(
        &self,
        table: &str,
        index: usize,
        key: &str,
        message: impl std::fmt::Display,
    ) -> HostError {
        let span = self.doc.as_ref().and_then(|d| {
            let t = d.get(table)?.as_array_of_tables()?.get(index)?;
            let mut best = t.span();
            let mut cur: &dyn toml_edit::TableLike = t;
            for seg in key.split('.').filter(|s| !s.is_empty()) {
                match cur.get(seg) {
                    Some(n) => {
                        best = n.span().or(best);
                        match n.as_table_like() {
                            Some(tl) => cur = tl,
                            None => break,
                        }
                    }
                    None => break,
                }
            }
            best
        });
        match span {
            Some(sp) => {
                let line = self.text[..sp.start.min(self.text.len())]
                    .bytes()
                    .filter(|&b| b == b'\n')
                    .count()
                    + 1;
                HostError::input(format!("{}:{line}: {message}", self.file))
            }
            None => self.src.at_key(table, message),
        }
    }

    /// `table[index].key = value is out of range: allowed ...` at its line.
    fn bad(&self, table: &str, index: usize, key: &str, value: &str, allowed: &str) -> HostError {
        self.at(
            table,
            index,
            key,
            format!("{table}[{index}].{key} = {value} is out of range: allowed {allowed}"),
        )
    }

    /// `table[index].alpha` of a `[thermal]` stack (`thermal`) must be above zero.
    fn thermal_alpha(&self, table: &str, index: usize, thermal: bool, alpha: f64) -> Result<()> {
        if thermal && alpha == 0.0 {
            return Err(self.bad(
                table,
                index,
                "alpha",
                "0",
                "> 0 with [thermal] (Brown's field has strength alpha kB T)",
            ));
        }
        Ok(())
    }
}

/// A finite 3-vector.
fn vec3(v: &[f64]) -> std::result::Result<[f64; 3], String> {
    let a = <[f64; 3]>::try_from(v).map_err(|_| format!("a list of {} numbers", v.len()))?;
    if a.iter().any(|x| !x.is_finite()) {
        return Err(format!("{a:?}"));
    }
    Ok(a)
}

/// The key of a `[[layer]]` element that a kernel `stack.layer.*` parameter is about.
fn layer_key(param: &str) -> &'static str {
    match param {
        "stack.layer.ms" => "ms",
        "stack.layer.thickness" => "thickness",
        "stack.layer.area" => "area",
        "stack.layer.x" | "stack.layer.y" => "rect",
        "stack.layer.spacer" => "spacer",
        "stack.layer.alpha" => "alpha",
        "stack.layer.gamma" => "gamma",
        "stack.layer.ku" => "anisotropy.ku",
        "stack.layer.axis" => "anisotropy.axis",
        "stack.layer.m0" => "m0",
        "stack.layer.bias_tesla" => "bias",
        _ => "demag",
    }
}

/// The scenario key of a kernel parameter outside the layers.
fn stack_key(param: &str) -> String {
    match param {
        "stack.applied_tesla" => "stack.applied".into(),
        "sublattice.exchange_tesla" => "antiferromagnet.exchange".into(),
        "sublattice.applied_tesla" => "antiferromagnet.applied".into(),
        "sublattice.volume" => "antiferromagnet.volume".into(),
        p if p.starts_with("stt.mtj.") => format!("stack.mtj.{}", &p["stt.mtj.".len()..]),
        p => p.to_string(),
    }
}

/// A kernel error with its parameter renamed to the scenario key `key`.
fn renamed(e: &larmor::Error, key: &str) -> String {
    match e {
        larmor::Error::OutOfRange { value, allowed, .. } => {
            format!("{key} = {} is out of range: allowed {allowed}", num(*value))
        }
        larmor::Error::ZeroVector { .. } => format!("{key} must be a finite, non-zero vector"),
        other => {
            // the kernel's own message names its key already (`stack.stt: ...`)
            let text = other.to_string();
            match key.split('.').take(2).collect::<Vec<_>>().join(".") {
                k if text.starts_with(&k) => text,
                _ => format!("{key}: {text}"),
            }
        }
    }
}

/// Parses and checks the text of a stack scenario named `file`.
///
/// # Errors
/// As [`load`].
pub fn from_text(file: &str, text: &str) -> Result<StackPlan> {
    let src = Source::new(file, text);
    let loc = Locator::new(file, text);
    let raw: File = parse_toml(&src)?;
    let thermal = raw.thermal.is_some();
    let (model, names) = match (raw.layer.is_empty(), raw.sublattice.is_empty()) {
        (false, true) => {
            if raw.antiferromagnet.is_some() {
                return Err(src.at_key(
                    "antiferromagnet",
                    "[antiferromagnet] goes with two [[sublattice]] tables, not with [[layer]]",
                ));
            }
            layers(&loc, &raw)?
        }
        (true, false) => {
            if let Some(k) = ["coupling", "stack"].iter().find(|k| match **k {
                "coupling" => !raw.coupling.is_empty(),
                _ => raw.stack.is_some(),
            }) {
                return Err(src.at_key(
                    k,
                    format!("[{k}] belongs to [[layer]] stacks; an antiferromagnet's sublattices are coupled by antiferromagnet.exchange"),
                ));
            }
            sublattices(&loc, &raw)?
        }
        _ => return Err(src.at_key(
            "sublattice",
            "a stack scenario needs [[layer]] tables or two [[sublattice]] tables (one kind, not both)",
        )),
    };
    let find = |r: &LayerRef, table: &str, index: Option<usize>, key: &str| -> Result<usize> {
        resolve(&loc, &src, &names, r, table, index, key)
    };
    let mtj = match (&model, raw.stack.as_ref().and_then(|s| s.mtj.as_ref())) {
        (Model::Layers(spec), Some(m)) => {
            let free = find(&m.free, "stack.mtj", None, "free")?;
            let reference = find(&m.reference, "stack.mtj", None, "reference")?;
            if free == reference {
                return Err(src.at_key(
                    "stack.mtj.reference",
                    "stack.mtj.reference: the free and reference layers must differ",
                ));
            }
            let lateral_area = |l: &LayerSpec| match l.lateral {
                Lateral::Area(a) => a,
                Lateral::Rectangle { x, y } => x * y,
            };
            let area = m.area.unwrap_or_else(|| {
                lateral_area(&spec.layers()[free]).min(lateral_area(&spec.layers()[reference]))
            });
            let junction = MtjSpec {
                r_p: m.r_p,
                tmr0: m.tmr0,
                v_half: m.v_half,
                area,
            };
            if let Err(e) = junction.compile::<f64>() {
                let key = match &e {
                    larmor::Error::OutOfRange { param, .. } => stack_key(param),
                    _ => "stack.mtj".into(),
                };
                return Err(src.at_key(&key, renamed(&e, &key)));
            }
            Some(Junction {
                spec: junction,
                free,
                reference,
            })
        }
        _ => None,
    };
    let temperature = match &raw.thermal {
        None => DriveSpec::Constant(0.0),
        Some(t) => {
            let d = t.temperature.to_spec("thermal.temperature")?;
            d.validate("thermal.temperature")
                .map_err(|e| src.kernel_error(&e))?;
            let (lo, _) = d.range();
            if lo < 0.0 || lo.is_nan() {
                return Err(src.at_key(
                    "thermal.temperature",
                    format!("thermal.temperature reaches {} K: allowed >= 0 K", num(lo)),
                ));
            }
            d
        }
    };
    let s = &raw.solver;
    let solver = lower_solver(
        &src,
        &schema::SolverToml {
            method: s.method,
            dt: s.dt,
            duration: s.duration,
            atol: s.atol,
            rtol: s.rtol,
            max_steps: s.max_steps,
        },
        ThermalRun {
            on: thermal,
            what: "a [thermal] stack",
            default: "[thermal]",
        },
        Quote::NUM,
    )?;
    let every = match raw.solver.every {
        None => 1,
        Some(n) if n >= 1 => n as u64,
        Some(n) => {
            return Err(src.at_key(
                "solver.every",
                format!("solver.every = {n} is out of range: allowed >= 1 (steps)"),
            ))
        }
    };
    let switching = match &raw.switching {
        None => None,
        Some(sw) => {
            let layer = find(&sw.layer, "switching", None, "layer")?;
            if !(sw.read_time.is_finite() && sw.read_time > 0.0 && sw.read_time <= solver.duration)
            {
                return Err(src.at_key(
                    "switching.read_time",
                    format!(
                        "switching.read_time = {} is out of range: allowed (0, solver.duration = {} s]",
                        num(sw.read_time),
                        num(solver.duration)
                    ),
                ));
            }
            if !(0.0..1.0).contains(&sw.threshold) {
                return Err(src.at_key(
                    "switching.threshold",
                    format!(
                        "switching.threshold = {} is out of range: allowed [0, 1)",
                        num(sw.threshold)
                    ),
                ));
            }
            let m0 = match &model {
                Model::Layers(s) => s.layers()[layer].m0,
                Model::Sublattices(s) => [s.a.m0, s.b.m0][layer],
            };
            let component = (0..3)
                .max_by(|&a, &b| m0[a].abs().total_cmp(&m0[b].abs()))
                .unwrap_or(2);
            Some(StackSwitching {
                layer,
                component,
                sign: m0[component].signum(),
                threshold: sw.threshold,
                read_time: sw.read_time,
            })
        }
    };
    Ok(StackPlan {
        file: file.to_string(),
        hash: fnv1a(text.as_bytes()),
        model,
        names,
        mtj,
        temperature,
        thermal,
        solver,
        every,
        switching,
    })
}

/// A layer reference (`free = "fl"` or `free = 0`) to its index.
fn resolve(
    loc: &Locator<'_>,
    src: &Source<'_>,
    names: &[String],
    r: &LayerRef,
    table: &str,
    index: Option<usize>,
    key: &str,
) -> Result<usize> {
    let (what, found) = match r {
        LayerRef::Index(i) => (
            i.to_string(),
            usize::try_from(*i).ok().filter(|&i| i < names.len()),
        ),
        LayerRef::Name(n) => (format!("\"{n}\""), names.iter().position(|x| x == n)),
    };
    found.ok_or_else(|| {
        let list = names
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let full = match index {
            Some(i) => format!("{table}[{i}].{key}"),
            None => format!("{table}.{key}"),
        };
        let msg = format!(
            "{full} = {what} names no layer: allowed a layer index 0 to {} or a name ({list})",
            names.len() - 1
        );
        match index {
            Some(i) => loc.at(table, i, key, msg),
            None => src.at_key(&full, msg),
        }
    })
}

/// A name for the CSV columns: letters, digits, `_` and `-`.
fn check_name(
    loc: &Locator<'_>,
    table: &str,
    k: usize,
    name: &Option<String>,
    seen: &[String],
) -> Result<String> {
    let name = name.clone().unwrap_or_else(|| k.to_string());
    let ok = !name.is_empty()
        && name.len() <= 32
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !ok {
        return Err(loc.bad(
            table,
            k,
            "name",
            &format!("\"{name}\""),
            "1 to 32 letters, digits, '_' or '-' (it names CSV columns)",
        ));
    }
    if seen.contains(&name) {
        return Err(loc.at(
            table,
            k,
            "name",
            format!("{table}[{k}].name = \"{name}\" is already the name of another {table}"),
        ));
    }
    Ok(name)
}

fn layers(loc: &Locator<'_>, raw: &File) -> Result<(Model, Vec<String>)> {
    if raw.layer.len() > MAX_LAYERS {
        return Err(loc.at(
            "layer",
            MAX_LAYERS,
            "",
            format!(
                "{} [[layer]] tables: allowed at most {MAX_LAYERS}",
                raw.layer.len()
            ),
        ));
    }
    let mut spec = Spec::new();
    let mut names = Vec::new();
    for (k, l) in raw.layer.iter().enumerate() {
        names.push(check_name(loc, "layer", k, &l.name, &names)?);
        let v3 = |key: &str, v: &[f64]| {
            vec3(v).map_err(|got| loc.bad("layer", k, key, &got, "a vector of 3 finite numbers"))
        };
        let lateral = match (l.area, &l.rect) {
            (Some(a), None) => Lateral::Area(a),
            (None, Some(r)) => match r.as_slice() {
                [x, y] => Lateral::Rectangle { x: *x, y: *y },
                _ => {
                    return Err(loc.bad(
                        "layer",
                        k,
                        "rect",
                        &format!("a list of {} numbers", r.len()),
                        "[x, y] edges (m)",
                    ))
                }
            },
            _ => {
                return Err(loc.at(
                    "layer",
                    k,
                    "",
                    format!("layer[{k}] needs exactly one of area (m^2) or rect = [x, y] (m)"),
                ))
            }
        };
        let mut layer = LayerSpec::new(l.ms, l.thickness, lateral);
        layer.spacer = l.spacer;
        layer.alpha = l.alpha;
        layer.gamma = l.gamma.unwrap_or(GAMMA_E);
        if let Some(a) = &l.anisotropy {
            layer.ku = a.ku;
            layer.axis = v3("anisotropy.axis", &a.axis)?;
        }
        if let Some(d) = &l.demag {
            layer.demag = Some(v3("demag", d)?);
        }
        if let Some(b) = &l.bias {
            layer.bias_tesla = v3("bias", b)?;
        }
        layer.m0 = v3("m0", &l.m0)?;
        // the kernel checks the layer on its own, so its error is this layer's
        let mut alone = StackSpec::<1, 1>::new();
        let _ = alone.push_layer(layer);
        if let Err(e) = alone.validate() {
            let key = match &e {
                larmor::Error::OutOfRange { param, .. } | larmor::Error::ZeroVector { param } => {
                    layer_key(param)
                }
                _ => "demag",
            };
            return Err(loc.at("layer", k, key, renamed(&e, &format!("layer[{k}].{key}"))));
        }
        loc.thermal_alpha("layer", k, raw.thermal.is_some(), l.alpha)?;
        let _ = spec.push_layer(layer); // at most MAX_LAYERS, checked above
    }
    if raw.coupling.len() > MAX_PAIRS {
        return Err(loc.at(
            "coupling",
            MAX_PAIRS,
            "",
            format!(
                "{} [[coupling]] tables: allowed at most {MAX_PAIRS}",
                raw.coupling.len()
            ),
        ));
    }
    for (k, c) in raw.coupling.iter().enumerate() {
        let [a, b] = c.layers.as_slice() else {
            return Err(loc.bad(
                "coupling",
                k,
                "layers",
                &format!("a list of {}", c.layers.len()),
                "two layers [i, j] (indices or names)",
            ));
        };
        let i = resolve(loc, &loc.src, &names, a, "coupling", Some(k), "layers")?;
        let j = resolve(loc, &loc.src, &names, b, "coupling", Some(k), "layers")?;
        if i == j {
            return Err(loc.at(
                "coupling",
                k,
                "layers",
                format!(
                    "coupling[{k}].layers couples layer \"{}\" to itself: allowed two different layers",
                    names[i]
                ),
            ));
        }
        if spec
            .couplings()
            .iter()
            .any(|p| (p.i, p.j) == (i, j) || (p.i, p.j) == (j, i))
        {
            return Err(loc.at(
                "coupling",
                k,
                "layers",
                format!(
                    "coupling[{k}].layers: layers \"{}\" and \"{}\" are already coupled (give j1 and j2 in one [[coupling]])",
                    names[i], names[j]
                ),
            ));
        }
        for (key, v) in [("j1", c.j1), ("j2", c.j2)] {
            if !v.is_finite() {
                return Err(loc.bad("coupling", k, key, &num(v), "finite (J/m^2)"));
            }
        }
        let _ = spec.couple(i, j, c.j1, c.j2); // at most MAX_PAIRS, checked above
    }
    let src = &loc.src;
    if let Some(st) = &raw.stack {
        if let Some(a) = &st.applied {
            spec.applied_tesla = vec3(a).map_err(|got| {
                src.at_key(
                    "stack.applied",
                    format!("stack.applied = {got} is out of range: allowed a vector of 3 finite numbers (T)"),
                )
            })?;
        }
        spec.dipolar = st.dipolar;
        if st.dipolar {
            if let Some(k) = spec
                .layers()
                .iter()
                .position(|l| matches!(l.lateral, Lateral::Area(_)))
            {
                return Err(loc.at(
                    "layer",
                    k,
                    "area",
                    format!("layer[{k}] has an area, no rect: stack.dipolar = true needs every layer's rect = [x, y] (m)"),
                ));
            }
        }
        if let Some(t) = &st.stt {
            let free = resolve(loc, src, &names, &t.free, "stack.stt", None, "free")?;
            let reference = resolve(
                loc,
                src,
                &names,
                &t.reference,
                "stack.stt",
                None,
                "reference",
            )?;
            spec.stt = Some(StackSttSpec {
                free,
                reference,
                polarization: t.polarization,
                lambda: t.lambda,
                field_like: t.field_like,
                current_density: t.current_density.to_spec("stack.stt.current_density")?,
            });
        }
    }
    if let Err(e) = spec.validate() {
        let key = match &e {
            larmor::Error::OutOfRange { param, .. } => stack_key(param),
            larmor::Error::Inconsistent { what } if what.starts_with("stack.stt") => {
                "stack.stt.reference".into()
            }
            _ => "stack".into(),
        };
        return Err(src.at_key(&key, renamed(&e, &key)));
    }
    if let Err(e) = spec.compile::<f64>() {
        return Err(src.kernel_error(&e));
    }
    Ok((Model::Layers(Box::new(spec)), names))
}

fn sublattices(loc: &Locator<'_>, raw: &File) -> Result<(Model, Vec<String>)> {
    let src = &loc.src;
    if raw.sublattice.len() != 2 {
        return Err(src.at_key(
            "sublattice",
            format!(
                "{} [[sublattice]] tables: an antiferromagnet or ferrimagnet has exactly 2",
                raw.sublattice.len()
            ),
        ));
    }
    let Some(afm) = &raw.antiferromagnet else {
        return Err(src.at_key(
            "sublattice",
            "two [[sublattice]] tables need an [antiferromagnet] table (exchange = T, volume = m^3, applied = [x, y, z] T)",
        ));
    };
    let mut names = Vec::new();
    let mut subs = Vec::new();
    for (k, s) in raw.sublattice.iter().enumerate() {
        names.push(check_name(loc, "sublattice", k, &s.name, &names)?);
        let v3 = |key: &str, v: &[f64]| {
            vec3(v)
                .map_err(|got| loc.bad("sublattice", k, key, &got, "a vector of 3 finite numbers"))
        };
        let mut sub = SublatticeSpec::new(s.ms);
        sub.alpha = s.alpha;
        sub.gamma = s.gamma.unwrap_or(GAMMA_E);
        if let Some(a) = &s.anisotropy {
            sub.ku = a.ku;
            sub.axis = v3("anisotropy.axis", &a.axis)?;
        }
        sub.m0 = v3("m0", &s.m0)?;
        // the kernel checks each sublattice alone (paired with a copy of itself)
        let alone = TwoSublatticeSpec {
            a: sub,
            b: sub,
            exchange_tesla: 0.0,
            applied_tesla: [0.0; 3],
            volume: 1.0,
        };
        if let Err(e) = alone.compile::<f64>() {
            let key = match &e {
                larmor::Error::OutOfRange { param, .. } | larmor::Error::ZeroVector { param } => {
                    match *param {
                        "sublattice.ku" => "anisotropy.ku",
                        "sublattice.axis" => "anisotropy.axis",
                        p => p.trim_start_matches("sublattice."),
                    }
                }
                _ => "ms",
            };
            return Err(loc.at(
                "sublattice",
                k,
                key,
                renamed(&e, &format!("sublattice[{k}].{key}")),
            ));
        }
        loc.thermal_alpha("sublattice", k, raw.thermal.is_some(), s.alpha)?;
        subs.push(sub);
    }
    let applied = match &afm.applied {
        None => [0.0; 3],
        Some(a) => vec3(a).map_err(|got| {
            src.at_key(
                "antiferromagnet.applied",
                format!("antiferromagnet.applied = {got} is out of range: allowed a vector of 3 finite numbers (T)"),
            )
        })?,
    };
    let spec = TwoSublatticeSpec {
        a: subs[0],
        b: subs[1],
        exchange_tesla: afm.exchange,
        applied_tesla: applied,
        volume: afm.volume,
    };
    if let Err(e) = spec.compile::<f64>() {
        let key = match &e {
            larmor::Error::OutOfRange { param, .. } => stack_key(param),
            _ => "antiferromagnet".into(),
        };
        return Err(src.at_key(&key, renamed(&e, &key)));
    }
    Ok((Model::Sublattices(spec), names))
}

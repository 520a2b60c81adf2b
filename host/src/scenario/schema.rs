//! Scenario files (TOML, SI units): schema, parsing with line numbers, and conversion into the
//! kernel's validated parameters. Every key is documented in `examples/README.md`.

use std::ops::Range;
use std::path::Path;

use larmor::drive::{DriveSpec, PIECEWISE_CAPACITY};
use larmor::mtj::MtjSpec;
use larmor::params::{
    CubicSpec, CurrentSpec, FieldDrive, MacrospinSpec, Shape, SotSpec, SttSpec, ThermalSpec,
    UniaxialSpec,
};
use larmor::units::GAMMA_E;
use serde::Deserialize;

use crate::error::{HostError, Result};

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// The magnet.
    pub magnet: MagnetToml,
    /// Anisotropies.
    #[serde(default)]
    pub anisotropy: AnisotropyToml,
    /// Applied field.
    #[serde(default)]
    pub field: FieldToml,
    /// Integrator.
    pub solver: SolverToml,
    /// Events to detect.
    #[serde(default)]
    pub events: Vec<EventToml>,
    /// Thermal fluctuations.
    pub thermal: Option<ThermalToml>,
    /// Spin-transfer torque.
    pub stt: Option<SttToml>,
    /// Spin-orbit torque.
    pub sot: Option<SotToml>,
    /// How a trial counts as switched (ensembles).
    pub switching: Option<SwitchingToml>,
}

/// A time-dependent scalar: a plain number (constant) or one waveform table.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum DriveToml {
    /// Constant value.
    Number(f64),
    /// Waveform.
    Wave(WaveformToml),
}

impl DriveToml {
    /// The kernel waveform.
    pub fn to_spec(&self, key: &str) -> Result<DriveSpec> {
        match self {
            DriveToml::Number(v) => Ok(DriveSpec::Constant(*v)),
            DriveToml::Wave(w) => w.to_spec(key),
        }
    }
}

/// `[thermal]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThermalToml {
    /// Temperature (K): a number or a waveform.
    pub temperature: DriveToml,
}

/// `[stt]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SttToml {
    /// Polariser direction.
    pub polarizer: [f64; 3],
    /// Spin polarisation P in [0, 1].
    pub polarization: f64,
    /// Slonczewski asymmetry Lambda > 0.
    #[serde(default = "one")]
    pub lambda: f64,
    /// Field-like / damping-like ratio.
    #[serde(default)]
    pub field_like: f64,
    /// Current density (A/m^2): number or waveform.
    pub current_density: Option<DriveToml>,
    /// Voltage across the MTJ (V): number or waveform (needs `[stt.mtj]`).
    pub voltage: Option<DriveToml>,
    /// The junction, for `voltage`.
    pub mtj: Option<MtjToml>,
    /// Free-layer thickness (m); from the shape when absent.
    pub thickness: Option<f64>,
}

fn one() -> f64 {
    1.0
}

/// `[stt.mtj]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MtjToml {
    /// Parallel resistance (ohm).
    pub r_p: f64,
    /// Zero-bias TMR ratio (1.5 = 150 %).
    pub tmr0: f64,
    /// Bias halving the TMR (V).
    pub v_half: f64,
    /// Junction area (m^2); the disc's area when absent.
    pub area: Option<f64>,
}

/// `[sot]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SotToml {
    /// Spin polarisation direction.
    pub sigma: [f64; 3],
    /// Spin Hall angle.
    pub spin_hall_angle: f64,
    /// Field-like / damping-like ratio.
    #[serde(default)]
    pub field_like: f64,
    /// Charge current density in the heavy metal (A/m^2).
    pub current_density: DriveToml,
    /// Free-layer thickness (m).
    pub thickness: Option<f64>,
}

/// `[switching]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SwitchingToml {
    /// Initial direction of every trial (normalised); the switching axis is its largest
    /// component, and a trial has switched when that component has changed sign.
    pub initial: [f64; 3],
    /// Time (s) at which the state is read; the trial stops there.
    pub read_time: f64,
}

/// `[magnet]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MagnetToml {
    /// Saturation magnetisation (A/m).
    pub ms: f64,
    /// Gilbert damping.
    pub alpha: f64,
    /// Gyromagnetic ratio (rad/(s T)).
    pub gamma: Option<f64>,
    /// Geometry.
    pub shape: ShapeToml,
    /// Diagonal demag factors.
    pub demag: Option<[f64; 3]>,
    /// Initial direction.
    pub m0: [f64; 3],
}

/// `magnet.shape`: exactly one key.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "lowercase")]
pub enum ShapeToml {
    /// `{ volume = V }` (m^3).
    Volume(f64),
    /// `{ disc = { diameter, thickness } }` (m).
    Disc {
        /// Diameter (m).
        diameter: f64,
        /// Thickness (m).
        thickness: f64,
    },
    /// `{ cylinder = { diameter, length } }` (m), axis along z.
    Cylinder {
        /// Diameter (m).
        diameter: f64,
        /// Length (m).
        length: f64,
    },
    /// `{ ellipsoid = { a, b, c } }`: semi-axes along x, y, z (m).
    Ellipsoid {
        /// Semi-axis x.
        a: f64,
        /// Semi-axis y.
        b: f64,
        /// Semi-axis z.
        c: f64,
    },
    /// `{ prism = { x, y, z } }`: edges (m).
    Prism {
        /// Edge x.
        x: f64,
        /// Edge y.
        y: f64,
        /// Edge z.
        z: f64,
    },
}

/// `[anisotropy]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnisotropyToml {
    /// Uniaxial.
    pub uniaxial: Option<UniaxialToml>,
    /// Cubic.
    pub cubic: Option<CubicToml>,
}

/// `anisotropy.uniaxial`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UniaxialToml {
    /// K1 (J/m^3).
    pub ku: f64,
    /// K2 (J/m^3).
    #[serde(default)]
    pub k2: f64,
    /// Axis.
    pub axis: [f64; 3],
}

/// `anisotropy.cubic`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CubicToml {
    /// K1 (J/m^3).
    pub k1: f64,
    /// K2 (J/m^3).
    #[serde(default)]
    pub k2: f64,
    /// First axis.
    #[serde(default = "x_axis")]
    pub axis1: [f64; 3],
    /// Second axis.
    #[serde(default = "y_axis")]
    pub axis2: [f64; 3],
}

fn x_axis() -> [f64; 3] {
    [1.0, 0.0, 0.0]
}
fn y_axis() -> [f64; 3] {
    [0.0, 1.0, 0.0]
}

/// `[field]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldToml {
    /// Constant mu0 H (T).
    #[serde(default)]
    pub applied: [f64; 3],
    /// Time-dependent parts.
    #[serde(default)]
    pub drive: Vec<FieldDriveToml>,
}

/// `[[field.drive]]`: a direction and one waveform (values in tesla).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDriveToml {
    /// Direction of the driven field (normalised).
    pub axis: [f64; 3],
    /// The waveform, in tesla.
    #[serde(flatten)]
    pub waveform: WaveformToml,
}

/// A waveform: exactly one of the keys below (also usable as `key = { ... }` elsewhere).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "lowercase")]
pub enum WaveformToml {
    /// `constant = value`.
    Constant(f64),
    /// `sine = { amplitude, frequency, phase = 0, start = 0, offset = 0 }`.
    Sine {
        /// Amplitude.
        amplitude: f64,
        /// Frequency (Hz).
        frequency: f64,
        /// Phase (rad).
        #[serde(default)]
        phase: f64,
        /// Start (s).
        #[serde(default)]
        start: f64,
        /// Offset.
        #[serde(default)]
        offset: f64,
    },
    /// `pulse = { amplitude, start, duration, rise = 0, fall = 0 }`.
    Pulse {
        /// Height.
        amplitude: f64,
        /// Start (s).
        start: f64,
        /// Duration (s) from start to the beginning of the fall.
        duration: f64,
        /// Rise time (s).
        #[serde(default)]
        rise: f64,
        /// Fall time (s).
        #[serde(default)]
        fall: f64,
    },
    /// `ramp = { from, to, start, duration }`.
    Ramp {
        /// Value before.
        from: f64,
        /// Value after.
        to: f64,
        /// Start (s).
        start: f64,
        /// Duration (s).
        duration: f64,
    },
    /// `piecewise = { times = [...], values = [...] }`.
    Piecewise {
        /// Breakpoint times (s).
        times: Vec<f64>,
        /// Values.
        values: Vec<f64>,
    },
}

impl WaveformToml {
    /// Converts to the kernel's waveform (validated later by the kernel).
    pub fn to_spec(&self, key: &str) -> Result<DriveSpec> {
        Ok(match self {
            WaveformToml::Constant(v) => DriveSpec::Constant(*v),
            WaveformToml::Sine {
                amplitude,
                frequency,
                phase,
                start,
                offset,
            } => DriveSpec::Sine {
                amplitude: *amplitude,
                frequency: *frequency,
                phase: *phase,
                start: *start,
                offset: *offset,
            },
            WaveformToml::Pulse {
                amplitude,
                start,
                duration,
                rise,
                fall,
            } => DriveSpec::Pulse {
                amplitude: *amplitude,
                start: *start,
                duration: *duration,
                rise: *rise,
                fall: *fall,
            },
            WaveformToml::Ramp {
                from,
                to,
                start,
                duration,
            } => DriveSpec::Ramp {
                from: *from,
                to: *to,
                start: *start,
                duration: *duration,
            },
            WaveformToml::Piecewise { times, values } => {
                let too_many = || {
                    HostError::input(format!(
                        "{key}.piecewise: at most {PIECEWISE_CAPACITY} breakpoints are allowed"
                    ))
                };
                DriveSpec::Piecewise {
                    times: heapless::Vec::from_slice(times).map_err(|_| too_many())?,
                    values: heapless::Vec::from_slice(values).map_err(|_| too_many())?,
                }
            }
        })
    }
}

/// `[solver]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SolverToml {
    /// `rk4 | heun | dopri45 | midpoint`; default `heun` with `[thermal]`, else `rk4`.
    pub method: Option<Method>,
    /// Time step (s); the first try for dopri45.
    pub dt: f64,
    /// Simulated time (s).
    pub duration: f64,
    /// dopri45 absolute tolerance.
    pub atol: Option<f64>,
    /// dopri45 relative tolerance.
    pub rtol: Option<f64>,
}

/// Integration method.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Classical RK4.
    Rk4,
    /// Heun.
    Heun,
    /// Adaptive Dormand-Prince 5(4).
    Dopri45,
    /// Mentink semi-implicit midpoint.
    Midpoint,
}

impl Method {
    /// Name as written in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            Method::Rk4 => "rk4",
            Method::Heun => "heun",
            Method::Dopri45 => "dopri45",
            Method::Midpoint => "midpoint",
        }
    }
}

/// `[[events]]`: first crossing of a component of m through a threshold.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventToml {
    /// Name printed in the summary.
    pub name: Option<String>,
    /// `"x" | "y" | "z"`.
    pub component: Component,
    /// Threshold.
    pub threshold: f64,
    /// `"rising" | "falling" | "either"`.
    #[serde(default = "either")]
    pub direction: DirectionToml,
}

/// Component of m.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Component {
    /// x.
    X,
    /// y.
    Y,
    /// z.
    Z,
}

/// Crossing direction.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum DirectionToml {
    /// Upwards.
    Rising,
    /// Downwards.
    Falling,
    /// Both.
    Either,
}

fn either() -> DirectionToml {
    DirectionToml::Either
}

/// A parsed, validated scenario.
#[derive(Debug)]
pub struct Scenario {
    /// File name (for messages).
    pub file: String,
    /// Raw parsed file.
    pub raw: ScenarioFile,
    /// The kernel's validated parameters.
    pub spec: MacrospinSpec,
}

/// Source text with a way to find the line of a dotted key.
pub struct Source<'a> {
    file: &'a str,
    text: &'a str,
    doc: Option<toml_edit::ImDocument<&'a str>>,
}

impl<'a> Source<'a> {
    /// Wraps a file's text.
    pub fn new(file: &'a str, text: &'a str) -> Self {
        Self {
            file,
            text,
            doc: toml_edit::ImDocument::parse(text).ok(),
        }
    }

    fn line_of_offset(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())]
            .bytes()
            .filter(|&b| b == b'\n')
            .count()
            + 1
    }

    /// Span of a dotted key path (`magnet.ms`); falls back to the `magnet.` prefix and to the
    /// deepest key that exists.
    fn span_of(&self, path: &str) -> Option<Range<usize>> {
        let doc = self.doc.as_ref()?;
        let try_path = |p: &str| {
            let mut item = doc.as_item();
            let mut best = None;
            for seg in p.split('.') {
                // array-of-tables: look into the first element
                let next = match item {
                    toml_edit::Item::ArrayOfTables(a) => a.get(0).and_then(|t| t.get(seg)),
                    _ => item.get(seg),
                };
                match next {
                    Some(n) => {
                        item = n;
                        best = n.span().or(best);
                    }
                    None => return (best, false),
                }
            }
            (best, true)
        };
        let (s, full) = try_path(path);
        if full {
            return s;
        }
        let (s2, full2) = try_path(&format!("magnet.{path}"));
        if full2 {
            return s2;
        }
        s.or(s2)
    }

    /// `FILE:LINE: message` for a key path, `FILE: message` if the key is not found.
    pub fn at_key(&self, path: &str, message: impl std::fmt::Display) -> HostError {
        match self.span_of(path) {
            Some(sp) => HostError::input(format!(
                "{}:{}: {message}",
                self.file,
                self.line_of_offset(sp.start)
            )),
            None => HostError::input(format!("{}: {message}", self.file)),
        }
    }

    /// Converts a TOML deserialisation error into a one-line error with the line number.
    pub fn toml_error(&self, e: &toml::de::Error) -> HostError {
        let line = e.span().map(|s| self.line_of_offset(s.start));
        let msg = e.message().trim().replace('\n', " ");
        match line {
            Some(l) => HostError::input(format!("{}:{l}: {msg}", self.file)),
            None => HostError::input(format!("{}: {msg}", self.file)),
        }
    }

    /// Converts a kernel validation error, locating the parameter it names.
    pub fn kernel_error(&self, e: &larmor::Error) -> HostError {
        let path = match e {
            larmor::Error::OutOfRange { param, .. }
            | larmor::Error::ZeroVector { param }
            | larmor::Error::NotOrthogonal { param, .. } => param.to_string(),
            larmor::Error::DemagSum { .. } => "magnet.demag".into(),
            larmor::Error::Capacity { what, .. } => what.to_string(),
            _ => String::new(),
        };
        self.at_key(&path, e)
    }
}

/// Reads and parses a file; returns its text (for error locations) and the raw scenario.
pub fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path)
        .map_err(|e| HostError::input(format!("cannot read scenario {}: {e}", path.display())))
}

/// Parses TOML text into `T` with one-line, line-numbered errors.
pub fn parse_toml<T: serde::de::DeserializeOwned>(src: &Source<'_>) -> Result<T> {
    toml::from_str(src.text).map_err(|e| src.toml_error(&e))
}

impl Scenario {
    /// Loads, parses and validates a scenario file.
    pub fn load(path: &Path) -> Result<Self> {
        let text = read_text(path)?;
        let file = path.display().to_string();
        let src = Source::new(&file, &text);
        let raw: ScenarioFile = parse_toml(&src)?;
        let spec = raw.to_spec(&src)?;
        Ok(Self {
            file: file.clone(),
            raw,
            spec,
        })
    }
}

impl ScenarioFile {
    /// Builds and validates the kernel parameters, and the solver settings.
    pub fn to_spec(&self, src: &Source<'_>) -> Result<MacrospinSpec> {
        let m = &self.magnet;
        let shape = match m.shape {
            ShapeToml::Volume(v) => Shape::Volume(v),
            ShapeToml::Disc {
                diameter,
                thickness,
            } => Shape::Disc {
                diameter,
                thickness,
            },
            ShapeToml::Cylinder { diameter, length } => Shape::Disc {
                diameter,
                thickness: length,
            },
            ShapeToml::Ellipsoid { a, b, c } => Shape::Ellipsoid { a, b, c },
            ShapeToml::Prism { x, y, z } => Shape::Prism { x, y, z },
        };
        let mut spec = MacrospinSpec::new(m.ms, m.alpha, shape);
        spec.gamma = m.gamma.unwrap_or(GAMMA_E);
        spec.demag = m.demag;
        spec.m0 = m.m0;
        spec.uniaxial = self.anisotropy.uniaxial.as_ref().map(|u| UniaxialSpec {
            ku: u.ku,
            k2: u.k2,
            axis: u.axis,
        });
        spec.cubic = self.anisotropy.cubic.as_ref().map(|c| CubicSpec {
            k1: c.k1,
            k2: c.k2,
            axis1: c.axis1,
            axis2: c.axis2,
        });
        spec.applied = self.field.applied;
        for (i, d) in self.field.drive.iter().enumerate() {
            let n = (d.axis[0] * d.axis[0] + d.axis[1] * d.axis[1] + d.axis[2] * d.axis[2]).sqrt();
            if !(n.is_finite() && n > 0.0) {
                return Err(src.at_key(
                    "field.drive.axis",
                    format!("field.drive[{i}].axis must be a finite, non-zero vector"),
                ));
            }
            let fd = FieldDrive {
                amplitude: d.axis.map(|c| c / n),
                waveform: d.waveform.to_spec("field.drive")?,
            };
            spec.drives.push(fd).map_err(|_| {
                src.at_key("field.drive", "field.drive: at most 4 drives are allowed")
            })?;
        }
        if let Some(th) = &self.thermal {
            spec.thermal = Some(ThermalSpec {
                temperature: th.temperature.to_spec("thermal.temperature")?,
            });
        }
        if let Some(stt) = &self.stt {
            let current = match (&stt.current_density, &stt.voltage, &stt.mtj) {
                (Some(j), None, _) => CurrentSpec::Density(j.to_spec("stt.current_density")?),
                (None, Some(v), Some(mtj)) => {
                    let area = match (mtj.area, &m.shape) {
                        (Some(a), _) => a,
                        (None, ShapeToml::Disc { diameter, .. }) => {
                            0.25 * std::f64::consts::PI * diameter * diameter
                        }
                        _ => {
                            return Err(src.at_key("stt.mtj", "stt.mtj.area is required unless the shape is a disc"))
                        }
                    };
                    CurrentSpec::Voltage {
                        volts: v.to_spec("stt.voltage")?,
                        mtj: MtjSpec { r_p: mtj.r_p, tmr0: mtj.tmr0, v_half: mtj.v_half, area },
                    }
                }
                (None, Some(_), None) => {
                    return Err(src.at_key("stt.voltage", "stt.voltage needs an [stt.mtj] table (r_p, tmr0, v_half)"))
                }
                _ => {
                    return Err(src.at_key(
                        "stt",
                        "[stt] needs exactly one of current_density (A/m^2) or voltage (V, with [stt.mtj])",
                    ))
                }
            };
            spec.stt = Some(SttSpec {
                polarizer: stt.polarizer,
                polarization: stt.polarization,
                lambda: stt.lambda,
                field_like: stt.field_like,
                current,
                thickness: stt.thickness,
            });
        }
        if let Some(sot) = &self.sot {
            spec.sot = Some(SotSpec {
                sigma: sot.sigma,
                spin_hall_angle: sot.spin_hall_angle,
                field_like: sot.field_like,
                current_density: sot.current_density.to_spec("sot.current_density")?,
                thickness: sot.thickness,
            });
        }
        spec.validate().map_err(|e| src.kernel_error(&e))?;
        self.check_solver(src)?;
        self.check_times(src, &spec)?;
        Ok(spec)
    }

    /// The integration method: the one given, else Heun with a temperature, else RK4.
    pub fn method(&self) -> Method {
        self.solver.method.unwrap_or(if self.thermal.is_some() {
            Method::Heun
        } else {
            Method::Rk4
        })
    }

    /// Checks that every drive starts inside the run and the read time is inside it.
    fn check_times(&self, src: &Source<'_>, spec: &MacrospinSpec) -> Result<()> {
        let dur = self.solver.duration;
        let mut drives: Vec<(&str, &DriveSpec)> = Vec::new();
        if let Some(stt) = &spec.stt {
            match &stt.current {
                CurrentSpec::Density(d) => drives.push(("stt.current_density", d)),
                CurrentSpec::Voltage { volts, .. } => drives.push(("stt.voltage", volts)),
            }
        }
        if let Some(sot) = &spec.sot {
            drives.push(("sot.current_density", &sot.current_density));
        }
        if let Some(th) = &spec.thermal {
            drives.push(("thermal.temperature", &th.temperature));
        }
        for d in &spec.drives {
            drives.push(("field.drive", &d.waveform));
        }
        for (key, d) in drives {
            let start = d.start_time();
            if !matches!(d, DriveSpec::Constant(_)) && start >= dur {
                return Err(src.at_key(
                    key,
                    format!(
                        "{key} starts at {start:e} s, outside the run: allowed start < solver.duration ({dur:e} s)"
                    ),
                ));
            }
        }
        if let Some(sw) = &self.switching {
            let n = (sw.initial.iter().map(|c| c * c).sum::<f64>()).sqrt();
            if !(n.is_finite() && n > 0.0) {
                return Err(src.at_key(
                    "switching.initial",
                    "switching.initial must be a finite, non-zero vector",
                ));
            }
            if !(sw.read_time.is_finite() && sw.read_time > 0.0 && sw.read_time <= dur) {
                return Err(src.at_key(
                    "switching.read_time",
                    format!(
                        "switching.read_time = {} is out of range: allowed (0, solver.duration = {dur:e} s]",
                        sw.read_time
                    ),
                ));
            }
        }
        Ok(())
    }

    fn check_solver(&self, src: &Source<'_>) -> Result<()> {
        let s = &self.solver;
        let method = self.method();
        if self.thermal.is_some() && matches!(method, Method::Rk4 | Method::Dopri45) {
            return Err(src.at_key(
                "solver.method",
                format!(
                    "solver.method = \"{}\" cannot integrate a thermal run (noise must be held over a step, Stratonovich): allowed \"heun\" (default with [thermal]) or \"midpoint\"",
                    method.name()
                ),
            ));
        }
        if !(s.dt.is_finite() && s.dt > 0.0) {
            return Err(src.at_key(
                "solver.dt",
                format!("solver.dt = {} is out of range: allowed > 0 s", s.dt),
            ));
        }
        if !(s.duration.is_finite() && s.duration >= s.dt) {
            return Err(src.at_key(
                "solver.duration",
                format!(
                    "solver.duration = {:e} is out of range: allowed >= solver.dt ({:e} s)",
                    s.duration, s.dt
                ),
            ));
        }
        let steps = s.duration / s.dt;
        if method != Method::Dopri45 && steps > 1e10 {
            return Err(src.at_key(
                "solver.duration",
                format!("solver.duration / solver.dt = {steps:e} steps: allowed <= 1e10"),
            ));
        }
        for (key, v) in [("solver.atol", s.atol), ("solver.rtol", s.rtol)] {
            if let Some(v) = v {
                if !(v.is_finite() && v > 0.0) {
                    return Err(
                        src.at_key(key, format!("{key} = {v:e} is out of range: allowed > 0"))
                    );
                }
                if method != Method::Dopri45 {
                    return Err(
                        src.at_key(key, format!("{key} applies only to method = \"dopri45\""))
                    );
                }
            }
        }
        for (i, e) in self.events.iter().enumerate() {
            if !(e.threshold.is_finite() && (-1.0..=1.0).contains(&e.threshold)) {
                return Err(src.at_key(
                    "events.threshold",
                    format!(
                        "events[{i}].threshold = {} is out of range: allowed [-1, 1]",
                        e.threshold
                    ),
                ));
            }
        }
        Ok(())
    }
}

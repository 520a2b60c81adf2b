//! Scenario stage, schema: the TOML tables of a scenario file (SI units) as serde types. Every
//! key is documented in `examples/README.md`. Nothing outside `scenario/` reads these types:
//! lowering turns them into the kernel's spec and the host's run plan.

use serde::{Deserialize, Deserializer};

pub use crate::scenario::waveform::{DriveToml, WaveformToml};

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
    /// Moment of inertia (inertial LLG).
    pub inertia: Option<InertiaToml>,
    /// How a trial counts as switched (ensembles).
    pub switching: Option<SwitchingToml>,
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
    #[serde(deserialize_with = "vec3")]
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
    #[serde(deserialize_with = "vec3")]
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

/// `[inertia]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InertiaToml {
    /// Angular-momentum relaxation time tau (s), > 0; `eta = alpha tau`.
    pub tau: f64,
}

/// `[switching]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SwitchingToml {
    /// Old spelling of the initial direction: the canonical key is `[magnet] m0`. Accepted
    /// when it gives the same direction as `m0`; a contradiction is refused at lowering.
    #[serde(default, deserialize_with = "opt_vec3")]
    pub initial: Option<[f64; 3]>,
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
    #[serde(default, deserialize_with = "opt_vec3")]
    pub demag: Option<[f64; 3]>,
    /// Initial direction (of `run` and of every ensemble trial; the canonical key).
    #[serde(deserialize_with = "vec3")]
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
    #[serde(deserialize_with = "vec3")]
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
    #[serde(deserialize_with = "vec3")]
    pub axis1: [f64; 3],
    /// Second axis.
    #[serde(default = "y_axis")]
    #[serde(deserialize_with = "vec3")]
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
    #[serde(deserialize_with = "vec3")]
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
    #[serde(deserialize_with = "vec3")]
    pub axis: [f64; 3],
    /// The waveform, in tesla.
    #[serde(flatten)]
    pub waveform: WaveformToml,
}

/// `[solver]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SolverToml {
    /// `rk4 | heun | dopri45 | dop853 | midpoint`; default `heun` with `[thermal]`, else `rk4`.
    pub method: Option<Method>,
    /// Time step (s); the first try for dopri45.
    pub dt: f64,
    /// Simulated time (s).
    pub duration: f64,
    /// dopri45 absolute tolerance.
    pub atol: Option<f64>,
    /// dopri45 relative tolerance.
    pub rtol: Option<f64>,
    /// dopri45: most accepted steps before the run stops with an error.
    pub max_steps: Option<u64>,
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
    /// Adaptive Dormand-Prince 8(5,3) (Hairer's DOP853).
    Dop853,
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
            Method::Dop853 => "dop853",
            Method::Midpoint => "midpoint",
        }
    }
    /// `true` for the adaptive methods (dopri45, dop853): `dt` is the first try, and the
    /// tolerances and `max_steps` apply.
    pub fn adaptive(self) -> bool {
        matches!(self, Method::Dopri45 | Method::Dop853)
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

/// A vector `[x, y, z]`: exactly three numbers (serde's fixed-size arrays would ignore a fourth).
fn vec3<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<[f64; 3], D::Error> {
    let v = Vec::<f64>::deserialize(d)?;
    <[f64; 3]>::try_from(v.as_slice()).map_err(|_| {
        serde::de::Error::custom(format!(
            "expected a vector of exactly 3 numbers [x, y, z], found {} numbers",
            v.len()
        ))
    })
}

/// An optional vector `[x, y, z]` (see [`vec3`]).
fn opt_vec3<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<[f64; 3]>, D::Error> {
    vec3(d).map(Some)
}

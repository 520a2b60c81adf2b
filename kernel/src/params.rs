//! SI parameters of a macrospin, validated in one place and compiled into a dimensionless model.
//!
//! Parameter names in errors are the scenario-file keys (`magnet.ms`, `anisotropy.uniaxial.axis`,
//! ...), so a user sees exactly which key to fix and what range is allowed.

use crate::drive::DriveSpec;
use crate::error::{check_direction, check_finite, check_min, check_range, check_vec, Error};
use crate::field::{
    shape, ConstantZeeman, Cubic, Demag, Uniaxial, UniaxialK1, Zeeman, ZEEMAN_DRIVES,
};

use crate::field::FieldTerm;
use crate::inertial::InertialLlg;
use crate::integrate::{Crossing, Integrator, Observer, RunStats};
use crate::llg::Llg;
use crate::mtj::MtjSpec;
use crate::random::NormalSource;
use crate::real::Real;
use crate::stepper::Stepper;
use crate::thermal::Thermal;
use crate::torque::{Current, Efficiency, SpinTorque};
use crate::units::{Units, E_CHARGE, GAMMA_E, HBAR, KB, MU0};
use crate::vec3::Vec3;

/// Geometry of the magnet: sets its volume and, unless factors are given, its demag tensor.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Shape {
    /// Only a volume (m^3); no demag term unless factors are given.
    Volume(f64),
    /// Circular disc / cylinder with its axis along z.
    Disc {
        /// Diameter (m).
        diameter: f64,
        /// Thickness (m).
        thickness: f64,
    },
    /// Ellipsoid with semi-axes along x, y, z (m).
    Ellipsoid {
        /// Semi-axis along x.
        a: f64,
        /// Semi-axis along y.
        b: f64,
        /// Semi-axis along z.
        c: f64,
    },
    /// Rectangular prism with edges along x, y, z (m).
    Prism {
        /// Edge along x.
        x: f64,
        /// Edge along y.
        y: f64,
        /// Edge along z.
        z: f64,
    },
}

impl Shape {
    /// Volume in m^3 (validated).
    ///
    /// # Errors
    /// [`Error::OutOfRange`] naming the `magnet.shape` key of a dimension that is not finite and
    /// > 0.
    pub fn volume(&self) -> Result<f64, Error> {
        let pi = core::f64::consts::PI;
        let v = match *self {
            Shape::Volume(v) => v,
            Shape::Disc {
                diameter,
                thickness,
            } => {
                check_min("shape.disc.diameter", diameter, 0.0, false, "> 0 m")?;
                check_min("shape.disc.thickness", thickness, 0.0, false, "> 0 m")?;
                0.25 * pi * diameter * diameter * thickness
            }
            Shape::Ellipsoid { a, b, c } => {
                check_min("shape.ellipsoid.a", a, 0.0, false, "> 0 m")?;
                check_min("shape.ellipsoid.b", b, 0.0, false, "> 0 m")?;
                check_min("shape.ellipsoid.c", c, 0.0, false, "> 0 m")?;
                4.0 / 3.0 * pi * a * b * c
            }
            Shape::Prism { x, y, z } => {
                check_min("shape.prism.x", x, 0.0, false, "> 0 m")?;
                check_min("shape.prism.y", y, 0.0, false, "> 0 m")?;
                check_min("shape.prism.z", z, 0.0, false, "> 0 m")?;
                x * y * z
            }
        };
        check_min("magnet.shape", v, 0.0, false, "a volume > 0 m^3")
    }

    /// Demagnetising factors of the shape, `None` for a bare volume.
    ///
    /// # Errors
    /// As [`Shape::volume`], and [`Error::OutOfRange`] if the factors of an extreme aspect ratio
    /// are not finite.
    pub fn demag_factors(&self) -> Result<Option<[f64; 3]>, Error> {
        self.volume()?;
        let n = match *self {
            Shape::Volume(_) => None,
            Shape::Disc {
                diameter,
                thickness,
            } => Some(shape::cylinder(diameter, thickness)?),
            Shape::Ellipsoid { a, b, c } => Some(shape::ellipsoid(a, b, c)?),
            Shape::Prism { x, y, z } => Some(shape::prism(x, y, z)?),
        };
        match n {
            Some(f) if f.iter().any(|x| !x.is_finite()) => {
                let d = match *self {
                    Shape::Disc {
                        diameter,
                        thickness,
                    } => [diameter, diameter, thickness],
                    Shape::Ellipsoid { a, b, c } => [a, b, c],
                    Shape::Prism { x, y, z } => [x, y, z],
                    Shape::Volume(_) => [1.0; 3],
                };
                let ratio = d[0].max(d[1]).max(d[2]) / d[0].min(d[1]).min(d[2]);
                Err(Error::OutOfRange {
                    param: "magnet.shape",
                    value: ratio,
                    allowed: "an aspect ratio whose demagnetising factors compute finite: give magnet.demag for this shape",
                })
            }
            _ => Ok(n),
        }
    }
}

/// Uniaxial anisotropy in SI.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct UniaxialSpec {
    /// K1 (J/m^3); > 0 easy axis, < 0 easy plane.
    pub ku: f64,
    /// K2 (J/m^3).
    pub k2: f64,
    /// Axis (any non-zero vector; normalised).
    pub axis: [f64; 3],
}

/// Cubic anisotropy in SI.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct CubicSpec {
    /// K1 (J/m^3).
    pub k1: f64,
    /// K2 (J/m^3).
    pub k2: f64,
    /// First cubic axis (normalised).
    pub axis1: [f64; 3],
    /// Second cubic axis, orthogonal to the first (normalised); the third is their cross product.
    pub axis2: [f64; 3],
}

/// A time-dependent part of the applied field: `amplitude` (mu0 H, tesla) times a waveform.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldDrive {
    /// Field vector (T) multiplied by the waveform.
    pub amplitude: [f64; 3],
    /// Waveform.
    pub waveform: DriveSpec,
}

/// Thermal fluctuations: a temperature waveform in kelvin.
#[derive(Clone, Debug, PartialEq)]
pub struct ThermalSpec {
    /// Temperature (K), every value >= 0.
    pub temperature: DriveSpec,
}

/// Where a spin torque's current comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum CurrentSpec {
    /// Current density waveform (A/m^2).
    Density(DriveSpec),
    /// Voltage waveform (V) across an MTJ; the current follows the junction's resistance.
    Voltage {
        /// Voltage (V).
        volts: DriveSpec,
        /// The junction.
        mtj: MtjSpec,
    },
}

/// Slonczewski spin-transfer torque (see [`crate::torque`]).
#[derive(Clone, Debug, PartialEq)]
pub struct SttSpec {
    /// Polariser direction (normalised).
    pub polarizer: [f64; 3],
    /// Spin polarisation P in [0, 1].
    pub polarization: f64,
    /// Slonczewski asymmetry Lambda > 0 (1 = symmetric).
    pub lambda: f64,
    /// Field-like to damping-like ratio beta.
    pub field_like: f64,
    /// Current.
    pub current: CurrentSpec,
    /// Free-layer thickness d (m); from the shape when `None`.
    pub thickness: Option<f64>,
}

/// Moment of inertia of the magnetisation ([`crate::inertial`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InertiaSpec {
    /// Angular-momentum relaxation time tau (s), > 0; `eta = alpha tau`.
    pub tau: f64,
}

/// Spin-orbit torque from a spin Hall current in an adjacent heavy metal.
#[derive(Clone, Debug, PartialEq)]
pub struct SotSpec {
    /// Spin polarisation direction (normalised; `sigma` in the SOT literature; errors name it
    /// `sot.sigma`).
    pub spin_polarization: [f64; 3],
    /// Spin Hall angle theta_SH (any sign, |theta_SH| <= 1).
    pub spin_hall_angle: f64,
    /// Field-like to damping-like ratio.
    pub field_like: f64,
    /// Charge current density in the heavy metal (A/m^2).
    pub current_density: DriveSpec,
    /// Free-layer thickness d (m); from the shape when `None`.
    pub thickness: Option<f64>,
}

/// Everything that defines a macrospin, in SI units.
#[derive(Clone, Debug, PartialEq)]
pub struct MacrospinSpec {
    /// Saturation magnetisation (A/m), > 0.
    pub ms: f64,
    /// Gilbert damping, >= 0.
    pub alpha: f64,
    /// Gyromagnetic ratio (rad s^-1 T^-1), > 0.
    pub gamma: f64,
    /// Geometry.
    pub shape: Shape,
    /// Diagonal demag factors; computed from the shape when `None`.
    pub demag: Option<[f64; 3]>,
    /// Initial direction (normalised on compile).
    pub m0: [f64; 3],
    /// Uniaxial anisotropy.
    pub uniaxial: Option<UniaxialSpec>,
    /// Cubic anisotropy.
    pub cubic: Option<CubicSpec>,
    /// Constant applied field mu0 H (T).
    pub applied: [f64; 3],
    /// Time-dependent applied-field parts (at most [`ZEEMAN_DRIVES`]).
    pub drives: heapless::Vec<FieldDrive, ZEEMAN_DRIVES>,
    /// Thermal fluctuations (none: T = 0).
    pub thermal: Option<ThermalSpec>,
    /// Spin-transfer torque.
    pub stt: Option<SttSpec>,
    /// Spin-orbit torque.
    pub sot: Option<SotSpec>,
    /// Inertial dynamics (none: plain LLG).
    pub inertia: Option<InertiaSpec>,
}

impl MacrospinSpec {
    /// A spec with the given Ms, damping and shape, gamma = gamma_e, m0 = +z, nothing else.
    pub fn new(ms: f64, alpha: f64, shape: Shape) -> Self {
        Self {
            ms,
            alpha,
            gamma: GAMMA_E,
            shape,
            demag: None,
            m0: [0.0, 0.0, 1.0],
            uniaxial: None,
            cubic: None,
            applied: [0.0; 3],
            drives: heapless::Vec::new(),
            thermal: None,
            stt: None,
            sot: None,
            inertia: None,
        }
    }

    /// Free-layer thickness for the spin torques: the explicit value, else the shape's extent
    /// along z (disc thickness, prism z edge, ellipsoid 2c).
    fn thickness(&self, explicit: Option<f64>, param: &'static str) -> Result<f64, Error> {
        let d = match (explicit, self.shape) {
            (Some(d), _) => d,
            (None, Shape::Disc { thickness, .. }) => thickness,
            (None, Shape::Prism { z, .. }) => z,
            (None, Shape::Ellipsoid { c, .. }) => 2.0 * c,
            (None, Shape::Volume(_)) => {
                return Err(Error::Inconsistent {
                    what: "a spin torque needs the free-layer thickness: give stt.thickness / sot.thickness or a shape with a thickness",
                })
            }
        };
        check_min(param, d, 0.0, false, "> 0 m")
    }

    /// Validates every parameter once, into a [`Validated`] spec (with its unit system, volume
    /// and demag factors) that nothing can change afterwards.
    ///
    /// ```
    /// use larmor::params::{MacrospinSpec, Shape};
    /// let mut spec = MacrospinSpec::new(1e6, 0.01, Shape::Volume(1e-24));
    /// let valid = spec.validate().unwrap();
    /// assert_eq!(valid.volume(), 1e-24);
    /// spec.alpha = -1.0; // the raw spec can be edited; the validated copy cannot
    /// assert!(spec.validate().is_err());
    /// assert_eq!(valid.spec().alpha, 0.01);
    /// ```
    ///
    /// # Errors
    /// The first invalid parameter, as [`Error::OutOfRange`], [`Error::ZeroVector`],
    /// [`Error::NotOrthogonal`], [`Error::DemagSum`] or [`Error::Inconsistent`], naming its
    /// scenario key.
    pub fn validate(&self) -> Result<Validated, Error> {
        let (units, volume, demag) = self.check()?;
        Ok(Validated {
            spec: self.clone(),
            units,
            volume,
            demag,
        })
    }

    /// Every check of [`MacrospinSpec::validate`]; returns the unit system, volume and demag
    /// factors without copying the spec (a spec with its waveform tables is several KiB: the
    /// firmware compiles on a small stack).
    fn check(&self) -> Result<(Units, f64, Option<[f64; 3]>), Error> {
        let units = Units::new(self.ms, self.gamma)?;
        check_min("magnet.alpha", self.alpha, 0.0, true, ">= 0 (and finite)")?;
        let volume = self.shape.volume()?;
        let demag = match self.demag {
            Some(n) => Some(shape::check_factors(n)?),
            None => self.shape.demag_factors()?,
        };
        check_direction("magnet.m0", self.m0)?;
        if let Some(u) = &self.uniaxial {
            check_finite("anisotropy.uniaxial.ku", u.ku)?;
            check_finite("anisotropy.uniaxial.k2", u.k2)?;
            check_direction("anisotropy.uniaxial.axis", u.axis)?;
        }
        if let Some(c) = &self.cubic {
            check_finite("anisotropy.cubic.k1", c.k1)?;
            check_finite("anisotropy.cubic.k2", c.k2)?;
            let a = check_direction("anisotropy.cubic.axis1", c.axis1)?;
            let b = check_direction("anisotropy.cubic.axis2", c.axis2)?;
            let dot = (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]).abs();
            if dot > 1e-6 {
                return Err(Error::NotOrthogonal {
                    param: "anisotropy.cubic.axis2",
                    dot,
                });
            }
        }
        check_vec("field.applied", self.applied)?;
        for d in &self.drives {
            check_vec("field.drive.amplitude", d.amplitude)?;
            d.waveform.validate("field.drive")?;
        }
        if let Some(th) = &self.thermal {
            th.temperature.validate("thermal.temperature")?;
            let (lo, _) = th.temperature.range();
            check_min("thermal.temperature", lo, 0.0, true, ">= 0 K")?;
        }
        if let Some(stt) = &self.stt {
            check_direction("stt.polarizer", stt.polarizer)?;
            check_range("stt.polarization", stt.polarization, 0.0, 1.0, "[0, 1]")?;
            check_min("stt.lambda", stt.lambda, 0.0, false, "> 0")?;
            check_finite("stt.field_like", stt.field_like)?;
            match &stt.current {
                CurrentSpec::Density(d) => d.validate("stt.current_density")?,
                CurrentSpec::Voltage { volts, mtj } => {
                    volts.validate("stt.voltage")?;
                    mtj.compile::<f64>()?;
                }
            }
            self.thickness(stt.thickness, "stt.thickness")?;
        }
        if let Some(sot) = &self.sot {
            check_direction("sot.sigma", sot.spin_polarization)?;
            check_range(
                "sot.spin_hall_angle",
                sot.spin_hall_angle,
                -1.0,
                1.0,
                "[-1, 1]",
            )?;
            check_finite("sot.field_like", sot.field_like)?;
            sot.current_density.validate("sot.current_density")?;
            self.thickness(sot.thickness, "sot.thickness")?;
        }
        if let Some(i) = &self.inertia {
            check_min("inertia.tau", i.tau, 0.0, false, "> 0 s")?;
            check_min(
                "magnet.alpha",
                self.alpha,
                0.0,
                false,
                "> 0 with [inertia] (eta = alpha tau)",
            )?;
            if self.thermal.is_some() || self.stt.is_some() || self.sot.is_some() {
                return Err(Error::Inconsistent {
                    what: "[inertia] does not combine with [thermal], [stt] or [sot] yet",
                });
            }
        }
        Ok((units, volume, demag))
    }

    /// Refuses values whose reduced form the scalar `S` cannot hold (an f32 overflows to
    /// infinity above 3.4e38, I6F26 saturates at 32): the applied field and its drives'
    /// amplitudes, the anisotropy constants and the Gilbert damping.
    fn check_representable<S: Real>(&self, units: &Units) -> Result<(), Error> {
        let fits = |param: &'static str, si: f64, reduced: f64| {
            let back = S::from_f64(reduced).to_f64();
            let ok = back.is_finite() && (back - reduced).abs() <= 1e-3 * reduced.abs() + 1e-6;
            if ok {
                Ok(())
            } else {
                Err(Error::OutOfRange {
                    param,
                    value: si,
                    allowed: "a value whose reduced form the model scalar holds (see --precision)",
                })
            }
        };
        let tesla = |param, b: f64| (param, b, units.tesla_to_reduced(b));
        let density = |param, k: f64| (param, k, units.energy_density_to_reduced(k));
        let drives = self.drives.iter().flat_map(|d| d.amplitude);
        let uniaxial = self.uniaxial.iter().flat_map(|u| {
            [
                density("anisotropy.uniaxial.ku", u.ku),
                density("anisotropy.uniaxial.k2", u.k2),
            ]
        });
        let cubic = self.cubic.iter().flat_map(|c| {
            [
                density("anisotropy.cubic.k1", c.k1),
                density("anisotropy.cubic.k2", c.k2),
            ]
        });
        self.applied
            .iter()
            .map(|&b| tesla("field.applied", b))
            .chain(drives.map(|b| tesla("field.drive.amplitude", b)))
            .chain(uniaxial)
            .chain(cubic)
            .try_for_each(|(param, si, reduced)| fits(param, si, reduced))?;
        fits("magnet.alpha", self.alpha, self.alpha)
    }

    /// Validates and compiles into a dimensionless model for scalar `S`
    /// ([`MacrospinSpec::validate`], then [`Validated::compile`]).
    ///
    /// ```
    /// use larmor::params::{MacrospinSpec, Shape};
    /// let spec = MacrospinSpec::new(1e6, 0.01, Shape::Disc { diameter: 40e-9, thickness: 1.5e-9 });
    /// let model = spec.compile::<f32>().unwrap();
    /// assert!(model.demag.unwrap()[2] > 0.9);
    /// ```
    ///
    /// # Errors
    /// As [`MacrospinSpec::validate`] and [`Validated::compile`].
    pub fn compile<S: Real>(&self) -> Result<Macrospin<S>, Error> {
        let (units, volume, demag) = self.check()?;
        self.compile_checked(units, volume, demag)
    }
}

/// A [`MacrospinSpec`] every parameter of which has passed [`MacrospinSpec::validate`], with
/// the unit system, volume and demag factors derived from it. It can be made no other way and
/// changed by nobody: read the spec with [`Validated::spec`]; to change a value, clone the
/// spec, change it and validate again. Compiling it ([`Validated::compile`]) can then fail only
/// because the model scalar cannot hold a value.
#[derive(Clone, Debug, PartialEq)]
pub struct Validated {
    spec: MacrospinSpec,
    units: Units,
    volume: f64,
    demag: Option<[f64; 3]>,
}

impl Validated {
    /// The validated SI parameters (read only).
    pub fn spec(&self) -> &MacrospinSpec {
        &self.spec
    }

    /// The unit system (reference field Ms, time unit `1/(gamma mu0 Ms)`).
    pub fn units(&self) -> Units {
        self.units
    }

    /// Volume (m^3).
    pub fn volume(&self) -> f64 {
        self.volume
    }

    /// Demagnetising factors (given or computed from the shape), if any.
    pub fn demag(&self) -> Option<[f64; 3]> {
        self.demag
    }

    /// Compiles into a dimensionless model for scalar `S`.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for a field, anisotropy constant or damping that `S` cannot
    /// represent (named by its key).
    pub fn compile<S: Real>(&self) -> Result<Macrospin<S>, Error> {
        self.spec
            .compile_checked(self.units, self.volume, self.demag)
    }
}

impl MacrospinSpec {
    /// Compiles a spec that passed [`MacrospinSpec::check`] (with its results).
    fn compile_checked<S: Real>(
        &self,
        units: Units,
        volume: f64,
        demag: Option<[f64; 3]>,
    ) -> Result<Macrospin<S>, Error> {
        let spec = self;
        spec.check_representable::<S>(&units)?;
        let red_t = |b: [f64; 3]| Vec3::<S>::from_f64(b.map(|x| units.tesla_to_reduced(x)));
        let mut zeeman = Zeeman::constant(red_t(spec.applied));
        for d in &spec.drives {
            zeeman = zeeman
                .with_drive(red_t(d.amplitude), d.waveform.compile(&units))
                .map_err(|_| Error::Capacity {
                    what: "field.drive",
                    capacity: ZEEMAN_DRIVES,
                })?;
        }
        let uniaxial = spec.uniaxial.map(|u| {
            let axis = check_direction("", u.axis).unwrap_or([0.0, 0.0, 1.0]);
            Uniaxial::new(
                S::from_f64(units.energy_density_to_reduced(u.ku)),
                S::from_f64(units.energy_density_to_reduced(u.k2)),
                Vec3::from_f64(axis),
            )
        });
        let cubic = spec.cubic.map(|c| {
            let a = check_direction("", c.axis1).unwrap_or([1.0, 0.0, 0.0]);
            let b = check_direction("", c.axis2).unwrap_or([0.0, 1.0, 0.0]);
            Cubic::new(
                S::from_f64(units.energy_density_to_reduced(c.k1)),
                S::from_f64(units.energy_density_to_reduced(c.k2)),
                Vec3::from_f64(a),
                Vec3::from_f64(b),
            )
        });
        let demag_term = demag.map(|n| Demag::new(Vec3::from_f64(n)));
        let m0 = Vec3::from_f64(check_direction("magnet.m0", spec.m0)?);
        // reduced torque strength per A/m^2: b = hbar J / (mu0 e Ms^2 d)
        let b_per_j = |d: f64| HBAR / (MU0 * E_CHARGE * spec.ms * spec.ms * d);
        let alpha = S::from_f64(spec.alpha);
        let stt = match &spec.stt {
            Some(stt) => {
                let d = spec.thickness(stt.thickness, "stt.thickness")?;
                let p = Vec3::from_f64(check_direction("stt.polarizer", stt.polarizer)?);
                let current = match &stt.current {
                    CurrentSpec::Density(j) => {
                        Current::Density(j.scaled(b_per_j(d)).compile(&units))
                    }
                    CurrentSpec::Voltage { volts, mtj } => Current::Voltage {
                        volts: volts.compile(&units),
                        mtj: mtj.compile()?,
                        b_per_tj: S::from_f64(b_per_j(d) * 1e12),
                    },
                };
                Some(SpinTorque::new(
                    p,
                    Efficiency::slonczewski(S::from_f64(stt.polarization), S::from_f64(stt.lambda)),
                    current,
                    alpha,
                    S::from_f64(stt.field_like),
                ))
            }
            None => None,
        };
        let sot = match &spec.sot {
            Some(sot) => {
                let d = spec.thickness(sot.thickness, "sot.thickness")?;
                Some(SpinTorque::new(
                    Vec3::from_f64(check_direction("sot.sigma", sot.spin_polarization)?),
                    Efficiency::Constant(S::from_f64(0.5 * sot.spin_hall_angle)),
                    Current::Density(sot.current_density.scaled(b_per_j(d)).compile(&units)),
                    alpha,
                    S::from_f64(sot.field_like),
                ))
            }
            None => None,
        };
        let thermal = spec.thermal.as_ref().map(|th| {
            let d_per_k = spec.alpha * KB / (MU0 * spec.ms * spec.ms * volume);
            Thermal::new(S::from_f64(d_per_k), th.temperature.compile(&units))
        });
        Ok(Macrospin {
            units,
            volume,
            demag,
            m0,
            llg: Llg::with_torque(alpha, (zeeman, demag_term, uniaxial, cubic), (stt, sot)),
            thermal,
            inertia_tau: spec.inertia.map(|i| units.time_to_reduced(i.tau)),
        })
    }
}

/// Field terms of a macrospin, in a fixed order: Zeeman, demag, uniaxial, cubic (the terms
/// with the longest arithmetic come last, so the sum waits for them only once).
pub type MacrospinTerms<S> = (
    Zeeman<S>,
    Option<Demag<S>>,
    Option<Uniaxial<S>>,
    Option<Cubic<S>>,
);

/// The common macrospin (constant field, demag, K1-only uniaxial) as one concrete type: the same
/// terms in the same order as [`MacrospinTerms`], so the same bits, without the per-stage checks
/// of absent terms and drives (see [`Macrospin::lean`]).
pub type LeanTerms<S> = (ConstantZeeman<S>, Demag<S>, UniaxialK1<S>);

/// Torques of a macrospin: spin-transfer, spin-orbit.
pub type MacrospinTorques<S> = (Option<SpinTorque<S>>, Option<SpinTorque<S>>);

/// A compiled macrospin: the dimensionless LLG system plus what is needed to go back to SI.
#[derive(Clone, Debug, PartialEq)]
pub struct Macrospin<S> {
    /// Unit system (SI <-> reduced).
    pub units: Units,
    /// Volume (m^3).
    pub volume: f64,
    /// Demag factors in use (`None`: no demag term).
    pub demag: Option<[f64; 3]>,
    /// Initial direction (unit).
    pub m0: Vec3<S>,
    /// The equation of motion.
    pub llg: Llg<S, MacrospinTerms<S>, MacrospinTorques<S>>,
    /// Brown's thermal field (`None` at T = 0).
    pub thermal: Option<Thermal<S, 1>>,
    /// Reduced inertial relaxation time (`None`: plain LLG).
    pub inertia_tau: Option<f64>,
}

/// The time span of a whole run in reduced time: start, end, and the step (the first try for
/// an adaptive stepper). One value, so that the three adjacent numbers cannot be swapped.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Span {
    /// Start.
    pub t0: f64,
    /// End.
    pub t_end: f64,
    /// Step.
    pub dt: f64,
}

impl<S: Real> Macrospin<S> {
    /// Integrates this magnet over `span` (reduced time) with an [`Integrator`]: with
    /// Brown's thermal field from `rng` when it has a temperature ([`Integrator::thermal`]),
    /// deterministically otherwise (`rng` unused), on the [`Macrospin::lean`] concrete model when there is
    /// one (same bits, fewer instructions per step).
    ///
    /// ```
    /// use larmor::params::{MacrospinSpec, Shape, Span};
    /// use larmor::{random::Philox, stepper::Rk4};
    /// let model = MacrospinSpec::new(1e6, 0.1, Shape::Volume(1e-24)).compile::<f64>().unwrap();
    /// let mut m = [model.m0];
    /// let span = Span { t0: 0.0, t_end: 1.0, dt: 0.01 };
    /// let s = model.integrate(&mut Philox::new(0, 0), Rk4::new(), &mut m, span, &mut [], &mut ()).unwrap();
    /// assert_eq!(s.steps, 100);
    /// ```
    ///
    /// # Errors
    /// As [`Integrator::new`], [`Integrator::thermal`] and [`Integrator::advance_to`]; `m` holds
    /// the last good state.
    pub fn integrate<R, St, O>(
        &self,
        rng: &mut R,
        stepper: St,
        m: &mut [Vec3<S>; 1],
        span: Span,
        events: &mut [Crossing],
        obs: &mut O,
    ) -> Result<RunStats, Error>
    where
        R: ?Sized,
        for<'r> &'r mut R: NormalSource<S>,
        St: Stepper<S, 1>,
        O: Observer<S>,
    {
        if self.inertia_tau.is_some() {
            return Err(Error::Inconsistent {
                what: "this model has [inertia]: integrate Macrospin::inertial (state (m, dm/dt)), not the plain LLG",
            });
        }
        match self.lean() {
            Some(lean) => self.integrate_system(lean, rng, stepper, m, span, events, obs),
            None => self.integrate_system(self.llg.clone(), rng, stepper, m, span, events, obs),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn integrate_system<F, R, St, O>(
        &self,
        llg: Llg<S, F, MacrospinTorques<S>>,
        rng: &mut R,
        stepper: St,
        m: &mut [Vec3<S>; 1],
        span: Span,
        events: &mut [Crossing],
        obs: &mut O,
    ) -> Result<RunStats, Error>
    where
        F: FieldTerm<S>,
        R: ?Sized,
        for<'r> &'r mut R: NormalSource<S>,
        St: Stepper<S, 1>,
        O: Observer<S>,
    {
        let Span { t0, t_end, dt } = span;
        match &self.thermal {
            Some(th) => Integrator::thermal(llg, stepper, *m, dt, th.clone(), rng)?.run_span(
                m,
                (t0, t_end),
                events,
                obs,
            ),
            None => Integrator::new(llg, stepper, *m, dt)?.run_span(m, (t0, t_end), events, obs),
        }
    }
}

impl<S: Real> Macrospin<S> {
    /// The same equation of motion as a concrete [`LeanTerms`] system when the model has a
    /// constant applied field, a demag term and a K1-only uniaxial term and no cubic term
    /// (the usual MRAM free layer); `None` otherwise. Results are bit-identical to
    /// [`Macrospin::llg`]; integrating it skips the per-stage checks of absent terms, which is
    /// what the host and the firmware use in their hot loops.
    ///
    /// ```
    /// use larmor::params::{MacrospinSpec, Shape, UniaxialSpec};
    /// let mut spec = MacrospinSpec::new(1e6, 0.01, Shape::Disc { diameter: 40e-9, thickness: 1.5e-9 });
    /// spec.uniaxial = Some(UniaxialSpec { ku: 8e5, k2: 0.0, axis: [0.0, 0.0, 1.0] });
    /// let model = spec.compile::<f64>().unwrap();
    /// assert!(model.lean().is_some());
    /// ```
    pub fn lean(&self) -> Option<Llg<S, LeanTerms<S>, MacrospinTorques<S>>> {
        let (zeeman, demag, uniaxial, cubic) = &self.llg.terms;
        if cubic.is_some() {
            return None;
        }
        Some(Llg::with_torque(
            self.llg.alpha(),
            (
                ConstantZeeman::from_zeeman(zeeman)?,
                (*demag)?,
                UniaxialK1::from_uniaxial(uniaxial.as_ref()?)?,
            ),
            self.llg.torque.clone(),
        ))
    }

    /// The inertial equation of motion when the spec has `[inertia]`, with the initial state
    /// `[m0, v0]` (`v0` the Landau-Lifshitz velocity at `m0`: consistent with the field, so
    /// nutation starts from the inertial lag only); `None` for plain LLG.
    ///
    /// # Errors
    /// As [`InertialLlg::new`] (a reduced `tau` the scalar cannot hold).
    #[allow(clippy::type_complexity)]
    pub fn inertial(
        &self,
    ) -> Option<Result<(InertialLlg<S, MacrospinTerms<S>>, [Vec3<S>; 2]), Error>> {
        let tau = self.inertia_tau?;
        Some(
            InertialLlg::new(self.llg.alpha(), self.llg.terms.clone(), S::from_f64(tau)).map(
                |sys| {
                    let v0 = sys.llg_velocity(self.m0);
                    (sys, [self.m0, v0])
                },
            ),
        )
    }

    /// Converts a reduced energy of this magnet to joules.
    pub fn energy_joules(&self, e: S) -> f64 {
        self.units.energy_to_joules(e.to_f64(), self.volume)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> MacrospinSpec {
        let mut s = MacrospinSpec::new(
            1e6,
            0.01,
            Shape::Disc {
                diameter: 40e-9,
                thickness: 1.5e-9,
            },
        );
        s.demag = Some([0.0, 0.0, 1.0]);
        s.uniaxial = Some(UniaxialSpec {
            ku: 8.783e5,
            k2: 0.0,
            axis: [0.0, 0.0, 2.0],
        });
        s
    }

    #[test]
    fn compiles_and_scales() {
        let m = base().compile::<f64>().unwrap();
        let u = m.llg.terms.2.unwrap();
        // k1 = Ku/(mu0 Ms^2) = 8.783e5 / 1.2566e6
        assert!((u.k1() - 8.783e5 / (crate::units::MU0 * 1e12)).abs() < 1e-12);
        assert_eq!(u.axis(), Vec3::Z);
        assert!((m.volume - 1.884_955_592e-24).abs() < 1e-32);
    }

    #[test]
    fn names_the_bad_parameter() {
        let mut s = base();
        s.alpha = -0.1;
        assert!(matches!(
            s.compile::<f64>(),
            Err(Error::OutOfRange {
                param: "magnet.alpha",
                ..
            })
        ));
        let mut s = base();
        s.uniaxial.as_mut().unwrap().axis = [0.0; 3];
        assert_eq!(
            s.compile::<f64>().unwrap_err(),
            Error::ZeroVector {
                param: "anisotropy.uniaxial.axis"
            }
        );
        let mut s = base();
        s.demag = Some([0.1, 0.1, 0.1]);
        assert!(matches!(s.compile::<f64>(), Err(Error::DemagSum { .. })));
        let mut s = base();
        s.cubic = Some(CubicSpec {
            k1: 1e4,
            k2: 0.0,
            axis1: [1.0, 0.0, 0.0],
            axis2: [1.0, 1.0, 0.0],
        });
        assert!(matches!(
            s.compile::<f64>(),
            Err(Error::NotOrthogonal { .. })
        ));
        let mut s = base();
        s.m0 = [f64::NAN, 0.0, 1.0];
        assert!(s.compile::<f64>().is_err());
    }

    #[test]
    fn lean_model_gives_the_same_bits() {
        use crate::drive::DriveSpec;
        use crate::random::Philox;
        use crate::stepper::{Heun, Rk4};
        let mut s = base();
        s.applied = [0.05, 0.0, 0.0866];
        s.m0 = [0.1, 0.0, -1.0];
        s.stt = Some(SttSpec {
            polarizer: [0.0, 0.0, 1.0],
            polarization: 0.6,
            lambda: 1.2,
            field_like: 0.1,
            current: CurrentSpec::Density(DriveSpec::Pulse {
                amplitude: 1e11,
                start: 1e-11,
                duration: 5e-11,
                rise: 0.0,
                fall: 0.0,
            }),
            thickness: None,
        });
        s.thermal = Some(ThermalSpec {
            temperature: DriveSpec::Constant(300.0),
        });
        let model = s.compile::<f64>().unwrap();
        let lean = model.lean().expect("standard layer specialises");
        let (dt, t_end) = (0.02, 40.0);
        let mut a = Integrator::new(model.llg.clone(), Rk4::new(), [model.m0], dt).unwrap();
        let mut b = Integrator::new(lean.clone(), Rk4::new(), [model.m0], dt).unwrap();
        a.advance_to(t_end).unwrap();
        b.advance_to(t_end).unwrap();
        let bits = |m: &[Vec3<f64>]| m[0].to_f64().map(f64::to_bits);
        assert_eq!(bits(a.state()), bits(b.state()));
        let th = model.thermal.clone().unwrap();
        let mut a = Integrator::thermal(
            model.llg.clone(),
            Heun::new(),
            [model.m0],
            dt,
            th.clone(),
            Philox::new(1, 2),
        )
        .unwrap();
        let mut b =
            Integrator::thermal(lean, Heun::new(), [model.m0], dt, th, Philox::new(1, 2)).unwrap();
        a.advance_to(t_end).unwrap();
        b.advance_to(t_end).unwrap();
        let (a, b) = (a.state(), b.state());
        assert_eq!(
            a[0].to_f64().map(f64::to_bits),
            b[0].to_f64().map(f64::to_bits)
        );
        // a cubic term or a driven field keeps the generic model
        let mut c = base();
        c.cubic = Some(CubicSpec {
            k1: 1e4,
            k2: 0.0,
            axis1: [1.0, 0.0, 0.0],
            axis2: [0.0, 1.0, 0.0],
        });
        assert!(c.compile::<f64>().unwrap().lean().is_none());
    }
}

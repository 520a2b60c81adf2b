//! # Larmor: magnetization dynamics for microcontrollers and workstations
//!
//! A `no_std`, allocation-free kernel for Landau-Lifshitz-Gilbert dynamics of macrospins and small
//! spin lattices, generic over the scalar type ([`Real`]: f32, f64, fixed-point).
//!
//! Data flow: SI parameters ([`params::MacrospinSpec`]) are validated and compiled into a
//! dimensionless model ([`params::Macrospin`], reduced units of [`units`]); the model's dynamics
//! declares the geometry of its state ([`state`]); an [`integrate::Integrator`] owns the
//! dynamics, a [`stepper::Stepper`], the state, the clock (device time) and the events, and
//! advances them on request (`step`, `advance_to`, `run_to`, checkpoint and restore).
//!
//! ```
//! use larmor::params::{MacrospinSpec, Shape, UniaxialSpec};
//! use larmor::{integrate::Integrator, stepper::Rk4};
//!
//! let mut spec = MacrospinSpec::new(1e6, 0.1, Shape::Volume(1e-24));
//! spec.uniaxial = Some(UniaxialSpec { ku: 5e5, k2: 0.0, axis: [0.0, 0.0, 1.0] });
//! spec.m0 = [1.0, 0.0, 0.1];
//! let model = spec.compile::<f64>().unwrap();
//! let mut run = Integrator::new(model.llg, Rk4::new(), [model.m0], 0.02).unwrap();
//! run.advance_to(model.units.time_to_reduced(2e-9)).unwrap();
//! assert!(run.state()[0].z > 0.999); // relaxed onto the easy axis
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Numerical loops index several arrays with one spin index; iterator zips would hide that.
#![allow(clippy::needless_range_loop)]

pub mod arrhenius;
pub mod drive;
pub mod error;
pub mod field;
#[cfg(feature = "fixed")]
pub mod fixed;
/// Old path of [`random::Gaussian`], kept while `integrate.rs` (being rewritten) still uses it.
pub mod gauss {
    pub use crate::random::Gaussian;
}
pub mod geometry;
pub mod inertial;
pub mod integrate;
pub mod llg;
pub mod math;
pub mod mtj;
pub mod params;
pub mod random;
pub mod real;
/// Old path of [`random::Philox`], kept while `integrate.rs` (being rewritten) still uses it.
pub mod rng {
    pub use crate::random::{philox4x32_10, Philox, Rng};
}
pub mod state;
pub mod stepper;
pub mod sw;
pub mod thermal;
pub mod torque;
pub mod units;
pub mod vec3;

pub use error::Error;
pub use real::Real;
pub use vec3::Vec3;

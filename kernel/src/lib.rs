//! # Larmor: magnetization dynamics for microcontrollers and workstations
//!
//! A `no_std`, allocation-free kernel for Landau-Lifshitz-Gilbert dynamics of macrospins and small
//! spin lattices, generic over the scalar type ([`Real`]: f32, f64, fixed-point).
//!
//! Data flow: SI parameters ([`params::MacrospinSpec`]) are validated once into a
//! [`params::Validated`] spec that nothing can change, which compiles into a dimensionless model
//! ([`params::Macrospin`], reduced units of [`units`]); the model's dynamics declares the
//! geometry of its state ([`state`]); an [`integrate::Integrator`] owns the dynamics, a
//! [`stepper::Stepper`], the state, the clock (device time) and the events, and advances them on
//! request (`step`, `advance_to`, `run_to`, checkpoint and restore). Every algorithm works on
//! slices of any length; capacity lives only in storage ([`state::Storage`]: a fixed array for a
//! macrospin, a `heapless::Vec` for a lattice whose size comes from a file) and in the steppers'
//! scratch, so no per-call stack array grows with the number of spins.
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
//!
//! # Conventions
//!
//! Units and names, kernel-wide. SI quantities enter only through the specs ([`params`]) and
//! leave through [`units`]; everything else is dimensionless, and where two normalisations meet
//! the name carries its unit.
//!
//! | Quantity | Unit | Name |
//! |---|---|---|
//! | field of the LLG world ([`llg`], [`field`], [`thermal`], [`units`]) | `Ms` (`h = H / Ms`) | `h` |
//! | field of Stoner-Wohlfarth and Arrhenius models ([`sw`], [`arrhenius`]) | `H_K = 2K / (mu0 Ms)` | `h_hk` (and, inside [`sw`], the components `h_par`, `h_perp` and the switching field `h_sw`) |
//! | field in SI | A/m | `h_si`; `*_tesla` for `mu0 H` in T |
//! | reduced time | `1 / (gamma mu0 Ms)` | `t`, `dt` (SI times in s only in specs) |
//! | Stoner-Wohlfarth energy and barrier | `2 K V` | `energy`, `from_up_2kv`, `from_down_2kv` |
//! | thermal barrier | `kB T` | `barrier_kt`, `barrier_up_kt`, `barrier_down_kt`, `bias_kt` |
//! | thermal stability factor `K V / (kB T)` | 1 | `delta` (never `sigma`) |
//! | standard deviation | as the quantity | `sd` (never `sigma`) |
//! | angles | rad | `psi` (field to easy axis), `theta` |
//!
//! Errors name the offending parameter as `module.name` (e.g. `arrhenius.delta`,
//! `sw.population.hk`) together with the allowed range. Random numbers follow one convention:
//! uniforms are `(k + 1) 2^-53` (f64) or `(k + 1) 2^-24` (f32) in (0, 1] from the top bits of one
//! word, normals come from one ziggurat per scalar, and streams are Philox `(seed, stream)`
//! ([`random`]).
#![no_std]
// no unsafe code except the SSE2 square root of the math chokepoint (`math::sqrt_f64`)
#![deny(unsafe_code)]
#![deny(missing_docs)]
// Numerical loops index several arrays with one spin index; iterator zips would hide that.
#![allow(clippy::needless_range_loop)]

pub mod arrhenius;
pub mod device;
pub mod drive;
pub mod error;
pub mod field;
#[cfg(feature = "fixed")]
pub mod fixed;
pub mod fokker_planck;
pub mod geometry;
pub mod inertial;
pub mod integrate;
pub mod lanes;
pub mod lattice;
pub mod llb;
pub mod llg;
pub mod math;
pub mod meanfield;
pub mod mtj;
pub mod params;
pub mod random;
pub mod real;
pub mod stack;
pub mod state;
pub mod stepper;
pub mod sw;
pub mod thermal;
pub mod torque;
pub mod ttm;
pub mod units;
pub mod vec3;

pub use error::Error;
pub use real::Real;
pub use vec3::Vec3;

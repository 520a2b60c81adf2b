//! Random numbers: one generator, one uniform convention, one normal sampler per scalar, and
//! the scalar distributions built on them.
//!
//! - [`Philox`] ([`philox`]): the counter-based generator. A stream is fixed by
//!   `(seed, stream)`, so trial, particle or work unit `k` draws from stream `k` and its numbers
//!   never depend on threads, shards or the order of evaluation.
//! - [`uniform`]: the one uniform convention, `(k + 1) 2^-p` in **(0, 1]** from the top
//!   `p = 53` (f64) or `p = 24` (f32) bits of one word ([`uniform_f64`], [`uniform_f32`]).
//! - [`Gaussian`] ([`normal`]): the one normal sampler per scalar (ziggurat), used by the
//!   thermal field and by [`Dist`].
//! - [`Dist`] ([`dist`]): fixed, uniform, normal and log-normal distributions with
//!   validation, sampling, density, mean and exact expectations.
//!
//! Every sampler takes `&mut R where R: Rng + ?Sized` ([`Rng`] is `rand_core` 0.10's trait,
//! re-exported); the kernel never owns a generator.
//!
//! ```
//! use larmor::random::{uniform_f64, Dist, Gaussian, Philox};
//! let mut rng = Philox::new(42, 7); // seed 42, stream 7
//! let u = uniform_f64(&mut rng);
//! let z = f64::std_normal(&mut rng);
//! let e = Dist::LogNormal { median: 30.0, sd: 0.2 }.sample(&mut rng, true);
//! assert!(u > 0.0 && u <= 1.0 && z.is_finite() && e > 0.0);
//! ```

pub mod dist;
pub mod normal;
pub mod philox;
pub mod uniform;

pub use dist::Dist;
pub use normal::{Gaussian, NormalSource};
pub use philox::{philox4x32_10, Philox};
/// The random-generator trait every kernel sampler takes (`rand_core` 0.10), re-exported so
/// that users need not depend on `rand_core` themselves.
pub use rand_core::Rng;
pub use uniform::{uniform_f32, uniform_f32_from_bits, uniform_f64, uniform_f64_from_bits};

//! Stage 2, execution: turning a run plan into results on all cores. Adaptive multilevel splitting of write errors ([`ams`]). The one solver dispatch
//! ([`solver`]), switching campaigns and their trials ([`campaign`], [`trials`]), shards and the
//! one resume format ([`shard`], [`resume`]), campaign fingerprints that `merge` checks
//! ([`fingerprint`]), statistics ([`stats`]), Fokker-Planck write-error rates with their error estimate ([`fp`]), parallel kinetic Monte Carlo ([`kmc`]), lattice Monte Carlo scans ([`mc`]), coupled-stack runs and campaigns ([`stack`]), the thread
//! pool and progress bar ([`pool`]), and Ctrl-C ([`interrupt`]).

pub mod ams;
pub mod campaign;
pub mod fingerprint;
pub mod fp;
pub mod interrupt;
pub mod kmc;
pub mod lattice;
pub mod mc;
pub mod pool;
pub mod resume;
pub mod shard;
pub mod solver;
pub mod stack;
pub mod stats;
pub mod trials;

//! The standard macrospin (`standard_spec`) in reduced units, as exact bit patterns of
//! each scalar: what `MacrospinSpec::compile::<S>()` and `standard_model` produce, so a
//! firmware builds the model without soft-float f64 set-up code. Generated on the host by
//! `cargo run -p larmor-tests --bin regenerate -- reduced`; the parity
//! test fails if they differ from a fresh compile by a single bit.

use crate::{Reduced, Q26};
use larmor::Vec3;

/// The standard macrospin in reduced units, f32.
pub const F32: Reduced<f32> = Reduced {
    alpha: f32::from_bits(0x3c23d70a),
    h0: Vec3::new(
        f32::from_bits(0x3d22f983),
        f32::from_bits(0x00000000),
        f32::from_bits(0x3d8d23e4),
    ),
    demag: Vec3::new(
        f32::from_bits(0x00000000),
        f32::from_bits(0x00000000),
        f32::from_bits(0x3f800000),
    ),
    k1: f32::from_bits(0x3f32edf9),
    axis: Vec3::new(
        f32::from_bits(0x00000000),
        f32::from_bits(0x00000000),
        f32::from_bits(0x3f800000),
    ),
    m0: Vec3::new(
        f32::from_bits(0x3f19999a),
        f32::from_bits(0x00000000),
        f32::from_bits(0x3f4ccccd),
    ),
    dt: f32::from_bits(0x3cb544f9),
};

/// The standard macrospin in reduced units, f64.
pub const F64: Reduced<f64> = Reduced {
    alpha: f64::from_bits(0x3f847ae147ae147b),
    h0: Vec3::new(
        f64::from_bits(0x3fa45f306d9a2700),
        f64::from_bits(0x0000000000000000),
        f64::from_bits(0x3fb1a47c7ebc6531),
    ),
    demag: Vec3::new(
        f64::from_bits(0x0000000000000000),
        f64::from_bits(0x0000000000000000),
        f64::from_bits(0x3ff0000000000000),
    ),
    k1: f64::from_bits(0x3fe65dbf14fb2069),
    axis: Vec3::new(
        f64::from_bits(0x0000000000000000),
        f64::from_bits(0x0000000000000000),
        f64::from_bits(0x3ff0000000000000),
    ),
    m0: Vec3::new(
        f64::from_bits(0x3fe3333333333333),
        f64::from_bits(0x0000000000000000),
        f64::from_bits(0x3fe999999999999a),
    ),
    dt: f64::from_bits(0x3f96a89f1656021b),
};

/// The standard macrospin in reduced units, I6F26.
pub const I6F26: Reduced<Q26> = Reduced {
    alpha: Q26::from_bits(671089),
    h0: Vec3::new(
        Q26::from_bits(2670177),
        Q26::from_bits(0),
        Q26::from_bits(4624882),
    ),
    demag: Vec3::new(
        Q26::from_bits(0),
        Q26::from_bits(0),
        Q26::from_bits(67108864),
    ),
    k1: Q26::from_bits(46905315),
    axis: Vec3::new(
        Q26::from_bits(0),
        Q26::from_bits(0),
        Q26::from_bits(67108864),
    ),
    m0: Vec3::new(
        Q26::from_bits(40265318),
        Q26::from_bits(0),
        Q26::from_bits(53687091),
    ),
    dt: Q26::from_bits(1484959),
};

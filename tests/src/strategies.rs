//! Proptest strategies shared by the property tests.

use larmor::Vec3;
use proptest::prelude::*;

/// A uniformly distributed unit vector (normalised Gaussian-like cube sample, rejecting tiny).
pub fn unit_vec() -> impl Strategy<Value = Vec3<f64>> {
    (-1.0f64..1.0, -1.0f64..1.0, -1.0f64..1.0)
        .prop_filter("not too short", |(x, y, z)| x * x + y * y + z * z > 0.01)
        .prop_map(|(x, y, z)| Vec3::new(x, y, z).normalized())
}

/// A reduced field vector with magnitude up to `max`.
pub fn field(max: f64) -> impl Strategy<Value = Vec3<f64>> {
    (unit_vec(), 0.0..max).prop_map(|(u, h)| u.scale(h))
}

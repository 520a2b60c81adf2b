//! Plane geometry of the magnet shapes (SI): face areas, e.g. the junction area of an MTJ
//! pillar when the scenario does not give it.

/// Area (m^2) of a disc of the given diameter (m): `pi d^2 / 4`, exact to rounding.
///
/// ```
/// let a = larmor::geometry::disc_area(40e-9);
/// assert!((a - 1.2566370614359173e-15).abs() < 1e-28);
/// ```
pub fn disc_area(diameter: f64) -> f64 {
    0.25 * core::f64::consts::PI * diameter * diameter
}

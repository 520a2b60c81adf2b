use super::SiteTerm;
use crate::real::Real;
use crate::vec3::Vec3;

/// Cubic anisotropy `E = K1 (a1^2 a2^2 + a2^2 a3^2 + a3^2 a1^2) + K2 a1^2 a2^2 a3^2` with
/// direction cosines `a_i = m . c_i` on three orthonormal axes.
///
/// Reduced field: `h = -sum_i (de/da_i) c_i` with
/// `de/da1 = 2 k1 a1 (a2^2 + a3^2) + 2 k2 a1 a2^2 a3^2` (and cyclic).
/// K1 > 0 (iron): easy <100>; K1 < 0 (nickel): easy <111>.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cubic<S> {
    /// Reduced k1 = K1 / (mu0 Ms^2).
    pub k1: S,
    /// Reduced k2 = K2 / (mu0 Ms^2).
    pub k2: S,
    /// Orthonormal axes c1, c2, c3.
    pub axes: [Vec3<S>; 3],
}

impl<S: Real> Cubic<S> {
    /// Term from reduced constants and two orthonormal axes (the third is `c1 x c2`).
    ///
    /// ```
    /// use larmor::{field::{Cubic, FieldTerm}, Vec3};
    /// let c = Cubic::new(1.0f64, 0.0, Vec3::X, Vec3::Y);
    /// let d = Vec3::new(1.0f64, 1.0, 0.0).normalized();
    /// assert!((c.energy(0.0, &[d]) - 0.25).abs() < 1e-15);
    /// ```
    pub fn new(k1: S, k2: S, c1: Vec3<S>, c2: Vec3<S>) -> Self {
        Self {
            k1,
            k2,
            axes: [c1, c2, c1.cross(c2)],
        }
    }
}

impl<S: Real> SiteTerm<S> for Cubic<S> {
    const NAME: &'static str = "cubic";
    #[inline(always)]
    fn site_field(&self, _t: S, _site: usize, m: Vec3<S>) -> Vec3<S> {
        let [c1, c2, c3] = self.axes;
        let (a1, a2, a3) = (m.dot(c1), m.dot(c2), m.dot(c3));
        let (q1, q2, q3) = (a1 * a1, a2 * a2, a3 * a3);
        let two = S::TWO;
        // -de/da_i = -2 a_i (k1 (sum of the other two squares) + k2 * prod of other two squares)
        let g1 = -two * a1 * (self.k1 * (q2 + q3) + self.k2 * q2 * q3);
        let g2 = -two * a2 * (self.k1 * (q3 + q1) + self.k2 * q3 * q1);
        let g3 = -two * a3 * (self.k1 * (q1 + q2) + self.k2 * q1 * q2);
        c1.scale(g1) + c2.scale(g2) + c3.scale(g3)
    }
    #[inline]
    fn site_energy(&self, _t: S, _site: usize, m: Vec3<S>) -> S {
        let [c1, c2, c3] = self.axes;
        let (a1, a2, a3) = (m.dot(c1), m.dot(c2), m.dot(c3));
        let (q1, q2, q3) = (a1 * a1, a2 * a2, a3 * a3);
        self.k1 * (q1 * q2 + q2 * q3 + q3 * q1) + self.k2 * q1 * q2 * q3
    }
}

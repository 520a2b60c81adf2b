use super::SiteTerm;
use crate::real::Real;
use crate::vec3::Vec3;

/// Uniaxial anisotropy `E = K1 sin^2(theta) + K2 sin^4(theta)` about a unit axis `u`.
///
/// Reduced: with `c = m . u`, `e = k1 (1 - c^2) + k2 (1 - c^2)^2`, `k_i = K_i / (mu0 Ms^2)`,
/// and `h = -de/dm = (2 k1 c + 4 k2 c (1 - c^2)) u`. The anisotropy field is
/// `H_K = 2 K1 / (mu0 Ms)`, i.e. `h_K = 2 k1`. K1 > 0 is an easy axis, K1 < 0 an easy plane.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Uniaxial<S> {
    // private: the field uses the cached 2 k1 and 4 k2, so the constants change only through
    // `new` (field and energy always agree)
    k1: S,
    k2: S,
    axis: Vec3<S>,
    two_k1: S,
    four_k2: S,
}

impl<S: Real> Uniaxial<S> {
    /// Reduced first-order constant k1 = K1 / (mu0 Ms^2).
    pub fn k1(&self) -> S {
        self.k1
    }
    /// Reduced second-order constant k2 = K2 / (mu0 Ms^2).
    pub fn k2(&self) -> S {
        self.k2
    }
    /// Unit axis.
    pub fn axis(&self) -> Vec3<S> {
        self.axis
    }
    /// Term from reduced constants and a unit axis (normalise the axis first).
    ///
    /// ```
    /// use larmor::{field::{FieldTerm, Uniaxial}, Vec3};
    /// let u = Uniaxial::new(0.5f64, 0.0, Vec3::Z);
    /// assert_eq!(u.energy(0.0, &[Vec3::X]), 0.5); // hard direction costs k1
    /// ```
    pub fn new(k1: S, k2: S, axis: Vec3<S>) -> Self {
        Self {
            k1,
            k2,
            axis,
            two_k1: k1 + k1,
            four_k2: k2 * S::from_f64(4.0),
        }
    }
}

impl<S: Real> SiteTerm<S> for Uniaxial<S> {
    const NAME: &'static str = "uniaxial";
    #[inline(always)]
    fn site_field(&self, _t: S, _site: usize, m: Vec3<S>) -> Vec3<S> {
        let c = m.dot(self.axis);
        // K2 = 0 is the common case: keep its dependency chain short
        if self.k2 == S::ZERO {
            return self.axis.scale(c * self.two_k1);
        }
        let s2 = S::ONE - c * c;
        self.axis.scale(c * (self.two_k1 + self.four_k2 * s2))
    }
    #[inline]
    fn site_energy(&self, _t: S, _site: usize, m: Vec3<S>) -> S {
        let c = m.dot(self.axis);
        let s2 = S::ONE - c * c;
        s2 * (self.k1 + self.k2 * s2)
    }
}

/// First-order uniaxial anisotropy `E = K1 sin^2(theta)`: [`Uniaxial`] with `K2 = 0` by type,
/// so no run-time test of `K2` (a firmware with a fixed model). Field `h = 2 k1 (m . u) u`,
/// the same bits as [`Uniaxial`] with `k2 = 0`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UniaxialK1<S> {
    // private: the field uses the cached 2 k1 (see `Uniaxial`)
    k1: S,
    axis: Vec3<S>,
    two_k1: S,
}

impl<S: Real> UniaxialK1<S> {
    /// Term from the reduced constant and a unit axis (normalise the axis first).
    ///
    /// ```
    /// use larmor::{field::{FieldTerm, UniaxialK1}, Vec3};
    /// let u = UniaxialK1::new(0.5f64, Vec3::Z);
    /// assert_eq!(u.energy(0.0, &[Vec3::X]), 0.5); // hard direction costs k1
    /// ```
    pub fn new(k1: S, axis: Vec3<S>) -> Self {
        Self {
            k1,
            axis,
            two_k1: k1 + k1,
        }
    }
    /// Reduced constant k1 = K1 / (mu0 Ms^2).
    pub fn k1(&self) -> S {
        self.k1
    }
    /// Unit axis.
    pub fn axis(&self) -> Vec3<S> {
        self.axis
    }
    /// `u` as a first-order term; `None` if its `k2` is not zero.
    pub fn from_uniaxial(u: &Uniaxial<S>) -> Option<Self> {
        (u.k2 == S::ZERO).then(|| Self::new(u.k1, u.axis))
    }
}

impl<S: Real> SiteTerm<S> for UniaxialK1<S> {
    const NAME: &'static str = "uniaxial";
    #[inline(always)]
    fn site_field(&self, _t: S, _site: usize, m: Vec3<S>) -> Vec3<S> {
        self.axis.scale(m.dot(self.axis) * self.two_k1)
    }
    #[inline]
    fn site_energy(&self, _t: S, _site: usize, m: Vec3<S>) -> S {
        let c = m.dot(self.axis);
        (S::ONE - c * c) * self.k1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::FieldTerm;

    #[test]
    fn first_order_term_matches_uniaxial_with_zero_k2_bit_for_bit() {
        let axis = Vec3::new(0.6f64, 0.0, 0.8);
        let (full, k1) = (Uniaxial::new(0.37, 0.0, axis), UniaxialK1::new(0.37, axis));
        assert_eq!(UniaxialK1::from_uniaxial(&full), Some(k1));
        assert_eq!(
            UniaxialK1::from_uniaxial(&Uniaxial::new(0.37, 0.1, axis)),
            None
        );
        for m in [
            Vec3::X,
            Vec3::new(0.28, -0.96, 0.0),
            Vec3::new(-0.36, 0.48, 0.8),
        ] {
            let (mut a, mut b) = ([Vec3::ZERO], [Vec3::ZERO]);
            full.set_field(0.0, &[m], &mut a);
            k1.set_field(0.0, &[m], &mut b);
            assert_eq!(
                a[0].to_f64().map(f64::to_bits),
                b[0].to_f64().map(f64::to_bits)
            );
            assert_eq!(
                full.energy(0.0, &[m]).to_bits(),
                k1.energy(0.0, &[m]).to_bits()
            );
        }
    }
}

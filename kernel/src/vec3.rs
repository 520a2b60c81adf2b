//! A 3-vector over any [`Real`] scalar.

use core::ops::{Add, AddAssign, Mul, Neg, Sub, SubAssign};

use crate::real::Real;

/// Cartesian 3-vector (magnetisation direction, reduced field, axis...).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Vec3<S> {
    /// x component.
    pub x: S,
    /// y component.
    pub y: S,
    /// z component.
    pub z: S,
}

impl<S: Real> Vec3<S> {
    /// `T v` for the symmetric tensor `t = (xx, yy, zz, xy, xz, yz)` (demagnetising and
    /// dipolar pair tensors).
    #[inline(always)]
    pub(crate) fn sym_apply(t: &[S; 6], v: Vec3<S>) -> Vec3<S> {
        Vec3::new(
            t[0] * v.x + t[3] * v.y + t[4] * v.z,
            t[3] * v.x + t[1] * v.y + t[5] * v.z,
            t[4] * v.x + t[5] * v.y + t[2] * v.z,
        )
    }

    /// The zero vector.
    pub const ZERO: Self = Self::new(S::ZERO, S::ZERO, S::ZERO);
    /// Unit vector along x.
    pub const X: Self = Self::new(S::ONE, S::ZERO, S::ZERO);
    /// Unit vector along y.
    pub const Y: Self = Self::new(S::ZERO, S::ONE, S::ZERO);
    /// Unit vector along z.
    pub const Z: Self = Self::new(S::ZERO, S::ZERO, S::ONE);

    /// Vector from components.
    #[inline(always)]
    pub const fn new(x: S, y: S, z: S) -> Self {
        Self { x, y, z }
    }
    /// Converts an `[f64; 3]` (set-up code).
    #[inline]
    pub fn from_f64(v: [f64; 3]) -> Self {
        Self::new(S::from_f64(v[0]), S::from_f64(v[1]), S::from_f64(v[2]))
    }
    /// Components as `[f64; 3]`.
    #[inline]
    pub fn to_f64(self) -> [f64; 3] {
        [self.x.to_f64(), self.y.to_f64(), self.z.to_f64()]
    }
    /// Scalar product.
    #[inline(always)]
    pub fn dot(self, o: Self) -> S {
        self.x * o.x + self.y * o.y + self.z * o.z
    }
    /// Vector product `self x o`.
    #[inline(always)]
    pub fn cross(self, o: Self) -> Self {
        Self::new(
            self.y * o.z - self.z * o.y,
            self.z * o.x - self.x * o.z,
            self.x * o.y - self.y * o.x,
        )
    }
    /// Squared Euclidean norm.
    #[inline(always)]
    pub fn norm2(self) -> S {
        self.dot(self)
    }
    /// Euclidean norm.
    #[inline(always)]
    pub fn norm(self) -> S {
        self.norm2().sqrt()
    }
    /// Multiplies every component by `s`.
    #[inline(always)]
    pub fn scale(self, s: S) -> Self {
        Self::new(self.x * s, self.y * s, self.z * s)
    }
    /// The unit vector along `self`; the zero vector stays zero.
    #[inline(always)]
    pub fn normalized(self) -> Self {
        // For floats `n2 > 0` iff `sqrt(n2) > 0` and `rsqrt` is `sqrt().recip()`: the same bits
        // as `self.scale(self.norm().recip())`; fixed-point avoids the division.
        let n2 = self.norm2();
        if n2 > S::ZERO {
            self.scale(n2.rsqrt())
        } else {
            self
        }
    }
    /// Back onto the unit sphere after a step: one Newton step `v (3 - |v|^2) / 2` when `|v|` is
    /// already within 2^-10 of 1 (error O((|v|^2 - 1)^2), below rounding after any step of an
    /// integrator), else the exact [`Vec3::normalized`]. Avoids the square root and division
    /// on the critical path of every step.
    #[inline(always)]
    pub fn renormalized(self) -> Self {
        self.renormalized_from(self.norm2())
    }
    /// [`Vec3::renormalized`] given `n2 = |self|^2` already computed.
    #[inline(always)]
    pub fn renormalized_from(self, n2: S) -> Self {
        self.scale(n2.unit_factor())
    }
    /// Each component through [`Real::flush_tiny`]: zero below [`Real::TINY`].
    #[inline(always)]
    pub fn flush_tiny(self) -> Self {
        Self {
            x: self.x.flush_tiny(),
            y: self.y.flush_tiny(),
            z: self.z.flush_tiny(),
        }
    }
    /// Largest absolute component (max norm).
    #[inline]
    pub fn max_abs(self) -> S {
        self.x.abs().max(self.y.abs()).max(self.z.abs())
    }
    /// `true` if every component is finite.
    #[inline]
    pub fn is_finite(self) -> bool {
        self.x.is_finite() && self.y.is_finite() && self.z.is_finite()
    }
    /// Converts the scalar type through `f64`.
    #[inline]
    pub fn cast<T: Real>(self) -> Vec3<T> {
        Vec3::from_f64(self.to_f64())
    }
}

impl<S: Real> Add for Vec3<S> {
    type Output = Self;
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        Self::new(self.x + o.x, self.y + o.y, self.z + o.z)
    }
}
impl<S: Real> Sub for Vec3<S> {
    type Output = Self;
    #[inline(always)]
    fn sub(self, o: Self) -> Self {
        Self::new(self.x - o.x, self.y - o.y, self.z - o.z)
    }
}
impl<S: Real> Neg for Vec3<S> {
    type Output = Self;
    #[inline(always)]
    fn neg(self) -> Self {
        Self::new(-self.x, -self.y, -self.z)
    }
}
impl<S: Real> Mul<S> for Vec3<S> {
    type Output = Self;
    #[inline(always)]
    fn mul(self, s: S) -> Self {
        self.scale(s)
    }
}
impl<S: Real> AddAssign for Vec3<S> {
    #[inline(always)]
    fn add_assign(&mut self, o: Self) {
        self.x += o.x;
        self.y += o.y;
        self.z += o.z;
    }
}
impl<S: Real> SubAssign for Vec3<S> {
    #[inline(always)]
    fn sub_assign(&mut self, o: Self) {
        self.x -= o.x;
        self.y -= o.y;
        self.z -= o.z;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_is_right_handed() {
        assert_eq!(Vec3::<f64>::X.cross(Vec3::Y), Vec3::Z);
        assert_eq!(Vec3::<f64>::Y.cross(Vec3::Z), Vec3::X);
        let v = Vec3::new(3.0f64, 0.0, 4.0);
        assert_eq!(v.norm(), 5.0);
        assert!((v.normalized() - Vec3::new(0.6, 0.0, 0.8)).max_abs() < 2e-16);
        assert_eq!(Vec3::<f32>::ZERO.normalized(), Vec3::ZERO);
    }
}

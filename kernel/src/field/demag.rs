use super::SiteTerm;
use crate::real::Real;
use crate::vec3::Vec3;

/// Demagnetisation (shape anisotropy) with a diagonal tensor `N = diag(Nx, Ny, Nz)`,
/// `Nx + Ny + Nz = 1`: `E = (mu0 Ms^2 / 2) m . N m`, reduced `e = (1/2) m . N m`, `h = -N m`.
///
/// The factors come directly from the user or from a shape (see [`super::shape`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Demag<S> {
    /// Diagonal demagnetising factors (Nx, Ny, Nz).
    pub n: Vec3<S>,
}

impl<S: Real> Demag<S> {
    /// Term from diagonal factors (validate them with [`super::shape::check_factors`] first).
    ///
    /// ```
    /// use larmor::{field::{Demag, FieldTerm}, Vec3};
    /// let thin_film = Demag::new(Vec3::new(0.0f64, 0.0, 1.0));
    /// assert_eq!(thin_film.energy(0.0, &[Vec3::Z]), 0.5);
    /// ```
    pub fn new(n: Vec3<S>) -> Self {
        Self { n }
    }
}

impl<S: Real> SiteTerm<S> for Demag<S> {
    const NAME: &'static str = "demag";
    #[inline(always)]
    fn site_field(&self, _t: S, _site: usize, m: Vec3<S>) -> Vec3<S> {
        Vec3::new(-self.n.x * m.x, -self.n.y * m.y, -self.n.z * m.z)
    }
    #[inline]
    fn site_energy(&self, _t: S, _site: usize, m: Vec3<S>) -> S {
        S::HALF * (self.n.x * m.x * m.x + self.n.y * m.y * m.y + self.n.z * m.z * m.z)
    }
}

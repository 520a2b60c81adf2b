use super::SiteTerm;
use crate::drive::Drive;
use crate::real::Real;
use crate::vec3::Vec3;

/// Most time-dependent parts one Zeeman term carries.
pub const ZEEMAN_DRIVES: usize = 4;

/// Zeeman energy `e = -m . h_a(t)`, field `h = h_a(t)`, with
/// `h_a(t) = h0 + sum_k a_k f_k(t)` (a constant part plus up to four driven parts).
#[derive(Clone, Debug, PartialEq)]
pub struct Zeeman<S> {
    /// Constant part of the applied field (reduced).
    pub h0: Vec3<S>,
    /// Driven parts: amplitude vector (reduced) times waveform.
    pub drives: heapless::Vec<(Vec3<S>, Drive<S>), ZEEMAN_DRIVES>,
}

impl<S: Real> Zeeman<S> {
    /// A constant applied field `h0` (reduced units).
    ///
    /// ```
    /// use larmor::{field::{FieldTerm, Zeeman}, Vec3};
    /// let z = Zeeman::constant(Vec3::new(0.0f64, 0.0, 0.5));
    /// assert_eq!(z.energy(0.0, &[Vec3::Z]), -0.5);
    /// ```
    pub fn constant(h0: Vec3<S>) -> Self {
        Self {
            h0,
            drives: heapless::Vec::new(),
        }
    }
    /// Adds a driven part `amplitude * drive(t)`; hands the pair back when full.
    pub fn with_drive(
        mut self,
        amplitude: Vec3<S>,
        drive: Drive<S>,
    ) -> Result<Self, (Vec3<S>, Drive<S>)> {
        self.drives.push((amplitude, drive))?;
        Ok(self)
    }
    /// The applied field at reduced time `t`.
    #[inline(always)]
    pub fn field_at(&self, t: S) -> Vec3<S> {
        let mut h = self.h0;
        for (a, d) in self.drives.iter() {
            h += a.scale(d.value(t));
        }
        h
    }
}

impl<S: Real> SiteTerm<S> for Zeeman<S> {
    const NAME: &'static str = "zeeman";
    #[inline(always)]
    fn site_field(&self, t: S, _m: Vec3<S>) -> Vec3<S> {
        self.field_at(t)
    }
    #[inline]
    fn site_energy(&self, t: S, m: Vec3<S>) -> S {
        -m.dot(self.field_at(t))
    }
}

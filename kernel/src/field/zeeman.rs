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
    ///
    /// # Errors
    /// The pair itself, when [`ZEEMAN_DRIVES`] drives are already held.
    // handing the item back, as heapless's `push` does, is the point: no allocation to box it
    #[allow(clippy::result_large_err)]
    pub fn with_drive(
        mut self,
        amplitude: Vec3<S>,
        drive: Drive<S>,
    ) -> Result<Self, (Vec3<S>, Drive<S>)> {
        self.drives.push((amplitude, drive))?;
        Ok(self)
    }
    /// Re-expresses every waveform in the window starting at `epoch` ([`Drive::rebase`]);
    /// returns the shortest horizon.
    pub fn rebase_drives(&mut self, epoch: f64) -> f64 {
        let mut horizon = f64::INFINITY;
        for (_, d) in self.drives.iter_mut() {
            horizon = horizon.min(d.rebase(epoch));
        }
        horizon
    }
    /// The applied field at local time `t`.
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
    fn site_field(&self, t: S, _site: usize, _m: Vec3<S>) -> Vec3<S> {
        self.field_at(t)
    }
    #[inline]
    fn site_energy(&self, t: S, _site: usize, m: Vec3<S>) -> S {
        -m.dot(self.field_at(t))
    }
}

/// Zeeman energy in a constant applied field `h0` (reduced): [`Zeeman`] without drives, as
/// its own type. A firmware with a fixed model uses it so that no waveform code is linked and
/// `h0` can stay in registers; same field and energy bits as a drive-less [`Zeeman`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ConstantZeeman<S> {
    /// Applied field (reduced).
    pub h0: Vec3<S>,
}

impl<S: Real> ConstantZeeman<S> {
    /// A constant applied field `h0` (reduced units).
    ///
    /// ```
    /// use larmor::{field::{ConstantZeeman, FieldTerm}, Vec3};
    /// let z = ConstantZeeman::new(Vec3::new(0.0f64, 0.0, 0.5));
    /// assert_eq!(z.energy(0.0, &[Vec3::Z]), -0.5);
    /// ```
    pub const fn new(h0: Vec3<S>) -> Self {
        Self { h0 }
    }
    /// The drive-less [`Zeeman`] as a constant one; `None` if it has drives.
    pub fn from_zeeman(z: &Zeeman<S>) -> Option<Self> {
        z.drives.is_empty().then_some(Self { h0: z.h0 })
    }
}

impl<S: Real> SiteTerm<S> for ConstantZeeman<S> {
    const NAME: &'static str = "zeeman";
    #[inline(always)]
    fn site_field(&self, _t: S, _site: usize, _m: Vec3<S>) -> Vec3<S> {
        self.h0
    }
    #[inline]
    fn site_energy(&self, _t: S, _site: usize, m: Vec3<S>) -> S {
        -m.dot(self.h0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drive::Drive;
    use crate::field::FieldTerm;

    #[test]
    fn constant_term_matches_driveless_zeeman() {
        let h0 = Vec3::new(0.05f64, 0.0, 0.0866);
        let z = Zeeman::constant(h0);
        let c = ConstantZeeman::from_zeeman(&z).unwrap();
        let m = [Vec3::new(0.6, 0.0, 0.8)];
        let (mut a, mut b) = ([Vec3::ZERO], [Vec3::ZERO]);
        z.set_field(0.3, &m, &mut a);
        c.set_field(0.3, &m, &mut b);
        assert_eq!(a, b);
        assert_eq!(z.energy(0.3, &m).to_bits(), c.energy(0.3, &m).to_bits());
        let driven = z.with_drive(Vec3::X, Drive::constant(0.5)).unwrap();
        assert_eq!(ConstantZeeman::from_zeeman(&driven), None);
        assert_eq!(driven.field_at(1.0), Vec3::new(0.55, 0.0, 0.0866));
    }
}

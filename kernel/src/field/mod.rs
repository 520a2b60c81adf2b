//! Effective-field terms. Each term has a reduced energy `e(m)` and a reduced field
//! `h = -de/dm`; both are checked against each other by finite differences in the tests.
//!
//! Terms compose as concrete types, never `dyn`: `()` is the empty term, `Option<T>` is a term that
//! may be absent, and tuples of up to eight terms add their fields (the first writes nothing
//! special: every term *adds* into the buffer the caller zeroed). A model is therefore one
//! monomorphised type and the compiler inlines the whole field evaluation.
//!
//! The state is a slice of unit vectors (one for a macrospin), whose length is the caller's
//! (capacity lives in storage, see [`crate::state`]); `h` has the same length. Single-site
//! terms see one spin and its index, interaction terms (exchange, dipolar) see the whole slice. Every term
//! also gives the energy change of a single-spin move ([`FieldTerm::delta_energy`]), O(1) for
//! single-site terms, for Monte Carlo.

mod cubic;
mod demag;
pub mod shape;
mod uniaxial;
mod zeeman;

pub use cubic::Cubic;
pub use demag::Demag;
pub use uniaxial::{Uniaxial, UniaxialK1};
pub use zeeman::{ConstantZeeman, Zeeman, ZEEMAN_DRIVES};

use crate::real::Real;
use crate::vec3::Vec3;

/// An energy term with its effective field, in reduced units (see [`crate::units`]).
pub trait FieldTerm<S: Real> {
    /// `false` if the term depends on time (a driven Zeeman field).
    const AUTONOMOUS: bool = true;
    /// Re-expresses the term's waveforms in the local-time window starting at absolute reduced
    /// time `epoch` (see [`crate::drive::Drive::rebase`]); returns the local time up to which
    /// they are exact (infinite for static terms).
    fn rebase(&mut self, _epoch: f64) -> f64 {
        f64::INFINITY
    }
    /// Adds this term's reduced field `h = -de/dm` at reduced time `t` into `h`.
    fn add_field(&self, t: S, m: &[Vec3<S>], h: &mut [Vec3<S>]);
    /// Overwrites `h` with this term's field (the first term of a sum sets, the rest add, as
    /// in mumax3: no `0 + h` on the critical path).
    #[inline(always)]
    fn set_field(&self, t: S, m: &[Vec3<S>], h: &mut [Vec3<S>]) {
        for hi in h.iter_mut() {
            *hi = Vec3::ZERO;
        }
        self.add_field(t, m, h);
    }
    /// Reduced energy `e`, summed over the spins (each spin's energy density over mu0 Ms^2).
    fn energy(&self, t: S, m: &[Vec3<S>]) -> S;
    /// Change of [`FieldTerm::energy`] when spin `site` alone turns from `m[site]` to `new`:
    /// what a Monte Carlo move needs. Every term answers without copying the state: single-site
    /// terms in O(1), interaction terms from the neighbours of `site`. A `site` out of range
    /// changes nothing (0).
    fn delta_energy(&self, t: S, m: &[Vec3<S>], site: usize, new: Vec3<S>) -> S;
    /// Calls `f(name, energy)` once per elementary term, in composition order.
    fn visit_energies<F: FnMut(&'static str, S)>(&self, t: S, m: &[Vec3<S>], f: &mut F) {
        f("energy", self.energy(t, m));
    }
    /// `false` if Brown's thermal field has a different strength on different spins (an
    /// atomistic model with per-site moments); then a stochastic kick multiplies each spin's
    /// draw by [`FieldTerm::noise_scale`]. Uniform models pay nothing for it.
    const UNIFORM_NOISE: bool = true;
    /// Factor on the standard deviation of spin `site`'s thermal field (1 unless the term sets
    /// [`FieldTerm::UNIFORM_NOISE`] to `false`).
    #[inline(always)]
    fn noise_scale(&self, _site: usize) -> S {
        S::ONE
    }
}

/// A term that acts on each spin independently (Zeeman, anisotropies, demagnetisation). The
/// site index lets a term hold per-site parameters (axes, constants, moments); the uniform
/// terms here ignore it.
pub trait SiteTerm<S: Real> {
    /// Name used for the energy column (`"zeeman"`, `"uniaxial"`, ...).
    const NAME: &'static str;
    /// Reduced field on spin `site` in direction `m`.
    fn site_field(&self, t: S, site: usize, m: Vec3<S>) -> Vec3<S>;
    /// Reduced energy density of spin `site` in direction `m`.
    fn site_energy(&self, t: S, site: usize, m: Vec3<S>) -> S;
}

macro_rules! site_terms {
    ($($ty:ident $(: $timed:tt)?),*) => {$(
        impl<S: Real> FieldTerm<S> for $ty<S> {
            $(const AUTONOMOUS: bool = false;
            fn rebase(&mut self, epoch: f64) -> f64 {
                self.$timed(epoch)
            })?
            #[inline(always)]
            fn add_field(&self, t: S, m: &[Vec3<S>], h: &mut [Vec3<S>]) {
                for (i, (hi, &mi)) in h.iter_mut().zip(m.iter()).enumerate() {
                    *hi += self.site_field(t, i, mi);
                }
            }
            #[inline(always)]
            fn set_field(&self, t: S, m: &[Vec3<S>], h: &mut [Vec3<S>]) {
                for (i, (hi, &mi)) in h.iter_mut().zip(m.iter()).enumerate() {
                    *hi = self.site_field(t, i, mi);
                }
            }
            #[inline]
            fn energy(&self, t: S, m: &[Vec3<S>]) -> S {
                let mut e = S::ZERO;
                for (i, &mi) in m.iter().enumerate() {
                    e += self.site_energy(t, i, mi);
                }
                e
            }
            #[inline]
            fn delta_energy(&self, t: S, m: &[Vec3<S>], site: usize, new: Vec3<S>) -> S {
                match m.get(site) {
                    Some(&old) => self.site_energy(t, site, new) - self.site_energy(t, site, old),
                    None => S::ZERO,
                }
            }
            fn visit_energies<F: FnMut(&'static str, S)>(
                &self, t: S, m: &[Vec3<S>], f: &mut F,
            ) {
                f(<Self as SiteTerm<S>>::NAME, self.energy(t, m));
            }
        }
    )*};
}
site_terms!(Zeeman: rebase_drives, ConstantZeeman, Uniaxial, UniaxialK1, Cubic, Demag);

impl<S: Real> FieldTerm<S> for () {
    #[inline(always)]
    fn add_field(&self, _: S, _: &[Vec3<S>], _: &mut [Vec3<S>]) {}
    #[inline(always)]
    fn energy(&self, _: S, _: &[Vec3<S>]) -> S {
        S::ZERO
    }
    #[inline(always)]
    fn delta_energy(&self, _: S, _: &[Vec3<S>], _: usize, _: Vec3<S>) -> S {
        S::ZERO
    }
    fn visit_energies<F: FnMut(&'static str, S)>(&self, _: S, _: &[Vec3<S>], _: &mut F) {}
}

impl<S: Real, T: FieldTerm<S>> FieldTerm<S> for Option<T> {
    const AUTONOMOUS: bool = T::AUTONOMOUS;
    const UNIFORM_NOISE: bool = T::UNIFORM_NOISE;
    #[inline(always)]
    fn noise_scale(&self, site: usize) -> S {
        self.as_ref().map_or(S::ONE, |t| t.noise_scale(site))
    }
    fn rebase(&mut self, epoch: f64) -> f64 {
        self.as_mut().map_or(f64::INFINITY, |t| t.rebase(epoch))
    }
    #[inline(always)]
    fn add_field(&self, t: S, m: &[Vec3<S>], h: &mut [Vec3<S>]) {
        if let Some(term) = self {
            term.add_field(t, m, h);
        }
    }
    #[inline(always)]
    fn set_field(&self, t: S, m: &[Vec3<S>], h: &mut [Vec3<S>]) {
        match self {
            Some(term) => term.set_field(t, m, h),
            None => {
                for hi in h.iter_mut() {
                    *hi = Vec3::ZERO;
                }
            }
        }
    }
    #[inline]
    fn energy(&self, t: S, m: &[Vec3<S>]) -> S {
        match self {
            Some(term) => term.energy(t, m),
            None => S::ZERO,
        }
    }
    #[inline]
    fn delta_energy(&self, t: S, m: &[Vec3<S>], site: usize, new: Vec3<S>) -> S {
        match self {
            Some(term) => term.delta_energy(t, m, site, new),
            None => S::ZERO,
        }
    }
    fn visit_energies<F: FnMut(&'static str, S)>(&self, t: S, m: &[Vec3<S>], f: &mut F) {
        if let Some(term) = self {
            term.visit_energies(t, m, f);
        }
    }
}

macro_rules! tuple_terms {
    ($(($first:ident . $fidx:tt $(, $name:ident . $idx:tt)*)),*) => {$(
        impl<S: Real, $first: FieldTerm<S>, $($name: FieldTerm<S>),*> FieldTerm<S> for ($first, $($name,)*) {
            const AUTONOMOUS: bool = $first::AUTONOMOUS $(&& $name::AUTONOMOUS)*;
            const UNIFORM_NOISE: bool = $first::UNIFORM_NOISE $(&& $name::UNIFORM_NOISE)*;
            #[inline(always)]
            fn noise_scale(&self, site: usize) -> S {
                self.$fidx.noise_scale(site) $(* self.$idx.noise_scale(site))*
            }
            fn rebase(&mut self, epoch: f64) -> f64 {
                self.$fidx.rebase(epoch) $(.min(self.$idx.rebase(epoch)))*
            }
            #[inline(always)]
            fn add_field(&self, t: S, m: &[Vec3<S>], h: &mut [Vec3<S>]) {
                self.$fidx.add_field(t, m, h);
                $(self.$idx.add_field(t, m, h);)*
            }
            #[inline(always)]
            fn set_field(&self, t: S, m: &[Vec3<S>], h: &mut [Vec3<S>]) {
                self.$fidx.set_field(t, m, h);
                $(self.$idx.add_field(t, m, h);)*
            }
            #[inline]
            fn energy(&self, t: S, m: &[Vec3<S>]) -> S {
                self.$fidx.energy(t, m) $(+ self.$idx.energy(t, m))*
            }
            #[inline]
            fn delta_energy(&self, t: S, m: &[Vec3<S>], site: usize, new: Vec3<S>) -> S {
                self.$fidx.delta_energy(t, m, site, new) $(+ self.$idx.delta_energy(t, m, site, new))*
            }
            fn visit_energies<V: FnMut(&'static str, S)>(
                &self, t: S, m: &[Vec3<S>], f: &mut V,
            ) {
                self.$fidx.visit_energies(t, m, f);
                $(self.$idx.visit_energies(t, m, f);)*
            }
        }
    )*};
}
tuple_terms!(
    (A.0),
    (A.0, B.1),
    (A.0, B.1, C.2),
    (A.0, B.1, C.2, D.3),
    (A.0, B.1, C.2, D.3, E.4),
    (A.0, B.1, C.2, D.3, E.4, F.5),
    (A.0, B.1, C.2, D.3, E.4, F.5, G.6),
    (A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7)
);

/// Total reduced field of `terms` at `(t, m)` (the first term sets the buffer, the rest add).
#[inline(always)]
pub fn total_field<S: Real, F: FieldTerm<S>>(terms: &F, t: S, m: &[Vec3<S>], h: &mut [Vec3<S>]) {
    terms.set_field(t, m, h);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The O(1) single-site energy change equals the difference of two full energies, for a
    /// composed model on several spins, at every site.
    #[test]
    fn delta_energy_is_the_energy_difference() {
        let terms = (
            Zeeman::constant(Vec3::new(0.1f64, -0.2, 0.3)),
            Some(Uniaxial::new(0.4, 0.05, Vec3::new(0.0, 0.6, 0.8))),
            Cubic::new(0.2, -0.1, Vec3::X, Vec3::Y),
            Demag::new(Vec3::new(0.1, 0.2, 0.7)),
        );
        let m = [
            Vec3::new(0.6, 0.0, 0.8),
            Vec3::new(0.0, 1.0, 0.0),
            Vec3::new(-0.48, 0.6, 0.64),
        ];
        let new = Vec3::new(0.0, -0.6, 0.8);
        for site in 0..3 {
            let mut moved = m;
            moved[site] = new;
            let full = terms.energy(0.0, &moved) - terms.energy(0.0, &m);
            let local = terms.delta_energy(0.0, &m, site, new);
            assert!(
                (full - local).abs() < 1e-15,
                "site {site}: {full} vs {local}"
            );
        }
        assert_eq!(terms.delta_energy(0.0, &m, 3, new), 0.0);
    }
}

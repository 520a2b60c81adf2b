//! Effective-field terms. Each term has a reduced energy `e(m)` and a reduced field
//! `h = -de/dm`; both are checked against each other by finite differences in the tests.
//!
//! Terms compose as concrete types, never `dyn`: `()` is the empty term, `Option<T>` is a term that
//! may be absent, and tuples of up to eight terms add their fields (the first writes nothing
//! special: every term *adds* into the buffer the caller zeroed). A model is therefore one
//! monomorphised type and the compiler inlines the whole field evaluation.
//!
//! The state is an array of `N` unit vectors (`N = 1` for a macrospin); single-site terms act on
//! every spin alike, interaction terms (exchange, dipolar) see the whole array.

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
    /// Adds this term's reduced field `h = -de/dm` at reduced time `t` into `h`.
    fn add_field<const N: usize>(&self, t: S, m: &[Vec3<S>; N], h: &mut [Vec3<S>; N]);
    /// Overwrites `h` with this term's field (the first term of a sum sets, the rest add, as
    /// in mumax3: no `0 + h` on the critical path).
    #[inline(always)]
    fn set_field<const N: usize>(&self, t: S, m: &[Vec3<S>; N], h: &mut [Vec3<S>; N]) {
        for hi in h.iter_mut() {
            *hi = Vec3::ZERO;
        }
        self.add_field(t, m, h);
    }
    /// Reduced energy `e`, summed over the spins (each spin's energy density over mu0 Ms^2).
    fn energy<const N: usize>(&self, t: S, m: &[Vec3<S>; N]) -> S;
    /// Calls `f(name, energy)` once per elementary term, in composition order.
    fn visit_energies<const N: usize, F: FnMut(&'static str, S)>(
        &self,
        t: S,
        m: &[Vec3<S>; N],
        f: &mut F,
    ) {
        f("energy", self.energy(t, m));
    }
}

/// A term that acts on each spin independently (Zeeman, anisotropies, demagnetisation).
pub trait SiteTerm<S: Real> {
    /// Name used for the energy column (`"zeeman"`, `"uniaxial"`, ...).
    const NAME: &'static str;
    /// Reduced field on one spin.
    fn site_field(&self, t: S, m: Vec3<S>) -> Vec3<S>;
    /// Reduced energy density of one spin.
    fn site_energy(&self, t: S, m: Vec3<S>) -> S;
}

macro_rules! site_terms {
    ($($ty:ident),*) => {$(
        impl<S: Real> FieldTerm<S> for $ty<S> {
            #[inline(always)]
            fn add_field<const N: usize>(&self, t: S, m: &[Vec3<S>; N], h: &mut [Vec3<S>; N]) {
                for (hi, &mi) in h.iter_mut().zip(m.iter()) {
                    *hi += self.site_field(t, mi);
                }
            }
            #[inline(always)]
            fn set_field<const N: usize>(&self, t: S, m: &[Vec3<S>; N], h: &mut [Vec3<S>; N]) {
                for (hi, &mi) in h.iter_mut().zip(m.iter()) {
                    *hi = self.site_field(t, mi);
                }
            }
            #[inline]
            fn energy<const N: usize>(&self, t: S, m: &[Vec3<S>; N]) -> S {
                let mut e = S::ZERO;
                for &mi in m.iter() {
                    e += self.site_energy(t, mi);
                }
                e
            }
            fn visit_energies<const N: usize, F: FnMut(&'static str, S)>(
                &self, t: S, m: &[Vec3<S>; N], f: &mut F,
            ) {
                f(<Self as SiteTerm<S>>::NAME, self.energy(t, m));
            }
        }
    )*};
}
site_terms!(Zeeman, ConstantZeeman, Uniaxial, UniaxialK1, Cubic, Demag);

impl<S: Real> FieldTerm<S> for () {
    #[inline(always)]
    fn add_field<const N: usize>(&self, _: S, _: &[Vec3<S>; N], _: &mut [Vec3<S>; N]) {}
    #[inline(always)]
    fn energy<const N: usize>(&self, _: S, _: &[Vec3<S>; N]) -> S {
        S::ZERO
    }
    fn visit_energies<const N: usize, F: FnMut(&'static str, S)>(
        &self,
        _: S,
        _: &[Vec3<S>; N],
        _: &mut F,
    ) {
    }
}

impl<S: Real, T: FieldTerm<S>> FieldTerm<S> for Option<T> {
    #[inline(always)]
    fn add_field<const N: usize>(&self, t: S, m: &[Vec3<S>; N], h: &mut [Vec3<S>; N]) {
        if let Some(term) = self {
            term.add_field(t, m, h);
        }
    }
    #[inline(always)]
    fn set_field<const N: usize>(&self, t: S, m: &[Vec3<S>; N], h: &mut [Vec3<S>; N]) {
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
    fn energy<const N: usize>(&self, t: S, m: &[Vec3<S>; N]) -> S {
        match self {
            Some(term) => term.energy(t, m),
            None => S::ZERO,
        }
    }
    fn visit_energies<const N: usize, F: FnMut(&'static str, S)>(
        &self,
        t: S,
        m: &[Vec3<S>; N],
        f: &mut F,
    ) {
        if let Some(term) = self {
            term.visit_energies(t, m, f);
        }
    }
}

macro_rules! tuple_terms {
    ($(($first:ident . $fidx:tt $(, $name:ident . $idx:tt)*)),*) => {$(
        impl<S: Real, $first: FieldTerm<S>, $($name: FieldTerm<S>),*> FieldTerm<S> for ($first, $($name,)*) {
            #[inline(always)]
            fn add_field<const N: usize>(&self, t: S, m: &[Vec3<S>; N], h: &mut [Vec3<S>; N]) {
                self.$fidx.add_field(t, m, h);
                $(self.$idx.add_field(t, m, h);)*
            }
            #[inline(always)]
            fn set_field<const N: usize>(&self, t: S, m: &[Vec3<S>; N], h: &mut [Vec3<S>; N]) {
                self.$fidx.set_field(t, m, h);
                $(self.$idx.add_field(t, m, h);)*
            }
            #[inline]
            fn energy<const N: usize>(&self, t: S, m: &[Vec3<S>; N]) -> S {
                self.$fidx.energy(t, m) $(+ self.$idx.energy(t, m))*
            }
            fn visit_energies<const N: usize, V: FnMut(&'static str, S)>(
                &self, t: S, m: &[Vec3<S>; N], f: &mut V,
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
pub fn total_field<S: Real, F: FieldTerm<S>, const N: usize>(
    terms: &F,
    t: S,
    m: &[Vec3<S>; N],
    h: &mut [Vec3<S>; N],
) {
    terms.set_field(t, m, h);
}

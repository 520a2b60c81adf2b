//! Atomistic spin lattices: geometry, neighbour lists, interactions and Monte Carlo.
//!
//! A lattice is a set of classical unit spins `m_i` with moments `mu_i` on sites of a chain,
//! square, triangular, simple-cubic, bcc or fcc lattice (open or periodic in each direction), or
//! on sites the user lists. The energy is written in **atomistic reduced units**
//! ([`crate::units::AtomisticUnits`]): energies in a reference exchange energy `J_ref`, fields
//! in `J_ref / mu_ref`, temperatures in `J_ref / kB`, moments in `mu_ref`, lengths in the
//! lattice constant `a`; so `J = 1`, `T_c ~ 1` and every number of a run is of order one.
//!
//! | item | what | storage |
//! |---|---|---|
//! | [`Lattice`] | geometry builders, CSR neighbour lists (bonds by shell and direction), sublattice signs | `Lattice<N, B, D>`: `N` sites, `B` directed bonds, `D` bond vectors (default 64) |
//! | [`Neighbours`] | the lists as a view (no capacity in its type): what the terms borrow | borrowed |
//! | [`Exchange`] | Heisenberg `J_ij` per shell, ferro or antiferro; [`rkky`] gives `J(r)` | borrowed |
//! | [`Dmi`] | Dzyaloshinskii-Moriya, interfacial or bulk, per shell | 64 vectors |
//! | [`Dipolar`] | point dipoles by direct sum over precomputed pair tensors | `Dipolar<S, P>`: `P` pairs |
//! | [`OnSite`] | per-site moment `mu_i`, uniaxial anisotropy (axis, `K_i`), local field `b_i` | `OnSite<S, N>` |
//! | [`Atomistic`] | on-site terms plus interactions, fields divided by `mu_i` for LLG | owned |
//! | [`mc`] | Metropolis and heat-bath Monte Carlo for Ising, XY and Heisenberg spins | |
//! | [`observe`] | magnetisation, staggered magnetisation, energy, specific heat, susceptibility, Binder cumulant, blocked jackknife errors | `Blocks<NB>` |
//!
//! Every interaction is a [`FieldTerm`](crate::field::FieldTerm): it composes with the
//! macrospin terms in tuples, drives the existing [`crate::llg::Llg`] and steppers, and gives
//! the single-spin energy change [`delta_energy`](crate::field::FieldTerm::delta_energy) in
//! O(z) (exchange, DMI: the bonds of one site), O(1) (on-site) or O(N) (dipolar) that Monte
//! Carlo needs.
//!
//! # Fields: gradients, and the atomistic field
//! Each term's `add_field` adds the energy gradient `-de/dm_i` (checked by finite differences
//! in the tests). In atomistic LLG each spin precesses in `b_i = -(1/mu_i) de/dm_i`
//! (reduced; `dm_i/dtau = -m_i x b_i - ...`, time unit `mu_ref / (gamma J_ref)`). With equal
//! moments `mu_i = 1` the two coincide and the terms drive [`crate::llg::Llg`] directly;
//! otherwise wrap them in [`Atomistic`], which divides by `mu_i`.
//!
//! # Memory
//! Per site: 4 bytes (CSR row end) + 1 byte (sublattice sign); per directed bond 4 bytes
//! ([`Bond`]: a `u16` neighbour, a `u8` shell and a `u8` direction), plus up to `D` bond
//! vectors of 24 bytes (64 by default: 1.5 KiB; `Lattice<N, B, 4>` for a nearest-neighbour
//! square lattice: 96 bytes) and the shell radii per lattice. A nearest-neighbour simple-cubic
//! lattice (`z = 6`) takes 29 bytes per spin, a square one (`z = 4`) 21. [`OnSite`] holds 10
//! scalars per site (40 bytes in f32); uniform on-site terms cost nothing per site as the
//! macrospin [`SiteTerm`](crate::field::SiteTerm)s ([`UniaxialK1`](crate::field::UniaxialK1),
//! [`ConstantZeeman`](crate::field::ConstantZeeman): the same field `2 K (m.u) u + b`), which
//! act on every spin of a state. [`Dipolar`] holds 6 scalars per pair, `3 (N - 1)` per spin: 48 bytes per pair in
//! f64, so 255 spins take 1.5 MiB in f64 (0.76 MiB in f32): a host-side or small-cluster term.
//!
//! ```
//! use larmor::lattice::{Boundary, Exchange, Lattice, LatticeSpec};
//! use larmor::{field::FieldTerm, Vec3};
//! // a periodic 4 x 4 square lattice, nearest neighbours, ferromagnetic J = 1
//! let lat = Lattice::<16, 64>::build(&LatticeSpec::square(4, 4, Boundary::Periodic)).unwrap();
//! let ex = Exchange::<f64>::uniform(lat.neighbours(), 1.0);
//! let m = [Vec3::Z; 16];
//! assert_eq!(ex.energy(0.0, &m), -32.0); // 2 bonds per site, -J each
//! ```

/// The [`FieldTerm`](crate::field::FieldTerm) of a bilinear neighbour interaction from its
/// `local_field(m, i)` (the field on site `i`, linear in the neighbours' spins): the field adds
/// it per site, the energy is `-1/2 sum_i m_i . h_i` (each bond once), and a single-spin move
/// changes it by `-(new - old) . h_site` (the site's own field does not depend on it).
macro_rules! bilinear_terms {
    ($($ty:ident: $name:literal),*) => {$(
        impl<S: Real> crate::field::FieldTerm<S> for $ty<'_, S> {
            fn add_field(&self, _t: S, m: &[Vec3<S>], h: &mut [Vec3<S>]) {
                for (i, hi) in h.iter_mut().enumerate().take(m.len()) {
                    *hi += self.local_field(m, i);
                }
            }
            /// Zeroing and adding in one pass: `0 + h_i` per site, as the default's two.
            #[inline(always)]
            fn set_field(&self, _t: S, m: &[Vec3<S>], h: &mut [Vec3<S>]) {
                let n = m.len().min(h.len());
                let (head, tail) = h.split_at_mut(n);
                for (i, hi) in head.iter_mut().enumerate() {
                    *hi = Vec3::ZERO + self.local_field(m, i);
                }
                for hi in tail.iter_mut() {
                    *hi = Vec3::ZERO;
                }
            }
            fn energy(&self, _t: S, m: &[Vec3<S>]) -> S {
                let mut e = S::ZERO;
                for (i, &mi) in m.iter().enumerate() {
                    e -= mi.dot(self.local_field(m, i));
                }
                e * S::HALF
            }
            #[inline]
            fn delta_energy(&self, _t: S, m: &[Vec3<S>], site: usize, new: Vec3<S>) -> S {
                match m.get(site) {
                    Some(&old) => -(new - old).dot(self.local_field(m, site)),
                    None => S::ZERO,
                }
            }
            fn visit_energies<F: FnMut(&'static str, S)>(&self, t: S, m: &[Vec3<S>], f: &mut F) {
                f($name, self.energy(t, m));
            }
        }
    )*};
}

mod dipolar;
mod dmi;
mod exchange;
mod geometry;
pub mod mc;
pub mod observe;
mod onsite;

pub use dipolar::Dipolar;
pub use dmi::Dmi;
pub use exchange::{rkky, Exchange};
pub use geometry::{Bond, Boundary, Kind, Lattice, LatticeSpec, Neighbours};
pub use onsite::{Atomistic, OnSite, Site};

use crate::real::Real;
use crate::vec3::Vec3;

bilinear_terms!(Exchange: "exchange", Dmi: "dmi");

/// Most neighbour shells a lattice holds (a power of two, so a shell index masks into a
/// per-shell table without a bounds check).
pub const SHELLS: usize = 4;
/// Most distinct bond vectors a lattice holds (its bonds refer to them by a `u8`).
pub const DIRECTIONS: usize = 64;
/// Most sites of a lattice: neighbours are stored as `u16`.
pub const MAX_SITES: usize = 1 << 16;

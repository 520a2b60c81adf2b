//! Dipole-dipole coupling of point moments by direct summation over precomputed pair tensors.

use super::{Boundary, Kind, Lattice};
use crate::error::{check_min, Error};
use crate::field::FieldTerm;
use crate::math;
use crate::real::Real;
use crate::vec3::Vec3;

/// Dipolar coupling of point moments, `E = -w sum_{i<j} mu_i mu_j [3 (m_i . r)(m_j . r) -
/// m_i . m_j] / r^3` (`r` the unit vector and `r` the distance between the sites, in lattice
/// constants), by direct summation over all pairs (Jackson, Classical Electrodynamics, 3rd ed.,
/// eq. 5.56). `w = mu0 mu_ref^2 / (4 pi a^3 J_ref)` is the dipolar strength in atomistic
/// units ([`crate::units::AtomisticUnits::dipolar_strength`]).
///
/// Each pair's tensor `T_ij = w mu_i mu_j (3 r r - I) / r^3` is computed once (6 scalars per
/// pair, `P >= n (n - 1) / 2` pairs: 48 bytes per pair in f64, 24 in f32; a 125-spin cube
/// needs 7750 pairs, 372 KB in f64): `E = -sum_{i<j} m_i . T_ij m_j`, gradient field
/// `h_i = sum_j T_ij m_j`, O(n^2) per field evaluation and O(n) per single-spin change. The
/// sum is over the cluster as built, open boundaries only (a periodic dipolar sum converges
/// only conditionally and needs Ewald summation).
#[derive(Clone, Debug, PartialEq)]
pub struct Dipolar<S, const P: usize> {
    n: usize,
    /// Upper triangle `i < j` row by row: `(xx, yy, zz, xy, xz, yz)`.
    t: heapless::Vec<[S; 6], P>,
}

impl<S: Real, const P: usize> Dipolar<S, P> {
    /// Pair tensors of sites at `positions` (lattice constants) with reduced moments
    /// `moments` (`mu_i / mu_ref`; an empty slice means all 1) and dipolar strength `w`.
    ///
    /// ```
    /// use larmor::{field::FieldTerm, lattice::Dipolar, Vec3};
    /// // two moments along their axis attract: E = -2 w / r^3
    /// let d = Dipolar::<f64, 1>::new(&[[0.0; 3], [0.0, 0.0, 2.0]], &[], 1.0).unwrap();
    /// assert_eq!(d.energy(0.0, &[Vec3::Z, Vec3::Z]), -0.25);
    /// ```
    ///
    /// # Errors
    /// [`Error::Empty`] for no sites; [`Error::Inconsistent`] for moments of another length
    /// than the positions or two sites closer than 1e-6; [`Error::OutOfRange`] for a
    /// non-finite position (`lattice.sites`), a moment not > 0 (`lattice.mu`) or `w` not
    /// >= 0 (`lattice.dipolar`); [`Error::Capacity`] `lattice.dipolar.pairs` beyond `P`.
    pub fn new(positions: &[[f64; 3]], moments: &[f64], w: f64) -> Result<Self, Error> {
        Self::build(positions.len(), |i| positions.get(i).copied(), moments, w)
    }

    /// Pair tensors of a built lattice with open boundaries (see [`Dipolar::new`]).
    ///
    /// # Errors
    /// [`Error::Inconsistent`] for a periodic direction or user-listed sites (pass their
    /// positions to [`Dipolar::new`]); otherwise as [`Dipolar::new`].
    pub fn from_lattice<const N: usize, const B: usize, const D: usize>(
        lat: &Lattice<N, B, D>,
        moments: &[f64],
        w: f64,
    ) -> Result<Self, Error> {
        if lat.spec().boundary.contains(&Boundary::Periodic) {
            return Err(Error::Inconsistent {
                what: "lattice.dipolar: direct summation needs open boundaries",
            });
        }
        if lat.spec().kind == Kind::Sites {
            return Err(Error::Inconsistent {
                what: "lattice.dipolar: pass user-listed positions to Dipolar::new",
            });
        }
        Self::build(lat.sites(), |i| lat.position(i), moments, w)
    }

    fn build(
        n: usize,
        pos: impl Fn(usize) -> Option<[f64; 3]>,
        moments: &[f64],
        w: f64,
    ) -> Result<Self, Error> {
        if n == 0 {
            return Err(Error::Empty {
                what: "lattice.sites",
            });
        }
        if !moments.is_empty() && moments.len() != n {
            return Err(Error::Inconsistent {
                what: "lattice.mu: one moment per site (or none for all 1)",
            });
        }
        check_min("lattice.dipolar", w, 0.0, true, ">= 0 (and finite)")?;
        for &mu in moments {
            check_min("lattice.mu", mu, 0.0, false, "> 0 (and finite)")?;
        }
        if n.saturating_mul(n - 1) / 2 > P {
            return Err(Error::Capacity {
                what: "lattice.dipolar.pairs",
                capacity: P,
            });
        }
        let mu = |i: usize| moments.get(i).copied().unwrap_or(1.0);
        let at = |i: usize| -> Result<[f64; 3], Error> {
            let p = pos(i).ok_or(Error::Inconsistent {
                what: "lattice.sites: a site has no position",
            })?;
            match p.iter().find(|c| !c.is_finite()) {
                Some(&c) => Err(Error::OutOfRange {
                    param: "lattice.sites",
                    value: c,
                    allowed: "finite coordinates",
                }),
                None => Ok(p),
            }
        };
        let mut t = heapless::Vec::new();
        for i in 0..n {
            let pi = at(i)?;
            for j in i + 1..n {
                let pj = at(j)?;
                let d = [pj[0] - pi[0], pj[1] - pi[1], pj[2] - pi[2]];
                let r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                if r2 < 1e-12 {
                    return Err(Error::Inconsistent {
                        what: "lattice.sites: two sites coincide (closer than 1e-6)",
                    });
                }
                let r = math::sqrt_f64(r2);
                let u = [d[0] / r, d[1] / r, d[2] / r];
                let c = w * mu(i) * mu(j) / (r2 * r);
                let e = |a: usize, b: usize| {
                    let delta = if a == b { 1.0 } else { 0.0 };
                    S::from_f64(c * (3.0 * u[a] * u[b] - delta))
                };
                // room was checked above
                let _ = t.push([e(0, 0), e(1, 1), e(2, 2), e(0, 1), e(0, 2), e(1, 2)]);
            }
        }
        Ok(Self { n, t })
    }

    /// Number of sites.
    pub fn sites(&self) -> usize {
        self.n
    }

    /// Index of pair `(i, j)`, `i < j < n`.
    #[inline(always)]
    fn pair(&self, i: usize, j: usize) -> usize {
        i * (2 * self.n - i - 1) / 2 + (j - i - 1)
    }

    /// `sum_{j != i} T_ij m_j`: the dipolar field on site `i` (times `mu_i`), O(n).
    pub fn local_field(&self, m: &[Vec3<S>], i: usize) -> Vec3<S> {
        let mut h = Vec3::ZERO;
        let k = self.n.min(m.len());
        if i >= k {
            return h;
        }
        for j in 0..i {
            if let Some(t) = self.t.get(self.pair(j, i)) {
                h += Vec3::sym_apply(t, m[j]);
            }
        }
        let base = if i + 1 < self.n {
            self.pair(i, i + 1)
        } else {
            0
        };
        for (j, t) in (i + 1..k).zip(self.t.iter().skip(base)) {
            h += Vec3::sym_apply(t, m[j]);
        }
        h
    }
}

impl<S: Real, const P: usize> FieldTerm<S> for Dipolar<S, P> {
    fn add_field(&self, _t: S, m: &[Vec3<S>], h: &mut [Vec3<S>]) {
        let k = self.n.min(m.len()).min(h.len());
        let mut pairs = self.t.iter();
        for i in 0..self.n {
            for j in i + 1..self.n {
                let Some(t) = pairs.next() else { return };
                if j < k {
                    h[i] += Vec3::sym_apply(t, m[j]);
                    h[j] += Vec3::sym_apply(t, m[i]);
                }
            }
        }
    }
    fn energy(&self, _t: S, m: &[Vec3<S>]) -> S {
        let k = self.n.min(m.len());
        let mut e = S::ZERO;
        let mut pairs = self.t.iter();
        for i in 0..self.n {
            for j in i + 1..self.n {
                let Some(t) = pairs.next() else { return e };
                if j < k {
                    e -= m[i].dot(Vec3::sym_apply(t, m[j]));
                }
            }
        }
        e
    }
    fn delta_energy(&self, _t: S, m: &[Vec3<S>], site: usize, new: Vec3<S>) -> S {
        match m.get(site) {
            Some(&old) => -(new - old).dot(self.local_field(m, site)),
            None => S::ZERO,
        }
    }
    fn visit_energies<F: FnMut(&'static str, S)>(&self, t: S, m: &[Vec3<S>], f: &mut F) {
        f("dipolar", self.energy(t, m));
    }
}

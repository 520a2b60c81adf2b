//! Dzyaloshinskii-Moriya interaction on the bonds of a lattice.

use super::{Neighbours, DIRECTIONS, SHELLS};
use crate::error::{check_direction, check_finite, Error};
use crate::math;
use crate::real::Real;
use crate::vec3::Vec3;

/// Dzyaloshinskii-Moriya interaction `E = sum_<ij> D_ij . (m_i x m_j)` (each pair once;
/// Dzyaloshinskii 1958, Moriya 1960), with `D_ij` fixed by the bond direction
/// `r_ij = (r_j - r_i)/|r_j - r_i|` and a constant `D_s` per shell:
///
/// - **interfacial** (Neel type, a film on a heavy-metal layer with normal `n`; Fert and Levy
///   1980): `D_ij = D_s (n x r_ij)`;
/// - **bulk** (Bloch type, B20 crystals): `D_ij = D_s r_ij`.
///
/// Both are odd in `r_ij`, so `D_ji = -D_ij` and the pair energy is symmetric. Reduced: gradient
/// field `h_i = sum_j D_ij x m_j`; the single-spin change is `-(m_new - m_old) . h_i`, O(z).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dmi<'a, S> {
    nb: Neighbours<'a>,
    /// `D_ij` per bond direction of the lattice.
    d: [Vec3<S>; DIRECTIONS],
}

impl<'a, S: Real> Dmi<'a, S> {
    fn with(
        nb: Neighbours<'a>,
        d: &[f64],
        form: impl Fn([f64; 3]) -> [f64; 3],
    ) -> Result<Self, Error> {
        if d.len() > SHELLS {
            return Err(Error::OutOfRange {
                param: "lattice.dmi",
                value: d.len() as f64,
                allowed: "at most 4 shell constants",
            });
        }
        for &x in d {
            check_finite("lattice.dmi", x)?;
        }
        let mut out = [Vec3::ZERO; DIRECTIONS];
        let radii = nb.shell_radii();
        for (k, dk) in out.iter_mut().enumerate().take(nb.directions()) {
            let Some(v) = nb.direction(k) else { break };
            let r = math::sqrt_f64(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
            let shell = radii.iter().position(|&s| (s - r).abs() < 1e-6);
            let ds = shell.and_then(|s| d.get(s)).copied().unwrap_or(0.0);
            let u = form([v[0] / r, v[1] / r, v[2] / r]);
            *dk = Vec3::from_f64([ds * u[0], ds * u[1], ds * u[2]]);
        }
        Ok(Self { nb, d: out })
    }
    /// Interfacial DMI `D_ij = d[s] (n x r_ij)` for a film of normal `normal`.
    ///
    /// ```
    /// use larmor::lattice::{Boundary, Dmi, Lattice, LatticeSpec};
    /// use larmor::{field::FieldTerm, Vec3};
    /// let lat = Lattice::<2, 2>::build(&LatticeSpec::chain(2, Boundary::Open)).unwrap();
    /// let dmi = Dmi::<f64>::interfacial(lat.neighbours(), &[1.0], [0.0, 0.0, 1.0]).unwrap();
    /// // D_01 = z x x = y; m_0 x m_1 = z x x = y: E = 1
    /// assert_eq!(dmi.energy(0.0, &[Vec3::Z, Vec3::X]), 1.0);
    /// ```
    ///
    /// # Errors
    /// [`Error::OutOfRange`] `lattice.dmi` for a non-finite constant or more than [`SHELLS`];
    /// [`Error::ZeroVector`] `lattice.dmi.normal` for a zero or non-finite normal.
    pub fn interfacial(nb: Neighbours<'a>, d: &[f64], normal: [f64; 3]) -> Result<Self, Error> {
        let n = check_direction("lattice.dmi.normal", normal)?;
        Self::with(nb, d, |r| {
            [
                n[1] * r[2] - n[2] * r[1],
                n[2] * r[0] - n[0] * r[2],
                n[0] * r[1] - n[1] * r[0],
            ]
        })
    }
    /// Bulk DMI `D_ij = d[s] r_ij`.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] `lattice.dmi` as for [`Dmi::interfacial`].
    pub fn bulk(nb: Neighbours<'a>, d: &[f64]) -> Result<Self, Error> {
        Self::with(nb, d, |r| r)
    }
    /// `sum_j D_ij x m_j` over the bonds of site `i`.
    #[inline(always)]
    pub fn local_field(&self, m: &[Vec3<S>], i: usize) -> Vec3<S> {
        let mut h = Vec3::ZERO;
        for b in self.nb.row(i) {
            if let Some(&mj) = m.get(b.j as usize) {
                // DIRECTIONS is a power of two: the mask keeps the index in range
                h += self.d[b.dir as usize & (DIRECTIONS - 1)].cross(mj);
            }
        }
        h
    }
}

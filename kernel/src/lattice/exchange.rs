//! Heisenberg exchange over neighbour shells.

use super::{Neighbours, SHELLS};
use crate::error::{check_finite, check_min, Error};
use crate::math;
use crate::real::Real;
use crate::vec3::Vec3;

/// Heisenberg exchange `E = -sum_<ij> J_ij m_i . m_j` (each pair once), `J_ij = J_s` for a
/// pair in shell `s`: `J > 0` ferromagnetic, `J < 0` antiferromagnetic (Heisenberg 1928).
///
/// Reduced (energies in `J_ref`): gradient field `h_i = -de/dm_i = sum_j J_ij m_j`; the
/// single-spin change is `-(m_new - m_old) . h_i`, O(z) over the bonds of one site.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Exchange<'a, S> {
    nb: Neighbours<'a>,
    j: [S; SHELLS],
}

/// The RKKY coupling of a free-electron gas at distance `r` (lattice constants):
/// `J(r) = j0 F(2 kf r)`, `F(x) = (sin x - x cos x) / x^4` (Ruderman and Kittel 1954, Yosida
/// 1957; Kittel, Solid State Phys. 22, 1 (1968), eq. 2.19 up to the constant `j0`), with the
/// Fermi wave number `kf` in inverse lattice constants. Ferromagnetic (`J > 0` for `j0 > 0`) at
/// short range, oscillating with period `pi / kf` and decaying as `r^-3`. Set-up code (f64).
///
/// ```
/// use larmor::lattice::rkky;
/// assert!(rkky(1.0, 1.0, 0.5) > 0.0 && rkky(1.0, 1.0, 2.5) < 0.0); // first node at 2 kf r = 4.49
/// ```
pub fn rkky(j0: f64, kf: f64, r: f64) -> f64 {
    let x = 2.0 * kf * r;
    if x == 0.0 {
        return 0.0;
    }
    let (s, c) = math::sin_cos_f64(x);
    let x2 = x * x;
    j0 * (s - x * c) / (x2 * x2)
}

impl<'a, S: Real> Exchange<'a, S> {
    /// Nearest-neighbour exchange `j` (reduced), no coupling beyond the first shell.
    pub fn uniform(nb: Neighbours<'a>, j: S) -> Self {
        let mut js = [S::ZERO; SHELLS];
        js[0] = j;
        Self { nb, j: js }
    }
    /// `true` if every shell of the lattice (every bond's shell is one of them) has the
    /// constant exactly 1: one ferromagnetic shell in units of `J_ref`, the usual case. Then
    /// the field sums the neighbours without the products `m_j * 1`, which are exact, so the
    /// sum is the same to the bit. Checked per call (at most [`SHELLS`] compares), so the
    /// term's size does not change.
    #[inline(always)]
    fn unit(&self) -> bool {
        let n = self.nb.shell_radii().len();
        (1..=SHELLS).contains(&n) && self.j[..n].iter().all(|&x| x == S::ONE)
    }
    /// Exchange `j[s]` (reduced) for shell `s`; shells beyond `j` are not coupled.
    ///
    /// ```
    /// use larmor::lattice::{Boundary, Exchange, Lattice, LatticeSpec};
    /// use larmor::{field::FieldTerm, Vec3};
    /// let spec = LatticeSpec::chain(6, Boundary::Periodic).with_shells(2);
    /// let lat = Lattice::<6, 24>::build(&spec).unwrap();
    /// // J1 = 1, J2 = -0.25 (frustrated chain)
    /// let ex = Exchange::<f64>::new(lat.neighbours(), &[1.0, -0.25]).unwrap();
    /// assert_eq!(ex.energy(0.0, &[Vec3::Z; 6]), -6.0 * 0.75);
    /// ```
    ///
    /// # Errors
    /// [`Error::OutOfRange`] `lattice.exchange` for a non-finite constant or more constants
    /// than [`SHELLS`].
    pub fn new(nb: Neighbours<'a>, j: &[f64]) -> Result<Self, Error> {
        if j.len() > SHELLS {
            return Err(Error::OutOfRange {
                param: "lattice.exchange",
                value: j.len() as f64,
                allowed: "at most 4 shell constants",
            });
        }
        let mut js = [S::ZERO; SHELLS];
        for (d, &x) in js.iter_mut().zip(j) {
            *d = S::from_f64(check_finite("lattice.exchange", x)?);
        }
        Ok(Self { nb, j: js })
    }
    /// RKKY exchange `J_s = rkky(j0, kf, r_s)` at the radius `r_s` of every shell of `nb`.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] `lattice.rkky` unless `j0` is finite and `kf > 0`.
    pub fn rkky(nb: Neighbours<'a>, j0: f64, kf: f64) -> Result<Self, Error> {
        check_finite("lattice.rkky.j0", j0)?;
        check_min(
            "lattice.rkky.kf",
            kf,
            0.0,
            false,
            "> 0 per lattice constant",
        )?;
        let mut js = [0.0; SHELLS];
        for (d, &r) in js.iter_mut().zip(nb.shell_radii()) {
            *d = rkky(j0, kf, r);
        }
        Self::new(nb, &js)
    }
    /// The constant of shell `s` (0 beyond the shells).
    pub fn constant(&self, s: usize) -> S {
        self.j.get(s).copied().unwrap_or(S::ZERO)
    }
    /// `sum_j J_ij m_j` over the bonds of site `i` (the exchange field on it).
    #[inline(always)]
    pub fn local_field(&self, m: &[Vec3<S>], i: usize) -> Vec3<S> {
        let mut h = Vec3::ZERO;
        if self.unit() {
            for b in self.nb.row(i) {
                if let Some(&mj) = m.get(b.j as usize) {
                    h += mj;
                }
            }
            return h;
        }
        for b in self.nb.row(i) {
            if let Some(&mj) = m.get(b.j as usize) {
                // SHELLS is a power of two: the mask keeps the index in range, no check
                h += mj.scale(self.j[b.shell as usize & (SHELLS - 1)]);
            }
        }
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::FieldTerm;
    use crate::lattice::{Boundary, Dmi, Lattice, LatticeSpec};

    /// The same terms in f32 and f64 agree to f32 rounding (one test body, two scalars).
    #[test]
    fn f32_and_f64_agree() {
        let lat =
            Lattice::<27, 512>::build(&LatticeSpec::simple_cubic(3, Boundary::Periodic)).unwrap();
        let nb = lat.neighbours();
        let m64: [Vec3<f64>; 27] = core::array::from_fn(|i| {
            let (s, c) = math::sin_cos_f64(0.7 * i as f64);
            Vec3::new(s, c, 0.3).normalized()
        });
        let m32: [Vec3<f32>; 27] = core::array::from_fn(|i| m64[i].cast());
        let e64 = (
            Exchange::<f64>::new(nb, &[1.0, 0.0]).unwrap(),
            Dmi::<f64>::bulk(nb, &[0.3]).unwrap(),
        );
        let e32 = (
            Exchange::<f32>::new(nb, &[1.0, 0.0]).unwrap(),
            Dmi::<f32>::bulk(nb, &[0.3]).unwrap(),
        );
        let (a, b) = (e64.energy(0.0, &m64), e32.energy(0.0, &m32) as f64);
        assert!((a - b).abs() < 1e-5 * a.abs().max(1.0), "{a} vs {b}");
        let (mut h64, mut h32) = ([Vec3::ZERO; 27], [Vec3::ZERO; 27]);
        e64.set_field(0.0, &m64, &mut h64);
        e32.set_field(0.0, &m32, &mut h32);
        for (x, y) in h64.iter().zip(&h32) {
            assert!((*x - y.cast()).max_abs() < 1e-5);
        }
    }
}

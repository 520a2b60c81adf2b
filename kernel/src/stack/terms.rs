//! The field terms of a stack, in the stack's reduced energy `e = E / (mu0 Ms_0^2 V_0)`: each
//! gives the gradient `-de/dm_i` (the layer's field times its moment ratio `w_i`, see the
//! module docs of [`crate::stack`]).

use crate::field::FieldTerm;
use crate::real::Real;
use crate::vec3::Vec3;

/// The reduced single-layer parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Layer<S> {
    /// `w_i (h + h_eb,i)`: the Zeeman gradient.
    pub zeeman: Vec3<S>,
    /// `K_i V_i / (mu0 Ms_0^2 V_0)`.
    pub k: S,
    pub two_k: S,
    pub axis: Vec3<S>,
    /// `(Ms_i^2 V_i / (Ms_0^2 V_0)) (Nx, Ny, Nz)`.
    pub demag: Vec3<S>,
}

impl<S: Real> Layer<S> {
    #[inline(always)]
    fn gradient(&self, m: Vec3<S>) -> Vec3<S> {
        let d = &self.demag;
        self.zeeman + self.axis.scale(m.dot(self.axis) * self.two_k)
            - Vec3::new(d.x * m.x, d.y * m.y, d.z * m.z)
    }
    #[inline(always)]
    fn zeeman_energy(&self, m: Vec3<S>) -> S {
        -m.dot(self.zeeman)
    }
    #[inline(always)]
    fn uniaxial_energy(&self, m: Vec3<S>) -> S {
        let c = m.dot(self.axis);
        self.k * (S::ONE - c * c)
    }
    #[inline(always)]
    fn demag_energy(&self, m: Vec3<S>) -> S {
        let d = &self.demag;
        S::HALF * (d.x * m.x * m.x + d.y * m.y * m.y + d.z * m.z * m.z)
    }
    #[inline(always)]
    fn energy(&self, m: Vec3<S>) -> S {
        self.zeeman_energy(m) + self.uniaxial_energy(m) + self.demag_energy(m)
    }
}

/// Each layer's own energy: Zeeman in the applied and exchange-bias fields, uniaxial
/// anisotropy `K_i V_i (1 - (m_i . u_i)^2)` and self-demagnetisation
/// `(mu0/2) Ms_i^2 V_i m_i . N_i m_i`; gradient `w_i (h + h_eb,i) + 2 k_i (m_i . u_i) u_i -
/// d_i N_i m_i`, single-layer change O(1).
#[derive(Clone, Debug, PartialEq)]
pub struct LayerTerms<S, const N: usize> {
    pub(super) layers: heapless::Vec<Layer<S>, N>,
}

impl<S: Real, const N: usize> FieldTerm<S> for LayerTerms<S, N> {
    #[inline]
    fn add_field(&self, _t: S, m: &[Vec3<S>], h: &mut [Vec3<S>]) {
        for ((hi, &mi), l) in h.iter_mut().zip(m).zip(self.layers.iter()) {
            *hi += l.gradient(mi);
        }
    }
    #[inline]
    fn set_field(&self, _t: S, m: &[Vec3<S>], h: &mut [Vec3<S>]) {
        for (i, (hi, &mi)) in h.iter_mut().zip(m).enumerate() {
            *hi = match self.layers.get(i) {
                Some(l) => l.gradient(mi),
                None => Vec3::ZERO,
            };
        }
    }
    fn energy(&self, _t: S, m: &[Vec3<S>]) -> S {
        let mut e = S::ZERO;
        for (&mi, l) in m.iter().zip(self.layers.iter()) {
            e += l.energy(mi);
        }
        e
    }
    fn delta_energy(&self, _t: S, m: &[Vec3<S>], site: usize, new: Vec3<S>) -> S {
        match (m.get(site), self.layers.get(site)) {
            (Some(&old), Some(l)) => l.energy(new) - l.energy(old),
            _ => S::ZERO,
        }
    }
    fn visit_energies<F: FnMut(&'static str, S)>(&self, _t: S, m: &[Vec3<S>], f: &mut F) {
        let sum = |e: &dyn Fn(&Layer<S>, Vec3<S>) -> S| {
            let mut s = S::ZERO;
            for (&mi, l) in m.iter().zip(self.layers.iter()) {
                s += e(l, mi);
            }
            s
        };
        f("zeeman", sum(&|l, mi| l.zeeman_energy(mi)));
        f("uniaxial", sum(&|l, mi| l.uniaxial_energy(mi)));
        f("demag", sum(&|l, mi| l.demag_energy(mi)));
    }
}

/// One coupled pair, reduced: `j1 = J1 A / (mu0 Ms_0^2 V_0)`, likewise `j2`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Pair<S> {
    pub i: u8,
    pub j: u8,
    pub j1: S,
    pub j2: S,
    pub two_j2: S,
}

impl<S: Real> Pair<S> {
    #[inline(always)]
    fn energy(&self, c: S) -> S {
        -(self.j1 * c) - self.j2 * c * c
    }
    /// The two layers, if both are in the state.
    #[inline(always)]
    fn get(&self, m: &[Vec3<S>]) -> Option<(Vec3<S>, Vec3<S>)> {
        Some((*m.get(self.i as usize)?, *m.get(self.j as usize)?))
    }
}

/// Interlayer exchange, bilinear and biquadratic (Slonczewski 1991; Demokritov 1998):
/// `e = sum_pairs [-j1 m_i . m_j - j2 (m_i . m_j)^2]`, gradient on `i`
/// `(j1 + 2 j2 m_i . m_j) m_j` (and symmetrically on `j`). Sign: `J1 < 0` antiferromagnetic.
/// The energies are reported as `"bilinear"` and `"biquadratic"`.
#[derive(Clone, Debug, PartialEq)]
pub struct Interlayer<S, const P: usize> {
    pub(super) pairs: heapless::Vec<Pair<S>, P>,
}

impl<S: Real, const P: usize> Interlayer<S, P> {
    /// Number of coupled pairs.
    pub fn pairs(&self) -> usize {
        self.pairs.len()
    }
}

impl<S: Real, const P: usize> FieldTerm<S> for Interlayer<S, P> {
    #[inline]
    fn add_field(&self, _t: S, m: &[Vec3<S>], h: &mut [Vec3<S>]) {
        for p in &self.pairs {
            if let Some((mi, mj)) = p.get(m) {
                let g = p.j1 + p.two_j2 * mi.dot(mj);
                if let Some(hi) = h.get_mut(p.i as usize) {
                    *hi += mj.scale(g);
                }
                if let Some(hj) = h.get_mut(p.j as usize) {
                    *hj += mi.scale(g);
                }
            }
        }
    }
    fn energy(&self, _t: S, m: &[Vec3<S>]) -> S {
        let mut e = S::ZERO;
        for p in &self.pairs {
            if let Some((mi, mj)) = p.get(m) {
                e += p.energy(mi.dot(mj));
            }
        }
        e
    }
    fn delta_energy(&self, _t: S, m: &[Vec3<S>], site: usize, new: Vec3<S>) -> S {
        let mut d = S::ZERO;
        for p in &self.pairs {
            if let Some((mi, mj)) = p.get(m) {
                let other = if p.i as usize == site {
                    mj
                } else if p.j as usize == site {
                    mi
                } else {
                    continue;
                };
                d += p.energy(new.dot(other)) - p.energy(mi.dot(mj));
            }
        }
        d
    }
    fn visit_energies<F: FnMut(&'static str, S)>(&self, _t: S, m: &[Vec3<S>], f: &mut F) {
        let (mut e1, mut e2) = (S::ZERO, S::ZERO);
        for p in &self.pairs {
            if let Some((mi, mj)) = p.get(m) {
                let c = mi.dot(mj);
                e1 -= p.j1 * c;
                e2 -= p.j2 * c * c;
            }
        }
        f("bilinear", e1);
        f("biquadratic", e2);
    }
}

/// Interlayer dipolar coupling through the mutual demagnetising tensors of the layers'
/// prisms (Newell et al. 1993): `e = sum_(i<j) m_i . T_ij m_j`,
/// `T_ij = Ms_i Ms_j V_i N_ij / (Ms_0^2 V_0)` (symmetric: `V_i N_ij = V_j N_ji`), gradient on
/// `i` `-T_ij m_j` and on `j` `-T_ij m_i`.
#[derive(Clone, Debug, PartialEq)]
pub struct InterlayerDipolar<S, const P: usize> {
    pub(super) pairs: heapless::Vec<(u8, u8, [S; 6]), P>,
}

impl<S: Real, const P: usize> InterlayerDipolar<S, P> {
    /// Number of coupled pairs (0 when dipolar coupling is off).
    pub fn pairs(&self) -> usize {
        self.pairs.len()
    }
}

impl<S: Real, const P: usize> FieldTerm<S> for InterlayerDipolar<S, P> {
    #[inline]
    fn add_field(&self, _t: S, m: &[Vec3<S>], h: &mut [Vec3<S>]) {
        for (i, j, t) in &self.pairs {
            let (i, j) = (*i as usize, *j as usize);
            if let (Some(&mi), Some(&mj)) = (m.get(i), m.get(j)) {
                if let Some(hi) = h.get_mut(i) {
                    *hi -= Vec3::sym_apply(t, mj);
                }
                if let Some(hj) = h.get_mut(j) {
                    *hj -= Vec3::sym_apply(t, mi);
                }
            }
        }
    }
    fn energy(&self, _t: S, m: &[Vec3<S>]) -> S {
        let mut e = S::ZERO;
        for (i, j, t) in &self.pairs {
            if let (Some(&mi), Some(&mj)) = (m.get(*i as usize), m.get(*j as usize)) {
                e += mi.dot(Vec3::sym_apply(t, mj));
            }
        }
        e
    }
    fn delta_energy(&self, _t: S, m: &[Vec3<S>], site: usize, new: Vec3<S>) -> S {
        let (mut d, old) = match m.get(site) {
            Some(&old) => (S::ZERO, old),
            None => return S::ZERO,
        };
        for (i, j, t) in &self.pairs {
            let other = if *i as usize == site {
                m.get(*j as usize)
            } else if *j as usize == site {
                m.get(*i as usize)
            } else {
                None
            };
            if let Some(&o) = other {
                d += (new - old).dot(Vec3::sym_apply(t, o));
            }
        }
        d
    }
    fn visit_energies<F: FnMut(&'static str, S)>(&self, t: S, m: &[Vec3<S>], f: &mut F) {
        f("dipolar", self.energy(t, m));
    }
}

//! Monte Carlo observables with blocked jackknife errors, in fixed memory.
//!
//! Per sample: the magnetisation per spin `m = |sum_i m_i| / n`, the staggered magnetisation
//! `m_s = |sum_i s_i m_i| / n` (sublattice signs `s_i`), and the energy per spin `e = E / n`.
//! Samples are summed into `NB` consecutive blocks; a block mean is nearly independent of the
//! others when a block is much longer than the autocorrelation time. From the means:
//!
//! | quantity | estimator |
//! |---|---|
//! | `m`, `m2`, `m4`, `m_s`, `e` | `<|m|>`, `<m^2>`, `<m^4>`, `<m_s>`, `<e>` |
//! | specific heat per spin | `c = n (<e^2> - <e>^2) / T^2` |
//! | susceptibility per spin | `chi = n (<m^2> - <|m|>^2) / T` |
//! | Binder cumulant | `U = 1 - <m^4> / (3 <m^2>^2)` (Binder, Z. Phys. B 43, 119 (1981)) |
//!
//! Each error is the jackknife over the blocks (leave one block out; Efron 1982; Berg,
//! Markov Chain Monte Carlo Simulations, 2004, sec. 2.7), which carries the correlations
//! between `<m^4>` and `<m^2>` into the error of `U` and of any function of several runs
//! (a Binder crossing: [`crossing`]).

use crate::error::Error;
use crate::field::FieldTerm;
use crate::real::Real;
use crate::vec3::Vec3;

use super::mc::MonteCarlo;
use crate::random::Rng;

/// One measurement of a configuration, per spin.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Sample {
    /// Magnetisation vector per spin, `sum_i m_i / n`.
    pub m: [f64; 3],
    /// Staggered magnetisation per spin, `|sum_i s_i m_i| / n`.
    pub ms: f64,
    /// Energy per spin.
    pub e: f64,
}

impl Sample {
    /// Measures `m` in the energy `terms` (at time 0), with sublattice signs `signs` (an empty
    /// slice or zeros: no staggered magnetisation). O(n) plus one energy evaluation.
    pub fn of<S: Real, F: FieldTerm<S>>(terms: &F, m: &[Vec3<S>], signs: &[i8]) -> Self {
        Self::with_energy(terms.energy(S::ZERO, m).to_f64(), m, signs)
    }
    /// As [`Sample::of`] with the total energy `energy` known (tracked through the moves).
    pub fn with_energy<S: Real>(energy: f64, m: &[Vec3<S>], signs: &[i8]) -> Self {
        let n = m.len().max(1) as f64;
        let (mut s, mut st) = ([0.0; 3], [0.0; 3]);
        for (i, v) in m.iter().enumerate() {
            let v = v.to_f64();
            let sg = signs.get(i).copied().unwrap_or(0) as f64;
            for k in 0..3 {
                s[k] += v[k];
                st[k] += sg * v[k];
            }
        }
        let ms = crate::math::sqrt_f64(st[0] * st[0] + st[1] * st[1] + st[2] * st[2]) / n;
        Self {
            m: [s[0] / n, s[1] / n, s[2] / n],
            ms,
            e: energy / n,
        }
    }
    /// `|m|`.
    pub fn norm(&self) -> f64 {
        crate::math::sqrt_f64(self.m[0] * self.m[0] + self.m[1] * self.m[1] + self.m[2] * self.m[2])
    }
}

/// Means of the sampled quantities over some blocks.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Means {
    /// `<|m|>`.
    pub m: f64,
    /// `<m^2>`.
    pub m2: f64,
    /// `<m^4>`.
    pub m4: f64,
    /// `<m_s>`.
    pub ms: f64,
    /// `<e>`.
    pub e: f64,
    /// `<e^2>`.
    pub e2: f64,
}

impl Means {
    fn add(&mut self, o: &Means) {
        self.m += o.m;
        self.m2 += o.m2;
        self.m4 += o.m4;
        self.ms += o.ms;
        self.e += o.e;
        self.e2 += o.e2;
    }
    fn scaled(mut self, k: f64) -> Self {
        self.m *= k;
        self.m2 *= k;
        self.m4 *= k;
        self.ms *= k;
        self.e *= k;
        self.e2 *= k;
        self
    }
    fn sub(mut self, o: &Means) -> Self {
        self.m -= o.m;
        self.m2 -= o.m2;
        self.m4 -= o.m4;
        self.ms -= o.ms;
        self.e -= o.e;
        self.e2 -= o.e2;
        self
    }
    /// Binder cumulant `1 - <m^4> / (3 <m^2>^2)`.
    pub fn binder(&self) -> f64 {
        1.0 - self.m4 / (3.0 * self.m2 * self.m2)
    }
    /// Specific heat per spin `n (<e^2> - <e>^2) / T^2` of `n` spins.
    pub fn specific_heat(&self, n: usize, t: f64) -> f64 {
        n as f64 * (self.e2 - self.e * self.e) / (t * t)
    }
    /// Susceptibility per spin `n (<m^2> - <|m|>^2) / T` of `n` spins.
    pub fn susceptibility(&self, n: usize, t: f64) -> f64 {
        n as f64 * (self.m2 - self.m * self.m) / t
    }
}

/// A value and its standard error.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Estimate {
    /// The estimate from all blocks.
    pub value: f64,
    /// Its jackknife standard error.
    pub err: f64,
}

/// Everything one run measures.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Summary {
    /// `<|m|>`.
    pub m: Estimate,
    /// `<m^2>`.
    pub m2: Estimate,
    /// `<m^4>`.
    pub m4: Estimate,
    /// Binder cumulant.
    pub u4: Estimate,
    /// `<m_s>`.
    pub ms: Estimate,
    /// Energy per spin.
    pub e: Estimate,
    /// Specific heat per spin.
    pub c: Estimate,
    /// Susceptibility per spin.
    pub chi: Estimate,
}

/// Samples summed into up to `NB` blocks of `per_block` samples each.
#[derive(Clone, Debug)]
pub struct Blocks<const NB: usize> {
    per_block: u32,
    in_block: u32,
    current: Means,
    blocks: heapless::Vec<Means, NB>,
}

impl<const NB: usize> Blocks<NB> {
    /// Empty blocks of `per_block` samples each.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] `mc.block` for `per_block == 0`; [`Error::Empty`] for `NB < 2`
    /// (a jackknife needs two blocks).
    pub fn new(per_block: u32) -> Result<Self, Error> {
        if per_block == 0 {
            return Err(Error::OutOfRange {
                param: "mc.block",
                value: 0.0,
                allowed: ">= 1 sample per block",
            });
        }
        if NB < 2 {
            return Err(Error::Empty {
                what: "mc.blocks (at least 2 for a jackknife)",
            });
        }
        Ok(Self {
            per_block,
            in_block: 0,
            current: Means::default(),
            blocks: heapless::Vec::new(),
        })
    }
    /// `true` once all `NB` blocks are full.
    pub fn is_full(&self) -> bool {
        self.blocks.is_full()
    }
    /// Full blocks so far.
    pub fn blocks(&self) -> usize {
        self.blocks.len()
    }
    /// Adds one sample.
    ///
    /// # Errors
    /// [`Error::Capacity`] `mc.blocks` once all blocks are full (the sample is dropped).
    pub fn push(&mut self, s: &Sample) -> Result<(), Error> {
        if self.blocks.is_full() {
            return Err(Error::Capacity {
                what: "mc.blocks",
                capacity: NB,
            });
        }
        let m2 = s.m[0] * s.m[0] + s.m[1] * s.m[1] + s.m[2] * s.m[2];
        self.current.add(&Means {
            m: crate::math::sqrt_f64(m2),
            m2,
            m4: m2 * m2,
            ms: s.ms,
            e: s.e,
            e2: s.e * s.e,
        });
        self.in_block += 1;
        if self.in_block == self.per_block {
            let mean = self.current.scaled(1.0 / self.per_block as f64);
            let _ = self.blocks.push(mean); // not full: checked above
            self.current = Means::default();
            self.in_block = 0;
        }
        Ok(())
    }
    /// Means over the full blocks (`None` before the first is full).
    pub fn means(&self) -> Option<Means> {
        let k = self.blocks.len();
        if k == 0 {
            return None;
        }
        let mut s = Means::default();
        for b in &self.blocks {
            s.add(b);
        }
        Some(s.scaled(1.0 / k as f64))
    }
    /// Means over the full blocks without block `k` (`None` unless there are two blocks
    /// and `k` is one of them).
    pub fn leave_out(&self, k: usize) -> Option<Means> {
        let n = self.blocks.len();
        let b = self.blocks.get(k)?;
        if n < 2 {
            return None;
        }
        let mut s = Means::default();
        for x in &self.blocks {
            s.add(x);
        }
        Some(s.sub(b).scaled(1.0 / (n - 1) as f64))
    }
    /// Jackknife estimate of `f(means)`: the value from all blocks, the error
    /// `sqrt((k - 1)/k sum_b (f_b - f_mean)^2)` over the `k` leave-one-out values `f_b`.
    pub fn jackknife(&self, f: impl Fn(&Means) -> f64) -> Option<Estimate> {
        let all = self.means()?;
        let k = self.blocks.len();
        if k < 2 {
            return None;
        }
        let mut mean = 0.0;
        for b in 0..k {
            mean += f(&self.leave_out(b)?);
        }
        mean /= k as f64;
        let mut var = 0.0;
        for b in 0..k {
            let d = f(&self.leave_out(b)?) - mean;
            var += d * d;
        }
        Some(Estimate {
            value: f(&all),
            err: crate::math::sqrt_f64(var * (k - 1) as f64 / k as f64),
        })
    }
    /// All observables of `n` spins at temperature `t` (`None` before two blocks are full).
    pub fn summary(&self, n: usize, t: f64) -> Option<Summary> {
        Some(Summary {
            m: self.jackknife(|x| x.m)?,
            m2: self.jackknife(|x| x.m2)?,
            m4: self.jackknife(|x| x.m4)?,
            u4: self.jackknife(Means::binder)?,
            ms: self.jackknife(|x| x.ms)?,
            e: self.jackknife(|x| x.e)?,
            c: self.jackknife(|x| x.specific_heat(n, t))?,
            chi: self.jackknife(|x| x.susceptibility(n, t))?,
        })
    }
}

/// A Monte Carlo run: `equilibration` sweeps discarded, then one sample per sweep until the
/// blocks are full. The energy is tracked through the moves' changes and recomputed at the
/// start of every block (no drift). Returns the summary at the sampler's temperature.
///
/// ```
/// use larmor::lattice::mc::{MonteCarlo, Rule, Spin};
/// use larmor::lattice::observe::{run, Blocks};
/// use larmor::lattice::{Boundary, Exchange, Lattice, LatticeSpec};
/// use larmor::{random::Philox, Vec3};
/// let lat = Lattice::<64, 256>::build(&LatticeSpec::square(8, 8, Boundary::Periodic)).unwrap();
/// let ex = Exchange::<f64>::uniform(lat.neighbours(), 1.0);
/// let mut m = [Vec3::Z; 64];
/// let mut mc = MonteCarlo::new(Spin::Ising, Rule::HeatBath, 1.5, Philox::new(1, 0)).unwrap();
/// let mut blocks = Blocks::<10>::new(50).unwrap();
/// let s = run(&mut mc, &ex, &mut m, lat.signs(), 100, &mut blocks).unwrap();
/// assert!((s.u4.value - 2.0 / 3.0).abs() < 0.01); // ordered
/// assert!(s.e.value < -1.9 && s.e.err < 0.01);
/// ```
///
/// # Errors
/// [`Error::Empty`] for no spins; [`Error::Inconsistent`] if the blocks are already full.
pub fn run<S: Real, F: FieldTerm<S>, R: Rng, const NB: usize>(
    mc: &mut MonteCarlo<R>,
    terms: &F,
    m: &mut [Vec3<S>],
    signs: &[i8],
    equilibration: u32,
    blocks: &mut Blocks<NB>,
) -> Result<Summary, Error> {
    if m.is_empty() {
        return Err(Error::Empty { what: "mc.spins" });
    }
    if blocks.is_full() {
        return Err(Error::Inconsistent {
            what: "mc.blocks: already full",
        });
    }
    for _ in 0..equilibration {
        mc.sweep(terms, m);
    }
    let mut energy = terms.energy(S::ZERO, m).to_f64();
    while !blocks.is_full() {
        if blocks.in_block == 0 {
            energy = terms.energy(S::ZERO, m).to_f64();
        }
        energy += mc.sweep(terms, m);
        blocks.push(&Sample::with_energy(energy, m, signs))?;
    }
    blocks
        .summary(m.len(), mc.temperature())
        .ok_or(Error::Inconsistent {
            what: "mc.blocks: fewer than two blocks",
        })
}

/// Where two Binder curves cross: the root of the least-squares line through
/// `a(t_k) - b(t_k)` (temperatures `t`, values of two sizes `a` and `b`). `None` for fewer
/// than two points, slices of different lengths or parallel curves.
///
/// ```
/// use larmor::lattice::observe::crossing;
/// let t = [2.2, 2.3];
/// assert!((crossing(&t, &[0.7, 0.5], &[0.65, 0.55]).unwrap() - 2.25).abs() < 1e-12);
/// ```
pub fn crossing(t: &[f64], a: &[f64], b: &[f64]) -> Option<f64> {
    let n = t.len();
    if n < 2 || a.len() != n || b.len() != n {
        return None;
    }
    let nf = n as f64;
    let tm = t.iter().sum::<f64>() / nf;
    let dm = a.iter().zip(b).map(|(x, y)| x - y).sum::<f64>() / nf;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for k in 0..n {
        let dx = t[k] - tm;
        sxy += dx * (a[k] - b[k] - dm);
        sxx += dx * dx;
    }
    if sxx == 0.0 || sxy == 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    let root = tm - dm / slope;
    root.is_finite().then_some(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(m: f64, e: f64) -> Sample {
        Sample {
            m: [0.0, 0.0, m],
            ms: 0.0,
            e,
        }
    }

    /// Block means, the jackknife of a mean (equal to the standard error of the block means)
    /// and of the Binder cumulant, against values by hand; a full set of blocks refuses more.
    #[test]
    fn blocks_and_jackknife() {
        let mut b = Blocks::<4>::new(2).unwrap();
        // block means of m: 1, 2, 3, 4 (pairs around them); energies -1 each
        for x in [0.9, 1.1, 1.9, 2.1, 2.9, 3.1, 3.9, 4.1] {
            b.push(&sample(x, -1.0)).unwrap();
        }
        assert!(b.is_full());
        assert!(matches!(
            b.push(&sample(1.0, 0.0)),
            Err(Error::Capacity { .. })
        ));
        let m = b.jackknife(|x| x.m).unwrap();
        assert!((m.value - 2.5).abs() < 1e-12);
        // standard error of the block means 1..4: sqrt(var / 4), var = 5/3
        assert!((m.err - libm::sqrt(5.0 / 3.0 / 4.0)).abs() < 1e-12, "{m:?}");
        let s = b.summary(10, 2.0).unwrap();
        assert!(s.c.value.abs() < 1e-12 && s.e.value == -1.0);
        // U from the sample moments of the 8 values
        let xs = [0.9f64, 1.1, 1.9, 2.1, 2.9, 3.1, 3.9, 4.1];
        let m2 = xs.iter().map(|x| x * x).sum::<f64>() / 8.0;
        let m4 = xs.iter().map(|x| x.powi(4)).sum::<f64>() / 8.0;
        assert!((s.u4.value - (1.0 - m4 / (3.0 * m2 * m2))).abs() < 1e-12);
        assert!(s.u4.err > 0.0);
        assert!(Blocks::<4>::new(0).is_err());
        assert!(Blocks::<1>::new(3).is_err());
        assert_eq!(Blocks::<4>::new(3).unwrap().summary(1, 1.0), None);
    }

    #[test]
    fn staggered_magnetisation_of_a_neel_state() {
        let m: [Vec3<f64>; 4] = [Vec3::Z, -Vec3::Z, Vec3::Z, -Vec3::Z];
        let s = Sample::with_energy(-4.0, &m, &[1, -1, 1, -1]);
        assert_eq!((s.norm(), s.ms, s.e), (0.0, 1.0, -1.0));
        assert_eq!(crossing(&[1.0], &[0.5], &[0.4]), None);
        assert_eq!(crossing(&[1.0, 2.0], &[0.5, 0.25], &[0.25, 0.0]), None); // parallel
    }
}

//! Ensembles of non-interacting Stoner-Wohlfarth particles: distributions of easy axes,
//! anisotropy fields and volumes, generated particle by particle from a seed (particle `k` draws
//! from the Philox stream `(seed, k)`, so it is the same whatever the number of threads or
//! shards), and population loops.

use super::hysteresis::Loop;
use super::{equilibria_unchecked, Frame, Hysteresis};
use crate::error::{check_min, Error};
use crate::math;
use crate::random::{uniform_f64, Dist, Philox};
use crate::real::Real;
use crate::vec3::Vec3;

/// Distribution of easy axes. The measurement (field) direction of a population is `+z`; 2D
/// distributions lie in the x-z plane.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Axes<'a> {
    /// All axes in the x-z plane at angle `psi` (rad) to the field.
    Aligned {
        /// Angle to the field (rad).
        psi: f64,
    },
    /// Random in the x-z plane (uniform angle).
    Random2D,
    /// Random in 3D (uniform on the sphere).
    Random3D,
    /// Evenly spaced angles in the x-z plane, `(k + 1/2) 2 pi / n` (deterministic quadrature of
    /// the 2D average: error `O(1/n)` at jumps, `O(1/n^2)` elsewhere).
    Stratified2D,
    /// Fibonacci sphere: `cos` of the polar angle `1 - (2k + 1)/n` (midpoint rule in `cos psi`),
    /// azimuth advancing by the golden angle (deterministic quadrature of the 3D average).
    Stratified3D,
    /// A user list (any non-zero vectors, normalised); the population size is the list length.
    List(&'a [[f64; 3]]),
}

/// One particle of a population.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Particle {
    /// Unit easy axis.
    pub axis: [f64; 3],
    /// Anisotropy field relative to the reference `H_K` (fields are given in units of the
    /// reference; the particle sees `h / hk`).
    pub hk: f64,
    /// Volume relative to a reference (the moment's weight in averages).
    pub volume: f64,
}

/// A population of non-interacting particles, generated from a seed: particle `k` depends only
/// on `(seed, k)`, so shards and threads reproduce the same ensemble.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Population<'a> {
    /// Easy-axis distribution.
    pub axes: Axes<'a>,
    /// Anisotropy-field distribution (relative to the reference `H_K`).
    pub hk: Dist,
    /// Volume distribution (relative).
    pub volume: Dist,
    /// Number of particles (ignored for [`Axes::List`], which sets it).
    pub n: usize,
    /// Seed of the Philox streams (particle `k` uses stream `k`).
    pub seed: u64,
}

impl<'a> Population<'a> {
    /// `n` identical particles (`hk = volume = 1`) with the given axes and seed 0.
    ///
    /// ```
    /// use larmor::sw::{Axes, Population};
    /// let pop = Population::new(Axes::Random3D, 1000);
    /// assert_eq!(pop.len(), 1000);
    /// ```
    pub fn new(axes: Axes<'a>, n: usize) -> Self {
        Self {
            axes,
            hk: Dist::Fixed(1.0),
            volume: Dist::Fixed(1.0),
            n,
            seed: 0,
        }
    }

    /// Number of particles.
    ///
    /// ```
    /// use larmor::sw::{Axes, Population};
    /// let axes = [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]];
    /// assert_eq!(Population::new(Axes::List(&axes), 7).len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        match self.axes {
            Axes::List(l) => l.len(),
            _ => self.n,
        }
    }

    /// `true` if the population has no particle.
    ///
    /// ```
    /// use larmor::sw::{Axes, Population};
    /// assert!(Population::new(Axes::Random2D, 0).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Validates sizes, distributions and listed axes.
    ///
    /// ```
    /// use larmor::{random::Dist, sw::{Axes, Population}};
    /// let mut pop = Population::new(Axes::Random3D, 10);
    /// pop.hk = Dist::LogNormal { median: 1.0, sd: -0.3 };
    /// assert!(pop.validate().is_err());
    /// assert!(Population::new(Axes::Random3D, 0).validate().is_err());
    /// ```
    ///
    /// # Errors
    /// [`Error::Empty`] for no particles, [`Error::OutOfRange`] for a bad distribution,
    /// [`Error::ZeroVector`] for a zero axis in a list.
    pub fn validate(&self) -> Result<(), Error> {
        if self.is_empty() {
            return Err(Error::Empty {
                what: "sw.population (n = 0 or an empty axis list)",
            });
        }
        self.hk.validate("sw.population.hk", true)?;
        self.volume.validate("sw.population.volume", true)?;
        match self.axes {
            Axes::Aligned { psi } => {
                crate::error::check_finite("sw.population.psi", psi).map(|_| ())
            }
            Axes::List(l) => {
                for &a in l {
                    crate::error::check_direction("sw.population.axes", a)?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Particle `k` (`k < len()`; validate first). Pure function of `(seed, k)`.
    ///
    /// ```
    /// use larmor::sw::{Axes, Population};
    /// let pop = Population::new(Axes::Aligned { psi: 0.0 }, 4);
    /// assert_eq!(pop.particle(3).axis, [0.0, 0.0, 1.0]);
    /// ```
    pub fn particle(&self, k: usize) -> Particle {
        let mut rng = Philox::new(self.seed, k as u64);
        let two_pi = 2.0 * core::f64::consts::PI;
        let n = self.len().max(1) as f64;
        let axis = match self.axes {
            Axes::Aligned { psi } => {
                let (s, c) = math::sin_cos_f64(psi);
                [s, 0.0, c]
            }
            Axes::Random2D => {
                let (s, c) = math::sin_cos_f64(two_pi * uniform_f64(&mut rng));
                [s, 0.0, c]
            }
            Axes::Random3D => {
                let cz = 2.0 * uniform_f64(&mut rng) - 1.0;
                let sz = math::sqrt_f64((1.0 - cz * cz).max(0.0));
                let (s, c) = math::sin_cos_f64(two_pi * uniform_f64(&mut rng));
                [sz * c, sz * s, cz]
            }
            Axes::Stratified2D => {
                let (s, c) = math::sin_cos_f64(two_pi * (k as f64 + 0.5) / n);
                [s, 0.0, c]
            }
            Axes::Stratified3D => {
                let cz = 1.0 - (2.0 * k as f64 + 1.0) / n;
                let sz = math::sqrt_f64((1.0 - cz * cz).max(0.0));
                let golden = core::f64::consts::PI * (3.0 - math::sqrt_f64(5.0));
                let (s, c) = math::sin_cos_f64(golden * k as f64);
                [sz * c, sz * s, cz]
            }
            Axes::List(l) => {
                let a = l[k];
                let nn = math::sqrt_f64(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
                [a[0] / nn, a[1] / nn, a[2] / nn]
            }
        };
        let hk = self.hk.sample(&mut rng, true);
        let volume = self.volume.sample(&mut rng, true);
        Particle { axis, hk, volume }
    }

    /// Iterator over particles `range` (e.g. one shard `k0..k1`; clamped to `len()`).
    ///
    /// ```
    /// use larmor::sw::{Axes, Population};
    /// let pop = Population::new(Axes::Random3D, 100);
    /// let whole: Vec<_> = pop.iter(0..100).collect();
    /// let shard: Vec<_> = pop.iter(40..60).collect();
    /// assert_eq!(whole[40..60], shard[..]);
    /// ```
    pub fn iter(
        &self,
        range: core::ops::Range<usize>,
    ) -> impl Iterator<Item = Particle> + Clone + 'a {
        let me = *self;
        let end = range.end.min(self.len());
        (range.start.min(end)..end).map(move |k| me.particle(k))
    }
}

/// Weighted loop of a population over a field sequence along `+z` (units of the reference
/// `H_K`), each particle followed by its own [`Loop`] (exact Stoner-Wohlfarth history). Every
/// particle starts saturated along `+z` and relaxed at `fields[0]`. Writes the volume-weighted
/// averages `<m_z>` into `m_par` and `<m_x>` into `m_perp` (one entry per field), and returns
/// the total weight, so shards merge as `sum w_j m_j / sum w_j`. Runs on any scalar `S`;
/// memory is the caller's two slices. Stoner & Wohlfarth (1948).
///
/// ```
/// use larmor::sw::{population_loop, Axes, Population};
/// let pop = Population::new(Axes::Stratified3D, 200);
/// let fields = [3.0, 0.0, -3.0];
/// let (mut mp, mut mt) = ([0.0; 3], [0.0; 3]);
/// let w = population_loop::<f64, _>(pop.iter(0..200), &fields, &mut mp, &mut mt).unwrap();
/// assert_eq!(w, 200.0);
/// assert!((mp[1] - 0.5).abs() < 1e-12); // remanence of random axes
/// ```
///
/// # Errors
/// [`Error::Empty`] for no particles or no fields, [`Error::Inconsistent`] for output slices of
/// the wrong length, [`Error::OutOfRange`] for a non-finite field or a particle with
/// `hk <= 0` or `volume <= 0`.
pub fn population_loop<S: Real, I: IntoIterator<Item = Particle>>(
    particles: I,
    fields: &[f64],
    m_par: &mut [f64],
    m_perp: &mut [f64],
) -> Result<f64, Error> {
    if fields.is_empty() {
        return Err(Error::Empty {
            what: "sw.population_loop fields",
        });
    }
    if m_par.len() != fields.len() || m_perp.len() != fields.len() {
        return Err(Error::Inconsistent {
            what: "sw.population_loop: m_par and m_perp must have one entry per field",
        });
    }
    for &h in fields {
        crate::error::check_finite("sw.population_loop.fields", h)?;
    }
    m_par.iter_mut().for_each(|x| *x = 0.0);
    m_perp.iter_mut().for_each(|x| *x = 0.0);
    let mut total = 0.0;
    for p in particles {
        check_particle(&p)?;
        let mut lp = Loop::new(Vec3::from_f64(p.axis), Vec3::Z, Vec3::Z)?;
        let inv = S::from_f64(1.0 / p.hk);
        for (k, &h) in fields.iter().enumerate() {
            lp.apply(Vec3::new(S::ZERO, S::ZERO, S::from_f64(h) * inv))?;
            let m = lp.m();
            m_par[k] += p.volume * m.z.to_f64();
            m_perp[k] += p.volume * m.x.to_f64();
        }
        total += p.volume;
    }
    if !(total > 0.0) {
        return Err(Error::Empty {
            what: "sw.population_loop particles",
        });
    }
    m_par.iter_mut().for_each(|x| *x /= total);
    m_perp.iter_mut().for_each(|x| *x /= total);
    Ok(total)
}

fn check_particle(p: &Particle) -> Result<(), Error> {
    check_min("sw.particle.hk", p.hk, 0.0, false, "> 0 (relative H_K)")?;
    check_min(
        "sw.particle.volume",
        p.volume,
        0.0,
        false,
        "> 0 (relative volume)",
    )?;
    crate::error::check_direction("sw.particle.axis", p.axis)?;
    Ok(())
}

/// `(m_z, m_x)` of one particle on the descending major branch (from positive saturation along
/// `+z` down to the field `h_hk` along `z`, units of the reference `H_K`): the minimum in the
/// hemisphere of the axis nearer `+z` while it exists, the other one after it has vanished.
/// Exact (no field stepping); the building block of [`population_hysteresis`].
///
/// ```
/// use larmor::sw::{major_branch, Particle};
/// let p = Particle { axis: [0.0, 0.0, 1.0], hk: 1.0, volume: 1.0 };
/// assert_eq!(major_branch(&p, -0.9).unwrap().0, 1.0);
/// assert_eq!(major_branch(&p, -1.1).unwrap().0, -1.0);
/// ```
///
/// # Errors
/// [`Error::OutOfRange`] for a non-finite field or a bad particle.
pub fn major_branch(p: &Particle, h_hk: f64) -> Result<(f64, f64), Error> {
    check_particle(p)?;
    crate::error::check_finite("sw.h_hk", h_hk)?;
    Ok(branch_point(p, h_hk))
}

fn branch_point(p: &Particle, h: f64) -> (f64, f64) {
    let mut u = Vec3::from_f64(p.axis);
    if u.z < 0.0 {
        u = -u;
    }
    let f = Frame::unit(u, Vec3::new(0.0, 0.0, h / p.hk), Vec3::Z);
    let eq = equilibria_unchecked(f.h_par, f.h_perp);
    let pick = eq.up().or_else(|| eq.down()).or_else(|| {
        // on the astroid itself: the tracked minimum is degenerate, take the lowest point
        eq.points.iter().min_by(|a, b| {
            a.energy
                .partial_cmp(&b.energy)
                .unwrap_or(core::cmp::Ordering::Equal)
        })
    });
    match pick {
        Some(e) => {
            let m = f.direction(e.cos, e.sin);
            (m.z, m.x)
        }
        None => (0.0, 0.0),
    }
}

/// Remanence and coercivity (units of `Ms` and of the reference `H_K`) of a population on the
/// descending major branch, exact for the given particles: volume-weighted `<m_z>` at zero
/// field and the zero of `<m_z>(h)` bisected to 1e-12 (each particle on its branch by
/// [`major_branch`]). For random 3D axes this gives `M_r = Ms/2` and `H_c = 0.479 H_K`
/// (Stoner & Wohlfarth 1948). `switching_field` is `None`.
///
/// ```
/// use larmor::sw::{population_hysteresis, Axes, Population};
/// let pop = Population::new(Axes::Aligned { psi: 0.0 }, 3);
/// let hy = population_hysteresis(pop.iter(0..3)).unwrap();
/// assert_eq!(hy.remanence, 1.0);
/// assert!((hy.coercivity - 1.0).abs() < 1e-12);
/// ```
///
/// # Errors
/// [`Error::Empty`] for no particles, [`Error::OutOfRange`] for a bad particle,
/// [`Error::Inconsistent`] if the remanence is not positive (no coercivity to find).
pub fn population_hysteresis<I>(particles: I) -> Result<Hysteresis, Error>
where
    I: IntoIterator<Item = Particle> + Clone,
{
    let mut total = 0.0;
    let mut hk_max: f64 = 0.0;
    for p in particles.clone() {
        check_particle(&p)?;
        total += p.volume;
        hk_max = hk_max.max(p.hk);
    }
    if !(total > 0.0) {
        return Err(Error::Empty {
            what: "sw.population_hysteresis particles",
        });
    }
    let m_at = |h: f64| {
        let mut acc = 0.0;
        for p in particles.clone() {
            acc += p.volume * branch_point(&p, h).0;
        }
        acc / total
    };
    let remanence = m_at(0.0);
    if !(remanence > 0.0) {
        return Err(Error::Inconsistent {
            what: "sw.population_hysteresis: remanence <= 0, the branch has no coercive field",
        });
    }
    let (mut lo, mut hi) = (-1.0001 * hk_max, 0.0);
    if m_at(lo) > 0.0 {
        return Err(Error::Inconsistent {
            what: "sw.population_hysteresis: <m_z> stays positive down to -max(hk)",
        });
    }
    for _ in 0..200 {
        if hi - lo <= 1e-12 * (1.0 + hk_max) {
            break;
        }
        let mid = 0.5 * (lo + hi);
        if m_at(mid) > 0.0 {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Ok(Hysteresis {
        remanence,
        coercivity: -0.5 * (lo + hi),
        switching_field: None,
    })
}

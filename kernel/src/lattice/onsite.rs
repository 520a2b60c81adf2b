//! Per-site moments, anisotropy and local fields, and the atomistic field `b_i = -(1/mu_i) de/dm_i`.

use crate::error::{check_direction, check_finite, check_min, check_vec, Error};
use crate::field::FieldTerm;
use crate::real::Real;
use crate::vec3::Vec3;

/// The parameters of one site, reduced (atomistic units, [`crate::units::AtomisticUnits`]).
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Site {
    /// Moment `mu_i / mu_ref` (> 0).
    pub mu: f64,
    /// Uniaxial anisotropy constant `K_i / J_ref` (> 0 easy axis, < 0 easy plane).
    pub k: f64,
    /// Anisotropy axis (normalised on the way in).
    pub axis: [f64; 3],
    /// Local applied field `B_i mu_ref / J_ref`.
    pub b: [f64; 3],
}

impl Default for Site {
    /// A unit moment, no anisotropy, no field.
    fn default() -> Self {
        Self {
            mu: 1.0,
            k: 0.0,
            axis: [0.0, 0.0, 1.0],
            b: [0.0; 3],
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Compiled<S> {
    mu: S,
    inv_mu: S,
    k: S,
    two_k: S,
    axis: Vec3<S>,
    /// `mu b`, the Zeeman gradient.
    mu_b: Vec3<S>,
}

/// On-site energy of up to `N` sites: `e_i = -K_i (m_i . u_i)^2 - mu_i m_i . b_i` (uniaxial
/// anisotropy and Zeeman energy in the local field), gradient field
/// `-de/dm_i = 2 K_i (m_i . u_i) u_i + mu_i b_i`, single-spin change O(1). The moments
/// `mu_i` also scale the atomistic field ([`Atomistic`]).
#[derive(Clone, Debug, PartialEq)]
pub struct OnSite<S, const N: usize> {
    sites: heapless::Vec<Compiled<S>, N>,
}

fn compile<S: Real>(s: &Site) -> Result<Compiled<S>, Error> {
    let mu = check_min("lattice.mu", s.mu, 0.0, false, "> 0 (and finite)")?;
    let k = check_finite("lattice.k", s.k)?;
    let axis = check_direction("lattice.axis", s.axis)?;
    let b = check_vec("lattice.b", s.b)?;
    Ok(Compiled {
        mu: S::from_f64(mu),
        inv_mu: S::from_f64(1.0 / mu),
        k: S::from_f64(k),
        two_k: S::from_f64(2.0 * k),
        axis: Vec3::from_f64(axis),
        mu_b: Vec3::from_f64([mu * b[0], mu * b[1], mu * b[2]]),
    })
}

impl<S: Real, const N: usize> OnSite<S, N> {
    /// `n` sites with the same parameters.
    ///
    /// ```
    /// use larmor::lattice::{OnSite, Site};
    /// use larmor::{field::FieldTerm, Vec3};
    /// let s = OnSite::<f64, 4>::uniform(4, &Site { k: 0.5, ..Site::default() }).unwrap();
    /// assert_eq!(s.energy(0.0, &[Vec3::Z; 4]), -2.0);
    /// ```
    ///
    /// # Errors
    /// [`Error::Capacity`] `lattice.sites` for `n > N`; [`Error::OutOfRange`] /
    /// [`Error::ZeroVector`] for a moment not > 0, a non-finite constant or field, a zero axis.
    pub fn uniform(n: usize, site: &Site) -> Result<Self, Error> {
        if n > N {
            return Err(Error::Capacity {
                what: "lattice.sites",
                capacity: N,
            });
        }
        let c = compile(site)?;
        let mut sites = heapless::Vec::new();
        for _ in 0..n {
            let _ = sites.push(c); // n <= N checked
        }
        Ok(Self { sites })
    }
    /// One entry per site, from a list.
    ///
    /// # Errors
    /// As [`OnSite::uniform`].
    pub fn from_sites(list: &[Site]) -> Result<Self, Error> {
        let mut out = Self::uniform(0, &Site::default())?;
        for s in list {
            out.sites.push(compile(s)?).map_err(|_| Error::Capacity {
                what: "lattice.sites",
                capacity: N,
            })?;
        }
        Ok(out)
    }
    /// Replaces the parameters of site `i`.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] `lattice.site` for an index out of range; as [`OnSite::uniform`].
    pub fn set(&mut self, i: usize, site: &Site) -> Result<(), Error> {
        let c = compile(site)?;
        match self.sites.get_mut(i) {
            Some(s) => {
                *s = c;
                Ok(())
            }
            None => Err(Error::OutOfRange {
                param: "lattice.site",
                value: i as f64,
                allowed: "a site index below the number of sites",
            }),
        }
    }
    /// Number of sites.
    pub fn sites(&self) -> usize {
        self.sites.len()
    }
    /// Reduced moment of site `i` (1 beyond the sites).
    pub fn mu(&self, i: usize) -> S {
        self.sites.get(i).map_or(S::ONE, |s| s.mu)
    }
    #[inline(always)]
    fn gradient(s: &Compiled<S>, m: Vec3<S>) -> Vec3<S> {
        s.axis.scale(m.dot(s.axis) * s.two_k) + s.mu_b
    }
    #[inline(always)]
    fn site_energy(s: &Compiled<S>, m: Vec3<S>) -> S {
        let c = m.dot(s.axis);
        -(s.k * c * c) - m.dot(s.mu_b)
    }
}

impl<S: Real, const N: usize> FieldTerm<S> for OnSite<S, N> {
    fn add_field(&self, _t: S, m: &[Vec3<S>], h: &mut [Vec3<S>]) {
        for ((hi, &mi), s) in h.iter_mut().zip(m).zip(self.sites.iter()) {
            *hi += Self::gradient(s, mi);
        }
    }
    fn energy(&self, _t: S, m: &[Vec3<S>]) -> S {
        let mut e = S::ZERO;
        for (&mi, s) in m.iter().zip(self.sites.iter()) {
            e += Self::site_energy(s, mi);
        }
        e
    }
    #[inline]
    fn delta_energy(&self, _t: S, m: &[Vec3<S>], site: usize, new: Vec3<S>) -> S {
        match (m.get(site), self.sites.get(site)) {
            (Some(&old), Some(s)) => Self::site_energy(s, new) - Self::site_energy(s, old),
            _ => S::ZERO,
        }
    }
    fn visit_energies<F: FnMut(&'static str, S)>(&self, t: S, m: &[Vec3<S>], f: &mut F) {
        f("onsite", self.energy(t, m));
    }
}

/// An atomistic model: on-site terms plus interactions `terms`, whose field is the atomistic
/// field `b_i = -(1/mu_i) de/dm_i` that each spin precesses in (atomistic LLG as in Skubic et
/// al., J. Phys.: Condens. Matter 20, 315203 (2008), and Evans et al., J. Phys.: Condens.
/// Matter 26, 103202 (2014)): with it the existing [`crate::llg::Llg`] integrates
/// `dm_i/dtau = -m_i x b_i - alpha m_i x (m_i x b_i)` (over `1 + alpha^2`) in the time unit
/// `mu_ref / (gamma J_ref)`. Energies are those of the terms, unscaled.
///
/// Use it as the whole term set of an [`Llg`](crate::llg::Llg) (then only `set_field` runs);
/// `add_field` into a buffer already holding a field multiplies it by `mu_i` and back, one
/// rounding each.
#[derive(Clone, Debug, PartialEq)]
pub struct Atomistic<S, T, const N: usize> {
    /// Moments, anisotropy and local fields.
    pub sites: OnSite<S, N>,
    /// The interactions (exchange, DMI, dipolar, any [`FieldTerm`]).
    pub terms: T,
}

impl<S: Real, T: FieldTerm<S>, const N: usize> Atomistic<S, T, N> {
    /// The model of `sites` with interactions `terms`.
    pub fn new(sites: OnSite<S, N>, terms: T) -> Self {
        Self { sites, terms }
    }
    fn divide(&self, h: &mut [Vec3<S>]) {
        for (hi, s) in h.iter_mut().zip(self.sites.sites.iter()) {
            *hi = hi.scale(s.inv_mu);
        }
    }
}

impl<S: Real, T: FieldTerm<S>, const N: usize> FieldTerm<S> for Atomistic<S, T, N> {
    const AUTONOMOUS: bool = T::AUTONOMOUS;
    /// Brown's field of spin `i` has variance `2 alpha kB T / (gamma mu_i dt)` (reduced:
    /// `2 alpha T / (mu_i dtau)`): a stochastic kick draws the `mu = 1` field and scales it by
    /// `1 / sqrt(mu_i)` (Evans et al. 2014, eq. 17).
    const UNIFORM_NOISE: bool = false;
    #[inline]
    fn noise_scale(&self, site: usize) -> S {
        // sqrt(1) is 1 exactly in every scalar: the common unit moment skips the root
        let own = |s: &Compiled<S>| {
            if s.inv_mu == S::ONE {
                S::ONE
            } else {
                s.inv_mu.sqrt()
            }
        };
        self.sites.sites.get(site).map_or(S::ONE, own) * self.terms.noise_scale(site)
    }
    fn rebase(&mut self, epoch: f64) -> f64 {
        self.terms.rebase(epoch)
    }
    fn add_field(&self, t: S, m: &[Vec3<S>], h: &mut [Vec3<S>]) {
        for (hi, s) in h.iter_mut().zip(self.sites.sites.iter()) {
            *hi = hi.scale(s.mu);
        }
        self.sites.add_field(t, m, h);
        self.terms.add_field(t, m, h);
        self.divide(h);
    }
    fn set_field(&self, t: S, m: &[Vec3<S>], h: &mut [Vec3<S>]) {
        self.terms.set_field(t, m, h);
        // the on-site gradient added and the sum divided by mu in one pass (the operations of
        // `sites.add_field` then `divide`, in their order): the sites beyond `m` only divided
        let n = m.len().min(h.len());
        let (head, tail) = h.split_at_mut(n);
        for ((hi, &mi), s) in head.iter_mut().zip(m).zip(self.sites.sites.iter()) {
            *hi = (*hi + OnSite::<S, N>::gradient(s, mi)).scale(s.inv_mu);
        }
        let rest = self.sites.sites.get(n..).unwrap_or(&[]);
        for (hi, s) in tail.iter_mut().zip(rest) {
            *hi = hi.scale(s.inv_mu);
        }
    }
    fn energy(&self, t: S, m: &[Vec3<S>]) -> S {
        self.sites.energy(t, m) + self.terms.energy(t, m)
    }
    #[inline]
    fn delta_energy(&self, t: S, m: &[Vec3<S>], site: usize, new: Vec3<S>) -> S {
        self.sites.delta_energy(t, m, site, new) + self.terms.delta_energy(t, m, site, new)
    }
    fn visit_energies<F: FnMut(&'static str, S)>(&self, t: S, m: &[Vec3<S>], f: &mut F) {
        self.sites.visit_energies(t, m, f);
        self.terms.visit_energies(t, m, f);
    }
}

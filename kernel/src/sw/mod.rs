//! Stoner-Wohlfarth model: coherent rotation of a uniaxial single-domain particle, exact to the
//! scalar's rounding (Stoner & Wohlfarth, Phil. Trans. R. Soc. A 240, 599 (1948)).
//!
//! # Normalisation
//! Energy `E = K V sin^2(theta) - mu0 Ms V H cos(theta - psi)` is measured in units of `2 K V`
//! and the field in units of the anisotropy field `H_K = 2 K / (mu0 Ms)`:
//!
//! `e(theta) = (1/2) sin^2(theta) - h cos(theta - psi)`, `h = H / H_K`,
//!
//! so the zero-field barrier is `1/2` (that is `K V`), and a reduced barrier `de` is
//! `2 delta de` in units of `kB T` with `delta = K V / (kB T)`. In vector form, for an easy axis
//! `u` and a reduced field vector `h`: `e(m) = (1/2) (1 - (m.u)^2) - h.m`.
//!
//! # Frame
//! Every stationary point lies in the plane of `u` and `h`. A [`Frame`] resolves the field into
//! `h_par = h.u` and `h_perp = |h - (h.u) u| >= 0`; in-plane directions are `(cos theta,
//! sin theta)` with `theta` measured from `u` towards the field. All of the in-plane algebra is
//! polynomial in `(cos, sin)`, so it runs on any [`Real`] (f32, f64, fixed-point) without
//! transcendentals: stationary points are the real roots of the quartic
//! `c^4 + 2a c^3 + (a^2 + b^2 - 1) c^2 - 2a c - a^2 = 0` (`c = cos theta`, `a = h_par`,
//! `b = h_perp`), isolated exactly and polished by Newton on the circle.
//!
//! # Contents
//! - [`energy`], [`energy_vec`]: the energy; [`Frame`]: resolving a 3D field;
//! - [`equilibria`]: every stationary point with its stability (minimum, saddle, maximum);
//! - [`barrier`]: exact saddle-point barrier for any field (not only `(1 - h)^2`);
//! - [`switching_field`], [`astroid_point`]: the astroid from the stability condition;
//! - [`Loop`]: a loop engine that follows the occupied minimum through any field history;
//! - [`hysteresis`]: remanence and coercivity of one particle;
//! - [`Population`] and [`population_loop`], [`population_hysteresis`]: ensembles with
//!   distributed easy axes, anisotropy fields and volumes, generated from a seed (no allocation).

// `!(x > y)` is deliberate: it is true for NaN, which must be rejected too.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

pub mod coercivity;
mod hysteresis;
mod poly;
mod population;

pub use hysteresis::{hysteresis, Hysteresis, Loop, LoopStep};
pub use population::{
    major_branch, population_hysteresis, population_loop, Axes, Particle, Population,
};

use crate::error::{check_finite, check_range, Error};
use crate::math;
use crate::real::Real;
use crate::vec3::Vec3;
use poly::{machine_eps, roots_in};

/// In-plane reduced energy `e(theta) = (1/2) sin^2(theta) - h cos(theta - psi)` (units of
/// `2 K V`, field in units of `H_K`); exact up to the scalar's `sin_cos`.
///
/// ```
/// use larmor::sw::energy;
/// assert_eq!(energy(0.0f64, 0.0, 0.0), 0.0);                  // easy direction, no field
/// assert!((energy(core::f64::consts::FRAC_PI_2, 0.0f64, 0.0) - 0.5).abs() < 1e-15); // hard axis: K V
/// ```
pub fn energy<S: Real>(theta: S, h_hk: S, psi: S) -> S {
    let (s, _) = theta.sin_cos();
    let (_, cd) = (theta - psi).sin_cos();
    S::HALF * s * s - h_hk * cd
}

/// Reduced energy `e(m) = (1/2)(1 - (m.u)^2) - h.m` of a unit moment `m`, easy axis `u`
/// (unit) and reduced field `h_hk` (units of `H_K`); exact, no transcendentals.
///
/// ```
/// use larmor::{sw::energy_vec, Vec3};
/// let e = energy_vec(Vec3::X, Vec3::Z, Vec3::new(0.0f64, 0.0, 0.3));
/// assert_eq!(e, 0.5); // hard direction, field perpendicular to m
/// ```
pub fn energy_vec<S: Real>(m: Vec3<S>, axis: Vec3<S>, h_hk: Vec3<S>) -> S {
    let c = m.dot(axis);
    S::HALF * (S::ONE - c * c) - h_hk.dot(m)
}

/// A reduced field resolved in the easy-axis frame: the plane spanned by the easy axis `u` and
/// the field, with in-plane unit vectors `u` and `p` (`p` perpendicular to `u`, towards the
/// field). Exact (one square root).
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Frame<S> {
    /// Unit easy axis `u`.
    pub u: Vec3<S>,
    /// Unit in-plane direction perpendicular to `u` (towards the field's transverse part).
    pub p: Vec3<S>,
    /// Field component along `u` (units of `H_K`).
    pub h_par: S,
    /// Field component along `p`, `>= 0`.
    pub h_perp: S,
}

impl<S: Real> Frame<S> {
    /// Frame of the reduced field `h_hk` for the easy axis `axis` (normalised here). When the field
    /// is parallel to the axis the plane is undefined: `hint` (e.g. the current moment) picks it,
    /// else any perpendicular direction.
    ///
    /// ```
    /// use larmor::{sw::Frame, Vec3};
    /// let f = Frame::new(Vec3::Z, Vec3::new(0.3f64, 0.0, 0.4), Vec3::Z).unwrap();
    /// assert_eq!((f.h_par, f.h_perp), (0.4, 0.3));
    /// assert_eq!(f.p, Vec3::X);
    /// ```
    ///
    /// # Errors
    /// [`Error::ZeroVector`] for a zero or non-finite axis, [`Error::OutOfRange`] for a
    /// non-finite field.
    pub fn new(axis: Vec3<S>, h_hk: Vec3<S>, hint: Vec3<S>) -> Result<Self, Error> {
        let n = axis.norm();
        if !axis.is_finite() || !(n > S::ZERO) {
            return Err(Error::ZeroVector { param: "sw.axis" });
        }
        if !h_hk.is_finite() {
            return Err(Error::OutOfRange {
                param: "sw.field",
                value: f64::NAN,
                allowed: "finite components (units of H_K)",
            });
        }
        let u = axis.scale(n.recip());
        Ok(Self::unit(u, h_hk, hint))
    }

    /// [`Frame::new`] for an axis already normalised and finite inputs (no checks).
    pub(crate) fn unit(u: Vec3<S>, h: Vec3<S>, hint: Vec3<S>) -> Self {
        let h_par = h.dot(u);
        let hp = h - u.scale(h_par);
        let b = hp.norm();
        let tiny = machine_eps::<S>() * S::from_f64(4.0) * (S::ONE + h_par.abs());
        let p = if b > tiny {
            hp.scale(b.recip())
        } else {
            let mp = hint - u.scale(hint.dot(u));
            let nm = mp.norm();
            if nm > S::from_f64(1e-3) {
                mp.scale(nm.recip())
            } else {
                any_perpendicular(u)
            }
        };
        let h_perp = if b > tiny { b } else { S::ZERO };
        Self {
            u,
            p,
            h_par,
            h_perp,
        }
    }

    /// The unit vector `cos u + sin p`.
    pub fn direction(&self, cos: S, sin: S) -> Vec3<S> {
        self.u.scale(cos) + self.p.scale(sin)
    }
}

fn any_perpendicular<S: Real>(u: Vec3<S>) -> Vec3<S> {
    // cross with the coordinate axis least aligned with u
    let (ax, ay, az) = (u.x.abs(), u.y.abs(), u.z.abs());
    let e = if ax <= ay && ax <= az {
        Vec3::X
    } else if ay <= az {
        Vec3::Y
    } else {
        Vec3::Z
    };
    u.cross(e).normalized()
}

/// Character of a stationary point on the unit sphere.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Kind {
    /// Local minimum (stable).
    Minimum,
    /// Saddle point: the lowest pass between the two minima.
    Saddle,
    /// Maximum.
    Maximum,
    /// In-plane curvature within `1024 eps` of zero (a fold: the field is on the astroid).
    Degenerate,
}

/// One stationary point `m = cos u + sin p` of the energy (see [`Frame`]).
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Equilibrium<S> {
    /// `cos theta` (component along the easy axis).
    pub cos: S,
    /// `sin theta` (component along the field's transverse direction `p`).
    pub sin: S,
    /// Reduced energy (units of `2 K V`).
    pub energy: S,
    /// In-plane curvature `d^2e/dtheta^2 = cos 2theta + h cos(theta - psi)`.
    pub stiffness: S,
    /// Out-of-plane curvature `cos^2 theta + h.m` (second derivative along the great circle
    /// leaving the plane); the Hessian on the sphere is `diag(stiffness, stiffness_out)`.
    pub stiffness_out: S,
    /// Classification.
    pub kind: Kind,
}

impl<S: Real> Equilibrium<S> {
    /// Angle `theta` from the easy axis in `(-pi, pi]` (f64, via `atan2`).
    ///
    /// ```
    /// let eq = larmor::sw::equilibria(0.0f64, 0.0).unwrap();
    /// assert!(eq.points.iter().any(|p| p.theta() == 0.0));
    /// ```
    pub fn theta(&self) -> f64 {
        math::atan2_f64(self.sin.to_f64(), self.cos.to_f64())
    }
}

/// All stationary points of the in-plane energy for a field `(h_par, h_perp)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Equilibria<S> {
    /// Stationary points ordered by `cos theta` (2 to 4 of them; a pair may merge on the astroid).
    pub points: heapless::Vec<Equilibrium<S>, 4>,
}

impl<S: Real> Equilibria<S> {
    /// The minima (one or two).
    ///
    /// ```
    /// let eq = larmor::sw::equilibria(0.2f64, 0.1).unwrap();
    /// assert_eq!(eq.minima().count(), 2); // inside the astroid
    /// ```
    pub fn minima(&self) -> impl Iterator<Item = &Equilibrium<S>> {
        self.points.iter().filter(|p| p.kind == Kind::Minimum)
    }
    /// The saddle point, if the field is inside the astroid (two minima).
    ///
    /// ```
    /// let eq = larmor::sw::equilibria(0.0f64, 0.0).unwrap();
    /// assert!((eq.saddle().unwrap().energy - 0.5).abs() < 1e-15);
    /// ```
    pub fn saddle(&self) -> Option<&Equilibrium<S>> {
        self.points.iter().find(|p| p.kind == Kind::Saddle)
    }
    /// The minimum in the `+u` hemisphere (`cos theta > 0`, "up"), if it exists.
    ///
    /// ```
    /// let eq = larmor::sw::equilibria(-0.4f64, 0.0).unwrap();
    /// assert_eq!(eq.up().unwrap().cos, 1.0); // metastable against the field
    /// ```
    pub fn up(&self) -> Option<&Equilibrium<S>> {
        self.minima().find(|p| p.cos > S::ZERO)
    }
    /// The minimum in the `-u` hemisphere (`cos theta < 0`, "down"), if it exists.
    ///
    /// ```
    /// let eq = larmor::sw::equilibria(0.6f64, 0.0).unwrap();
    /// assert!(eq.down().is_some() && eq.up().is_some());
    /// assert!(larmor::sw::equilibria(1.2f64, 0.0).unwrap().down().is_none());
    /// ```
    pub fn down(&self) -> Option<&Equilibrium<S>> {
        self.minima().find(|p| p.cos < S::ZERO)
    }
}

/// In-plane energy and its first two derivatives at `(c, s)` for field `(a, b)`.
#[inline(always)]
pub(crate) fn derivs<S: Real>(c: S, s: S, a: S, b: S) -> (S, S, S) {
    let e = S::HALF * s * s - a * c - b * s;
    let d1 = s * c + a * s - b * c;
    let d2 = c * c - s * s + a * c + b * s;
    (e, d1, d2)
}

/// Rotates the unit vector `(c, s)` by the angle `atan(t)` (exact normalisation, no trig).
#[inline(always)]
pub(crate) fn rotate_tan<S: Real>(c: S, s: S, t: S) -> (S, S) {
    let nc = c - s * t;
    let ns = s + c * t;
    let n = (nc * nc + ns * ns).sqrt().recip();
    (nc * n, ns * n)
}

/// Every stationary point of the in-plane energy for the reduced field `(h_par, h_perp)`
/// (units of `H_K`), with energies, curvatures and stability; exact to a few ulps (Stoner &
/// Wohlfarth 1948). Minima, saddle and maximum are classified on the sphere: with two minima
/// the lower of the two in-plane maxima is the saddle (the pass between the minima) and the
/// other the global maximum.
///
/// ```
/// use larmor::sw::{equilibria, Kind};
/// let eq = equilibria(0.0f64, 0.5).unwrap(); // field along the hard axis, half of H_K
/// let mins: Vec<_> = eq.minima().collect();
/// assert_eq!(mins.len(), 2);
/// assert!((mins[0].sin - 0.5).abs() < 1e-15);   // sin(theta) = h
/// assert_eq!(eq.points.iter().filter(|p| p.kind == Kind::Maximum).count(), 1);
/// ```
///
/// # Errors
/// [`Error::OutOfRange`] if a component is not finite.
pub fn equilibria<S: Real>(h_par: S, h_perp: S) -> Result<Equilibria<S>, Error> {
    check_finite("sw.h_par", h_par.to_f64())?;
    check_finite("sw.h_perp", h_perp.to_f64())?;
    Ok(equilibria_unchecked(h_par, h_perp))
}

pub(crate) fn equilibria_unchecked<S: Real>(a: S, b: S) -> Equilibria<S> {
    let eps = machine_eps::<S>();
    let two = S::TWO;
    // quartic in c (ascending coefficients)
    let q = [-a * a, -two * a, a * a + b * b - S::ONE, two * a, S::ONE];
    let mut roots: heapless::Vec<S, 4> = heapless::Vec::new();
    roots_in(&q, -S::ONE, S::ONE, eps, &mut roots);
    let scale = S::ONE + a.abs() + b.abs();
    let tol = eps.sqrt() * scale;
    let sep = eps.sqrt() * S::from_f64(64.0);
    // curvature at rounding level of a polished point: a fold
    let ktol = eps * S::from_f64(1024.0) * scale;
    let mut pts: heapless::Vec<Equilibrium<S>, 4> = heapless::Vec::new();
    for &c0 in roots.iter() {
        let s0 = (S::ONE - c0 * c0).max(S::ZERO).sqrt();
        for sign in [S::ONE, -S::ONE] {
            if sign < S::ZERO && s0 == S::ZERO {
                continue;
            }
            let (mut c, mut s) = (c0, sign * s0);
            // Newton on e'(theta) = 0, rotating along the circle
            let mut d1 = S::ZERO;
            for _ in 0..8 {
                let (_, g, k) = derivs(c, s, a, b);
                d1 = g;
                if g == S::ZERO || k == S::ZERO {
                    break;
                }
                let mut t = -g / k;
                let lim = S::HALF;
                if t > lim {
                    t = lim;
                } else if t < -lim {
                    t = -lim;
                }
                let (nc, ns) = rotate_tan(c, s, t);
                c = nc;
                s = ns;
                if t.abs() <= eps {
                    d1 = derivs(c, s, a, b).1;
                    break;
                }
            }
            if d1.abs() > tol {
                continue; // spurious root of the squared equation
            }
            if pts
                .iter()
                .any(|p| (p.cos - c).abs() + (p.sin - s).abs() <= sep)
            {
                continue;
            }
            let (e, _, k) = derivs(c, s, a, b);
            let k_out = c * c + a * c + b * s;
            let kind = if k.abs() <= ktol {
                Kind::Degenerate
            } else if k > S::ZERO {
                Kind::Minimum
            } else {
                Kind::Maximum
            };
            let _ = pts.push(Equilibrium {
                cos: c,
                sin: s,
                energy: e,
                stiffness: k,
                stiffness_out: k_out,
                kind,
            });
        }
    }
    // with two minima, the lower in-plane maximum is the saddle on the sphere (Morse count)
    let n_min = pts.iter().filter(|p| p.kind == Kind::Minimum).count();
    if n_min == 2 {
        let mut lowest: Option<usize> = None;
        for (i, p) in pts.iter().enumerate() {
            if p.kind == Kind::Maximum {
                match lowest {
                    Some(j) if pts[j].energy <= p.energy => {}
                    _ => lowest = Some(i),
                }
            }
        }
        if let Some(j) = lowest {
            let ej = pts[j].energy;
            for p in pts.iter_mut() {
                // equal-energy maxima (field along the axis): the saddle ring
                if p.kind == Kind::Maximum && (p.energy - ej).abs() <= tol * eps.sqrt() {
                    p.kind = Kind::Saddle;
                }
            }
        }
    }
    for i in 1..pts.len() {
        let mut j = i;
        while j > 0 && pts[j - 1].cos > pts[j].cos {
            pts.swap(j - 1, j);
            j -= 1;
        }
    }
    Equilibria { points: pts }
}

/// Energy barriers for one field: the two minima and the saddle between them.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Barrier<S> {
    /// Minimum in the `+u` hemisphere ("up").
    pub up: Equilibrium<S>,
    /// Minimum in the `-u` hemisphere ("down").
    pub down: Equilibrium<S>,
    /// Saddle point between them.
    pub saddle: Equilibrium<S>,
}

impl<S: Real> Barrier<S> {
    /// Reduced barrier for leaving the up minimum, `e_saddle - e_up` (units of `2 K V`).
    ///
    /// ```
    /// let b = larmor::sw::barrier(-0.5f64, 0.0).unwrap().unwrap();
    /// assert!((b.from_up_2kv() - 0.125).abs() < 1e-15); // (1 - h)^2 / 2
    /// ```
    pub fn from_up_2kv(&self) -> S {
        self.saddle.energy - self.up.energy
    }
    /// Reduced barrier for leaving the down minimum, `e_saddle - e_down`.
    ///
    /// ```
    /// let b = larmor::sw::barrier(-0.5f64, 0.0).unwrap().unwrap();
    /// assert!((b.from_down_2kv() - 1.125).abs() < 1e-15); // (1 + h)^2 / 2
    /// ```
    pub fn from_down_2kv(&self) -> S {
        self.saddle.energy - self.down.energy
    }
}

/// Exact energy barriers for any in-plane field `(h_par, h_perp)` (units of `H_K`): energies at
/// the two minima and at the true saddle point, found from all stationary points (not the
/// `(1 - h)^2` aligned-field formula, which it reproduces for `h_perp = 0`). `Ok(None)` when the
/// field is outside the astroid (one minimum, no barrier). Multiply a reduced barrier by `2 K V`
/// for joules, or by `2 delta` for units of `kB T`.
///
/// ```
/// use larmor::sw::barrier;
/// let b = barrier(-0.3f64, 0.3).unwrap().unwrap();
/// assert!(b.from_up_2kv() < 0.245 && b.from_up_2kv() > 0.0); // lower than the aligned (1-h)^2/2
/// assert!(barrier(-0.6f64, 0.6).unwrap().is_none());  // outside the astroid: h_sw(45 deg) = 0.5
/// ```
///
/// # Errors
/// [`Error::OutOfRange`] if a component is not finite.
pub fn barrier<S: Real>(h_par: S, h_perp: S) -> Result<Option<Barrier<S>>, Error> {
    let eq = equilibria(h_par, h_perp)?;
    Ok(barrier_of(&eq))
}

pub(crate) fn barrier_of<S: Real>(eq: &Equilibria<S>) -> Option<Barrier<S>> {
    match (eq.up(), eq.down(), eq.saddle()) {
        (Some(&up), Some(&down), Some(&saddle)) => Some(Barrier { up, down, saddle }),
        _ => None,
    }
}

/// [`barrier`] for a 3D reduced field `h_hk` and easy axis `axis` (any non-zero vector).
///
/// ```
/// use larmor::{sw::barrier_vec, Vec3};
/// let b = barrier_vec(Vec3::new(0.0f64, 0.0, 2.0), Vec3::new(0.0, 0.0, -0.25)).unwrap().unwrap();
/// assert!((b.from_up_2kv() - 0.28125).abs() < 1e-15); // (1 - 0.25)^2 / 2
/// ```
///
/// # Errors
/// As [`Frame::new`].
pub fn barrier_vec<S: Real>(axis: Vec3<S>, h_hk: Vec3<S>) -> Result<Option<Barrier<S>>, Error> {
    let f = Frame::new(axis, h_hk, axis)?;
    barrier(f.h_par, f.h_perp)
}

/// Switching field `h_sw(psi)` (units of `H_K`) at which the metastable minimum vanishes for a
/// field at angle `psi` (rad) to the easy axis, from the stability condition
/// `e'(theta) = e''(theta) = 0` solved by bisection to f64 rounding (about 1e-15); the astroid
/// of Stoner & Wohlfarth (1948). Any real `psi` (the result has period pi and the symmetry
/// `psi -> -psi`).
///
/// ```
/// use larmor::sw::switching_field;
/// let h45 = switching_field(core::f64::consts::FRAC_PI_4).unwrap();
/// assert!((h45 - 0.5).abs() < 1e-14);
/// assert_eq!(switching_field(0.0).unwrap(), 1.0);
/// ```
///
/// # Errors
/// [`Error::OutOfRange`] for a non-finite `psi`.
pub fn switching_field(psi: f64) -> Result<f64, Error> {
    Ok(switching_point(psi)?.0)
}

/// `(h_sw, theta_sw)` for `psi` reduced to `[0, pi/2]`.
fn switching_point(psi: f64) -> Result<(f64, f64), Error> {
    check_finite("sw.psi", psi)?;
    let pi = core::f64::consts::PI;
    let half_pi = core::f64::consts::FRAC_PI_2;
    // reduce to [0, pi/2]: period pi, even
    let mut p = psi - pi * libm::floor(psi / pi);
    if p > half_pi {
        p = pi - p;
    }
    if p <= 0.0 {
        return Ok((1.0, pi));
    }
    if p >= half_pi {
        return Ok((1.0, half_pi));
    }
    // Along the metastable branch (theta in (pi/2, pi), field at angle p), e'(theta) = 0 gives
    // h(theta) = -sin(2 theta) / (2 sin(theta - p)); the branch ends where e''(theta) = 0, i.e.
    // at the maximum of h(theta). e'' < 0 at pi/2, > 0 at pi: bisect on its sign.
    let (sp, cp) = math::sin_cos_f64(p);
    let curvature = |t: f64| {
        let (st, ct) = math::sin_cos_f64(t);
        let sin_tp = st * cp - ct * sp; // sin(t - p)
        let cos_tp = ct * cp + st * sp; // cos(t - p)
        let h = -(st * ct) / sin_tp;
        (ct * ct - st * st + h * cos_tp, h)
    };
    let (mut lo, mut hi) = (half_pi, pi);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if curvature(mid).0 < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let t = 0.5 * (lo + hi);
    Ok((curvature(t).1, t))
}

/// One point of the Stoner-Wohlfarth astroid (critical curve) for the field angle `psi`.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct AstroidPoint {
    /// Field angle to the easy axis (rad), as given.
    pub psi: f64,
    /// Switching field magnitude (units of `H_K`).
    pub h_sw: f64,
    /// Field component along the easy axis, `h_sw cos psi`.
    pub h_par: f64,
    /// Field component across the easy axis, `h_sw sin psi`.
    pub h_perp: f64,
    /// Angle of the moment at the instability, from the easy direction it leaves, towards
    /// the field (rad, in `[0, pi/2]`).
    pub theta: f64,
}

/// Astroid point for the field angle `psi` (rad): switching field and its components, to f64
/// rounding (see [`switching_field`]); Stoner & Wohlfarth (1948). Plot `(h_par, h_perp)` over
/// `psi` in `[0, 2 pi)` for the full astroid `|h_par|^(2/3) + |h_perp|^(2/3) = 1`.
///
/// ```
/// let p = larmor::sw::astroid_point(0.3).unwrap();
/// let r = p.h_par.abs().powf(2.0 / 3.0) + p.h_perp.abs().powf(2.0 / 3.0);
/// assert!((r - 1.0).abs() < 1e-12);
/// ```
///
/// # Errors
/// [`Error::OutOfRange`] for a non-finite `psi`.
pub fn astroid_point(psi: f64) -> Result<AstroidPoint, Error> {
    let (h_sw, t) = switching_point(psi)?;
    let (s, c) = math::sin_cos_f64(psi);
    Ok(AstroidPoint {
        psi,
        h_sw,
        h_par: h_sw * c,
        h_perp: h_sw * s,
        theta: core::f64::consts::PI - t,
    })
}

/// Checks a reduced field angle/magnitude pair used by the polar helpers.
pub(crate) fn polar<S: Real>(h: S, psi: S) -> Result<(S, S), Error> {
    check_finite("sw.h", h.to_f64())?;
    check_range(
        "sw.psi",
        psi.to_f64(),
        -1e6,
        1e6,
        "finite angle in rad (|psi| <= 1e6)",
    )?;
    let (s, c) = psi.sin_cos();
    Ok((h * c, h * s))
}

/// [`equilibria`] for a field of magnitude `h_hk` (signed, units of `H_K`) at angle `psi` (rad).
///
/// ```
/// let eq = larmor::sw::equilibria_polar(0.3f64, 0.0).unwrap();
/// assert_eq!(eq.minima().count(), 2);
/// ```
///
/// # Errors
/// [`Error::OutOfRange`] for non-finite input.
pub fn equilibria_polar<S: Real>(h_hk: S, psi: S) -> Result<Equilibria<S>, Error> {
    let (a, b) = polar(h_hk, psi)?;
    // a negative transverse component is the mirror image: flip the plane
    if b < S::ZERO {
        let mut eq = equilibria(a, -b)?;
        for p in eq.points.iter_mut() {
            p.sin = -p.sin;
        }
        for i in 1..eq.points.len() {
            let mut j = i;
            while j > 0 && eq.points[j - 1].cos > eq.points[j].cos {
                eq.points.swap(j - 1, j);
                j -= 1;
            }
        }
        return Ok(eq);
    }
    equilibria(a, b)
}

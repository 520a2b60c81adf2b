//! The loop engine: quasi-static (zero temperature, infinitely slow) following of the occupied
//! minimum through a field history, with jumps located at the folds of the astroid.

use super::poly::machine_eps;
use super::{derivs, rotate_tan, switching_field, Frame};
use crate::error::{check_finite, Error};
use crate::real::Real;
use crate::vec3::Vec3;

/// Largest rotation of the moment (rad) accepted as a continuous move of the tracked minimum in
/// one sub-step; a larger move that survives refinement of the field step is a jump.
const MAX_MOVE: f64 = 0.05;
/// Angular scan step (rad) when descending to the next minimum.
const SCAN: f64 = 0.05;

/// What one [`Loop::apply`] did.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct LoopStep<S> {
    /// The moment after the step (unit vector).
    pub m: Vec3<S>,
    /// Number of irreversible jumps during the step.
    pub jumps: u32,
    /// Reduced field at the last jump in this step, located to `~64 eps |h|` along the path.
    pub jump_field: Option<Vec3<S>>,
}

/// Stoner-Wohlfarth loop engine: follows the occupied energy minimum of one particle through
/// any sequence of 3D reduced fields (units of `H_K`), exactly as overdamped zero-temperature
/// dynamics with an infinitely slow field change would (Stoner & Wohlfarth 1948).
///
/// Between two successive fields the field moves on the straight segment joining them. The
/// minimum is continued along the segment in adaptive sub-steps; where it ceases to exist (a
/// fold, i.e. the field crosses the astroid) the sub-step is refined down to `~64 eps` of the
/// field, and the moment descends along the energy gradient, in the plane of the axis and the
/// field, to the next minimum (the first stationary point downhill). History and memory
/// (minor loops, return-point memory, rotational hysteresis) follow from this alone.
/// Jumps smaller than 0.05 rad (fields within ~1e-4 rad of the hard axis) are followed but not
/// counted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Loop<S> {
    axis: Vec3<S>,
    dir: Vec3<S>,
    perp: Vec3<S>,
    m: Vec3<S>,
    h: Vec3<S>,
    eps: S,
    jumps: u64,
}

fn unit<S: Real>(v: Vec3<S>, param: &'static str) -> Result<Vec3<S>, Error> {
    let n = v.norm();
    if !v.is_finite() || !(n > S::ZERO) {
        return Err(Error::ZeroVector { param });
    }
    Ok(v.scale(n.recip()))
}

impl<S: Real> Loop<S> {
    /// A particle with easy axis `axis`, relaxed in zero field from the direction `m0` (into the
    /// easy direction of the hemisphere of `m0`). `direction` is the measurement axis of
    /// [`Loop::sweep`] and [`Loop::components`]; the transverse axis is the part of
    /// `axis` perpendicular to it (or any perpendicular if they are parallel).
    ///
    /// ```
    /// use larmor::{sw::Loop, Vec3};
    /// let lp = Loop::new(Vec3::Z, Vec3::Z, Vec3::new(0.1f64, 0.0, 1.0)).unwrap();
    /// assert_eq!(lp.m(), Vec3::Z);
    /// ```
    ///
    /// # Errors
    /// [`Error::ZeroVector`] for a zero or non-finite vector.
    pub fn new(axis: Vec3<S>, direction: Vec3<S>, m0: Vec3<S>) -> Result<Self, Error> {
        let axis = unit(axis, "sw.axis")?;
        let dir = unit(direction, "sw.direction")?;
        let m0 = unit(m0, "sw.m0")?;
        let t = axis - dir.scale(axis.dot(dir));
        let perp = if t.norm() > S::from_f64(1e-6) {
            t.normalized()
        } else {
            super::any_perpendicular(dir)
        };
        let mut lp = Self {
            axis,
            dir,
            perp,
            m: m0,
            h: Vec3::ZERO,
            eps: machine_eps::<S>(),
            jumps: 0,
        };
        lp.m = lp.land(m0, Vec3::ZERO);
        Ok(lp)
    }

    /// The usual in-plane set-up: easy axis along x, field direction at angle `psi` (rad) in the
    /// x-y plane, moment saturated along `+x` (`positive`) or `-x`. [`Loop::sweep`] then
    /// returns `(m_par, m_perp)` along and across the field direction.
    ///
    /// ```
    /// use larmor::sw::Loop;
    /// let mut lp = Loop::<f64>::in_plane(0.0, true).unwrap();
    /// assert_eq!(lp.sweep(-0.99).unwrap().0, 1.0);  // below H_K: still up
    /// assert_eq!(lp.sweep(-1.01).unwrap().0, -1.0); // switched
    /// assert_eq!(lp.sweep(0.0).unwrap().0, -1.0);   // and remembers it
    /// ```
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for a non-finite `psi`.
    pub fn in_plane(psi: S, positive: bool) -> Result<Self, Error> {
        check_finite("sw.psi", psi.to_f64())?;
        let (s, c) = psi.sin_cos();
        let m0 = if positive { Vec3::X } else { -Vec3::X };
        let mut lp = Self::new(Vec3::X, Vec3::new(c, s, S::ZERO), m0)?;
        lp.perp = Vec3::new(-s, c, S::ZERO);
        Ok(lp)
    }

    /// The current moment (unit vector).
    ///
    /// ```
    /// let lp = larmor::sw::Loop::<f32>::in_plane(0.5, false).unwrap();
    /// assert_eq!(lp.m().x, -1.0);
    /// ```
    pub fn m(&self) -> Vec3<S> {
        self.m
    }

    /// The current reduced field.
    ///
    /// ```
    /// let mut lp = larmor::sw::Loop::<f64>::in_plane(0.0, true).unwrap();
    /// lp.sweep(0.25).unwrap();
    /// assert_eq!(lp.field().x, 0.25);
    /// ```
    pub fn field(&self) -> Vec3<S> {
        self.h
    }

    /// Total number of jumps so far.
    ///
    /// ```
    /// let mut lp = larmor::sw::Loop::<f64>::in_plane(0.2, true).unwrap();
    /// for h in [-2.0, 2.0, -2.0] { lp.sweep(h).unwrap(); }
    /// assert_eq!(lp.jumps(), 3);
    /// ```
    pub fn jumps(&self) -> u64 {
        self.jumps
    }

    /// `(m . direction, m . transverse)` of the current state.
    ///
    /// ```
    /// let lp = larmor::sw::Loop::<f64>::in_plane(0.0, true).unwrap();
    /// assert_eq!(lp.components(), (1.0, 0.0));
    /// ```
    pub fn components(&self) -> (S, S) {
        (self.m.dot(self.dir), self.m.dot(self.perp))
    }

    /// Moves the field along `h * direction` (signed magnitude `h_hk`, units of `H_K`) and returns
    /// `(m_par, m_perp)`, the moment along and across the direction.
    ///
    /// ```
    /// let mut lp = larmor::sw::Loop::<f64>::in_plane(core::f64::consts::FRAC_PI_2, true).unwrap();
    /// let (m_par, m_perp) = lp.sweep(0.5).unwrap(); // hard axis: m_par = h
    /// assert!((m_par - 0.5).abs() < 1e-15 && (m_perp.abs() - 0.75f64.sqrt()).abs() < 1e-15);
    /// ```
    ///
    /// # Errors
    /// As [`Loop::apply`].
    pub fn sweep(&mut self, h_hk: S) -> Result<(S, S), Error> {
        self.apply(self.dir.scale(h_hk))?;
        Ok(self.components())
    }

    /// Moves the field on a straight segment from the current field to `h_hk` (3D, units of
    /// `H_K`), following the occupied minimum and jumping where it disappears.
    ///
    /// ```
    /// use larmor::{sw::Loop, Vec3};
    /// let mut lp = Loop::new(Vec3::Z, Vec3::Z, Vec3::Z).unwrap();
    /// let st = lp.apply(Vec3::new(0.3f64, 0.0, -0.6)).unwrap(); // psi = 153 deg, |h| = 0.67
    /// assert_eq!(st.jumps, 1);
    /// assert!(st.m.z < 0.0);
    /// ```
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for a non-finite field.
    pub fn apply(&mut self, h_hk: Vec3<S>) -> Result<LoopStep<S>, Error> {
        if !h_hk.is_finite() {
            return Err(Error::OutOfRange {
                param: "sw.field",
                value: f64::NAN,
                allowed: "finite components (units of H_K)",
            });
        }
        let h0 = self.h;
        let dh = h_hk - h0;
        let len = dh.norm();
        let tol = self.eps * S::from_f64(64.0) * (S::ONE + h0.norm() + h_hk.norm());
        let max_move2 = S::from_f64(MAX_MOVE * MAX_MOVE);
        let mut step = LoopStep {
            m: self.m,
            jumps: 0,
            jump_field: None,
        };
        let (mut s, mut ds) = (S::ZERO, S::ONE);
        let mut m = self.m;
        let mut guard = 0u32;
        while s < S::ONE {
            guard += 1;
            let s_try = if s + ds > S::ONE { S::ONE } else { s + ds };
            let hf = h0 + dh.scale(s_try);
            let m_try = self.land(m, hf);
            let moved = (m_try - m).norm2();
            let resolved = (s_try - s) * len <= tol || guard > 20_000;
            if moved <= max_move2 || resolved {
                if moved > max_move2 {
                    step.jumps += 1;
                    step.jump_field = Some(h0 + dh.scale((s + s_try) * S::HALF));
                }
                m = m_try;
                s = s_try;
                ds += ds;
            } else {
                ds *= S::HALF;
            }
        }
        self.m = m;
        self.h = h_hk;
        self.jumps += step.jumps as u64;
        step.m = m;
        Ok(step)
    }

    /// Descends from `m` to the first minimum downhill in the field `h` (in the plane of the
    /// easy axis and the field).
    fn land(&self, m: Vec3<S>, h: Vec3<S>) -> Vec3<S> {
        let f = Frame::unit(self.axis, h, m);
        let mut c = m.dot(f.u);
        let mut s = m.dot(f.p);
        let n = (c * c + s * s).sqrt();
        if n > S::ZERO {
            c /= n;
            s /= n;
        } else {
            c = S::ONE;
            s = S::ZERO;
        }
        let (cl, sl) = land_in_plane(c, s, f.h_par, f.h_perp, self.eps);
        f.direction(cl, sl)
    }
}

/// The minimum that 1D gradient flow from `(c, s)` reaches for the in-plane field `(a, b)`.
///
/// Fast path (Kantorovich): if `k = e'' > 0` and the Newton step `|e'/k| <= k / (4 M)` with
/// `M = 2 + |a| + |b|` bounding the third derivative, then `e'' >= k/2` over twice that step,
/// so the nearby minimum is the only stationary point between `(c, s)` and it, and Newton
/// converges to it. Otherwise all stationary points are computed and the first minimum in the
/// downhill direction is taken.
pub(crate) fn land_in_plane<S: Real>(c: S, s: S, a: S, b: S, eps: S) -> (S, S) {
    let (_, g0, k0) = derivs(c, s, a, b);
    let big_m = S::TWO + a.abs() + b.abs();
    if k0 > S::ZERO && g0.abs() * big_m * S::from_f64(4.0) <= k0 * k0 {
        let (mut c, mut s) = (c, s);
        for _ in 0..8 {
            let (_, g, k) = derivs(c, s, a, b);
            if g == S::ZERO || k <= S::ZERO {
                break;
            }
            let t = -g / k;
            let (nc, ns) = rotate_tan(c, s, t);
            c = nc;
            s = ns;
            if t.abs() <= eps {
                break;
            }
        }
        return (c, s);
    }
    let dir = if g0 > S::ZERO { -S::ONE } else { S::ONE };
    let eq = super::equilibria_unchecked(a, b);
    let mut best: Option<(S, S, S)> = None;
    for p in eq
        .points
        .iter()
        .filter(|p| matches!(p.kind, super::Kind::Minimum | super::Kind::Degenerate))
    {
        // pseudo-angle in [0, 4) from (c, s) to p, measured in the downhill direction
        let x = c * p.cos + s * p.sin;
        let y = dir * (c * p.sin - s * p.cos);
        let r = x.abs() + y.abs();
        if !(r > S::ZERO) {
            continue;
        }
        let q = if y >= S::ZERO {
            S::ONE - x / r
        } else {
            S::from_f64(3.0) + x / r
        };
        match best {
            Some((bq, _, _)) if bq <= q => {}
            _ => best = Some((q, p.cos, p.sin)),
        }
    }
    match best {
        Some((_, bc, bs)) => (bc, bs),
        None => descend(c, s, a, b, eps),
    }
}

/// First minimum reached from `(c, s)` moving downhill along the circle (1D gradient flow).
pub(crate) fn descend<S: Real>(c: S, s: S, a: S, b: S, eps: S) -> (S, S) {
    let scale = S::ONE + a.abs() + b.abs();
    let gtol = eps * S::from_f64(16.0) * scale;
    let (_, g0, k0) = derivs(c, s, a, b);
    if g0.abs() <= gtol && k0 > S::ZERO {
        return (c, s);
    }
    // direction of descent: +1 increases theta
    // (exactly stationary but not a minimum: tie-break towards +theta)
    let dir = if g0 > S::ZERO { -S::ONE } else { S::ONE };
    let (sn, cs) = S::from_f64(SCAN).sin_cos();
    let sn = sn * dir;
    // walk until e' changes sign (or reaches a minimum exactly)
    let (mut c0, mut s0) = (c, s);
    let mut g_prev = g0;
    let steps = (2.0 * core::f64::consts::PI / SCAN) as usize + 2;
    for _ in 0..steps {
        let c1 = c0 * cs - s0 * sn;
        let s1 = s0 * cs + c0 * sn;
        let (_, g1, _) = derivs(c1, s1, a, b);
        let crossed = if dir > S::ZERO {
            g1 >= S::ZERO
        } else {
            g1 <= S::ZERO
        };
        if crossed && g_prev != S::ZERO {
            return bracketed(c0, s0, c1, s1, a, b, dir, eps);
        }
        c0 = c1;
        s0 = s1;
        g_prev = g1;
    }
    (c, s)
}

/// The minimum between `(c0, s0)` and `(c1, s1)` (angle `SCAN` apart in direction `dir`), where
/// `dir * e'` goes from negative to non-negative: safeguarded Newton in the angle.
#[allow(clippy::too_many_arguments)]
fn bracketed<S: Real>(c0: S, s0: S, c1: S, s1: S, a: S, b: S, dir: S, eps: S) -> (S, S) {
    // parametrise by t in [0, SCAN]: x(t) = rotate(x0, dir * t); f(t) = dir * e'(x(t))
    let (mut lo, mut hi) = (S::ZERO, S::from_f64(SCAN));
    let at = |t: S| {
        let (sn, cs) = t.sin_cos();
        let sn = sn * dir;
        (c0 * cs - s0 * sn, s0 * cs + c0 * sn)
    };
    let mut t = S::ZERO;
    let mut best = (c1, s1);
    for _ in 0..100 {
        let (c, s) = if t == S::ZERO { (c0, s0) } else { at(t) };
        let (_, g, k) = derivs(c, s, a, b);
        let f = dir * g;
        best = (c, s);
        if f == S::ZERO {
            return (c, s);
        }
        if f < S::ZERO {
            lo = t;
        } else {
            hi = t;
        }
        let mut next = if k > S::ZERO { t - f / k } else { lo };
        if !(next > lo && next < hi) {
            next = (lo + hi) * S::HALF;
        }
        if (next - t).abs() <= eps * S::from_f64(4.0) || next <= lo || next >= hi {
            let (c, s) = at(next.max(lo).min(hi));
            return polish(c, s, a, b, eps);
        }
        t = next;
    }
    polish(best.0, best.1, a, b, eps)
}

/// Two Newton steps on the circle (only if they reduce |e'| and keep e'' > 0).
fn polish<S: Real>(mut c: S, mut s: S, a: S, b: S, eps: S) -> (S, S) {
    for _ in 0..2 {
        let (_, g, k) = derivs(c, s, a, b);
        if k <= S::ZERO || g.abs() <= eps {
            break;
        }
        let (nc, ns) = rotate_tan(c, s, -g / k);
        let (_, g2, _) = derivs(nc, ns, a, b);
        if g2.abs() < g.abs() {
            c = nc;
            s = ns;
        } else {
            break;
        }
    }
    (c, s)
}

/// Remanence, coercivity and switching field of one particle (units of `Ms` and `H_K`).
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Hysteresis {
    /// `m_par` at zero field on the descending branch from positive saturation.
    pub remanence: f64,
    /// Field magnitude at which `m_par` crosses zero on the descending branch.
    pub coercivity: f64,
    /// Field magnitude of the irreversible jump (`None` for a field exactly across the axis,
    /// where the loop has no hysteresis).
    pub switching_field: Option<f64>,
}

/// Remanence `|cos psi|` and coercivity of one Stoner-Wohlfarth particle for a field at angle
/// `psi` (rad) to its easy axis, from the [`Loop`] engine with the zero crossing of `m_par`
/// bisected to 1e-13; coercivity equals `h_sw(psi)` for `|psi| <= 45 deg` and is reached
/// before switching beyond (Stoner & Wohlfarth 1948).
///
/// ```
/// let hy = larmor::sw::hysteresis(core::f64::consts::FRAC_PI_6).unwrap();
/// assert!((hy.remanence - 0.75f64.sqrt()).abs() < 1e-12);
/// assert!((hy.coercivity - hy.switching_field.unwrap()).abs() < 1e-12);
/// ```
///
/// # Errors
/// [`Error::OutOfRange`] for a non-finite `psi`.
pub fn hysteresis(psi: f64) -> Result<Hysteresis, Error> {
    check_finite("sw.psi", psi)?;
    // work with the field direction in the +axis hemisphere
    let (sp, cp) = crate::math::sin_cos_f64(psi);
    let psi_r = crate::math::atan2_f64(sp.abs(), cp.abs());
    let h_sw = switching_field(psi_r)?;
    let mut lp = Loop::<f64>::in_plane(psi_r, true)?;
    lp.sweep(2.0)?;
    let remanence = lp.sweep(0.0)?.0;
    // descending branch: bracket the zero of m_par on [-(h_sw + margin), 0]
    let at = |h: f64| -> Result<(f64, u64), Error> {
        let mut l = lp;
        let (mp, _) = l.sweep(h)?;
        Ok((mp, l.jumps() - lp.jumps()))
    };
    let (mut lo, mut hi) = (-1.01, 0.0);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if hi - lo <= 1e-13 {
            break;
        }
        if at(mid)?.0 > 0.0 {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    let coercivity = -0.5 * (lo + hi);
    let switching = if at(-1.01)?.1 > 0 { Some(h_sw) } else { None };
    Ok(Hysteresis {
        remanence,
        coercivity,
        switching_field: switching,
    })
}

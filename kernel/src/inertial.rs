//! Inertial LLG: the Gilbert equation with a moment of inertia (Ciornei, Rubi and Wegrowe,
//! Phys. Rev. B 83, 020410 (2011); Bhattacharjee, Nordstrom and Fransson, Phys. Rev. Lett. 108,
//! 057204 (2012), eq. 1; Olive, Lansac, Meo, Hehn and Wegrowe, J. Appl. Phys. 117, 213904
//! (2015)):
//!
//! `dm/dt = -gamma m x B + alpha m x dm/dt + eta m x d2m/dt2`, `eta = alpha tau`,
//!
//! with `tau` the angular-momentum relaxation time. In reduced units (`h = B/(mu0 Ms)`,
//! `tau' = gamma mu0 Ms t`, see [`crate::units`]) the same equation holds with
//! `eta' = alpha tau gamma mu0 Ms`.
//!
//! **State**: `(m, v)` with `v = dm/dt'`, on the tangent bundle of the sphere
//! ([`TangentBundle`]: `|m| = 1`, `m . v = 0` restored after every step). Solving the equation
//! for the acceleration with `m . dv/dt = -|v|^2` (the derivative of `m . v = 0`):
//!
//! `dm/dt = v`, `dv/dt = -|v|^2 m - m x R`, `R = (v + m x h - alpha m x v) / eta`.
//!
//! **Linear modes** about a field `h` along `z` (`m_x + i m_y ~ exp(-i w t)`):
//! `eta w^2 - (1 - i alpha) w - h = 0` ([`modes`]): a precession root near
//! `-h/(1 - i alpha)` (counter-clockwise about `h`, as without inertia) and a nutation root
//! near `(1 - i alpha)/eta`, turning the other way and decaying at `alpha/eta`. As `tau -> 0`
//! the nutation decouples and the LLG trajectory is recovered, with the velocity slaved to
//! the Landau-Lifshitz right-hand side ([`InertialLlg::llg_velocity`]).
//!
//! Spin torques are not included (they would enter the first-order part of the equation).

use crate::error::{check_min, Error};
use crate::field::{total_field, FieldTerm};
use crate::llg::{Dynamics, Llg};
use crate::real::Real;
use crate::state::TangentBundle;
use crate::vec3::Vec3;

/// The inertial LLG equation of one macrospin with field terms `F`; its state is `[m, v]`.
#[derive(Clone, Debug, PartialEq)]
pub struct InertialLlg<S, F> {
    llg: Llg<S, F>,
    /// `1/eta` (reduced).
    inv_eta: S,
    /// `alpha/eta`.
    alpha_inv_eta: S,
}

impl<S: Real, F: FieldTerm<S>> InertialLlg<S, F> {
    /// Inertial LLG with damping `alpha`, field terms `terms` and reduced inertial relaxation
    /// time `tau` (so `eta = alpha tau`).
    ///
    /// ```
    /// use larmor::{field::Zeeman, inertial::InertialLlg, integrate::Integrator, stepper::Rk4, Vec3};
    /// let sys = InertialLlg::new(0.05f64, Zeeman::constant(Vec3::Z), 2.0).unwrap();
    /// let m0 = Vec3::new(0.6, 0.0, 0.8);
    /// let mut run = Integrator::new(sys.clone(), Rk4::new(), [m0, sys.llg_velocity(m0)], 1e-3).unwrap();
    /// run.advance_to(5.0).unwrap();
    /// let [m, v] = *run.storage();
    /// assert!((m.norm() - 1.0).abs() < 1e-12 && m.dot(v).abs() < 1e-12);
    /// ```
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for `alpha <= 0` (key `magnet.alpha`: inertia needs damping,
    /// `eta = alpha tau`) or `tau <= 0` (key `inertia.tau`), or a non-finite `eta`.
    pub fn new(alpha: S, terms: F, tau: S) -> Result<Self, Error> {
        check_min(
            "magnet.alpha",
            alpha.to_f64(),
            0.0,
            false,
            "> 0 with [inertia]",
        )?;
        check_min("inertia.tau", tau.to_f64(), 0.0, false, "> 0 s")?;
        let eta = alpha * tau;
        let inv_eta = eta.recip();
        if eta.to_f64() <= 0.0 || !inv_eta.is_finite() || inv_eta.to_f64() <= 0.0 {
            return Err(Error::OutOfRange {
                param: "inertia.tau",
                value: tau.to_f64(),
                allowed: "alpha tau representable in the model scalar",
            });
        }
        Ok(Self {
            llg: Llg::new(alpha, terms),
            inv_eta,
            alpha_inv_eta: alpha * inv_eta,
        })
    }

    /// The field terms and damping (as the LLG equation without inertia).
    pub fn llg(&self) -> &Llg<S, F> {
        &self.llg
    }

    /// The initial velocity consistent with the field: the Landau-Lifshitz right-hand side at
    /// `m` (what `v` relaxes to when the nutation has decayed), at local time 0.
    pub fn llg_velocity(&self, m: Vec3<S>) -> Vec3<S> {
        let mut v = [Vec3::ZERO];
        self.llg.rhs(S::ZERO, &[m], &mut v);
        v[0]
    }
}

/// The state of `n` spins is `(m_0..m_{n-1}, v_0..v_{n-1})`, `2n` vectors ([`TangentBundle`]).
impl<S: Real, F: FieldTerm<S>> Dynamics<S> for InertialLlg<S, F> {
    type Geometry = TangentBundle;
    const AUTONOMOUS: bool = F::AUTONOMOUS;

    #[inline(always)]
    fn rhs(&self, t: S, y: &[Vec3<S>], dy: &mut [Vec3<S>]) {
        let n = y.len() / 2;
        let (ms, vs) = y.split_at(n);
        let (dm, dv) = dy.split_at_mut(n);
        // the directions' field goes into the velocity half of `dy`, overwritten below
        total_field(&self.llg.terms, t, ms, &mut dv[..n]);
        for (((&m, &v), dmi), dvi) in ms.iter().zip(vs).zip(dm.iter_mut()).zip(dv.iter_mut()) {
            // R = (v + m x h - alpha m x v) / eta
            let r = (v + m.cross(*dvi)).scale(self.inv_eta) - m.cross(v).scale(self.alpha_inv_eta);
            *dmi = v;
            *dvi = m.scale(-v.norm2()) - m.cross(r);
        }
    }
    fn energy(&self, t: S, y: &[Vec3<S>]) -> S {
        self.llg.terms.energy(t, &y[..y.len() / 2])
    }
    fn rebase(&mut self, epoch: f64) -> f64 {
        self.llg.terms.rebase(epoch)
    }
}

/// The two linear modes `(precession, nutation)` about a static reduced field `h` along the
/// axis: the roots of `eta w^2 - (1 - i alpha) w - h = 0` as `(re, im)` pairs, for
/// `m_x + i m_y ~ exp(-i w t)` (a negative real part turns counter-clockwise about the field, a
/// negative imaginary part decays).
///
/// ```
/// let (p, n) = larmor::inertial::modes(0.01, 0.05, 1.0);
/// assert!(p.0 < 0.0 && n.0 > 0.0); // opposite senses
/// assert!(p.1 < 0.0 && n.1 < 0.0); // both decay
/// ```
pub fn modes(alpha: f64, eta: f64, h: f64) -> ((f64, f64), (f64, f64)) {
    // w = [(1 - i alpha) -/+ sqrt((1 - i alpha)^2 + 4 eta h)] / (2 eta)
    let (br, bi) = (1.0, -alpha);
    let (dr, di) = (br * br - bi * bi + 4.0 * eta * h, 2.0 * br * bi);
    let (sr, si) = complex_sqrt(dr, di);
    let k = 0.5 / eta;
    (
        ((br - sr) * k, (bi - si) * k),
        ((br + sr) * k, (bi + si) * k),
    )
}

/// Principal square root of `x + i y` (real part >= 0).
fn complex_sqrt(x: f64, y: f64) -> (f64, f64) {
    let r = crate::math::sqrt_f64(x * x + y * y);
    let re = crate::math::sqrt_f64(0.5 * (r + x));
    let im = crate::math::sqrt_f64(0.5 * (r - x));
    (re, if y < 0.0 { -im } else { im })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::Zeeman;

    #[test]
    fn modes_solve_the_characteristic_equation() {
        let (alpha, eta, h) = (0.02, 0.07, 1.3);
        let (p, n) = modes(alpha, eta, h);
        for (wr, wi) in [p, n] {
            // eta w^2 - (1 - i alpha) w - h
            let (w2r, w2i) = (wr * wr - wi * wi, 2.0 * wr * wi);
            let re = eta * w2r - (wr + alpha * wi) - h;
            let im = eta * w2i - (wi - alpha * wr);
            assert!(re.abs() < 1e-12 && im.abs() < 1e-12, "{re} {im}");
        }
        // eta -> 0: precession -h/(1 - i alpha)
        let (p, _) = modes(alpha, 1e-9, h);
        let d = 1.0 + alpha * alpha;
        assert!((p.0 + h / d).abs() < 1e-6 && (p.1 + alpha * h / d).abs() < 1e-6);
    }

    #[test]
    fn refuses_no_damping_or_no_inertia() {
        let z = Zeeman::constant(Vec3::Z);
        assert!(InertialLlg::new(0.0f64, z.clone(), 1.0).is_err());
        assert!(InertialLlg::new(0.1f64, z.clone(), 0.0).is_err());
        assert!(InertialLlg::new(0.1f64, z, f64::NAN).is_err());
    }
}

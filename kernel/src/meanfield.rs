//! Weiss mean field for a ferromagnet of local moments: the equilibrium magnetisation `m(T, B)`,
//! the longitudinal susceptibility, the Curie temperature (Weiss 1907; Kittel, *Introduction to
//! Solid State Physics*, ch. 11). Set-up code in f64: the LLB's `m_e(T)` and `chi_par(T)`
//! ([`crate::llb`]) come from here, tabulated once.
//!
//! Each site sees the exchange field of its neighbours' mean moment. With `J0 = sum_j J_ij`
//! (joules; for quantum spins the coupling of the spin operators, `H = -sum J_ij S_i . S_j`),
//! the self-consistency for the reduced magnetisation `m` in [-1, 1] is
//!
//! `m = F(x)`, `x = (m + b) / t`,
//!
//! in exchange units: `t = kB T / E_x`, `b = mu B / E_x` (`mu B` the Zeeman energy of a fully
//! aligned moment), with `E_x = J0 S^2` (quantum spin `S`), `J0` (classical unit spins) or
//! `J0` (Ising `s = +-1`), and `F` the Brillouin function `B_S`, the Langevin function `L` or
//! `tanh`. Linearising, `F(x) ~ F'(0) x` with `F'(0) = (S + 1)/(3 S)`, 1/3 or 1, so
//!
//! - `kB Tc = J0 S (S + 1) / 3` (quantum), `J0 / 3` (classical Heisenberg), `J0` (Ising);
//! - above `Tc`, `chi = dm/db = F'(x) / (t - F'(x))` is exactly Curie-Weiss at `b = 0`:
//!   `1/chi = (t - t_c) / F'(0)`, `theta = Tc`;
//! - at low temperature `m = 1 - t` for classical spins (`L(x) ~ 1 - 1/x`), exponentially
//!   close to 1 for quantum and Ising spins.
//!
//! ```
//! use larmor::meanfield::{MeanField, Spin};
//! let kb = larmor::units::KB;
//! let mf = MeanField::new(Spin::Classical, 3.0 * kb * 600.0).unwrap(); // J0 = 3 kB Tc
//! assert!((mf.tc() - 600.0).abs() < 1e-9);
//! let m = mf.magnetisation(300.0, 0.0).unwrap();
//! assert!(m > 0.7 && m < 0.8);
//! assert_eq!(mf.magnetisation(700.0, 0.0).unwrap(), 0.0);
//! ```

use crate::error::{check_min, check_range, Error};
use crate::math::expm1_f64;
use crate::units::KB;

/// The kind of local moment.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Spin {
    /// Ising `s = +-1`: `F = tanh`.
    Ising,
    /// Classical unit vectors (Heisenberg): `F = L`, the Langevin function.
    Classical,
    /// Quantum spin `S` (1/2, 1, 3/2, ...): `F = B_S`, the Brillouin function.
    Quantum(f64),
}

impl Spin {
    /// `F(x)`.
    pub fn f(self, x: f64) -> f64 {
        if x < 0.0 {
            return -self.f(-x);
        }
        match self {
            Spin::Ising => {
                let e = expm1_f64(-2.0 * x);
                -e / (2.0 + e)
            }
            Spin::Classical => brillouin(1.0, 0.0, x),
            Spin::Quantum(s) => brillouin((2.0 * s + 1.0) / (2.0 * s), 1.0 / (2.0 * s), x),
        }
    }

    /// `F'(x)`.
    pub fn df(self, x: f64) -> f64 {
        let x = x.abs();
        match self {
            Spin::Ising => {
                let t = self.f(x);
                1.0 - t * t
            }
            Spin::Classical => brillouin_slope(1.0, 0.0, x),
            Spin::Quantum(s) => brillouin_slope((2.0 * s + 1.0) / (2.0 * s), 1.0 / (2.0 * s), x),
        }
    }

    /// `F'(0)`: `(S + 1)/(3 S)`, 1/3 or 1.
    pub fn slope0(self) -> f64 {
        match self {
            Spin::Ising => 1.0,
            Spin::Classical => 1.0 / 3.0,
            Spin::Quantum(s) => (s + 1.0) / (3.0 * s),
        }
    }

    /// `E_x / J0`: `S^2`, or 1.
    fn exchange_scale(self) -> f64 {
        match self {
            Spin::Quantum(s) => s * s,
            _ => 1.0,
        }
    }
}

/// `coth y - 1/y` for `y > 0` (0 at 0), without cancellation.
fn coth_minus_inverse(y: f64) -> f64 {
    if y < 0.1 {
        // Laurent series of coth; the next term, 1382 y^11 / 638512875, is below 3e-17 here
        let y2 = y * y;
        y * (1.0 / 3.0
            - y2 * (1.0 / 45.0 - y2 * (2.0 / 945.0 - y2 * (1.0 / 4725.0 - y2 * (2.0 / 93555.0)))))
    } else {
        // coth y = 1 + 2 / (e^{2y} - 1)
        1.0 + 2.0 / expm1_f64(2.0 * y) - 1.0 / y
    }
}

/// `1/y^2 - csch^2 y` for `y > 0` (1/3 at 0).
fn inverse_square_minus_csch2(y: f64) -> f64 {
    if y < 0.1 {
        // the derivative of the series above
        let y2 = y * y;
        1.0 / 3.0
            - y2 * (1.0 / 15.0 - y2 * (2.0 / 189.0 - y2 * (1.0 / 675.0 - y2 * (2.0 / 10395.0))))
    } else {
        // csch^2 y = 4 e^{2y} / (e^{2y} - 1)^2 = 4 / (expm1(2y) (-expm1(-2y)))
        1.0 / (y * y) - 4.0 / (expm1_f64(2.0 * y) * -expm1_f64(-2.0 * y))
    }
}

/// `a coth(a x) - c coth(c x)` for `x >= 0` (`c = 0`: the Langevin function), written as
/// `a (coth(ax) - 1/(ax)) - c (coth(cx) - 1/(cx))`: the `1/x` poles cancel exactly.
fn brillouin(a: f64, c: f64, x: f64) -> f64 {
    let tail = if c > 0.0 {
        c * coth_minus_inverse(c * x)
    } else {
        0.0
    };
    a * coth_minus_inverse(a * x) - tail
}

/// Derivative of [`brillouin`] in `x`: `-a^2 csch^2(ax) + c^2 csch^2(cx)`, with the `1/x^2`
/// poles cancelled the same way.
fn brillouin_slope(a: f64, c: f64, x: f64) -> f64 {
    let tail = if c > 0.0 {
        c * c * inverse_square_minus_csch2(c * x)
    } else {
        0.0
    };
    a * a * inverse_square_minus_csch2(a * x) - tail
}

/// A Weiss mean-field ferromagnet (see the [module docs](self)).
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct MeanField {
    spin: Spin,
    /// `E_x / kB` (K): the temperature unit of `t`.
    scale_k: f64,
}

impl MeanField {
    /// A mean-field ferromagnet with spins `spin` and exchange sum `j0` (J, > 0).
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for `meanfield.j0` not positive and finite, or a quantum spin
    /// (`meanfield.spin`) not a positive multiple of 1/2 up to 100.
    pub fn new(spin: Spin, j0: f64) -> Result<Self, Error> {
        check_min("meanfield.j0", j0, 0.0, false, "> 0 J")?;
        if let Spin::Quantum(s) = spin {
            check_range(
                "meanfield.spin",
                s,
                0.5,
                100.0,
                "1/2, 1, 3/2, ... up to 100",
            )?;
            if (2.0 * s - crate::math::floor_f64(2.0 * s + 0.5)).abs() > 1e-12 {
                return Err(Error::OutOfRange {
                    param: "meanfield.spin",
                    value: s,
                    allowed: "a multiple of 1/2 (1/2, 1, 3/2, ...)",
                });
            }
        }
        Ok(Self {
            spin,
            scale_k: j0 * spin.exchange_scale() / KB,
        })
    }

    /// The mean-field ferromagnet of spins `spin` whose Curie temperature is `tc` (K): the
    /// exchange sum `j0 = kB Tc / F'(0)` in the spins' normalisation.
    ///
    /// ```
    /// use larmor::meanfield::{MeanField, Spin};
    /// let mf = MeanField::with_tc(Spin::Quantum(0.5), 631.0).unwrap();
    /// assert!((mf.tc() - 631.0).abs() < 1e-9);
    /// ```
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for `meanfield.tc` not positive and finite; as [`MeanField::new`].
    pub fn with_tc(spin: Spin, tc: f64) -> Result<Self, Error> {
        check_min("meanfield.tc", tc, 0.0, false, "> 0 K")?;
        let probe = Self::new(spin, KB)?;
        Self::new(spin, KB * tc / probe.tc())
    }

    /// The spins.
    pub fn spin(&self) -> Spin {
        self.spin
    }

    /// The Curie temperature (K): `F'(0) E_x / kB`.
    pub fn tc(&self) -> f64 {
        self.spin.slope0() * self.scale_k
    }

    /// Reduced temperature `t = kB T / E_x` and field `b = mu B / E_x` of `kelvin` and the
    /// Zeeman energy `zeeman` (J) of a fully aligned moment.
    fn reduced(&self, kelvin: f64, zeeman: f64) -> Result<(f64, f64), Error> {
        check_min("meanfield.temperature", kelvin, 0.0, true, ">= 0 K")?;
        check_range(
            "meanfield.zeeman",
            zeeman,
            -f64::MAX,
            f64::MAX,
            "finite (J)",
        )?;
        Ok((kelvin / self.scale_k, zeeman / (KB * self.scale_k)))
    }

    /// The equilibrium magnetisation `m` in [-1, 1] at `kelvin` and the Zeeman energy `zeeman`
    /// (J) of a fully aligned moment in the applied field (the stable root: the sign of the
    /// field, + at zero field below `Tc`).
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for a negative or non-finite temperature or field.
    pub fn magnetisation(&self, kelvin: f64, zeeman: f64) -> Result<f64, Error> {
        let (t, b) = self.reduced(kelvin, zeeman)?;
        Ok(self.solve(t, b))
    }

    /// `m` at reduced `t`, `b`.
    fn solve(&self, t: f64, b: f64) -> f64 {
        if b < 0.0 {
            return -self.solve(t, -b);
        }
        if t == 0.0 {
            return 1.0;
        }
        if b == 0.0 && t >= self.spin.slope0() {
            return 0.0;
        }
        // g(m) = F((m + b)/t) - m: positive just above 0 (b > 0, or t < t_c), negative at 1
        let g = |m: f64| self.spin.f((m + b) / t) - m;
        let (mut lo, mut hi) = (0.0, 1.0);
        if b == 0.0 {
            // below t_c the slope F'(0)/t exceeds 1: g > 0 at a small m
            lo = 1e-300;
        }
        if g(hi) >= 0.0 {
            return 1.0;
        }
        for _ in 0..2100 {
            let mid = 0.5 * (lo + hi);
            if mid <= lo || mid >= hi {
                break;
            }
            if g(mid) > 0.0 {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        0.5 * (lo + hi)
    }

    /// The longitudinal susceptibility `dm / d(mu B)` (1/J) at `kelvin` and `zeeman`: from
    /// `m = F(x)`, `chi = F'(x) / (t - F'(x)) / E_x`. Infinite at `Tc` in zero field.
    ///
    /// # Errors
    /// As [`MeanField::magnetisation`].
    pub fn susceptibility(&self, kelvin: f64, zeeman: f64) -> Result<f64, Error> {
        let (t, b) = self.reduced(kelvin, zeeman)?;
        let m = self.solve(t, b);
        if t == 0.0 {
            return Ok(0.0);
        }
        let d = self.spin.df((m + b) / t);
        let denom = t - d;
        Ok(if denom > 0.0 {
            d / denom / (KB * self.scale_k)
        } else {
            f64::INFINITY
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn functions_are_smooth_across_the_series_switch() {
        for spin in [
            Spin::Classical,
            Spin::Quantum(0.5),
            Spin::Quantum(3.5),
            Spin::Ising,
        ] {
            // the series hold below 0.1 / a: both sides of every switch
            for x in [0.04, 0.0999, 0.1001, 0.2, 0.35, 1.0, 5.0] {
                let h = 1e-5;
                let num = (spin.f(x + h) - spin.f(x - h)) / (2.0 * h);
                assert!(
                    (num - spin.df(x)).abs() < 1e-9,
                    "{spin:?} {x}: {num} {}",
                    spin.df(x)
                );
            }
        }
        // no step where the series hand over to the closed forms
        let (y1, y2) = (0.0999999, 0.1000001);
        let jump = coth_minus_inverse(y2)
            - coth_minus_inverse(y1)
            - 2e-7 * inverse_square_minus_csch2(0.1);
        assert!(jump.abs() < 1e-14, "{jump:e}");
        let jump = inverse_square_minus_csch2(y2)
            - inverse_square_minus_csch2(y1)
            - 2e-7 * (-0.2 / 15.0 + 8e-3 / 189.0 - 6e-5 / 675.0);
        assert!(jump.abs() < 1e-12, "{jump:e}");
        // B_{1/2} = tanh
        for x in [0.001, 0.3, 2.0, 9.0] {
            assert!((Spin::Quantum(0.5).f(x) - libm::tanh(x)).abs() < 1e-14);
        }
    }

    #[test]
    fn bad_input_is_refused_by_name() {
        let key = |r: Result<MeanField, Error>| match r {
            Err(Error::OutOfRange { param, .. }) => param,
            _ => "",
        };
        assert_eq!(key(MeanField::new(Spin::Classical, 0.0)), "meanfield.j0");
        assert_eq!(
            key(MeanField::new(Spin::Quantum(0.7), 1e-21)),
            "meanfield.spin"
        );
        let mf = MeanField::new(Spin::Ising, 1e-21).unwrap();
        assert!(mf.magnetisation(f64::NAN, 0.0).is_err());
        assert!(mf.susceptibility(10.0, f64::INFINITY).is_err());
    }
}

//! Magnetic tunnel junction (MTJ) cell: the electrical side of an MRAM bit.
//!
//! - Angle dependence (Julliere / Slonczewski conductance): with `cos(theta) = m . p`,
//!   `R(theta) = R_P + (R_AP - R_P) (1 - cos theta) / 2`;
//! - bias dependence of the magnetoresistance: `TMR(V) = TMR0 / (1 + (V / V_h)^2)`, so
//!   `R_AP(V) = R_P (1 + TMR(V))` (R_P taken bias independent);
//! - write: a voltage pulse drives `J = V / (R(theta, V) A)` through the free layer (see
//!   [`crate::torque::Current::Voltage`]); read: a read current `I` gives `V = I R(theta, V)`
//!   (solved self-consistently), and the same current's torque is the read disturb.
//!
//! Everything is `no_std` and generic over the scalar type, so a firmware can emulate a cell.

use crate::error::{check_min, Error};
use crate::real::Real;

/// SI description of a junction.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct MtjSpec {
    /// Parallel resistance R_P (ohm), > 0.
    pub r_p: f64,
    /// Zero-bias TMR ratio (R_AP - R_P)/R_P, >= 0 (1.5 = 150 %).
    pub tmr0: f64,
    /// Bias at which the TMR has halved (V), > 0.
    pub v_half: f64,
    /// Junction area (m^2), > 0.
    pub area: f64,
}

impl MtjSpec {
    /// Validates and converts to scalar `S`.
    ///
    /// ```
    /// let mtj = larmor::mtj::MtjSpec { r_p: 2e3, tmr0: 1.5, v_half: 0.5, area: 1.26e-15 }
    ///     .compile::<f64>().unwrap();
    /// assert!((mtj.resistance(-1.0, 0.0) - 5e3).abs() < 1e-9); // antiparallel at zero bias
    /// ```
    pub fn compile<S: Real>(&self) -> Result<Mtj<S>, Error> {
        check_min("mtj.r_p", self.r_p, 0.0, false, "> 0 ohm")?;
        check_min("mtj.tmr0", self.tmr0, 0.0, true, ">= 0")?;
        check_min("mtj.v_half", self.v_half, 0.0, false, "> 0 V")?;
        check_min("mtj.area", self.area, 0.0, false, "> 0 m^2")?;
        Ok(Mtj {
            r_p: S::from_f64(self.r_p),
            tmr0: S::from_f64(self.tmr0),
            inv_v_half: S::from_f64(1.0 / self.v_half),
            // J in units of 1e12 A/m^2 per ampere
            inv_area_tera: S::from_f64(1e-12 / self.area),
        })
    }
}

/// A compiled junction (see the module docs for the equations).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mtj<S> {
    r_p: S,
    tmr0: S,
    inv_v_half: S,
    inv_area_tera: S,
}

impl<S: Real> Mtj<S> {
    /// TMR ratio at bias `v` (V).
    #[inline]
    pub fn tmr(&self, v: S) -> S {
        let x = v * self.inv_v_half;
        self.tmr0 / (S::ONE + x * x)
    }
    /// Resistance (ohm) at `m . p = cos_theta` and bias `v`.
    #[inline]
    pub fn resistance(&self, cos_theta: S, v: S) -> S {
        self.r_p * (S::ONE + self.tmr(v) * (S::ONE - cos_theta) * S::HALF)
    }
    /// Current (A) at bias `v`.
    #[inline]
    pub fn current(&self, v: S, cos_theta: S) -> S {
        v / self.resistance(cos_theta, v)
    }
    /// Current density in units of 1e12 A/m^2 at bias `v`.
    #[inline]
    pub fn current_density_tera(&self, v: S, cos_theta: S) -> S {
        self.current(v, cos_theta) * self.inv_area_tera
    }
    /// Read: the voltage (V) across the junction for a read current `i` (A), solving
    /// `V = i R(theta, V)` by fixed-point iteration (contractive: |dR/dV| i < R here).
    pub fn read_voltage(&self, i: S, cos_theta: S) -> S {
        let mut v = i * self.resistance(cos_theta, S::ZERO);
        for _ in 0..32 {
            v = i * self.resistance(cos_theta, v);
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bias_dependence_halves_tmr_at_v_half() {
        let m = MtjSpec {
            r_p: 1e3,
            tmr0: 2.0,
            v_half: 0.4,
            area: 1e-15,
        }
        .compile::<f64>()
        .unwrap();
        assert!((m.tmr(0.4) - 1.0).abs() < 1e-15);
        assert!((m.resistance(1.0, 0.3) - 1e3).abs() < 1e-12);
        assert!((m.resistance(0.0, 0.0) - 2e3).abs() < 1e-12); // 90 degrees: halfway
        let v = m.read_voltage(1e-4, -1.0);
        assert!((v - 1e-4 * m.resistance(-1.0, v)).abs() < 1e-15);
        // 1 V over 1 kOhm through 1e-15 m^2 = 1e12 A/m^2
        assert!((m.current_density_tera(1.0, 1.0) - 1.0).abs() < 1e-12);
        assert!(MtjSpec {
            r_p: 0.0,
            tmr0: 1.0,
            v_half: 0.4,
            area: 1e-15
        }
        .compile::<f64>()
        .is_err());
    }
}

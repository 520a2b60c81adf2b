//! Physical constants and the one place where SI quantities become dimensionless ones.
//!
//! Reduced units (used by every hot loop):
//! - field `h = H / Ms` (reference field `H_ref = Ms`, so `mu0 H_ref = mu0 Ms` tesla);
//! - time `tau = gamma mu0 Ms t` (time unit `t0 = 1 / (gamma mu0 Ms)`, 4.52 ps for Ms = 1e6 A/m);
//! - energy density `e = E_density / (mu0 Ms^2)`, so that `h = -de/dm`;
//! - energy `E = e mu0 Ms^2 V` joules for a cell of volume `V`.
//!
//! With this choice the LLG equation reads `dm/dtau = -(m x h + alpha m x (m x h)) / (1 + alpha^2)`
//! and every number in it is of order one, which keeps f32 and fixed-point accurate.

use crate::error::{check_min, Error};

/// Vacuum permeability mu0 (N/A^2), CODATA 2018.
pub const MU0: f64 = 1.256_637_062_12e-6;
/// Electron gyromagnetic ratio |gamma_e| (rad s^-1 T^-1), CODATA 2018.
pub const GAMMA_E: f64 = 1.760_859_630_23e11;
/// Boltzmann constant (J/K), exact.
pub const KB: f64 = 1.380_649e-23;
/// Reduced Planck constant (J s), exact.
pub const HBAR: f64 = 1.054_571_817e-34;
/// Elementary charge (C), exact.
pub const E_CHARGE: f64 = 1.602_176_634e-19;
/// Bohr magneton (J/T), CODATA 2018.
pub const MU_B: f64 = 9.274_010_078_3e-24;

/// The unit system of one magnet: converts SI to reduced units and back.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Units {
    /// Saturation magnetisation Ms (A/m) = the reference field H_ref.
    pub ms: f64,
    /// Gyromagnetic ratio gamma (rad s^-1 T^-1).
    pub gamma: f64,
}

impl Units {
    /// Unit system for a magnet of saturation magnetisation `ms` (A/m) and gyromagnetic ratio
    /// `gamma` (rad/(s T)).
    ///
    /// ```
    /// let u = larmor::units::Units::new(1e6, larmor::units::GAMMA_E).unwrap();
    /// assert!((u.time_unit() - 4.519e-12).abs() < 1e-15);
    /// ```
    ///
    /// # Errors
    /// [`Error::OutOfRange`] (keys `magnet.ms`, `magnet.gamma`) unless both are finite and > 0.
    pub fn new(ms: f64, gamma: f64) -> Result<Self, Error> {
        check_min("magnet.ms", ms, 0.0, false, "> 0 A/m (and finite)")?;
        check_min(
            "magnet.gamma",
            gamma,
            0.0,
            false,
            "> 0 rad/(s T) (and finite)",
        )?;
        Ok(Self { ms, gamma })
    }
    /// Time unit t0 = 1/(gamma mu0 Ms) in seconds.
    pub fn time_unit(&self) -> f64 {
        1.0 / (self.gamma * MU0 * self.ms)
    }
    /// Seconds to reduced time.
    pub fn time_to_reduced(&self, t: f64) -> f64 {
        t * (self.gamma * MU0 * self.ms)
    }
    /// Reduced time to seconds.
    pub fn time_to_si(&self, tau: f64) -> f64 {
        tau / (self.gamma * MU0 * self.ms)
    }
    /// A frequency in Hz to a reduced frequency (cycles per unit of reduced time).
    pub fn freq_to_reduced(&self, f: f64) -> f64 {
        f / (self.gamma * MU0 * self.ms)
    }
    /// Flux density mu0 H in tesla to reduced field h = H / Ms.
    pub fn tesla_to_reduced(&self, b: f64) -> f64 {
        b / (MU0 * self.ms)
    }
    /// Reduced field to mu0 H in tesla.
    pub fn reduced_to_tesla(&self, h: f64) -> f64 {
        h * MU0 * self.ms
    }
    /// Field `h_si` = H in A/m to reduced field h = H / Ms.
    pub fn field_to_reduced(&self, h_si: f64) -> f64 {
        h_si / self.ms
    }
    /// Energy density (J/m^3) to reduced energy density e = E / (mu0 Ms^2).
    pub fn energy_density_to_reduced(&self, e: f64) -> f64 {
        e / (MU0 * self.ms * self.ms)
    }
    /// Reduced energy density to J/m^3.
    pub fn energy_density_to_si(&self, e: f64) -> f64 {
        e * MU0 * self.ms * self.ms
    }
    /// Reduced energy (density) of a cell of volume `v` (m^3) to joules.
    pub fn energy_to_joules(&self, e: f64, v: f64) -> f64 {
        e * MU0 * self.ms * self.ms * v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let u = Units::new(8e5, GAMMA_E).unwrap();
        for x in [1e-15, 3.3e-9, 1.0] {
            assert!((u.time_to_si(u.time_to_reduced(x)) / x - 1.0).abs() < 1e-15);
        }
        for b in [1e-3, 0.5, 2.0] {
            assert!((u.reduced_to_tesla(u.tesla_to_reduced(b)) / b - 1.0).abs() < 1e-15);
        }
        let e = 4.2e5;
        assert!((u.energy_density_to_si(u.energy_density_to_reduced(e)) / e - 1.0).abs() < 1e-15);
        // mu0 Ms = 1 T gives h = 1 for B = 1 T
        let u1 = Units::new(1.0 / MU0, GAMMA_E).unwrap();
        assert!((u1.tesla_to_reduced(1.0) - 1.0).abs() < 1e-15);
    }

    #[test]
    fn rejects_bad_units() {
        assert!(matches!(
            Units::new(-1.0, GAMMA_E),
            Err(Error::OutOfRange {
                param: "magnet.ms",
                ..
            })
        ));
        assert!(Units::new(f64::NAN, GAMMA_E).is_err());
        assert!(Units::new(1e6, 0.0).is_err());
    }
}

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

/// The gyromagnetic ratio every unit system takes (key `magnet.gamma`).
fn check_gamma(gamma: f64) -> Result<f64, Error> {
    check_min(
        "magnet.gamma",
        gamma,
        0.0,
        false,
        "> 0 rad/(s T) (and finite)",
    )
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
        check_gamma(gamma)?;
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

/// The atomistic unit system of a spin lattice ([`crate::lattice`]): a reference exchange
/// energy `J_ref` (J) and a reference moment `mu_ref` (J/T), so that the reduced numbers of a
/// lattice (`J = 1`, `T_c ~ 1`, fields and anisotropies as fractions of the exchange) are of
/// order one:
///
/// | quantity | unit | e.g. `J_ref = 1e-21 J`, `mu_ref = 2 mu_B` |
/// |---|---|---|
/// | energy (exchange `J_ij`, anisotropy `K_i`, DMI `D_ij`) | `J_ref` | 1e-21 J |
/// | temperature `kB T` | `J_ref / kB` | 72.4 K |
/// | field `B` | `B_ref = J_ref / mu_ref` | 53.9 T |
/// | moment `mu_i` | `mu_ref` | 1.85e-23 J/T |
/// | time | `t0 = mu_ref / (gamma J_ref)` | 0.105 ps |
/// | length | lattice constant `a` | |
///
/// The atomistic LLG `dm_i/dt = -(gamma / mu_i) m_i x (-dE/dm_i) + ...` becomes
/// `dm_i/dtau = -(mu_ref / mu_i) m_i x (-de/dm_i) + ...` with `tau = t / t0`; a spin wave
/// `omega = (gamma / mu_s)[2 J (1 - cos ka) + 2 K + mu_s B]` reads `omega t0 = 2 (1 - cos ka) +
/// 2 k + b` for `mu_s = mu_ref`, `J = J_ref`.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct AtomisticUnits {
    /// Reference energy `J_ref` (J), usually the nearest-neighbour exchange.
    pub j_ref: f64,
    /// Reference moment `mu_ref` (J/T), usually the atomic moment.
    pub mu_ref: f64,
    /// Gyromagnetic ratio gamma (rad s^-1 T^-1).
    pub gamma: f64,
}

impl AtomisticUnits {
    /// Units of reference energy `j_ref` (J), moment `mu_ref` (J/T) and gyromagnetic ratio
    /// `gamma` (rad/(s T)).
    ///
    /// ```
    /// use larmor::units::{AtomisticUnits, GAMMA_E, MU_B};
    /// let u = AtomisticUnits::new(1e-21, 2.0 * MU_B, GAMMA_E).unwrap();
    /// assert!((u.temperature_unit() - 72.43).abs() < 0.01);
    /// assert!((u.field_unit() - 53.91).abs() < 0.01);
    /// ```
    ///
    /// # Errors
    /// [`Error::OutOfRange`] (keys `lattice.j_ref`, `lattice.mu_ref`, `magnet.gamma`) unless
    /// all are finite and > 0.
    pub fn new(j_ref: f64, mu_ref: f64, gamma: f64) -> Result<Self, Error> {
        check_min("lattice.j_ref", j_ref, 0.0, false, "> 0 J (and finite)")?;
        check_min("lattice.mu_ref", mu_ref, 0.0, false, "> 0 J/T (and finite)")?;
        check_gamma(gamma)?;
        Ok(Self {
            j_ref,
            mu_ref,
            gamma,
        })
    }
    /// Time unit `t0 = mu_ref / (gamma J_ref)` (s).
    pub fn time_unit(&self) -> f64 {
        self.mu_ref / (self.gamma * self.j_ref)
    }
    /// Seconds to reduced time.
    pub fn time_to_reduced(&self, t: f64) -> f64 {
        t * (self.gamma * self.j_ref) / self.mu_ref
    }
    /// Reduced time to seconds.
    pub fn time_to_si(&self, tau: f64) -> f64 {
        tau * self.mu_ref / (self.gamma * self.j_ref)
    }
    /// Field unit `B_ref = J_ref / mu_ref` (T).
    pub fn field_unit(&self) -> f64 {
        self.j_ref / self.mu_ref
    }
    /// Flux density (T) to reduced field.
    pub fn tesla_to_reduced(&self, b: f64) -> f64 {
        b * self.mu_ref / self.j_ref
    }
    /// Reduced field to tesla.
    pub fn reduced_to_tesla(&self, b: f64) -> f64 {
        b * self.j_ref / self.mu_ref
    }
    /// Energy (J) to reduced energy.
    pub fn energy_to_reduced(&self, e: f64) -> f64 {
        e / self.j_ref
    }
    /// Reduced energy to joules.
    pub fn energy_to_joules(&self, e: f64) -> f64 {
        e * self.j_ref
    }
    /// Temperature unit `J_ref / kB` (K).
    pub fn temperature_unit(&self) -> f64 {
        self.j_ref / KB
    }
    /// Kelvin to reduced temperature `kB T / J_ref`.
    pub fn kelvin_to_reduced(&self, t: f64) -> f64 {
        t * KB / self.j_ref
    }
    /// Reduced temperature to kelvin.
    pub fn reduced_to_kelvin(&self, t: f64) -> f64 {
        t * self.j_ref / KB
    }
    /// Moment (J/T) to reduced moment `mu / mu_ref`.
    pub fn moment_to_reduced(&self, mu: f64) -> f64 {
        mu / self.mu_ref
    }
    /// Dipolar strength `w = mu0 mu_ref^2 / (4 pi a^3 J_ref)` for lattice constant `a` (m):
    /// the reduced dipolar energy of two reference moments one lattice constant apart (see
    /// [`crate::lattice::Dipolar`]).
    pub fn dipolar_strength(&self, a: f64) -> f64 {
        MU0 * self.mu_ref * self.mu_ref / (4.0 * core::f64::consts::PI * a * a * a * self.j_ref)
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
    fn atomistic_round_trips() {
        let u = AtomisticUnits::new(7.05e-21, 2.22 * MU_B, GAMMA_E).unwrap();
        for x in [1e-15, 3.3e-12, 1.0] {
            assert!((u.time_to_si(u.time_to_reduced(x)) / x - 1.0).abs() < 1e-15);
            assert!((u.reduced_to_tesla(u.tesla_to_reduced(x)) / x - 1.0).abs() < 1e-15);
            assert!((u.reduced_to_kelvin(u.kelvin_to_reduced(x)) / x - 1.0).abs() < 1e-15);
            assert!((u.energy_to_joules(u.energy_to_reduced(x)) / x - 1.0).abs() < 1e-15);
        }
        // one reduced field unit precesses a reference moment at one radian per time unit
        assert!((u.time_unit() * u.gamma * u.field_unit() - 1.0).abs() < 1e-15);
        assert!((u.moment_to_reduced(2.22 * MU_B) - 1.0).abs() < 1e-15);
        // w for 2.22 mu_B moments 0.287 nm apart, J = 7.05e-21 J: ~ 1e-3 (dipolar << exchange)
        let w = u.dipolar_strength(2.87e-10);
        assert!(w > 1e-4 && w < 1e-2, "{w}");
        assert!(AtomisticUnits::new(0.0, MU_B, GAMMA_E).is_err());
        assert!(AtomisticUnits::new(1e-21, f64::NAN, GAMMA_E).is_err());
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

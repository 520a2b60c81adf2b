//! The kernel's one error type: every constructor validates and says which parameter is wrong
//! and what range is allowed.

use core::fmt;

/// Everything that can go wrong in the kernel. Never a panic, never a silent clamp.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// A parameter is outside its allowed range (also used for NaN and infinities).
    OutOfRange {
        /// Parameter name as the user wrote it (e.g. `"magnet.ms"`).
        param: &'static str,
        /// The offending value.
        value: f64,
        /// The allowed range, human readable (e.g. `"> 0 A/m"`).
        allowed: &'static str,
    },
    /// A direction vector has zero (or non-finite) length.
    ZeroVector {
        /// Parameter name.
        param: &'static str,
    },
    /// Demagnetising factors must be >= 0 and sum to 1.
    DemagSum {
        /// The sum that was given.
        sum: f64,
    },
    /// Two axes that must be orthogonal are not.
    NotOrthogonal {
        /// Parameter name.
        param: &'static str,
        /// |a . b| of the normalised axes.
        dot: f64,
    },
    /// A fixed-capacity container is full.
    Capacity {
        /// What overflowed.
        what: &'static str,
        /// Its capacity.
        capacity: usize,
    },
    /// Two quantities that must be ordered are not (e.g. a pulse outside the run).
    Inconsistent {
        /// What is inconsistent, human readable.
        what: &'static str,
    },
    /// The state became non-finite during integration.
    NonFiniteState {
        /// Reduced time at which it happened.
        t: f64,
    },
    /// A collection that must hold at least one entry is empty (a population, a field list).
    Empty {
        /// What is empty, human readable (names the parameter).
        what: &'static str,
    },
    /// The adaptive stepper could not meet its tolerance with a step above the minimum.
    StepSizeUnderflow {
        /// Reduced time at which it happened.
        t: f64,
        /// The step size that was too small (reduced units).
        dt: f64,
    },
    /// A model that is not axially symmetric about z was given to a solver that needs the
    /// symmetry (the polar-angle Fokker-Planck solver, [`crate::fokker_planck`]).
    NotAxial {
        /// The key that breaks the symmetry (e.g. `"anisotropy.uniaxial.axis"`, `"sot"`).
        param: &'static str,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Error::OutOfRange { param, value, allowed } => {
                write!(f, "{param} = {} is out of range: allowed {allowed}", Num(value))
            }
            Error::ZeroVector { param } => {
                write!(f, "{param} must be a finite, non-zero vector")
            }
            Error::DemagSum { sum } => write!(
                f,
                "demag factors must be >= 0 and sum to 1 within 1e-6 (they sum to {sum})"
            ),
            Error::NotOrthogonal { param, dot } => {
                write!(f, "{param}: axes must be orthogonal (|a.b| = {dot:e}, allowed <= 1e-6)")
            }
            Error::Capacity { what, capacity } => {
                write!(f, "{what}: too many entries (capacity {capacity})")
            }
            Error::Inconsistent { what } => write!(f, "{what}"),
            Error::NonFiniteState { t } => {
                write!(f, "state became non-finite at reduced time {t}: reduce dt")
            }
            Error::Empty { what } => write!(f, "{what}: must not be empty (at least 1 entry)"),
            Error::StepSizeUnderflow { t, dt } => write!(
                f,
                "adaptive step size fell to {dt:e} (reduced) at reduced time {t}: tolerance too tight"
            ),
            Error::NotAxial { param } => write!(
                f,
                "{param}: the Fokker-Planck solver needs a model axially symmetric about z \
                 (uniaxial axis, applied and driven fields and stt.polarizer along z, demag \
                 factors Nx = Ny, no cubic anisotropy, no [sot])"
            ),
        }
    }
}

impl core::error::Error for Error {}

/// Formats a number plainly when it is of moderate size, in scientific notation otherwise.
struct Num(f64);

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = self.0.abs();
        if self.0 == 0.0 || (1e-3..1e6).contains(&a) || !a.is_finite() {
            write!(f, "{}", self.0)
        } else {
            write!(f, "{:e}", self.0)
        }
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Error {
    fn format(&self, f: defmt::Formatter) {
        match *self {
            Error::OutOfRange {
                param,
                value,
                allowed,
            } => {
                defmt::write!(
                    f,
                    "{=str} = {=f64} out of range: {=str}",
                    param,
                    value,
                    allowed
                )
            }
            Error::ZeroVector { param } => defmt::write!(f, "{=str}: zero vector", param),
            Error::DemagSum { sum } => defmt::write!(f, "demag factors sum to {=f64}", sum),
            Error::NotOrthogonal { param, dot } => {
                defmt::write!(f, "{=str}: not orthogonal ({=f64})", param, dot)
            }
            Error::Capacity { what, capacity } => {
                defmt::write!(f, "{=str}: capacity {=usize}", what, capacity)
            }
            Error::Inconsistent { what } => defmt::write!(f, "{=str}", what),
            Error::NonFiniteState { t } => defmt::write!(f, "non-finite state at t={=f64}", t),
            Error::Empty { what } => defmt::write!(f, "{=str}: empty", what),
            Error::StepSizeUnderflow { t, dt } => {
                defmt::write!(f, "step underflow dt={=f64} at t={=f64}", dt, t)
            }
            Error::NotAxial { param } => defmt::write!(f, "{=str}: not axially symmetric", param),
        }
    }
}

/// Checks `lo < value` (or `<=` when `inclusive`) and finiteness.
pub(crate) fn check_min(
    param: &'static str,
    value: f64,
    lo: f64,
    inclusive: bool,
    allowed: &'static str,
) -> Result<f64, Error> {
    let ok = value.is_finite() && if inclusive { value >= lo } else { value > lo };
    accept(ok, param, value, allowed)
}

/// Checks `lo <= value <= hi` and finiteness.
pub(crate) fn check_range(
    param: &'static str,
    value: f64,
    lo: f64,
    hi: f64,
    allowed: &'static str,
) -> Result<f64, Error> {
    accept(
        value.is_finite() && value >= lo && value <= hi,
        param,
        value,
        allowed,
    )
}

/// `value` if `ok`, else the error naming `param`, `value` and the `allowed` range.
fn accept(ok: bool, param: &'static str, value: f64, allowed: &'static str) -> Result<f64, Error> {
    if ok {
        Ok(value)
    } else {
        Err(Error::OutOfRange {
            param,
            value,
            allowed,
        })
    }
}

/// Checks that `value` is finite (any sign).
pub(crate) fn check_finite(param: &'static str, value: f64) -> Result<f64, Error> {
    check_range(param, value, f64::MIN, f64::MAX, "any finite number")
}

/// Checks every component is finite and returns the vector.
pub(crate) fn check_vec(param: &'static str, v: [f64; 3]) -> Result<[f64; 3], Error> {
    for c in v {
        check_finite(param, c)?;
    }
    Ok(v)
}

/// Checks a direction: finite, non-zero; returns it normalised.
pub(crate) fn check_direction(param: &'static str, v: [f64; 3]) -> Result<[f64; 3], Error> {
    let n = crate::math::sqrt_f64(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    if !n.is_finite() || n == 0.0 || v.iter().any(|c| !c.is_finite()) {
        return Err(Error::ZeroVector { param });
    }
    Ok([v[0] / n, v[1] / n, v[2] / n])
}

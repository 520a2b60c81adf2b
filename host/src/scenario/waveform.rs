//! Scenario stage, schema: the time-dependent values of a scenario file (a number, or one
//! waveform table) and their lowering into the kernel's [`DriveSpec`].

use larmor::drive::{DriveSpec, PIECEWISE_CAPACITY};
use serde::Deserialize;

use crate::error::{HostError, Result};

/// A time-dependent scalar: a plain number (constant) or one waveform table.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum DriveToml {
    /// Constant value.
    Number(f64),
    /// Waveform.
    Wave(WaveformToml),
}

impl DriveToml {
    /// The kernel waveform.
    pub fn to_spec(&self, key: &str) -> Result<DriveSpec> {
        match self {
            DriveToml::Number(v) => Ok(DriveSpec::Constant(*v)),
            DriveToml::Wave(w) => w.to_spec(key),
        }
    }
}

/// A waveform: exactly one of the keys below (also usable as `key = { ... }` elsewhere).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "lowercase")]
pub enum WaveformToml {
    /// `constant = value`.
    Constant(f64),
    /// `sine = { amplitude, frequency, phase = 0, start = 0, offset = 0 }`.
    Sine {
        /// Amplitude.
        amplitude: f64,
        /// Frequency (Hz).
        frequency: f64,
        /// Phase (rad).
        #[serde(default)]
        phase: f64,
        /// Start (s).
        #[serde(default)]
        start: f64,
        /// Offset.
        #[serde(default)]
        offset: f64,
    },
    /// `pulse = { amplitude, start, duration, rise = 0, fall = 0 }`.
    Pulse {
        /// Height.
        amplitude: f64,
        /// Start (s).
        start: f64,
        /// Duration (s) from start to the beginning of the fall.
        duration: f64,
        /// Rise time (s).
        #[serde(default)]
        rise: f64,
        /// Fall time (s).
        #[serde(default)]
        fall: f64,
    },
    /// `ramp = { from, to, start, duration }`.
    Ramp {
        /// Value before.
        from: f64,
        /// Value after.
        to: f64,
        /// Start (s).
        start: f64,
        /// Duration (s).
        duration: f64,
    },
    /// `piecewise = { times = [...], values = [...] }`.
    Piecewise {
        /// Breakpoint times (s).
        times: Vec<f64>,
        /// Values.
        values: Vec<f64>,
    },
}

impl WaveformToml {
    /// Converts to the kernel's waveform (validated later by the kernel).
    pub fn to_spec(&self, key: &str) -> Result<DriveSpec> {
        Ok(match self {
            WaveformToml::Constant(v) => DriveSpec::Constant(*v),
            WaveformToml::Sine {
                amplitude,
                frequency,
                phase,
                start,
                offset,
            } => DriveSpec::Sine {
                amplitude: *amplitude,
                frequency: *frequency,
                phase: *phase,
                start: *start,
                offset: *offset,
            },
            WaveformToml::Pulse {
                amplitude,
                start,
                duration,
                rise,
                fall,
            } => DriveSpec::Pulse {
                amplitude: *amplitude,
                start: *start,
                duration: *duration,
                rise: *rise,
                fall: *fall,
            },
            WaveformToml::Ramp {
                from,
                to,
                start,
                duration,
            } => DriveSpec::Ramp {
                from: *from,
                to: *to,
                start: *start,
                duration: *duration,
            },
            WaveformToml::Piecewise { times, values } => {
                let too_many = || {
                    HostError::input(format!(
                        "{key}.piecewise: at most {PIECEWISE_CAPACITY} breakpoints are allowed"
                    ))
                };
                DriveSpec::Piecewise {
                    times: heapless::Vec::from_slice(times).map_err(|_| too_many())?,
                    values: heapless::Vec::from_slice(values).map_err(|_| too_many())?,
                }
            }
        })
    }
}

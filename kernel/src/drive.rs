//! Time dependence, kept apart from the field terms (as in cmtj's drivers): a [`Drive`] is a
//! dimensionless waveform `f(t)` that multiplies an amplitude (a field vector, a current density,
//! a temperature).
//!
//! [`DriveSpec`] is the SI description (seconds, hertz) that the user writes; it is validated and
//! compiled into a [`Drive`] in reduced time for any scalar type.

use crate::error::{check_finite, check_min, Error};
use crate::real::Real;
use crate::units::Units;

/// Most breakpoints a piecewise-linear drive can hold (fixed capacity, no allocation).
pub const PIECEWISE_CAPACITY: usize = 16;

/// A waveform in SI units, as the user writes it.
// Piecewise breakpoints are stored inline (no allocation), which makes that variant large.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum DriveSpec {
    /// `f(t) = value`.
    Constant(f64),
    /// `f(t) = offset + amplitude sin(2 pi frequency (t - start) + phase)` for `t >= start`,
    /// `offset + amplitude sin(phase)` before.
    Sine {
        /// Amplitude (dimensionless multiplier).
        amplitude: f64,
        /// Frequency (Hz), >= 0.
        frequency: f64,
        /// Phase (rad).
        phase: f64,
        /// Start time (s), >= 0.
        start: f64,
        /// Constant offset.
        offset: f64,
    },
    /// Trapezoidal pulse: 0 before `start`, rises linearly over `rise` to `amplitude`, holds,
    /// falls linearly over `fall` to 0; `duration` is measured from `start` to the start of the
    /// fall (so the area is `amplitude (duration - rise/2 + fall/2)`).
    Pulse {
        /// Pulse height.
        amplitude: f64,
        /// Start of the rise (s), >= 0.
        start: f64,
        /// Time from `start` to the beginning of the fall (s), > 0.
        duration: f64,
        /// Rise time (s), >= 0 and <= duration.
        rise: f64,
        /// Fall time (s), >= 0.
        fall: f64,
    },
    /// Linear ramp from `from` (held before `start`) to `to` (held after `start + duration`).
    Ramp {
        /// Value before the ramp.
        from: f64,
        /// Value after the ramp.
        to: f64,
        /// Start (s), >= 0.
        start: f64,
        /// Ramp duration (s), > 0.
        duration: f64,
    },
    /// Piecewise-linear through `(time, value)` breakpoints (times strictly increasing, s),
    /// held constant before the first and after the last.
    Piecewise {
        /// Breakpoint times (s).
        times: heapless::Vec<f64, PIECEWISE_CAPACITY>,
        /// Values at the breakpoints.
        values: heapless::Vec<f64, PIECEWISE_CAPACITY>,
    },
}

impl DriveSpec {
    /// Validates the waveform; `param` names it in errors (e.g. `"field.drive.pulse"`).
    pub fn validate(&self, param: &'static str) -> Result<(), Error> {
        match self {
            DriveSpec::Constant(v) => check_finite(param, *v).map(|_| ()),
            DriveSpec::Sine {
                amplitude,
                frequency,
                phase,
                start,
                offset,
            } => {
                check_finite(param, *amplitude)?;
                check_min(param, *frequency, 0.0, true, "frequency >= 0 Hz")?;
                check_finite(param, *phase)?;
                check_min(param, *start, 0.0, true, "start >= 0 s")?;
                check_finite(param, *offset).map(|_| ())
            }
            DriveSpec::Pulse {
                amplitude,
                start,
                duration,
                rise,
                fall,
            } => {
                check_finite(param, *amplitude)?;
                check_min(param, *start, 0.0, true, "start >= 0 s")?;
                check_min(param, *duration, 0.0, false, "duration > 0 s")?;
                check_min(param, *rise, 0.0, true, "rise >= 0 s")?;
                check_min(param, *fall, 0.0, true, "fall >= 0 s")?;
                if rise > duration {
                    return Err(Error::OutOfRange {
                        param,
                        value: *rise,
                        allowed: "rise <= duration",
                    });
                }
                Ok(())
            }
            DriveSpec::Ramp {
                from,
                to,
                start,
                duration,
            } => {
                check_finite(param, *from)?;
                check_finite(param, *to)?;
                check_min(param, *start, 0.0, true, "start >= 0 s")?;
                check_min(param, *duration, 0.0, false, "duration > 0 s").map(|_| ())
            }
            DriveSpec::Piecewise { times, values } => {
                if times.is_empty() || times.len() != values.len() {
                    return Err(Error::Inconsistent {
                        what: "piecewise drive: times and values must be non-empty and of equal length",
                    });
                }
                for (i, (&t, &v)) in times.iter().zip(values.iter()).enumerate() {
                    check_min(param, t, 0.0, true, "times >= 0 s")?;
                    check_finite(param, v)?;
                    if i > 0 && t <= times[i - 1] {
                        return Err(Error::OutOfRange {
                            param,
                            value: t,
                            allowed: "strictly increasing times",
                        });
                    }
                }
                Ok(())
            }
        }
    }

    /// Time (s) after which the waveform no longer changes (`None` for a periodic one).
    pub fn end_time(&self) -> Option<f64> {
        match self {
            DriveSpec::Constant(_) => Some(0.0),
            DriveSpec::Sine {
                frequency, start, ..
            } => (*frequency == 0.0).then_some(*start),
            DriveSpec::Pulse {
                start,
                duration,
                fall,
                ..
            } => Some(start + duration + fall),
            DriveSpec::Ramp {
                start, duration, ..
            } => Some(start + duration),
            DriveSpec::Piecewise { times, .. } => times.last().copied(),
        }
    }

    /// Time (s) at which the waveform first departs from its initial value.
    pub fn start_time(&self) -> f64 {
        match self {
            DriveSpec::Constant(_) => 0.0,
            DriveSpec::Sine { start, .. }
            | DriveSpec::Pulse { start, .. }
            | DriveSpec::Ramp { start, .. } => *start,
            DriveSpec::Piecewise { times, .. } => times.first().copied().unwrap_or(0.0),
        }
    }

    /// The same waveform with every value multiplied by `k` (times unchanged).
    ///
    /// ```
    /// use larmor::drive::DriveSpec;
    /// let d = DriveSpec::Ramp { from: 1.0, to: 3.0, start: 0.0, duration: 1.0 }.scaled(2.0);
    /// assert_eq!(d.value_si(0.5), 4.0);
    /// ```
    pub fn scaled(&self, k: f64) -> DriveSpec {
        let mut d = self.clone();
        match &mut d {
            DriveSpec::Constant(v) => *v *= k,
            DriveSpec::Sine {
                amplitude, offset, ..
            } => {
                *amplitude *= k;
                *offset *= k;
            }
            DriveSpec::Pulse { amplitude, .. } => *amplitude *= k,
            DriveSpec::Ramp { from, to, .. } => {
                *from *= k;
                *to *= k;
            }
            DriveSpec::Piecewise { values, .. } => values.iter_mut().for_each(|v| *v *= k),
        }
        d
    }

    /// Smallest and largest value the waveform takes.
    pub fn range(&self) -> (f64, f64) {
        match self {
            DriveSpec::Constant(v) => (*v, *v),
            DriveSpec::Sine {
                amplitude, offset, ..
            } => (offset - amplitude.abs(), offset + amplitude.abs()),
            DriveSpec::Pulse { amplitude, .. } => (amplitude.min(0.0), amplitude.max(0.0)),
            DriveSpec::Ramp { from, to, .. } => (from.min(*to), from.max(*to)),
            DriveSpec::Piecewise { values, .. } => values
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                    (lo.min(v), hi.max(v))
                }),
        }
    }

    /// Value at time `t` (s), evaluated in f64 (reference implementation and host output).
    pub fn value_si(&self, t: f64) -> f64 {
        let u = Units {
            ms: 1.0 / crate::units::MU0,
            gamma: 1.0,
        };
        // With gamma mu0 Ms = 1 reduced time equals seconds.
        self.compile::<f64>(&u).value(t)
    }

    /// Compiles to reduced time for scalar `S` (validate first).
    pub fn compile<S: Real>(&self, u: &Units) -> Drive<S> {
        let tr = |t: f64| S::from_f64(u.time_to_reduced(t));
        match self {
            DriveSpec::Constant(v) => Drive::Constant(S::from_f64(*v)),
            DriveSpec::Sine {
                amplitude,
                frequency,
                phase,
                start,
                offset,
            } => Drive::Sine {
                amplitude: S::from_f64(*amplitude),
                omega: S::from_f64(2.0 * core::f64::consts::PI * u.freq_to_reduced(*frequency)),
                phase: S::from_f64(*phase),
                start: tr(*start),
                offset: S::from_f64(*offset),
            },
            DriveSpec::Pulse {
                amplitude,
                start,
                duration,
                rise,
                fall,
            } => {
                let inv = |x: f64| {
                    if x > 0.0 {
                        S::from_f64(1.0 / u.time_to_reduced(x))
                    } else {
                        S::ZERO
                    }
                };
                Drive::Pulse {
                    amplitude: S::from_f64(*amplitude),
                    t0: tr(*start),
                    t1: tr(start + rise),
                    t2: tr(start + duration),
                    t3: tr(start + duration + fall),
                    inv_rise: inv(*rise),
                    inv_fall: inv(*fall),
                }
            }
            DriveSpec::Ramp {
                from,
                to,
                start,
                duration,
            } => Drive::Ramp {
                from: S::from_f64(*from),
                to: S::from_f64(*to),
                t0: tr(*start),
                t1: tr(start + duration),
                slope: S::from_f64((to - from) / u.time_to_reduced(*duration)),
            },
            DriveSpec::Piecewise { times, values } => {
                let mut pts = heapless::Vec::new();
                for (&t, &v) in times.iter().zip(values.iter()) {
                    // capacity equals the spec's capacity, so this cannot fail
                    let _ = pts.push((tr(t), S::from_f64(v)));
                }
                Drive::Piecewise(pts)
            }
        }
    }
}

/// A compiled waveform in reduced time (see [`DriveSpec`] for the meaning of each variant).
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Drive<S> {
    /// Constant value.
    Constant(S),
    /// Sine wave.
    Sine {
        /// Amplitude.
        amplitude: S,
        /// Angular frequency (rad per unit reduced time).
        omega: S,
        /// Phase (rad).
        phase: S,
        /// Start (reduced time).
        start: S,
        /// Offset.
        offset: S,
    },
    /// Trapezoidal pulse with corner times t0 <= t1 <= t2 <= t3.
    Pulse {
        /// Height.
        amplitude: S,
        /// Start of rise.
        t0: S,
        /// End of rise.
        t1: S,
        /// Start of fall.
        t2: S,
        /// End of fall.
        t3: S,
        /// 1/(t1 - t0), 0 for a sharp edge.
        inv_rise: S,
        /// 1/(t3 - t2), 0 for a sharp edge.
        inv_fall: S,
    },
    /// Linear ramp.
    Ramp {
        /// Value before t0.
        from: S,
        /// Value after t1.
        to: S,
        /// Start.
        t0: S,
        /// End.
        t1: S,
        /// (to - from)/(t1 - t0).
        slope: S,
    },
    /// Piecewise-linear breakpoints (reduced time, value).
    Piecewise(heapless::Vec<(S, S), PIECEWISE_CAPACITY>),
}

impl<S: Real> Drive<S> {
    /// Waveform value at reduced time `t`.
    #[inline]
    pub fn value(&self, t: S) -> S {
        match self {
            Drive::Constant(v) => *v,
            Drive::Sine {
                amplitude,
                omega,
                phase,
                start,
                offset,
            } => {
                let arg = if t > *start {
                    *omega * (t - *start) + *phase
                } else {
                    *phase
                };
                *offset + *amplitude * arg.sin_cos().0
            }
            Drive::Pulse {
                amplitude,
                t0,
                t1,
                t2,
                t3,
                inv_rise,
                inv_fall,
            } => {
                if t < *t0 || t >= *t3 {
                    S::ZERO
                } else if t < *t1 {
                    *amplitude * (t - *t0) * *inv_rise
                } else if t < *t2 {
                    *amplitude
                } else {
                    *amplitude * (*t3 - t) * *inv_fall
                }
            }
            Drive::Ramp {
                from,
                to,
                t0,
                t1,
                slope,
            } => {
                if t <= *t0 {
                    *from
                } else if t >= *t1 {
                    *to
                } else {
                    *from + *slope * (t - *t0)
                }
            }
            Drive::Piecewise(pts) => {
                let (first, last) = match (pts.first(), pts.last()) {
                    (Some(f), Some(l)) => (f, l),
                    _ => return S::ZERO,
                };
                if t <= first.0 {
                    return first.1;
                }
                if t >= last.0 {
                    return last.1;
                }
                for w in pts.windows(2) {
                    let (a, b) = (w[0], w[1]);
                    if t < b.0 {
                        return a.1 + (b.1 - a.1) * (t - a.0) / (b.0 - a.0);
                    }
                }
                last.1
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waveforms() {
        let p = DriveSpec::Pulse {
            amplitude: 2.0,
            start: 1.0,
            duration: 3.0,
            rise: 1.0,
            fall: 1.0,
        };
        p.validate("p").unwrap();
        let v: [f64; 7] = [0.5, 1.5, 2.0, 3.5, 4.5, 5.0, 6.0].map(|t| p.value_si(t));
        assert_eq!(v, [0.0, 1.0, 2.0, 2.0, 1.0, 0.0, 0.0]);
        let r = DriveSpec::Ramp {
            from: 1.0,
            to: -1.0,
            start: 1.0,
            duration: 2.0,
        };
        assert_eq!([0.0, 2.0, 5.0].map(|t| r.value_si(t)), [1.0, 0.0, -1.0]);
        let s = DriveSpec::Sine {
            amplitude: 1.0,
            frequency: 0.25,
            phase: 0.0,
            start: 0.0,
            offset: 0.0,
        };
        assert!((s.value_si(1.0) - 1.0).abs() < 1e-12);
        let mut times = heapless::Vec::new();
        let mut values = heapless::Vec::new();
        for (t, v) in [(0.0, 1.0), (2.0, 3.0), (4.0, -1.0)] {
            times.push(t).unwrap();
            values.push(v).unwrap();
        }
        let pw = DriveSpec::Piecewise { times, values };
        pw.validate("pw").unwrap();
        assert_eq!(
            [-1.0, 1.0, 3.0, 5.0].map(|t| pw.value_si(t)),
            [1.0, 2.0, 1.0, -1.0]
        );
        assert_eq!(pw.end_time(), Some(4.0));
    }

    #[test]
    fn rejects_bad_waveforms() {
        let bad = DriveSpec::Pulse {
            amplitude: 1.0,
            start: 0.0,
            duration: 0.0,
            rise: 0.0,
            fall: 0.0,
        };
        assert!(matches!(
            bad.validate("x"),
            Err(Error::OutOfRange {
                allowed: "duration > 0 s",
                ..
            })
        ));
        let bad = DriveSpec::Sine {
            amplitude: f64::NAN,
            frequency: 1.0,
            phase: 0.0,
            start: 0.0,
            offset: 0.0,
        };
        assert!(bad.validate("x").is_err());
        let bad = DriveSpec::Ramp {
            from: 0.0,
            to: 1.0,
            start: -1.0,
            duration: 1.0,
        };
        assert!(bad.validate("x").is_err());
    }
}

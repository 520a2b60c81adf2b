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
    ///
    /// # Errors
    /// [`Error::OutOfRange`] naming `param` for a non-finite value, a negative time or frequency,
    /// a non-positive duration or a rise longer than the duration; [`Error::Inconsistent`] for
    /// piecewise points that are empty, of unequal lengths or not strictly increasing in time.
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
        let mut d = self.compile::<f64>(&u);
        d.rebase(t);
        d.value(0.0)
    }

    /// Compiles to reduced time for scalar `S` (validate first). The waveform's times are kept
    /// in f64 ([`Drive`] re-expresses them in each local-time window), so any SI time is
    /// represented, whatever `S` is.
    pub fn compile<S: Real>(&self, u: &Units) -> Drive<S> {
        let tr = |t: f64| u.time_to_reduced(t);
        let mut times = heapless::Vec::new();
        let mut values = heapless::Vec::new();
        let mut point = |t: f64, v: f64| {
            // at most PIECEWISE_CAPACITY points by construction (validated spec)
            let _ = times.push(t);
            let _ = values.push(S::from_f64(v));
        };
        match self {
            DriveSpec::Constant(v) => return Drive::constant(S::from_f64(*v)),
            DriveSpec::Sine {
                amplitude,
                frequency,
                phase,
                start,
                offset,
            } => {
                let mut d = Drive {
                    local: Wave::Constant(S::ZERO),
                    master: Master::Sine {
                        amplitude: S::from_f64(*amplitude),
                        omega: 2.0 * core::f64::consts::PI * u.freq_to_reduced(*frequency),
                        phase: *phase,
                        start: tr(*start),
                        offset: S::from_f64(*offset),
                    },
                };
                d.rebase(0.0);
                return d;
            }
            DriveSpec::Pulse {
                amplitude,
                start,
                duration,
                rise,
                fall,
            } => {
                point(tr(*start), 0.0);
                point(tr(start + rise), *amplitude);
                point(tr(start + duration), *amplitude);
                point(tr(start + duration + fall), 0.0);
            }
            DriveSpec::Ramp {
                from,
                to,
                start,
                duration,
            } => {
                point(tr(*start), *from);
                point(tr(start + duration), *to);
            }
            DriveSpec::Piecewise { times, values } => {
                for (&t, &v) in times.iter().zip(values.iter()) {
                    point(tr(t), v);
                }
            }
        }
        let mut d = Drive {
            local: Wave::Constant(S::ZERO),
            master: Master::Linear { times, values },
        };
        d.rebase(0.0);
        d
    }
}

/// Half-width of the span of a local-time window that a [`Drive`] represents exactly (reduced
/// time), at most: it covers the integrator's window ([`crate::integrate::WINDOW`]) plus a step
/// of up to 16 reduced units, inside Q26's range.
pub const LOCAL_SPAN: f64 = 24.0;

/// Breakpoints of a window-local piecewise-linear waveform: a pulse's four corners plus the two
/// end points of the span. When more breakpoints fall in the span, the local form ends at the
/// last one stored and [`Drive::rebase`] returns that shorter horizon.
pub const LOCAL_CAPACITY: usize = 6;

/// The waveform with f64 times (reduced), from which each window's local form is derived.
#[derive(Clone, Debug, PartialEq)]
enum Master<S> {
    /// Constant (nothing to re-express).
    Constant,
    /// Sine wave.
    Sine {
        amplitude: S,
        omega: f64,
        phase: f64,
        start: f64,
        offset: S,
    },
    /// Piecewise-linear through (time, value), right-continuous at coincident times (a sharp
    /// pulse edge takes its new value at the edge time).
    Linear {
        times: heapless::Vec<f64, PIECEWISE_CAPACITY>,
        values: heapless::Vec<S, PIECEWISE_CAPACITY>,
    },
}

/// The waveform in the local time of the current window, in the model scalar.
#[derive(Clone, Debug, PartialEq)]
enum Wave<S> {
    Constant(S),
    Sine {
        amplitude: S,
        omega: S,
        phase: S,
        start: S,
        offset: S,
    },
    Linear(heapless::Vec<(S, S), LOCAL_CAPACITY>),
}

/// A compiled waveform (see [`DriveSpec`]): evaluated in the *local* time of a window
/// (`t_local = t - epoch`, small in any scalar), its times kept in f64 and re-expressed when
/// the window moves ([`Drive::rebase`]). A pulse 1 s after the start acts at the right step in
/// f32 and Q26 alike; nothing is saturated.
#[derive(Clone, Debug, PartialEq)]
pub struct Drive<S> {
    local: Wave<S>,
    master: Master<S>,
}

impl<S: Real> Drive<S> {
    /// A constant waveform.
    pub fn constant(v: S) -> Self {
        Drive {
            local: Wave::Constant(v),
            master: Master::Constant,
        }
    }

    /// A piecewise-linear waveform through `(time, value)` points in *reduced* time (times
    /// non-decreasing; at a repeated time the later value holds from that time on), held
    /// constant outside: a ramp is two points, a trapezoidal pulse four.
    ///
    /// ```
    /// use larmor::drive::Drive;
    /// let ramp = Drive::<f64>::linear(&[(0.0, 0.0), (10.0, 1.5)]).unwrap();
    /// assert_eq!(ramp.value(5.0), 0.75);
    /// ```
    ///
    /// # Errors
    /// [`Error::Inconsistent`] for no points, more than [`PIECEWISE_CAPACITY`], decreasing or
    /// non-finite times or values.
    pub fn linear(points: &[(f64, f64)]) -> Result<Self, Error> {
        let bad = Error::Inconsistent {
            what: "linear drive: 1 to 16 finite points with non-decreasing times",
        };
        let (mut times, mut values) = (heapless::Vec::new(), heapless::Vec::new());
        for (i, &(t, v)) in points.iter().enumerate() {
            if !t.is_finite() || !v.is_finite() || (i > 0 && t < points[i - 1].0) {
                return Err(bad);
            }
            times.push(t).map_err(|_| bad)?;
            values.push(S::from_f64(v)).map_err(|_| bad)?;
        }
        if times.is_empty() {
            return Err(bad);
        }
        let mut d = Drive {
            local: Wave::Constant(S::ZERO),
            master: Master::Linear { times, values },
        };
        d.rebase(0.0);
        Ok(d)
    }

    /// The value, if the waveform is constant.
    pub fn as_constant(&self) -> Option<S> {
        match self.local {
            Wave::Constant(v) => Some(v),
            _ => None,
        }
    }

    /// `true` if the waveform depends on time.
    pub fn is_timed(&self) -> bool {
        !matches!(self.master, Master::Constant)
    }

    /// Re-expresses the waveform in the window that starts at absolute reduced time `epoch`:
    /// afterwards [`Drive::value`]`(t)` is the waveform at `epoch + t`, exactly for
    /// `0 <= t < horizon`, where `horizon` (returned) is [`LOCAL_SPAN`] for a piecewise-linear
    /// waveform (shorter only when more than four breakpoints fall in the span), `f64::MAX` for
    /// a sine and infinite for a constant: an infinite horizon means "does not depend on time",
    /// and the integrator then keeps no window at all. Costs f64 arithmetic: the integrator calls it once per window.
    pub fn rebase(&mut self, epoch: f64) -> f64 {
        match &self.master {
            Master::Constant => f64::INFINITY,
            Master::Sine {
                amplitude,
                omega,
                phase,
                start,
                offset,
            } => {
                let (start, phase) = sine_local(*omega, *phase, *start, epoch);
                self.local = Wave::Sine {
                    amplitude: *amplitude,
                    omega: S::from_f64(*omega),
                    phase: S::from_f64(phase),
                    start: S::from_f64(start),
                    offset: *offset,
                };
                // exact at any local time, but timed: finite
                f64::MAX
            }
            Master::Linear { times, values } => {
                let mut v = [0.0f64; PIECEWISE_CAPACITY];
                for (vi, &s) in v.iter_mut().zip(values.iter()) {
                    *vi = s.to_f64();
                }
                let (pts, n, horizon) = linear_local(times, &v[..times.len()], epoch);
                let mut local = heapless::Vec::new();
                for &(t, v) in &pts[..n] {
                    // n <= LOCAL_CAPACITY
                    let _ = local.push((S::from_f64(t), S::from_f64(v)));
                }
                self.local = Wave::Linear(local);
                horizon
            }
        }
    }

    /// Waveform value at local time `t` (see [`Drive::rebase`]; before any rebase, local time
    /// is absolute reduced time).
    #[inline]
    pub fn value(&self, t: S) -> S {
        match &self.local {
            Wave::Constant(v) => *v,
            Wave::Sine {
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
            Wave::Linear(pts) => linear_at(pts, t),
        }
    }
}

/// A sine's local start and phase for the window at `epoch` (once started, the phase at the
/// epoch, reduced modulo 2 pi in f64). Not generic: compiled once.
#[inline(never)]
fn sine_local(omega: f64, phase: f64, start: f64, epoch: f64) -> (f64, f64) {
    if epoch > start {
        let two_pi = 2.0 * core::f64::consts::PI;
        (
            0.0,
            crate::math::fmod_f64(phase + omega * (epoch - start), two_pi),
        )
    } else {
        ((start - epoch).min(LOCAL_SPAN), phase)
    }
}

/// The local breakpoints of the piecewise-linear waveform `(times, values)` for the window at
/// `epoch`: the value at the epoch, the breakpoints after it, and the value at
/// `epoch + LOCAL_SPAN`, times relative to `epoch`. With more breakpoints than
/// [`LOCAL_CAPACITY`] allows, the list ends at the last breakpoint stored, and the horizon (the
/// local time up to which the list is exact, returned third) is that breakpoint's time. Not
/// generic: compiled once.
#[inline(never)]
fn linear_local(
    times: &[f64],
    values: &[f64],
    epoch: f64,
) -> ([(f64, f64); LOCAL_CAPACITY], usize, f64) {
    let at = |t: f64| {
        let mut p = [(0.0, 0.0); PIECEWISE_CAPACITY];
        for (i, pi) in p.iter_mut().enumerate().take(times.len()) {
            *pi = (times[i], values[i]);
        }
        linear_at(&p[..times.len()], t)
    };
    let hi = epoch + LOCAL_SPAN;
    let mut out = [(0.0, 0.0); LOCAL_CAPACITY];
    out[0] = (0.0, at(epoch));
    let mut n = 1;
    for i in (0..times.len()).filter(|&i| times[i] > epoch && times[i] < hi) {
        if n == LOCAL_CAPACITY {
            // no room: the list ends at the last breakpoint stored, strictly before this one
            return (out, n, out[n - 1].0);
        }
        out[n] = (times[i] - epoch, values[i]);
        n += 1;
    }
    if n == LOCAL_CAPACITY {
        return (out, n, out[n - 1].0);
    }
    out[n] = (LOCAL_SPAN, at(hi));
    (out, n + 1, LOCAL_SPAN)
}

/// Piecewise-linear interpolation through `pts` (times non-decreasing), held constant outside,
/// right-continuous where two points share a time.
#[inline]
fn linear_at<S: Real>(pts: &[(S, S)], t: S) -> S {
    let Some(&(t_first, v_first)) = pts.first() else {
        return S::ZERO;
    };
    if t < t_first {
        return v_first;
    }
    // the last point at or before t
    let mut i = 0;
    while i + 1 < pts.len() && pts[i + 1].0 <= t {
        i += 1;
    }
    let (a, b) = match pts.get(i + 1) {
        Some(&b) => (pts[i], b),
        None => return pts[i].1,
    };
    if a.1 == b.1 {
        a.1
    } else {
        a.1 + (b.1 - a.1) * (t - a.0) / (b.0 - a.0)
    }
}

/// A scalar waveform of reduced time in the integrator's local-time windows: what a model
/// takes as a time-dependent parameter (the LLB's temperature). [`Drive`] is one; a
/// two-temperature model's electron temperature ([`crate::ttm::TwoTemperature`]) another.
pub trait Waveform<S: Real> {
    /// The value at local time `t` (see [`Drive::rebase`]).
    fn value(&self, t: S) -> S;
    /// Re-expresses the waveform in the window starting at absolute reduced time `epoch`;
    /// returns the local time up to which it is exact (infinite: independent of time).
    fn rebase(&mut self, epoch: f64) -> f64;
    /// The value, if the waveform is constant.
    fn as_constant(&self) -> Option<S> {
        None
    }
}

impl<S: Real> Waveform<S> for Drive<S> {
    #[inline]
    fn value(&self, t: S) -> S {
        Drive::value(self, t)
    }
    fn rebase(&mut self, epoch: f64) -> f64 {
        Drive::rebase(self, epoch)
    }
    fn as_constant(&self) -> Option<S> {
        Drive::as_constant(self)
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

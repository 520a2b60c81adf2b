//! The two-temperature model of a metal heated by a femtosecond laser pulse (Anisimov,
//! Kapeliovich and Perel'man 1974; as used with the LLB by Atxitia et al., Appl. Phys. Lett.
//! 91, 232507 (2007) and Kazantseva et al., Europhys. Lett. 81, 27004 (2008)): the electrons
//! absorb the pulse and share their heat with the lattice (phonons), which may lose it to a
//! substrate at the ambient temperature,
//!
//! - `C_e(T_e) dT_e/dt = -G (T_e - T_p) + P(t)`, `C_e = gamma_e T_e` (Sommerfeld),
//! - `C_p dT_p/dt = G (T_e - T_p) - C_p (T_p - T_0) / tau_sink`,
//!
//! with the absorbed power density `P(t) = E / (w sqrt(pi)) exp(-((t - t_0) / w)^2)`, `w =
//! fwhm / (2 sqrt(ln 2))`, so that `E` (J/m^3) is absorbed in all. Without the sink the total
//! energy `gamma_e T_e^2 / 2 + C_p T_p` grows by exactly `E`; near equilibrium the difference
//! `T_e - T_p` relaxes at the rate `G (1/C_e + 1/C_p)`.
//!
//! The equations are integrated once, in f64 by RK4 with steps far below every time scale
//! (the pulse width and `C_e(T_0) / G`), into a table of `P` points over `[0, duration]`;
//! [`TwoTemperature`] interpolates it linearly in f64 (the same on every target) and is a
//! [`Waveform`]: the LLB's temperature ([`crate::llb::Llb`]). After `duration` the last point
//! holds; before 0 the first.
//!
//! ```
//! use larmor::ttm::{TtmSpec, TwoTemperature};
//! // nickel-like: gamma_e 3e3 J/(m^3 K^2), C_p 3.1e6 J/(m^3 K), G 8e17 W/(m^3 K), 1e9 J/m^3 in a
//! // 50 fs pulse at 0.1 ps, tabulated over 20 ps; reduced time unit 1 ps
//! let spec = TtmSpec::new(3e3, 3.1e6, 8e17, 300.0, 1e9, 50e-15, 100e-15, 20e-12);
//! let ttm = TwoTemperature::<512>::new(&spec, 1e-12).unwrap();
//! assert!(ttm.peak_electron() > 850.0); // 858 K: the electrons take the pulse first
//! assert!((ttm.electron_at(20.0) - ttm.phonon_at(20.0)).abs() < 1e-3); // equilibrated
//! ```

use crate::drive::Waveform;
use crate::error::{check_min, check_range, Error};
use crate::real::Real;

/// The SI parameters of a two-temperature model (see the [module docs](self)).
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct TtmSpec {
    /// Electronic heat-capacity coefficient `gamma_e` (J m^-3 K^-2, > 0): `C_e = gamma_e T_e`.
    pub gamma_e: f64,
    /// Lattice heat capacity `C_p` (J m^-3 K^-1, > 0).
    pub c_p: f64,
    /// Electron-phonon coupling `G` (W m^-3 K^-1, >= 0).
    pub g_ep: f64,
    /// Ambient (initial and substrate) temperature `T_0` (K, > 0).
    pub ambient: f64,
    /// Absorbed energy density of the pulse `E` (J m^-3, >= 0).
    pub pulse_energy: f64,
    /// Full width at half maximum of the pulse's power (s, > 0).
    pub pulse_fwhm: f64,
    /// Time of the pulse's peak (s, >= 0).
    pub pulse_time: f64,
    /// Lattice heat loss time to the substrate (s, > 0; infinite for none).
    pub sink_time: f64,
    /// Span of the table (s, > 0).
    pub duration: f64,
}

impl TtmSpec {
    /// A model without a heat sink.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        gamma_e: f64,
        c_p: f64,
        g_ep: f64,
        ambient: f64,
        pulse_energy: f64,
        pulse_fwhm: f64,
        pulse_time: f64,
        duration: f64,
    ) -> Self {
        Self {
            gamma_e,
            c_p,
            g_ep,
            ambient,
            pulse_energy,
            pulse_fwhm,
            pulse_time,
            sink_time: f64::INFINITY,
            duration,
        }
    }

    /// Checks every parameter.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] naming `ttm.gamma_e`, `ttm.c_p`, `ttm.g_ep`, `ttm.ambient`,
    /// `ttm.pulse_energy`, `ttm.pulse_fwhm`, `ttm.pulse_time`, `ttm.sink_time` or
    /// `ttm.duration` with its allowed range.
    pub fn validate(&self) -> Result<(), Error> {
        check_min("ttm.gamma_e", self.gamma_e, 0.0, false, "> 0 J/(m^3 K^2)")?;
        check_min("ttm.c_p", self.c_p, 0.0, false, "> 0 J/(m^3 K)")?;
        check_min("ttm.g_ep", self.g_ep, 0.0, true, ">= 0 W/(m^3 K)")?;
        check_range("ttm.ambient", self.ambient, 1e-3, 1e5, "[1e-3, 1e5] K")?;
        check_min(
            "ttm.pulse_energy",
            self.pulse_energy,
            0.0,
            true,
            ">= 0 J/m^3",
        )?;
        check_min("ttm.pulse_fwhm", self.pulse_fwhm, 0.0, false, "> 0 s")?;
        check_min("ttm.pulse_time", self.pulse_time, 0.0, true, ">= 0 s")?;
        if self.sink_time != f64::INFINITY {
            check_min(
                "ttm.sink_time",
                self.sink_time,
                0.0,
                false,
                "> 0 s (or infinite)",
            )?;
        }
        check_min("ttm.duration", self.duration, 0.0, false, "> 0 s")?;
        Ok(())
    }
}

/// The right-hand side of a [`TtmSpec`], with the pulse's width and peak power worked out
/// once (the table's integration evaluates it up to 80 million times).
struct Rates<'a> {
    spec: &'a TtmSpec,
    /// `w = fwhm / (2 sqrt(ln 2))` (s).
    width: f64,
    /// Peak power density `E / (w sqrt(pi))` (W/m^3).
    peak: f64,
}

impl<'a> Rates<'a> {
    fn new(spec: &'a TtmSpec) -> Self {
        let width = spec.pulse_fwhm / (2.0 * crate::math::sqrt_f64(core::f64::consts::LN_2));
        Self {
            spec,
            width,
            peak: spec.pulse_energy / (width * crate::math::sqrt_f64(core::f64::consts::PI)),
        }
    }

    /// `(dT_e/dt, dT_p/dt)` at time `t` (s).
    fn at(&self, t: f64, te: f64, tp: f64) -> (f64, f64) {
        let s = self.spec;
        let x = (t - s.pulse_time) / self.width;
        let power = self.peak * crate::math::exp_f64(-(x * x));
        let flow = s.g_ep * (te - tp);
        let sink = if s.sink_time == f64::INFINITY {
            0.0
        } else {
            (tp - s.ambient) / s.sink_time
        };
        ((power - flow) / (s.gamma_e * te), flow / s.c_p - sink)
    }
}

/// Most RK4 steps the table's integration takes (beyond it [`TwoTemperature::new`] refuses
/// the spec as too stiff for its duration).
pub const MAX_STEPS: usize = 20_000_000;

/// A two-temperature model tabulated at `P` points (16 bytes each): the electron temperature
/// as a [`Waveform`] in reduced time, and the lattice temperature alongside.
#[derive(Clone, Debug, PartialEq)]
pub struct TwoTemperature<const P: usize> {
    te: [f64; P],
    tp: [f64; P],
    /// Reduced time between points.
    h: f64,
    /// Absolute reduced time of local time 0.
    epoch: f64,
}

impl<const P: usize> TwoTemperature<P> {
    /// Integrates `spec` and tabulates it; `time_unit` is the reduced time unit in seconds
    /// (the model's: `1/(gamma mu0 H_ref)` for the LLB).
    ///
    /// # Errors
    /// As [`TtmSpec::validate`]; [`Error::OutOfRange`] `ttm.time_unit` for a unit not > 0,
    /// [`Error::Capacity`] `ttm.points` for `P < 2`, [`Error::OutOfRange`] `ttm.duration` if
    /// the integration would need more than [`MAX_STEPS`] steps.
    pub fn new(spec: &TtmSpec, time_unit: f64) -> Result<Self, Error> {
        spec.validate()?;
        check_min("ttm.time_unit", time_unit, 0.0, false, "> 0 s")?;
        if P < 2 {
            return Err(Error::Capacity {
                what: "ttm.points",
                capacity: P,
            });
        }
        let interval = spec.duration / (P - 1) as f64;
        // the fastest time scales: the pulse, the electrons' exchange with the lattice at the
        // coldest electron temperature (T_0; they only heat up), the lattice's and the sink
        let mut fastest = spec.pulse_fwhm;
        if spec.g_ep > 0.0 {
            fastest = fastest
                .min(spec.gamma_e * spec.ambient / spec.g_ep)
                .min(spec.c_p / spec.g_ep);
        }
        fastest = fastest.min(spec.sink_time);
        let sub = crate::math::ceil_f64(interval / (fastest / 50.0)).max(1.0);
        if sub * (P - 1) as f64 > MAX_STEPS as f64 {
            return Err(Error::OutOfRange {
                param: "ttm.duration",
                value: spec.duration,
                allowed: "at most 20 million steps of 1/50 of the fastest time (pulse width, \
                          gamma_e T_0 / G, C_p / G, sink time)",
            });
        }
        let sub = sub as usize;
        let rates = Rates::new(spec);
        let dt = interval / sub as f64;
        let (mut te, mut tp) = (spec.ambient, spec.ambient);
        let mut out = Self {
            te: [0.0; P],
            tp: [0.0; P],
            h: interval / time_unit,
            epoch: 0.0,
        };
        out.te[0] = te;
        out.tp[0] = tp;
        for k in 1..P {
            for j in 0..sub {
                let t = (k - 1) as f64 * interval + j as f64 * dt;
                let (a1, b1) = rates.at(t, te, tp);
                let (a2, b2) = rates.at(t + 0.5 * dt, te + 0.5 * dt * a1, tp + 0.5 * dt * b1);
                let (a3, b3) = rates.at(t + 0.5 * dt, te + 0.5 * dt * a2, tp + 0.5 * dt * b2);
                let (a4, b4) = rates.at(t + dt, te + dt * a3, tp + dt * b3);
                te += dt / 6.0 * (a1 + 2.0 * a2 + 2.0 * a3 + a4);
                tp += dt / 6.0 * (b1 + 2.0 * b2 + 2.0 * b3 + b4);
            }
            out.te[k] = te;
            out.tp[k] = tp;
        }
        Ok(out)
    }

    /// `(index, weight)` of absolute reduced time `t` in the table.
    fn locate(&self, t: f64) -> (usize, f64) {
        let x = t / self.h;
        if x.is_nan() || x <= 0.0 {
            return (0, 0.0);
        }
        if x >= (P - 1) as f64 {
            return (P - 2, 1.0);
        }
        let i = crate::math::floor_f64(x);
        (i as usize, x - i)
    }

    fn interpolate(table: &[f64; P], (i, w): (usize, f64)) -> f64 {
        table[i] + (table[i + 1] - table[i]) * w
    }

    /// Electron temperature (K) at absolute reduced time `t`.
    pub fn electron_at(&self, t: f64) -> f64 {
        Self::interpolate(&self.te, self.locate(t))
    }

    /// Lattice temperature (K) at absolute reduced time `t`.
    pub fn phonon_at(&self, t: f64) -> f64 {
        Self::interpolate(&self.tp, self.locate(t))
    }

    /// Highest tabulated electron temperature (K).
    pub fn peak_electron(&self) -> f64 {
        self.te.iter().fold(0.0, |a, &b| a.max(b))
    }

    /// Reduced time between table points.
    pub fn interval(&self) -> f64 {
        self.h
    }
}

impl<S: Real, const P: usize> Waveform<S> for TwoTemperature<P> {
    /// The electron temperature (K) at local time `t`: interpolated in f64, so f32 and f64
    /// runs see the same temperatures to their precision.
    #[inline]
    fn value(&self, t: S) -> S {
        S::from_f64(self.electron_at(self.epoch + t.to_f64()))
    }
    /// Moves local time 0 to `epoch`; exact at any local time (the table is in absolute
    /// time), but timed.
    fn rebase(&mut self, epoch: f64) -> f64 {
        self.epoch = epoch;
        f64::MAX
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> TtmSpec {
        TtmSpec::new(3e3, 3.1e6, 8e17, 300.0, 1e9, 50e-15, 100e-15, 5e-12)
    }

    #[test]
    fn the_local_value_is_the_absolute_table_value() {
        let mut ttm = TwoTemperature::<256>::new(&spec(), 1e-12).unwrap();
        let t_abs = 0.1234;
        let before = Waveform::<f64>::value(&ttm, t_abs);
        Waveform::<f64>::rebase(&mut ttm, 0.1);
        let after = Waveform::<f64>::value(&ttm, t_abs - 0.1);
        assert!(
            (before - after).abs() < 1e-9 * before,
            "{before} vs {after}"
        );
        assert_eq!(ttm.electron_at(-1.0), 300.0);
        assert_eq!(ttm.electron_at(1e9), ttm.te[255]);
    }

    #[test]
    fn bad_input_is_refused_by_name() {
        let key = |s: TtmSpec| match TwoTemperature::<16>::new(&s, 1e-12) {
            Err(Error::OutOfRange { param, .. }) => param,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            key(TtmSpec {
                gamma_e: 0.0,
                ..spec()
            }),
            "ttm.gamma_e"
        );
        assert_eq!(
            key(TtmSpec {
                c_p: f64::NAN,
                ..spec()
            }),
            "ttm.c_p"
        );
        assert_eq!(
            key(TtmSpec {
                g_ep: -1.0,
                ..spec()
            }),
            "ttm.g_ep"
        );
        assert_eq!(
            key(TtmSpec {
                ambient: 0.0,
                ..spec()
            }),
            "ttm.ambient"
        );
        assert_eq!(
            key(TtmSpec {
                pulse_energy: -1.0,
                ..spec()
            }),
            "ttm.pulse_energy"
        );
        assert_eq!(
            key(TtmSpec {
                pulse_fwhm: 0.0,
                ..spec()
            }),
            "ttm.pulse_fwhm"
        );
        assert_eq!(
            key(TtmSpec {
                pulse_time: -1e-15,
                ..spec()
            }),
            "ttm.pulse_time"
        );
        assert_eq!(
            key(TtmSpec {
                sink_time: 0.0,
                ..spec()
            }),
            "ttm.sink_time"
        );
        assert_eq!(
            key(TtmSpec {
                duration: 0.0,
                ..spec()
            }),
            "ttm.duration"
        );
        assert_eq!(
            key(TtmSpec {
                duration: 1.0,
                ..spec()
            }),
            "ttm.duration"
        );
        assert!(matches!(
            TwoTemperature::<16>::new(&spec(), 0.0),
            Err(Error::OutOfRange {
                param: "ttm.time_unit",
                ..
            })
        ));
        assert!(matches!(
            TwoTemperature::<1>::new(&spec(), 1e-12),
            Err(Error::Capacity {
                what: "ttm.points",
                ..
            })
        ));
    }
}

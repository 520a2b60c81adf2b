//! Kinetic Monte Carlo over populations of two-state particles. The kernel owns no generator:
//! callers pass `&mut R where R: rand_core::Rng` (e.g. [`crate::random::Philox`]; uniforms by
//! [`crate::random::uniform_f64`]), and particles are drawn or built one at a
//! time (no allocation; any population size).

use rand_core::Rng;

use super::TwoLevel;
use crate::error::{check_finite, check_min, Error};
use crate::math;
use crate::random::{uniform_f64, Dist};

/// Exponential waiting time with rate `w` (infinite for `w = 0`).
fn waiting_time<R: Rng + ?Sized>(rng: &mut R, w: f64) -> f64 {
    if w > 0.0 {
        -math::ln_f64(uniform_f64(rng)) / w
    } else {
        f64::INFINITY
    }
}

/// A population of two-state grains with distributed barriers (Neel 1949; Street and Woolley, Proc. Phys. Soc. A 62, 562 (1949)):
/// barrier from up `E ~ barrier_kt` (units of `kB T`), from down `E + bias_kt`, common attempt
/// frequency `f0`.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Grains {
    /// Distribution of the barrier from the up state (`kB T`; draws below 0 are set to 0).
    pub barrier_kt: Dist,
    /// Extra barrier from the down state (`kB T`, `>= 0` favours down).
    pub bias_kt: f64,
    /// Attempt frequency (Hz).
    pub f0: f64,
}

impl Grains {
    /// Validates the distribution, bias and `f0`.
    ///
    /// ```
    /// use larmor::{arrhenius::Grains, random::Dist};
    /// let g = Grains { barrier_kt: Dist::Normal { mean: 30.0, sd: -1.0 }, bias_kt: 10.0, f0: 1e9 };
    /// assert!(g.validate().is_err());
    /// ```
    ///
    /// # Errors
    /// [`Error::OutOfRange`] naming the bad parameter.
    pub fn validate(&self) -> Result<(), Error> {
        self.barrier_kt
            .validate("arrhenius.grains.barrier", false)?;
        check_finite("arrhenius.grains.bias", self.bias_kt)?;
        check_min("arrhenius.grains.f0", self.f0, 0.0, false, "> 0 Hz")?;
        Ok(())
    }

    /// Draws one grain's rates (validate first).
    ///
    /// ```
    /// use larmor::{arrhenius::Grains, random::Dist};
    /// let g = Grains { barrier_kt: Dist::Fixed(20.0), bias_kt: 5.0, f0: 1e9 };
    /// let tl = g.draw(&mut larmor::random::Philox::new(1, 0));
    /// assert!((tl.up_to_down / tl.down_to_up - 5f64.exp()).abs() < 1e-9);
    /// ```
    pub fn draw<R: Rng + ?Sized>(&self, rng: &mut R) -> TwoLevel<f64> {
        let e = self.barrier_kt.sample(rng, false).max(0.0);
        TwoLevel {
            up_to_down: self.f0 * math::exp_f64(-e),
            down_to_up: self.f0 * math::exp_f64(-(e + self.bias_kt).max(0.0)),
        }
    }
}

/// Kinetic Monte Carlo relaxation at constant conditions: `n` independent two-state particles,
/// each built by `draw(rng)`, all starting in state `s_start` (`+1` up, `-1` down), simulated
/// exactly (Gillespie: exponential waiting times, both directions). Writes the mean state `<s>`
/// at each of `times` (s, non-decreasing, `>= 0`) into `m` and returns `n`. Exact in
/// distribution (no time step); shards merge by weighting with `n`. Magnetic viscosity after Street and Woolley (1949).
///
/// ```
/// use larmor::arrhenius::{kmc_relax, TwoLevel};
/// let mut m = [0.0; 2];
/// let tl = TwoLevel::new(1.0, 0.0).unwrap(); // only up -> down, tau = 1 s
/// kmc_relax(&mut larmor::random::Philox::new(7, 0), 20_000, |_| tl, 1.0, &[0.0, 1.0], &mut m).unwrap();
/// assert_eq!(m[0], 1.0);
/// assert!((m[1] - (2.0 * (-1f64).exp() - 1.0)).abs() < 0.03); // 2 e^-1 - 1, 4 sigma
/// ```
///
/// # Errors
/// [`Error::Empty`] for `n = 0` or no times, [`Error::Inconsistent`] for `m` of the wrong
/// length or decreasing times, [`Error::OutOfRange`] for `s_start` not `+-1`, negative or
/// non-finite times, or a drawn particle with a negative or non-finite rate.
pub fn kmc_relax<R, G>(
    rng: &mut R,
    n: usize,
    mut draw: G,
    s_start: f64,
    times: &[f64],
    m: &mut [f64],
) -> Result<usize, Error>
where
    R: Rng + ?Sized,
    G: FnMut(&mut R) -> TwoLevel<f64>,
{
    if n == 0 {
        return Err(Error::Empty {
            what: "arrhenius.kmc population (n = 0)",
        });
    }
    check_times(times, m.len())?;
    let s0 = check_state(s_start)?;
    m.iter_mut().for_each(|x| *x = 0.0);
    for _ in 0..n {
        let tl = draw(rng);
        let tl = TwoLevel::new(tl.up_to_down, tl.down_to_up)?;
        let mut s = s0;
        let mut t = 0.0;
        let exit = |s: f64| {
            if s > 0.0 {
                tl.up_to_down
            } else {
                tl.down_to_up
            }
        };
        let mut t_next = t + waiting_time(rng, exit(s));
        for (k, &tk) in times.iter().enumerate() {
            while t_next <= tk {
                s = -s;
                t = t_next;
                t_next = t + waiting_time(rng, exit(s));
            }
            m[k] += s;
        }
    }
    let inv = 1.0 / n as f64;
    m.iter_mut().for_each(|x| *x *= inv);
    Ok(n)
}

fn check_times(times: &[f64], out_len: usize) -> Result<(), Error> {
    if times.is_empty() {
        return Err(Error::Empty {
            what: "arrhenius.kmc times",
        });
    }
    if out_len != times.len() {
        return Err(Error::Inconsistent {
            what: "arrhenius.kmc: the output needs one entry per time/field",
        });
    }
    for (i, &t) in times.iter().enumerate() {
        check_min("arrhenius.kmc.times", t, 0.0, true, ">= 0 s (finite)")?;
        if i > 0 && t < times[i - 1] {
            return Err(Error::Inconsistent {
                what: "arrhenius.kmc: times must be non-decreasing",
            });
        }
    }
    Ok(())
}

fn check_state(s: f64) -> Result<f64, Error> {
    if s == 1.0 || s == -1.0 {
        Ok(s)
    } else {
        Err(Error::OutOfRange {
            param: "arrhenius.kmc.s_start",
            value: s,
            allowed: "+1 (up) or -1 (down)",
        })
    }
}

/// Kinetic Monte Carlo under a time-dependent field (e.g. a sweep for Sharrock's law): `n`
/// particles built by `draw(rng)`, all starting up at `fields[0]`; the field takes the values
/// `fields[k]` at times `k dt`. Over each interval the rates `rates(&particle, h_mid)`
/// (`(up_to_down, down_to_up)` in Hz at the midpoint field) are held constant and the state is
/// advanced with the exact two-state transition probability
/// `P(leave s) = (w_s / Gamma)(1 - exp(-Gamma dt))` (midpoint rule: error `O(dt^2)` in the
/// hazard). Writes `<s>` after each field value into `m` (`m[0] = 1`) and returns `n`.
///
/// ```
/// use larmor::arrhenius::kmc_sweep;
/// let fields: Vec<f64> = (0..=100).map(|k| k as f64 * 0.01).collect();
/// let mut m = vec![0.0; fields.len()];
/// // aligned SW grains, delta = 40, f0 = 1 GHz, field against the moment, 1 H_K per ms
/// let rates = |_: &(), h: f64| (1e9 * (-40.0 * (1.0 - h) * (1.0 - h)).exp(), 0.0);
/// kmc_sweep(&mut larmor::random::Philox::new(3, 0), 500, |_| (), &fields, 1e-5, rates, &mut m).unwrap();
/// assert_eq!(m[0], 1.0);
/// assert_eq!(m[100], -1.0);
/// ```
///
/// # Errors
/// [`Error::Empty`] for `n = 0` or no fields, [`Error::Inconsistent`] for `m` of the wrong
/// length, [`Error::OutOfRange`] for `dt <= 0`, a non-finite field or a negative or non-finite
/// rate.
pub fn kmc_sweep<R, P, G, F>(
    rng: &mut R,
    n: usize,
    mut draw: G,
    fields: &[f64],
    dt: f64,
    mut rates: F,
    m: &mut [f64],
) -> Result<usize, Error>
where
    R: Rng + ?Sized,
    G: FnMut(&mut R) -> P,
    F: FnMut(&P, f64) -> (f64, f64),
{
    if n == 0 {
        return Err(Error::Empty {
            what: "arrhenius.kmc population (n = 0)",
        });
    }
    if fields.is_empty() {
        return Err(Error::Empty {
            what: "arrhenius.kmc fields",
        });
    }
    if m.len() != fields.len() {
        return Err(Error::Inconsistent {
            what: "arrhenius.kmc: the output needs one entry per time/field",
        });
    }
    check_min("arrhenius.kmc.dt", dt, 0.0, false, "> 0 s")?;
    for &h in fields {
        check_finite("arrhenius.kmc.fields", h)?;
    }
    m.iter_mut().for_each(|x| *x = 0.0);
    for _ in 0..n {
        let p = draw(rng);
        let mut s = 1.0;
        m[0] += s;
        for k in 1..fields.len() {
            let h_mid = 0.5 * (fields[k - 1] + fields[k]);
            let (ud, du) = rates(&p, h_mid);
            let tl = TwoLevel::new(ud, du)?;
            let g = tl.relaxation_rate();
            let w_out = if s > 0.0 { ud } else { du };
            if w_out > 0.0 {
                let p_leave = w_out / g * -math::expm1_f64(-g * dt);
                if uniform_f64(rng) <= p_leave {
                    s = -s;
                }
            }
            m[k] += s;
        }
    }
    let inv = 1.0 / n as f64;
    m.iter_mut().for_each(|x| *x *= inv);
    Ok(n)
}

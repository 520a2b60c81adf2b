//! An STT-MRAM array whose bits fail like silicon: write errors at a marginal pulse, read
//! disturb, retention flips at temperature, weak cells from device-to-device variation.
//!
//! **State.** One bit of RAM per emulated bit, plus a few words: an array of `BYTES` bytes
//! takes `BYTES + size_of::<CellParams>() + ~80` bytes (64 KiB of MRAM in about 64.2 KiB of
//! RAM). The per-cell variation (stability factor, critical currents, resistance, TMR) is never
//! stored: cell `i`'s values are drawn, whenever they are needed, from Philox stream `i` of the
//! array's seed, so they are the same every time and on every machine ("drawn once from a seeded
//! stream", at no RAM cost). Every random decision (a write that fails, a read that disturbs, a
//! bit that flips at rest) comes from one further stream, so a session is reproducible from its
//! seed and its sequence of operations.
//!
//! **Physics per operation** (closed forms; each cell is a perpendicular macrospin with
//! stability factor `Delta = E_b / kB T`):
//!
//! - *Write* with a current pulse `I` of width `t`, `i = I / I_c0` (the critical current of the
//!   transition the bit needs). Below threshold (`i <= 1`) switching is thermally activated:
//!   `WER = exp(-(t/tau0) exp(-Delta (1 - i)^b))` (the Neel-Brown rate with the barrier lowered
//!   by the spin torque, Koch, Katine and Sun 2004; `b` the barrier exponent). Above it
//!   (`i > 1`) switching is precessional, after Butler et al. 2012 (IEEE Trans. Magn. 48,
//!   4684): a bit fails if its initial angle is too small to reach the equator within `t`.
//!   The exact zero-temperature time from `theta0` to the equator of a uniaxial macrospin
//!   under Slonczewski torque, `t / tau_D = ln(sqrt(2) / theta0) / (i - 1) + g(i)` with
//!   `g(i) = ln 2 / (2 (i + 1)) + ln((i - 1)/i) / (i^2 - 1)`, and the Boltzmann distribution of
//!   `theta0^2` (mean `1/Delta`) widened by the thermal noise during the linear stage (an
//!   unstable Ornstein-Uhlenbeck process: `Delta_eff = Delta (i - 1) / i`) give
//!   `WER = 1 - exp(-2 Delta_eff exp(-2 (i - 1) (t / tau_D - g(i))))`, with
//!   `tau_D = (1 + alpha^2) / (alpha gamma mu0 H_K)`. The crossover band `|i - 1| ~ 1/sqrt(Delta)`
//!   is described by neither form (the rate jumps at `i = 1`): simulate it with the stochastic
//!   macrospin. A bit that already holds the written value is pushed further into its state and
//!   never flips.
//! - *Read* with a current `I_r` for `t_r`: the sensed resistance `R_P` or `R_P (1 + TMR)` of
//!   the cell is compared with the reference `R_P (1 + TMR/2)` of the nominal cell (a cell whose
//!   variation puts it on the wrong side is misread every time); the read current favours one
//!   state (parallel by default) and disturbs a bit in the other with
//!   `P = 1 - exp[-(t_r/tau0) exp(-Delta (1 - I_r/I_c0)^b)]`.
//! - *Retention*: at rest each bit is a symmetric two-state system with rate
//!   `r = exp(-Delta(T)) / tau0`; over `dt` it ends flipped with the exact probability
//!   `(1 - exp(-2 r dt)) / 2`. `Delta(T) = Delta_ref T_ref / T` (a temperature-independent
//!   barrier; the critical currents are taken as temperature independent too).
//!   The array draws flips by thinning: candidate bits at the largest per-cell probability
//!   (geometric gaps, so the cost is the number of candidates, not of bits), each kept with its
//!   own probability over the largest; exact for any variation.
//!
//! Probabilities as small as 1e-15 are resolved: decisions use 53-bit uniforms and f64
//! arithmetic on every target (software floating point on a Cortex-M; a write or read costs a
//! few hundred floating-point operations per bit).
//!
//! ```
//! use larmor::device::mram::{CellParams, MramArray, Pulse};
//! let mut a = MramArray::<64>::new(CellParams::default(), 7).unwrap();
//! a.write(0, &[0xA5, 0x3C], Pulse::nominal(&CellParams::default())).unwrap();
//! let mut buf = [0u8; 2];
//! a.read(0, &mut buf).unwrap();
//! assert_eq!(buf, [0xA5, 0x3C]);
//! ```

use crate::error::{check_min, check_range, Error};
use crate::math::{exp_f64, expm1_f64, floor_f64, ln1p_f64, ln_f64, powf_f64};
use crate::random::{uniform_f64, Gaussian, Philox};

/// The decision stream's index: cells use streams `0..bits`, decisions this one.
const DECISIONS: u64 = u64::MAX;
/// Variations are drawn from a normal truncated at this many standard deviations (a cell with
/// a negative barrier or current would be unphysical; 6 sd leaves 2e-9 of the mass out).
pub const TRUNCATE_SD: f64 = 6.0;

/// Parameters shared by every cell of an array (SI units; relative standard deviations for the
/// variation).
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct CellParams {
    /// Thermal stability factor `E_b / kB T_ref` of the nominal cell (key `mram.delta`).
    pub delta: f64,
    /// Temperature at which `delta` holds (K, key `mram.t_ref`).
    pub t_ref: f64,
    /// Attempt time (s, key `mram.tau0`), typically 1 ns.
    pub tau0: f64,
    /// Critical current for parallel to antiparallel (writing a 1), A (key `mram.ic0_p_ap`).
    pub ic0_p_ap: f64,
    /// Critical current for antiparallel to parallel (writing a 0), A (key `mram.ic0_ap_p`).
    pub ic0_ap_p: f64,
    /// Precessional time unit `tau_D = (1 + alpha^2) / (alpha gamma mu0 H_K)` (s, key
    /// `mram.tau_d`).
    pub tau_d: f64,
    /// Exponent of the barrier lowering `(1 - I/I_c0)^b` (key `mram.b`): 2 for a macrospin in a
    /// field along its axis, 1 in the linear (Koch-Katine-Sun) form often fitted to data.
    pub b: f64,
    /// Parallel resistance (ohm, key `mram.r_p`).
    pub r_p: f64,
    /// Tunnelling magnetoresistance `(R_AP - R_P) / R_P` (key `mram.tmr`), e.g. 1.8 for 180 %.
    pub tmr: f64,
    /// Relative standard deviation of `delta` from cell to cell (key `mram.sigma_delta`).
    pub sd_delta: f64,
    /// Relative standard deviation of both critical currents (key `mram.sd_ic0`).
    pub sd_ic0: f64,
    /// Relative standard deviation of `r_p` (key `mram.sd_r_p`).
    pub sd_r_p: f64,
    /// Relative standard deviation of `tmr` (key `mram.sd_tmr`).
    pub sd_tmr: f64,
    /// Read current (A, key `mram.read_current`).
    pub read_current: f64,
    /// Read time (s, key `mram.read_time`).
    pub read_time: f64,
    /// `true` if the read current favours the parallel state (then it can disturb stored 1s);
    /// `false`: it favours antiparallel and can disturb 0s.
    pub read_favours_parallel: bool,
}

impl Default for CellParams {
    /// An embedded STT-MRAM macro of the kind reported at 28 nm (Delta = 60 at 300 K, which
    /// holds a bit for about ten years at 85 C in the presence of variation; I_c0 of tens of uA;
    /// R_P = 3 kOhm; TMR 180 %; a few percent of variation): a starting point to be replaced by
    /// the figures of the part being emulated.
    fn default() -> Self {
        Self {
            delta: 60.0,
            t_ref: 300.0,
            tau0: 1e-9,
            ic0_p_ap: 60e-6,
            ic0_ap_p: 45e-6,
            tau_d: 0.7e-9,
            b: 2.0,
            r_p: 3000.0,
            tmr: 1.8,
            sd_delta: 0.05,
            sd_ic0: 0.05,
            sd_r_p: 0.03,
            sd_tmr: 0.05,
            read_current: 10e-6,
            read_time: 10e-9,
            read_favours_parallel: true,
        }
    }
}

impl CellParams {
    /// Checks every parameter.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] naming the first parameter outside its range.
    pub fn validate(&self) -> Result<(), Error> {
        check_min("mram.delta", self.delta, 0.0, false, "> 0")?;
        check_min("mram.t_ref", self.t_ref, 0.0, false, "> 0 K")?;
        check_min("mram.tau0", self.tau0, 0.0, false, "> 0 s")?;
        check_min("mram.ic0_p_ap", self.ic0_p_ap, 0.0, false, "> 0 A")?;
        check_min("mram.ic0_ap_p", self.ic0_ap_p, 0.0, false, "> 0 A")?;
        check_min("mram.tau_d", self.tau_d, 0.0, false, "> 0 s")?;
        check_range("mram.b", self.b, 0.5, 4.0, "[0.5, 4]")?;
        check_min("mram.r_p", self.r_p, 0.0, false, "> 0 ohm")?;
        check_min("mram.tmr", self.tmr, 0.0, false, "> 0")?;
        let sd = "[0, 1/6] (the truncated normal stays positive)";
        for (k, v) in [
            ("mram.sd_delta", self.sd_delta),
            ("mram.sd_ic0", self.sd_ic0),
            ("mram.sd_r_p", self.sd_r_p),
            ("mram.sd_tmr", self.sd_tmr),
        ] {
            check_range(k, v, 0.0, 1.0 / TRUNCATE_SD, sd)?;
        }
        check_min("mram.read_current", self.read_current, 0.0, true, ">= 0 A")?;
        check_min("mram.read_time", self.read_time, 0.0, true, ">= 0 s")?;
        Ok(())
    }
}

/// A write pulse: current magnitude and width (the polarity follows the bit written).
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Pulse {
    /// Current (A).
    pub current: f64,
    /// Width (s).
    pub width: f64,
}

impl Pulse {
    /// Twice the larger critical current for 20 ns: a write error rate far below 1e-15 for the
    /// nominal cell of [`CellParams::default`].
    pub fn nominal(p: &CellParams) -> Self {
        Self {
            current: 2.0 * p.ic0_p_ap.max(p.ic0_ap_p),
            width: 20e-9,
        }
    }

    /// # Errors
    /// [`Error::OutOfRange`] for a negative or non-finite current or width.
    fn check(&self) -> Result<(), Error> {
        check_min("pulse.current", self.current, 0.0, true, ">= 0 A")?;
        check_min("pulse.width", self.width, 0.0, true, ">= 0 s")?;
        Ok(())
    }
}

/// One cell's drawn parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cell {
    /// Stability factor at the reference temperature.
    pub delta: f64,
    /// Critical current P -> AP (A).
    pub ic0_p_ap: f64,
    /// Critical current AP -> P (A).
    pub ic0_ap_p: f64,
    /// Parallel resistance (ohm).
    pub r_p: f64,
    /// TMR.
    pub tmr: f64,
}

/// What happened so far (bit counts).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Stats {
    /// Bits written (every bit of every byte written).
    pub bits_written: u64,
    /// Written bits that had to switch.
    pub switches: u64,
    /// Switches that failed (the bit kept its old value).
    pub write_errors: u64,
    /// Bits read.
    pub bits_read: u64,
    /// Bits sensed as the wrong value (cells whose variation puts them past the reference).
    pub misreads: u64,
    /// Bits flipped by a read.
    pub read_disturbs: u64,
    /// Bits flipped at rest.
    pub retention_flips: u64,
}

/// What a read saw.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Sense {
    /// Smallest relative distance `(R - R_ref) / R_ref` of a bit from the reference, signed:
    /// positive when sensed correctly, negative when misread.
    pub margin: f64,
}

/// An MRAM array of `BYTES` bytes (see the [module docs](self)).
#[derive(Clone, Debug)]
pub struct MramArray<const BYTES: usize> {
    params: CellParams,
    seed: u64,
    bits: [u8; BYTES],
    temperature: f64,
    decisions: Philox,
    stats: Stats,
    /// Cached per read: the worst sense margin ([`MramArray::worst_margin`]), and the largest
    /// read-disturb probability any cell has with its `ln(1 - p)` (recomputed when the
    /// temperature changes).
    read: ReadBounds,
}

/// What every read needs and only the parameters and the temperature change.
#[derive(Clone, Copy, Debug)]
struct ReadBounds {
    worst_margin: f64,
    p_max: f64,
    log_q: f64,
}

/// `-expm1(-x)`: `1 - exp(-x)` without cancellation.
#[inline]
fn one_minus_exp(x: f64) -> f64 {
    -expm1_f64(-x)
}

impl<const BYTES: usize> MramArray<BYTES> {
    /// An array of zeros at the reference temperature, with the cell variation of `seed`.
    ///
    /// # Errors
    /// As [`CellParams::validate`]; [`Error::Capacity`] for more than 2^32 bits.
    pub fn new(params: CellParams, seed: u64) -> Result<Self, Error> {
        params.validate()?;
        if (BYTES as u64) * 8 > u64::from(u32::MAX) {
            return Err(Error::Capacity {
                what: "mram bits",
                capacity: (u32::MAX / 8) as usize,
            });
        }
        let mut a = Self {
            params,
            seed,
            bits: [0; BYTES],
            temperature: params.t_ref,
            decisions: Philox::new(seed, DECISIONS),
            stats: Stats::default(),
            read: ReadBounds {
                worst_margin: 0.0,
                p_max: 0.0,
                log_q: 0.0,
            },
        };
        a.read = a.read_bounds();
        Ok(a)
    }

    /// The shared parameters.
    pub fn params(&self) -> &CellParams {
        &self.params
    }

    /// Counts so far.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// The stored bytes as they are (no sensing, no disturb): what a test compares with.
    pub fn raw(&self) -> &[u8; BYTES] {
        &self.bits
    }

    /// Current temperature (K).
    pub fn temperature(&self) -> f64 {
        self.temperature
    }

    /// Sets the temperature (K) for the following operations.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] (key `mram.temperature`) unless finite and > 0.
    pub fn set_temperature(&mut self, kelvin: f64) -> Result<(), Error> {
        check_min("mram.temperature", kelvin, 0.0, false, "> 0 K")?;
        self.temperature = kelvin;
        self.read = self.read_bounds();
        Ok(())
    }

    /// Cell `bit`'s parameters (bit `8 a + k` is bit `k` of byte `a`, least significant first):
    /// drawn from Philox stream `bit` of the array's seed, identical on every call.
    pub fn cell(&self, bit: u32) -> Cell {
        let (delta, ic0_p_ap, ic0_ap_p) = self.switching(bit);
        let (r_p, tmr) = self.sensing(bit);
        Cell {
            delta,
            ic0_p_ap,
            ic0_ap_p,
            r_p,
            tmr,
        }
    }

    /// Two truncated standard normals of stream `stream` (one Philox block, mostly).
    #[inline]
    fn normals(&self, stream: u64) -> (f64, f64) {
        let mut rng = Philox::new(self.seed, stream);
        let mut z = || f64::std_normal(&mut rng).clamp(-TRUNCATE_SD, TRUNCATE_SD);
        (z(), z())
    }

    /// Cell `bit`'s switching parameters `(delta, ic0_p_ap, ic0_ap_p)` (stream `bit`).
    #[inline]
    fn switching(&self, bit: u32) -> (f64, f64, f64) {
        let p = &self.params;
        let (zd, zi) = self.normals(u64::from(bit));
        let ic = 1.0 + p.sd_ic0 * zi;
        (
            p.delta * (1.0 + p.sd_delta * zd),
            p.ic0_p_ap * ic,
            p.ic0_ap_p * ic,
        )
    }

    /// Cell `bit`'s resistance parameters `(r_p, tmr)` (stream `2^32 + bit`): what a read
    /// senses, drawn apart from the switching ones so that a read draws only these.
    #[inline]
    fn sensing(&self, bit: u32) -> (f64, f64) {
        let p = &self.params;
        let (zr, zt) = self.normals((1u64 << 32) | u64::from(bit));
        (p.r_p * (1.0 + p.sd_r_p * zr), p.tmr * (1.0 + p.sd_tmr * zt))
    }

    /// The bounds every read uses, at the current temperature.
    fn read_bounds(&self) -> ReadBounds {
        let p = &self.params;
        let k = TRUNCATE_SD;
        let ic0 = if p.read_favours_parallel {
            p.ic0_ap_p
        } else {
            p.ic0_p_ap
        };
        let p_max = self.read_disturb_probability(
            p.delta * (1.0 - k * p.sd_delta),
            ic0 * (1.0 - k * p.sd_ic0),
            p.read_current,
            p.read_time,
        );
        ReadBounds {
            worst_margin: self.worst_margin(),
            p_max,
            log_q: ln1p_f64(-p_max),
        }
    }

    /// The smallest sense margin any cell can have (variation at its truncation): when it is
    /// positive no cell is ever misread and a read need not draw the cells' resistances.
    pub fn worst_margin(&self) -> f64 {
        let p = &self.params;
        let r_ref = p.r_p * (1.0 + 0.5 * p.tmr);
        let k = TRUNCATE_SD;
        let p_high = p.r_p * (1.0 + k * p.sd_r_p);
        let ap_low = p.r_p * (1.0 - k * p.sd_r_p) * (1.0 + p.tmr * (1.0 - k * p.sd_tmr));
        ((r_ref - p_high) / r_ref).min((ap_low - r_ref) / r_ref)
    }

    /// The stability factor at the current temperature.
    #[inline]
    fn delta_now(&self, delta_ref: f64) -> f64 {
        delta_ref * self.params.t_ref / self.temperature
    }

    /// Exponent `Delta (1 - i)^b` of the barrier at current ratio `i` (0 above `i = 1`).
    #[inline]
    fn barrier(&self, delta: f64, i: f64) -> f64 {
        if i >= 1.0 {
            0.0
        } else {
            delta * powf_f64(1.0 - i, self.params.b)
        }
    }

    /// Probability that a cell needing to switch does not, for a pulse at current ratio `i`
    /// and width `t` (see the module docs).
    pub fn write_error_rate(&self, delta_ref: f64, i: f64, t: f64) -> f64 {
        let delta = self.delta_now(delta_ref);
        if i <= 1.0 {
            let tau0 = self.params.tau0;
            return exp_f64(-(t / tau0) * exp_f64(-self.barrier(delta, i)));
        }
        // zero-temperature time from theta0 to the equator, exactly:
        // t / tau_D = ln(sqrt 2 / theta0) / (i - 1) + g(i) for small theta0
        let g = core::f64::consts::LN_2 / (2.0 * (i + 1.0)) + ln_f64((i - 1.0) / i) / (i * i - 1.0);
        // the initial angle's spread, widened by the noise of the linear stage
        let delta_eff = delta * (i - 1.0) / i;
        let x = -2.0 * (i - 1.0) * (t / self.params.tau_d - g);
        one_minus_exp(2.0 * delta_eff * exp_f64(x))
    }

    /// Probability that a read of `t_r` at current `i_r` flips a cell in the disfavoured state.
    pub fn read_disturb_probability(&self, delta_ref: f64, ic0: f64, i_r: f64, t_r: f64) -> f64 {
        let delta = self.delta_now(delta_ref);
        one_minus_exp((t_r / self.params.tau0) * exp_f64(-self.barrier(delta, i_r / ic0)))
    }

    fn check_span(&self, addr: usize, len: usize) -> Result<(), Error> {
        if addr.checked_add(len).is_none_or(|end| end > BYTES) {
            return Err(Error::OutOfRange {
                param: "mram.address",
                value: addr as f64,
                allowed: "an address range inside the array",
            });
        }
        Ok(())
    }

    /// Writes `data` at byte address `addr` with `pulse`; returns how many bits failed to
    /// switch (they keep their old value, as in silicon).
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for a span outside the array or a bad pulse (nothing written).
    pub fn write(&mut self, addr: usize, data: &[u8], pulse: Pulse) -> Result<u32, Error> {
        self.check_span(addr, data.len())?;
        pulse.check()?;
        let mut failed = 0;
        for (k, &byte) in data.iter().enumerate() {
            let a = addr + k;
            let old = self.bits[a];
            let mut new = old;
            let need = old ^ byte;
            for j in 0..8 {
                if need & (1 << j) == 0 {
                    continue;
                }
                let (delta, ic0_p_ap, ic0_ap_p) = self.switching((a * 8 + j) as u32);
                let to_one = byte & (1 << j) != 0;
                let ic0 = if to_one { ic0_p_ap } else { ic0_ap_p };
                let wer = self.write_error_rate(delta, pulse.current / ic0, pulse.width);
                if uniform_f64(&mut self.decisions) <= wer {
                    failed += 1;
                } else {
                    new ^= 1 << j;
                }
            }
            self.bits[a] = new;
            self.stats.bits_written += 8;
            self.stats.switches += u64::from(need.count_ones());
        }
        self.stats.write_errors += u64::from(failed);
        Ok(failed)
    }

    /// Reads `buf.len()` bytes at `addr` with the read current and time of the parameters:
    /// senses each bit against the reference (drawing the cells' resistances only when the
    /// variation allows a misread at all, see [`MramArray::worst_margin`]), then lets the read
    /// current disturb the bits in the state it opposes (drawn by thinning, like retention).
    /// Returns the smallest sense margin of the bits read (or, when no misread is possible,
    /// the population's worst case, a lower bound of it).
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for a span outside the array (nothing read).
    pub fn read(&mut self, addr: usize, buf: &mut [u8]) -> Result<Sense, Error> {
        self.check_span(addr, buf.len())?;
        let p = self.params;
        let worst = self.read.worst_margin;
        let mut margin = f64::INFINITY;
        if worst > 0.0 {
            buf.copy_from_slice(&self.bits[addr..addr + buf.len()]);
            margin = worst;
        } else {
            let r_ref = p.r_p * (1.0 + 0.5 * p.tmr);
            for (k, out) in buf.iter_mut().enumerate() {
                let a = addr + k;
                let stored = self.bits[a];
                let mut sensed = 0u8;
                for j in 0..8 {
                    let one = stored & (1 << j) != 0;
                    let (r_p, tmr) = self.sensing((a * 8 + j) as u32);
                    let r = if one { r_p * (1.0 + tmr) } else { r_p };
                    let m = (r - r_ref) / r_ref;
                    let correct = if one { m } else { -m };
                    margin = margin.min(correct);
                    if m > 0.0 {
                        sensed |= 1 << j;
                    }
                    if correct <= 0.0 {
                        self.stats.misreads += 1;
                    }
                }
                *out = sensed;
            }
        }
        self.stats.bits_read += 8 * buf.len() as u64;
        if p.read_current > 0.0 && p.read_time > 0.0 {
            self.disturb(addr, buf.len());
        }
        Ok(Sense { margin })
    }

    /// The read disturb of the bytes `addr..addr + len`: candidates at the largest probability
    /// any cell can have (geometric gaps), each kept with its own probability over the largest.
    fn disturb(&mut self, addr: usize, len: usize) {
        let p = self.params;
        let ReadBounds { p_max, log_q, .. } = self.read;
        if p_max <= 0.0 {
            return;
        }
        let first = (addr * 8) as u64;
        let n = (len * 8) as u64;
        let mut pos = 0u64;
        while pos < n {
            let gap = if p_max >= 1.0 {
                0.0
            } else {
                floor_f64(ln_f64(uniform_f64(&mut self.decisions)) / log_q)
            };
            if gap >= (n - pos) as f64 {
                break;
            }
            pos += gap as u64;
            let bit = (first + pos) as u32;
            let (byte, mask) = ((bit / 8) as usize, 1u8 << (bit % 8));
            let one = self.bits[byte] & mask != 0;
            if one == p.read_favours_parallel {
                let (delta, ic0_p_ap, ic0_ap_p) = self.switching(bit);
                let ic0 = if one { ic0_ap_p } else { ic0_p_ap };
                let pi = self.read_disturb_probability(delta, ic0, p.read_current, p.read_time);
                if uniform_f64(&mut self.decisions) * p_max <= pi {
                    self.bits[byte] ^= mask;
                    self.stats.read_disturbs += 1;
                }
            }
            pos += 1;
        }
    }

    /// Lets `dt` seconds pass at rest at the current temperature: every bit flips with its exact
    /// two-state probability (see the module docs); returns the number of flips.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] (key `mram.dt`) for a negative or non-finite `dt`.
    pub fn advance(&mut self, dt: f64) -> Result<u64, Error> {
        check_min("mram.dt", dt, 0.0, true, ">= 0 s")?;
        let p = self.params;
        let scale = p.t_ref / self.temperature;
        let flip_p = |delta_ref: f64| {
            let rate = exp_f64(-delta_ref * scale) / p.tau0;
            0.5 * one_minus_exp(2.0 * rate * dt)
        };
        let p_max = flip_p(p.delta * (1.0 - TRUNCATE_SD * p.sd_delta));
        if p_max <= 0.0 {
            return Ok(0);
        }
        let n = (BYTES * 8) as u64;
        let log_q = ln1p_f64(-p_max); // in [ln 1/2, 0): p_max <= 1/2 (two-state)
        let mut flips = 0u64;
        let mut pos = 0u64;
        loop {
            // the gap to the next candidate of a Bernoulli(p_max) process: Geometric(p_max)
            let gap = floor_f64(ln_f64(uniform_f64(&mut self.decisions)) / log_q);
            if gap >= (n - pos) as f64 {
                break;
            }
            pos += gap as u64;
            let bit = pos as u32;
            let pi = flip_p(self.switching(bit).0);
            if uniform_f64(&mut self.decisions) * p_max <= pi {
                self.bits[(bit / 8) as usize] ^= 1 << (bit % 8);
                flips += 1;
            }
            pos += 1;
            if pos >= n {
                break;
            }
        }
        self.stats.retention_flips += flips;
        Ok(flips)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quiet() -> CellParams {
        CellParams {
            sd_delta: 0.0,
            sd_ic0: 0.0,
            sd_r_p: 0.0,
            sd_tmr: 0.0,
            ..CellParams::default()
        }
    }

    #[test]
    fn nominal_writes_and_reads_back() {
        let p = CellParams::default();
        let mut a = MramArray::<256>::new(p, 1).unwrap();
        let data: [u8; 256] = core::array::from_fn(|k| (k * 37 + 11) as u8);
        assert_eq!(a.write(0, &data, Pulse::nominal(&p)).unwrap(), 0);
        let mut buf = [0u8; 256];
        let s = a.read(0, &mut buf).unwrap();
        assert_eq!(buf, data);
        // nominal margin (R_AP - R_P) / (2 R_ref) = 0.47; 2048 cells with 3 % and 5 % spreads
        // of R_P and TMR reach about 3.5 sd below it (the 6 sd tails overlap: exact sensing)
        assert!(a.worst_margin() < 0.0);
        assert!(s.margin > 0.15 && s.margin < 0.47, "margin {}", s.margin);
        // without variation no misread is possible and the margin is the nominal one
        let mut q = MramArray::<8>::new(quiet(), 1).unwrap();
        let s = q.read(0, &mut [0u8; 8]).unwrap();
        assert!((s.margin - 0.9 / 1.9).abs() < 1e-12, "{}", s.margin);
        assert_eq!(a.stats().write_errors, 0);
    }

    #[test]
    fn cells_are_reproducible_and_vary() {
        let a = MramArray::<8>::new(CellParams::default(), 3).unwrap();
        let b = MramArray::<8>::new(CellParams::default(), 3).unwrap();
        assert_eq!(a.cell(5), b.cell(5));
        assert_ne!(a.cell(5), a.cell(6));
        let q = MramArray::<8>::new(quiet(), 3).unwrap();
        assert_eq!(q.cell(9).delta, 60.0);
    }

    #[test]
    fn write_error_rate_limits() {
        let a = MramArray::<1>::new(quiet(), 0).unwrap();
        // no current: the thermal channel over 20 ns at Delta = 60 never switches
        assert!((a.write_error_rate(60.0, 0.0, 20e-9) - 1.0).abs() < 1e-15);
        // far above threshold: the precessional channel is certain
        assert!(a.write_error_rate(60.0, 3.0, 20e-9) < 1e-20);
        // monotone in current and width
        let w = |i, t| a.write_error_rate(60.0, i, t);
        assert!(w(1.5, 5e-9) < w(1.2, 5e-9) && w(1.5, 10e-9) < w(1.5, 5e-9));
        // precessional tail: log WER linear in t with slope -2 (i - 1) / tau_D (to O(WER))
        let (i, t1, t2) = (1.6, 8e-9, 10e-9);
        let slope = (libm::log(w(i, t2)) - libm::log(w(i, t1))) / (t2 - t1);
        let expect = -2.0 * (i - 1.0) / 0.7e-9;
        assert!((slope / expect - 1.0).abs() < 1e-4, "{slope} vs {expect}");
    }

    #[test]
    fn bad_input_is_refused_by_name() {
        let bad = CellParams {
            tmr: -1.0,
            ..CellParams::default()
        };
        assert!(matches!(
            MramArray::<4>::new(bad, 0),
            Err(Error::OutOfRange {
                param: "mram.tmr",
                ..
            })
        ));
        let mut a = MramArray::<4>::new(CellParams::default(), 0).unwrap();
        assert!(a.write(3, &[1, 2], Pulse::nominal(a.params())).is_err());
        assert!(a.read(usize::MAX, &mut [0]).is_err());
        let nan = Pulse {
            current: f64::NAN,
            width: 1e-9,
        };
        assert!(a.write(0, &[1], nan).is_err());
        assert_eq!(a.raw(), &[0; 4], "nothing written");
        assert!(a.advance(-1.0).is_err());
        assert!(a.set_temperature(0.0).is_err());
    }
}

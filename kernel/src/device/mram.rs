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
//!   is described by neither form (the rate jumps at `i = 1`, and just above it the
//!   precessional form falls to 0 where a real cell mostly fails): choose cells for the
//!   stochastic macrospin there ([`MramArray::set_macrospin_cells`]). A bit that already holds the written value is pushed further into its state and
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
//! **Scalars.** The array computes its rates in `S`: f64 by default, f32 on a Cortex-M4F
//! (hardware floating point). Decisions compare 53-bit uniforms with the rates widened to f64,
//! so probabilities as small as 1e-15 are resolved in either scalar, and the cells' normals are
//! drawn in f64 in both, so a seed gives the same cells in f32 as in f64. The f32 rates follow
//! the f64 ones to about 1e-6 relative; f32 flushes per-attempt rates below about 1e-38 (a
//! stability factor above about 87 at temperature) to zero, flips that would take over 1e20
//! years. On a core without an FPU (Cortex-M0) the costly part of a write, the per-bit rate,
//! is skipped for almost every bit: each switching bit's decision is first compared, as an
//! integer, with a threshold computed once per pulse and temperature that no cell's rate
//! reaches (see [`MramArray::write`]), so a nominal write costs a few integer operations per
//! bit; only the rare candidates (and sensing, when the variation allows misreads) evaluate
//! the physics. Fixed point is not used: the rates span 1e-30 to 1 and the stability factors
//! exceed the range of the kernel's fixed-point types.
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
use crate::random::{uniform_f64, uniform_f64_from_bits, Gaussian, Philox, Rng};
use crate::real::Float;

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

/// Cells whose writes are simulated with the stochastic macrospin instead of the closed form
/// (see [`MramArray::set_macrospin_cells`]): bits `first..first + count`.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct MacrospinCells {
    /// First bit simulated (key `mram.macrospin.first`).
    pub first: u32,
    /// Number of bits simulated from `first` (key `mram.macrospin.count`).
    pub count: u32,
    /// Gilbert damping (key `mram.macrospin.alpha`); with the parameters' `tau_d` it fixes
    /// the anisotropy field `mu0 H_K = (1 + alpha^2) / (alpha gamma tau_D)`.
    pub alpha: f64,
    /// Heun time step (s, key `mram.macrospin.dt`).
    pub dt: f64,
}

impl MacrospinCells {
    /// # Errors
    /// [`Error::OutOfRange`] naming the key of a bad value.
    fn check(&self, bits: u64) -> Result<(), Error> {
        check_range("mram.macrospin.alpha", self.alpha, 1e-4, 1.0, "[1e-4, 1]")?;
        check_range(
            "mram.macrospin.dt",
            self.dt,
            1e-16,
            1e-11,
            "[1e-16, 1e-11] s",
        )?;
        if u64::from(self.first) + u64::from(self.count) > bits {
            return Err(Error::OutOfRange {
                param: "mram.macrospin.count",
                value: f64::from(self.count),
                allowed: "first + count <= the array's bits",
            });
        }
        Ok(())
    }

    fn holds(&self, bit: u32) -> bool {
        bit >= self.first && bit - self.first < self.count
    }
}

/// An MRAM array of `BYTES` bytes computing in scalar `S` (f64 by default; f32 on a
/// Cortex-M4F): see the [module docs](self).
#[derive(Clone, Debug)]
pub struct MramArray<const BYTES: usize, S: Float = f64> {
    params: CellParams,
    /// `params` in the array's scalar.
    model: Model<S>,
    seed: u64,
    bits: [u8; BYTES],
    temperature: f64,
    /// `temperature` in the array's scalar.
    kelvin: S,
    decisions: Philox,
    stats: Stats,
    /// Cached per read: the worst sense margin ([`MramArray::worst_margin`]), and the largest
    /// read-disturb probability any cell has with its `ln(1 - p)` (recomputed when the
    /// temperature changes).
    read: ReadBounds<S>,
    /// Cached per write pulse and temperature: the integer thresholds of the write fast path
    /// (see [`MramArray::write`]).
    write: Option<(Pulse, [u64; 2])>,
    /// Cells written by the stochastic macrospin.
    macrospin: Option<MacrospinCells>,
}

/// [`CellParams`] in the array's scalar, converted once.
#[derive(Clone, Copy, Debug)]
struct Model<S> {
    delta: S,
    t_ref: S,
    tau0: S,
    ic0_p_ap: S,
    ic0_ap_p: S,
    tau_d: S,
    b: S,
    r_p: S,
    tmr: S,
    sd_delta: S,
    sd_ic0: S,
    sd_r_p: S,
    sd_tmr: S,
    read_current: S,
    read_time: S,
}

impl<S: Float> Model<S> {
    fn of(p: &CellParams) -> Self {
        let s = S::from_f64;
        Self {
            delta: s(p.delta),
            t_ref: s(p.t_ref),
            tau0: s(p.tau0),
            ic0_p_ap: s(p.ic0_p_ap),
            ic0_ap_p: s(p.ic0_ap_p),
            tau_d: s(p.tau_d),
            b: s(p.b),
            r_p: s(p.r_p),
            tmr: s(p.tmr),
            sd_delta: s(p.sd_delta),
            sd_ic0: s(p.sd_ic0),
            sd_r_p: s(p.sd_r_p),
            sd_tmr: s(p.sd_tmr),
            read_current: s(p.read_current),
            read_time: s(p.read_time),
        }
    }
}

/// What every read needs and only the parameters and the temperature change.
#[derive(Clone, Copy, Debug)]
struct ReadBounds<S> {
    worst_margin: S,
    p_max: S,
    log_q: S,
}

/// `-expm1(-x)`: `1 - exp(-x)` without cancellation.
#[inline]
fn one_minus_exp<S: Float>(x: S) -> S {
    -(-x).expm1()
}

/// `x` as the array's scalar.
#[inline(always)]
fn c<S: Float>(x: f64) -> S {
    S::from_f64(x)
}

/// `2^53`: the decision lattice's size (uniforms `(k + 1) 2^-53`, see [`crate::random`]).
const LATTICE: u64 = 1 << 53;

impl<const BYTES: usize, S: Float> MramArray<BYTES, S> {
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
            model: Model::of(&params),
            seed,
            bits: [0; BYTES],
            temperature: params.t_ref,
            kelvin: c(params.t_ref),
            decisions: Philox::new(seed, DECISIONS),
            stats: Stats::default(),
            read: ReadBounds {
                worst_margin: S::ZERO,
                p_max: S::ZERO,
                log_q: S::ZERO,
            },
            write: None,
            macrospin: None,
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
        self.kelvin = c(kelvin);
        self.read = self.read_bounds();
        self.write = None;
        Ok(())
    }

    /// Chooses cells whose writes the stochastic macrospin simulates (`None`: every cell by the
    /// closed form). A chosen cell that must switch is a perpendicular macrospin with its own
    /// stability factor at the array's temperature, started from the Boltzmann distribution
    /// about its old state (`theta^2` exponential with mean `1/Delta`), driven for the pulse
    /// width by a Slonczewski current at its own ratio `I / I_c0` with Brown's thermal field,
    /// integrated with Heun at `dt`; it fails if it ends on its old side of the equator. The
    /// noise comes from a Philox stream keyed by the bit's decision, so a session stays
    /// reproducible. This is the model for the crossover band `|i - 1| ~ 1/sqrt(Delta)` where
    /// neither closed form holds; it costs `width / dt` stochastic steps per switching bit.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for a damping outside [1e-4, 1], a step outside [1e-16, 1e-11] s
    /// or cells past the end of the array (nothing changed).
    pub fn set_macrospin_cells(&mut self, cells: Option<MacrospinCells>) -> Result<(), Error> {
        if let Some(m) = &cells {
            m.check((BYTES * 8) as u64)?;
            // the nominal cell's macrospin must compile (its scalar can hold the reduced values)
            self.macrospin_model(m.alpha, self.params.delta, 2.0)?;
        }
        self.macrospin = cells;
        Ok(())
    }

    /// The stochastic macrospin of a cell with stability factor `delta_ref` (at the reference
    /// temperature) driven at current ratio `i`: what [`MramArray::macrospin_trial`]
    /// integrates, and what [`MramArray::set_macrospin_cells`] compiles to check its inputs.
    fn macrospin_model(
        &self,
        alpha: f64,
        delta_ref: f64,
        i: f64,
    ) -> Result<crate::params::Macrospin<S>, Error> {
        use crate::drive::DriveSpec;
        use crate::params::{
            CurrentSpec, MacrospinSpec, Shape, SttSpec, ThermalSpec, UniaxialSpec,
        };
        use crate::units::{E_CHARGE, GAMMA_E, HBAR, KB};
        // any Ms and thickness: the dynamics depends on alpha, tau_D, Delta and i only
        const MS: f64 = 1e6;
        const THICKNESS: f64 = 1e-9;
        const POLARIZATION: f64 = 0.6;
        let ku = 0.5 * MS * (1.0 + alpha * alpha) / (alpha * GAMMA_E * self.params.tau_d);
        let kelvin = self.temperature;
        let delta = delta_ref * self.params.t_ref / kelvin;
        let mut spec = MacrospinSpec::new(MS, alpha, Shape::Volume(delta * KB * kelvin / ku));
        spec.uniaxial = Some(UniaxialSpec {
            ku,
            k2: 0.0,
            axis: [0.0, 0.0, 1.0],
        });
        spec.thermal = Some(ThermalSpec {
            temperature: DriveSpec::Constant(kelvin),
        });
        // critical density of the linearised macrospin: eps b = alpha h_K, eps = P / 2
        let jc0 = 2.0 * alpha * ku * E_CHARGE * THICKNESS / (HBAR * 0.5 * POLARIZATION);
        spec.stt = Some(SttSpec {
            polarizer: [0.0, 0.0, -1.0],
            polarization: POLARIZATION,
            lambda: 1.0,
            field_like: 0.0,
            current: CurrentSpec::Density(DriveSpec::Constant(i * jc0)),
            thickness: Some(THICKNESS),
        });
        spec.compile::<S>()
    }

    /// One stochastic-macrospin write of a cell with stability factor `delta_ref` (at the
    /// reference temperature) at current ratio `i` for `width` seconds; `true` if it failed.
    /// Never inlined: its spec and integrator (about 13 KB of stack) must not enter the frame
    /// of every write on a board that never simulates a cell.
    #[inline(never)]
    fn macrospin_trial(
        &self,
        cells: &MacrospinCells,
        delta_ref: f64,
        i: f64,
        width: f64,
        key: u64,
        bit: u32,
    ) -> Result<bool, Error> {
        use crate::integrate::Integrator;
        use crate::math::{ln_f64, sin_cos_f64, sqrt_f64};
        use crate::vec3::Vec3;
        let model = self.macrospin_model(cells.alpha, delta_ref, i)?;
        let delta = delta_ref * self.params.t_ref / self.temperature;
        let mut rng = Philox::new(key, u64::from(bit));
        let theta = sqrt_f64(-ln_f64(uniform_f64(&mut rng)) / delta);
        let phi = 2.0 * core::f64::consts::PI * uniform_f64(&mut rng);
        let ((st, ct), (sp, cp)) = (sin_cos_f64(theta), sin_cos_f64(phi));
        let m0 = Vec3::new(c::<S>(st * cp), c::<S>(st * sp), c::<S>(ct));
        let Some(thermal) = model.thermal else {
            return Err(Error::Inconsistent {
                what: "mram macrospin cell: no thermal field",
            });
        };
        let dt = model.units.time_to_reduced(cells.dt);
        let mut run = Integrator::thermal(
            model.llg,
            crate::stepper::Heun::new(),
            [m0],
            dt,
            thermal,
            rng,
        )?;
        run.advance_to(model.units.time_to_reduced(width))?;
        Ok(run.state()[0].z > S::ZERO)
    }

    /// Cell `bit`'s parameters (bit `8 a + k` is bit `k` of byte `a`, least significant first):
    /// drawn from Philox stream `bit` of the array's seed, identical on every call.
    pub fn cell(&self, bit: u32) -> Cell {
        let (delta, ic0_p_ap, ic0_ap_p) = self.switching(bit);
        let (r_p, tmr) = self.sensing(bit);
        Cell {
            delta: delta.to_f64(),
            ic0_p_ap: ic0_p_ap.to_f64(),
            ic0_ap_p: ic0_ap_p.to_f64(),
            r_p: r_p.to_f64(),
            tmr: tmr.to_f64(),
        }
    }

    /// Two truncated standard normals of stream `stream` (one Philox block, mostly), drawn in
    /// f64 whatever the scalar: a seed gives the same cells in f32 as in f64, up to rounding.
    #[inline]
    fn normals(&self, stream: u64) -> (S, S) {
        let mut rng = Philox::new(self.seed, stream);
        let mut z = || c::<S>(f64::std_normal(&mut rng).clamp(-TRUNCATE_SD, TRUNCATE_SD));
        (z(), z())
    }

    /// Cell `bit`'s switching parameters `(delta, ic0_p_ap, ic0_ap_p)` (stream `bit`).
    #[inline]
    fn switching(&self, bit: u32) -> (S, S, S) {
        let p = &self.model;
        let (zd, zi) = self.normals(u64::from(bit));
        let ic = S::ONE + p.sd_ic0 * zi;
        (
            p.delta * (S::ONE + p.sd_delta * zd),
            p.ic0_p_ap * ic,
            p.ic0_ap_p * ic,
        )
    }

    /// Cell `bit`'s resistance parameters `(r_p, tmr)` (stream `2^32 + bit`): what a read
    /// senses, drawn apart from the switching ones so that a read draws only these.
    #[inline]
    fn sensing(&self, bit: u32) -> (S, S) {
        let p = &self.model;
        let (zr, zt) = self.normals((1u64 << 32) | u64::from(bit));
        (
            p.r_p * (S::ONE + p.sd_r_p * zr),
            p.tmr * (S::ONE + p.sd_tmr * zt),
        )
    }

    /// The bounds every read uses, at the current temperature.
    fn read_bounds(&self) -> ReadBounds<S> {
        let p = &self.model;
        let k = c::<S>(TRUNCATE_SD);
        let ic0 = if self.params.read_favours_parallel {
            p.ic0_ap_p
        } else {
            p.ic0_p_ap
        };
        let p_max = self.disturb_probability(
            p.delta * (S::ONE - k * p.sd_delta),
            ic0 * (S::ONE - k * p.sd_ic0),
            p.read_current,
            p.read_time,
        );
        ReadBounds {
            worst_margin: self.worst(),
            p_max,
            log_q: (-p_max).ln1p(),
        }
    }

    /// The smallest sense margin any cell can have (variation at its truncation): when it is
    /// positive no cell is ever misread and a read need not draw the cells' resistances.
    pub fn worst_margin(&self) -> f64 {
        self.worst().to_f64()
    }

    fn worst(&self) -> S {
        let p = &self.model;
        let r_ref = p.r_p * (S::ONE + S::HALF * p.tmr);
        let k = c::<S>(TRUNCATE_SD);
        let p_high = p.r_p * (S::ONE + k * p.sd_r_p);
        let ap_low = p.r_p * (S::ONE - k * p.sd_r_p) * (S::ONE + p.tmr * (S::ONE - k * p.sd_tmr));
        ((r_ref - p_high) / r_ref).min((ap_low - r_ref) / r_ref)
    }

    /// The stability factor at the current temperature.
    #[inline]
    fn delta_now(&self, delta_ref: S) -> S {
        delta_ref * self.model.t_ref / self.kelvin
    }

    /// Exponent `Delta (1 - i)^b` of the barrier at current ratio `i` (0 above `i = 1`).
    #[inline]
    fn barrier(&self, delta: S, i: S) -> S {
        if i >= S::ONE {
            S::ZERO
        } else {
            delta * (S::ONE - i).powf(self.model.b)
        }
    }

    /// Probability that a cell needing to switch does not, for a pulse at current ratio `i`
    /// and width `t` (see the module docs).
    pub fn write_error_rate(&self, delta_ref: f64, i: f64, t: f64) -> f64 {
        self.wer(c(delta_ref), c(i), c(t)).to_f64()
    }

    fn wer(&self, delta_ref: S, i: S, t: S) -> S {
        let delta = self.delta_now(delta_ref);
        if i <= S::ONE {
            return (-(t / self.model.tau0) * (-self.barrier(delta, i)).exp()).exp();
        }
        // zero-temperature time from theta0 to the equator, exactly:
        // t / tau_D = ln(sqrt 2 / theta0) / (i - 1) + g(i) for small theta0
        let two = S::TWO;
        let g = c::<S>(core::f64::consts::LN_2) / (two * (i + S::ONE))
            + ((i - S::ONE) / i).ln() / (i * i - S::ONE);
        // the initial angle's spread, widened by the noise of the linear stage
        let delta_eff = delta * (i - S::ONE) / i;
        let x = -two * (i - S::ONE) * (t / self.model.tau_d - g);
        one_minus_exp(two * delta_eff * x.exp())
    }

    /// Probability that a read of `t_r` at current `i_r` flips a cell in the disfavoured state.
    pub fn read_disturb_probability(&self, delta_ref: f64, ic0: f64, i_r: f64, t_r: f64) -> f64 {
        self.disturb_probability(c(delta_ref), c(ic0), c(i_r), c(t_r))
            .to_f64()
    }

    fn disturb_probability(&self, delta_ref: S, ic0: S, i_r: S, t_r: S) -> S {
        let delta = self.delta_now(delta_ref);
        one_minus_exp((t_r / self.model.tau0) * (-self.barrier(delta, i_r / ic0)).exp())
    }

    /// The write fast path's thresholds for `pulse` (writing a 0, writing a 1): a decision
    /// `(k + 1) 2^-53` above `T 2^-53` succeeds without the cell's parameters being drawn,
    /// because no cell's write error rate reaches `(T + 1) 2^-53`, the next decision up. The bound: with every current
    /// ratio `i >= i_lo > 1` (critical currents at their truncation), the precessional rate
    /// is `1 - exp(-2 Delta h(i) exp(-2 (i - 1) t / tau_D))` with
    /// `h(i) = ((i - 1)/i)^(1 + 2/(i + 1)) 2^((i - 1)/(i + 1))` increasing to 2, so
    /// `WER <= 1 - exp(-4 Delta_max exp(-2 (i_lo - 1) t / tau_D))` (inflated by 1e-3 against
    /// rounding). With a cell at or below threshold there is no fast path (`T = 2^53`).
    fn write_thresholds(&self, pulse: Pulse) -> [u64; 2] {
        let p = &self.model;
        let k = c::<S>(TRUNCATE_SD);
        let delta_max = self.delta_now(p.delta * (S::ONE + p.sd_delta * k));
        let (current, width) = (c::<S>(pulse.current), c::<S>(pulse.width));
        [p.ic0_ap_p, p.ic0_p_ap].map(|ic0| {
            let i_lo = current / (ic0 * (S::ONE + p.sd_ic0 * k));
            if i_lo <= S::ONE {
                return LATTICE;
            }
            let x =
                c::<S>(4.004) * delta_max * (-S::TWO * (i_lo - S::ONE) * (width / p.tau_d)).exp();
            let bound = one_minus_exp(x).to_f64();
            if bound >= 1.0 {
                LATTICE
            } else {
                // exact: scaling by 2^53 rounds nothing, and `as` truncates (floors) it
                (bound * LATTICE as f64) as u64
            }
        })
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
    /// Each bit that must switch takes one uniform `u` of the decision stream and fails if
    /// `u <= WER` of its cell. The comparison starts with an integer one against a threshold
    /// computed once per pulse and temperature that no cell's rate exceeds: above it the bit
    /// switches without its cell being drawn or a transcendental evaluated (every switch of a
    /// nominal write on a Cortex-M0, which has no FPU); the decisions are the same as with the
    /// rate of every cell evaluated.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for a span outside the array or a bad pulse (nothing written). A
    /// simulated cell ([`MramArray::set_macrospin_cells`]) whose integration fails (a step too
    /// large for its dynamics) ends the write there with the integrator's error; the bits
    /// decided before it stay written.
    pub fn write(&mut self, addr: usize, data: &[u8], pulse: Pulse) -> Result<u32, Error> {
        self.check_span(addr, data.len())?;
        pulse.check()?;
        let thresholds = match self.write {
            Some((cached, t)) if cached == pulse => t,
            _ => {
                let t = self.write_thresholds(pulse);
                self.write = Some((pulse, t));
                t
            }
        };
        let (current, width) = (c::<S>(pulse.current), c::<S>(pulse.width));
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
                let to_one = byte & (1 << j) != 0;
                let draw = self.decisions.next_u64();
                let bit = (a * 8 + j) as u32;
                if let Some(cells) = self.macrospin.filter(|m| m.holds(bit)) {
                    let (delta, ic0_p_ap, ic0_ap_p) = self.switching(bit);
                    let ic0 = if to_one { ic0_p_ap } else { ic0_ap_p };
                    let i = (current / ic0).to_f64();
                    match self.macrospin_trial(&cells, delta.to_f64(), i, pulse.width, draw, bit) {
                        Ok(true) => failed += 1,
                        Ok(false) => new ^= 1 << j,
                        Err(e) => {
                            // the bytes before and the bits decided so far stay written
                            self.bits[a] = new;
                            self.stats.write_errors += u64::from(failed);
                            return Err(e);
                        }
                    }
                    continue;
                }
                if (draw >> 11) + 1 > thresholds[usize::from(to_one)] {
                    new ^= 1 << j;
                    continue;
                }
                let (delta, ic0_p_ap, ic0_ap_p) = self.switching(bit);
                let ic0 = if to_one { ic0_p_ap } else { ic0_ap_p };
                let wer = self.wer(delta, current / ic0, width);
                if uniform_f64_from_bits(draw) <= wer.to_f64() {
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
        let p = self.model;
        let worst = self.read.worst_margin;
        let mut margin = c::<S>(f64::INFINITY);
        if worst > S::ZERO {
            buf.copy_from_slice(&self.bits[addr..addr + buf.len()]);
            margin = worst;
        } else {
            let r_ref = p.r_p * (S::ONE + S::HALF * p.tmr);
            for (k, out) in buf.iter_mut().enumerate() {
                let a = addr + k;
                let stored = self.bits[a];
                let mut sensed = 0u8;
                for j in 0..8 {
                    let one = stored & (1 << j) != 0;
                    let (r_p, tmr) = self.sensing((a * 8 + j) as u32);
                    let r = if one { r_p * (S::ONE + tmr) } else { r_p };
                    let m = (r - r_ref) / r_ref;
                    let correct = if one { m } else { -m };
                    margin = margin.min(correct);
                    if m > S::ZERO {
                        sensed |= 1 << j;
                    }
                    if correct <= S::ZERO {
                        self.stats.misreads += 1;
                    }
                }
                *out = sensed;
            }
        }
        self.stats.bits_read += 8 * buf.len() as u64;
        if self.params.read_current > 0.0 && self.params.read_time > 0.0 {
            self.disturb(addr, buf.len());
        }
        Ok(Sense {
            margin: margin.to_f64(),
        })
    }

    /// The gap to the next candidate of a Bernoulli process of probability `p_max`
    /// (`log_q = ln(1 - p_max)`): Geometric(`p_max`), as a float.
    #[inline]
    fn gap(&mut self, log_q: S) -> f64 {
        (c::<S>(uniform_f64(&mut self.decisions)).ln() / log_q)
            .floor()
            .to_f64()
    }

    /// Whether a candidate drawn at `p_max` is kept with its own probability `pi`.
    #[inline]
    fn keep(&mut self, p_max: S, pi: S) -> bool {
        c::<S>(uniform_f64(&mut self.decisions)) * p_max <= pi
    }

    /// The read disturb of the bytes `addr..addr + len`: candidates at the largest probability
    /// any cell can have (geometric gaps), each kept with its own probability over the largest.
    fn disturb(&mut self, addr: usize, len: usize) {
        let p = self.model;
        let favours_parallel = self.params.read_favours_parallel;
        let ReadBounds { p_max, log_q, .. } = self.read;
        if p_max <= S::ZERO {
            return;
        }
        let first = (addr * 8) as u64;
        let n = (len * 8) as u64;
        let mut pos = 0u64;
        while pos < n {
            let gap = if p_max >= S::ONE {
                0.0
            } else {
                self.gap(log_q)
            };
            if gap >= (n - pos) as f64 {
                break;
            }
            pos += gap as u64;
            let bit = (first + pos) as u32;
            let (byte, mask) = ((bit / 8) as usize, 1u8 << (bit % 8));
            let one = self.bits[byte] & mask != 0;
            if one == favours_parallel {
                let (delta, ic0_p_ap, ic0_ap_p) = self.switching(bit);
                let ic0 = if one { ic0_ap_p } else { ic0_p_ap };
                let pi = self.disturb_probability(delta, ic0, p.read_current, p.read_time);
                if self.keep(p_max, pi) {
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
        let p = self.model;
        let scale = p.t_ref / self.kelvin;
        let dt = c::<S>(dt);
        let flip_p = |delta_ref: S| {
            let rate = (-delta_ref * scale).exp() / p.tau0;
            S::HALF * one_minus_exp(S::TWO * rate * dt)
        };
        let p_max = flip_p(p.delta * (S::ONE - c::<S>(TRUNCATE_SD) * p.sd_delta));
        if p_max <= S::ZERO {
            return Ok(0);
        }
        let n = (BYTES * 8) as u64;
        let log_q = (-p_max).ln1p(); // in [ln 1/2, 0): p_max <= 1/2 (two-state)
        let mut flips = 0u64;
        let mut pos = 0u64;
        loop {
            let gap = self.gap(log_q);
            if gap >= (n - pos) as f64 {
                break;
            }
            pos += gap as u64;
            let bit = pos as u32;
            let pi = flip_p(self.switching(bit).0);
            if self.keep(p_max, pi) {
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

    /// Pulses from below threshold to far above, for the nominal cell's larger critical current.
    fn pulses() -> [Pulse; 6] {
        let ic = CellParams::default().ic0_p_ap;
        [
            (0.8, 20e-9),
            (1.05, 5e-9),
            (1.3, 3e-9),
            (1.6, 5e-9),
            (2.0, 20e-9),
            (40.0, 1e-9),
        ]
        .map(|(r, width)| Pulse {
            current: r * ic,
            width,
        })
    }

    /// The write fast path decides exactly as evaluating every cell's rate, in f32 and f64.
    fn fast_path_is_exact<S: Float>() {
        let p = CellParams {
            sd_delta: 0.15,
            sd_ic0: 0.15,
            ..CellParams::default()
        };
        for (n, pulse) in pulses().into_iter().enumerate() {
            let mut fast = MramArray::<512, S>::new(p, 5 + n as u64).unwrap();
            let mut slow = fast.clone();
            let mut rng = Philox::new(99, n as u64);
            for round in 0..6 {
                let mut data = [0u8; 512];
                rng.fill_bytes(&mut data);
                slow.write = Some((pulse, [LATTICE; 2]));
                let f = fast.write(0, &data, pulse).unwrap();
                assert_eq!(
                    f,
                    slow.write(0, &data, pulse).unwrap(),
                    "pulse {n} round {round}"
                );
                assert_eq!(fast.raw(), slow.raw());
            }
            assert_eq!(fast.stats(), slow.stats());
            // and the thresholds bound every cell's rate below the next decision
            let t = fast.write_thresholds(pulse);
            for bit in 0..4096 {
                let (delta, ic0_p_ap, ic0_ap_p) = fast.switching(bit);
                for (ic0, t) in [(ic0_ap_p, t[0]), (ic0_p_ap, t[1])] {
                    let i = S::from_f64(pulse.current) / ic0;
                    let wer = fast.wer(delta, i, S::from_f64(pulse.width)).to_f64();
                    assert!(
                        wer < (t + 1) as f64 / LATTICE as f64,
                        "pulse {n} bit {bit}: {wer}"
                    );
                }
            }
        }
    }

    #[test]
    fn write_fast_path_is_exact() {
        fast_path_is_exact::<f64>();
        fast_path_is_exact::<f32>();
        // without variation the bound is the nominal cell's rate with h(i) raised to 2: tight
        // far above threshold, where h(i) -> 2
        let q = MramArray::<1, f64>::new(quiet(), 0).unwrap();
        for (r, width, tight) in [(10.0, 0.8e-9, 0.75), (3.0, 3e-9, 0.35)] {
            let pulse = Pulse {
                current: r * q.params.ic0_p_ap,
                width,
            };
            let bound = q.write_thresholds(pulse)[1] as f64 / LATTICE as f64;
            let wer = q.write_error_rate(60.0, r, width);
            assert!(
                wer < bound && wer > tight * bound,
                "i {r}: {wer:e} vs {bound:e}"
            );
        }
        // a nominal pulse needs no cell at all: its thresholds leave < 1e-9 to the slow path
        let p = CellParams::default();
        let a = MramArray::<1, f32>::new(p, 0).unwrap();
        let t = a.write_thresholds(Pulse::nominal(&p));
        assert!(
            t.iter().all(|&t| (t as f64) < 1e-9 * LATTICE as f64),
            "{t:?}"
        );
    }

    #[test]
    fn f32_rates_follow_f64() {
        let a = MramArray::<1, f64>::new(quiet(), 0).unwrap();
        let b = MramArray::<1, f32>::new(quiet(), 0).unwrap();
        for (i, t) in [
            (0.5, 20e-9),
            (0.9, 5e-9),
            (1.5, 5e-9),
            (2.0, 10e-9),
            (3.0, 5e-9),
        ] {
            let (x, y) = (
                a.write_error_rate(60.0, i, t),
                b.write_error_rate(60.0, i, t),
            );
            assert!((y / x - 1.0).abs() < 1e-4, "i {i}: f64 {x:e}, f32 {y:e}");
        }
        let (x, y) = (
            a.read_disturb_probability(60.0, 45e-6, 10e-6, 10e-9),
            b.read_disturb_probability(60.0, 45e-6, 10e-6, 10e-9),
        );
        assert!((y / x - 1.0).abs() < 1e-4, "{x:e} {y:e}");
        // the same seed gives the same cells (normals drawn in f64)
        let (c64, c32) = (
            MramArray::<8, f64>::new(CellParams::default(), 4)
                .unwrap()
                .cell(17),
            MramArray::<8, f32>::new(CellParams::default(), 4)
                .unwrap()
                .cell(17),
        );
        assert!(
            (c32.delta / c64.delta - 1.0).abs() < 1e-6 && (c32.r_p / c64.r_p - 1.0).abs() < 1e-6
        );
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
        let cells = MacrospinCells {
            first: 0,
            count: 32,
            alpha: 0.02,
            dt: 1e-12,
        };
        assert!(a.set_macrospin_cells(Some(cells)).is_ok());
        for (bad, key) in [
            (
                MacrospinCells {
                    alpha: 0.0,
                    ..cells
                },
                "mram.macrospin.alpha",
            ),
            (MacrospinCells { dt: 1e-9, ..cells }, "mram.macrospin.dt"),
            (MacrospinCells { first: 1, ..cells }, "mram.macrospin.count"),
            (
                MacrospinCells {
                    count: u32::MAX,
                    first: u32::MAX,
                    ..cells
                },
                "mram.macrospin.count",
            ),
        ] {
            match a.set_macrospin_cells(Some(bad)) {
                Err(Error::OutOfRange { param, .. }) => assert_eq!(param, key),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }
}

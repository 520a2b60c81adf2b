//! Exact rare-event statistics of an axially symmetric macrospin: the Fokker-Planck equation for
//! the density of its polar angle, solved by finite volumes, so that write-error rates of
//! 1e-12 and below come out of one deterministic solve instead of 1e12 stochastic trials.
//!
//! # The equation
//!
//! For a magnet axially symmetric about z (uniaxial axis, applied field and spin polariser
//! along z, demag factors `Nx = Ny`) the density `rho(theta, t)` of `m` on the unit sphere does
//! not depend on the azimuth, and Brown's Fokker-Planck equation (W. F. Brown, Phys. Rev. 130,
//! 1677 (1963), eq. 4.4) reduces to one dimension:
//!
//! `d rho/dt = -(1/sin theta) d/d theta [ sin theta J ]`, `J = v(theta, t) rho - D_s d rho/d theta`,
//!
//! with the deterministic polar velocity `v = d theta/dt` of the LLG equation including the
//! damping-like spin-transfer torque (Butler et al., IEEE Trans. Magn. 48, 4684 (2012), eq. 5;
//! Tzoufras, AIP Advances 8, 056002 (2018), eq. 3), and the diffusion constant
//! `D_s = D / (1 + alpha^2)`, where `D = alpha kB T / (mu0 Ms^2 V)` is the reduced strength of
//! Brown's thermal field ([`crate::thermal`]). Precession and the field-like torque move `m`
//! in azimuth only and drop out. Without current the stationary density is Boltzmann's
//! `exp(-(alpha / D) e(theta))` (with `e` the reduced energy density), as it must.
//!
//! The velocity is not re-derived: it is read from the kernel's own compiled LLG right-hand
//! side ([`Llg`] with the scenario's terms and torques), `v = -(dm_z/dt) / sin theta` at
//! `m = (sin theta, 0, cos theta)`, so the drift is exactly the physics (and the reduced
//! parameters) the stochastic trials integrate.
//!
//! # The discretisation
//!
//! - `N` uniform cells in `theta in [0, pi]` (N even: the equator is a cell face); the unknowns
//!   are the cell probabilities `P_i` (sum 1), the density `rho_i = P_i / a_i` with the exact
//!   cell area `a_i = cos theta_i - cos theta_{i+1}` (per `2 pi`). No boundary condition is
//!   needed: `sin theta` closes the faces at the poles.
//! - Scharfetter-Gummel (exponentially fitted) face fluxes (D. L. Scharfetter and H. K. Gummel,
//!   IEEE Trans. Electron Devices 16, 64 (1969), eq. 14):
//!   `F = sin theta_f (D_s / dtheta) [B(-u) rho_i - B(u) rho_{i+1}]`, `B(x) = x / (e^x - 1)`,
//!   `u = v dtheta / D_s`: upwind for a strong drift, central for a weak one, second order in
//!   `dtheta` and stable for any stability factor.
//! - Backward Euler in time (first order, L-stable), its coefficients taken at the middle of
//!   each step and steps aligned with the kinks of every waveform (a rectangular pulse is then
//!   integrated without an edge error). The tridiagonal system is an M-matrix with unit column
//!   sums; it is solved by a subtraction-free Thomas elimination (the pivots are accumulated
//!   from positive terms, as in the Grassmann-Taksar-Heyman algorithm, W. K. Grassmann et al.,
//!   Oper. Res. 33, 1107 (1985)), so probability is conserved to rounding and tiny
//!   probabilities keep their relative accuracy: a write-error rate of 1e-15 has all its digits.
//!   The factorisation is reused while the coefficients do not change (a flat pulse top).
//!
//! Storage is a caller-provided slice of [`work_len`]`(N) = 6 N + 1` f64 (no allocation). The
//! solver is f64 only: densities span hundreds of decades and the fluxes take exponentials of
//! Péclet numbers, which neither f32 nor fixed point can hold.
//!
//! ```
//! use larmor::drive::DriveSpec;
//! use larmor::fokker_planck::{work_len, FokkerPlanck, Initial};
//! use larmor::params::{MacrospinSpec, Shape, ThermalSpec, UniaxialSpec};
//! // Delta = 10, no current: the probability to have left the +z well grows at Brown's rate
//! let mut spec = MacrospinSpec::new(1e6, 0.5, Shape::Volume(1e-25));
//! spec.uniaxial = Some(UniaxialSpec { ku: 5e5, k2: 0.0, axis: [0.0, 0.0, 1.0] });
//! let t = 5e5 * 1e-25 / (10.0 * larmor::units::KB);
//! spec.thermal = Some(ThermalSpec { temperature: DriveSpec::Constant(t) });
//! let mut fp = FokkerPlanck::new(&spec.validate().unwrap(), 200).unwrap();
//! let mut work = vec![0.0; work_len(200)];
//! fp.start(Initial::Boltzmann, &mut work).unwrap();
//! fp.advance(&mut work, 0.0, 10.0, 0.1).unwrap();
//! let left = 1.0 - fp.initial_hemisphere(&work);
//! assert!(left > 0.0 && left < 1e-3);
//! ```

use crate::drive::DriveSpec;
use crate::error::{check_min, Error};
use crate::llg::{Dynamics, Llg};
use crate::math;
use crate::params::{CurrentSpec, MacrospinTerms, MacrospinTorques, Validated};
use crate::thermal::Thermal;
use crate::torque::Current;
use crate::vec3::Vec3;

/// Most waveform kinks (pulse corners, ramp ends, breakpoints) the time grid is aligned with.
pub const KINKS: usize = 64;

/// Fewest cells of a grid.
pub const MIN_CELLS: usize = 4;
/// Most cells of a grid.
pub const MAX_CELLS: usize = 1 << 24;
/// Most backward-Euler steps one [`FokkerPlanck::advance`] takes.
pub const MAX_STEPS: f64 = 1e9;

/// Length of the work slice of an `n`-cell solve: `6 n + 1` (the cell probabilities, the
/// face sines, the inverse cell areas and the three diagonals of the factored system).
pub const fn work_len(n: usize) -> usize {
    6 * n + 1
}

/// The initial density.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Initial {
    /// All probability in the cell at the start pole (a delta at `m0`'s pole).
    Pole,
    /// Boltzmann's density `exp(-(alpha / D) e(theta))` of the energy at the start time,
    /// restricted to the start hemisphere (a cell at thermal equilibrium in its well).
    Boltzmann,
}

/// The polar-angle Fokker-Planck solver of one magnet (see the [module](self) docs).
#[derive(Clone, Debug)]
pub struct FokkerPlanck {
    /// The compiled LLG (terms and torques) whose drift is used, its waveforms rebased to the
    /// time of each step.
    llg: Llg<f64, MacrospinTerms<f64>, MacrospinTorques<f64>>,
    /// Brown's thermal field: `D = d_per_kelvin T(t)`.
    thermal: Thermal<f64, 1>,
    /// `1 / (1 + alpha^2)`: `D_s = D / (1 + alpha^2)`.
    pre: f64,
    /// The start pole is +z (else -z).
    start_up: bool,
    /// Number of cells.
    n: usize,
    /// Reduced times of the waveforms' kinks, sorted.
    kinks: heapless::Vec<f64, KINKS>,
    /// The drive values and step of the factored system in the work slice, if any.
    factored: Option<[f64; 4]>,
}

impl FokkerPlanck {
    /// The solver of a validated magnet on `cells` cells.
    ///
    /// # Errors
    /// [`Error::NotAxial`] naming the key that breaks the axial symmetry (a uniaxial axis off
    /// z, a transverse applied or driven field, a polariser off z, unequal demag factors
    /// `Nx != Ny`, cubic anisotropy, `[sot]`); [`Error::Inconsistent`] for `[inertia]` or no
    /// `[thermal]`; [`Error::OutOfRange`] for `cells` (`fokker_planck.cells`: even, 4 to 2^24),
    /// a temperature that is not > 0 K at all times, `magnet.alpha = 0` or a start direction
    /// `magnet.m0` on the equator.
    pub fn new(valid: &Validated, cells: usize) -> Result<Self, Error> {
        let spec = valid.spec();
        if !(MIN_CELLS..=MAX_CELLS).contains(&cells) || cells % 2 != 0 {
            return Err(Error::OutOfRange {
                param: "fokker_planck.cells",
                value: cells as f64,
                allowed: "an even number of cells from 4 to 2^24",
            });
        }
        check_axial(valid)?;
        if spec.inertia.is_some() {
            return Err(Error::Inconsistent {
                what: "[inertia]: the Fokker-Planck solver covers the plain LLG equation only",
            });
        }
        let Some(th) = &spec.thermal else {
            return Err(Error::Inconsistent {
                what: "the Fokker-Planck solver needs [thermal] (a temperature > 0 K)",
            });
        };
        check_min(
            "thermal.temperature",
            th.temperature.range().0,
            0.0,
            false,
            "> 0 K at all times (the Fokker-Planck solver needs diffusion)",
        )?;
        check_min(
            "magnet.alpha",
            spec.alpha,
            0.0,
            false,
            "> 0 for the Fokker-Planck solver (no damping: no thermal coupling)",
        )?;
        let mz = spec.m0[2];
        if mz == 0.0 {
            return Err(Error::OutOfRange {
                param: "magnet.m0",
                value: mz,
                allowed: "a z component != 0 (its sign is the start pole)",
            });
        }
        let model = valid.compile::<f64>()?;
        let Some(thermal) = model.thermal else {
            return Err(Error::Inconsistent {
                what: "the Fokker-Planck solver needs [thermal] (a temperature > 0 K)",
            });
        };
        let units = valid.units();
        let mut kinks = heapless::Vec::new();
        let mut add = |d: &DriveSpec| {
            drive_kinks(d, &mut |t| {
                let _ = kinks.push(units.time_to_reduced(t));
            })
        };
        for d in &spec.drives {
            add(&d.waveform);
        }
        if let Some(stt) = &spec.stt {
            match &stt.current {
                CurrentSpec::Density(d) => add(d),
                CurrentSpec::Voltage { volts, .. } => add(volts),
            }
        }
        add(&th.temperature);
        kinks.sort_unstable_by(f64::total_cmp);
        let alpha = spec.alpha;
        Ok(Self {
            llg: model.llg,
            thermal,
            pre: 1.0 / (1.0 + alpha * alpha),
            start_up: mz > 0.0,
            n: cells,
            kinks,
            factored: None,
        })
    }

    /// Number of cells.
    pub fn cells(&self) -> usize {
        self.n
    }

    /// `true` if the start pole (the sign of `m0`'s z component) is +z.
    pub fn starts_up(&self) -> bool {
        self.start_up
    }

    /// Checks the work slice's length.
    fn check_work(&self, work: &[f64]) -> Result<(), Error> {
        if work.len() == work_len(self.n) {
            Ok(())
        } else {
            Err(Error::OutOfRange {
                param: "fokker_planck.work",
                value: work.len() as f64,
                allowed: "a work slice of length 6 * cells + 1 (fokker_planck::work_len)",
            })
        }
    }

    /// Fills the geometry of the work slice and the initial density at reduced time 0.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for a work slice whose length is not [`work_len`]`(cells)`.
    pub fn start(&mut self, initial: Initial, work: &mut [f64]) -> Result<(), Error> {
        self.check_work(work)?;
        let n = self.n;
        let h = core::f64::consts::PI / n as f64;
        let (p, rest) = work.split_at_mut(n);
        let (sin_f, rest) = rest.split_at_mut(n + 1);
        let inv_area = &mut rest[..n];
        for (f, s) in sin_f.iter_mut().enumerate() {
            *s = math::sin_f64(f as f64 * h);
        }
        sin_f[0] = 0.0;
        sin_f[n] = 0.0;
        let half = math::sin_f64(0.5 * h);
        for (i, ia) in inv_area.iter_mut().enumerate() {
            // cos a - cos b = 2 sin((a + b)/2) sin((b - a)/2): no cancellation at the poles
            *ia = 1.0 / (2.0 * math::sin_f64((i as f64 + 0.5) * h) * half);
        }
        self.factored = None;
        match initial {
            Initial::Pole => {
                p.fill(0.0);
                let at = if self.start_up { 0 } else { n - 1 };
                p[at] = 1.0;
            }
            Initial::Boltzmann => self.boltzmann(0.0, true, p),
        }
        Ok(())
    }

    /// Boltzmann's cell probabilities `exp(-(alpha / D) e)` at reduced time `t` (Simpson's rule
    /// in each cell), in the start hemisphere only when `hemisphere`, normalised to 1.
    fn boltzmann(&mut self, t: f64, hemisphere: bool, p: &mut [f64]) {
        let n = self.n;
        let h = core::f64::consts::PI / n as f64;
        self.llg.rebase(t);
        self.thermal.temperature.rebase(t);
        let beta = 1.0 / (self.thermal.d_per_kelvin * self.thermal.temperature.value(0.0))
            * self.llg.alpha();
        let energy = |theta: f64| {
            let (s, c) = math::sin_cos_f64(theta);
            self.llg.energy(0.0, &[Vec3::new(s, 0.0, c)])
        };
        let keep = |i: usize| !hemisphere || ((i < n / 2) == self.start_up);
        // the lowest energy sampled, so that no exponential overflows
        let mut e_min = f64::INFINITY;
        for k in 0..=2 * n {
            if keep((k / 2).min(n - 1)) {
                e_min = e_min.min(energy(0.5 * k as f64 * h));
            }
        }
        let mut sum = 0.0;
        for (i, pi) in p.iter_mut().enumerate() {
            *pi = 0.0;
            if keep(i) {
                let w = |theta: f64| {
                    math::exp_f64(-beta * (energy(theta) - e_min)) * math::sin_f64(theta)
                };
                let a = i as f64 * h;
                *pi = h / 6.0 * (w(a) + 4.0 * w(a + 0.5 * h) + w(a + h));
                sum += *pi;
            }
        }
        for pi in p.iter_mut() {
            *pi /= sum;
        }
    }

    /// The cell probabilities `P_i` (cell `i` spans `theta` from `i pi / N` to
    /// `(i + 1) pi / N`, measured from +z), summing to 1.
    pub fn distribution<'w>(&self, work: &'w [f64]) -> &'w [f64] {
        &work[..self.n.min(work.len())]
    }

    /// Probability in the start hemisphere (the write-error rate after a write pulse).
    pub fn initial_hemisphere(&self, work: &[f64]) -> f64 {
        let p = self.distribution(work);
        let half = self.n / 2;
        let side = if self.start_up {
            &p[..half.min(p.len())]
        } else {
            &p[half.min(p.len())..]
        };
        side.iter().sum()
    }

    /// Advances the density from reduced time `t_from` to `t_to` in backward-Euler steps of
    /// at most `dt` (each stretch between two waveform kinks in equal steps). `work` must be
    /// the slice last given to [`FokkerPlanck::start`]: it holds the factored system, which is
    /// reused while the drive values and the step stay the same.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for a work slice of the wrong length (`fokker_planck.work`), a
    /// `dt` that is not > 0 or asks for more than 1e9 steps (`fokker_planck.dt`), an end
    /// before the start (`fokker_planck.t_end`); [`Error::NonFiniteState`] if the density does
    /// not stay finite (it cannot for finite parameters).
    pub fn advance(
        &mut self,
        work: &mut [f64],
        t_from: f64,
        t_to: f64,
        dt: f64,
    ) -> Result<(), Error> {
        self.check_work(work)?;
        check_min("fokker_planck.t_start", t_from, 0.0, true, ">= 0 (reduced)")?;
        check_min(
            "fokker_planck.t_end",
            t_to,
            t_from,
            true,
            ">= the start time",
        )?;
        check_min("fokker_planck.dt", dt, 0.0, false, "> 0 (reduced)")?;
        if (t_to - t_from) / dt > MAX_STEPS {
            return Err(Error::OutOfRange {
                param: "fokker_planck.dt",
                value: dt,
                allowed: "a step giving at most 1e9 steps over the span",
            });
        }
        let mut a = t_from;
        let mut k = 0;
        while a < t_to {
            while k < self.kinks.len() && self.kinks[k] <= a {
                k += 1;
            }
            let b = match self.kinks.get(k) {
                Some(&kink) if kink < t_to => kink,
                _ => t_to,
            };
            let steps = math::ceil_f64((b - a) / dt).max(1.0);
            let h = (b - a) / steps;
            let steps = steps as u64;
            for s in 0..steps {
                self.step(work, a + (s as f64 + 0.5) * h, h);
            }
            a = b;
        }
        if work[..self.n].iter().all(|p| p.is_finite()) {
            Ok(())
        } else {
            Err(Error::NonFiniteState { t: t_to })
        }
    }

    /// The drive values that the coefficients depend on at local time 0, with the step.
    fn signature(&self, h: f64) -> [f64; 4] {
        let hz = self.llg.terms.0.field_at(0.0).z;
        let current = match &self.llg.torque.0 {
            Some(stt) => match &stt.current {
                Current::Density(d) => d.value(0.0),
                Current::Voltage { volts, .. } => volts.value(0.0),
            },
            None => 0.0,
        };
        [hz, current, self.thermal.temperature.value(0.0), h]
    }

    /// One backward-Euler step of length `h` with the coefficients at reduced time `t_mid`.
    fn step(&mut self, work: &mut [f64], t_mid: f64, h: f64) {
        self.llg.rebase(t_mid);
        self.thermal.temperature.rebase(t_mid);
        let sig = self.signature(h);
        if self.factored != Some(sig) {
            self.factor(work, h);
            self.factored = Some(sig);
        }
        let n = self.n;
        let (p, rest) = work.split_at_mut(n);
        let (_, rest) = rest.split_at_mut(2 * n + 1);
        let (lo, rest) = rest.split_at_mut(n);
        let (piv, up) = rest.split_at_mut(n);
        // forward: y_i = (P_i + lo_i y_{i-1}) / m_i; back: x_i = y_i + up_i x_{i+1}
        // (`piv` holds 1 / m_i: no division on the chain)
        let mut y = 0.0;
        for i in 0..n {
            y = (p[i] + lo[i] * y) * piv[i];
            p[i] = y;
        }
        for i in (0..n - 1).rev() {
            p[i] += up[i] * p[i + 1];
        }
    }

    /// Builds and factors `I - h A` at the current (rebased) coefficients: `lo_i` the rate
    /// from cell `i - 1` into `i`, `piv_i` the inverse pivot, `up_i` the rate from `i + 1` into `i`
    /// over the pivot, all >= 0 (the elimination subtracts nothing).
    fn factor(&self, work: &mut [f64], h: f64) {
        let n = self.n;
        let dth = core::f64::consts::PI / n as f64;
        let (_, rest) = work.split_at_mut(n);
        let (sin_f, rest) = rest.split_at_mut(n + 1);
        let (inv_area, rest) = rest.split_at_mut(n);
        let (lo, rest) = rest.split_at_mut(n);
        let (piv, up) = rest.split_at_mut(n);
        let d_s = self.thermal.d_per_kelvin * self.thermal.temperature.value(0.0) * self.pre;
        // face f between cells f - 1 and f: (forward, backward) flux weights
        // g B(-u), g B(u) with g = sin(theta_f) D_s / dtheta
        let face = |f: usize| -> (f64, f64) {
            if f == 0 || f == n {
                return (0.0, 0.0);
            }
            let theta = f as f64 * dth;
            let (s, c) = math::sin_cos_f64(theta);
            let mut dm = [Vec3::ZERO];
            self.llg.rhs(0.0, &[Vec3::new(s, 0.0, c)], &mut dm);
            let v = -dm[0].z / s;
            let u = v * dth / d_s;
            let g = sin_f[f] * d_s / dth;
            (g * bernoulli(-u), g * bernoulli(u))
        };
        // column j: out_fwd_j = h wp_{j+1} / a_j (to j + 1), out_bwd_j = h wm_j / a_j (to j - 1)
        let mut left = face(0);
        let mut s_prev = 0.0; // s_{j-1}
        let mut m_prev = 1.0; // m_{j-1}
        let mut out_fwd_prev = 0.0;
        for j in 0..n {
            let right = face(j + 1);
            let out_fwd = h * right.0 * inv_area[j];
            let out_bwd = h * left.1 * inv_area[j];
            // s_j = 1 + out_bwd_j s_{j-1} / m_{j-1}; m_j = s_j + out_fwd_j
            let s = 1.0
                + if j == 0 {
                    0.0
                } else {
                    out_bwd * s_prev / m_prev
                };
            let m = s + out_fwd;
            lo[j] = out_fwd_prev;
            piv[j] = 1.0 / m;
            if j > 0 {
                // up_{j-1} = (rate from j into j - 1) / m_{j-1}
                up[j - 1] = out_bwd / m_prev;
            }
            s_prev = s;
            m_prev = m;
            out_fwd_prev = out_fwd;
            left = right;
        }
        up[n - 1] = 0.0;
    }

    /// The write-error rate of a pulse: the probability left in the start hemisphere at
    /// reduced time `t_read`, from `initial` at time 0, in steps of at most `dt` (reduced).
    ///
    /// # Errors
    /// As [`FokkerPlanck::start`] and [`FokkerPlanck::advance`].
    pub fn write_error_rate(
        &mut self,
        initial: Initial,
        t_read: f64,
        dt: f64,
        work: &mut [f64],
    ) -> Result<f64, Error> {
        self.start(initial, work)?;
        self.advance(work, 0.0, t_read, dt)?;
        Ok(self.initial_hemisphere(work))
    }
}

/// The Bernoulli function `B(x) = x / (e^x - 1)` (`B(0) = 1`), accurate for every `x`.
fn bernoulli(x: f64) -> f64 {
    if x.abs() < 1e-8 {
        1.0 - 0.5 * x
    } else if x > 700.0 {
        x * math::exp_f64(-x)
    } else {
        x / math::expm1_f64(x)
    }
}

/// Calls `f` with every time (s) at which the waveform has a kink.
fn drive_kinks(d: &DriveSpec, f: &mut impl FnMut(f64)) {
    match d {
        DriveSpec::Constant(_) => {}
        DriveSpec::Sine { start, .. } => f(*start),
        DriveSpec::Pulse {
            start,
            duration,
            rise,
            fall,
            ..
        } => {
            f(*start);
            f(start + rise);
            f(start + duration);
            f(start + duration + fall);
        }
        DriveSpec::Ramp {
            start, duration, ..
        } => {
            f(*start);
            f(start + duration);
        }
        DriveSpec::Piecewise { times, .. } => times.iter().for_each(|&t| f(t)),
    }
}

/// Refuses a model that is not axially symmetric about z, naming the key.
fn check_axial(valid: &Validated) -> Result<(), Error> {
    let spec = valid.spec();
    let transverse = |v: [f64; 3]| {
        let n = math::sqrt_f64(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        (v[0] * v[0] + v[1] * v[1]) > 1e-24 * n * n
    };
    if let Some(u) = &spec.uniaxial {
        if transverse(u.axis) {
            return Err(Error::NotAxial {
                param: "anisotropy.uniaxial.axis",
            });
        }
    }
    if spec.cubic.is_some() {
        return Err(Error::NotAxial {
            param: "anisotropy.cubic",
        });
    }
    if let Some(n) = valid.demag() {
        if (n[0] - n[1]).abs() > 1e-12 {
            let param = if spec.demag.is_some() {
                "magnet.demag"
            } else {
                "magnet.shape"
            };
            return Err(Error::NotAxial { param });
        }
    }
    if spec.applied[0] != 0.0 || spec.applied[1] != 0.0 {
        return Err(Error::NotAxial {
            param: "field.applied",
        });
    }
    if spec
        .drives
        .iter()
        .any(|d| d.amplitude[0] != 0.0 || d.amplitude[1] != 0.0)
    {
        return Err(Error::NotAxial {
            param: "field.drive.amplitude",
        });
    }
    if let Some(stt) = &spec.stt {
        if transverse(stt.polarizer) {
            return Err(Error::NotAxial {
                param: "stt.polarizer",
            });
        }
    }
    if spec.sot.is_some() {
        return Err(Error::NotAxial { param: "sot" });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use crate::params::{MacrospinSpec, Shape, SotSpec, SttSpec, ThermalSpec, UniaxialSpec};
    use crate::units::{E_CHARGE, HBAR, KB, MU0};
    use std::vec;
    use std::vec::Vec;

    const MS: f64 = 1e6;
    const KU: f64 = 4e5;

    /// A uniaxial macrospin (no demag) of stability factor `delta` at 300 K, starting at +z.
    fn magnet(delta: f64, alpha: f64) -> MacrospinSpec {
        let volume = delta * KB * 300.0 / KU;
        let mut s = MacrospinSpec::new(MS, alpha, Shape::Volume(volume));
        s.uniaxial = Some(UniaxialSpec {
            ku: KU,
            k2: 0.0,
            axis: [0.0, 0.0, 1.0],
        });
        s.thermal = Some(ThermalSpec {
            temperature: DriveSpec::Constant(300.0),
        });
        s
    }

    /// [`magnet`] with a write pulse towards -z of `i` times the critical current density
    /// `J_c0 = 2 alpha K e d / (hbar eps)` (eps = P / 2 = 0.3), from 0 for `width` seconds.
    fn written(delta: f64, alpha: f64, i: f64, width: f64) -> MacrospinSpec {
        let mut s = magnet(delta, alpha);
        let d = 1e-9;
        let jc0 = 2.0 * alpha * KU * E_CHARGE * d / (HBAR * 0.3);
        s.stt = Some(SttSpec {
            polarizer: [0.0, 0.0, -1.0],
            polarization: 0.6,
            lambda: 1.0,
            field_like: 0.1,
            current: CurrentSpec::Density(DriveSpec::Pulse {
                amplitude: i * jc0,
                start: 0.0,
                duration: width,
                rise: 0.0,
                fall: 0.0,
            }),
            thickness: Some(d),
        });
        s
    }

    fn solver(spec: &MacrospinSpec, n: usize) -> (FokkerPlanck, Vec<f64>) {
        let fp = FokkerPlanck::new(&spec.validate().unwrap(), n).unwrap();
        (fp, vec![0.0; work_len(n)])
    }

    /// WER of `spec` read at the end of its pulse (`width` s) on `n` cells, steps `dt` (s).
    fn wer(spec: &MacrospinSpec, n: usize, width: f64, dt: f64) -> f64 {
        let (mut fp, mut w) = solver(spec, n);
        let u = spec.validate().unwrap().units();
        let p = fp
            .write_error_rate(
                Initial::Boltzmann,
                u.time_to_reduced(width),
                u.time_to_reduced(dt),
                &mut w,
            )
            .unwrap();
        // conserved to rounding: a few 1e-18 per step (1.2e-13 after 2.4e4 steps)
        let total: f64 = fp.distribution(&w).iter().sum();
        let steps = width / dt;
        assert!(
            (total - 1.0).abs() < 1e-16 * steps.max(1e3),
            "probability conserved: {total} after {steps} steps"
        );
        p
    }

    /// The stationary solution without current is Boltzmann's distribution over the whole
    /// sphere, to second order in the cell width (here with a field along z: unequal wells).
    #[test]
    fn equilibrium_is_boltzmann() {
        let mut errs = [0.0; 2];
        for (k, n) in [100, 200].into_iter().enumerate() {
            let mut spec = magnet(3.0, 1.0);
            spec.applied = [0.0, 0.0, 0.05];
            let (mut fp, mut w) = solver(&spec, n);
            fp.start(Initial::Pole, &mut w).unwrap();
            fp.advance(&mut w, 0.0, 1e6, 1e3).unwrap();
            let mut exact = vec![0.0; n];
            fp.boltzmann(0.0, false, &mut exact);
            let p = fp.distribution(&w);
            let peak = exact.iter().cloned().fold(0.0, f64::max);
            errs[k] = p
                .iter()
                .zip(&exact)
                .map(|(a, b)| (a - b).abs() / peak)
                .fold(0.0, f64::max);
            let total: f64 = p.iter().sum();
            assert!((total - 1.0).abs() < 1e-13, "{total}");
        }
        assert!(errs[0] < 2e-3, "{errs:?}");
        let order = (errs[0] / errs[1]).log2();
        assert!((1.8..2.2).contains(&order), "{errs:?}: order {order}");
    }

    /// The escape rate without current: the slowest eigenvalue `lambda_1 = 2 Gamma` of the
    /// discrete equation against Brown's high-barrier formula `Gamma = alpha / (1 + alpha^2)
    /// h_K sqrt(Delta / pi) exp(-Delta)` (Brown 1963, eq. 4.39; reduced units), which is
    /// asymptotic: its relative error is O(1/Delta), and the measured deviation must be of that
    /// size and shrink like 1/Delta.
    #[test]
    fn escape_rate_matches_brown() {
        let alpha = 1.0;
        let mut scaled = Vec::new();
        for delta in [20.0, 30.0, 40.0] {
            let spec = magnet(delta, alpha);
            let n = 400;
            let (mut fp, mut w) = solver(&spec, n);
            fp.start(Initial::Boltzmann, &mut w).unwrap();
            let dt = 10.0;
            fp.advance(&mut w, 0.0, 40.0 * dt, dt).unwrap();
            // the escaped probability, summed from its own small terms (not 1 - P_up)
            let q0: f64 = fp.distribution(&w)[n / 2..].iter().sum();
            fp.advance(&mut w, 40.0 * dt, 50.0 * dt, dt).unwrap();
            let q1: f64 = fp.distribution(&w)[n / 2..].iter().sum();
            let lambda = 2.0 * (q1 - q0) / (10.0 * dt);
            let k1 = KU / (MU0 * MS * MS);
            let brown =
                2.0 * alpha * 2.0 * k1 * (delta / core::f64::consts::PI).sqrt() * (-delta).exp()
                    / (1.0 + alpha * alpha);
            let dev = lambda / brown - 1.0;
            std::println!(
                "Delta {delta}: lambda {lambda:e}, Brown {brown:e}, {:+.2} %",
                dev * 100.0
            );
            assert!(dev.abs() < 1.5 / delta, "Delta {delta}: {dev}");
            scaled.push(dev * delta);
        }
        // dev * Delta tends to a constant (the first correction term)
        assert!((scaled[1] - scaled[2]).abs() < 0.2, "{scaled:?}");
    }

    /// Grid convergence is second order, time-step convergence first order (measured orders
    /// from three levels each), at a WER of about 1e-4.
    #[test]
    fn convergence_orders() {
        let (width, dt) = (3e-9, 2e-12);
        let spec = written(40.0, 0.02, 2.0, width);
        let g: Vec<f64> = [100, 200, 400]
            .iter()
            .map(|&n| wer(&spec, n, width, dt))
            .collect();
        let grid_order = ((g[0] - g[1]) / (g[1] - g[2])).abs().log2();
        let t: Vec<f64> = [1.0, 0.5, 0.25]
            .iter()
            .map(|&k| wer(&spec, 200, width, k * dt))
            .collect();
        let time_order = ((t[0] - t[1]) / (t[1] - t[2])).abs().log2();
        std::println!("grid {g:?} order {grid_order}; time {t:?} order {time_order}");
        assert!(g[2] > 1e-7 && g[2] < 1e-2, "{g:?}");
        assert!((1.8..2.3).contains(&grid_order), "{grid_order}");
        assert!((0.85..1.15).contains(&time_order), "{time_order}");
    }

    /// A long pulse reaches write-error rates far below 1e-12 with all digits: the solver's
    /// elimination subtracts nothing.
    #[test]
    fn deep_error_rates() {
        let spec = written(40.0, 0.02, 2.0, 8e-9);
        let a = wer(&spec, 200, 8e-9, 4e-12);
        let spec = written(40.0, 0.02, 2.0, 10e-9);
        let b = wer(&spec, 200, 10e-9, 4e-12);
        std::println!("{a:e} {b:e}");
        assert!(a > 0.0 && a < 1e-12 && b < a * 1e-1, "{a:e} {b:e}");
    }

    #[test]
    fn refuses_models_without_axial_symmetry() {
        let check = |s: MacrospinSpec, param: &'static str| {
            let e = FokkerPlanck::new(&s.validate().unwrap(), 100).unwrap_err();
            assert_eq!(e, Error::NotAxial { param }, "{e}");
        };
        let mut s = magnet(20.0, 0.1);
        s.uniaxial.as_mut().unwrap().axis = [0.1, 0.0, 1.0];
        check(s, "anisotropy.uniaxial.axis");
        let mut s = magnet(20.0, 0.1);
        s.applied = [0.01, 0.0, 0.1];
        check(s, "field.applied");
        let mut s = written(20.0, 0.1, 1.0, 1e-9);
        s.stt.as_mut().unwrap().polarizer = [1.0, 0.0, 0.0];
        check(s, "stt.polarizer");
        let mut s = magnet(20.0, 0.1);
        s.sot = Some(SotSpec {
            spin_polarization: [0.0, 1.0, 0.0],
            spin_hall_angle: 0.3,
            field_like: 0.0,
            current_density: DriveSpec::Constant(1e10),
            thickness: Some(1e-9),
        });
        check(s, "sot");
        let mut s = magnet(20.0, 0.1);
        s.shape = Shape::Prism {
            x: 40e-9,
            y: 20e-9,
            z: 1e-9,
        };
        check(s, "magnet.shape");
        // no temperature, bad cell counts, a start on the equator
        let mut s = magnet(20.0, 0.1);
        s.thermal = None;
        assert!(matches!(
            FokkerPlanck::new(&s.validate().unwrap(), 100),
            Err(Error::Inconsistent { .. })
        ));
        let v = magnet(20.0, 0.1).validate().unwrap();
        for n in [0, 2, 101] {
            assert!(matches!(
                FokkerPlanck::new(&v, n),
                Err(Error::OutOfRange {
                    param: "fokker_planck.cells",
                    ..
                })
            ));
        }
        let mut s = magnet(20.0, 0.1);
        s.m0 = [1.0, 0.0, 0.0];
        assert!(matches!(
            FokkerPlanck::new(&s.validate().unwrap(), 100),
            Err(Error::OutOfRange {
                param: "magnet.m0",
                ..
            })
        ));
        let (mut fp, mut w) = solver(&magnet(20.0, 0.1), 100);
        assert!(fp.start(Initial::Pole, &mut w[1..]).is_err());
        fp.start(Initial::Pole, &mut w).unwrap();
        assert!(fp.advance(&mut w, 0.0, 1.0, 0.0).is_err());
        assert!(fp.advance(&mut w, 0.0, 1.0, f64::NAN).is_err());
        assert!(fp.advance(&mut w, 2.0, 1.0, 0.1).is_err());
        assert!(fp.advance(&mut w, 0.0, 1e12, 1e-3).is_err());
    }
}

//! Larmor's standard scenarios: the same code runs in the firmware apps (`selftest`, `bench`)
//! and on the host in the parity test (`tests/tests/parity.rs`), which compares the results.
//!
//! **The standard macrospin**: Ms = 1e6 A/m, alpha = 0.01, demagnetising factors (0, 0, 1),
//! uniaxial Ku = 878 318.5 J/m^3 along z (mu0 H_K,eff = 2 Ku/Ms - mu0 Ms = 0.5 T), 0.1 T applied
//! at 30 degrees from z in the xz-plane, m0 = (0.6, 0, 0.8), dt = 0.1 ps, compiled with
//! [`MacrospinSpec::compile`] for the scalar at hand. 10^5 RK4 steps = 10 ns is the
//! **standard trajectory**. The volume (a 40 nm x 1.5 nm disc) only matters for thermal noise.
//!
//! The time loop is [`run`]: [`Integrator::advance_steps`] (what [`Integrator::step`] repeated
//! does, in blocks between the state's flushes of tiny components). The standard system is autonomous,
//! so the integrator keeps no local-time window and no f64 time bookkeeping costs
//! instructions on the target.
//!
//! The kernel uses libm on every target, so the host's f32 and f64 results are bit-identical
//! to the firmware's; fixed-point is integer arithmetic and bit-identical anyway.
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod golden;

/// FNV-1a offset basis: the hash of no bytes.
pub const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// Extends the FNV-1a hash `hash` by `bytes` (the sessions' fingerprints of their results).
pub fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
pub mod lattice;
pub mod mram;
pub mod reduced;
pub mod sensor;

use larmor::drive::Drive;
use larmor::field::{ConstantZeeman, Demag, UniaxialK1};
use larmor::inertial::InertialLlg;
use larmor::integrate::Integrator;
use larmor::llg::Dynamics;
use larmor::llg::Llg;
use larmor::params::{Macrospin, MacrospinSpec, Shape, UniaxialSpec};
use larmor::random::Gaussian;
use larmor::random::Philox;
use larmor::stepper::{DormandPrince, Heun, Midpoint, Rk4, Stepper, Tolerance};
use larmor::thermal::Thermal;
use larmor::units::{KB, MU0};
use larmor::{Error, Real, Vec3};

pub use larmor::fixed::Q26;

/// Steps of the standard trajectory (10 ns at 0.1 ps).
pub const STANDARD_STEPS: u32 = 100_000;
/// Time step (s).
pub const DT_SECONDS: f64 = 1e-13;
/// Temperature of the thermal scenario (K).
pub const TEMPERATURE: f64 = 300.0;
/// Seed of the thermal scenario's Philox stream (stream 0).
pub const SEED: u64 = 0x1a2b_3c4d;

/// The standard macrospin in SI units.
pub fn standard_spec() -> MacrospinSpec {
    let mut spec = MacrospinSpec::new(
        1e6,
        0.01,
        Shape::Disc {
            diameter: 40e-9,
            thickness: 1.5e-9,
        },
    );
    spec.demag = Some([0.0, 0.0, 1.0]);
    spec.uniaxial = Some(UniaxialSpec {
        ku: 878_318.5,
        k2: 0.0,
        axis: [0.0, 0.0, 1.0],
    });
    spec.m0 = [0.6, 0.0, 0.8];
    let (s, c) = larmor::math::sin_cos_f64(core::f64::consts::PI / 6.0);
    spec.applied = [0.1 * s, 0.0, 0.1 * c];
    spec
}

/// The standard macrospin compiled for `S`, and its reduced time step.
///
/// # Errors
/// Only if the spec were invalid (it is not; kept as a `Result` so firmware never panics).
#[inline(never)]
pub fn standard_model<S: Real>() -> Result<(Macrospin<S>, S), Error> {
    let model = standard_spec().compile::<S>()?;
    let dt = S::from_f64(model.units.time_to_reduced(DT_SECONDS));
    Ok((model, dt))
}

/// The stepper of a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Classical RK4.
    Rk4,
    /// Heun (deterministic).
    Heun,
    /// Mentink's semi-implicit midpoint (Cayley).
    Midpoint,
    /// Adaptive Dormand-Prince 5(4), tolerance 1e-6, first step dt.
    Dopri,
    /// Heun with Brown's thermal field at [`TEMPERATURE`], Philox stream ([`SEED`], 0).
    HeunThermal,
    /// Inertial LLG (RK4) of the standard macrospin with tau = [`INERTIA_TAU`], from m0 with
    /// the field-consistent velocity: state (m, dm/dt) on the tangent bundle.
    Inertial,
}

impl Method {
    /// Short name used in logs and by the parity test.
    pub const fn name(self) -> &'static str {
        match self {
            Method::Rk4 => "rk4",
            Method::Heun => "heun",
            Method::Midpoint => "midpoint",
            Method::Dopri => "dopri45",
            Method::HeunThermal => "heun-thermal",
            Method::Inertial => "inertial-rk4",
        }
    }
    /// Every method, in log order.
    pub const ALL: [Method; 6] = [
        Method::Rk4,
        Method::Heun,
        Method::Midpoint,
        Method::Dopri,
        Method::HeunThermal,
        Method::Inertial,
    ];
}

/// Tolerances of the [`Method::Dopri`] scenario.
pub fn dopri_tolerance() -> Tolerance {
    Tolerance {
        atol: 1e-6,
        rtol: 1e-6,
        dt_min: 1e-6,
        dt_max: 1.0,
    }
}

/// Runs `steps` steps of `stepper` on the standard model from m0; returns the final `m`.
///
/// # Errors
/// A stepper error (non-finite state).
#[inline(never)]
pub fn run<S: Real, St: Stepper<S, 1>>(
    model: &mut Macrospin<S>,
    stepper: St,
    dt: S,
    steps: u32,
) -> Result<Vec3<S>, Error> {
    let m0 = model.m0;
    run_system(&mut model.llg, m0, stepper, dt, steps)
}

/// The standard model as one concrete type: a constant Zeeman field, demag and first-order
/// uniaxial anisotropy; no `Option`s, no drives, no `K2`, no torques, so the compiler drops
/// every per-stage check of absent parts. What a firmware with a fixed model runs.
pub type Specialized<S> = Llg<S, (ConstantZeeman<S>, Demag<S>, UniaxialK1<S>)>;

/// The compiled macrospin rewritten as [`Specialized`]: the kernel's one fast path
/// ([`Macrospin::lean`]: same terms in the same order, same cached prefactors, so the same
/// bits) without its (absent) torques; `None` if it has other terms, drives, `K2` or torques.
pub fn specialize<S: Real>(model: &Macrospin<S>) -> Option<Specialized<S>> {
    let (stt, sot) = &model.llg.torque;
    if stt.is_some() || sot.is_some() {
        return None;
    }
    let lean = model.lean()?;
    Some(Llg::new(lean.alpha(), lean.terms))
}

/// The standard macrospin in reduced units for one scalar type: exactly the values
/// `MacrospinSpec::compile::<S>()` (and [`standard_model`]'s `dt`) produce for
/// [`standard_spec`], stored as bit patterns ([`reduced`]), so a firmware builds the model with
/// no soft-float f64 set-up code. `tests/tests/parity.rs` checks the constants bit for bit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reduced<S> {
    /// Gilbert damping.
    pub alpha: S,
    /// Applied field (reduced).
    pub h0: Vec3<S>,
    /// Demagnetising factors.
    pub demag: Vec3<S>,
    /// Uniaxial k1 (reduced).
    pub k1: S,
    /// Uniaxial axis.
    pub axis: Vec3<S>,
    /// Initial direction.
    pub m0: Vec3<S>,
    /// Time step (reduced).
    pub dt: S,
}

impl<S: Real> Reduced<S> {
    /// The model as [`Specialized`] (the cached prefactors computed in `S`, as `compile` does).
    #[inline(never)]
    pub fn model(&self) -> Specialized<S> {
        Llg::new(
            self.alpha,
            (
                ConstantZeeman::new(self.h0),
                Demag::new(self.demag),
                UniaxialK1::new(self.k1, self.axis),
            ),
        )
    }
    /// The reduced constants of a compiled model of the standard kind; `None` if it does not
    /// [`specialize`].
    pub fn of(model: &Macrospin<S>, dt: S) -> Option<Self> {
        let sys = specialize(model)?;
        let (zeeman, demag, uniaxial) = &sys.terms;
        Some(Self {
            alpha: sys.alpha(),
            h0: zeeman.h0,
            demag: demag.n,
            k1: uniaxial.k1(),
            axis: uniaxial.axis(),
            m0: model.m0,
            dt,
        })
    }
}

/// Scalars with the standard macrospin's reduced constants in [`reduced`].
pub trait StandardReduced: Real {
    /// The standard macrospin in reduced units in this scalar.
    const STANDARD: Reduced<Self>;
}

impl StandardReduced for f32 {
    const STANDARD: Reduced<f32> = reduced::F32;
}
impl StandardReduced for f64 {
    const STANDARD: Reduced<f64> = reduced::F64;
}
impl StandardReduced for Q26 {
    const STANDARD: Reduced<Q26> = reduced::I6F26;
}

/// Runs `steps` steps of `stepper` on any system from `m0`; returns the final `m`.
///
/// # Errors
/// A stepper error (non-finite state).
#[inline(never)]
pub fn run_system<S: Real, D: Dynamics<S>, St: Stepper<S, 1>>(
    sys: &mut D,
    m0: Vec3<S>,
    stepper: St,
    dt: S,
    steps: u32,
) -> Result<Vec3<S>, Error> {
    // borrowed, not copied: a model can be large next to a Cortex-M0's 16 KiB of RAM
    let mut run = Integrator::new(sys, stepper, [m0], dt.to_f64())?;
    run.advance_steps(u64::from(steps))?;
    Ok(run.state()[0])
}

/// Angular-momentum relaxation time of the inertial scenario (s): eta = alpha tau is 1 ps for
/// the standard layer, the nutation turns at about 1/eta = 1e12 rad/s (0.1 rad per 0.1 ps step).
pub const INERTIA_TAU: f64 = 1e-10;

/// Runs `steps` RK4 steps of inertial LLG on the standard model's terms, as the concrete
/// [`Specialized`] terms (see [`Method::Inertial`]); returns the final `m`.
///
/// # Errors
/// A stepper error; a `tau` the scalar cannot hold (not for the standard model).
#[inline(never)]
pub fn run_inertial<S: Real>(model: &Macrospin<S>, dt: S, steps: u32) -> Result<Vec3<S>, Error> {
    let tau = S::from_f64(model.units.time_to_reduced(INERTIA_TAU));
    // the standard model's terms as one concrete type (same bits as the generic terms)
    let lean = specialize(model).ok_or(Error::Inconsistent {
        what: "the inertial scenario needs the standard model (constant field, demag, K1)",
    })?;
    let mut sys = InertialLlg::new(model.llg.alpha(), lean.terms, tau)?;
    let y0 = [model.m0, sys.llg_velocity(model.m0)];
    let mut run = Integrator::new(&mut sys, Rk4::new(), y0, dt.to_f64())?;
    run.advance_steps(u64::from(steps))?;
    Ok(run.state()[0])
}

/// Reduced thermal diffusion per kelvin, `alpha kB / (mu0 Ms^2 V)`, of a macrospin.
///
/// # Errors
/// An invalid shape (not for the standard spec).
pub fn d_per_kelvin(spec: &MacrospinSpec) -> Result<f64, Error> {
    Ok(spec.alpha * KB / (MU0 * spec.ms * spec.ms * spec.shape.volume()?))
}

/// Runs `steps` Heun steps with Brown's thermal field (drawn once per step from the Philox
/// stream ([`SEED`], 0)) on the standard model; returns the final `m`.
///
/// # Errors
/// A stepper error (non-finite state).
#[inline(never)]
pub fn run_thermal<S: Real + Gaussian>(
    model: &mut Macrospin<S>,
    d_per_kelvin: S,
    dt: S,
    steps: u32,
) -> Result<Vec3<S>, Error> {
    let thermal = Thermal::<S, 1>::new(d_per_kelvin, Drive::constant(S::from_f64(TEMPERATURE)));
    let rng = Philox::new(SEED, 0);
    let m0 = model.m0;
    let mut run =
        Integrator::thermal(&mut model.llg, Heun::new(), [m0], dt.to_f64(), thermal, rng)?;
    run.advance_steps(u64::from(steps))?;
    Ok(run.state()[0])
}

/// Times (s) after the start at which the device-time scenario ([`pulse_onset`]) puts its
/// field pulse: 1 ns, 1 us, 1 ms, 1 s.
pub const PULSE_STARTS: [f64; 4] = [1e-9, 1e-6, 1e-3, 1.0];

/// The step of [`pulse_onset`] in which the pulse edge falls (0.3 steps before its end).
pub const PULSE_ONSET_STEP: u32 = 10;

/// Device time: the standard macrospin's step (0.1 ps) and damping with no other field, m
/// along +z, and a 0.1 T pulse along x that starts `start` seconds after t = 0. The
/// integrator starts 9.7 steps before the edge (`start_at`; absolute time in f64 and a step
/// count, the model sees window-local time only) and takes 20 steps; returns the first step
/// whose result moved off +z (`m_y != 0`, exactly 0 before the pulse) and the final state. The
/// right answer is [`PULSE_ONSET_STEP`] in every scalar: RK4's last stage of step 10 is the
/// first to see the edge.
///
/// # Errors
/// A stepper error, or a spec the scalar cannot hold (not for these values).
#[inline(never)]
pub fn pulse_onset<S: Real>(start: f64) -> Result<(u32, Vec3<S>), Error> {
    let mut spec = MacrospinSpec::new(1e6, 0.01, Shape::Volume(1e-24));
    spec.demag = Some([1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0]);
    let pulse = larmor::drive::DriveSpec::Pulse {
        amplitude: 1.0,
        start,
        duration: 1e-9,
        rise: 0.0,
        fall: 0.0,
    };
    // at most four drives: one cannot overflow
    let _ = spec.drives.push(larmor::params::FieldDrive {
        amplitude: [0.1, 0.0, 0.0],
        waveform: pulse,
    });
    let mut model = spec.compile::<S>()?;
    let dt = model.units.time_to_reduced(DT_SECONDS);
    let t0 = model.units.time_to_reduced(start) - (PULSE_ONSET_STEP as f64 - 0.3) * dt;
    let mut run = Integrator::new(&mut model.llg, Rk4::new(), [Vec3::Z], dt)?;
    run.start_at(t0)?;
    let mut first = 0;
    for k in 1..=2 * PULSE_ONSET_STEP {
        run.step()?;
        if first == 0 && run.state()[0].y != S::ZERO {
            first = k;
        }
    }
    Ok((first, run.state()[0]))
}

/// Runs one deterministic scenario on a compiled model (thermal scenarios need a
/// [`Gaussian`] scalar: use [`run_method_thermal`] for those).
///
/// # Errors
/// A stepper error; [`Error::Inconsistent`] for [`Method::HeunThermal`].
#[inline(never)]
pub fn run_method<S: Real>(
    model: &mut Macrospin<S>,
    dt: S,
    method: Method,
    steps: u32,
) -> Result<Vec3<S>, Error> {
    match method {
        Method::Rk4 => run(model, Rk4::new(), dt, steps),
        Method::Heun => run(model, Heun::new(), dt, steps),
        Method::Midpoint => run(model, Midpoint::new(), dt, steps),
        Method::Dopri => run(model, DormandPrince::new(dopri_tolerance()), dt, steps),
        Method::Inertial => run_inertial(model, dt, steps),
        Method::HeunThermal => Err(Error::Inconsistent {
            what: "heun-thermal needs a Gaussian scalar: call run_method_thermal",
        }),
    }
}

/// Like [`run_method`], also for [`Method::HeunThermal`] (with [`d_per_kelvin`] of the
/// standard spec).
///
/// # Errors
/// A stepper error.
#[inline(never)]
pub fn run_method_thermal<S: Real + Gaussian>(
    model: &mut Macrospin<S>,
    dt: S,
    method: Method,
    steps: u32,
) -> Result<Vec3<S>, Error> {
    if method != Method::HeunThermal {
        return run_method(model, dt, method, steps);
    }
    let d = d_per_kelvin(&standard_spec())?;
    run_thermal(model, S::from_f64(d), dt, steps)
}

/// Steps each method runs in the self-test (the standard trajectory for RK4).
pub const fn selftest_steps(method: Method) -> u32 {
    match method {
        Method::Rk4 => STANDARD_STEPS,
        Method::Heun | Method::Midpoint => 20_000,
        Method::Dopri => 2_000,
        Method::HeunThermal => 20_000,
        Method::Inertial => 20_000,
    }
}

/// The golden result of `method` run for `steps` steps in scalar `scalar` ([`Real::NAME`]).
pub fn golden(method: Method, scalar: &str, steps: u32) -> Option<[f64; 3]> {
    golden::GOLDEN
        .iter()
        .find(|g| g.0 == method && g.1 == scalar && g.2 == steps)
        .map(|g| g.3)
}

/// Outcome of [`check`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Check {
    /// `max_i |m_i - reference_i|`, or NaN without a golden value.
    pub err: f64,
    /// Allowed `err`.
    pub bound: f64,
    /// `| |m| - 1 |`.
    pub norm_err: f64,
    /// Allowed `norm_err`.
    pub norm_bound: f64,
    /// Scalar of the reference (`"f64"`, or the scalar itself for thermal runs).
    pub reference: &'static str,
    /// Every condition holds (finite, norm, error, golden value present).
    pub ok: bool,
}

/// Checks a self-test result: finite, unit length, and within [`bound`] of the golden value.
///
/// Deterministic methods are compared with the f64 golden result (an accuracy check of the
/// scalar type). Thermal runs are chaotic in the noise (an f32 and an f64 run draw different
/// Gaussians and soon diverge), so they are compared with the golden result of the *same*
/// scalar, bit for bit: the host and the firmware must draw identical streams.
pub fn check<S: Real>(method: Method, steps: u32, m: Vec3<S>) -> Check {
    let v = m.to_f64();
    let norm = libm_sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    let (reference, bound) = match method {
        Method::HeunThermal => (S::NAME, 0.0),
        _ => ("f64", bound(S::NAME, method)),
    };
    let norm_err = (norm - 1.0).abs();
    let nb = norm_bound(S::NAME, method);
    let err = match golden(method, reference, steps) {
        Some(g) => (v[0] - g[0])
            .abs()
            .max((v[1] - g[1]).abs())
            .max((v[2] - g[2]).abs()),
        None => f64::NAN,
    };
    Check {
        err,
        bound,
        norm_err,
        norm_bound: nb,
        reference: if reference == "f64" {
            "f64"
        } else {
            "same scalar"
        },
        ok: m.is_finite() && norm_err <= nb && err <= bound,
    }
}

fn libm_sqrt(x: f64) -> f64 {
    larmor::math::sqrt_f64(x)
}

/// Largest allowed `max_i |m_i - m_i(f64)|` of a deterministic self-test result against the
/// golden f64 value, by scalar name ([`Real::NAME`]): the measured error (README, firmware
/// report) with a safety margin. f64 must match bit for bit.
pub fn bound(scalar: &str, method: Method) -> f64 {
    // measured (host = firmware, bit for bit): f32 rk4 2.8e-6, heun 7.6e-6, midpoint 5.3e-4
    // (no renormalisation: the f32 norm drifts and shifts the precession phase), dopri 8.9e-7;
    // I6F26 rk4 2.2e-7, heun 8.3e-6, midpoint 7.3e-5, dopri 5.3e-5, inertial 1.7e-5
    match (scalar, method) {
        ("f64", _) => 0.0,
        ("f32", Method::Rk4) => 1e-5,
        ("f32", Method::Midpoint) => 2e-3,
        // inertial: the 1/eta = 4.5 of the acceleration amplifies rounding (measured 1.8e-5)
        ("f32", Method::Inertial) => 6e-5,
        ("f32", _) => 3e-5,
        ("I6F26", Method::Rk4) => 1e-6,
        ("I6F26", Method::Heun) => 3e-5,
        ("I6F26", _) => 3e-4,
        _ => 1e-3,
    }
}

/// `| |m| - 1 |` allowed after a run. The renormalising steppers stay within a few rounding
/// units (measured: f32 <= 4e-8, I6F26 <= 1.3e-8); the midpoint rule preserves `|m|` only up to
/// the rounding of each Cayley rotation, which accumulates over 20 000 steps (measured: f64
/// 2.1e-14, f32 1.4e-4, I6F26 4.2e-6).
pub fn norm_bound(scalar: &str, method: Method) -> f64 {
    match (scalar, method) {
        ("f64", Method::Midpoint) => 1e-12,
        ("f32", Method::Midpoint) => 1e-3,
        (_, Method::Midpoint) => 3e-5,
        ("f64", _) => 1e-14,
        ("f32", _) => 2e-7,
        _ => 1e-7,
    }
}

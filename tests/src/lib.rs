//! Shared helpers for Larmor's validation tests: running models, measuring frequencies and
//! convergence orders, and proptest strategies.

pub mod parity;
pub mod strategies;

use larmor::field::{FieldTerm, Zeeman};
use larmor::integrate::Integrator;
use larmor::llg::{Dynamics, Llg};
use larmor::stepper::Stepper;
use larmor::{Real, Vec3};

/// Integrates a macrospin system and returns `(t, m)` after every step (reduced time).
pub fn trace<S: Real, D: Dynamics<S> + Clone, St: Stepper<S, 1>>(
    sys: &D,
    stepper: St,
    m0: Vec3<S>,
    t_end: f64,
    dt: f64,
) -> Vec<(f64, Vec3<S>)> {
    let mut out = Vec::new();
    let mut m = [m0];
    let mut obs = |_: u64, t: f64, m: &[Vec3<S>]| {
        out.push((t, m[0]));
        larmor::integrate::Control::Continue
    };
    Integrator::new(sys.clone(), stepper, m, dt)
        .and_then(|run| run.run_span(&mut m, (0.0, t_end), &mut [], &mut obs))
        .expect("integration");
    out
}

/// Final state only.
pub fn final_state<S: Real, D: Dynamics<S> + Clone, St: Stepper<S, 1>>(
    sys: &D,
    stepper: St,
    m0: Vec3<S>,
    t_end: f64,
    dt: f64,
) -> Vec3<S> {
    let mut m = [m0];
    Integrator::new(sys.clone(), stepper, m, dt)
        .and_then(|run| run.run_span(&mut m, (0.0, t_end), &mut [], &mut ()))
        .expect("integration");
    m[0]
}

/// Damped precession about `h z` from `m(0) = x` (no anisotropy), exact solution:
/// `m = (sech(a t) cos(w t), sech(a t) sin(w t), tanh(a t))`, `w = h/(1+alpha^2)`, `a = alpha w`.
pub fn precession_exact(alpha: f64, h: f64, t: f64) -> Vec3<f64> {
    let w = h / (1.0 + alpha * alpha);
    let a = alpha * w;
    let sech = 1.0 / (a * t).cosh();
    Vec3::new(sech * (w * t).cos(), sech * (w * t).sin(), (a * t).tanh())
}

/// The damped-precession system in reduced units.
pub fn precession_system<S: Real>(alpha: f64, h: f64) -> Llg<S, Zeeman<S>> {
    Llg::new(
        S::from_f64(alpha),
        Zeeman::constant(Vec3::new(S::ZERO, S::ZERO, S::from_f64(h))),
    )
}

/// Times at which the sampled signal crosses zero upwards, located by inverse quadratic
/// interpolation through three samples around the crossing.
pub fn rising_zero_crossings(samples: &[(f64, f64)]) -> Vec<f64> {
    let mut out = Vec::new();
    for i in 1..samples.len().saturating_sub(1) {
        let (t0, y0) = samples[i - 1];
        let (t1, y1) = samples[i];
        if y0 < 0.0 && y1 >= 0.0 {
            let (t2, y2) = samples[i + 1];
            // linear first guess, then one Newton step on the quadratic through the 3 points
            let mut t = t0 + (t1 - t0) * (-y0) / (y1 - y0);
            for _ in 0..3 {
                let l0 = (t - t1) * (t - t2) / ((t0 - t1) * (t0 - t2));
                let l1 = (t - t0) * (t - t2) / ((t1 - t0) * (t1 - t2));
                let l2 = (t - t0) * (t - t1) / ((t2 - t0) * (t2 - t1));
                let p = y0 * l0 + y1 * l1 + y2 * l2;
                let d0 = ((t - t1) + (t - t2)) / ((t0 - t1) * (t0 - t2));
                let d1 = ((t - t0) + (t - t2)) / ((t1 - t0) * (t1 - t2));
                let d2 = ((t - t0) + (t - t1)) / ((t2 - t0) * (t2 - t1));
                let dp = y0 * d0 + y1 * d1 + y2 * d2;
                t -= p / dp;
            }
            out.push(t);
        }
    }
    out
}

/// Mean period from a list of same-direction zero crossings.
pub fn mean_period(crossings: &[f64]) -> Option<f64> {
    (crossings.len() >= 2)
        .then(|| (crossings[crossings.len() - 1] - crossings[0]) / (crossings.len() - 1) as f64)
}

/// Least-squares slope of `ln(err)` against `ln(dt)`: the measured order of convergence.
pub fn fitted_order(dts: &[f64], errs: &[f64]) -> f64 {
    let xs: Vec<f64> = dts.iter().map(|d| d.ln()).collect();
    let ys: Vec<f64> = errs.iter().map(|e| e.ln()).collect();
    let n = xs.len() as f64;
    let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
    let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = xs.iter().map(|x| (x - mx) * (x - mx)).sum();
    sxy / sxx
}

/// Central finite-difference gradient of a term's energy, component by component.
pub fn fd_gradient<F: FieldTerm<f64>>(term: &F, t: f64, m: Vec3<f64>, eps: f64) -> Vec3<f64> {
    let e = |v: Vec3<f64>| term.energy(t, &[v]);
    let d = |u: Vec3<f64>| (e(m + u.scale(eps)) - e(m - u.scale(eps))) / (2.0 * eps);
    Vec3::new(d(Vec3::X), d(Vec3::Y), d(Vec3::Z))
}

/// `<m . u>` of one classical spin with energy `-k (m.u)^2 - mu b (m.u)` (field along the
/// axis) at temperature `t`: the Boltzmann average over the sphere, by Simpson's rule in
/// `z = m.u` (the azimuth integrates out).
pub fn boltzmann_mz(k: f64, mu_b: f64, t: f64) -> f64 {
    let n = 4000;
    let (mut z0, mut z1) = (0.0, 0.0);
    for i in 0..=n {
        let z = -1.0 + 2.0 * i as f64 / n as f64;
        let w = if i == 0 || i == n {
            1.0
        } else if i % 2 == 1 {
            4.0
        } else {
            2.0
        };
        let p = w * ((k * z * z + mu_b * z) / t).exp();
        z0 += p;
        z1 += p * z;
    }
    z1 / z0
}

//! Stochastic LLG and spin-transfer torque against exact results: Boltzmann distributions,
//! the STT threshold, the zero-temperature switching time and the Neel-Brown escape time.
//! Statistical tolerances come from z-scores and chi-square p-values with fixed seeds.

use larmor::drive::Drive;
use larmor::field::{Uniaxial, Zeeman};
use larmor::integrate::Integrator;
use larmor::integrate::{Crossing, Direction};
use larmor::llg::Llg;
use larmor::params::{CurrentSpec, MacrospinSpec, SttSpec};
use larmor::random::Philox;
use larmor::stepper::{Heun, Rk4};
use larmor::thermal::Thermal;
use larmor::units::{E_CHARGE, HBAR, MU0};
use larmor::Vec3;

/// Final states of `n` independent trials of a uniaxial macrospin (reduced k1 along z, field
/// h along z) at reduced temperature kappa = kB T/(mu0 Ms^2 V), from m = +z, after `t_end`.
fn equilibrium_samples(
    k1: f64,
    h: f64,
    kappa: f64,
    alpha: f64,
    n: u64,
    t_end: f64,
    dt: f64,
) -> Vec<f64> {
    let llg = Llg::new(
        alpha,
        (
            Zeeman::constant(Vec3::new(0.0, 0.0, h)),
            Uniaxial::new(k1, 0.0, Vec3::Z),
        ),
    );
    (0..n)
        .map(|k| {
            let th = Thermal::<f64, 1>::new(alpha * kappa, Drive::constant(1.0));
            let mut rng = Philox::new(2026, k);
            let mut m = [Vec3::Z];
            Integrator::thermal(llg.clone(), Heun::new(), m, dt, th.clone(), &mut rng)
                .and_then(|run| run.run_span(&mut m, (0.0, t_end), &mut [], &mut ()))
                .unwrap();
            m[0].z
        })
        .collect()
}

/// Regularised upper incomplete gamma Q(a, x) for the chi-square p-value (series / continued
/// fraction, Numerical Recipes 6.2).
fn gamma_q(a: f64, x: f64) -> f64 {
    let ln_gamma_a = libm::lgamma(a);
    if x < a + 1.0 {
        let (mut sum, mut del, mut ap) = (1.0 / a, 1.0 / a, a);
        for _ in 0..1000 {
            ap += 1.0;
            del *= x / ap;
            sum += del;
        }
        1.0 - sum * (-x + a * x.ln() - ln_gamma_a).exp()
    } else {
        let (mut b, mut c, mut d) = (x + 1.0 - a, 1e300, 1.0 / (x + 1.0 - a));
        let mut h = d;
        for i in 1..1000 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = 1.0 / (an * d + b);
            c = b + an / c;
            h *= d * c;
        }
        (-x + a * x.ln() - ln_gamma_a).exp() * h
    }
}

#[test]
fn uniaxial_macrospin_samples_the_boltzmann_distribution() {
    // P(u = cos theta) ~ exp(sigma u^2 + xi u) on [-1, 1] (sin(theta) d theta = du), i.e.
    // P(theta) ~ sin(theta) exp(-sigma sin^2 theta + xi cos theta) up to a constant.
    let (k1, h, kappa) = (0.5, 0.125, 0.25); // sigma = k1/kappa = 2, xi = h/kappa = 0.5
    let (sigma, xi) = (k1 / kappa, h / kappa);
    let n = 3000;
    // interwell relaxation time ~5 (escape from the -z well over 1.5 kT); run 12 of them
    let u = equilibrium_samples(k1, h, kappa, 1.0, n, 60.0, 0.01);
    let bins = 20;
    let mut counts = vec![0.0f64; bins];
    for &x in &u {
        counts[(((x + 1.0) / 2.0 * bins as f64) as usize).min(bins - 1)] += 1.0;
    }
    // expected bin probabilities by 200-point Simpson per bin
    let w = |x: f64| (sigma * x * x + xi * x).exp();
    let simpson = |a: f64, b: f64| {
        let m = 200;
        let hh = (b - a) / m as f64;
        (0..=m)
            .map(|i| {
                let c = if i == 0 || i == m {
                    1.0
                } else if i % 2 == 1 {
                    4.0
                } else {
                    2.0
                };
                c * w(a + i as f64 * hh)
            })
            .sum::<f64>()
            * hh
            / 3.0
    };
    let z = simpson(-1.0, 1.0);
    let mut chi2 = 0.0;
    for (i, &c) in counts.iter().enumerate() {
        let a = -1.0 + 2.0 * i as f64 / bins as f64;
        let e = n as f64 * simpson(a, a + 2.0 / bins as f64) / z;
        chi2 += (c - e) * (c - e) / e;
    }
    let p = gamma_q((bins - 1) as f64 / 2.0, chi2 / 2.0);
    println!(
        "Boltzmann (sigma = {sigma}, xi = {xi}, {n} trials): chi2 = {chi2:.2} (19 dof), p = {p:.3}"
    );
    assert!(p > 1e-3, "chi2 = {chi2}, p = {p}");
    // Kolmogorov-Smirnov on the same samples
    let mut s = u.clone();
    s.sort_by(f64::total_cmp);
    let mut dmax = 0.0f64;
    let steps = 400;
    let mut cdf = 0.0;
    let mut j = 0;
    for i in 0..steps {
        let a = -1.0 + 2.0 * i as f64 / steps as f64;
        cdf += simpson(a, a + 2.0 / steps as f64) / z;
        let x = a + 2.0 / steps as f64;
        while j < s.len() && s[j] <= x {
            j += 1;
        }
        dmax = dmax.max((j as f64 / n as f64 - cdf).abs());
    }
    let ks = dmax * (n as f64).sqrt();
    println!("Boltzmann KS: D sqrt(n) = {ks:.3} (critical 1.95 at p = 0.001)");
    assert!(ks < 1.95, "KS statistic {ks}");
}

#[test]
fn isotropic_macrospin_follows_the_langevin_function() {
    // <m_z> = coth(xi) - 1/xi, xi = mu0 Ms V H / kB T
    let (h, kappa) = (0.5, 0.25);
    let xi: f64 = h / kappa;
    let n = 3000;
    let u = equilibrium_samples(0.0, h, kappa, 1.0, n, 12.0, 0.004);
    let mean = u.iter().sum::<f64>() / n as f64;
    let var = u.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64;
    let se = (var / n as f64).sqrt();
    let langevin = 1.0 / xi.tanh() - 1.0 / xi;
    let z = (mean - langevin) / se;
    println!(
        "Langevin: <m_z> = {mean:.5} +- {se:.5}, coth(xi) - 1/xi = {langevin:.5} (z = {z:.2})"
    );
    assert!(z.abs() < 3.5, "z = {z}");
}

/// The STT free layer of the benchmark: returns the spec for polarisation `p`, asymmetry `lambda`.
fn stt_layer(j: f64, lambda: f64, tilt_deg: f64, field_like: f64) -> MacrospinSpec {
    // the project's standard free layer, without its applied field
    let mut s = larmor_scenarios::standard_spec();
    s.applied = [0.0; 3];
    let th = tilt_deg.to_radians();
    s.m0 = [th.sin(), 0.0, -th.cos()];
    s.stt = Some(SttSpec {
        polarizer: [0.0, 0.0, 1.0],
        polarization: 0.6,
        lambda,
        field_like,
        current: CurrentSpec::Density(larmor::drive::DriveSpec::Constant(j)),
        thickness: None,
    });
    s
}

/// J_c0 = alpha H_K,eff mu0 e Ms d / (hbar eps), eps at m.p = -1.
fn j_c0(lambda: f64) -> f64 {
    let (alpha, ms, d, p) = (0.01, 1e6, 1.5e-9, 0.6);
    let h_keff = 0.5 / MU0; // A/m
    let l2 = lambda * lambda;
    let eps = p * l2 / ((l2 + 1.0) - (l2 - 1.0));
    alpha * h_keff * MU0 * E_CHARGE * ms * d / (HBAR * eps)
}

#[test]
fn positive_current_pushes_m_towards_the_polariser() {
    let model = stt_layer(3e11, 1.0, 10.0, 0.0).compile::<f64>().unwrap();
    let mut m = [model.m0];
    let t_end = model.units.time_to_reduced(0.2e-9);
    Integrator::new(model.llg.clone(), Rk4::new(), m, 0.02)
        .and_then(|run| run.run_span(&mut m, (0.0, t_end), &mut [], &mut ()))
        .unwrap();
    assert!(m[0].z > model.m0.z, "{} -> {}", model.m0.z, m[0].z);
    let model = stt_layer(-3e11, 1.0, 10.0, 0.0).compile::<f64>().unwrap();
    let mut m = [model.m0];
    Integrator::new(model.llg.clone(), Rk4::new(), m, 0.02)
        .and_then(|run| run.run_span(&mut m, (0.0, t_end), &mut [], &mut ()))
        .unwrap();
    assert!(m[0].z < model.m0.z);
}

/// Does the cone angle grow under current `j` (T = 0, starting 0.1 degree from -p)?
fn grows(j: f64, lambda: f64, field_like: f64) -> bool {
    let model = stt_layer(j, lambda, 0.1, field_like)
        .compile::<f64>()
        .unwrap();
    let mut m = [model.m0];
    Integrator::new(model.llg.clone(), Rk4::new(), m, 0.05)
        .and_then(|run| run.run_span(&mut m, (0.0, 1500.0), &mut [], &mut ()))
        .unwrap();
    m[0].z > model.m0.z
}

#[test]
fn stt_threshold_by_bisection_matches_j_c0() {
    for (lambda, beta) in [(1.0, 0.0), (1.5, 0.0), (1.0, 0.3)] {
        // with a field-like term the damping-like coefficient is (1 - alpha beta)/(1 + alpha^2)
        let expect = j_c0(lambda) / (1.0 - 0.01 * beta);
        let (mut lo, mut hi) = (0.5 * expect, 1.5 * expect);
        assert!(!grows(lo, lambda, beta) && grows(hi, lambda, beta));
        for _ in 0..24 {
            let mid = 0.5 * (lo + hi);
            if grows(mid, lambda, beta) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        let found = 0.5 * (lo + hi);
        let rel = (found / expect - 1.0).abs();
        println!("STT threshold (Lambda = {lambda}, beta = {beta}): bisection {found:.6e} A/m^2, formula {expect:.6e}, rel. diff {rel:.1e}");
        assert!(rel < 1e-3, "{rel}");
    }
}

#[test]
fn switching_time_matches_the_exact_integral() {
    // collinear p, axis and (absent) field: u = m_z obeys
    // du/dtau = (1 - u^2) [A u + B],  A = alpha h_keff/(1+alpha^2),  B = b eps/(1+alpha^2)
    // t_sw = int_{u0}^{0} du / ((1-u^2)(A u + B)), in closed form by partial fractions.
    for j_over_jc in [1.5, 3.0, 10.0] {
        let j = j_over_jc * j_c0(1.0);
        let model = stt_layer(j, 1.0, 1.0, 0.0).compile::<f64>().unwrap();
        let (alpha, ms, d) = (0.01, 1e6, 1.5e-9);
        let pre = 1.0 / (1.0 + alpha * alpha);
        let a = alpha * pre * (0.5 / (MU0 * ms));
        let b = pre * HBAR * j / (MU0 * E_CHARGE * ms * ms * d) * 0.3;
        let u0 = model.m0.z;
        let prim = |u: f64| {
            let ca = 1.0 / (2.0 * (a + b));
            let cb = 1.0 / (2.0 * (b - a));
            let cc = a * a / (a * a - b * b);
            -ca * (1.0 - u).ln() + cb * (1.0 + u).ln() + cc / a * (a * u + b).ln()
        };
        let exact = model.units.time_to_si(prim(0.0) - prim(u0));
        let mut m = [model.m0];
        let mut ev = [Crossing::mz(0.0, Direction::Rising)];
        let t_end = model.units.time_to_reduced(1.2 * exact);
        Integrator::new(model.llg.clone(), Rk4::new(), m, 0.005)
            .and_then(|run| run.run_span(&mut m, (0.0, t_end), &mut ev, &mut ()))
            .unwrap();
        let sim = model.units.time_to_si(ev[0].time.expect("switched"));
        let rel = (sim / exact - 1.0).abs();
        println!("switching time at J = {j_over_jc} J_c0: LLG {:.6} ns, exact {:.6} ns, rel. diff {rel:.1e}", sim * 1e9, exact * 1e9);
        assert!(rel < 1e-5, "{rel}");
    }
}

#[test]
fn neel_brown_escape_time() {
    // Axially symmetric particle, no field, sigma = K V / kB T = 6, alpha = 1. Mean first-passage
    // time from m = +z to m_z = -1/2 (well inside the other well): the exact result of the 1D
    // Fokker-Planck equation for u = cos(theta) (Brown 1963; Coffey et al. 1994),
    //   T = 2 tau_N int_{-1/2}^{1} du e^{beta V(u)} / (1 - u^2) int_u^1 e^{-beta V(v)} dv,
    // with beta V = -sigma u^2 and 1/(2 tau_N) = D/(1+alpha^2), D = alpha kB T/(mu0 Ms^2 V).
    // The target is deep in the other well so that the time step's discrete monitoring of the
    // crossing (which lengthens first-passage times near a flat saddle) does not bias the mean.
    let (k1, sigma, alpha): (f64, f64, f64) = (0.5, 6.0, 1.0);
    let (target, d) = (-0.5, alpha * k1 / sigma);
    let two_tau_n = (1.0 + alpha * alpha) / d;
    // trapezoid from u = 1 downwards; at u -> 1 the outer integrand tends to 1/2
    let n = 60_000;
    let hu = (1.0 - target) / n as f64;
    let (mut inner, mut outer) = (0.0, 0.0);
    let (mut prev_g, mut prev_f) = (sigma.exp(), 0.5);
    for i in (0..n).rev() {
        let u = target + i as f64 * hu;
        let g = (sigma * u * u).exp();
        inner += 0.5 * (g + prev_g) * hu;
        prev_g = g;
        let f = (-sigma * u * u).exp() * inner / (1.0 - u * u);
        outer += 0.5 * (f + prev_f) * hu;
        prev_f = f;
    }
    let exact = two_tau_n * outer;
    let llg = Llg::new(alpha, Uniaxial::new(k1, 0.0, Vec3::Z));
    let trials = 400u64;
    let times: Vec<f64> = (0..trials)
        .map(|k| {
            let th = Thermal::<f64, 1>::new(d, Drive::constant(1.0));
            let mut rng = Philox::new(99, k);
            let mut m = [Vec3::Z];
            let mut ev = [Crossing::mz(target, Direction::Falling)];
            let mut obs = |_: u64, _: f64, m: &[Vec3<f64>]| {
                if m[0].z <= target {
                    larmor::integrate::Control::Stop
                } else {
                    larmor::integrate::Control::Continue
                }
            };
            Integrator::thermal(llg.clone(), Heun::new(), m, 0.01, th.clone(), &mut rng)
                .and_then(|run| run.run_span(&mut m, (0.0, 1e6), &mut ev, &mut obs))
                .unwrap();
            ev[0].time.expect("escaped")
        })
        .collect();
    let mean = times.iter().sum::<f64>() / trials as f64;
    let sd =
        (times.iter().map(|t| (t - mean) * (t - mean)).sum::<f64>() / (trials - 1) as f64).sqrt();
    let se = sd / (trials as f64).sqrt();
    let z = (mean - exact) / se;
    // Brown's asymptotic escape rate f0 e^{-sigma}, f0 = alpha/(1+alpha^2) h_K sqrt(sigma/pi)
    // (reduced units, h_K = 2 k1), from the kernel's arrhenius module
    let f0 = alpha / (1.0 + alpha * alpha) * 2.0 * k1 * (sigma / std::f64::consts::PI).sqrt();
    let brown = larmor::arrhenius::neel_brown_with(
        sigma,
        0.0,
        0.0,
        larmor::arrhenius::Prefactor::Fixed(f0),
    )
    .unwrap();
    let brown_t = 1.0 / brown.rate_up;
    println!(
        "Neel-Brown (sigma = {sigma}, alpha = {alpha}): sLLG mean escape time {mean:.1} +- {se:.1} (reduced units), exact {exact:.1} (z = {z:.2}); Brown's asymptotic 1/Gamma = {brown_t:.1} ({:+.1}% from exact: formula error O(1/sigma))",
        (brown_t / exact - 1.0) * 100.0
    );
    assert!(z.abs() < 3.5, "z = {z}");
    // and Brown's formula agrees within its own asymptotic error (~1/sigma plus the time spent
    // beyond the saddle)
    assert!((brown_t / exact - 1.0).abs() < 0.25);
}

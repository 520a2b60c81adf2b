//! Two-state master equation (Neel 1949; Brown 1963) and Neel-Brown rates.
//!
//! Statistical checks use z-scores: the mean of N independent +-1 states has standard error
//! sqrt((1 - <s>^2)/N); every check allows |z| < 5 (false-alarm probability 6e-7 each), with
//! fixed seeds.

use larmor::arrhenius::{self, kmc_relax, Prefactor, Regime, TwoLevel};
use larmor::field::{Uniaxial, Zeeman};
use larmor::llg::{Dynamics, Llg};
use larmor::random::Philox;
use larmor::{sw, Vec3};

const Z_MAX: f64 = 5.0;

#[test]
fn master_equation_is_exact_and_relaxes_at_gamma() {
    let tl = TwoLevel::<f64>::from_energies(1e9, -2.0, 1.5, 18.0, 1.0).unwrap();
    let g = tl.relaxation_rate();
    let s0 = tl.equilibrium();
    // s0 = tanh((E_down - E_up) / 2kT) (eq. 14)
    assert!((s0 - (3.5f64 / 2.0).tanh()).abs() < 1e-15);
    // Gamma = sum of the two Arrhenius rates (eq. 15)
    let want = 1e9 * ((-(18.0 + 2.0f64)).exp() + (-(18.0 - 1.5f64)).exp());
    assert!((g / want - 1.0).abs() < 1e-14);
    // exact propagation: semigroup property and comparison with the population equations
    // dP_up/dt = w_du P_down - w_ud P_up integrated by RK4 with 1e5 steps over 3/Gamma
    let t_end = 3.0 / g;
    let n = 100_000;
    let h = t_end / n as f64;
    let (wud, wdu) = (tl.up_to_down, tl.down_to_up);
    let f = |p: f64| wdu * (1.0 - p) - wud * p;
    let mut p = 0.0; // start all down: <s> = -1
    for _ in 0..n {
        let k1 = f(p);
        let k2 = f(p + 0.5 * h * k1);
        let k3 = f(p + 0.5 * h * k2);
        let k4 = f(p + h * k3);
        p += h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
    }
    let s_rk4 = 2.0 * p - 1.0;
    let s_exact = tl.advance(-1.0, t_end);
    println!(
        "master equation: exact vs RK4 of the population equations: {:.1e}",
        (s_exact - s_rk4).abs()
    );
    assert!((s_exact - s_rk4).abs() < 1e-12);
    let two_steps = tl.advance(tl.advance(-1.0, 0.3 * t_end), 0.7 * t_end);
    assert!((two_steps - s_exact).abs() < 1e-15);
    // relaxation at rate Gamma: ln|s - s0| falls with slope -Gamma
    let d1 = (tl.advance(-1.0, 1.0 / g) - s0).abs();
    let d2 = (tl.advance(-1.0, 2.0 / g) - s0).abs();
    assert!(((d1 / d2).ln() - 1.0).abs() < 1e-12);
    // f32 agrees to f32 rounding
    let t32 = TwoLevel::<f32>::new(wud as f32, wdu as f32).unwrap();
    assert!((t32.advance(-1.0, t_end as f32) as f64 - s_exact).abs() < 1e-6);
}

/// Detailed balance: stationary occupations are Boltzmann, P_up/P_down = exp(-(E_up - E_down)/kT),
/// for any barrier height; with SW energies the equilibrium is tanh of the energy difference.
#[test]
fn detailed_balance() {
    for &(eu, ed, emax, kt) in &[
        (0.0, 0.0, 5.0, 1.0),
        (-3.0, 1.0, 10.0, 2.0),
        (2.0, -7.0, 40.0, 0.7),
    ] {
        let tl = TwoLevel::<f64>::from_energies(1e10, eu, ed, emax, kt).unwrap();
        let (pu, pd) = tl.occupations();
        let boltz = (-(eu - ed) / kt).exp();
        assert!((pu / pd / boltz - 1.0).abs() < 1e-12);
        // flux balance in the stationary state
        assert!((pu * tl.up_to_down - pd * tl.down_to_up).abs() < 1e-12 * pu * tl.up_to_down);
    }
    // Neel-Brown with a common f0 on exact SW energies: s0 = tanh(sigma (e_down - e_up))
    let (sigma, h, psi) = (20.0, 0.3, 0.6);
    let nb = arrhenius::neel_brown_with(sigma, h, psi, Prefactor::Fixed(1e9)).unwrap();
    let b = sw::barrier(h * psi.cos(), h * psi.sin()).unwrap().unwrap();
    let want = (sigma * (b.down.energy - b.up.energy)).tanh();
    assert!((nb.s0 - want).abs() < 1e-12, "{} vs {want}", nb.s0);
}

/// Kinetic Monte Carlo of identical two-state particles reproduces the master equation at
/// several times (z-scores).
#[test]
fn kmc_follows_the_master_equation() {
    let tl = TwoLevel::new(2.0, 0.5).unwrap(); // Hz
    let times = [0.0, 0.1, 0.3, 0.6, 1.0, 2.0, 5.0];
    let n = 40_000;
    let mut m = [0.0; 7];
    kmc_relax(&mut Philox::new(2002, 0), n, |_| tl, 1.0, &times, &mut m).unwrap();
    let mut zmax: f64 = 0.0;
    for (k, &t) in times.iter().enumerate() {
        let mean = tl.advance(1.0, t);
        let se = ((1.0 - mean * mean) / n as f64).sqrt().max(1e-300);
        let z = if k == 0 { 0.0 } else { (m[k] - mean) / se };
        zmax = zmax.max(z.abs());
    }
    println!(
        "kMC vs master equation, N = {n}: max |z| = {zmax:.2} over {} times",
        times.len() - 1
    );
    assert!(zmax < Z_MAX);
    assert_eq!(m[0], 1.0);
}

/// Brown's axially symmetric prefactor, by hand at h = 0, and its field dependence.
#[test]
fn brown_prefactor_values() {
    let (sigma, alpha, bk, gamma) = (50.0, 0.02, 0.3, larmor::units::GAMMA_E);
    let [u, d] = arrhenius::brown_attempt_frequency(sigma, 0.0, alpha, bk, gamma).unwrap();
    let hand = alpha / (1.0 + alpha * alpha) * gamma * bk * (sigma / std::f64::consts::PI).sqrt();
    assert_eq!(u, d);
    assert!((u / hand - 1.0).abs() < 1e-14);
    println!("Brown f0 (sigma 50, alpha 0.02, mu0 H_K 0.3 T) = {u:.4e} Hz");
    let [u, d] = arrhenius::brown_attempt_frequency(sigma, 0.4, alpha, bk, gamma).unwrap();
    assert!((u / hand - (1.0 - 0.16) * 1.4).abs() < 1e-12);
    assert!((d / hand - (1.0 - 0.16) * 0.6).abs() < 1e-12);
    let nb = arrhenius::neel_brown(sigma, 0.4, alpha, bk, 0.0).unwrap();
    assert_eq!(nb.regime, Regime::Axial);
    assert!((nb.barrier_down_kt - sigma * 0.36).abs() < 1e-12);
    assert!((nb.tau - 1.0 / (nb.rate_up + nb.rate_down)).abs() < 1e-12 * nb.tau);
}

/// The oblique-field (IHD / Langer) prefactor against an independent construction: the unstable
/// eigenvalue of the kernel's LLG right-hand side linearised numerically at the SW saddle, and
/// the Hessian determinants from finite differences of the SW energy on the sphere.
#[test]
fn ihd_prefactor_matches_linearised_llg() {
    let (sigma, h, psi, alpha) = (40.0f64, 0.3, 0.8, 0.1);
    // reduced LLG units: k1 = 1/2 gives H_K = Ms and gamma mu0 H_K = 1 per unit time
    let nb = arrhenius::neel_brown_with(
        sigma,
        h,
        psi,
        Prefactor::Brown {
            alpha,
            hk_tesla: 1.0,
            gamma: 1.0,
        },
    )
    .unwrap();
    assert_eq!(nb.regime, Regime::Ihd);
    let (a, b) = (h * psi.cos(), h * psi.sin());
    let bar = sw::barrier(a, b).unwrap().unwrap();
    let axis = Vec3::Z;
    let hv = Vec3::new(b, 0.0, a);
    let frame = sw::Frame::new(axis, hv, axis).unwrap();
    let ms = frame.direction(bar.saddle.cos, bar.saddle.sin);
    let mu = frame.direction(bar.up.cos, bar.up.sin);
    let llg = Llg::new(alpha, (Zeeman::constant(hv), Uniaxial::new(0.5, 0.0, axis)));
    // tangent basis at a point: in-plane e1 and the plane normal e2
    let basis = |m: Vec3<f64>| {
        let n = frame.u.cross(frame.p);
        (n.cross(m).normalized(), n)
    };
    let chart = |m0: Vec3<f64>, x: f64, y: f64| {
        let (e1, e2) = basis(m0);
        (m0 + e1.scale(x) + e2.scale(y)).normalized()
    };
    // Jacobian of the LLG flow at the saddle (central differences)
    let (e1, e2) = basis(ms);
    let eps = 1e-6;
    let f = |x: f64, y: f64| {
        let mut dm = [Vec3::ZERO];
        llg.rhs(0.0, &[chart(ms, x, y)], &mut dm);
        (dm[0].dot(e1), dm[0].dot(e2))
    };
    let (fxp, fxm, fyp, fym) = (f(eps, 0.0), f(-eps, 0.0), f(0.0, eps), f(0.0, -eps));
    let j = [
        [(fxp.0 - fxm.0) / (2.0 * eps), (fyp.0 - fym.0) / (2.0 * eps)],
        [(fxp.1 - fxm.1) / (2.0 * eps), (fyp.1 - fym.1) / (2.0 * eps)],
    ];
    let tr = j[0][0] + j[1][1];
    let det = j[0][0] * j[1][1] - j[0][1] * j[1][0];
    let kappa = 0.5 * tr + (0.25 * tr * tr - det).sqrt();
    // Hessian determinants of e on the sphere (energy of the LLG terms is e_SW / 2 in these
    // units: e_LLG = k1 sin^2 - h.m with k1 = 1/2, i.e. exactly e_SW; no rescaling)
    let hess = |m0: Vec3<f64>| {
        let e = |x: f64, y: f64| llg.energy(0.0, &[chart(m0, x, y)]);
        let d = 1e-4;
        let exx = (e(d, 0.0) - 2.0 * e(0.0, 0.0) + e(-d, 0.0)) / (d * d);
        let eyy = (e(0.0, d) - 2.0 * e(0.0, 0.0) + e(0.0, -d)) / (d * d);
        let exy = (e(d, d) - e(d, -d) - e(-d, d) + e(-d, -d)) / (4.0 * d * d);
        exx * eyy - exy * exy
    };
    let f0_independent = kappa / (2.0 * std::f64::consts::PI) * (hess(mu) / -hess(ms)).sqrt();
    let rel = nb.f0_up / f0_independent - 1.0;
    println!(
        "IHD prefactor: kernel {:.6e}, linearised LLG + FD Hessians {:.6e} (rel. diff {rel:.1e}); transverse stiffness {:.1} kT",
        nb.f0_up, f0_independent, nb.transverse_stiffness
    );
    assert!(rel.abs() < 1e-5);
    assert!(nb.transverse_stiffness > 1.0);
}

#[test]
fn bad_parameters_are_errors() {
    use larmor::Error;
    let e = arrhenius::neel_brown(-1.0, 0.1, 0.1, 0.5, 0.0).unwrap_err();
    assert!(e.to_string().contains("arrhenius.delta"), "{e}");
    // outside the astroid there is no barrier: the formula does not apply
    let e = arrhenius::neel_brown(40.0, 0.6, 0.1, 0.5, std::f64::consts::FRAC_PI_4).unwrap_err();
    assert!(
        matches!(
            e,
            Error::OutOfRange {
                param: "arrhenius.h_hk",
                ..
            }
        ),
        "{e}"
    );
    assert!(arrhenius::brown_attempt_frequency(40.0, 1.0, 0.1, 0.5, 1.0).is_err());
    assert!(arrhenius::brown_attempt_frequency(40.0, 0.2, 0.0, 0.5, 1.0).is_err());
    assert!(TwoLevel::<f64>::new(-1.0, 1.0).is_err());
    assert!(TwoLevel::<f64>::new(f64::NAN, 1.0).is_err());
    assert!(TwoLevel::<f64>::from_energies(1e9, 0.0, 0.0, -1.0, 1.0).is_err());
    let tl = TwoLevel::new(1.0, 1.0).unwrap();
    let mut m = [0.0; 2];
    assert!(matches!(
        kmc_relax(&mut Philox::new(1, 0), 0, |_| tl, 1.0, &[0.0, 1.0], &mut m),
        Err(Error::Empty { .. })
    ));
    assert!(kmc_relax(&mut Philox::new(1, 0), 5, |_| tl, 0.5, &[0.0, 1.0], &mut m).is_err());
    assert!(kmc_relax(&mut Philox::new(1, 0), 5, |_| tl, 1.0, &[1.0, 0.0], &mut m).is_err());
    assert!(kmc_relax(&mut Philox::new(1, 0), 5, |_| tl, 1.0, &[0.0], &mut m).is_err());
    let bad = TwoLevel {
        up_to_down: -1.0,
        down_to_up: 0.0,
    };
    assert!(kmc_relax(&mut Philox::new(1, 0), 5, |_| bad, 1.0, &[0.0, 1.0], &mut m).is_err());
    assert!(arrhenius::retention_time(40.0, 1e9, 1.0).is_err());
    assert!(arrhenius::stt_write_probability(40.0, 1.0, 1e9, 1e-9).is_err());
    assert!(arrhenius::stt_write_probability(-40.0, 0.5, 1e9, 1e-9).is_err());
    assert!(arrhenius::stability_factor(1e5, -1e-24, 300.0).is_err());
}

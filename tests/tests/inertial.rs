//! Inertial LLG against its closed forms: the two linear modes about a static field (roots of
//! `eta w^2 - (1 - i alpha) w - h = 0`, Olive et al., J. Appl. Phys. 117, 213904 (2015)), their
//! senses of rotation, the constraints `|m| = 1` and `m . v = 0`, and the LLG limit `tau -> 0`.

use larmor::field::Zeeman;
use larmor::inertial::{modes, InertialLlg};
use larmor::integrate::{Control, Integrator};
use larmor::llg::Llg;
use larmor::stepper::{Heun, Rk4};
use larmor::Vec3;

type C = (f64, f64);
fn mul(a: C, b: C) -> C {
    (a.0 * b.0 - a.1 * b.1, a.0 * b.1 + a.1 * b.0)
}
fn conj(a: C) -> C {
    (a.0, -a.1)
}
fn add(a: C, b: C) -> C {
    (a.0 + b.0, a.1 + b.1)
}
fn sub(a: C, b: C) -> C {
    (a.0 - b.0, a.1 - b.1)
}
fn div(a: C, b: C) -> C {
    let d = b.0 * b.0 + b.1 * b.1;
    let n = mul(a, conj(b));
    (n.0 / d, n.1 / d)
}
fn csqrt(a: C) -> C {
    let r = (a.0 * a.0 + a.1 * a.1).sqrt();
    let (re, im) = ((0.5 * (r + a.0)).sqrt(), (0.5 * (r - a.0)).sqrt());
    (re, if a.1 < 0.0 { -im } else { im })
}

/// Prony's method for two modes: least-squares `x[k+2] = c1 x[k+1] + c0 x[k]`, then the roots
/// `z` of `z^2 - c1 z - c0` give `w = i ln(z) / dt` (for `x ~ exp(-i w t)`).
fn prony2(x: &[C], dt: f64) -> [C; 2] {
    // normal equations A^H A c = A^H b with rows (x[k+1], x[k]) and b = x[k+2]
    let (mut a11, mut a12, mut a22, mut b1, mut b2) =
        ((0.0, 0.0), (0.0, 0.0), (0.0, 0.0), (0.0, 0.0), (0.0, 0.0));
    for k in 0..x.len() - 2 {
        let (p, q, r) = (x[k + 1], x[k], x[k + 2]);
        a11 = add(a11, mul(conj(p), p));
        a12 = add(a12, mul(conj(p), q));
        a22 = add(a22, mul(conj(q), q));
        b1 = add(b1, mul(conj(p), r));
        b2 = add(b2, mul(conj(q), r));
    }
    let a21 = conj(a12);
    let det = sub(mul(a11, a22), mul(a12, a21));
    let c1 = div(sub(mul(b1, a22), mul(a12, b2)), det);
    let c0 = div(sub(mul(a11, b2), mul(a21, b1)), det);
    // z = (c1 +/- sqrt(c1^2 + 4 c0)) / 2
    let s = csqrt(add(mul(c1, c1), mul((4.0, 0.0), c0)));
    let zs = [mul(add(c1, s), (0.5, 0.0)), mul(sub(c1, s), (0.5, 0.0))];
    zs.map(|z| {
        // w = i ln z / dt, ln z = ln|z| + i arg z
        let (lnr, arg) = ((z.0 * z.0 + z.1 * z.1).sqrt().ln(), z.1.atan2(z.0));
        (-arg / dt, lnr / dt)
    })
}

/// Small oscillations about h along z: the fitted precession and nutation frequencies and
/// decay rates against the roots of the characteristic equation.
#[test]
fn linear_modes_match_the_characteristic_roots() {
    let (alpha, tau, h) = (0.01, 5.0, 1.0);
    let eta = alpha * tau;
    let sys = InertialLlg::new(alpha, Zeeman::constant(Vec3::new(0.0, 0.0, h)), tau).unwrap();
    let theta = 1e-3f64;
    let m0 = Vec3::new(theta.sin(), 0.0, theta.cos());
    // v = 0: both modes excited (nutation amplitude ~ |w_p / w_n| of the precession's)
    let dt = 1e-3;
    let every = 10;
    let mut run = Integrator::new(sys, Rk4::new(), [m0, Vec3::ZERO], dt).unwrap();
    let mut x = Vec::new();
    let mut worst_norm = 0.0f64;
    let mut worst_tangent = 0.0f64;
    run.run_to(20.0, &mut |k: u64, _: f64, y: &[Vec3<f64>]| {
        if k % every == 0 {
            x.push((y[0].x, y[0].y));
        }
        worst_norm = worst_norm.max((y[0].norm() - 1.0).abs());
        worst_tangent = worst_tangent.max(y[0].dot(y[1]).abs());
        Control::Continue
    })
    .unwrap();
    let mut w = prony2(&x, dt * every as f64);
    w.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap());
    let [p, n] = w;
    let (pe, ne) = modes(alpha, eta, h);
    let rel = |a: C, b: C| {
        ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt() / (b.0 * b.0 + b.1 * b.1).sqrt()
    };
    println!(
        "precession fitted {p:?} exact {pe:?} rel {:.2e}",
        rel(p, pe)
    );
    println!(
        "nutation   fitted {n:?} exact {ne:?} rel {:.2e}",
        rel(n, ne)
    );
    println!("max ||m|-1| {worst_norm:.1e}, max |m.v| {worst_tangent:.1e}");
    assert!(rel(p, pe) < 1e-4, "precession root {p:?} vs {pe:?}");
    // the record spans T = 20 (frequency resolution 2 pi / T = 0.31); Prony does far better
    assert!(rel(n, ne) < 1e-3, "nutation root {n:?} vs {ne:?}");
    assert!(
        p.0 < 0.0 && n.0 > 0.0,
        "nutation turns opposite to precession"
    );
    assert!(p.1 < 0.0 && n.1 < 0.0, "both modes decay");
    assert!(worst_norm < 1e-14 && worst_tangent < 1e-14);
}

/// `tau -> 0`: with the velocity slaved to the Landau-Lifshitz right-hand side, the inertial
/// trajectory approaches the LLG one, the difference shrinking in proportion to `eta`.
#[test]
fn small_inertia_recovers_llg() {
    let (alpha, h) = (0.1, Vec3::new(0.0, 0.0, 1.0));
    let m0 = Vec3::new(0.6, 0.0, 0.8);
    let t_end = 2.0;
    let dev = |tau: f64| {
        let sys = InertialLlg::new(alpha, Zeeman::constant(h), tau).unwrap();
        let dt = alpha * tau / 20.0;
        let v0 = sys.llg_velocity(m0);
        let mut inertial = Integrator::new(sys, Rk4::new(), [m0, v0], dt).unwrap();
        let mut llg =
            Integrator::new(Llg::new(alpha, Zeeman::constant(h)), Rk4::new(), [m0], dt).unwrap();
        let mut worst = 0.0f64;
        while inertial.time() < t_end - 0.5 * dt {
            inertial.step().unwrap();
            llg.step().unwrap();
            worst = worst.max((inertial.state()[0] - llg.state()[0]).norm());
        }
        worst
    };
    let (d1, d2) = (dev(0.02), dev(0.01));
    println!(
        "max |m_inertial - m_llg|: tau 0.02 -> {d1:.3e}, tau 0.01 -> {d2:.3e} (ratio {:.3})",
        d2 / d1
    );
    assert!(d1 < 0.02 * alpha, "O(eta) = O(alpha tau) deviation: {d1}");
    assert!(
        (d2 / d1 - 0.5).abs() < 0.1,
        "deviation proportional to tau: {d1} {d2}"
    );
}

/// Heun and the adaptive stepper keep the tangent-bundle constraints too; the midpoint
/// (rotation) stepper refuses the inertial state.
#[test]
fn every_stepper_keeps_the_constraints_or_refuses() {
    let sys = InertialLlg::new(0.05f64, Zeeman::constant(Vec3::new(0.3, 0.0, 1.0)), 2.0).unwrap();
    let m0 = Vec3::new(0.6, 0.0, 0.8);
    let y0 = [m0, sys.llg_velocity(m0)];
    let mut heun = Integrator::new(sys.clone(), Heun::new(), y0, 1e-3).unwrap();
    heun.advance_to(5.0).unwrap();
    let [m, v] = *heun.storage();
    assert!((m.norm() - 1.0).abs() < 1e-14 && m.dot(v).abs() < 1e-14);
    let tol = larmor::stepper::Tolerance::new(1e-9, 1e-9, 1e-9, 0.5).unwrap();
    let mut dp = Integrator::new(
        sys.clone(),
        larmor::stepper::DormandPrince::new(tol),
        y0,
        1e-3,
    )
    .unwrap();
    dp.advance_to(5.0).unwrap();
    let d = (dp.state()[0] - m).norm();
    assert!(d < 1e-5, "dopri45 vs heun at dt = 1e-3: {d}");
    let mut mid = Integrator::new(sys, larmor::stepper::Midpoint::new(), y0, 1e-3).unwrap();
    assert!(mid.step().is_err());
}

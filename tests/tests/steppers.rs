//! Every stepper against the closed-form damped precession, measured convergence orders, the
//! adaptive stepper's tolerance, and exact norm preservation of the midpoint scheme.

use larmor::field::{Demag, Uniaxial, Zeeman};
use larmor::llg::Llg;
use larmor::stepper::{Dop853, DormandPrince, Heun, Midpoint, Rk4, Stepper, Tolerance};
use larmor::{Real, Vec3};
use larmor_tests::*;

const ALPHA: f64 = 0.1;
const H: f64 = 1.0;
const T_END: f64 = 10.0;

fn error_at<S: Real, St: Stepper<S, 1>>(st: St, dt: f64) -> f64 {
    let sys = precession_system::<S>(ALPHA, H);
    let m = final_state(&sys, st, Vec3::X, T_END, dt).cast::<f64>();
    (m - precession_exact(ALPHA, H, T_END)).norm()
}

/// One body, many scalars: each stepper tracks the closed form within a per-scalar tolerance.
macro_rules! closed_form_test {
    ($name:ident, $s:ty, $dt:expr, $tol_rk4:expr, $tol_heun:expr, $tol_mid:expr, $tol_dp:expr) => {
        #[test]
        fn $name() {
            let e_rk4 = error_at::<$s, _>(Rk4::new(), $dt);
            let e_heun = error_at::<$s, _>(Heun::new(), $dt);
            let e_mid = error_at::<$s, _>(Midpoint::new(), $dt);
            let tol = Tolerance::new(1e-7, 1e-7, 1e-9, 1.0).unwrap();
            let e_dp = error_at::<$s, _>(DormandPrince::new(tol), $dt);
            println!(
                "{}: |m - exact| at t={T_END}: rk4 {e_rk4:.2e} heun {e_heun:.2e} midpoint {e_mid:.2e} dopri45 {e_dp:.2e}",
                <$s as Real>::NAME
            );
            assert!(e_rk4 < $tol_rk4, "rk4 {e_rk4}");
            assert!(e_heun < $tol_heun, "heun {e_heun}");
            assert!(e_mid < $tol_mid, "midpoint {e_mid}");
            assert!(e_dp < $tol_dp, "dopri45 {e_dp}");
        }
    };
}

// f64: truncation-limited; bounds are the error constants measured in `convergence_orders`
// (RK4 ~ 5.5e-2 dt^4, Heun ~ 1.1 dt^2, midpoint ~ 0.17 dt^2 at t = 10) with a 50% margin.
closed_form_test!(closed_form_f64, f64, 0.01, 8e-10, 1.7e-4, 2.6e-5, 1e-6);
// f32: RK4 and dopri45 become rounding-limited (~1000 steps x 6e-8); Heun and midpoint stay
// truncation-limited, with the same bounds as f64.
closed_form_test!(closed_form_f32, f32, 0.01, 2e-6, 1.7e-4, 2.6e-5, 1e-6);

#[test]
fn mz_follows_tanh_for_every_stepper() {
    // the closed form: m_z(t) = tanh(alpha gamma B t / (1 + alpha^2)).
    // h dt = 0.02: bounds are twice the truncation errors measured at this step (second-order
    // methods ~1e-4, RK4 ~2e-9); the orders themselves are checked in `convergence_orders`.
    let sys = precession_system::<f64>(0.05, 2.0);
    let a = 0.05 * 2.0 / (1.0 + 0.05 * 0.05);
    let check = |name: &str, tr: Vec<(f64, Vec3<f64>)>, tol: f64| {
        let worst = tr
            .iter()
            .map(|(t, m)| (m.z - (a * t).tanh()).abs())
            .fold(0.0, f64::max);
        println!("{name}: max |mz - tanh| = {worst:.2e}");
        assert!(worst < tol, "{name}: {worst}");
    };
    check("rk4", trace(&sys, Rk4::new(), Vec3::X, 30.0, 0.01), 3e-9);
    check(
        "heun",
        trace(&sys, Heun::new(), Vec3::X, 30.0, 0.01),
        1.5e-4,
    );
    check(
        "midpoint",
        trace(&sys, Midpoint::new(), Vec3::X, 30.0, 0.01),
        6e-5,
    );
    let tol = Tolerance::new(1e-10, 1e-10, 1e-12, 1.0).unwrap();
    check(
        "dopri45",
        trace(&sys, DormandPrince::new(tol), Vec3::X, 30.0, 0.01),
        1e-8,
    );
}

#[test]
fn convergence_orders() {
    let dts = [0.2, 0.1, 0.05, 0.025];
    let order = |f: &dyn Fn(f64) -> f64| {
        let errs: Vec<f64> = dts.iter().map(|&dt| f(dt)).collect();
        (fitted_order(&dts, &errs), errs)
    };
    let (p_rk4, e) = order(&|dt| error_at::<f64, _>(Rk4::new(), dt));
    println!("rk4 order {p_rk4:.3} errors {e:?}");
    let (p_heun, e) = order(&|dt| error_at::<f64, _>(Heun::new(), dt));
    println!("heun order {p_heun:.3} errors {e:?}");
    let (p_mid, e) = order(&|dt| error_at::<f64, _>(Midpoint::new(), dt));
    println!("midpoint order {p_mid:.3} errors {e:?}");
    assert!((p_rk4 - 4.0).abs() < 0.15, "rk4 order {p_rk4}");
    assert!((p_heun - 2.0).abs() < 0.1, "heun order {p_heun}");
    assert!((p_mid - 2.0).abs() < 0.1, "midpoint order {p_mid}");
}

/// The global error of an adaptive stepper within a small multiple of the requested local
/// tolerance, and tightening the tolerance by 100 tightens the error accordingly.
fn meets_its_tolerance<St: Stepper<f64, 1>>(name: &str, make: impl Fn(Tolerance) -> St) {
    let mut last = f64::INFINITY;
    for tol in [1e-5, 1e-7, 1e-9, 1e-11] {
        let t = Tolerance::new(tol, tol, 1e-14, 1.0).unwrap();
        let err = error_at::<f64, _>(make(t), 0.01);
        println!("{name} tol {tol:.0e}: global error {err:.2e}");
        assert!(err < 10.0 * tol, "tol {tol}: err {err}");
        assert!(err < last);
        last = err;
    }
}

#[test]
fn dopri45_meets_its_tolerance() {
    meets_its_tolerance("dopri45", DormandPrince::new);
}

#[test]
fn dop853_meets_its_tolerance() {
    meets_its_tolerance("dop853", Dop853::new);
}

#[test]
fn dop853_is_eighth_order() {
    // fixed steps (every attempt accepted under a loose tolerance, the step held at dt_max):
    // halving the step divides the error by 2^8
    let fixed = |dt: f64| {
        let t = Tolerance::new(1.0, 1.0, dt * 1e-3, dt).unwrap();
        error_at::<f64, _>(Dop853::new(t), dt)
    };
    let e = [fixed(1.0), fixed(0.5), fixed(0.25)];
    let p = [(e[0] / e[1]).log2(), (e[1] / e[2]).log2()];
    println!("dop853 errors {e:?}, orders {p:?}");
    for q in p {
        assert!((q - 8.0).abs() < 0.6, "order {q} (errors {e:?})");
    }
}

#[test]
fn midpoint_preserves_norm_without_renormalising() {
    // anisotropy + demag + oblique field: a non-trivial trajectory, 1e5 steps
    let terms = (
        Zeeman::constant(Vec3::new(0.1, 0.05, 0.3)),
        Uniaxial::new(0.7, 0.1, Vec3::new(0.0, 0.6, 0.8)),
        Demag::new(Vec3::new(0.1, 0.2, 0.7)),
    );
    let sys = Llg::new(0.02, terms);
    let mut st = Midpoint::<f64, 1>::new();
    let mut m = [Vec3::new(1.0, 0.0, 0.0)];
    let mut worst = 0.0f64;
    for k in 0..100_000 {
        st.step(&sys, k as f64 * 0.02, &mut m, 0.02).unwrap();
        worst = worst.max((m[0].norm() - 1.0).abs());
    }
    println!("midpoint: max ||m| - 1| over 1e5 steps = {worst:.2e}");
    assert!(worst < 1e-12, "{worst}");
}

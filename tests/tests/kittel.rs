//! Kittel frequencies from ring-downs (RK4, dt = 0.1 ps): relative error < 1e-4 against
//! f_Kittel / (1 + alpha^2).

use larmor::params::{MacrospinSpec, Shape, UniaxialSpec};
use larmor::stepper::Rk4;
use larmor::units::{GAMMA_E, MU0};
use larmor::Vec3;
use larmor_tests::*;

const MS: f64 = 1.0e6;
const ALPHA: f64 = 0.01;
/// mu0 H_K,eff = 2 Ku / Ms - mu0 Ms = 0.5 T.
const BK_EFF: f64 = 0.5;

fn ku() -> f64 {
    (BK_EFF + MU0 * MS) * MS / 2.0
}

/// Rotates `v` by `angle` about the unit axis `a`.
fn rotate(v: Vec3<f64>, a: Vec3<f64>, angle: f64) -> Vec3<f64> {
    let (s, c) = angle.sin_cos();
    v.scale(c) + a.cross(v).scale(s) + a.scale(a.dot(v) * (1.0 - c))
}

/// Ring-down from `m_eq` tilted by 0.05 degrees; returns the measured frequency (Hz).
fn ring_down(applied: [f64; 3], m_eq: Vec3<f64>) -> f64 {
    let mut spec = MacrospinSpec::new(MS, ALPHA, Shape::Volume(1e-24));
    spec.demag = Some([0.0, 0.0, 1.0]);
    spec.uniaxial = Some(UniaxialSpec {
        ku: ku(),
        k2: 0.0,
        axis: [0.0, 0.0, 1.0],
    });
    spec.applied = applied;
    // tilt about an axis perpendicular to m_eq (small amplitude keeps nonlinear shifts < 1e-6)
    let tilt_axis = m_eq.cross(Vec3::Y).normalized();
    let tilt_axis = if tilt_axis.norm() > 0.5 {
        tilt_axis
    } else {
        Vec3::X
    };
    let m0 = rotate(m_eq, tilt_axis, 0.05f64.to_radians());
    spec.m0 = m0.to_f64();
    let model = spec.compile::<f64>().unwrap();
    let u = model.units;
    let dt = u.time_to_reduced(1e-13);
    let t_end = u.time_to_reduced(2e-9);
    let tr = trace(&model.llg, Rk4::new(), model.m0, t_end, dt);
    // deviation along the tilt direction, relative to equilibrium
    let e1 = tilt_axis.cross(m_eq).normalized();
    let sig: Vec<(f64, f64)> = tr
        .iter()
        .map(|(t, m)| (u.time_to_si(*t), (*m - m_eq).dot(e1)))
        .collect();
    let zc = rising_zero_crossings(&sig);
    1.0 / mean_period(&zc).expect("at least two periods")
}

fn check(case: &str, applied: [f64; 3], m_eq: Vec3<f64>, b_kittel: f64, ellipticity: f64) {
    let f_kittel = GAMMA_E / (2.0 * std::f64::consts::PI) * b_kittel;
    let expected = f_kittel / (1.0 + ALPHA * ALPHA);
    let f = ring_down(applied, m_eq);
    let rel = (f - expected).abs() / expected;
    // exact linearised damped frequency for an elliptical orbit with stiffness ratio r:
    // f_K/(1+a^2) * sqrt(1 - a^2 (r-1)^2/(4r))
    let r = ellipticity;
    let exact = expected * (1.0 - ALPHA * ALPHA * (r - 1.0) * (r - 1.0) / (4.0 * r)).sqrt();
    let rel_exact = (f - exact).abs() / exact;
    println!(
        "{case}: f = {:.6} GHz, Kittel/(1+a^2) = {:.6} GHz, rel. error {rel:.2e} (vs exact damped linear: {rel_exact:.2e})",
        f * 1e-9,
        expected * 1e-9
    );
    assert!(rel < 1e-4, "{case}: rel error {rel}");
}

#[test]
fn field_along_easy_axis() {
    let b = 0.2;
    check(
        "B || easy axis (0.2 T)",
        [0.0, 0.0, b],
        Vec3::Z,
        b + BK_EFF,
        1.0,
    );
}

#[test]
fn in_plane_field_below_anisotropy_field() {
    let b = 0.3;
    let s = b / BK_EFF;
    let m_eq = Vec3::new(s, 0.0, (1.0 - s * s).sqrt());
    // stiffnesses: h1 = B_K cos^2(theta), h2 = B_K -> ratio 1/cos^2
    let c2 = 1.0 - s * s;
    check(
        "in-plane 0.3 T < B_K,eff",
        [b, 0.0, 0.0],
        m_eq,
        BK_EFF * c2.sqrt(),
        1.0 / c2,
    );
}

#[test]
fn in_plane_field_above_anisotropy_field() {
    let b = 0.8;
    // stiffnesses: h1 = B - B_K (out of plane... about x: along z), h2 = B (along y)
    check(
        "in-plane 0.8 T > B_K,eff",
        [b, 0.0, 0.0],
        Vec3::X,
        (b * (b - BK_EFF)).sqrt(),
        b / (b - BK_EFF),
    );
}

//! Stoner-Wohlfarth single particle: astroid, equilibria, barriers, loop engine and history.
//!
//! References are independent of the code under test: the closed-form astroid
//! `(cos^(2/3) psi + sin^(2/3) psi)^(-3/2)` (the kernel finds h_sw from e' = e'' = 0 and from its
//! loop engine, never from this formula), and brute-force scans of e(theta) on a fine grid.

use larmor::sw::{self, Kind, Loop};
use larmor::Vec3;

fn astroid_formula(psi: f64) -> f64 {
    let (s, c) = psi.sin_cos();
    (c.abs().powf(2.0 / 3.0) + s.abs().powf(2.0 / 3.0)).powf(-1.5)
}

#[test]
fn astroid_from_stability_analysis_to_1e9() {
    let mut worst: f64 = 0.0;
    for k in 0..=720 {
        let psi = -std::f64::consts::PI + k as f64 * std::f64::consts::PI / 360.0;
        let h = sw::switching_field(psi).unwrap();
        worst = worst.max((h - astroid_formula(psi)).abs());
        let p = sw::astroid_point(psi).unwrap();
        let r = p.h_par.abs().powf(2.0 / 3.0) + p.h_perp.abs().powf(2.0 / 3.0);
        worst = worst.max((r - 1.0).abs());
    }
    println!("astroid (stability analysis): max |h_sw - formula| = {worst:.2e} over 721 angles");
    assert!(worst < 1e-9);
}

/// Switching fields measured by the loop engine (jump located along a field ramp) at 1 degree
/// steps from 1 to 88 degrees (beyond ~89.99 degrees the jump is below the engine's 0.05 rad
/// event threshold).
#[test]
fn astroid_from_loop_engine_to_1e9() {
    let mut worst: f64 = 0.0;
    for deg in 1..=88 {
        let psi = (deg as f64).to_radians();
        let mut lp = Loop::<f64>::in_plane(psi, true).unwrap();
        lp.sweep(2.0).unwrap();
        let mut jump = None;
        for k in 0..=100 {
            let h = 2.0 - 4.0 * k as f64 / 100.0;
            let st = lp
                .apply(Vec3::new(psi.cos() * h, psi.sin() * h, 0.0))
                .unwrap();
            if let Some(j) = st.jump_field {
                assert!(jump.is_none(), "one jump per branch");
                jump = Some(j.norm());
            }
        }
        let h = jump.expect("the descending branch jumps");
        worst = worst.max((h - astroid_formula(psi)).abs());
    }
    println!("astroid (loop engine): max |h_jump - formula| = {worst:.2e} over 88 angles");
    assert!(worst < 1e-9);
}

#[test]
fn loop_engine_in_f32() {
    // f32 resolves the fold to ~64 eps ~ 1e-5 of the field
    let mut worst: f32 = 0.0;
    for deg in [5.0f32, 20.0, 45.0, 70.0] {
        let psi = deg.to_radians();
        let mut lp = Loop::<f32>::in_plane(psi, true).unwrap();
        lp.sweep(2.0).unwrap();
        let mut jump = None;
        for k in 0..=200 {
            let st = lp
                .apply(Vec3::new(psi.cos(), psi.sin(), 0.0).scale(2.0 - 4.0 * k as f32 / 200.0))
                .unwrap();
            if st.jump_field.is_some() {
                jump = st.jump_field.map(|j| j.norm());
            }
        }
        worst = worst.max((jump.unwrap() - astroid_formula(psi as f64) as f32).abs());
    }
    println!("astroid (loop engine, f32): max error {worst:.2e}");
    assert!(worst < 1e-4);
}

/// Brute-force stationary points of e(theta) on a 2^20-point grid, refined by bisection of e'.
fn brute_stationary(a: f64, b: f64) -> Vec<(f64, f64)> {
    let n = 1 << 20;
    let d1 = |t: f64| t.sin() * t.cos() + a * t.sin() - b * t.cos();
    let e = |t: f64| 0.5 * t.sin().powi(2) - a * t.cos() - b * t.sin();
    let mut out = Vec::new();
    for i in 0..n {
        let t0 = 2.0 * std::f64::consts::PI * i as f64 / n as f64;
        let t1 = 2.0 * std::f64::consts::PI * (i + 1) as f64 / n as f64;
        let (g0, g1) = (d1(t0), d1(t1));
        if g0 == 0.0 || (g0 < 0.0) != (g1 < 0.0) {
            let (mut lo, mut hi) = (t0, t1);
            for _ in 0..60 {
                let mid = 0.5 * (lo + hi);
                if (d1(mid) < 0.0) == (g0 < 0.0) {
                    lo = mid
                } else {
                    hi = mid
                }
            }
            out.push((0.5 * (lo + hi), e(0.5 * (lo + hi))));
        }
    }
    out
}

#[test]
fn equilibria_and_barriers_match_brute_force() {
    let mut worst_e: f64 = 0.0;
    for &(a, b) in &[
        (0.3, 0.2),
        (-0.3, 0.2),
        (-0.45, 0.1),
        (0.0, 0.7),
        (-0.2, 0.55),
        (0.9, 0.9),
        (-0.05, 0.01),
    ] {
        let eq = sw::equilibria(a, b).unwrap();
        let brute = brute_stationary(a, b);
        assert_eq!(eq.points.len(), brute.len(), "field ({a}, {b})");
        for p in &eq.points {
            let (_, e) = brute
                .iter()
                .copied()
                .min_by(|x, y| {
                    let dx = 1.0 - (x.0 - p.theta()).cos();
                    let dy = 1.0 - (y.0 - p.theta()).cos();
                    dx.partial_cmp(&dy).unwrap()
                })
                .unwrap();
            worst_e = worst_e.max((e - p.energy).abs());
        }
        // barrier: the saddle is the lower maximum, the minima the two lowest-curvature-positive points
        if let Some(bar) = sw::barrier(a, b).unwrap() {
            let mut maxima: Vec<f64> = eq
                .points
                .iter()
                .filter(|p| matches!(p.kind, Kind::Saddle | Kind::Maximum))
                .map(|p| p.energy)
                .collect();
            maxima.sort_by(|x, y| x.partial_cmp(y).unwrap());
            assert!((bar.saddle.energy - maxima[0]).abs() < 1e-15);
            assert!(bar.from_up_2kv() > 0.0 && bar.from_down_2kv() > 0.0);
        }
    }
    println!("equilibria vs brute force: max energy difference {worst_e:.2e}");
    assert!(worst_e < 1e-12);
}

#[test]
fn aligned_barrier_is_one_minus_h_squared() {
    let mut worst: f64 = 0.0;
    for k in 0..199 {
        let h = -0.99 + 0.01 * k as f64;
        let b = sw::barrier(h, 0.0).unwrap().unwrap();
        // up well (along +u) has barrier (1 + h)^2 / 2, down well (1 - h)^2 / 2
        worst = worst.max((b.from_up_2kv() - 0.5 * (1.0 + h) * (1.0 + h)).abs());
        worst = worst.max((b.from_down_2kv() - 0.5 * (1.0 - h) * (1.0 - h)).abs());
    }
    println!("aligned barrier vs (1 -+ h)^2/2: max error {worst:.2e}");
    assert!(worst < 1e-14);
    assert!(sw::barrier(1.0001, 0.0).unwrap().is_none());
}

/// Oblique fields: the barrier vanishes as (1 - h/h_sw)^(3/2) at the astroid (the local exponent
/// tends to 3/2), unlike the aligned (1 - h)^2.
#[test]
fn oblique_barrier_exponent_tends_to_three_halves() {
    for deg in [10.0f64, 30.0, 45.0, 60.0] {
        let psi = deg.to_radians();
        let hsw = sw::switching_field(psi).unwrap();
        // metastable well: field pointing against the up state
        let bar = |x: f64| {
            let h = hsw * (1.0 - x);
            sw::barrier(-h * psi.cos(), h * psi.sin())
                .unwrap()
                .unwrap()
                .from_up_2kv()
        };
        let (x1, x2) = (1e-4, 2e-4);
        let slope = (bar(x2) / bar(x1)).ln() / (x2 / x1).ln();
        println!("psi = {deg} deg: local barrier exponent at 1e-4 below h_sw: {slope:.4}");
        assert!((slope - 1.5).abs() < 5e-3, "{slope}");
    }
    let (x1, x2) = (1e-4f64, 2e-4);
    let b = |x: f64| sw::barrier(-(1.0 - x), 0.0).unwrap().unwrap().from_up_2kv();
    assert!(((b(x2) / b(x1)).ln() / (x2 / x1).ln() - 2.0).abs() < 1e-6);
}

#[test]
fn three_d_fields_reduce_to_the_plane() {
    // same field angle to the axis, any azimuth: same energies and barrier
    let axis = Vec3::new(0.2f64, -0.4, 0.9).normalized();
    let b2 = sw::barrier(-0.3f64, 0.25).unwrap().unwrap();
    for phi in [0.0f64, 1.0, 2.5, 4.0] {
        // build a field with h_par = -0.3 and |h_perp| = 0.25 in an arbitrary transverse direction
        let t1 = axis.cross(Vec3::X).normalized();
        let t2 = axis.cross(t1);
        let hp = t1.scale(phi.cos()) + t2.scale(phi.sin());
        let h = axis.scale(-0.3) + hp.scale(0.25);
        let b3 = sw::barrier_vec(axis, h).unwrap().unwrap();
        assert!((b3.from_up_2kv() - b2.from_up_2kv()).abs() < 1e-14);
        // and the stationary point is a stationary point of the 3D energy (gradient on the sphere)
        let f = sw::Frame::new(axis, h, axis).unwrap();
        let m = f.direction(b3.saddle.cos, b3.saddle.sin);
        let grad = -(axis.scale(m.dot(axis)) + h); // de/dm
        let tangential = grad - m.scale(grad.dot(m));
        assert!(tangential.norm() < 1e-14);
    }
}

/// Rotational hysteresis: a field of fixed magnitude rotating in the plane of the axis causes
/// two irreversible jumps per turn for 0.5 < h < 1 and none for h < 0.5 or h > 1.
#[test]
fn rotational_hysteresis_window() {
    for &(h, jumps) in &[
        (0.3, 0),
        (0.45, 0),
        (0.55, 2),
        (0.8, 2),
        (0.98, 2),
        (1.05, 0),
    ] {
        let mut lp = Loop::<f64>::new(Vec3::X, Vec3::X, Vec3::X).unwrap();
        lp.apply(Vec3::new(h, 0.0, 0.0)).unwrap();
        let before = lp.jumps();
        for k in 1..=720 {
            let a = 2.0 * std::f64::consts::PI * k as f64 / 360.0; // two full turns
            lp.apply(Vec3::new(h * a.cos(), h * a.sin(), 0.0)).unwrap();
        }
        let per_turn = (lp.jumps() - before) as f64 / 2.0;
        assert_eq!(per_turn, jumps as f64, "h = {h}");
    }
}

/// History: a minor excursion that stays inside the astroid returns to the same state (return
/// point memory of a single particle), one that crosses it does not.
#[test]
fn history_and_memory() {
    let psi = 0.4f64;
    let h_sw = sw::switching_field(psi).unwrap();
    let mut lp = Loop::<f64>::in_plane(psi, true).unwrap();
    lp.sweep(1.5).unwrap();
    let start = lp.sweep(0.2).unwrap();
    lp.sweep(-0.99 * h_sw).unwrap();
    let back = lp.sweep(0.2).unwrap();
    assert!((back.0 - start.0).abs() < 1e-14 && (back.1 - start.1).abs() < 1e-14);
    lp.sweep(-1.01 * h_sw).unwrap();
    let after = lp.sweep(0.2).unwrap();
    assert!(after.0 < 0.0, "switched state remembered at h = 0.2");
    // 3D path out of the plane and back: the state is a function of the path, not of the end
    let mut a = Loop::<f64>::new(Vec3::Z, Vec3::Z, Vec3::Z).unwrap();
    a.apply(Vec3::new(0.0, 0.0, -0.9)).unwrap(); // aligned, below H_K: no switch
    assert!(a.m().z > 0.99);
    a.apply(Vec3::new(0.0, 0.3, -0.9)).unwrap(); // tilt the field: crosses the astroid
    a.apply(Vec3::new(0.0, 0.0, -0.9)).unwrap();
    assert!(a.m().z < -0.99, "switched by the transverse pulse");
}

#[test]
fn hysteresis_of_one_particle() {
    for deg in [0.0f64, 15.0, 30.0, 45.0, 60.0, 75.0] {
        let psi = deg.to_radians();
        let hy = sw::hysteresis(psi).unwrap();
        assert!((hy.remanence - psi.cos()).abs() < 1e-12);
        // below 45 degrees coercivity = switching field; above, m_par = 0 at h = sin(2 psi)/2
        let want = if deg <= 45.0 {
            astroid_formula(psi)
        } else {
            0.5 * (2.0 * psi).sin()
        };
        assert!((hy.coercivity - want).abs() < 1e-9, "{deg}: {hy:?}");
    }
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    assert!(sw::equilibria(f64::NAN, 0.0).is_err());
    assert!(sw::switching_field(f64::INFINITY).is_err());
    assert!(sw::barrier_vec::<f64>(Vec3::ZERO, Vec3::Z).is_err());
    assert!(Loop::<f64>::new(Vec3::ZERO, Vec3::Z, Vec3::Z).is_err());
    let mut lp = Loop::<f64>::in_plane(0.3, true).unwrap();
    let e = lp.apply(Vec3::new(f64::NAN, 0.0, 0.0)).unwrap_err();
    assert!(e.to_string().contains("sw.field"), "{e}");
    assert!(sw::hysteresis(f64::NAN).is_err());
    // huge fields are fine (one minimum along the field)
    let eq = sw::equilibria(1e6f64, -3e5).unwrap();
    assert_eq!(eq.minima().count(), 1);
}

//! Stoner-Wohlfarth against the LLG equation at T = 0: a macrospin with uniaxial anisotropy in a
//! slowly ramped reversing field (kernel field terms Zeeman + a linear Drive, Uniaxial; Llg, Rk4,
//! run::integrate with a Crossing event) switches at the SW switching field, and the overshoot
//! falls with the sweep rate (as rate^(2/3), the saddle-node bottleneck).

use larmor::drive::Drive;
use larmor::field::{Uniaxial, Zeeman};
use larmor::integrate::Integrator;
use larmor::integrate::{Control, Crossing, Direction};
use larmor::llg::Llg;
use larmor::stepper::Rk4;
use larmor::{sw, Vec3};

/// Reduced units with H_ref = Ms; k1 = 1/2 makes H_K = 2 k1 Ms = Ms, so reduced fields are
/// in units of H_K. The field points against the initial moment at angle psi to the axis.
/// Returns the field magnitude (units of H_K) when m_z crosses 0.
fn switching_field_llg(psi: f64, rate: f64, alpha: f64) -> f64 {
    let d = Vec3::new(-psi.sin(), 0.0, -psi.cos()); // reversing direction
    let h_end = 1.5;
    let t_end = h_end / rate;
    let ramp = Drive::linear(&[(0.0, 0.0), (t_end, h_end)]).unwrap();
    let zeeman = Zeeman::constant(Vec3::ZERO).with_drive(d, ramp).unwrap();
    let llg = Llg::new(alpha, (zeeman, Uniaxial::new(0.5, 0.0, Vec3::Z)));
    let mut m = [Vec3::Z];
    let mut ev = [Crossing::mz(0.0, Direction::Falling)];
    let mut stop = |_: u64, _: f64, m: &[Vec3<f64>]| {
        if m[0].z < -0.5 {
            Control::Stop
        } else {
            Control::Continue
        }
    };
    Integrator::new(llg.clone(), Rk4::new(), m, 0.05)
        .and_then(|run| run.run_span(&mut m, (0.0, t_end), &mut ev, &mut stop))
        .unwrap();
    rate * ev[0].time.expect("the macrospin switches")
}

#[test]
fn slow_ramp_switches_at_the_sw_field() {
    let alpha = 1.0;
    for deg in [10.0f64, 30.0, 45.0, 60.0] {
        let psi = deg.to_radians();
        let h_sw = sw::switching_field(psi).unwrap();
        let mut prev = f64::INFINITY;
        let mut overs = Vec::new();
        let mut line = format!("psi = {deg:>2} deg, h_sw = {h_sw:.5}: overshoot");
        for rate in [1e-2, 1e-3, 1e-4, 1e-5] {
            let h = switching_field_llg(psi, rate, alpha);
            let over = h / h_sw - 1.0;
            line += &format!("  {over:+.2e} (rate {rate:.0e})");
            assert!(over > 0.0, "LLG cannot switch before the SW instability");
            assert!(over < prev, "overshoot falls with the sweep rate");
            prev = over;
            overs.push(over);
        }
        // saddle-node bottleneck: the delay scales as rate^(-1/3), the overshoot as rate^(2/3)
        let slope = (overs[2] / overs[3]).log10();
        println!("{line}; exponent {slope:.3}");
        assert!((slope - 2.0 / 3.0).abs() < 0.05);
        assert!(prev < 0.01, "slowest ramp within 1% of h_sw");
    }
}

/// Before switching the LLG state follows the SW minimum (quasi-static lag ~ rate).
#[test]
fn slow_ramp_tracks_the_sw_minimum() {
    let (psi, rate, alpha) = (0.5f64, 1e-4, 1.0);
    let d = Vec3::new(-psi.sin(), 0.0, -psi.cos());
    let ramp = Drive::linear(&[(0.0, 0.0), (1.0 / rate, 1.0)]).unwrap();
    let zeeman = Zeeman::constant(Vec3::ZERO).with_drive(d, ramp).unwrap();
    let llg = Llg::new(alpha, (zeeman, Uniaxial::new(0.5, 0.0, Vec3::Z)));
    let mut m = [Vec3::Z];
    let t = 0.4 / rate; // h = 0.4 < h_sw(0.5 rad) = 0.52
    Integrator::new(llg.clone(), Rk4::new(), m, 0.05)
        .and_then(|run| run.run_span(&mut m, (0.0, t), &mut [], &mut ()))
        .unwrap();
    let mut lp = sw::Loop::new(Vec3::Z, Vec3::Z, Vec3::Z).unwrap();
    lp.apply(d.scale(0.4)).unwrap();
    let err = (m[0] - lp.m()).norm();
    println!("LLG vs SW minimum at h = 0.4, rate 1e-4: |dm| = {err:.1e}");
    assert!(err < 1e-3);
}

//! Device time: a field pulse that starts 1 ns, 1 us, 1 ms or 1 s after t = 0 acts at the
//! step it falls in, in f64, f32 and Q26 (I6F26, which holds only [-32, 32) reduced units,
//! about 145 ps for the standard free layer). The integrator keeps absolute time in a step
//! count and f64, and the model sees window-local time only (see `larmor::integrate`).

use larmor::Real;
use larmor_scenarios::{pulse_onset, PULSE_ONSET_STEP, PULSE_STARTS, Q26};

#[test]
fn late_pulses_act_at_the_right_step() {
    for start in PULSE_STARTS {
        let f64_step = pulse_onset::<f64>(start).unwrap().0;
        let f32_step = pulse_onset::<f32>(start).unwrap().0;
        let q26_step = pulse_onset::<Q26>(start).unwrap().0;
        println!("pulse at {start:e} s: first step that sees it: f64 {f64_step}, f32 {f32_step}, I6F26 {q26_step}");
        assert_eq!(f64_step, PULSE_ONSET_STEP, "f64, pulse at {start} s");
        assert_eq!(f32_step, PULSE_ONSET_STEP, "f32, pulse at {start} s");
        assert_eq!(q26_step, PULSE_ONSET_STEP, "I6F26, pulse at {start} s");
    }
}

/// Before this design, `DriveSpec::Pulse { start: 1e-9, .. }.compile::<Q26>()` saturated the
/// start at 32 reduced units and the pulse was lost; now any SI time compiles, and a far-off
/// pulse simply has not started yet in the first window.
#[test]
fn q26_drives_keep_times_beyond_its_range() {
    use larmor::drive::DriveSpec;
    use larmor::units::Units;
    let u = Units::new(1e6, larmor::units::GAMMA_E).unwrap();
    let p = DriveSpec::Pulse {
        amplitude: 1.0,
        start: 1e-9,
        duration: 5e-9,
        rise: 0.0,
        fall: 0.0,
    };
    let mut d = p.compile::<Q26>(&u);
    assert_eq!(
        d.value(Q26::from_f64(1.0)).to_f64(),
        0.0,
        "not started at t = 0"
    );
    let start = u.time_to_reduced(1e-9);
    d.rebase(start - 1.0);
    assert_eq!(
        d.value(Q26::from_f64(0.5)).to_f64(),
        0.0,
        "0.5 before the edge"
    );
    assert_eq!(
        d.value(Q26::from_f64(1.5)).to_f64(),
        1.0,
        "0.5 after the edge"
    );
    d.rebase(start + u.time_to_reduced(5e-9) + 0.25);
    assert_eq!(d.value(Q26::from_f64(0.0)).to_f64(), 0.0, "over");
}

//! Host-versus-firmware parity and the fixed-point error bound.
//!
//! The firmware `selftest` app and these tests run the same scenarios (`larmor-scenarios`,
//! `firmware/scenarios/`) through the same kernel code. This file checks
//! - the golden f64 values stored in `firmware/scenarios/src/golden.rs` (which the firmware
//!   compares against) are what the host computes now, bit for bit;
//! - the specialised model (`specialize`) gives the same bits as the compiled one;
//! - fixed-point I6F26 stays within its stated bound of f64 after the standard trajectory;
//! - every result line of the QEMU runs (`out/firmware/<board>/selftest.log`, written by
//!   `scripts/firmware-test.sh`) matches the host's result for the same scenario and scalar
//!   **bit for bit**: f32, f64 and I6F26, deterministic and thermal;
//! - the reduced constants the small `macrospin` app builds its model from
//!   (`firmware/scenarios/src/reduced.rs`) are what `MacrospinSpec::compile` gives now, and that
//!   app's standard trajectory (`out/firmware/<board>/macrospin.log`: f32 on qemu-m4, I6F26 on
//!   qemu-m0) matches the host's run of the same model bit for bit;
//! - the 256-spin lattice scenario (`firmware/scenarios/src/lattice.rs`: LLG and Monte Carlo)
//!   ends in the same state on the host and in every QEMU run (`selftest` on qemu-m4, the
//!   `lattice` app on both boards), and its parts fit 16 KiB (sizes logged on the target).
//!
//! Without the QEMU logs the parity test fails when `LARMOR_REQUIRE_PARITY=1` (set by
//! `scripts/test.sh`, hence CI) and otherwise prints `SKIPPED` and passes.
//! Regenerate the golden values after a deliberate change of the physics with
//! `cargo run -p larmor-tests --bin regenerate -- golden`, and the reduced constants after a
//! change of the standard spec with `... -- reduced` (helpers in `tests/src/parity.rs`).

use std::collections::BTreeMap;

use larmor::stepper::{Midpoint, Rk4};
use larmor::{Real, Vec3};
use larmor_scenarios::lattice::{
    square, LlgReport, McReport, Memory, Parts, BONDS_256, LLG_STEPS, MC_SWEEPS, NORM_BOUND,
    SITES_256,
};
use larmor_scenarios::{
    golden, pulse_onset, run_method, run_system, selftest_steps, specialize, standard_model,
    Method, StandardReduced, PULSE_ONSET_STEP, Q26, STANDARD_STEPS,
};
use larmor_tests::parity::*;

#[test]
fn golden_values_are_current() {
    let host = host_results();
    let mut checked = 0;
    for ((method, scalar, steps), b) in host {
        let method = method_by_name(method);
        // the golden file holds every f64 result and the thermal runs of every float
        if scalar != "f64" && method != Method::HeunThermal {
            continue;
        }
        let g = golden(method, scalar, *steps).unwrap_or_else(|| {
            panic!(
                "no golden value for {} {scalar} {steps}: run \
                 cargo run -p larmor-tests --bin regenerate -- golden",
                method.name()
            )
        });
        assert_eq!(
            g.map(f64::to_bits),
            *b,
            "golden value of {} {scalar} is stale: regenerate it",
            method.name()
        );
        checked += 1;
    }
    assert_eq!(checked, 7);
}

#[test]
fn specialized_model_gives_the_same_bits() {
    fn check<S: Real>() {
        let (mut model, dt) = standard_model::<S>().unwrap();
        let mut sys = specialize(&model).expect("standard model specialises");
        let a = run_method(&mut model, dt, Method::Rk4, 3000).unwrap();
        let b = run_system(&mut sys, model.m0, Rk4::new(), dt, 3000).unwrap();
        assert_eq!(bits(a), bits(b), "{}", S::NAME);
    }
    check::<f64>();
    check::<f32>();
    check::<Q26>();
}

#[test]
fn reduced_constants_are_current() {
    fn check<S: StandardReduced>() {
        assert_eq!(
            reduced_bits(&S::STANDARD),
            reduced_bits(&compiled_reduced::<S>()),
            "firmware/scenarios/src/reduced.rs ({}) is stale: run \
             cargo run -p larmor-tests --bin regenerate -- reduced",
            S::NAME
        );
        // the model built from the constants is the compiled one, cached prefactors included
        let (mut model, dt) = standard_model::<S>().unwrap();
        let sys = specialize(&model).unwrap();
        assert_eq!(S::STANDARD.model(), sys, "{}", S::NAME);
        assert_eq!(format!("{:?}", S::STANDARD.model()), format!("{sys:?}"));
        let a = run_method(&mut model, dt, Method::Rk4, 3000).unwrap();
        let r = S::STANDARD;
        let b = run_system(&mut r.model(), r.m0, Rk4::new(), r.dt, 3000).unwrap();
        assert_eq!(bits(a), bits(b), "{}", S::NAME);
    }
    check::<f32>();
    check::<f64>();
    check::<Q26>();
}

/// max_i |a_i - b_i|
fn max_diff(a: [u64; 3], b: [u64; 3]) -> f64 {
    (0..3)
        .map(|i| (f64::from_bits(a[i]) - f64::from_bits(b[i])).abs())
        .fold(0.0, f64::max)
}

#[test]
fn fixed_point_and_f32_within_their_bounds_of_f64() {
    let host = host_results();
    let steps_of = |m: Method| selftest_steps(m);
    assert_eq!(steps_of(Method::Rk4), STANDARD_STEPS);
    for method in Method::ALL {
        if method == Method::HeunThermal {
            continue;
        }
        let key = |s: &str| (method.name().to_string(), s.to_string(), steps_of(method));
        let reference = host[&key("f64")];
        for scalar in ["f32", "I6F26"] {
            let err = max_diff(host[&key(scalar)], reference);
            let bound = larmor_scenarios::bound(scalar, method);
            eprintln!(
                "{:<8} {scalar:<6} {:>6} steps: max |m - m_f64| = {err:.3e} (bound {bound:.0e})",
                method.name(),
                steps_of(method)
            );
            assert!(
                err <= bound,
                "{} {scalar}: {err:e} > {bound:e}",
                method.name()
            );
        }
    }
}

/// The standard trajectory in I6F26 and f32 against f64, compared after every step: the largest
/// deviation anywhere along the 10 ns, not just at the end.
#[test]
fn standard_trajectory_error_along_the_way() {
    fn trajectory<S: Real>() -> Vec<[f64; 3]> {
        let (model, dt) = standard_model::<S>().unwrap();
        let mut sys = specialize(&model).unwrap();
        let st = Rk4::new();
        let mut m = model.m0;
        let mut out = Vec::with_capacity(STANDARD_STEPS as usize);
        for _ in 0..STANDARD_STEPS {
            m = run_system(&mut sys, m, st.clone(), dt, 1).unwrap();
            out.push(m.to_f64());
        }
        out
    }
    let reference = trajectory::<f64>();
    for (name, traj, bound) in [
        ("I6F26", trajectory::<Q26>(), 1e-4),
        ("f32", trajectory::<f32>(), 1e-4),
    ] {
        let (mut worst, mut at) = (0.0f64, 0);
        for (k, (a, b)) in traj.iter().zip(&reference).enumerate() {
            let d = (0..3).map(|i| (a[i] - b[i]).abs()).fold(0.0, f64::max);
            if d > worst {
                (worst, at) = (d, k + 1);
            }
        }
        eprintln!(
            "rk4 {name}: max over 1e5 steps of max_i |m_i - m_i(f64)| = {worst:.3e} (step {at})"
        );
        assert!(worst <= bound, "{name}: {worst:e}");
    }
}

/// Parses `<app> <method> <scalar> steps=<n> ... bits=(a, b, c) ...` lines of a decoded log
/// (`app` = `selftest` or `macrospin`).
fn parse_log(text: &str, app: &str) -> Vec<((String, String, u32), [u64; 3])> {
    let prefix = format!("{app} ");
    let mut out = Vec::new();
    for line in text.lines() {
        let Some(rest) = line.split(prefix.as_str()).nth(1) else {
            continue;
        };
        let mut words = rest.split_whitespace();
        let (Some(method), Some(scalar), Some(steps)) = (words.next(), words.next(), words.next())
        else {
            continue;
        };
        let Some(steps) = steps.strip_prefix("steps=").and_then(|s| s.parse().ok()) else {
            continue;
        };
        let Some(b) = bits_of(rest) else {
            continue;
        };
        out.push(((method.to_string(), scalar.to_string(), steps), b));
    }
    out
}

/// The QEMU log of `app` on `board` (written by scripts/firmware-test.sh), or `None` (the test
/// skips that board) when it is missing; with `LARMOR_REQUIRE_PARITY=1` (what scripts/test.sh
/// sets) a missing log fails instead.
fn qemu_log(board: &str, app: &str) -> Option<String> {
    let required = std::env::var("LARMOR_REQUIRE_PARITY").is_ok_and(|v| v == "1");
    let path = root().join(format!("out/firmware/{board}/{app}.log"));
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(_) => {
            assert!(
                !required,
                "LARMOR_REQUIRE_PARITY=1 but {} is missing: run scripts/firmware-test.sh",
                path.display()
            );
            eprintln!(
                "SKIPPED {app} parity with {board}: {} missing (run scripts/firmware-test.sh; \
                 scripts/test.sh sets LARMOR_REQUIRE_PARITY=1 and never skips)",
                path.display()
            );
            None
        }
    }
}

#[test]
fn qemu_selftest_matches_host_bit_for_bit() {
    let host = host_results();
    // board -> scalars it runs (f64 needs the M4's 4 MiB of flash)
    for (board, expect) in [("qemu-m4", 17), ("qemu-m0", 10)] {
        let Some(text) = qemu_log(board, "selftest") else {
            continue;
        };
        let lines = parse_log(&text, "selftest");
        assert_eq!(
            lines.len(),
            expect,
            "{board}: result lines in its {} log",
            "selftest"
        );
        for (key, b) in &lines {
            let want = host
                .get(key)
                .unwrap_or_else(|| panic!("{board}: host has no result for {key:?}"));
            assert_eq!(
                b,
                want,
                "{board} {key:?}: firmware bits differ from the host (max diff {:e})",
                max_diff(*b, *want)
            );
        }
        assert!(
            text.contains("checks passed"),
            "{board}: the self-test did not pass"
        );
        eprintln!(
            "parity with {board}: {} results identical to the host, bit for bit",
            lines.len()
        );
        // device time: the pulse onset scenarios, every start time, each scalar of the board
        let scalars: &[&str] = if board == "qemu-m4" {
            &["f32", "I6F26", "f64"]
        } else {
            &["I6F26"]
        };
        let dt_lines = parse_device_time(&text);
        assert_eq!(
            dt_lines.len(),
            4 * scalars.len(),
            "{board}: devicetime lines"
        );
        for (scalar, start, step, b) in &dt_lines {
            assert!(
                scalars.contains(&scalar.as_str()),
                "{board}: scalar {scalar}"
            );
            let (want_step, want) = match scalar.as_str() {
                "f32" => pulse_onset::<f32>(*start).map(|(k, m)| (k, bits(m))),
                "f64" => pulse_onset::<f64>(*start).map(|(k, m)| (k, bits(m))),
                _ => pulse_onset::<Q26>(*start).map(|(k, m)| (k, bits(m))),
            }
            .unwrap();
            assert_eq!(
                *step, PULSE_ONSET_STEP,
                "{board} {scalar} pulse at {start} s"
            );
            assert_eq!(
                (*step, *b),
                (want_step, want),
                "{board} {scalar} pulse at {start} s: firmware differs from the host"
            );
        }
        eprintln!("parity with {board}: {} device-time results identical to the host, every pulse at step {PULSE_ONSET_STEP}", dt_lines.len());
    }
}

/// The `bits=(a, b, c)` of a log line, if it has them (panics on a malformed triple).
fn bits_of(line: &str) -> Option<[u64; 3]> {
    let b = line.split("bits=(").nth(1)?.split(')').next()?;
    let v: Vec<u64> = b.split(',').map(|x| x.trim().parse().unwrap()).collect();
    assert_eq!(v.len(), 3, "bad bits in: {line}");
    Some([v[0], v[1], v[2]])
}

/// Parses `devicetime <scalar> start=<s> step=<k> bits=(a, b, c)` lines.
fn parse_device_time(text: &str) -> Vec<(String, f64, u32, [u64; 3])> {
    let mut out = Vec::new();
    for line in text.lines() {
        let Some(rest) = line.split("devicetime ").nth(1) else {
            continue;
        };
        let mut w = rest.split_whitespace();
        let (Some(scalar), Some(start), Some(step)) = (w.next(), w.next(), w.next()) else {
            continue;
        };
        let start: f64 = start.trim_start_matches("start=").parse().unwrap();
        let step: u32 = step.trim_start_matches("step=").parse().unwrap();
        let b = bits_of(rest).unwrap_or_else(|| panic!("no bits in: {line}"));
        out.push((scalar.to_string(), start, step, b));
    }
    out
}

/// The standard trajectory of the lean model built from the reduced constants (what the
/// `macrospin` app runs), on the host.
fn lean_standard_trajectory<S: StandardReduced>() -> [u64; 3] {
    let r = S::STANDARD;
    bits(run_system(&mut r.model(), r.m0, Rk4::new(), r.dt, STANDARD_STEPS).unwrap())
}

#[test]
fn qemu_macrospin_matches_host_bit_for_bit() {
    let host = host_results();
    // board -> the scalar its macrospin app runs (f32 with an FPU, I6F26 without)
    for (board, scalar, lean) in [
        ("qemu-m4", "f32", lean_standard_trajectory::<f32>()),
        ("qemu-m0", "I6F26", lean_standard_trajectory::<Q26>()),
    ] {
        let key = ("rk4".to_string(), scalar.to_string(), STANDARD_STEPS);
        // the lean model and the compiled one agree on the host
        assert_eq!(
            lean, host[&key],
            "{scalar}: lean model differs from the compiled one"
        );
        let Some(text) = qemu_log(board, "macrospin") else {
            continue;
        };
        let lines = parse_log(&text, "macrospin");
        assert_eq!(lines.len(), 1, "{board}: result lines in its macrospin log");
        assert_eq!(lines[0].0, key, "{board}: unexpected scenario");
        assert_eq!(
            lines[0].1,
            lean,
            "{board} macrospin: firmware bits differ from the host (max diff {:e})",
            max_diff(lines[0].1, lean)
        );
        assert!(
            text.contains("macrospin: all checks passed"),
            "{board}: the macrospin self-test did not pass"
        );
        eprintln!("parity with {board} macrospin: {scalar} standard trajectory identical to the host, bit for bit");
    }
}

/// The `mram` app's storage session (sequential-storage on the emulated SPI MRAM) logs the
/// counts and the array hash that the same session gives on the host, bit for bit.
#[test]
fn qemu_mram_session_matches_host() {
    let r = larmor_scenarios::mram::session::<f32>().unwrap();
    let s = r.stats;
    let expected = format!(
        "mram session corrupted={},{},{} switches={} write_errors={} read_disturbs={} misreads={} retention_flips={} rewrites={} hash={} ok",
        r.corrupted[0], r.corrupted[1], r.corrupted[2], s.switches, s.write_errors,
        s.read_disturbs, s.misreads, s.retention_flips, r.rewrites, r.hash
    );
    // the session itself: nothing lost at the nominal pulse or with write-verify, records lost
    // at the marginal pulse, and ten years at 125 C flip bits
    assert_eq!((r.corrupted[0], r.corrupted[2]), (0, 0), "{expected}");
    assert!(r.corrupted[1] > 0 && r.rest_flips > 0, "{expected}");
    assert_session_logged("mram", &expected);
}

/// The `sensor` app (an AMR bridge sampled with its noise, the third-party `qmc5883l` driver
/// reading the emulated magnetometer) logs the samples' hash and the readings the same session
/// gives on the host, bit for bit.
#[test]
fn qemu_sensor_session_matches_host() {
    let r = larmor_scenarios::sensor::session().unwrap();
    let expected = format!(
        "sensor session hash={} lo={} hi={} xyz=({}, {}, {}) sum_x={} ok",
        r.hash, r.range_bits[0], r.range_bits[1], r.xyz[0], r.xyz[1], r.xyz[2], r.sum_x
    );
    assert_session_logged("sensor", &expected);
}

/// Every QEMU board's log of `app` (where there is one) contains the host's session line
/// `expected`.
fn assert_session_logged(app: &str, expected: &str) {
    for board in ["qemu-m4", "qemu-m0"] {
        let Some(text) = qemu_log(board, app) else {
            continue;
        };
        assert!(
            text.contains(expected),
            "{board}: the {app} session differs from the host's\n host: {expected}\n log:\n{text}"
        );
        eprintln!("parity with {board} {app}: {expected}");
    }
}

/// `key=value` words of a log line, and the `bits=(a, b, c)` triple as `bits`.
fn fields(line: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let bits = line
        .split("bits=(")
        .nth(1)
        .and_then(|b| b.split(')').next());
    if let Some(b) = bits {
        out.insert("bits".to_string(), b.replace(' ', ""));
    }
    for w in line.split_whitespace() {
        if let Some((k, v)) = w.split_once('=') {
            out.entry(k.to_string()).or_insert_with(|| v.to_string());
        }
    }
    out
}

/// The lines of a log that start (after the level) with `lattice <what> `.
fn lattice_lines<'a>(text: &'a str, what: &str) -> Vec<&'a str> {
    let prefix = format!("lattice {what} ");
    text.lines()
        .filter(|l| {
            l.split_once(' ')
                .is_some_and(|(_, rest)| rest.trim_start().starts_with(&prefix))
        })
        .collect()
}

/// The lattice scenario's golden hashes (`firmware/scenarios/src/lattice.rs`, which the
/// firmware checks its runs against) are what the host computes now.
#[test]
fn lattice_golden_hashes_are_current() {
    let llg = lattice_host().0;
    let mc = lattice_host().1;
    let n = SITES_256 as u32;
    assert_eq!(
        larmor_scenarios::lattice::golden("llg", n, LLG_STEPS),
        Some(llg.hash),
        "lattice llg golden hash is stale: the host gives {}",
        llg.hash
    );
    assert_eq!(
        larmor_scenarios::lattice::golden("mc", n, MC_SWEEPS),
        Some(mc.hash),
        "lattice mc golden hash is stale: the host gives {}",
        mc.hash
    );
    // the physics of the run: damping lowers the energy, |m_i| stays 1, Metropolis accepts some
    assert!(llg.e < llg.e0 && llg.norm_err <= NORM_BOUND, "{llg:?}");
    assert!(mc.acceptance > 0.3 && mc.acceptance < 0.9, "{mc:?}");
    eprintln!("lattice (host): {llg:?}\nlattice (host): {mc:?}");
}

/// The host's LLG and Monte Carlo reports of the lattice scenario (256 spins).
fn lattice_host() -> &'static (LlgReport, McReport) {
    static CELL: std::sync::OnceLock<(LlgReport, McReport)> = std::sync::OnceLock::new();
    CELL.get_or_init(|| {
        let lat = square::<SITES_256, BONDS_256>(16).unwrap();
        let mut state = Box::new([Vec3::ZERO; SITES_256]);
        let mut stepper = Box::new(Midpoint::new());
        let mut parts = Parts::new(&lat, &mut state, &mut stepper);
        let llg = parts.llg(LLG_STEPS).unwrap();
        let mc = parts.mc(MC_SWEEPS).unwrap();
        (llg, mc)
    })
}

/// Sizes of the lattice's parts: on the host (64-bit) here, on the 32-bit targets as the
/// firmware logs them (`lattice memory ...`, every QEMU log that has the lattice); each within
/// the 16 KiB budget, and the alternatives that would not fit.
#[test]
fn lattice_memory_fits_16_kib() {
    use core::mem::size_of;
    use larmor::lattice::{Lattice, OnSite};
    use larmor::stepper::{Heun, Rk4};
    let host = Memory::of::<SITES_256, BONDS_256>();
    // 64-bit: usize lengths and slice pointers are 8 bytes
    assert_eq!(
        (
            host.lattice,
            host.state,
            host.stepper,
            host.model,
            host.total
        ),
        (5584, 3072, 6144, 128, 14928),
        "{host:?}"
    );
    // what the 32-bit targets log (and must keep logging)
    let target = [5552u32, 3072, 6144, 92, 14860];
    let budget = 16 * 1024;
    assert!(host.total <= budget && target[4] <= budget);
    // the alternatives: a third (Heun) or five (RK4) scratch vectors, per-site parameters, the
    // default 64-entry bond-vector table
    assert_eq!(size_of::<Heun<f32, SITES_256>>(), 9216);
    assert_eq!(size_of::<Rk4<f32, SITES_256>>(), 15360);
    assert_eq!(size_of::<OnSite<f32, SITES_256>>(), 40 * 256 + 8);
    assert_eq!(
        size_of::<Lattice<SITES_256, BONDS_256>>() - size_of::<Lattice<SITES_256, BONDS_256, 4>>(),
        60 * 24
    );
    let heun_total = target[4] - 6144 + 9216;
    assert!(heun_total > budget, "{heun_total}");
    for (board, app) in [
        ("qemu-m4", "selftest"),
        ("qemu-m4", "lattice"),
        ("qemu-m0", "lattice"),
    ] {
        let Some(text) = qemu_log(board, app) else {
            continue;
        };
        let lines = lattice_lines(&text, "memory");
        assert_eq!(lines.len(), 1, "{board} {app}: lattice memory lines");
        let f = fields(lines[0]);
        let got: Vec<u32> = ["lattice", "state", "stepper", "model", "total"]
            .iter()
            .map(|k| f[*k].parse().unwrap())
            .collect();
        assert_eq!(got, target, "{board} {app}: {}", lines[0]);
        assert_eq!(f["sites"], "256");
        eprintln!("lattice memory on {board} ({app}): {}", lines[0].trim());
    }
}

/// Every QEMU run of the lattice scenario (`selftest` on qemu-m4, the `lattice` app on both
/// boards) ends in the host's state bit for bit: the hash of every spin's f32 bits, the mean m
/// and the energy; the `lattice` app also logs its instruction counts and stack.
#[test]
fn qemu_lattice_matches_host_bit_for_bit() {
    let (llg, mc) = lattice_host();
    let bits32 = |m: Vec3<f32>| format!("{},{},{}", m.x.to_bits(), m.y.to_bits(), m.z.to_bits());
    for (board, app) in [
        ("qemu-m4", "selftest"),
        ("qemu-m4", "lattice"),
        ("qemu-m0", "lattice"),
    ] {
        let Some(text) = qemu_log(board, app) else {
            continue;
        };
        for (what, steps, hash, m, e) in [
            ("llg", LLG_STEPS, llg.hash, llg.m, llg.e),
            ("mc", MC_SWEEPS, mc.hash, mc.m, mc.e),
        ] {
            let lines = lattice_lines(&text, what);
            assert_eq!(lines.len(), 1, "{board} {app}: lattice {what} lines");
            let f = fields(lines[0]);
            assert!(
                lines[0].trim_end().ends_with(" ok"),
                "{board} {app}: {}",
                lines[0]
            );
            assert_eq!(f["sites"], "256");
            assert_eq!(f["steps"], steps.to_string());
            assert_eq!(
                f["hash"],
                hash.to_string(),
                "{board} {app} {what}: state differs from the host"
            );
            assert_eq!(f["bits"], bits32(m), "{board} {app} {what}: mean m");
            assert_eq!(
                f["e_bits"],
                e.to_bits().to_string(),
                "{board} {app} {what}: energy"
            );
        }
        if app == "lattice" {
            let lines = lattice_lines(&text, "instructions");
            assert_eq!(lines.len(), 1, "{board}: lattice instruction line");
            assert!(
                text.contains("lattice: all checks passed"),
                "{board}: lattice app failed"
            );
            eprintln!("lattice on {board}: {}", lines[0].trim());
        }
        eprintln!(
            "parity with {board} {app}: lattice llg and mc identical to the host, bit for bit"
        );
    }
}

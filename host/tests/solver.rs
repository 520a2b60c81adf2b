//! One solver dispatch: `run`, `ensemble` and `sweep` integrate a scenario with the same method
//! and the same dopri45 tolerances (`solver.atol`, `solver.rtol`), so a deterministic switching
//! trial gives the same switching time and final state in all three.

mod common;

use std::path::Path;

/// Spin-torque switching at zero temperature (deterministic), adaptive dopri45; `TOL` is
/// replaced by the tolerance lines.
const SCENARIO: &str = r#"[magnet]
ms = 1.0e6
alpha = 0.01
shape = { disc = { diameter = 40e-9, thickness = 1.5e-9 } }
demag = [0.0, 0.0, 1.0]
m0 = [0.1, 0.0, -0.99]

[anisotropy]
uniaxial = { ku = 878318.5, axis = [0, 0, 1] }

[stt]
polarizer = [0.0, 0.0, 1.0]
polarization = 0.6
current_density = { pulse = { amplitude = 1.7e11, start = 0.1e-9, duration = 2e-9 } }

[switching]
initial = [0.1, 0.0, -0.99]
read_time = 2e-9

[[events]]
name = "switch"
component = "z"
threshold = 0.0
direction = "rising"

[solver]
method = "dopri45"
dt = 1e-13
duration = 2e-9
TOL
"#;

/// What each command reports for the one trial: (t_switch in ns with 6 decimals, final m with
/// 6 decimals) from `run`, `ensemble` and `sweep` (the sweep reports only t_switch).
struct Reports {
    run: (String, String),
    ensemble: (String, String),
    sweep_t: String,
}

fn reports(d: &Path, name: &str, tol: &str) -> Reports {
    reports_with(d, name, "dopri45", tol)
}

/// As [`reports`] with `solver.method = method`.
fn reports_with(d: &Path, name: &str, method: &str, tol: &str) -> Reports {
    let sc = d.join(format!("{name}.toml"));
    let text = SCENARIO
        .replace("method = \"dopri45\"", &format!("method = \"{method}\""))
        .replace("TOL", tol);
    std::fs::write(&sc, text).unwrap();
    let sc = sc.to_str().unwrap();
    let out = |f: &str| d.join(format!("{name}_{f}")).to_str().unwrap().to_string();

    let (code, _, err) = common::larmor(&["run", sc, "--out", &out("trace.csv")]);
    assert_eq!(code, 0, "{err}");
    let line = |key: &str| {
        err.lines()
            .find(|l| l.trim_start().starts_with(key))
            .unwrap_or_else(|| panic!("no `{key}` in {err}"))
            .to_string()
    };
    let t_run = line("event")
        .split("t = ")
        .nth(1)
        .unwrap()
        .trim()
        .to_string();
    let m_run = line("final m").split('(').nth(1).unwrap().to_string();
    let m_run = m_run.trim_end_matches(')').replace('+', "");

    // the first row of the CSV that `cmd` writes to `file`
    let first_row = |cmd: &str, file: &str, flags: &str| {
        let path = out(file);
        let (code, _, err) = common::larmor_with(&[cmd, sc, "--out", &path], flags);
        assert_eq!(code, 0, "{err}");
        common::csv(Path::new(&path)).1.swap_remove(0)
    };
    let f = &first_row("ensemble", "trials.csv", "--trials 1 --seed 0")[2..];
    let t_ens = format!("{:.6} ns", f[0] * 1e9);
    let m_ens = format!("{:.6}, {:.6}, {:.6}", f[1], f[2], f[3]);

    let t = first_row(
        "sweep",
        "sweep.csv",
        "--vary current --values 1.7e11 --trials 1 --seed 0",
    )[7];
    Reports {
        run: (t_run, m_run),
        ensemble: (t_ens, m_ens),
        sweep_t: format!("{:.6} ns", t * 1e9),
    }
}

#[test]
fn ensemble_and_sweep_honour_solver_atol_and_rtol_like_run() {
    let d = common::tmpdir("solver", "tol");
    let loose = reports(&d, "loose", "atol = 1e-4\nrtol = 1e-4");
    let tight = reports(&d, "tight", "atol = 1e-10\nrtol = 1e-10");
    for r in [&loose, &tight] {
        assert_eq!(r.ensemble, r.run, "ensemble and run disagree");
        assert_eq!(r.sweep_t, r.run.0, "sweep and run disagree");
    }
    // the tolerance matters here, so the agreement above is not an accident of the defaults
    assert_ne!(loose.run, tight.run);
    assert_ne!(loose.ensemble, tight.ensemble);
}

/// dopri45 whose step collapses stops with one line naming solver.atol / solver.rtol and the
/// time reached, in `run` (which keeps its trace) and in `ensemble` (which keeps no file): at
/// the `solver.max_steps` budget, or when the step falls below its floor. The budget is checked
/// at lowering (range, dopri45 only).
#[test]
fn dopri45_step_collapse_stops_with_the_tolerances_named() {
    let d = common::tmpdir("solver", "guard");
    let budget = "atol = 1e-12\nrtol = 1e-12\nmax_steps = 1000";
    let floor = "atol = 1e-300\nrtol = 1e-300";
    for (name, tol, code, needles) in [
        (
            "budget",
            budget,
            1,
            &[
                "solver.max_steps = 1000 adaptive steps reached at t = ",
                "solver.atol = 1e-12, solver.rtol = 1e-12",
                "raise solver.max_steps",
            ][..],
        ),
        (
            "floor",
            floor,
            1,
            &[
                "below its floor",
                "at t = 0 s",
                "solver.atol = 1e-300, solver.rtol = 1e-300",
            ][..],
        ),
        (
            "zero",
            "max_steps = 0",
            2,
            &["zero.toml:30", "solver.max_steps = 0", "allowed 1 to 1e12"][..],
        ),
        (
            "rk4",
            "max_steps = 10",
            2,
            &[
                "rk4.toml:30",
                "solver.max_steps applies only to method = \"dopri45\"",
            ][..],
        ),
    ] {
        let text = SCENARIO.replace("TOL", tol);
        let text = if name == "rk4" {
            text.replace("method = \"dopri45\"", "method = \"rk4\"")
        } else {
            text
        };
        let sc = d.join(format!("{name}.toml"));
        std::fs::write(&sc, text).unwrap();
        let sc = sc.to_str().unwrap();
        for cmd in ["run", "ensemble"] {
            let out = d.join(format!("{name}_{cmd}.csv"));
            let mut args = vec![cmd, sc, "--out", out.to_str().unwrap()];
            if cmd == "ensemble" {
                args.extend(["--trials", "2", "--seed", "0"]);
            }
            let (c, _, err) = common::larmor(&args);
            let last = err.lines().last().unwrap_or_default();
            assert_eq!(c, code, "{name} {cmd}: {err}");
            assert!(last.starts_with("error: "), "{name} {cmd}: {err}");
            for n in needles {
                assert!(last.contains(n), "{name} {cmd}: `{n}` not in {last}");
            }
            let kept = cmd == "run" && code == 1;
            assert_eq!(out.exists(), kept, "{name} {cmd}: output file");
        }
    }
}

/// `method = "dop853"` through the same dispatch: `run`, `ensemble` and `sweep` agree, and at
/// tight tolerances its switching time and final state are dopri45's to the printed digits.
#[test]
fn dop853_runs_everywhere_dopri45_does_and_agrees_with_it() {
    let d = common::tmpdir("solver", "dop853");
    let tol = "atol = 1e-10\nrtol = 1e-10";
    let dp = reports(&d, "dp45", tol);
    let r = reports_with(&d, "d853", "dop853", tol);
    assert_eq!(r.ensemble, r.run, "ensemble and run disagree");
    assert_eq!(r.sweep_t, r.run.0, "sweep and run disagree");
    assert_eq!(r.run, dp.run, "dop853 and dopri45 disagree at 1e-10");
}

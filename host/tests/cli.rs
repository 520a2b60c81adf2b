//! The `larmor run` command line: a good scenario runs, and every class of bad input gives a
//! one-line error naming the key (and line) and the allowed range, exit code 2, no panic and no
//! output file.

mod common;
use common::{arg, assert_refused, larmor, larmor_with};

use std::path::{Path, PathBuf};

const GOOD: &str = r#"[magnet]
ms = 1.0e6                 # saturation magnetisation, A/m
alpha = 0.01               # Gilbert damping
gamma = 1.7609e11          # optional gyromagnetic ratio, rad/(s T)
shape = { disc = { diameter = 40e-9, thickness = 1.5e-9 } }
demag = [0.0, 0.0, 1.0]
m0 = [0.6, 0.0, 0.8]

[anisotropy]
uniaxial = { ku = 8.783e5, axis = [0, 0, 1] }

[field]
applied = [0.05, 0.0, 0.0866]

[solver]
method = "rk4"
dt = 1e-13
duration = 1e-10
"#;

/// A fresh directory `name` holding the scenario `text` as `s.toml`: (directory, scenario).
fn scenario(name: &str, text: &str) -> (PathBuf, PathBuf) {
    let d = common::tmpdir("cli", name);
    let sc = d.join("s.toml");
    std::fs::write(&sc, text).unwrap();
    (d, sc)
}

/// `larmor run SC --out OUT` and then `flags`: (exit code, stdout, stderr).
fn run(sc: &Path, out: &Path, flags: &str) -> (i32, String, String) {
    larmor_with(&["run", arg(sc), "--out", arg(out)], flags)
}

fn run_scenario(name: &str, text: &str) -> (i32, String, PathBuf) {
    let (d, sc) = scenario(name, text);
    let out = d.join("trace.csv");
    let png = d.join("trace.png");
    let (code, _, err) = larmor(&["run", arg(&sc), "--out", arg(&out), "--plot", arg(&png)]);
    if code != 0 {
        assert!(
            !out.exists() && !png.exists(),
            "{name}: output written despite an error"
        );
        assert!(
            std::fs::read_dir(&d).unwrap().count() == 1,
            "{name}: stray files left behind"
        );
    }
    (code, err, out)
}

/// Asserts exit code 2, a single `error:` line containing every `needle`, and no panic.
fn bad(name: &str, text: &str, needles: &[&str]) {
    let (code, err, _) = run_scenario(name, text);
    assert_refused(name, code, &err, needles);
}

fn replace(from: &str, to: &str) -> String {
    assert!(GOOD.contains(from), "test bug: {from}");
    GOOD.replacen(from, to, 1)
}

#[test]
fn good_scenario_runs_and_writes_csv_and_png() {
    let (code, err, out) = run_scenario("good", GOOD);
    assert_eq!(code, 0, "{err}");
    let csv = std::fs::read_to_string(&out).unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("t,mx,my,mz,energy"), "{header}");
    assert_eq!(lines.count(), 1001); // 1000 steps + initial state
    assert!(out.with_extension("png").exists());
    assert!(err.contains("final m"), "{err}");
}

#[test]
fn every_decimates_rows() {
    let (d, sc) = scenario("every", GOOD);
    let out = d.join("t.csv");
    let (code, _, err) = run(&sc, &out, "--every 100");
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(&out).unwrap().lines().count(),
        1 + 11
    );
}

/// One wrong value, key or type per case (the scenario with `from` replaced by `to`), refused
/// by file and line, key, value and allowed range: among them vectors of the wrong length, a
/// negative demag factor, and shape dimensions checked whether or not demag is given.
#[test]
fn bad_values_are_refused_by_key_and_line() {
    let cases: [(&str, &str, &str, &[&str]); 16] = [
        (
            "unknown",
            "alpha = 0.01",
            "alpha = 0.01\nalhpa = 0.02",
            &["s.toml:4", "unknown field `alhpa`"],
        ),
        (
            "missing",
            "ms = 1.0e6                 # saturation magnetisation, A/m\n",
            "",
            &["missing field `ms`"],
        ),
        (
            "type",
            "alpha = 0.01",
            "alpha = \"low\"",
            &["s.toml:3", "magnet.alpha", "invalid type", "f64"],
        ),
        (
            "nan",
            "ms = 1.0e6",
            "ms = nan",
            &["s.toml:2", "magnet.ms", "allowed > 0"],
        ),
        (
            "inf",
            "applied = [0.05, 0.0, 0.0866]",
            "applied = [inf, 0.0, 0.0866]",
            &["s.toml:13", "field.applied"],
        ),
        (
            "ms",
            "ms = 1.0e6",
            "ms = -1.0e6",
            &["s.toml:2", "magnet.ms", "-1e6", "allowed > 0 A/m"],
        ),
        (
            "alpha",
            "alpha = 0.01",
            "alpha = -0.01",
            &["s.toml:3", "magnet.alpha", "allowed >= 0"],
        ),
        (
            "dt",
            "dt = 1e-13",
            "dt = 0.0",
            &["s.toml:17", "solver.dt", "allowed > 0"],
        ),
        (
            "duration",
            "duration = 1e-10",
            "duration = 1e-14",
            &["s.toml:18", "solver.duration", ">= solver.dt"],
        ),
        (
            "axis",
            "axis = [0, 0, 1]",
            "axis = [0, 0, 0]",
            &["s.toml:10", "anisotropy.uniaxial.axis", "non-zero"],
        ),
        (
            "demag",
            "demag = [0.0, 0.0, 1.0]",
            "demag = [0.0, 0.0, 0.9]",
            &["s.toml:6", "demag", "sum to 1 within 1e-6"],
        ),
        (
            "method",
            "method = \"rk4\"",
            "method = \"euler\"",
            &["s.toml:16", "unknown variant `euler`", "rk4"],
        ),
        (
            "vec4",
            "applied = [0.05, 0.0, 0.0866]",
            "applied = [0.05, 0.0, 0.0866, 7.0]",
            &["s.toml:13", "field.applied", "exactly 3 numbers", "found 4"],
        ),
        (
            "vec2",
            "m0 = [0.6, 0.0, 0.8]",
            "m0 = [0.6, 0.8]",
            &["s.toml:7", "magnet.m0", "exactly 3 numbers", "found 2"],
        ),
        (
            "negdemag",
            "demag = [0.0, 0.0, 1.0]",
            "demag = [-0.5, 0.5, 1.0]",
            &["s.toml:6", "magnet.demag", "-0.5", "each factor in [0, 1]"],
        ),
        (
            "negaxes",
            "shape = { disc = { diameter = 40e-9, thickness = 1.5e-9 } }",
            "shape = { ellipsoid = { a = -20e-9, b = -20e-9, c = 1e-9 } }",
            &["s.toml:5", "shape.ellipsoid.a", "> 0 m"],
        ),
    ];
    for (name, from, to, needles) in cases {
        bad(name, &replace(from, to), needles);
    }
}

#[test]
fn unreadable_file() {
    let d = common::tmpdir("cli", "unreadable");
    let out = d.join("t.csv");
    let missing = d.join("nope.toml");
    let (code, _, err) = run(&missing, &out, "");
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: cannot read scenario") && err.lines().count() == 1,
        "{err}"
    );
    assert!(!out.exists());
    // not TOML at all
    let (code, err, _) = run_scenario("garbage", "this is not toml ][");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("s.toml:1"), "{err}");
}

#[test]
fn output_path_is_a_file_component() {
    let (d, sc) = scenario("outpath", GOOD);
    let blocker = d.join("file");
    std::fs::write(&blocker, "x").unwrap();
    let out: PathBuf = Path::new(&blocker).join("t.csv");
    let (code, _, err) = run(&sc, &out, "");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is not a directory"), "{err}");
}

#[test]
fn huge_value_is_not_echoed_whole() {
    let big = "x".repeat(10_000_000);
    let (code, err, _) = run_scenario(
        "huge",
        &replace("alpha = 0.01", &format!("alpha = \"{big}\"")),
    );
    assert_eq!(code, 2);
    assert!(err.len() < 600, "message of {} bytes", err.len());
    assert!(
        err.contains("magnet.alpha") && err.contains("(cut)"),
        "{err}"
    );
}

/// An extreme shape whose demag factors would not be finite is refused by name.
#[test]
fn extreme_shape_needs_demag() {
    let bigprism = replace(
        "shape = { disc = { diameter = 40e-9, thickness = 1.5e-9 } }",
        "shape = { prism = { x = 0.1, y = 0.1, z = 1e-9 } }",
    )
    .replace("demag = [0.0, 0.0, 1.0]\n", "");
    bad(
        "bigprism",
        &bigprism,
        &["s.toml:5", "magnet.shape", "give magnet.demag"],
    );
}

const INERTIAL: &str = "[inertia]\ntau = 1e-10\n";

#[test]
fn inertial_run_writes_a_unit_trace() {
    let (code, err, out) = run_scenario("inertial", &format!("{GOOD}{INERTIAL}"));
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(out).unwrap();
    let rows: Vec<Vec<f64>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(|x| x.parse().unwrap()).collect())
        .collect();
    assert_eq!(rows.len(), 1001);
    for r in &rows {
        let n = (r[1] * r[1] + r[2] * r[2] + r[3] * r[3]).sqrt();
        assert!((n - 1.0).abs() < 1e-9, "|m| = {n}");
    }
}

#[test]
fn inertial_bad_input() {
    bad(
        "tau0",
        &format!("{GOOD}[inertia]\ntau = 0.0\n"),
        &["inertia.tau", "> 0 s"],
    );
    bad(
        "inertia_midpoint",
        &format!(
            "{}{INERTIAL}",
            GOOD.replace("method = \"rk4\"", "method = \"midpoint\"")
        ),
        &["solver.method", "midpoint", "[inertia]"],
    );
    bad(
        "inertia_dt",
        &format!("{GOOD}[inertia]\ntau = 1e-12\n"),
        &["solver.dt", "nutation", "alpha tau / 4"],
    );
    bad(
        "inertia_alpha0",
        &format!("{}{INERTIAL}", GOOD.replace("alpha = 0.01", "alpha = 0.0")),
        &["magnet.alpha", "> 0 with [inertia]"],
    );
}

#[test]
fn bench_options_are_checked_before_anything_runs() {
    let (code, out, err) = larmor(&["bench", "--case", "nosuch"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        out.is_empty() && err.contains("--case") && err.contains("a_rk4"),
        "{err}"
    );
    let (code, out, err) = larmor(&["bench", "--threads", "0"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        out.is_empty(),
        "cases ran before --threads was checked: {out}"
    );
    assert!(err.contains("--threads"), "{err}");
}

#[test]
fn negative_numbers_are_values() {
    let (code, _, err) = larmor_with(&["ensemble", "x.toml"], "--trials -5 --seed 1 --out o.csv");
    assert_eq!(code, 2);
    assert!(err.contains("--trials") && err.contains("-5"), "{err}");
    assert!(!err.contains("unexpected argument"), "{err}");
}

/// An output never overwrites an input or another output, however the path is spelled.
#[test]
fn outputs_never_overwrite_inputs() {
    let (d, sc) = scenario("overwrite", GOOD);
    let dotted = d.join(".").join("s.toml");
    let other = d.join("o.csv");
    let dotted_other = d.join("sub").join("..").join("o.csv");
    std::fs::create_dir_all(d.join("sub")).unwrap();
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let cases: Vec<Vec<String>> = vec![
        vec!["run".into(), s(&sc), "--out".into(), s(&dotted)],
        vec![
            "run".into(),
            s(&sc),
            "--out".into(),
            s(&other),
            "--plot".into(),
            s(&dotted_other),
        ],
        vec![
            "ensemble".into(),
            s(&sc),
            "--trials".into(),
            "2".into(),
            "--seed".into(),
            "1".into(),
            "--out".into(),
            s(&other),
            "--summary".into(),
            s(&dotted_other),
        ],
        vec!["merge".into(), s(&sc), "--out".into(), s(&dotted)],
        vec![
            "sw".into(),
            "astroid".into(),
            "--out".into(),
            s(&other),
            "--plot".into(),
            s(&dotted_other),
        ],
    ];
    for args in cases {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, _, err) = larmor(&a);
        assert_eq!(code, 2, "{a:?}: {err}");
        assert!(err.contains("same file"), "{a:?}: {err}");
        assert_eq!(
            std::fs::read_to_string(&sc).unwrap(),
            GOOD,
            "{a:?}: the scenario was touched"
        );
        assert!(!other.exists(), "{a:?}: an output was written");
    }
    #[cfg(unix)]
    {
        let link = d.join("link.toml");
        std::os::unix::fs::symlink(&sc, &link).unwrap();
        let (code, _, err) = larmor(&["run", &s(&sc), "--out", &s(&link)]);
        assert_eq!(code, 2, "{err}");
        assert_eq!(std::fs::read_to_string(&sc).unwrap(), GOOD);
    }
}

/// A size from the command line is bounded before anything is allocated.
#[test]
fn huge_sweep_grid_is_refused_at_once() {
    let d = common::tmpdir("cli", "hugegrid");
    let sc = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/mram_switching.toml");
    let out = d.join("sweep.csv");
    let (code, _, err) = larmor_with(
        &["sweep", arg(&sc), "--out", arg(&out)],
        "--vary current --from 1e10 --to 2e10 --points 3000000000 --trials 1 --seed 1",
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--points") && err.contains("1000000"), "{err}");
}

/// A value the chosen scalar cannot hold is refused by name, not integrated into inf or NaN.
#[test]
fn unrepresentable_values_are_refused() {
    let (d, sc) = scenario(
        "f32inf",
        &replace(
            "applied = [0.05, 0.0, 0.0866]",
            "applied = [0.05, 0.0, 1e39]",
        ),
    );
    let out = d.join("t.csv");
    let (code, _, err) = run(&sc, &out, "--precision f32");
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("field.applied") && err.contains("1e39"),
        "{err}"
    );
    assert!(!out.exists());
}

/// An error in a nested table is located at its key's line, not at line 1.
#[test]
fn nested_table_errors_are_located() {
    let text = format!(
        "{}{}",
        GOOD.replace("m0 = [0.6, 0.0, 0.8]", "m0 = [0.0, 0.0, -1.0]"),
        "\n[stt]\npolarizer = [0.0, 0.0, 1.0]\npolarization = 0.6\nvoltage = 0.5\n\n[stt.mtj]\nr_p = 0.0\ntmr0 = 1.5\nv_half = 0.5\n"
    );
    let line = text.lines().position(|l| l.starts_with("r_p")).unwrap() + 1;
    bad(
        "mtj",
        &text,
        &[&format!("s.toml:{line}"), "stt.mtj.r_p", "> 0 ohm"],
    );
}

//! `larmor run` / `larmor ensemble` of coupled stack scenarios (`examples/stack/`): the MTJ
//! with a synthetic-antiferromagnet reference switches under its STT pulse and its
//! resistance follows R(theta); the antiferromagnet rings at the Keffer-Kittel frequency; the
//! SAF cants to the closed-form angle; ensembles are independent of the thread count and of
//! sharding; bad scenarios are refused by key with exit code 2.

mod common;

use std::f64::consts::PI;

use common::{arg, assert_refused, csv, larmor, larmor_with, tmpdir};
use larmor::units::GAMMA_E;

fn example(name: &str) -> String {
    format!(
        "{}/../examples/stack/{name}.toml",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// Runs `larmor run` on `scenario`: the CSV's header and rows, and the summary.
fn run(dir: &std::path::Path, scenario: &str) -> (Vec<String>, Vec<Vec<f64>>, String) {
    let (out, plot) = (dir.join("trace.csv"), dir.join("trace.png"));
    let (code, _, err) = larmor(&["run", scenario, "--out", arg(&out), "--plot", arg(&plot)]);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read(&plot).unwrap().starts_with(b"\x89PNG"));
    let (header, rows) = csv(&out);
    assert!(
        rows.iter().flatten().all(|x| x.is_finite()),
        "NaN in the trace"
    );
    (header, rows, err)
}

fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

/// The junction goes from antiparallel (R_AP = R_P (1 + TMR)) to parallel (R_P) under the
/// current pulse, and every row's resistance is the Julliere/Slonczewski
/// `R(theta) = R_P + (R_AP - R_P) (1 - cos theta) / 2` of that row's free and reference
/// directions (zero bias).
#[test]
fn mtj_with_saf_reference_switches_and_r_follows_the_angle() {
    let d = tmpdir("stack", "mtj");
    let (h, rows, err) = run(&d, &example("mtj_saf"));
    let expected: Vec<String> = [
        "t",
        "mx_free",
        "my_free",
        "mz_free",
        "mx_ref",
        "my_ref",
        "mz_ref",
        "mx_pinned",
        "my_pinned",
        "mz_pinned",
        "energy",
        "current_density",
        "resistance",
    ]
    .map(String::from)
    .to_vec();
    assert_eq!(h, expected);
    let (r_p, r_ap) = (3000.0, 3000.0 * (1.0 + 1.5));
    let r = col(&h, "resistance");
    let (first, last) = (&rows[0], rows.last().unwrap());
    assert!(
        (first[r] - r_ap).abs() < 0.01 * r_ap,
        "starts AP: {}",
        first[r]
    );
    assert!((last[r] - r_p).abs() < 0.01 * r_p, "ends P: {}", last[r]);
    let (f, rf) = (col(&h, "mx_free"), col(&h, "mx_ref"));
    for row in &rows {
        let cos: f64 = (0..3).map(|k| row[f + k] * row[rf + k]).sum();
        let closed = r_p + (r_ap - r_p) * (1.0 - cos) / 2.0;
        assert!((row[r] - closed).abs() < 1e-5, "{} vs {closed}", row[r]);
    }
    // the free layer switched (up to down), the SAF reference stayed (ref down, pinned up)
    let z = |name: &str| last[col(&h, name)];
    assert!(z("mz_free") < -0.95 && z("mz_ref") < -0.95 && z("mz_pinned") > 0.95);
    // during the pulse, and the summary says when
    let t_sw = rows
        .iter()
        .find(|row| row[col(&h, "mz_free")] < 0.0)
        .map(|row| row[0])
        .unwrap();
    assert!(t_sw > 0.2e-9 && t_sw < 4.2e-9, "{t_sw}");
    assert!(err.contains("switched  free: t = "), "{err}");
    let j = col(&h, "current_density");
    assert_eq!(first[j], 0.0);
    assert!(rows.iter().any(|row| row[j] == 1.5e11));
}

/// Keffer and Kittel (1952): a uniaxial antiferromagnet in zero field precesses at
/// `omega = gamma mu0 sqrt(H_A (2 H_E + H_A))`; the example's m_x of sublattice A, counted by
/// its zero crossings, rings at that frequency within 1e-3.
#[test]
fn antiferromagnet_rings_at_the_keffer_kittel_frequency() {
    let d = tmpdir("stack", "afm");
    let (h, rows, _) = run(&d, &example("afm_resonance"));
    let x = col(&h, "mx_A");
    let mut zeros = Vec::new();
    for w in rows.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        if (a[x] < 0.0) != (b[x] < 0.0) {
            zeros.push(a[0] + (b[0] - a[0]) * a[x] / (a[x] - b[x]));
        }
    }
    // solver.every = 5: 30000 steps give 6001 rows (the initial state included)
    assert_eq!(rows.len(), 6001);
    assert!(zeros.len() > 20, "{} zero crossings", zeros.len());
    let f = (zeros.len() - 1) as f64 / 2.0 / (zeros[zeros.len() - 1] - zeros[0]);
    // mu0 H_A = 2 Ku / M = 2e5 / 4e5 T, mu0 H_E = 5 T (the example's values)
    let (b_a, b_e): (f64, f64) = (2.0 * 1e5 / 4e5, 5.0);
    let kk = GAMMA_E * (b_a * (2.0 * b_e + b_a)).sqrt() / (2.0 * PI);
    println!(
        "AFM ring-down: {:.6} GHz, Keffer-Kittel {:.6} GHz (relative {:.2e})",
        f * 1e-9,
        kk * 1e-9,
        f / kk - 1.0
    );
    assert!((f / kk - 1.0).abs() < 1e-3, "{f} vs {kk}");
    // the sublattices stay antiparallel to within the small ring-down angle
    let last = rows.last().unwrap();
    let dot: f64 = (0..3)
        .map(|k| last[x + k] * last[col(&h, "mx_B") + k])
        .sum();
    assert!(dot < -0.999, "{dot}");
}

/// A SAF in an in-plane field `H` cants to `cos(phi) = H / (2 H_ex)` from the field, with
/// `mu0 H_ex = |J1| / (Ms t)`: 0.5 T / (2 * 0.5 T) = 0.5 in the example.
#[test]
fn saf_cants_to_the_closed_form_angle() {
    let d = tmpdir("stack", "saf");
    let (h, rows, _) = run(&d, &example("saf_canting"));
    let last = rows.last().unwrap();
    let (b_ex, b) = (0.5e-3 / (1e6 * 1e-9), 0.5);
    let cos = b / (2.0 * b_ex);
    for (name, sign) in [("bottom", 1.0), ("top", -1.0)] {
        let (mx, my) = (
            last[col(&h, &format!("mx_{name}"))],
            last[col(&h, &format!("my_{name}"))],
        );
        println!("SAF {name}: cos(phi) = {mx:.9} (closed form {cos})");
        assert!((mx - cos).abs() < 1e-6, "{name}: {mx}");
        assert!(
            (my - sign * (1.0 - cos * cos).sqrt()).abs() < 1e-6,
            "{name}: {my}"
        );
    }
}

/// The MTJ example with a pulse short enough that some trials switch and some do not.
fn short_pulse(d: &std::path::Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(example("mtj_saf"))
        .unwrap()
        .replace("duration = 4e-9", "duration = 1.1e-9");
    let p = d.join("short.toml");
    std::fs::write(&p, text).unwrap();
    p
}

fn ensemble(d: &std::path::Path, sc: &std::path::Path, out: &str, flags: &str) -> String {
    let (code, _, err) = larmor_with(
        &["ensemble", arg(sc)],
        &format!(
            "--trials 24 --seed 7 --out {} --summary {}.json {flags}",
            arg(&d.join(out)),
            arg(&d.join(out))
        ),
    );
    assert_eq!(code, 0, "{err}");
    std::fs::read_to_string(d.join(out)).unwrap()
}

#[test]
fn stack_ensemble_is_independent_of_threads_and_shards() {
    let d = tmpdir("stack", "ensemble");
    let sc = short_pulse(&d);
    let one = ensemble(&d, &sc, "one.csv", "--threads 1");
    let two = ensemble(&d, &sc, "two.csv", "--threads 2");
    assert_eq!(one, two);
    assert_eq!(
        std::fs::read(d.join("one.csv.json")).unwrap(),
        std::fs::read(d.join("two.csv.json")).unwrap()
    );
    assert!(one.starts_with("trial,switched,t_switch,mx,my,mz\n"));
    assert_eq!(one.lines().count(), 25);
    assert!(!one.contains("NaN") && !one.contains("inf"), "{one}");
    // the thermal spread decides: both outcomes occur
    assert!(one.contains(",1,") && one.contains(",0,"), "{one}");
    let a = ensemble(&d, &sc, "a.csv", "--threads 2 --shard 0/2");
    let b = ensemble(&d, &sc, "b.csv", "--threads 1 --shard 1/2");
    assert_eq!(format!("{a}{}", b.split_once('\n').unwrap().1), one);
    // and `larmor merge` of the shards, in any order, gives the same file and summary
    let merged = d.join("m.csv");
    let (code, _, err) = larmor_with(
        &["merge", arg(&d.join("b.csv")), arg(&d.join("a.csv"))],
        &format!(
            "--trials 24 --out {} --summary {}",
            arg(&merged),
            arg(&d.join("m.json"))
        ),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_to_string(&merged).unwrap(), one);
    assert_eq!(
        std::fs::read(d.join("m.json")).unwrap(),
        std::fs::read(d.join("one.csv.json")).unwrap()
    );
    // a switched trial's row: the free layer ends down, with a switching time
    for line in one.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let mz: f64 = f[5].parse().unwrap();
        match f[1] {
            "1" => assert!(mz < 0.0 && !f[2].is_empty(), "{line}"),
            _ => assert!(mz > 0.0, "{line}"),
        }
    }
}

/// The MTJ example with `from` replaced by `to` (which must occur once).
fn mutated(d: &std::path::Path, name: &str, from: &str, to: &str) -> std::path::PathBuf {
    let text = std::fs::read_to_string(example("mtj_saf")).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{from}");
    let p = d.join(format!("{name}.toml"));
    std::fs::write(&p, text.replace(from, to)).unwrap();
    p
}

/// The line of the first occurrence of `needle` in the scenario (1-based).
fn line_of(path: &std::path::Path, needle: &str) -> usize {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .position(|l| l.contains(needle))
        .unwrap()
        + 1
}

/// `larmor run` of `sc` is refused naming every needle, at the line where `at` stands.
fn assert_run_refused_at(
    what: &str,
    sc: &std::path::Path,
    out: &std::path::Path,
    at: &str,
    needles: &[&str],
) {
    let (code, _, err) = larmor(&["run", arg(sc), "--out", arg(out)]);
    assert_refused(what, code, &err, needles);
    let line = line_of(sc, at);
    assert!(
        err.contains(&format!(":{line}: ")),
        "{what}: not at line {line}: {err}"
    );
}

#[test]
fn bad_stack_scenarios_are_refused_by_key() {
    let d = tmpdir("stack", "refused");
    let out = d.join("x.csv");
    // (case, text replaced, replacement, the line the error must name, what it must say)
    let cases: [(&str, &str, &str, &str, &[&str]); 9] = [
        (
            "negative thickness",
            "thickness = 2e-9\n",
            "thickness = -2e-9\n",
            "thickness = -2e-9",
            &["layer[1].thickness = -2e-9", "> 0 m"],
        ),
        (
            "zero ms",
            "ms = 1.2e6\nthickness = 3e-9",
            "ms = 0.0\nthickness = 3e-9",
            "ms = 0.0",
            &["layer[2].ms = 0", "> 0 A/m"],
        ),
        (
            "unknown layer name in a coupling",
            "layers = [\"ref\", \"pinned\"]",
            "layers = [\"ref\", \"pined\"]",
            "pined",
            &[
                "coupling[0].layers = \"pined\" names no layer",
                "\"pinned\"",
            ],
        ),
        (
            "a layer coupled to itself",
            "layers = [\"ref\", \"pinned\"]",
            "layers = [\"ref\", 1]",
            "layers = [\"ref\", 1]",
            &["coupling[0].layers", "to itself"],
        ),
        (
            "stt.free out of range",
            "free = \"free\"\nreference = \"ref\"\npolarization",
            "free = 5\nreference = \"ref\"\npolarization",
            "free = 5",
            &["stack.stt.free = 5 names no layer", "0 to 2"],
        ),
        (
            "thermal with rk4",
            "method = \"heun\"",
            "method = \"rk4\"",
            "method = \"rk4\"",
            &["solver.method = \"rk4\"", "[thermal]", "heun"],
        ),
        (
            "polarization out of range",
            "polarization = 0.6",
            "polarization = 1.6",
            "polarization = 1.6",
            &["stack.stt.polarization = 1.6", "[0, 1]"],
        ),
        (
            "negative r_p",
            "r_p = 3000.0",
            "r_p = -3000.0",
            "r_p = -3000.0",
            &["stack.mtj.r_p = -3000", "> 0 ohm"],
        ),
        (
            "unknown key",
            "bias = [0, 0, 0.5]",
            "bias = [0, 0, 0.5]\nbiass = 1",
            "biass",
            &["biass"],
        ),
    ];
    for (what, from, to, at, needles) in cases {
        let sc = mutated(&d, what.replace(' ', "_").as_str(), from, to);
        assert_run_refused_at(what, &sc, &out, at, needles);
        assert!(!out.exists(), "{what}: no output for a refused scenario");
    }
    // the antiferromagnet's tables
    let afm = std::fs::read_to_string(example("afm_resonance")).unwrap();
    for (what, from, to, at, needles) in [
        (
            "negative exchange",
            "exchange = 5.0 ",
            "exchange = -5.0 ",
            "exchange = -5.0",
            &["antiferromagnet.exchange = -5", ">= 0 T"][..],
        ),
        (
            "zero sublattice ms",
            "ms = 4e5\nalpha = 0.002\nanisotropy = { ku = 1e5, axis = [0, 0, 1] }\nm0 = [0, 0, -1]",
            "ms = 0.0\nalpha = 0.002\nanisotropy = { ku = 1e5, axis = [0, 0, 1] }\nm0 = [0, 0, -1]",
            "ms = 0.0",
            &["sublattice[1].ms = 0", "> 0 A/m"][..],
        ),
        (
            "a coupling in an antiferromagnet",
            "[antiferromagnet]",
            "[[coupling]]\nlayers = [0, 1]\nj1 = -1e-3\n\n[antiferromagnet]",
            "[[coupling]]",
            &["[coupling]", "antiferromagnet.exchange"][..],
        ),
    ] {
        assert_eq!(afm.matches(from).count(), 1, "{from}");
        let sc = d.join(format!("{}.toml", what.replace(' ', "_")));
        std::fs::write(&sc, afm.replace(from, to)).unwrap();
        assert_run_refused_at(what, &sc, &out, at, needles);
    }
    // stack runs are f64
    let (code, _, err) = larmor_with(
        &["run", &example("saf_canting")],
        &format!("--precision f32 --out {}", arg(&out)),
    );
    assert_refused("f32", code, &err, &["--precision f32", "f64 only"]);
    // an ensemble without [switching] is refused too
    let sc = mutated(
        &d,
        "noswitch",
        "[switching]\nlayer = \"free\"\nread_time = 6e-9",
        "",
    );
    let (code, _, err) = larmor_with(
        &["ensemble", arg(&sc)],
        &format!("--trials 2 --seed 1 --out {}", arg(&d.join("t.csv"))),
    );
    assert_refused("ensemble without [switching]", code, &err, &["[switching]"]);
}

/// Sends `signal` to `child` once `ready` holds (polled), and waits for it to end.
fn interrupt_when(
    child: &mut std::process::Child,
    signal: &str,
    ready: impl Fn() -> bool,
) -> std::process::ExitStatus {
    let t0 = std::time::Instant::now();
    while !ready() {
        assert!(t0.elapsed().as_secs() < 60, "no progress");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    std::process::Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    child.wait().unwrap()
}

/// Ctrl-C during a stack run: exit code 130 and the trace so far is saved under its name.
#[test]
fn interrupted_stack_run_keeps_its_trace() {
    let d = tmpdir("stack", "interrupt");
    let text = std::fs::read_to_string(example("saf_canting"))
        .unwrap()
        .replace("duration = 2e-9", "duration = 2e-5");
    let sc = d.join("long.toml");
    std::fs::write(&sc, text).unwrap();
    let out = d.join("trace.csv");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_larmor"))
        .args(["run", arg(&sc), "--out", arg(&out)])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let part = d.join("trace.csv.part");
    let status = interrupt_when(&mut child, "INT", || {
        std::fs::metadata(&part).is_ok_and(|m| m.len() > 0)
    });
    assert_eq!(status.code(), Some(130));
    let (header, rows) = csv(&out);
    assert_eq!(header[0], "t");
    assert!(!rows.is_empty() && rows.iter().flatten().all(|x| x.is_finite()));
    assert!(rows.last().unwrap()[0] < 2e-5, "stopped early");
}

/// Ctrl-C during a stack ensemble, then `--resume`: the same file as an uninterrupted run.
#[test]
fn interrupted_stack_ensemble_resumes_to_the_same_file() {
    let d = tmpdir("stack", "resume");
    let sc = short_pulse(&d);
    let flags = "--trials 320 --seed 5 --threads 1";
    let reference = d.join("ref.csv");
    let (code, _, err) = larmor_with(&["ensemble", arg(&sc), "--out", arg(&reference)], flags);
    assert_eq!(code, 0, "{err}");
    let out = d.join("t.csv");
    let part = d.join("t.csv.part");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_larmor"))
        .args(["ensemble", arg(&sc), "--out", arg(&out)])
        .args(flags.split_whitespace())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let status = interrupt_when(&mut child, "INT", || {
        std::fs::read_to_string(&part).is_ok_and(|s| s.lines().count() >= 2)
    });
    assert!(!status.success());
    assert!(!out.exists(), "no final file after an interruption");
    let (code, _, err) = larmor_with(
        &["ensemble", arg(&sc), "--out", arg(&out)],
        &format!("{flags} --resume"),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        std::fs::read_to_string(&reference).unwrap()
    );
}

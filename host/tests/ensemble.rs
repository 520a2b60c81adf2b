//! `larmor ensemble` / `merge`: determinism across thread counts and shards, resumption after
//! interruption (Ctrl-C and kill -9) with files identical to an uninterrupted run, and the
//! bad-input classes of the thermal and spin-torque tables.

mod common;
use common::{arg, assert_refused, larmor_with};

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SCENARIO: &str = r#"[magnet]
ms = 1.0e6
alpha = 0.01
shape = { disc = { diameter = 40e-9, thickness = 1.5e-9 } }
demag = [0.0, 0.0, 1.0]
m0 = [0.0, 0.0, -1.0]

[anisotropy]
uniaxial = { ku = 878318.5, axis = [0, 0, 1] }

[thermal]
temperature = 300.0

[stt]
polarizer = [0.0, 0.0, 1.0]
polarization = 0.6
lambda = 1.0
field_like = 0.0
current_density = { pulse = { amplitude = 1.7e11, start = 0.1e-9, duration = 2e-9 } }

[switching]
initial = [0.0, 0.0, -1.0]
read_time = 1.2e-9

[solver]
dt = 1e-13
duration = 1.2e-9
"#;

fn dir(name: &str) -> PathBuf {
    let d = common::tmpdir("ens", name);
    std::fs::write(d.join("s.toml"), SCENARIO).unwrap();
    d
}

fn larmor(args: &[&str]) -> (i32, String) {
    let (code, _, err) = common::larmor(args);
    (code, err)
}

fn ensemble(d: &Path, out: &str, extra: &[&str]) -> String {
    let sc = d.join("s.toml");
    let o = d.join(out);
    let mut args = vec![
        "ensemble",
        sc.to_str().unwrap(),
        "--out",
        o.to_str().unwrap(),
    ];
    if !extra.contains(&"--seed") {
        args.extend_from_slice(&["--seed", "11"]);
    }
    args.extend_from_slice(extra);
    let (code, err) = larmor(&args);
    assert_eq!(code, 0, "{err}");
    std::fs::read_to_string(o).unwrap()
}

/// Trials in SIMD lanes (`--lanes 8`, the default) have the bits of the same trials run one by
/// one, in f64 and f32, with Heun and RK4, for a trial count and shard starts that are not
/// multiples of the lane count (a partial batch runs one by one).
#[test]
fn identical_in_lanes_and_one_by_one() {
    let d = dir("lanes");
    for (precision, method) in [("f64", "heun"), ("f32", "heun"), ("f64", "midpoint")] {
        let text = SCENARIO.replace("dt = 1e-13", &format!("dt = 1e-13\nmethod = \"{method}\""));
        std::fs::write(d.join("s.toml"), text).unwrap();
        let common = ["--trials", "21", "--precision", precision];
        let one = ensemble(&d, "one.csv", &[&common[..], &["--lanes", "1"]].concat());
        let eight = ensemble(&d, "eight.csv", &[&common[..], &["--lanes", "8"]].concat());
        assert_eq!(one, eight, "{precision} {method}");
        assert_eq!(one.lines().count(), 22);
        // shard 1/2 (trials 10..21) batches trials 10..18 together: the same rows
        let shard = ensemble(
            &d,
            "shard.csv",
            &[&common[..], &["--shard", "1/2"]].concat(),
        );
        let rows: Vec<&str> = one.lines().skip(11).collect();
        assert_eq!(
            shard.lines().skip(1).collect::<Vec<_>>(),
            rows,
            "{precision} {method}"
        );
        if method == "heun" {
            assert!(one.contains(",1,") && one.contains(",0,"), "{one}");
        }
    }
}

#[test]
fn identical_with_one_and_two_threads_and_with_merged_shards() {
    let d = dir("det");
    let one = ensemble(
        &d,
        "t1.csv",
        &[
            "--trials",
            "40",
            "--threads",
            "1",
            "--summary",
            d.join("s1.json").to_str().unwrap(),
        ],
    );
    let two = ensemble(
        &d,
        "t2.csv",
        &[
            "--trials",
            "40",
            "--threads",
            "2",
            "--summary",
            d.join("s2.json").to_str().unwrap(),
        ],
    );
    assert_eq!(one, two);
    assert_eq!(
        std::fs::read(d.join("s1.json")).unwrap(),
        std::fs::read(d.join("s2.json")).unwrap()
    );
    assert_eq!(one.lines().count(), 41);
    // some trials switch and some do not at this short pulse: the test sees both outcomes
    assert!(one.contains(",1,") && one.contains(",0,"), "{one}");
    let a = ensemble(&d, "a.csv", &["--trials", "40", "--shard", "0/2"]);
    let b = ensemble(&d, "b.csv", &["--trials", "40", "--shard", "1/2"]);
    // plain concatenation (header once) reproduces the single run byte for byte
    let concat = format!("{a}{}", b.split_once('\n').unwrap().1);
    assert_eq!(concat, one);
    // and so does `larmor merge`, whatever the order of its inputs
    let merged = d.join("m.csv");
    let (code, err) = larmor(&[
        "merge",
        d.join("b.csv").to_str().unwrap(),
        d.join("a.csv").to_str().unwrap(),
        "--trials",
        "40",
        "--out",
        merged.to_str().unwrap(),
        "--summary",
        d.join("sm.json").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_to_string(merged).unwrap(), one);
    assert_eq!(
        std::fs::read(d.join("sm.json")).unwrap(),
        std::fs::read(d.join("s1.json")).unwrap()
    );
    // a missing shard is reported
    let (code, _, err) = larmor_with(
        &[
            "merge",
            arg(&d.join("a.csv")),
            "--out",
            arg(&d.join("x.csv")),
        ],
        "--trials 40",
    );
    assert_eq!(code, 2);
    assert!(err.contains("first missing: 20"), "{err}");
}

fn interrupted_then_resumed(signal: &str) {
    let d = dir(signal);
    let reference = ensemble(&d, "ref.csv", &["--trials", "320", "--threads", "1"]);
    let sc = d.join("s.toml");
    let out = d.join("t.csv");
    let part = d.join("t.csv.part");
    let mut child = Command::new(env!("CARGO_BIN_EXE_larmor"))
        .args(["ensemble", arg(&sc), "--out", arg(&out)])
        .args("--seed 11 --trials 320 --threads 1".split_whitespace())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // wait until at least one chunk (64 trials) is on disk, then interrupt
    let t0 = Instant::now();
    while std::fs::read_to_string(&part)
        .map(|s| s.lines().count())
        .unwrap_or(0)
        < 2
    {
        assert!(t0.elapsed() < Duration::from_secs(60), "no progress");
        std::thread::sleep(Duration::from_millis(5));
    }
    if signal == "KILL" {
        child.kill().unwrap();
    } else {
        Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
    }
    let status = child.wait().unwrap();
    assert!(!status.success());
    assert!(
        !out.exists(),
        "final file must not exist after an interruption"
    );
    let saved = std::fs::read_to_string(&part).unwrap();
    let rows = saved.lines().count() - 1;
    assert!((64..320).contains(&rows), "{rows} rows saved");
    // without --resume the partial campaign is protected
    let campaign = ["ensemble", arg(&sc), "--out", arg(&out)];
    let (code, _, err) = larmor_with(&campaign, "--seed 11 --trials 320");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--resume"), "{err}");
    // a different campaign cannot resume it
    let (code, _, err) = larmor_with(&campaign, "--seed 12 --trials 320 --resume");
    assert_eq!(code, 2, "{err}");
    // resume completes it, identical to the uninterrupted run
    let resumed = ensemble(
        &d,
        "t.csv",
        &["--trials", "320", "--threads", "2", "--resume"],
    );
    assert_eq!(resumed, reference);
    assert!(!part.exists());
}

#[test]
fn resume_after_ctrl_c() {
    interrupted_then_resumed("INT");
}

#[test]
fn resume_after_kill_9() {
    interrupted_then_resumed("KILL");
}

/// Each case: the scenario with `from` replaced by `to` is refused by key (and line), exit
/// code 2, and leaves no file.
#[test]
fn thermal_and_torque_bad_input() {
    let cases: [(&str, &str, &str, &[&str]); 9] = [
        (
            "temp",
            "temperature = 300.0",
            "temperature = -1.0",
            &["s.toml:12", "thermal.temperature", ">= 0 K"],
        ),
        (
            "pol",
            "polarization = 0.6",
            "polarization = 1.5",
            &["s.toml:16", "stt.polarization", "[0, 1]"],
        ),
        (
            "lambda",
            "lambda = 1.0",
            "lambda = 0.0",
            &["s.toml:17", "stt.lambda", "> 0"],
        ),
        (
            "pulse",
            "start = 0.1e-9",
            "start = 5e-9",
            &["s.toml:19", "stt.current_density", "outside the run"],
        ),
        (
            "read",
            "read_time = 1.2e-9",
            "read_time = 2e-9",
            &["s.toml:23", "switching.read_time", "solver.duration"],
        ),
        (
            "initial",
            "initial = [0.0, 0.0, -1.0]",
            "initial = [0.0, 0.0, 1.0]",
            &[
                "s.toml:22",
                "switching.initial = [0, 0, 1]",
                "magnet.m0 = [0, 0, -1]",
            ],
        ),
        (
            "rk4",
            "dt = 1e-13",
            "method = \"rk4\"\ndt = 1e-13",
            &["s.toml:26", "solver.method", "heun"],
        ),
        (
            "polarizer",
            "polarizer = [0.0, 0.0, 1.0]",
            "polarizer = [0.0, 0.0, 0.0]",
            &["s.toml:15", "stt.polarizer"],
        ),
        (
            "nocurrent",
            "current_density = { pulse = { amplitude = 1.7e11, start = 0.1e-9, duration = 2e-9 } }",
            "",
            &["current_density", "voltage"],
        ),
    ];
    for (name, from, to, needles) in cases {
        let d = dir(name);
        assert!(SCENARIO.contains(from), "test bug: {from}");
        std::fs::write(d.join("s.toml"), SCENARIO.replacen(from, to, 1)).unwrap();
        let out = d.join("t.csv");
        let (code, _, err) = larmor_with(
            &["ensemble", arg(&d.join("s.toml")), "--out", arg(&out)],
            "--trials 4 --seed 1",
        );
        assert_refused(name, code, &err, needles);
        assert!(!out.exists() && !d.join("t.csv.part").exists());
    }
    let d = dir("shard");
    let (code, _, err) = larmor_with(
        &["ensemble", arg(&d.join("s.toml"))],
        "--trials 4 --seed 1 --shard 2/2 --out x.csv",
    );
    assert_eq!(code, 2);
    assert!(err.contains("0 <= i < n"), "{err}");
}

/// `merge` reads its shards strictly: a garbage row, a file cut mid-line and an empty file are
/// refused with the file and line, not silently cut short.
#[test]
fn merge_refuses_damaged_shards() {
    let d = dir("damaged");
    let a = ensemble(&d, "a.csv", &["--trials", "8", "--shard", "0/2"]);
    let b = ensemble(&d, "b.csv", &["--trials", "8", "--shard", "1/2"]);
    let mut lines: Vec<&str> = a.lines().collect();
    lines[2] = "2,banana,,0.1,0.2,0.3";
    let garbage = d.join("garbage.csv");
    std::fs::write(&garbage, lines.join("\n") + "\n").unwrap();
    let torn = d.join("torn.csv");
    std::fs::write(&torn, &a[..a.len() - 5]).unwrap();
    let empty = d.join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    std::fs::write(d.join("b.csv"), &b).unwrap();
    for (bad, needle) in [
        (&garbage, "garbage.csv:3: not a trial row"),
        (&torn, "ends mid-line"),
        (&empty, "empty file"),
    ] {
        let out = d.join("m.csv");
        let (code, err) = larmor(&[
            "merge",
            bad.to_str().unwrap(),
            d.join("b.csv").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(needle), "{needle} not in: {err}");
        assert!(!out.exists(), "merged file written from a damaged shard");
    }
}

/// `merge` refuses shards of two campaigns (each completed shard keeps its fingerprint in
/// `OUT.meta`), naming both files and what differs; shards without a fingerprint (older files)
/// are merged with a warning.
#[test]
fn merge_refuses_shards_of_different_campaigns() {
    let d = dir("mixed");
    ensemble(&d, "a.csv", &["--trials", "8", "--shard", "0/2"]);
    let hot = d.join("hot");
    std::fs::create_dir_all(&hot).unwrap();
    std::fs::write(
        hot.join("s.toml"),
        SCENARIO.replace("temperature = 300.0", "temperature = 350.0"),
    )
    .unwrap();
    ensemble(&hot, "../hot.csv", &["--trials", "8", "--shard", "1/2"]);
    ensemble(
        &d,
        "seed.csv",
        &["--trials", "8", "--shard", "1/2", "--seed", "12"],
    );
    ensemble(&d, "ten.csv", &["--trials", "10", "--shard", "1/2"]);
    ensemble(&d, "b.csv", &["--trials", "8", "--shard", "1/2"]);
    let path = |f: &str| d.join(f).to_str().unwrap().to_string();
    let merge = |second: &str| {
        larmor(&[
            "merge",
            &path("a.csv"),
            &path(second),
            "--out",
            &path("m.csv"),
        ])
    };
    for (second, needles) in [
        (
            "hot.csv",
            &[
                "a.csv and",
                "hot.csv are shards of different campaigns",
                "scenario files differ",
                "hot/s.toml",
            ][..],
        ),
        (
            "seed.csv",
            &[
                "seed.csv are shards of different campaigns",
                "seed=11",
                "seed=12",
            ][..],
        ),
        (
            "ten.csv",
            &["trial counts differ", "trials=8", "trials=10"][..],
        ),
    ] {
        let (code, err) = merge(second);
        assert_eq!(code, 2, "{second}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        for n in needles {
            assert!(err.contains(n), "{second}: `{n}` not in {err}");
        }
        assert!(!d.join("m.csv").exists(), "{second}: merged two campaigns");
    }
    // one campaign: merged, and the merged file carries the fingerprint of a single run
    let (code, err) = merge("b.csv");
    assert_eq!(code, 0, "{err}");
    let whole = ensemble(&d, "whole.csv", &["--trials", "8"]);
    assert_eq!(std::fs::read_to_string(d.join("m.csv")).unwrap(), whole);
    let meta = |f: &str| std::fs::read_to_string(d.join(f)).unwrap();
    let strip = |m: String| {
        m.lines()
            .filter(|l| !l.starts_with("source="))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(meta("m.csv.meta")), strip(meta("whole.csv.meta")));
    // a fingerprint that no longer describes its file is refused
    std::fs::copy(d.join("seed.csv"), d.join("b.csv")).unwrap();
    let (code, err) = merge("b.csv");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("b.csv.meta: does not describe"), "{err}");
    // shards of older versions (no fingerprint): merged, with a warning naming them
    std::fs::remove_file(d.join("seed.csv.meta")).unwrap();
    let (code, err) = merge("seed.csv");
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning: no campaign fingerprint") && err.contains("seed.csv"),
        "{err}"
    );
    assert!(
        !d.join("m.csv.meta").exists(),
        "a partly unchecked merge has no fingerprint"
    );
}

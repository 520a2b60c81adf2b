//! `larmor wer`: the Fokker-Planck write-error rate of the README's MRAM scenario with its
//! error estimate, its agreement with brute-force trials at a WER near 1e-3, adaptive
//! multilevel splitting against both (near 1e-3) and against Fokker-Planck (near 1e-6 and
//! 1e-9), and bad input refused by flag or key with exit code 2.

mod common;

use common::{arg, assert_refused, larmor_with, tmpdir};

fn mram() -> String {
    format!(
        "{}/../examples/mram_switching.toml",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// A fast-relaxing perpendicular cell (alpha = 0.1, Delta = 40, mu0 H_K,eff = 0.7 T) whose
/// 0.45 ns pulse of about 2 J_c0 leaves a write-error rate near 1e-3 (1.5e-3): cheap enough for
/// brute force (10^4 trials, about 15 errors).
const FAST: &str = r#"[magnet]
ms = 1.0e6
alpha = 0.1
shape = { disc = { diameter = 20e-9, thickness = 1.5e-9 } }
demag = [0.0, 0.0, 1.0]
m0 = [0.0, 0.0, -1.0]

[anisotropy]
uniaxial = { ku = 978318.5, axis = [0, 0, 1] }

[thermal]
temperature = 300.0

[stt]
polarizer = [0.0, 0.0, 1.0]
polarization = 0.6
lambda = 1.0
field_like = 0.0
current_density = { pulse = { amplitude = AMPLITUDE, start = 0.1e-9, duration = 0.45e-9 } }

[switching]
read_time = 0.7e-9

[solver]
dt = 2e-13
duration = 0.7e-9
"#;

/// The JSON object printed by `larmor wer ... --json`.
fn json(args: &[&str], flags: &str) -> serde_json::Value {
    let (code, out, err) = larmor_with(args, &format!("{flags} --json"));
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

fn num(v: &serde_json::Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or_else(|| panic!("{key} in {v}"))
}

#[test]
fn fp_wer_of_the_mram_example_with_its_error_estimate() {
    let sc = mram();
    let v = json(&["wer", &sc], "--method fp");
    let (wer, low, high) = (num(&v, "wer"), num(&v, "low"), num(&v, "high"));
    assert!(low < wer && wer < high, "{v}");
    assert!(wer > 1e-5 && wer < 1e-3, "{v}");
    // the interval holds the finest level and is a few per cent wide
    let fine = num(&v, "fine");
    assert!(low <= fine && fine <= high, "{v}");
    assert!(high / low < 1.2, "{v}");
    assert_eq!(v["interval"], "richardson");
    assert_eq!(num(&v, "read_time"), 9e-9);
    // a finer solve lands inside the interval
    let finer = json(&["wer", &sc], "--method fp --grid 2000 --dt 5e-14");
    let w2 = num(&finer, "wer");
    assert!(low < w2 && w2 < high, "{w2} outside [{low}, {high}]");
    // the summary names the method, the interval and the levels
    let (code, out, err) = larmor_with(&["wer", &sc], "--method fp --grid 400 --dt 2e-13");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("WER") && out.contains("Richardson") && out.contains("200 cells"));
}

#[test]
fn fp_agrees_with_brute_force_trials_near_1e_minus_3() {
    let d = tmpdir("wer", "agree");
    let sc = d.join("fast.toml");
    std::fs::write(&sc, FAST.replace("AMPLITUDE", "1.0e12")).unwrap();
    let fp = json(&["wer", arg(&sc)], "--method fp --dt 1e-13");
    let mc = json(&["wer", arg(&sc)], "--method mc --trials 10000 --seed 7");
    let (w_fp, w_mc) = (num(&fp, "wer"), num(&mc, "wer"));
    eprintln!(
        "fp {w_fp:.4e} [{:.4e}, {:.4e}], mc {w_mc:.4e} [{:.4e}, {:.4e}] ({} errors)",
        num(&fp, "low"),
        num(&fp, "high"),
        num(&mc, "low"),
        num(&mc, "high"),
        num(&mc, "errors")
    );
    assert!(w_fp > 3e-4 && w_fp < 3e-3, "{fp}");
    assert!(
        num(&mc, "low") <= w_fp && w_fp <= num(&mc, "high"),
        "fp {fp} outside the Wilson interval of {mc}"
    );
    assert_eq!(mc["interval"], "wilson95");
}

/// `larmor wer --method ams` on the fast cell with pulse `amplitude`, and Fokker-Planck's value.
fn ams_and_fp(amplitude: &str, flags: &str) -> (serde_json::Value, serde_json::Value) {
    let d = tmpdir("wer", &format!("ams{amplitude}"));
    let sc = d.join("fast.toml");
    std::fs::write(&sc, FAST.replace("AMPLITUDE", amplitude)).unwrap();
    let fp = json(&["wer", arg(&sc)], "--method fp --dt 1e-13");
    let ams = json(&["wer", arg(&sc)], &format!("--method ams {flags}"));
    eprintln!(
        "{amplitude}: fp {:.4e} [{:.4e}, {:.4e}], ams {:.4e} [{:.4e}, {:.4e}] (se {:.1} %, {:.0} \
         trials' worth, {:.1} s)",
        num(&fp, "wer"),
        num(&fp, "low"),
        num(&fp, "high"),
        num(&ams, "wer"),
        num(&ams, "low"),
        num(&ams, "high"),
        100.0 * num(&ams, "rel_std_error"),
        num(&ams, "trials"),
        num(&ams, "wall_s")
    );
    assert_eq!(ams["interval"], "student95");
    let w = num(&fp, "wer");
    assert!(
        num(&ams, "low") <= w && w <= num(&ams, "high"),
        "fp {fp} outside the AMS interval {ams}"
    );
    (ams, fp)
}

#[test]
fn ams_agrees_with_fp_and_brute_force_near_1e_minus_3() {
    let (ams, fp) = ams_and_fp("1.0e12", "--replicas 50 --runs 4 --seed 5");
    assert!(num(&fp, "wer") > 3e-4 && num(&fp, "wer") < 3e-3, "{fp}");
    let d = tmpdir("wer", "ams_mc");
    let sc = d.join("fast.toml");
    std::fs::write(&sc, FAST.replace("AMPLITUDE", "1.0e12")).unwrap();
    let mc = json(&["wer", arg(&sc)], "--method mc --trials 10000 --seed 7");
    let w = num(&ams, "wer");
    assert!(
        num(&mc, "low") <= w && w <= num(&mc, "high"),
        "ams {ams} outside the Wilson interval of {mc}"
    );
    // run 0 starts with the trials 0..N of mc; the result does not depend on the threads
    let one = json(
        &["wer", arg(&sc)],
        "--method ams --replicas 50 --runs 4 --seed 5 --threads 1",
    );
    assert_eq!(one["run_wer"], ams["run_wer"]);
}

#[test]
fn ams_agrees_with_fp_near_1e_minus_6_and_1e_minus_9() {
    for (amplitude, lo, hi) in [("1.4e12", 1e-7, 1e-5), ("1.75e12", 1e-10, 1e-8)] {
        let (ams, _) = ams_and_fp(amplitude, "--replicas 50 --runs 6 --seed 9");
        let w = num(&ams, "wer");
        assert!(w > lo && w < hi, "{ams}");
        // the interval is informative: a relative standard error below 50 %
        assert!(num(&ams, "rel_std_error") < 0.5, "{ams}");
    }
}

#[test]
fn refusals_name_the_flag_or_key() {
    let sc = mram();
    let refused = |flags: &str, needles: &[&str]| {
        let (code, _, err) = larmor_with(&["wer", &sc], flags);
        assert_refused(flags, code, &err, needles);
    };
    refused("--method ams", &["--method ams needs --seed"]);
    refused("--method ams --seed 1 --replicas 1", &["--replicas", "1"]);
    refused("--method ams --seed 1 --runs 1", &["--runs", "1"]);
    refused(
        "--method ams --seed 1 --settled 0",
        &["--settled = 0", "0 < U <= 1"],
    );
    refused(
        "--method ams --seed 1 --settled 1.5",
        &["--settled = 1.5", "0 < U <= 1"],
    );
    refused(
        "--method fp --replicas 10",
        &["--replicas", "--method ams only"],
    );
    refused("--method mc --runs 10", &["--runs", "--method ams only"]);
    refused(
        "--method ams --seed 1 --trials 10",
        &["--trials", "--method mc only"],
    );
    refused(
        "--method ams --seed 1 --grid 100",
        &["--grid", "--method fp only"],
    );
    refused(
        "--method fp --grid 1001",
        &["--grid = 1001", "multiple of 4"],
    );
    refused("--method fp --grid 4", &["--grid = 4", "8 to 2^24"]);
    refused("--method fp --dt=-1e-12", &["--dt = -1e-12", "> 0 s"]);
    refused("--method fp --dt 0", &["--dt = 0", "> 0 s"]);
    refused("--method fp --dt 1e-30", &["--dt", "1e9 steps"]);
    refused("--method fp --trials 10", &["--trials", "--method mc only"]);
    refused("--method mc --grid 100", &["--grid", "--method fp only"]);
    refused("--method mc", &["--method mc needs --trials"]);
    refused("--method mc --trials 0 --seed 1", &["--trials"]);
    refused("--method fp --threads 0 --trials 1", &["--trials"]);
    // scenarios that are not axially symmetric, located at their key's line
    let d = tmpdir("wer", "refuse");
    let text = std::fs::read_to_string(&sc).unwrap();
    let cases = [
        (
            "axis = [0, 0, 1]",
            "axis = [0.1, 0, 1]",
            ":14:",
            "anisotropy.uniaxial.axis",
        ),
        (
            "polarizer = [0.0, 0.0, 1.0]",
            "polarizer = [0.0, 1.0, 1.0]",
            ":20:",
            "stt.polarizer",
        ),
        (
            "temperature = 300.0",
            "temperature = 0.0",
            ":17:",
            "thermal.temperature",
        ),
    ];
    for (i, (from, to, line, key)) in cases.iter().enumerate() {
        assert!(text.contains(from), "{from}");
        let bad = d.join(format!("bad{i}.toml"));
        std::fs::write(&bad, text.replace(from, to)).unwrap();
        let (code, _, err) = larmor_with(&["wer", arg(&bad)], "--method fp");
        assert_refused(key, code, &err, &[line, key]);
    }
    let bad = d.join("in_plane_field.toml");
    std::fs::write(
        &bad,
        text.replacen(
            "\n[thermal]",
            "\n[field]\napplied = [0.01, 0.0, 0.0]\n\n[thermal]",
            1,
        ),
    )
    .unwrap();
    let (code, _, err) = larmor_with(&["wer", arg(&bad)], "--method fp");
    assert_refused(
        "in-plane field",
        code,
        &err,
        &["field.applied", "axially symmetric"],
    );
}

/// The numbers of a WER sweep's row as `larmor wer --json` gives them: printed with 7
/// significant digits.
fn same(row: f64, wer: &serde_json::Value, key: &str) {
    let v = num(wer, key);
    assert_eq!(
        row,
        format!("{v:.6e}").parse::<f64>().unwrap(),
        "{key}: {row} vs {wer}"
    );
}

#[test]
fn sweep_by_fp_and_ams_gives_what_wer_gives_at_every_point() {
    let d = tmpdir("wer", "sweep");
    let sc = d.join("fast.toml");
    std::fs::write(&sc, FAST.replace("AMPLITUDE", "1.0e12")).unwrap();
    let values = ["1.0e12", "1.4e12"];
    for (method, flags) in [
        ("fp", "--method fp --dt 1e-13"),
        (
            "ams",
            "--method ams --replicas 20 --runs 2 --seed 3 --threads 1",
        ),
    ] {
        let out = d.join(format!("{method}.csv"));
        let (code, _, err) = larmor_with(
            &["sweep", arg(&sc), "--out", arg(&out)],
            &format!("--vary current --values {} {flags}", values.join(",")),
        );
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("WER"), "{err}");
        // fp leaves std_error empty: read as NaN
        let text = std::fs::read_to_string(&out).unwrap();
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let rows: Vec<Vec<f64>> = lines
            .map(|l| {
                l.split(',')
                    .map(|x| {
                        if x.is_empty() {
                            f64::NAN
                        } else {
                            x.parse().unwrap()
                        }
                    })
                    .collect()
            })
            .collect();
        assert_eq!(
            header,
            [
                "value",
                "wer",
                "wer_low",
                "wer_high",
                "p_switch",
                "std_error"
            ]
        );
        assert_eq!(rows.len(), values.len());
        for (row, v) in rows.iter().zip(values) {
            let pt = d.join(format!("{method}_{v}.toml"));
            std::fs::write(&pt, FAST.replace("AMPLITUDE", v)).unwrap();
            let w = json(&["wer", arg(&pt)], flags);
            assert_eq!(row[0], v.parse::<f64>().unwrap());
            same(row[1], &w, "wer");
            same(row[2], &w, "low");
            same(row[3], &w, "high");
            // p_switch = 1 - wer, to the 7 printed digits of wer (and 12 decimals)
            assert!(
                (row[4] - (1.0 - row[1])).abs() <= 5e-7 * row[1] + 1e-12,
                "{row:?}"
            );
            if method == "ams" {
                same(row[5], &w, "std_error");
            } else {
                assert!(row[5].is_nan(), "fp has no standard error: {row:?}");
            }
        }
        // a higher current writes better
        assert!(rows[1][1] < rows[0][1], "{rows:?}");
    }
    let refused = |flags: &str, needles: &[&str]| {
        let out = d.join("refused.csv");
        let (code, _, err) = larmor_with(
            &["sweep", arg(&sc), "--out", arg(&out)],
            &format!("--vary current --values 1e12,2e12 {flags}"),
        );
        assert_refused(flags, code, &err, needles);
        assert!(!out.exists(), "{flags}: no output for refused input");
    };
    refused("--method fp --trials 10", &["--trials", "--method mc only"]);
    refused(
        "--method fp --seed 1",
        &["--seed", "--method mc or ams only"],
    );
    refused("--method fp --lanes 1", &["--lanes", "--method mc only"]);
    refused("--method fp --runs 3", &["--runs", "--method ams only"]);
    refused("--method fp --grid 6", &["--grid = 6", "multiple of 4"]);
    refused("--method ams", &["--method ams needs --seed"]);
    refused(
        "--method ams --seed 1 --settled 2",
        &["--settled = 2", "0 < U <= 1"],
    );
    refused(
        "--method ams --seed 1 --trials 5",
        &["--trials", "--method mc only"],
    );
    refused(
        "--method ams --seed 1 --dt 1e-13",
        &["--dt", "--method fp only"],
    );
    refused("--seed 1", &["sweep --method mc needs --trials"]);
    refused("--trials 10", &["sweep --method mc needs --seed"]);
    refused(
        "--trials 10 --seed 1 --grid 100",
        &["--grid", "--method fp only"],
    );
    refused(
        "--trials 10 --seed 1 --replicas 10",
        &["--replicas", "--method ams only"],
    );
}

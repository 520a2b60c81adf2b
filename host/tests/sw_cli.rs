//! `larmor sw`, `larmor neel-brown`, `larmor viscosity` and `larmor sharrock` from the command
//! line: outputs against closed forms and the kernel, statistics against stated tolerances
//! (z-scores, |z| < 5, fixed seeds), determinism across thread counts, and bad input as one line
//! with exit code 2 and no output file.

mod common;
use common::{csv, larmor};

use std::path::Path;

/// Runs and asserts success; returns (stdout, stderr).
fn ok(args: &[&str]) -> (String, String) {
    let (code, out, err) = larmor(args);
    assert_eq!(code, 0, "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    (out, err)
}

/// `flags` (white-space separated) as arguments.
fn flags(flags: &str) -> Vec<&str> {
    flags.split_whitespace().collect()
}

/// [`ok`] of `args` (paths kept whole) followed by `flags` (white-space separated).
fn ok_with(args: &[&str], flags: &str) -> (String, String) {
    let mut all = args.to_vec();
    all.extend(flags.split_whitespace());
    ok(&all)
}

fn p(d: &Path, name: &str) -> String {
    d.join(name).to_str().unwrap().to_string()
}

fn is_png(path: &str) -> bool {
    std::fs::read(path).is_ok_and(|b| b.starts_with(b"\x89PNG"))
}

/// The number after `key` on stderr, and the one after `+-` on the same line, if any.
fn value(err: &str, key: &str) -> (f64, Option<f64>) {
    let line = err
        .lines()
        .find(|l| l.contains(key))
        .unwrap_or_else(|| panic!("`{key}` not in {err}"));
    let after = &line[line.find(key).unwrap() + key.len()..];
    let mut words = after.split_whitespace();
    let v = words.next().unwrap().parse().unwrap();
    let se = after
        .split("+-")
        .nth(1)
        .map(|s| s.split_whitespace().next().unwrap().parse().unwrap());
    (v, se)
}

#[test]
fn astroid_matches_closed_form() {
    let d = common::tmpdir("sw", "astroid");
    let (out, png) = (p(&d, "astroid.csv"), p(&d, "astroid.png"));
    ok(&["sw", "astroid", "--out", &out, "--plot", &png]);
    let (header, rows) = csv(Path::new(&out));
    assert_eq!(header, ["psi_deg", "h_sw", "h_par", "h_perp"]);
    assert_eq!(rows.len(), 361);
    assert!(is_png(&png));
    let formula = |deg: f64| {
        let (s, c) = deg.to_radians().sin_cos();
        (c.abs().powf(2.0 / 3.0) + s.abs().powf(2.0 / 3.0)).powf(-1.5)
    };
    let mut worst: f64 = 0.0;
    for deg in [0, 1, 10, 30, 45, 60, 80, 89, 90, 135, 200, 300, 359, 360] {
        let r = &rows[deg];
        assert_eq!(r[0], deg as f64);
        let err = (r[1] - formula(r[0])).abs();
        worst = worst.max(err);
        assert!(err < 1e-9, "psi = {deg}: {} vs {}", r[1], formula(r[0]));
        let (s, c) = r[0].to_radians().sin_cos();
        assert!((r[2] - r[1] * c).abs() < 1e-15 && (r[3] - r[1] * s).abs() < 1e-15);
    }
    println!("astroid CSV vs (cos^2/3 + sin^2/3)^-3/2: worst {worst:.1e}");
    // every row on the astroid |h_par|^2/3 + |h_perp|^2/3 = 1
    for r in &rows {
        let a = r[2].abs().powf(2.0 / 3.0) + r[3].abs().powf(2.0 / 3.0);
        assert!((a - 1.0).abs() < 1e-9, "{r:?}");
    }
    assert!(!Path::new(&format!("{out}.part")).exists());
}

#[test]
fn single_particle_loop_at_psi_0_is_square_with_coercivity_1() {
    let d = common::tmpdir("sw", "square");
    let (out, png) = (p(&d, "loop.csv"), p(&d, "loop.png"));
    // 300 fields per branch: the grid does not contain +-1 (step 3/299)
    let (_, err) = ok(&[
        "sw", "loop", "--psi", "0", "--hmax", "1.5", "--points", "300", "--out", &out, "--plot",
        &png,
    ]);
    assert!(is_png(&png));
    let (header, rows) = csv(Path::new(&out));
    assert_eq!(header, ["h", "m_par", "m_perp"]);
    assert_eq!(rows.len(), 599);
    assert_eq!(rows[0], [1.5, 1.0, 0.0]); // positive saturation
    assert_eq!(rows[598][0], 1.5);
    let (down, up) = rows.split_at(300);
    for r in down {
        let want = if r[0] > -1.0 { 1.0 } else { -1.0 };
        assert!((r[1] - want).abs() < 1e-12 && r[2].abs() < 1e-12, "{r:?}");
    }
    for r in up {
        let want = if r[0] < 1.0 { -1.0 } else { 1.0 };
        assert!((r[1] - want).abs() < 1e-12 && r[2].abs() < 1e-12, "{r:?}");
    }
    // coercivity from the CSV (zero crossing of m_par) within one grid step, exact on stderr
    let k = down.iter().position(|r| r[1] < 0.0).unwrap();
    let hc_csv = -0.5 * (down[k - 1][0] + down[k][0]);
    assert!((hc_csv - 1.0).abs() <= 3.0 / 299.0, "{hc_csv}");
    let (hc, _) = value(&err, "H_c/H_K =");
    let (mr, _) = value(&err, "M_r/M_s =");
    assert!((hc - 1.0).abs() < 1e-9 && (mr - 1.0).abs() < 1e-9, "{err}");
    assert!(
        err.contains("-1.000000, +1.000000"),
        "jumps at -+H_K: {err}"
    );
}

#[test]
fn oblique_single_particle_loop() {
    // 30 deg: remanence cos 30, coercivity = h_sw(30) = (cos^2/3 + sin^2/3)^-3/2
    let d = common::tmpdir("sw", "oblique");
    let out = p(&d, "loop.csv");
    let (_, err) = ok(&["sw", "loop", "--psi", "30", "--out", &out]);
    let (s, c) = 30f64.to_radians().sin_cos();
    let h_sw = (c.powf(2.0 / 3.0) + s.powf(2.0 / 3.0)).powf(-1.5);
    assert!((value(&err, "M_r/M_s =").0 - c).abs() < 1e-8, "{err}");
    assert!((value(&err, "H_c/H_K =").0 - h_sw).abs() < 1e-8, "{err}");
    let (_, rows) = csv(Path::new(&out));
    assert_eq!(rows.len(), 801);
    // field along the hard axis: m_par = h (no hysteresis) for |h| < 1
    let out90 = p(&d, "loop90.csv");
    ok(&[
        "sw", "loop", "--psi", "90", "--hmax", "0.9", "--out", &out90,
    ]);
    for r in csv(Path::new(&out90)).1 {
        assert!((r[1] - r[0]).abs() < 1e-12, "{r:?}");
    }
}

/// Random 3D axes, pseudo-random sample of N particles: remanence 1/2 with standard error
/// sqrt(1/12)/sqrt(N) (|cos psi| uniform on [0, 1]); coercivity 0.4822 (the converged SW value,
/// 0.479 in the 1948 tables) within 5 of the printed standard errors.
#[test]
fn random3d_population_loop_remanence_and_coercivity() {
    let d = common::tmpdir("sw", "random3d");
    let (out, png) = (p(&d, "loop.csv"), p(&d, "loop.png"));
    let n = 10_000;
    let (_, err) = ok_with(
        &["sw", "loop", "--out", &out, "--plot", &png],
        &format!("--population random3d --particles {n} --seed 7 --points 201"),
    );
    assert!(is_png(&png));
    let (mr, mr_se) = value(&err, "M_r/M_s =");
    let (hc, hc_se) = value(&err, "H_c/H_K =");
    let (mr_se, hc_se) = (mr_se.unwrap(), hc_se.unwrap());
    let se_theory = (1.0f64 / 12.0).sqrt() / (n as f64).sqrt();
    println!(
        "random3d N = {n}: Mr = {mr} +- {mr_se} (z = {:.2}), Hc = {hc} +- {hc_se} (z vs 0.4822 = {:.2})",
        (mr - 0.5) / se_theory,
        (hc - 0.4822) / hc_se
    );
    assert!(
        (mr_se / se_theory - 1.0).abs() < 0.05,
        "{mr_se} vs {se_theory}"
    );
    assert!(((mr - 0.5) / se_theory).abs() < 5.0, "{err}");
    assert!(hc_se > 0.0 && hc_se < 0.005, "{err}");
    assert!(((hc - 0.4822) / hc_se).abs() < 5.0, "{err}");
    // the loop (kernel loop engine) agrees with the exact branch values printed on stderr
    let (_, rows) = csv(Path::new(&out));
    assert_eq!(rows.len(), 401);
    let zero = &rows[100];
    assert_eq!(zero[0], 0.0);
    assert!((zero[1] - mr).abs() < 1e-6, "{zero:?} vs {mr}");
    let k = (1..201).find(|&k| rows[k][1] <= 0.0).unwrap();
    assert!(-rows[k][0] >= hc - 1e-9 && -rows[k - 1][0] <= hc + 1e-9);
    // loop symmetry: the ascending branch mirrors the descending one
    for j in 1..201 {
        let (a, b) = (&rows[j], &rows[200 + j]);
        assert_eq!(a[0], -b[0]);
        assert!((a[1] + b[1]).abs() < 1e-9, "{a:?} {b:?}");
    }
}

/// The deterministic Fibonacci-sphere population converges to the SW values without noise.
#[test]
fn stratified3d_population_converged_values() {
    let d = common::tmpdir("sw", "strat");
    let out = p(&d, "loop.csv");
    let (_, err) = ok(&[
        "sw",
        "loop",
        "--population",
        "stratified3d",
        "--particles",
        "2000",
        "--points",
        "41",
        "--out",
        &out,
    ]);
    let (mr, _) = value(&err, "M_r/M_s =");
    let (hc, _) = value(&err, "H_c/H_K =");
    assert!(
        (mr - 0.5).abs() < 1e-6 && (hc - 0.4822).abs() < 5e-5,
        "{err}"
    );
    assert!(err.contains("no sampling"), "{err}");
}

#[test]
fn population_loop_does_not_depend_on_threads() {
    let d = common::tmpdir("sw", "threads");
    let run = |threads: &str| {
        let out = p(&d, &format!("loop{threads}.csv"));
        let (_, err) = ok_with(
            &["sw", "loop", "--threads", threads, "--out", &out],
            "--population random3d --particles 1500 --seed 3 --hk-spread 0.2 \
             --volume-spread 0.3 --hmax 3 --points 61",
        );
        let stats: Vec<String> = err
            .lines()
            .filter(|l| l.contains("M_r/M_s") || l.contains("H_c/H_K"))
            .map(String::from)
            .collect();
        (std::fs::read(out).unwrap(), stats)
    };
    let (a, sa) = run("1");
    let (b, sb) = run("2");
    assert!(a == b, "CSV differs between 1 and 2 threads");
    assert_eq!(sa, sb);
    assert_eq!(sa.len(), 2);
}

fn neel_brown_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["neel-brown", "--json"];
    all.extend_from_slice(args);
    let (out, _) = ok(&all);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn neel_brown_json_matches_the_kernel() {
    // field along the axis: Brown's axial prefactor
    let v = neel_brown_json(&[
        "--sigma", "40", "--h", "0.2", "--alpha", "0.1", "--hk", "0.5",
    ]);
    let nb = larmor::arrhenius::neel_brown(40.0, 0.2, 0.1, 0.5, 0.0).unwrap();
    let f = |k: &str| {
        v[k].as_f64()
            .unwrap_or_else(|| panic!("field {k} missing: {v}"))
    };
    let rel = |a: f64, b: f64| ((a - b) / b).abs();
    assert!(rel(f("tau"), nb.tau) < 1e-14, "{} vs {}", f("tau"), nb.tau);
    assert!(rel(f("f0"), nb.f0_down) < 1e-14);
    assert!(rel(f("barrier"), 0.64) < 1e-12); // (1 - h)^2 in units of K V
    assert!(rel(f("barrier_kt"), nb.barrier_down_kt) < 1e-14);
    assert!(rel(f("barrier_up"), 1.44) < 1e-12);
    assert!(rel(f("barrier_down"), 0.64) < 1e-12);
    assert!(rel(f("rate_up"), nb.rate_up) < 1e-14);
    assert!(rel(f("rate_down"), nb.rate_down) < 1e-14);
    assert!(rel(f("f0_up"), nb.f0_up) < 1e-14);
    assert!(rel(f("log10_tau"), nb.tau.log10()) < 1e-12);
    assert!(rel(f("escape_time"), 1.0 / nb.rate_down) < 1e-14);
    assert!(rel(f("s0"), nb.s0) < 1e-14);
    assert_eq!(f("h_sw"), 1.0);
    assert_eq!(v["well"], "down");
    assert_eq!(v["prefactor"], "brown-axial");
    assert_eq!(v["input"]["sigma"], 40.0);
    assert!(v["notes"].as_array().unwrap().is_empty());
    println!(
        "neel-brown sigma 40, h 0.2, alpha 0.1, 0.5 T: tau = {:.6e} s, f0 = {:.4e} Hz",
        f("tau"),
        f("f0")
    );

    // oblique field: IHD prefactor; fixed f0: Neel
    let v = neel_brown_json(&[
        "--sigma", "40", "--h", "0.2", "--alpha", "0.1", "--hk", "0.5", "--psi", "30",
    ]);
    let nb = larmor::arrhenius::neel_brown(40.0, 0.2, 0.1, 0.5, 30f64.to_radians()).unwrap();
    assert!(rel(v["tau"].as_f64().unwrap(), nb.tau) < 1e-14);
    assert_eq!(v["prefactor"], "brown-ihd");
    let v = neel_brown_json(&["--sigma", "30", "--h", "0", "--f0", "1e9"]);
    let tau = v["tau"].as_f64().unwrap();
    assert!(
        rel(tau, 30f64.exp() / 2e9) < 1e-14,
        "tau = e^sigma / (2 f0) at h = 0"
    );
    assert_eq!(v["barrier"], 1.0);
    assert_eq!(v["prefactor"], "fixed");
    // a barrier below 5 kB T carries a note
    let v = neel_brown_json(&["--sigma", "4", "--h", "0", "--f0", "1e9"]);
    assert_eq!(v["notes"].as_array().unwrap().len(), 1);
    // the table form
    let (table, _) = ok(&[
        "neel-brown",
        "--sigma",
        "40",
        "--h",
        "0.2",
        "--alpha",
        "0.1",
        "--hk",
        "0.5",
    ]);
    assert!(
        table.contains("tau") && table.contains("barrier_down"),
        "{table}"
    );
}

#[test]
fn viscosity_matches_exact_expectation_and_2_kt_p0_ms() {
    // flat barrier density on [10, 50] kB T, no back-switching: S = 2 kB T P(0) Ms = 0.05 Ms
    let d = common::tmpdir("sw", "viscosity");
    let (out, png) = (p(&d, "m_t.csv"), p(&d, "m_t.png"));
    let args = |out: &str, threads: &str| -> Vec<String> {
        [
            "viscosity",
            "--barrier",
            "uniform:10:50",
            "--bias",
            "60",
            "--particles",
            "50000",
            "--seed",
            "5",
            "--points",
            "31",
            "--threads",
            threads,
            "--out",
            out,
        ]
        .map(String::from)
        .to_vec()
    };
    let mut a = args(&out, "2");
    a.extend(["--plot".to_string(), png.clone()]);
    let (_, err) = ok(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(is_png(&png), "{err}");
    let (header, rows) = csv(Path::new(&out));
    assert_eq!(
        header,
        ["t", "e_probe", "m", "m_se", "m_exact", "s_exact", "s_theory"]
    );
    assert_eq!(rows.len(), 31);
    assert!((rows[0][0] - 1e-3).abs() < 1e-18 && rows[30][0] == 1e3);
    let mut zmax: f64 = 0.0;
    for r in &rows {
        zmax = zmax.max(((r[2] - r[4]) / r[3]).abs());
        // probed barriers 13.8..27.6 kB T lie inside the density: the exact slope is 0.05
        assert!((r[5] - 0.05).abs() < 1e-6, "{r:?}");
        assert!((r[6] - 0.05).abs() < 1e-12, "{r:?}");
    }
    println!("viscosity: max |m_kMC - m_exact| / se = {zmax:.2}");
    assert!(zmax < 5.0);
    // same numbers with one thread, and with the event-by-event (Gillespie) kMC in distribution
    let one = p(&d, "one.csv");
    ok(&args(&one, "1")
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>());
    assert!(std::fs::read(&one).unwrap() == std::fs::read(&out).unwrap());
    let gil = p(&d, "gil.csv");
    let mut g = args(&gil, "2");
    g.push("--gillespie".into());
    ok(&g.iter().map(String::as_str).collect::<Vec<_>>());
    for r in csv(Path::new(&gil)).1 {
        assert!(((r[2] - r[4]) / r[3]).abs() < 5.0, "{r:?}");
    }
}

#[test]
fn sharrock_rate_and_time() {
    let d = common::tmpdir("sw", "sharrock");
    let (out, png) = (p(&d, "hc.csv"), p(&d, "hc.png"));
    ok_with(
        &["sharrock", "--out", &out, "--plot", &png],
        "--sigma 40 --vs rate --from 1 --to 1e4 --points 3 --particles 4000 --seed 9",
    );
    assert!(is_png(&png));
    let (header, rows) = csv(Path::new(&out));
    assert_eq!(header, ["rate", "hc", "hc_sharrock", "hc_kmc", "hc_kmc_se"]);
    let mut prev = 0.0;
    for r in &rows {
        let exact = larmor::arrhenius::sharrock_sweep(40.0, 1e9, r[0], 2.0).unwrap();
        // aligned: the SW barrier is sigma (1 - h)^2, the Sharrock form is exact
        assert!(
            (r[1] - exact).abs() < 1e-8 && (r[2] - exact).abs() < 1e-12,
            "{r:?}"
        );
        let z = (r[3] - r[1]) / r[4];
        println!(
            "rate {:.0e}: Hc {:.5}, kMC {:.5} (z = {z:.2})",
            r[0], r[1], r[3]
        );
        assert!(z.abs() < 5.0 && r[4] < 2e-3, "{r:?}");
        assert!(r[1] > prev);
        prev = r[1];
    }
    // waiting time, 45 degrees: exact SW barrier vs Pfeiffer's power law (m = 1.43), a few 1e-3
    let out = p(&d, "hc_t.csv");
    ok(&[
        "sharrock", "--sigma", "60", "--psi", "45", "--vs", "time", "--from", "1e-6", "--to",
        "1e3", "--points", "4", "--out", &out,
    ]);
    let (header, rows) = csv(Path::new(&out));
    assert_eq!(header, ["t", "hc", "hc_sharrock"]);
    for r in &rows {
        let x = (1e9 * r[0] / std::f64::consts::LN_2).ln();
        let psi = std::f64::consts::FRAC_PI_4;
        let b = larmor::sw::barrier(-r[1] * psi.cos(), r[1] * psi.sin())
            .unwrap()
            .unwrap();
        assert!((2.0 * 60.0 * b.from_up_2kv() - x).abs() < 1e-6, "{r:?}");
        assert!((r[2] - r[1]).abs() < 5e-3 && r[1] < 0.5, "{r:?}");
    }
}

/// Asserts exit code 2, one `error:` line containing every needle, and no output written.
fn bad(args: &[&str], needles: &[&str]) {
    let d = common::tmpdir("sw", "bad");
    let out = p(&d, "out.csv");
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--out", &out]);
    let (code, stdout, err) = larmor(&all);
    common::assert_refused(&format!("{args:?}"), code, &err, needles);
    assert!(stdout.is_empty());
    assert_eq!(
        std::fs::read_dir(&d).unwrap().count(),
        0,
        "{args:?}: files left"
    );
}

#[test]
fn bad_input_is_one_line_with_exit_code_2() {
    let nb = |extra: &[&'static str]| {
        let mut v = vec!["neel-brown", "--json"];
        v.extend_from_slice(extra);
        v
    };
    // neel-brown prints to stdout, so --out is an unknown option there: test it separately
    for (args, needles) in [
        (
            nb(&["--sigma", "-1", "--h", "0.2", "--f0", "1e9"]),
            &["--sigma = -1", "> 0"][..],
        ),
        (
            nb(&["--sigma", "nan", "--h", "0.2", "--f0", "1e9"]),
            &["--sigma = NaN", "> 0"],
        ),
        (
            nb(&["--sigma", "40", "--h", "1.2", "--f0", "1e9"]),
            &["--h = 1.2", "h_sw(psi) = 1", "astroid"],
        ),
        (
            nb(&["--sigma", "40", "--h", "0.6", "--psi", "45", "--f0", "1e9"]),
            &["--h = 0.6", "h_sw(psi) = 0.5"],
        ),
        (
            nb(&["--sigma", "40", "--h", "-0.1", "--f0", "1e9"]),
            &["--h = -0.1", "0 <= h"],
        ),
        (
            nb(&["--sigma", "40", "--h", "0.1", "--alpha", "0", "--hk", "1"]),
            &["--alpha = 0", "> 0"],
        ),
        (
            nb(&[
                "--sigma", "40", "--h", "0.1", "--alpha", "0.1", "--hk", "-1",
            ]),
            &["--hk = -1", "> 0 T"],
        ),
        (nb(&["--sigma", "40", "--h", "0.1"]), &["--alpha", "--f0"]),
        (
            nb(&["--sigma", "40", "--h", "0.1", "--f0", "0"]),
            &["--f0 = 0", "> 0 Hz"],
        ),
    ] {
        let (code, stdout, err) = larmor(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(stdout.is_empty() && !err.contains("panicked"));
        for n in needles {
            assert!(err.contains(n), "{args:?}: `{n}` not in {err}");
        }
    }
    bad(
        &["sw", "astroid", "--points", "1"],
        &["--points = 1", "2 <= N"],
    );
    bad(&["sw", "loop"], &["--psi", "--population"]);
    bad(
        &["sw", "loop", "--psi", "10", "--hmax", "-1"],
        &["--hmax = -1", "0 < hmax"],
    );
    bad(
        &["sw", "loop", "--psi", "inf"],
        &["--psi = inf", "finite angle"],
    );
    bad(
        &["sw", "loop", "--psi", "10", "--points", "2"],
        &["--points = 2", "3 <= N"],
    );
    bad(
        &["sw", "loop", "--population", "random3d", "--particles", "0"],
        &["--particles = 0", "1 <= N"],
    );
    bad(
        &["sw", "loop", "--population", "random3d"],
        &["--particles"],
    );
    bad(
        &["sw", "loop", "--psi", "10", "--particles", "5"],
        &["--particles needs --population"],
    );
    bad(
        &flags("sw loop --population random2d --particles 10 --hk-spread -0.1"),
        &["--hk-spread = -0.1", ">= 0"],
    );
    bad(
        &flags("sw loop --population aligned --particles 10 --threads 0"),
        &["--threads = 0", ">= 1"],
    );
    bad(
        &["viscosity", "--barrier", "uniform:50:10"],
        &["--barrier = uniform:50:10", "uniform:LO:HI"],
    );
    bad(
        &["viscosity", "--barrier", "normal:30:-1"],
        &["--barrier = normal:30:-1", "SD >= 0"],
    );
    bad(
        &["viscosity", "--barrier", "gauss:30"],
        &["unknown distribution"],
    );
    bad(
        &["viscosity", "--barrier", "fixed:20", "--t-min", "0"],
        &["--t-min = 0", "> 0 s"],
    );
    bad(
        &["viscosity", "--barrier", "fixed:20", "--f0", "-1e9"],
        &["--f0 = -1e9", "> 0 Hz"],
    );
    bad(
        &flags("sharrock --sigma -40 --vs rate --from 1 --to 10"),
        &["--sigma = -40", "> 0"],
    );
    bad(
        &flags("sharrock --sigma 40 --vs rate --from 0 --to 10"),
        &["--from = 0", "> 0 H_K/s"],
    );
    bad(
        &flags("sharrock --sigma 40 --vs time --from 1e-12 --to 1"),
        &["--from = 1e-12", "ln 2 / f0"],
    );
    bad(
        &flags("sharrock --sigma 40 --vs time --from 1 --to 10 --particles 10"),
        &["--particles", "--vs rate"],
    );
    // sweep rates far above f0: the kMC field grid would take 27 GB (it aborted)
    bad(
        &flags("sharrock --sigma 40 --vs rate --from 1e9 --to 1e15 --points 2 --particles 100"),
        &[
            "--to = 1e15 H_K/s",
            "--particles",
            "GB",
            "allowed with --particles: --to <= 2.87e11 H_K/s",
        ],
    );
}

/// Options clap rejects (unknown, missing or non-numeric) also exit with code 2 and name the
/// option (clap adds a usage hint on the following lines).
#[test]
fn unknown_and_malformed_options_exit_2() {
    for (args, needle) in [
        (
            &[
                "neel-brown",
                "--sigma",
                "40",
                "--h",
                "0.1",
                "--f0",
                "1e9",
                "--bogus",
            ][..],
            "--bogus",
        ),
        (&["sw", "loop", "--psi", "ten", "--out", "x.csv"], "--psi"),
        (
            &["sw", "loop", "--population", "random4d", "--out", "x.csv"],
            "--population",
        ),
        (&["viscosity", "--out", "x.csv"], "--barrier"),
    ] {
        let (code, _, err) = larmor(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.starts_with("error: ") && err.contains(needle),
            "{args:?}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(!Path::new("x.csv").exists());
    }
}

/// Barriers of hundreds of kB T (both rates underflow) give finite exact columns, and a column
/// that does not apply is an empty field: no NaN or inf in the file.
#[test]
fn viscosity_writes_no_nan() {
    let d = common::tmpdir("sw", "viscnan");
    for (barrier, empty_theory) in [
        ("lognormal:800:0.5", false),
        ("uniform:10:2000", false),
        ("fixed:20", true),
    ] {
        let out = p(&d, "v.csv");
        ok(&[
            "viscosity",
            "--barrier",
            barrier,
            "--particles",
            "1000",
            "--points",
            "11",
            "--out",
            &out,
        ]);
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(
            !text.to_lowercase().contains("nan") && !text.contains("inf"),
            "{barrier}: {text}"
        );
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split(',').collect();
            assert_eq!(fields.len(), 7, "{barrier}: {line}");
            assert_eq!(fields[6].is_empty(), empty_theory, "{barrier}: {line}");
            for f in &fields[..6] {
                assert!(
                    f.parse::<f64>().is_ok_and(f64::is_finite),
                    "{barrier}: {line}"
                );
            }
        }
    }
}

/// A result printed to a stdout that cannot take it (a full disk behind a redirection) is an
/// error with exit code 1, never a panic; a pipe closed early (`| head`) is not an error.
#[test]
fn stdout_failures_are_errors_not_panics() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("SKIPPED: no /dev/full on this system");
        return;
    };
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_larmor"))
        .args(["neel-brown", "--sigma", "40", "--h", "0.1", "--f0", "1e9"])
        .stdout(full)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot write to stdout"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

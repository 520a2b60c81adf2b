//! `larmor mc` and `larmor meanfield` from the command line: the columns and values of a
//! small scan, identical files for any number of threads, the Binder crossing of the example,
//! bad input refused by name, an interruption keeping the finished rows; the mean-field Curie
//! temperature and magnetisation curve.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{arg, assert_refused, csv, larmor, larmor_with, tmpdir};

fn dir(name: &str) -> PathBuf {
    tmpdir("mc", name)
}

/// A small Ising scan on 4x4 and 6x6 periodic square lattices across Tc.
const TINY: &str = "[mc]\nmodel = \"ising\"\nlattice = \"square\"\nsizes = [4, 6]\n\
temperatures = [1.5, 2.0, 2.5, 3.0]\nsweeps = 400\nequilibration = 100\nblocks = 10\nseed = 3\n";

fn write(d: &Path, name: &str, text: &str) -> PathBuf {
    let p = d.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn mc(sc: &Path, out: &Path, extra: &str) -> (i32, String, String) {
    larmor_with(&["mc", arg(sc), "--out", arg(out)], extra)
}

#[test]
fn a_small_scan_has_its_columns_and_does_not_depend_on_threads() {
    let d = dir("tiny");
    let sc = write(&d, "s.toml", TINY);
    let (a, b) = (d.join("a.csv"), d.join("b.csv"));
    let summary = d.join("s.json");
    let (code, _, err) = mc(&sc, &a, &format!("--threads 1 --summary {}", arg(&summary)));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = mc(
        &sc,
        &b,
        &format!("--threads 2 --plot {}", arg(&d.join("p.png"))),
    );
    assert_eq!(code, 0, "{err}");
    let (ta, tb) = (
        std::fs::read_to_string(&a).unwrap(),
        std::fs::read_to_string(&b).unwrap(),
    );
    assert_eq!(
        ta, tb,
        "--threads 1 and --threads 2 must give the same file"
    );
    assert!(d.join("p.png").exists());
    let (header, rows) = csv(&a);
    assert_eq!(
        header.join(","),
        "L,T,m,m_err,m2,m4,u4,u4_err,e,c,chi",
        "the columns"
    );
    assert_eq!(rows.len(), 8);
    for r in &rows {
        assert_eq!(r.len(), 11);
        assert!(r.iter().all(|x| x.is_finite()), "{r:?}");
        let (m, m2, m4, u4, e) = (r[2], r[4], r[5], r[6], r[8]);
        assert!((0.0..=1.0).contains(&m) && m2 <= 1.0 && m4 <= m2, "{r:?}");
        assert!(m * m <= m2 + 1e-12, "<|m|>^2 <= <m^2>: {r:?}");
        assert!((1.0 - m4 / (3.0 * m2 * m2) - u4).abs() < 1e-12, "{r:?}");
        assert!(
            (-2.0..0.0).contains(&e),
            "e per spin of the square Ising model: {r:?}"
        );
        assert!(
            r[3] > 0.0 && r[7] >= 0.0 && r[9] >= 0.0 && r[10] >= 0.0,
            "{r:?}"
        );
    }
    // ordered at T = 1.5 (U near 2/3, m near 1), disordered at T = 3
    assert_eq!((rows[0][0], rows[0][1]), (4.0, 1.5));
    assert!(
        rows[0][2] > 0.95 && (rows[0][6] - 2.0 / 3.0).abs() < 0.01,
        "{:?}",
        rows[0]
    );
    assert_eq!((rows[7][0], rows[7][1]), (6.0, 3.0));
    assert!(rows[7][2] < 0.6 && rows[7][6] < 0.55, "{:?}", rows[7]);
    // the same seed, the same rows; another seed, other rows
    let c = d.join("c.csv");
    let sc2 = write(&d, "s2.toml", &TINY.replace("seed = 3", "seed = 4"));
    assert_eq!(mc(&sc2, &c, "").0, 0);
    assert_ne!(std::fs::read_to_string(&c).unwrap(), ta);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    let cr = &json["crossings"][0];
    assert_eq!((cr["l1"].as_u64(), cr["l2"].as_u64()), (Some(4), Some(6)));
    let (tc, tc_err) = (cr["tc"].as_f64().unwrap(), cr["tc_err"].as_f64().unwrap());
    assert!(tc > 1.5 && tc < 3.0 && tc_err > 0.0, "{cr}");
}

/// The example scan finds the 16/32 crossing within 1 % of Onsager's Tc, with an error bar
/// small enough for that to mean something.
#[test]
fn the_ising_example_crosses_near_onsager() {
    let d = dir("example");
    let sc = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/lattice/ising_tc.toml");
    let summary = d.join("s.json");
    let t0 = Instant::now();
    let (code, _, err) = mc(
        &sc,
        &d.join("o.csv"),
        &format!("--summary {}", arg(&summary)),
    );
    assert_eq!(code, 0, "{err}");
    eprintln!("{err}example in {:?}", t0.elapsed());
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    let onsager = 2.0 / (1.0 + 2.0f64.sqrt()).ln();
    let last = json["crossings"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["l2"].as_u64(), Some(32));
    let (tc, err) = (
        last["tc"].as_f64().unwrap(),
        last["tc_err"].as_f64().unwrap(),
    );
    assert!(last["bracketed"].as_bool().unwrap());
    assert!((tc / onsager - 1.0).abs() < 0.01, "Tc = {tc} +- {err}");
    assert!(err < 0.005 * onsager, "error bar {err}");
}

/// XY and Heisenberg spins with both moves: ordered at low temperature (U4 near 2/3), near
/// the free-spin values (Gaussian 1/3 and 4/9 plus their 1/n terms) hot; the same rows for any
/// thread count.
#[test]
fn xy_and_heisenberg_scans() {
    let d = dir("continuous");
    for (model, algorithm, hot) in [
        // free spins: 1/3 + 1/(3 n) and 4/9 + 2/(9 n) for n = 64
        ("xy", "heat-bath", 1.0 / 3.0 + 1.0 / 192.0),
        ("heisenberg", "heat-bath", 4.0 / 9.0 + 2.0 / 576.0),
        ("heisenberg", "metropolis", 4.0 / 9.0 + 2.0 / 576.0),
    ] {
        let text = format!(
            "[mc]\nmodel = \"{model}\"\nlattice = \"sc\"\nsizes = [4]\ntemperatures = [0.2, 20.0]\n\
             sweeps = 2000\nblocks = 10\nalgorithm = \"{algorithm}\"\nseed = 9\n"
        );
        let sc = write(&d, "s.toml", &text);
        let (a, b) = (d.join("a.csv"), d.join("b.csv"));
        assert_eq!(mc(&sc, &a, "--threads 1").0, 0, "{model}");
        assert_eq!(mc(&sc, &b, "--threads 2").0, 0, "{model}");
        let text_a = std::fs::read_to_string(&a).unwrap();
        assert_eq!(text_a, std::fs::read_to_string(&b).unwrap(), "{model}");
        let (_, rows) = csv(&a);
        assert!(rows.iter().flatten().all(|x| x.is_finite()));
        let (cold, warm) = (&rows[0], &rows[1]);
        assert!(
            cold[2] > 0.9 && (cold[6] - 2.0 / 3.0).abs() < 0.01,
            "{model}: {cold:?}"
        );
        // 64 spins: the finite-n term of U4 and the approach O(chi / n) stay below 0.05
        assert!(
            (warm[6] - hot).abs() < 0.05,
            "{model} {algorithm}: {warm:?}"
        );
    }
}

#[test]
fn bad_scans_are_refused_by_key() {
    let d = dir("bad");
    let out = d.join("o.csv");
    for (from, to, needles) in [
        (
            "sizes = [4, 6]",
            "sizes = [0, 6]",
            &["mc.sizes[0] = 0", ">= 1"][..],
        ),
        (
            "sizes = [4, 6]",
            "sizes = [4, 200]",
            &["mc.sizes[1] = 200", "L <= 181", "32768 sites"][..],
        ),
        (
            "sizes = [4, 6]",
            "sizes = [2, 6]",
            &["mc.sizes", "L = 2", "periodic"][..],
        ),
        (
            "[1.5, 2.0, 2.5, 3.0]",
            "[1.5, -2.0]",
            &["mc.temperatures = -2", "> 0"][..],
        ),
        (
            "[1.5, 2.0, 2.5, 3.0]",
            "[2.0, 1.5]",
            &["mc.temperatures = 1.5", "increasing"][..],
        ),
        (
            "\"ising\"",
            "\"potts\"",
            &["mc.model = \"potts\"", "\"heisenberg\""][..],
        ),
        (
            "sweeps = 400",
            "sweeps = 0",
            &["mc.sweeps = 0", "multiple of mc.blocks"][..],
        ),
        (
            "blocks = 10",
            "blocks = 1",
            &["mc.blocks = 1", "2 to 64"][..],
        ),
        (
            "\"square\"",
            "\"kagome\"",
            &["mc.lattice = \"kagome\"", "\"fcc\""][..],
        ),
        ("seed = 3", "seed = 3\nsweps = 4", &["sweps"][..]),
    ] {
        let text = TINY.replace(from, to);
        assert_ne!(text, TINY, "{from}");
        let sc = write(&d, "s.toml", &text);
        let (code, _, err) = mc(&sc, &out, "");
        assert_refused(to, code, &err, needles);
        assert!(!out.exists(), "{to}: no output for a refused scan");
    }
    let sc = write(&d, "ok.toml", TINY);
    let (code, _, err) = mc(&sc, &sc, "");
    assert_refused("--out = scenario", code, &err, &["--out", "same file"]);
    let (code, _, err) = mc(&sc, &out, "--threads 0");
    assert_refused("--threads 0", code, &err, &["--threads"]);
}

/// Ctrl-C stops the scan after the points running; the rows finished are written (in order,
/// identical to the first rows of an uninterrupted run), exit code 130.
#[test]
fn an_interrupted_scan_keeps_its_finished_rows() {
    let d = dir("int");
    let many = TINY
        .replace(
            "[1.5, 2.0, 2.5, 3.0]",
            "{ from = 1.0, to = 4.0, points = 400 }",
        )
        .replace("sweeps = 400", "sweeps = 20000");
    let sc = write(&d, "s.toml", &many);
    let out = d.join("o.csv");
    let child = Command::new(env!("CARGO_BIN_EXE_larmor"))
        .args(["mc", arg(&sc), "--out", arg(&out), "--threads", "1"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let done = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&done.stderr);
    assert_eq!(done.status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted"), "{err}");
    let saved = std::fs::read_to_string(&out).unwrap();
    let rows = saved.lines().count() - 1;
    assert!(rows < 800, "{rows} rows: the scan was not interrupted");
    assert!(rows >= 1, "no row finished in 700 ms");
    // the same scan with two threads, stopped later: its first rows are the same, byte for byte
    let whole = d.join("whole.csv");
    let mut child = Command::new(env!("CARGO_BIN_EXE_larmor"))
        .args(["mc", arg(&sc), "--out", arg(&whole), "--threads", "2"])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(130));
    let reference = std::fs::read_to_string(&whole).unwrap();
    let n = rows.min(reference.lines().count() - 1);
    let (a, b): (Vec<&str>, Vec<&str>) = (
        saved.lines().take(n + 1).collect(),
        reference.lines().take(n + 1).collect(),
    );
    assert_eq!(a, b, "the finished rows do not depend on the interruption");
}

#[test]
fn meanfield_tc_and_magnetisation() {
    let d = dir("meanfield");
    let out = d.join("mf.csv");
    let kb = 1.380_649e-23;
    let j0 = 3e-21;
    let (code, stdout, err) = larmor_with(
        &["meanfield", "--out", arg(&out)],
        &format!(
            "--spin classical --j0 {j0} --points 60 --plot {}",
            arg(&d.join("mf.png"))
        ),
    );
    assert_eq!(code, 0, "{err}");
    // classical spins: kB Tc = J0 / 3
    let tc = j0 / (3.0 * kb);
    let printed: f64 = stdout
        .trim()
        .strip_prefix("Tc = ")
        .and_then(|s| s.strip_suffix(" K"))
        .unwrap()
        .parse()
        .unwrap();
    assert!((printed / tc - 1.0).abs() < 1e-12, "{printed} vs {tc}");
    let (header, rows) = csv(&out);
    assert_eq!(header.join(","), "T,m,chi");
    assert_eq!(rows.len(), 60);
    assert_eq!((rows[0][0], rows[0][1]), (0.0, 1.0));
    for w in rows.windows(2) {
        assert!(w[1][1] <= w[0][1], "m(T) decreases: {w:?}");
    }
    for r in &rows {
        let t = r[0] / tc;
        if t > 0.0 && t < 0.999 {
            assert!(r[1] > 0.0 && r[2] > 0.0, "below Tc: {r:?}");
        }
        if t > 1.001 {
            assert_eq!(r[1], 0.0, "above Tc: {r:?}");
            // Curie-Weiss: chi = mu F'(0) / (kB (T - Tc)) with F'(0) = 1/3, E_x = J0
            // dm/d(mu B) = F'(0) / (t - F'(0)) / J0, t = kB T / J0
            let mu = 9.274_010_078_3e-24;
            let exact = mu / j0 * (1.0 / 3.0) / (r[0] * kb / j0 - 1.0 / 3.0);
            assert!((r[2] / exact - 1.0).abs() < 1e-9, "{r:?}: {exact}");
        }
        // low temperature: m = 1 - t for classical spins (t = kB T / J0)
        if t > 0.0 && t < 0.05 {
            let tt = r[0] * kb / j0;
            assert!((r[1] - (1.0 - tt)).abs() < 2.0 * tt * tt, "{r:?}");
        }
    }
    // --tc gives that Tc back; S = 1/2 follows the Ising curve at the same Tc (B_1/2 = tanh)
    let (a, b) = (d.join("half.csv"), d.join("ising.csv"));
    let (code, stdout, err) = larmor_with(
        &["meanfield", "--out", arg(&a)],
        "--spin 1/2 --tc 600 --to 700 --points 14",
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(stdout.trim(), "Tc = 600 K");
    assert_eq!(
        larmor_with(
            &["meanfield", "--out", arg(&b)],
            "--spin ising --tc 600 --to 700 --points 14"
        )
        .0,
        0
    );
    let (ra, rb) = (csv(&a).1, csv(&b).1);
    for (x, y) in ra.iter().zip(&rb) {
        assert!((x[1] - y[1]).abs() < 1e-9, "{x:?} vs {y:?}");
    }
    // at Tc in zero field chi diverges: an empty field, not inf
    let c = d.join("at_tc.csv");
    assert_eq!(
        larmor_with(
            &["meanfield", "--out", arg(&c)],
            "--spin ising --tc 600 --from 500 --to 700 --points 3"
        )
        .0,
        0
    );
    let text = std::fs::read_to_string(&c).unwrap();
    assert!(text.contains("\n600,0,\n"), "{text}");
}

#[test]
fn bad_meanfield_input_is_refused_by_name() {
    let d = dir("meanfield-bad");
    let out = d.join("o.csv");
    for (flags, needles) in [
        ("--spin 0.7 --tc 600", &["--spin", "0.7", "1/2"][..]),
        ("--spin potts --tc 600", &["--spin = potts", "ising"][..]),
        ("--spin ising --tc -5", &["--tc = -5", "> 0 K"][..]),
        ("--spin ising --j0 0", &["--j0", "> 0 J"][..]),
        (
            "--spin ising --tc 600 --from -10",
            &["--from = -10", ">= 0 K"][..],
        ),
        (
            "--spin ising --tc 600 --to 0",
            &["--to = 0", "> --from"][..],
        ),
        (
            "--spin ising --tc 600 --points 1",
            &["--points = 1", "2 <= N"][..],
        ),
        ("--spin ising --tc 600 --mu 0", &["--mu = 0", "Bohr"][..]),
        ("--spin ising --tc 600 --j0 1e-21", &["--tc", "--j0"][..]),
        ("--spin ising", &["--tc"][..]),
    ] {
        let (code, _, err) = larmor_with(&["meanfield", "--out", arg(&out)], flags);
        assert_refused(flags, code, &err, needles);
        assert!(!out.exists(), "{flags}");
    }
    let (code, _, _) = larmor(&["meanfield", "--help"]);
    assert_eq!(code, 0);
}

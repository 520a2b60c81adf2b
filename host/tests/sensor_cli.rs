//! `larmor sensor` from the command line: both example bridges run and write their files, the
//! HMC1001 noise budget (Johnson floor 3.75 nV/sqrt(Hz), 1/f corner near 10 Hz), the push-pull
//! TMR slope P^2 / H_K, and bad configurations as one line with exit code 2 naming the key.

mod common;
use common::{arg, assert_refused, csv, larmor};

use std::path::Path;

const HMC1001: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../examples/devices/sensor_amr_hmc1001.toml"
);
const TMR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../examples/devices/sensor_tmr_bridge.toml"
);

/// The number after `key` on stdout.
fn value(out: &str, key: &str) -> f64 {
    let line = out
        .lines()
        .find(|l| l.contains(key))
        .unwrap_or_else(|| panic!("`{key}` not in {out}"));
    let after = &line[line.find(key).unwrap() + key.len()..];
    after.split_whitespace().next().unwrap().parse().unwrap()
}

/// Runs `larmor sensor CONFIG --out-dir DIR --plots`; asserts success, every file written and
/// finite; returns stdout.
fn run_ok(config: &str, dir: &Path) -> String {
    let d = dir.to_str().unwrap();
    let (code, out, err) = larmor(&["sensor", config, "--out-dir", d, "--plots", "--seed", "3"]);
    assert_eq!(code, 0, "{err}");
    for f in ["transfer", "loop", "noise", "samples"] {
        let (_, rows) = csv(&dir.join(format!("{f}.csv")));
        assert!(!rows.is_empty(), "{f}.csv empty");
        assert!(rows.iter().flatten().all(|x| x.is_finite()), "{f}.csv");
        let png = std::fs::read(dir.join(format!("{f}.png"))).unwrap();
        assert!(png.starts_with(b"\x89PNG"), "{f}.png");
    }
    out
}

#[test]
fn hmc1001_noise_budget() {
    let dir = common::tmpdir("sensor", "hmc1001");
    let out = run_ok(HMC1001, &dir);
    let floor = value(&out, "white floor");
    println!("HMC1001 white floor {floor} nV/sqrt(Hz) (4kTR 3.75, datasheet 3.8)");
    assert!((floor / 3.75 - 1.0).abs() < 0.01, "{out}");
    let corner = value(&out, "1/f corner");
    assert!((5.0..20.0).contains(&corner), "{out}");
    let sens = value(&out, "sensitivity");
    assert!((sens / 3.2 - 1.0).abs() < 0.01, "{out}"); // the datasheet's 3.2 mV/V/gauss
    let (header, rows) = csv(&dir.join("noise.csv"));
    assert_eq!(header[0], "f_hz");
    assert_eq!(rows.len(), 71);
    // far above the corner the total is the white floor
    let last = rows.last().unwrap();
    assert!((last[1] / last[2] - 1.0).abs() < 1e-3);
    let (header, rows) = csv(&dir.join("transfer.csv"));
    assert_eq!(&header[..3], ["field_am", "field_gauss", "v_out"]);
    assert_eq!(rows.len(), 2 * 201);
    // the tilt flips m_x past saturation: the rising and falling branches differ (hysteresis)
    let up: Vec<f64> = rows[..201].iter().map(|r| r[2]).collect();
    let down: Vec<f64> = rows[201..].iter().rev().map(|r| r[2]).collect();
    let gap = up
        .iter()
        .zip(&down)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    assert!(gap > 0.01, "no hysteresis: {gap}");
}

#[test]
fn tmr_bridge_is_linear_at_low_field() {
    let dir = common::tmpdir("sensor", "tmr");
    let out = run_ok(TMR, &dir);
    let p2 = 1.5 / 3.5;
    let hk_gauss = 86.0;
    let sens = value(&out, "sensitivity"); // mV/V/gauss
    assert!((sens / (1e3 * p2 / hk_gauss) - 1.0).abs() < 1e-3, "{out}");
    assert!(value(&out, "1/f corner") > 100.0, "{out}");
    let (_, rows) = csv(&dir.join("samples.csv"));
    assert_eq!(rows.len(), 8192);
}

/// One key of the HMC1001 example replaced (or a line appended to a section).
fn variant(from: &str, to: &str) -> String {
    let text = std::fs::read_to_string(HMC1001).unwrap();
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1)
}

#[test]
fn bad_input_names_the_key() {
    let dir = common::tmpdir("sensor", "bad");
    let cases: &[(&str, &str, &str)] = &[
        ("r_ohm = 850.0", "r_ohm = -850.0", "bridge.r_ohm"),
        ("kind = \"amr\"", "kind = \"xmr\"", "bridge.kind"),
        ("mr = 0.02", "mr = 0.5", "bridge.mr"),
        ("hk_gauss = 6.19", "hk_gauss = 6.19\nhk_am = 490.0", "hk_am"),
        ("supply_v = 5.0", "supply_v = 0.0", "bridge.supply_v"),
        (
            "temperature_k = 300.0",
            "temperature_k = -4.0",
            "bridge.temperature_k",
        ),
        ("carriers = 9e13", "carriers = 0.0", "bridge.hooge.carriers"),
        ("f_min = 0.01", "f_min = 1e5", "noise.f_max"),
        ("f_min = 0.01", "f_min = -1.0", "noise.f_min"),
        ("points = 71", "points = 0", "noise.points"),
        ("points = 201", "points = 0", "sweep.points"),
        ("h_max_am = 800.0", "h_max_am = 0.0", "sweep.h_max_am"),
        (
            "minor_fraction = 0.35",
            "minor_fraction = 1.5",
            "loop.minor_fraction",
        ),
        ("fs = 1000.0", "fs = 0.0", "samples.fs"),
        ("n = 4096", "n = 0", "samples.n"),
        ("[samples]", "[samples]\nf_lo = 1e4", "samples.f_lo"),
        ("[noise]", "[noise]\nbogus = 1", "bogus"),
    ];
    for (i, (from, to, key)) in cases.iter().enumerate() {
        let cfg = dir.join(format!("bad{i}.toml"));
        std::fs::write(&cfg, variant(from, to)).unwrap();
        let out = dir.join(format!("out{i}"));
        let (code, _, err) = larmor(&["sensor", arg(&cfg), "--out-dir", arg(&out)]);
        assert_refused(to, code, &err, &[key]);
        assert!(!out.exists(), "{to}: wrote {}", out.display());
    }
    // the output directory may not be the config file
    let cfg = dir.join("good.toml");
    std::fs::write(&cfg, variant("[noise]", "[noise]")).unwrap();
    let c = cfg.to_str().unwrap();
    let (code, _, err) = larmor(&["sensor", c, "--out-dir", c]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--out-dir") && err.trim().lines().count() == 1,
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&cfg).unwrap(),
        variant("[noise]", "[noise]")
    );
}

/// The example configurations with a value replaced by an extreme one, a line deleted or a line
/// duplicated: loading (and building the bridge) never panics, and every refusal is one line
/// that starts with the file name.
#[test]
fn mutated_configs_never_panic() {
    use larmor_host::commands::sensor::config::Config;
    let dir = common::tmpdir("sensor", "fuzz");
    let path = dir.join("fuzz.toml");
    let values = [
        "-1",
        "0",
        "1e308",
        "-1e308",
        "nan",
        "inf",
        "1e-300",
        "4294967296",
        "\"x\"",
        "[1]",
        "2",
    ];
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    };
    let (mut ok, mut refused) = (0, 0);
    for case in 0..3000 {
        let base = std::fs::read_to_string(if case % 2 == 0 { HMC1001 } else { TMR }).unwrap();
        let mut lines: Vec<String> = base.lines().map(String::from).collect();
        let i = next(lines.len());
        match next(3) {
            0 => {
                if let Some(eq) = lines[i].find('=') {
                    let v = values[next(values.len())];
                    lines[i] = format!("{} {v}", &lines[i][..=eq]);
                }
            }
            1 => {
                lines.remove(i);
            }
            _ => {
                let l = lines[i].clone();
                lines.insert(i, l);
            }
        }
        std::fs::write(&path, lines.join("\n")).unwrap();
        let r = std::panic::catch_unwind(|| Config::load(&path).and_then(|c| c.bridge()));
        match r {
            Err(_) => panic!("panicked on:\n{}", lines.join("\n")),
            Ok(Ok(_)) => ok += 1,
            Ok(Err(e)) => {
                refused += 1;
                assert_eq!(e.code, 2, "{e}");
                assert!(!e.message.contains('\n'), "{e}");
                assert!(e.message.starts_with(path.to_str().unwrap()), "{e}");
            }
        }
    }
    println!("sensor configs: {ok} accepted, {refused} refused");
    assert!(ok > 0 && refused > 0);
}

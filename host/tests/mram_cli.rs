//! `larmor mram`: the example script on emulated chips (what each read step must show), and
//! bad configurations refused by key with exit code 2.

mod common;

use common::{arg, assert_refused, csv, larmor, larmor_with, tmpdir};

fn example() -> String {
    format!(
        "{}/../examples/devices/mram_emram.toml",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// The example on 8 chips of seed 3, writing `out`.
fn run_example(out: &std::path::Path, extra: &[&str]) -> (i32, String, String) {
    let example = example();
    let mut args = vec!["mram", example.as_str(), "--arrays", "8", "--seed", "3"];
    args.extend(["--out", out.to_str().unwrap()]);
    args.extend(extra);
    larmor(&args)
}

#[test]
fn example_script_shows_each_failure_mode() {
    let d = tmpdir("mram", "example");
    let out = d.join("m.csv");
    let plot = d.join("m.png");
    let (code, _, err) = run_example(&out, &["--plot", plot.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&out).unwrap();
    let (header, rows) = csv(&out);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(rows.len(), 5, "one row per read step");
    let ber = |r: usize| rows[r][col("raw_ber")];
    let lost = |r: usize| rows[r][col("secded_word_error_rate")];
    assert_eq!(ber(0), 0.0, "a nominal write reads back clean");
    assert!(ber(1) > 1e-3, "a marginal pulse fails bits: {}", ber(1));
    assert!(
        ber(2) < ber(1) / 100.0,
        "write-verify repairs them: {}",
        ber(2)
    );
    assert!(lost(2) <= lost(1) / 100.0);
    assert!(rows[2][col("verify_rewrites")] > 0.0);
    assert!(
        rows[3][col("retention_flips")] > 0.0,
        "ten years at 85 C flip a few bits"
    );
    assert!(ber(4) > 10.0 * ber(3), "125 C flips many more");
    // SECDED corrects single-bit words: after the 85 C bake the word error rate is far below
    // the 72-bit raw rate
    assert!(lost(3) < 72.0 * ber(3));
    assert!(std::fs::read(&plot).unwrap().starts_with(b"\x89PNG"));
    // reproducible from the seed
    let again = d.join("again.csv");
    let (code, _, _) = run_example(&again, &["--threads", "1"]);
    assert_eq!(code, 0);
    assert_eq!(std::fs::read(&again).unwrap(), text.as_bytes());
}

#[test]
fn bad_configurations_are_refused_by_key() {
    let d = tmpdir("mram", "bad");
    let base = std::fs::read_to_string(example()).unwrap();
    let cases: &[(&str, &str, &str)] = &[
        ("delta = 60.0 ", "delta = -1.0 ", "mram.delta"),
        ("tmr = 1.8 ", "tmr = 0.0 ", "mram.tmr"),
        ("sd_ic0 = 0.05", "sd_ic0 = 0.5", "mram.sd_ic0"),
        ("kib = 4 ", "kib = 3 ", "array.kib"),
        (
            "current = 84e-6\nwidth = 5e-9\nverify = 3",
            "current = -1.0\nwidth = 5e-9\nverify = 3",
            "current",
        ),
        (
            "duration = 3.156e8\n[[step]]\nop = \"read\"\n[[step]]",
            "duration = -5.0\n[[step]]\nop = \"read\"\n[[step]]",
            "duration",
        ),
        ("op = \"read\"", "op = \"erase\"", "erase"),
        ("tau0 = 1e-9 ", "tau_zero = 1e-9 ", "tau_zero"),
    ];
    for (from, to, key) in cases {
        assert!(
            base.contains(from),
            "case {key}: {from:?} not in the example"
        );
        let cfg = d.join(format!("{key}.toml"));
        std::fs::write(&cfg, base.replacen(from, to, 1)).unwrap();
        let out = d.join("o.csv");
        let (code, _, err) = larmor_with(&["mram", arg(&cfg), "--out", arg(&out)], "--arrays 2");
        assert_refused(key, code, &err, &[key]);
        assert!(!out.exists(), "{key}: no output");
    }
    // flags
    let cfg = example();
    for (args, what) in [
        (vec!["--arrays", "0"], "--arrays"),
        (vec!["--arrays", "-3"], "--arrays"),
    ] {
        let out = d.join("f.csv");
        let mut a = vec!["mram", cfg.as_str(), "--out", out.to_str().unwrap()];
        a.extend(args);
        let (code, _, err) = larmor(&a);
        assert_eq!(code, 2, "{what}: {err}");
        assert!(err.contains(what), "{err}");
    }
    // the output never overwrites the configuration
    let copy = d.join("c.toml");
    std::fs::write(&copy, &base).unwrap();
    let (code, _, err) = larmor(&["mram", arg(&copy), "--out", arg(&copy)]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), base);
}

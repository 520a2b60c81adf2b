//! `larmor llb`: the ultrafast-demagnetisation example (what its trace must show), relaxation
//! at a constant temperature to the equilibrium length, and bad scenarios refused by key with
//! exit code 2.

mod common;

use common::{arg, assert_refused, csv, larmor, tmpdir};

fn example() -> String {
    format!(
        "{}/../examples/llb/ultrafast_demag.toml",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn laser_pulse_demagnetises_and_the_length_recovers_to_equilibrium() {
    let d = tmpdir("llb", "example");
    let (out, plot) = (d.join("demag.csv"), d.join("demag.png"));
    let ex = example();
    let (code, _, err) = larmor(&["llb", &ex, "--out", arg(&out), "--plot", arg(&plot)]);
    assert_eq!(code, 0, "{err}");
    let (header, rows) = csv(&out);
    assert_eq!(header, ["t", "t_e", "t_p", "mx", "my", "mz", "m", "m_e"]);
    assert!(rows.iter().flatten().all(|x| x.is_finite()));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (t, te, tp, m, me) = (col("t"), col("t_e"), col("t_p"), col("m"), col("m_e"));
    let first = &rows[0];
    let last = rows.last().unwrap();
    assert_eq!(first[te], 300.0);
    assert!((first[m] - first[me]).abs() < 1e-12, "starts at m_e(300 K)");
    // the electrons peak during the pulse (0.5 ps) above the lattice; the length falls
    // after them, by more than half
    let peak = rows.iter().max_by(|a, b| a[te].total_cmp(&b[te])).unwrap();
    let low = rows.iter().min_by(|a, b| a[m].total_cmp(&b[m])).unwrap();
    assert!(
        peak[t] > 0.4e-12 && peak[t] < 0.7e-12,
        "T_e peak at {}",
        peak[t]
    );
    assert!(peak[te] > 600.0 && peak[tp] < 350.0);
    assert!(low[t] > peak[t], "the minimum follows the electrons' peak");
    assert!(low[m] < 0.5 * first[m], "demagnetised: {}", low[m]);
    // at 10 ps electrons and lattice have equilibrated and the length sits near m_e
    assert!((last[te] - last[tp]).abs() < 5.0);
    assert!(
        (last[m] - last[me]).abs() < 2e-3,
        "{} vs {}",
        last[m],
        last[me]
    );
    assert!(std::fs::read(&plot).unwrap().starts_with(b"\x89PNG"));
}

#[test]
fn constant_temperature_relaxes_the_length_to_m_e() {
    let d = tmpdir("llb", "relax");
    let sc = d.join("relax.toml");
    std::fs::write(
        &sc,
        "[meanfield]\ntc = 600.0\n[llb]\nlambda = 0.1\nmoment = 2.0\nlength = 0.3\n\
         temperature = 450.0\n[solver]\ndt = 1e-14\nduration = 5e-10\nevery = 100\n",
    )
    .unwrap();
    let out = d.join("relax.csv");
    let (code, _, err) = larmor(&["llb", arg(&sc), "--out", arg(&out)]);
    assert_eq!(code, 0, "{err}");
    let (header, rows) = csv(&out);
    let m = header.iter().position(|h| h == "m").unwrap();
    let me = header.iter().position(|h| h == "m_e").unwrap();
    assert_eq!(rows[0][m], 0.3);
    let last = rows.last().unwrap();
    // the classical mean field's m_e(0.75 Tc) solves m = L(3 m Tc / T) = L(4 m): 0.59984 (the
    // table adds an O(dT^2) error below 1e-4)
    assert!((last[me] - 0.59984).abs() < 2e-4, "m_e {}", last[me]);
    assert!(
        (last[m] - last[me]).abs() < 1e-4,
        "{} vs {}",
        last[m],
        last[me]
    );
}

#[test]
fn bad_llb_scenarios_are_refused_by_key() {
    let d = tmpdir("llb", "bad");
    let base = std::fs::read_to_string(example()).unwrap();
    let cases: &[(&str, &str, &str, &str)] = &[
        ("lambda", "lambda = 0.05", "lambda = 0.0", "llb.lambda"),
        ("g_ep", "g_ep = 8.0e17", "g_ep = -1.0", "ttm.g_ep"),
        (
            "fwhm",
            "pulse_fwhm = 50e-15",
            "pulse_fwhm = 0.0",
            "ttm.pulse_fwhm",
        ),
        (
            "spin",
            "spin = \"classical\"",
            "spin = 0.7",
            "meanfield.spin",
        ),
        (
            "spin name",
            "spin = \"classical\"",
            "spin = \"potts\"",
            "meanfield.spin",
        ),
        ("tc", "tc = 631.0", "tc = -5.0", "meanfield.tc"),
        ("moment", "moment = 0.6", "moment = 0.0", "llb.moment"),
        ("dt", "dt = 0.1e-15", "dt = 0.0", "solver.dt"),
        ("steps", "dt = 0.1e-15", "dt = 1e-22", "solver.dt"),
        ("every", "every = 20", "every = 0", "solver.every"),
        (
            "m0",
            "m0 = [0.0, 0.0, 1.0]",
            "m0 = [0.0, 0.0, 0.0]",
            "llb.m0",
        ),
        (
            "unknown",
            "lambda = 0.05",
            "lambda = 0.05\nlambada = 1",
            "lambada",
        ),
        (
            "two temperatures",
            "lambda = 0.05",
            "lambda = 0.05\ntemperature = 300.0",
            "llb.temperature",
        ),
        (
            "axis",
            "axis = [0.0, 0.0, 1.0]",
            "axis = [0.0, 0.0, 0.0]",
            "llb.axis",
        ),
    ];
    for (what, from, to, key) in cases {
        assert!(base.contains(from), "{what}: {from} not in the example");
        let sc = d.join(format!("{}.toml", what.replace(' ', "_")));
        std::fs::write(&sc, base.replacen(from, to, 1)).unwrap();
        let out = d.join("x.csv");
        let (code, _, err) = larmor(&["llb", arg(&sc), "--out", arg(&out)]);
        assert_refused(what, code, &err, &[key]);
        assert!(!out.exists(), "{what}: no output on a refused input");
    }
    // the output may not overwrite the input
    let ex = example();
    let (code, _, err) = larmor(&["llb", &ex, "--out", &ex]);
    assert_refused("out = scenario", code, &err, &["--out"]);
}

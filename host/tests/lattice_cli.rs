//! `larmor run` of `[lattice]` scenarios: the spin-wave frequency of the chain example against
//! the linear dispersion, thermal equilibrium under stochastic atomistic LLG against Monte
//! Carlo at the same temperature, energy conservation without damping (exchange, bulk DMI,
//! anisotropy, field), the nanoparticle example, bad input refused by key.

mod common;

use std::path::{Path, PathBuf};

use common::{arg, assert_refused, csv, larmor_with, tmpdir};

fn dir(name: &str) -> PathBuf {
    tmpdir("lattice", name)
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../examples/lattice/{name}"))
}

fn col(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap()
}

/// The chain example, a conical spin wave of cone angle theta, is an exact solution of
/// undamped LLG precessing at omega(k) = (gamma / mu_s) [(2 J (1 - cos ka) + 2 K) cos theta +
/// mu_s B] (the linear dispersion for theta -> 0; at theta = 1 degree the cosine moves it by
/// 1.5e-4, which the measurement resolves).
#[test]
fn chain_spin_wave_has_the_linear_dispersion_frequency() {
    let d = dir("chain");
    let out = d.join("c.csv");
    let (code, _, err) = larmor_with(
        &[
            "run",
            arg(&example("chain_spin_wave.toml")),
            "--out",
            arg(&out),
        ],
        "--every 2",
    );
    assert_eq!(code, 0, "{err}");
    let (h, rows) = csv(&out);
    let (t, px) = (col(&h, "t"), col(&h, "px"));
    // rising zero crossings of site 0's x component, linearly interpolated
    let mut ups = Vec::new();
    for w in rows.windows(2) {
        if w[0][px] < 0.0 && w[1][px] >= 0.0 {
            let f = w[0][px] / (w[0][px] - w[1][px]);
            ups.push(w[0][t] + f * (w[1][t] - w[0][t]));
        }
    }
    assert!(ups.len() > 5, "{} crossings", ups.len());
    let period = (ups[ups.len() - 1] - ups[0]) / (ups.len() - 1) as f64;
    let omega = std::f64::consts::TAU / period;
    let (gamma, mu_b) = (1.760_859_627_84e11, 9.274_010_078_3e-24);
    let (j, k_an, b, mu) = (1e-21, 1e-22, 0.5, 2.0 * mu_b);
    let ka = std::f64::consts::TAU * 4.0 / 64.0;
    let cone = 1f64.to_radians().cos();
    let exact = gamma / mu * ((2.0 * j * (1.0 - ka.cos()) + 2.0 * k_an) * cone + mu * b);
    eprintln!("chain spin wave: omega = {omega:.6e} rad/s, dispersion {exact:.6e}");
    assert!((omega / exact - 1.0).abs() < 1e-6, "{omega} vs {exact}");
    // the average stays along z (a k != 0 wave has no net transverse moment)
    let (mx, mz) = (col(&h, "mx"), col(&h, "mz"));
    assert!(rows.iter().all(|r| r[mx].abs() < 1e-9));
    assert!(rows
        .iter()
        .all(|r| (r[mz] - 1f64.to_radians().cos()).abs() < 1e-9));
}

/// Stochastic atomistic LLG at kB T = J on a periodic 4^3 simple-cubic Heisenberg magnet
/// reaches the energy per spin that heat-bath Monte Carlo gives at the same temperature
/// (e = -1.88 J; at kB T = 2 J it would be about -0.6 J): Brown's field has the
/// fluctuation-dissipation strength.
#[test]
fn thermal_llg_reaches_the_monte_carlo_equilibrium() {
    let d = dir("equilibrium");
    let kb = 1.380_649e-23;
    let j = 1e-21;
    let (gamma, mu) = (1.760_859_627_84e11, 2.0 * 9.274_010_078_3e-24);
    let t_unit = mu / (gamma * j);
    let llg = format!(
        "[lattice]\nkind = \"sc\"\nsize = 4\nj = {j}\nmu_s = 2.0\ntemperature = {}\nalpha = 1.0\n\
         [solver]\nmethod = \"heun\"\ndt = {}\nduration = {}\n",
        j / kb,
        0.005 * t_unit,
        2000.0 * t_unit
    );
    let sc = d.join("llg.toml");
    std::fs::write(&sc, llg).unwrap();
    let out = d.join("llg.csv");
    let (code, _, err) = larmor_with(
        &["run", arg(&sc), "--out", arg(&out)],
        "--every 20 --seed 5",
    );
    assert_eq!(code, 0, "{err}");
    let (h, rows) = csv(&out);
    let e = col(&h, "energy");
    let tail = &rows[rows.len() / 5..];
    let e_llg = tail.iter().map(|r| r[e]).sum::<f64>() / tail.len() as f64 / (64.0 * j);
    let mc = "[mc]\nmodel = \"heisenberg\"\nlattice = \"sc\"\nsizes = [4]\ntemperatures = [1.0]\n\
              algorithm = \"heat-bath\"\nsweeps = 40000\nequilibration = 2000\nseed = 1\n";
    let msc = d.join("mc.toml");
    std::fs::write(&msc, mc).unwrap();
    let mout = d.join("mc.csv");
    let (code, _, err) = larmor_with(&["mc", arg(&msc), "--out", arg(&mout)], "");
    assert_eq!(code, 0, "{err}");
    let (mh, mrows) = csv(&mout);
    let e_mc = mrows[0][col(&mh, "e")];
    eprintln!("equilibrium at kB T = J: LLG e = {e_llg:.4}, Monte Carlo e = {e_mc:.4}");
    assert!((e_mc + 1.88).abs() < 0.02, "{e_mc}");
    assert!((e_llg - e_mc).abs() < 0.02, "LLG {e_llg} vs MC {e_mc}");
}

/// Without damping the energy of exchange + bulk DMI + anisotropy + field is conserved (RK4),
/// from a random state on an open simple-cubic block with two shells.
#[test]
fn undamped_lattice_conserves_energy() {
    let d = dir("conserve");
    let text = "[lattice]\nkind = \"sc\"\nsize = [4, 3, 2]\nboundary = [\"periodic\", \"open\", \"open\"]\n\
                j = [1e-21, -2e-22]\ndmi = { d = [3e-22], kind = \"bulk\" }\n\
                anisotropy = { k = 2e-22, axis = [1, 1, 0] }\nmu_s = 1.5\nfield = [0.2, 0, 1]\n\
                alpha = 0.0\ninitial = \"random\"\n[solver]\nmethod = \"rk4\"\ndt = 2e-16\nduration = 2e-12\n";
    let sc = d.join("s.toml");
    std::fs::write(&sc, text).unwrap();
    let (a, b) = (d.join("a.csv"), d.join("b.csv"));
    for (out, seed) in [(&a, "3"), (&b, "4")] {
        let (code, _, err) = larmor_with(
            &["run", arg(&sc), "--out", arg(out)],
            &format!("--every 100 --seed {seed}"),
        );
        assert_eq!(code, 0, "{err}");
    }
    let (h, rows) = csv(&a);
    for name in ["e_onsite", "e_exchange", "e_dmi"] {
        assert!(h.iter().any(|x| x == name), "{name} in {h:?}");
    }
    let e = col(&h, "energy");
    let (e0, e1) = (rows[0][e], rows[rows.len() - 1][e]);
    let swing = rows
        .iter()
        .map(|r| (r[col(&h, "e_exchange")] - rows[0][col(&h, "e_exchange")]).abs())
        .fold(0.0, f64::max);
    assert!(
        swing > 1e3 * (e1 - e0).abs(),
        "the terms exchange energy: {swing:e}"
    );
    assert!(((e1 - e0) / e0).abs() < 1e-7, "energy {e0:e} -> {e1:e}");
    // the seed sets the random initial state
    assert_ne!(
        std::fs::read_to_string(&a).unwrap(),
        std::fs::read_to_string(&b).unwrap()
    );
}

#[test]
fn the_nanoparticle_example_relaxes_into_thermal_equilibrium() {
    let d = dir("np");
    let (a, b) = (d.join("a.csv"), d.join("b.csv"));
    for out in [&a, &b] {
        let (code, _, err) = larmor_with(
            &["run", arg(&example("nanoparticle.toml")), "--out", arg(out)],
            &format!("--every 100 --seed 1 --plot {}", arg(&d.join("np.png"))),
        );
        assert_eq!(code, 0, "{err}");
    }
    let text = std::fs::read_to_string(&a).unwrap();
    assert_eq!(
        text,
        std::fs::read_to_string(&b).unwrap(),
        "a run is a function of its seed"
    );
    let (h, rows) = csv(&a);
    assert!(rows.iter().flatten().all(|x| x.is_finite()));
    let m = col(&h, "m");
    assert_eq!(rows[0][m], 1.0);
    let late = &rows[rows.len() / 2..];
    let mean = late.iter().map(|r| r[m]).sum::<f64>() / late.len() as f64;
    // ordered (300 K is far below the cluster's Curie point) but not saturated
    assert!(mean > 0.6 && mean < 0.97, "<|m|> = {mean}");
}

#[test]
fn bad_lattice_scenarios_are_refused_by_key() {
    let d = dir("bad");
    let good = "[lattice]\nkind = \"sc\"\nsize = 4\nj = 1e-21\nmu_s = 2.0\ntemperature = 10.0\nalpha = 0.1\n\
                [solver]\ndt = 1e-15\nduration = 1e-13\n";
    let out = d.join("o.csv");
    for (from, to, needles) in [
        ("size = 4", "size = 0", &["lattice.size = 0"][..]),
        (
            "size = 4",
            "size = 32",
            &["lattice.size", "32768 sites", "8192"][..],
        ),
        (
            "size = 4",
            "size = [4, 4]",
            &["lattice.size", "3 cell counts"][..],
        ),
        ("\"sc\"", "\"kagome\"", &["lattice.kind = \"kagome\""][..]),
        (
            "temperature = 10.0",
            "temperature = -1.0",
            &["lattice.temperature = -1", ">= 0 K"][..],
        ),
        (
            "alpha = 0.1",
            "alpha = 0.0",
            &["lattice.alpha", "> 0 with lattice.temperature"][..],
        ),
        ("mu_s = 2.0", "mu_s = 0.0", &["lattice.mu_s = 0"][..]),
        (
            "dt = 1e-15",
            "dt = 1e-15\nmethod = \"rk4\"",
            &["solver.method = \"rk4\"", "thermal"][..],
        ),
        (
            "alpha = 0.1",
            "alpha = 0.1\nprobe = 64",
            &["lattice.probe = 64", "0 to 63"][..],
        ),
        (
            "alpha = 0.1",
            "alpha = 0.1\ninitial = \"spiral\"",
            &["lattice.spiral"][..],
        ),
        (
            "alpha = 0.1",
            "alpha = 0.1\nm0 = [0, 0, 0]",
            &["lattice.m0", "non-zero"][..],
        ),
        ("alpha = 0.1", "alpha = 0.1\nbogus = 1", &["bogus"][..]),
        ("size = 4", "size = 2", &["lattice.size", "periodic"][..]),
    ] {
        let text = good.replace(from, to);
        assert_ne!(text, good, "{from}");
        let sc = d.join("s.toml");
        std::fs::write(&sc, &text).unwrap();
        let (code, _, err) = larmor_with(&["run", arg(&sc), "--out", arg(&out)], "");
        assert_refused(to, code, &err, needles);
        assert!(!out.exists(), "{to}");
    }
}

/// `larmor ensemble` of a `[lattice]` scenario with `[switching]`: a small superparamagnetic
/// cluster (27 spins, barrier K N = 39 K at 40 K) switches in some trials; the trials do not
/// depend on the number of threads; without `[switching]` the ensemble is refused.
#[test]
fn lattice_ensembles_switch_and_do_not_depend_on_threads() {
    let d = dir("ensemble");
    let text = "[lattice]\nkind = \"sc\"\nsize = 3\nboundary = \"open\"\nj = 1e-21\n\
                anisotropy = { k = 2e-23, axis = [0, 0, 1] }\nmu_s = 2.0\ntemperature = 40.0\n\
                alpha = 0.5\nm0 = [0, 0, 1]\n[solver]\ndt = 1e-15\nduration = 2e-11\n\
                [switching]\nread_time = 2e-11\n";
    let sc = d.join("s.toml");
    std::fs::write(&sc, text).unwrap();
    let (a, b) = (d.join("a.csv"), d.join("b.csv"));
    for (out, threads) in [(&a, "1"), (&b, "2")] {
        let (code, _, err) = larmor_with(
            &["ensemble", arg(&sc), "--out", arg(out)],
            &format!("--trials 24 --seed 7 --threads {threads}"),
        );
        assert_eq!(code, 0, "{err}");
    }
    let ta = std::fs::read_to_string(&a).unwrap();
    assert_eq!(ta, std::fs::read_to_string(&b).unwrap());
    let (h, rows) = (
        ta.lines().next().unwrap(),
        ta.lines().skip(1).collect::<Vec<_>>(),
    );
    assert_eq!(h, "trial,switched,t_switch,mx,my,mz");
    assert_eq!(rows.len(), 24);
    let switched = rows
        .iter()
        .filter(|r| r.split(',').nth(1) == Some("1"))
        .count();
    assert!(switched > 0 && switched < 24, "{switched} of 24 switched");
    for r in &rows {
        let f: Vec<&str> = r.split(',').collect();
        let mz: f64 = f[5].parse().unwrap();
        assert_eq!(
            f[1] == "1",
            mz < 0.0,
            "switched means <m_z> < 0 at the read time: {r}"
        );
    }
    let no_sw = d.join("n.toml");
    std::fs::write(&no_sw, text.replace("[switching]\nread_time = 2e-11\n", "")).unwrap();
    let (code, _, err) = larmor_with(
        &["ensemble", arg(&no_sw), "--out", arg(&d.join("n.csv"))],
        "--trials 4 --seed 1",
    );
    assert_refused("no [switching]", code, &err, &["[switching]", "read_time"]);
    let late = d.join("late.toml");
    std::fs::write(
        &late,
        text.replace("read_time = 2e-11", "read_time = 3e-11"),
    )
    .unwrap();
    let (code, _, err) = larmor_with(
        &["ensemble", arg(&late), "--out", arg(&d.join("l.csv"))],
        "--trials 4 --seed 1",
    );
    assert_refused(
        "late read",
        code,
        &err,
        &["switching.read_time = 3e-11", "solver.duration"],
    );
}

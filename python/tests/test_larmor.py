"""The Python package against the command line (identical numbers), its errors and Ctrl-C.

LARMOR_BIN names the `larmor` binary to compare with (scripts/python-test.sh builds it);
LARMOR_ROOT the repository (for examples/).
"""

import _thread
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

import larmor

ROOT = Path(os.environ.get("LARMOR_ROOT", Path(__file__).resolve().parents[2]))
EX = ROOT / "examples"
BIN = os.environ.get("LARMOR_BIN", str(ROOT / "target" / "debug" / "larmor"))

# the README's table of example scenarios that `larmor run` takes (macrospins)
RUN_EXAMPLES = [
    ("pma_disc.toml", 1000),
    ("fmr_ringdown.toml", 100),
    ("relaxation.toml", 1),
    ("hysteresis.toml", 5000),
    ("inertial_nutation.toml", 100),
    ("mram_switching.toml", 1000),
]


def cli(*args, check=True):
    p = subprocess.run([BIN, *map(str, args)], capture_output=True, text=True)
    if check and p.returncode != 0:
        raise AssertionError(f"larmor {' '.join(map(str, args))}: {p.stderr}")
    return p


def rust_e(x, digits):
    """Rust's `{:.Ne}`: no '+' and no zero padding in the exponent."""
    mant, exp = f"{x:.{digits}e}".split("e")
    return f"{mant}e{int(exp)}"


def trace_rows(r):
    """`larmor run`'s CSV rows (output/trace.rs) from a Python result."""
    rows = []
    names = r["terms"]
    for i in range(len(r["t"])):
        f = [rust_e(r["t"][i], 9)]
        f += [f"{x:.12f}" for x in r["m"][i]]
        f.append(rust_e(r["energy"][i], 9))
        f += [rust_e(r["energies"][n][i], 9) for n in names]
        f += [rust_e(x, 9) for x in r["field"][i]]
        rows.append(",".join(f))
    return rows


def trial_rows(e):
    """`larmor ensemble`'s CSV rows (output/trials.rs)."""
    rows = []
    for k in range(len(e["trial"])):
        t = e["t_switch"][k]
        ts = "" if np.isnan(t) else rust_e(t, 6)
        m = ",".join(f"{x:.9f}" for x in e["m"][k])
        rows.append(f"{e['trial'][k]},{int(e['switched'][k])},{ts},{m}")
    return rows


def sweep_rows(s):
    """`larmor sweep`'s CSV rows (output/trials.rs)."""
    opt = lambda x: "" if np.isnan(x) else rust_e(x, 6)  # noqa: E731
    return [
        f"{rust_e(s['value'][p], 6)},{s['trials'][p]},{s['switched'][p]},{s['p_switch'][p]:.6f},"
        f"{s['p_low'][p]:.6f},{s['p_high'][p]:.6f},{rust_e(s['wer'][p], 6)},"
        f"{opt(s['mean_t_switch'][p])},{opt(s['median_t_switch'][p])}"
        for p in range(len(s["value"]))
    ]


def csv_body(path):
    lines = Path(path).read_text().splitlines()
    return lines[0], [l for l in lines[1:] if not l.startswith("#")]


@pytest.mark.parametrize("name,every", RUN_EXAMPLES)
def test_run_equals_cli(tmp_path, name, every):
    out = tmp_path / "trace.csv"
    cli("run", EX / name, "--every", every, "--seed", 7, "--out", out)
    header, body = csv_body(out)
    r = larmor.run(EX / name, every=every, seed=7)
    assert header.split(",")[5 : 5 + len(r["terms"])] == [f"e_{n}" for n in r["terms"]]
    assert trace_rows(r) == body
    assert r["steps"] > 0 and not r["interrupted"] and r["failure"] is None


def test_run_f32_equals_cli(tmp_path):
    out = tmp_path / "trace.csv"
    cli("run", EX / "pma_disc.toml", "--precision", "f32", "--every", 500, "--out", out)
    r = larmor.run(EX / "pma_disc.toml", precision="f32", every=500)
    assert trace_rows(r) == csv_body(out)[1]
    # f32 is a different run: not the f64 numbers
    assert not np.array_equal(r["m"], larmor.run(EX / "pma_disc.toml", every=500)["m"])


def test_dict_and_file_are_the_same_scenario():
    sc = larmor.Scenario.load(EX / "mram_switching.toml")
    d = sc.to_dict()
    a = larmor.run(EX / "mram_switching.toml", every=2000, seed=3)
    b = larmor.run(d, every=2000, seed=3)
    c = larmor.run(larmor.Scenario(d), every=2000, seed=3)
    for k in ("t", "m", "energy", "field"):
        assert np.array_equal(a[k], b[k]) and np.array_equal(a[k], c[k])
    assert larmor.Scenario(d).kind == "macrospin"


def test_events_and_energies():
    r = larmor.run(EX / "pma_disc.toml", every=100)
    total = sum(r["energies"].values())
    np.testing.assert_allclose(total, r["energy"], rtol=1e-12, atol=1e-30)
    assert r["m"].shape == (len(r["t"]), 3)
    np.testing.assert_allclose(np.linalg.norm(r["m"], axis=1), 1.0, atol=1e-12)


def test_ensemble_equals_cli(tmp_path):
    out, summ = tmp_path / "trials.csv", tmp_path / "summary.json"
    cli("ensemble", EX / "mram_switching.toml", "--trials", 24, "--seed", 5, "--out", out,
        "--summary", summ)
    e = larmor.ensemble(EX / "mram_switching.toml", 24, seed=5)
    assert trial_rows(e) == csv_body(out)[1]
    assert e["summary"] == json.loads(summ.read_text())
    assert e["trial"].dtype == np.uint64 and e["switched"].dtype == np.bool_


def test_ensemble_independent_of_threads_and_lanes():
    a = larmor.ensemble(EX / "mram_switching.toml", 20, seed=9, threads=1, lanes=1)
    b = larmor.ensemble(EX / "mram_switching.toml", 20, seed=9, threads=2, lanes=8)
    for k in ("switched", "t_switch", "m"):
        assert np.array_equal(a[k], b[k], equal_nan=True)


def test_stack_ensemble_equals_cli(tmp_path):
    out = tmp_path / "trials.csv"
    cli("ensemble", EX / "stack" / "mtj_saf.toml", "--trials", 4, "--seed", 2, "--out", out)
    e = larmor.ensemble(EX / "stack" / "mtj_saf.toml", 4, seed=2)
    assert trial_rows(e) == csv_body(out)[1]


def test_sweep_equals_cli(tmp_path):
    # the README's sweep, fewer points and trials
    out = tmp_path / "sweep.csv"
    cli("sweep", EX / "mram_switching.toml", "--vary", "current", "--from", "2e10", "--to",
        "1.2e11", "--points", 4, "--trials", 24, "--seed", 1, "--out", out)
    s = larmor.sweep(EX / "mram_switching.toml", "current", larmor.grid(2e10, 1.2e11, 4), 24,
                     seed=1)
    assert sweep_rows(s) == csv_body(out)[1]
    assert not s["interrupted"]


def test_grid_equals_cli_grid(tmp_path):
    g = larmor.grid(1e-9, 5e-9, 7, log=True)
    np.testing.assert_allclose(g, np.geomspace(1e-9, 5e-9, 7), rtol=1e-14)
    # the CLI's --log grid, to the digits its CSV keeps
    out = tmp_path / "sweep.csv"
    cli("sweep", EX / "mram_switching.toml", "--vary", "width", "--from", "1e-9", "--to", "5e-9",
        "--points", 7, "--log", "--trials", 1, "--seed", 1, "--out", out)
    assert [l.split(",")[0] for l in csv_body(out)[1]] == [rust_e(x, 6) for x in g]
    np.testing.assert_allclose(larmor.grid(0, 1, 5), [0, 0.25, 0.5, 0.75, 1.0])


def test_sw_and_neel_brown_equal_cli(tmp_path):
    out = tmp_path / "astroid.csv"
    cli("sw", "astroid", "--points", 37, "--out", out)
    a = larmor.sw_astroid(37)
    body = csv_body(out)[1]
    cols = np.array([[float(x) for x in l.split(",")] for l in body])
    for i, k in enumerate(["psi_deg", "h_sw", "h_par", "h_perp"]):
        np.testing.assert_allclose(a[k], cols[:, i], rtol=1e-9, atol=1e-12)
    out = tmp_path / "loop.csv"
    cli("sw", "loop", "--psi", 30, "--points", 21, "--out", out)
    l = larmor.sw_loop(psi=30, points=21)
    cols = np.array([[float(x) for x in r.split(",")] for r in csv_body(out)[1]])
    np.testing.assert_allclose(np.c_[l["h"], l["m_par"], l["m_perp"]], cols, rtol=1e-9,
                               atol=1e-12)
    assert abs(l["coercivity"] - l["switching_field"]) < 1e-9  # psi <= 45 deg: h_c = h_sw
    p = cli("neel-brown", "--sigma", 40, "--h", 0.2, "--alpha", 0.02, "--hk", 0.8, "--psi", 10,
            "--json")
    assert larmor.neel_brown(40, 0.2, alpha=0.02, hk=0.8, psi=10) == json.loads(p.stdout)
    pop = larmor.sw_loop(population="stratified3d", particles=500, points=41)
    assert 0.45 < pop["remanence"] < 0.55  # random-axes remanence 1/2 (Stoner-Wohlfarth)


# ---- bad input: the exception of its kind, naming the key or argument


def scenario_dict():
    return larmor.Scenario.load(EX / "pma_disc.toml").to_dict()


def test_bad_value_names_key_and_range():
    d = scenario_dict()
    d["magnet"]["alpha"] = -0.5
    with pytest.raises(ValueError, match=r"alpha.*-0\.5"):
        larmor.run(d)
    with pytest.raises(ValueError, match="alpha"):
        larmor.Scenario(d)


def test_unknown_key_and_wrong_type():
    d = scenario_dict()
    d["magnet"]["alhpa"] = 0.1
    with pytest.raises(ValueError, match="alhpa"):
        larmor.run(d)
    d = scenario_dict()
    d["magnet"]["alpha"] = "lots"
    with pytest.raises(ValueError, match="alpha"):
        larmor.run(d)
    d = scenario_dict()
    d["magnet"]["alpha"] = None
    with pytest.raises(ValueError, match="magnet.alpha"):
        larmor.run(d)
    with pytest.raises(TypeError):
        larmor.run(3.5)
    with pytest.raises(ValueError, match="nonexistent"):
        larmor.run(EX / "nonexistent.toml")


def test_bad_arguments():
    sc = EX / "mram_switching.toml"
    with pytest.raises(ValueError, match="precision"):
        larmor.run(sc, precision="f16")
    with pytest.raises(ValueError, match="every"):
        larmor.run(sc, every=0)
    with pytest.raises(ValueError, match="trials"):
        larmor.ensemble(sc, 0)
    with pytest.raises(ValueError, match="lanes"):
        larmor.ensemble(sc, 4, lanes=3)
    with pytest.raises(ValueError, match="threads"):
        larmor.ensemble(sc, 4, threads=0)
    with pytest.raises(ValueError, match="vary"):
        larmor.sweep(sc, "bogus", [1e11], 4)
    with pytest.raises(ValueError, match="not finite"):
        larmor.sweep(sc, "current", [float("nan")], 4)
    with pytest.raises(ValueError, match="switching"):
        larmor.ensemble(EX / "pma_disc.toml", 4)
    with pytest.raises(ValueError, match="points"):
        larmor.grid(0, 1, 1)
    with pytest.raises(ValueError, match="hmax"):
        larmor.sw_loop(psi=10, hmax=-1)
    with pytest.raises(ValueError, match="psi"):
        larmor.sw_loop()
    with pytest.raises(ValueError, match="sigma"):
        larmor.neel_brown(-1, 0.1, f0=1e9)
    with pytest.raises(ValueError, match="population"):
        larmor.sw_loop(population="cubic", particles=10)


def test_save_never_overwrites(tmp_path):
    sc = larmor.Scenario.load(EX / "pma_disc.toml")
    p = tmp_path / "s.toml"
    sc.save(p)
    with pytest.raises(FileExistsError):
        sc.save(p)
    assert larmor.Scenario.load(p).toml == sc.toml


# ---- Ctrl-C


def test_ctrl_c_interrupts_with_partial_results():
    sc = EX / "mram_switching.toml"
    timer = threading.Timer(1.0, _thread.interrupt_main)
    timer.start()
    try:
        with pytest.raises(larmor.Interrupted) as ei:
            larmor.ensemble(sc, 10**7, seed=4)
    finally:
        timer.cancel()
    assert isinstance(ei.value, KeyboardInterrupt)
    part = ei.value.partial
    n = len(part["trial"])
    assert 0 < n < 10**7 and part["interrupted"]
    # the partial trials are the first n of the campaign, bit for bit
    full = larmor.ensemble(sc, n, seed=4)
    assert np.array_equal(part["m"], full["m"])
    # and the next call runs normally (the request was cleared)
    assert len(larmor.ensemble(sc, 2, seed=4)["trial"]) == 2


def test_ctrl_c_in_a_trajectory():
    d = scenario_dict()
    d["solver"]["duration"] = 1e-3  # 10^10 steps: far longer than the test
    timer = threading.Timer(1.0, _thread.interrupt_main)
    timer.start()
    try:
        with pytest.raises(larmor.Interrupted) as ei:
            larmor.run(d, every=10**6)
    finally:
        timer.cancel()
    part = ei.value.partial
    assert part["interrupted"] and len(part["t"]) >= 2 and 0 < part["t_end"] < 1e-3


# ---- the example script (what a notebook does)


def test_example_script_runs(tmp_path):
    script = ROOT / "examples" / "python" / "mram_sweep.py"
    png = tmp_path / "sweep.png"
    p = subprocess.run(
        [sys.executable, str(script), "--points", "3", "--trials", "8", "--plot", str(png)],
        capture_output=True, text=True, env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert p.returncode == 0, p.stderr
    assert png.stat().st_size > 10_000
    assert "p_switch" in p.stdout

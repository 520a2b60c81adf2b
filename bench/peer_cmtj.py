#!/usr/bin/env python3
"""Peer benchmark: the four `larmor bench` cases run with cmtj (PyPI `cmtj`, tested with 1.15.0).

Cases (see host/src/commands/bench.rs and firmware/scenarios/src/lib.rs `standard_spec`):
- a_rk4: free layer Ms = 1e6 A/m, alpha = 0.01, disc 40 nm x 1.5 nm, demag (0, 0, 1),
  Ku = 878318.5 J/m^3 along z, m0 = (0.6, 0, 0.8), mu0 H = 0.1 T at 30 deg from z in xz,
  RK4, dt = 0.1 ps, 10 ns, one sample logged every 100 steps;
- b_heun_300k: the same at 300 K with cmtj's stochastic Heun (SolverMode.Heun, not EulerHeun);
- c_stt_rk4: same layer, no field, m0 1 deg from -z, Slonczewski STT, p = +z, P = 0.6,
  Lambda = 1, no field-like torque (beta = 0), J = 1e11 A/m^2, RK4, 10 ns;
- d_ensemble_heun_300k: 1000 independent 5 ns trials of case b, multiprocessing Pool with
  os.cpu_count() workers, a fresh junction per trial; reports runs/s;
- a_time_to_solution: wall time to case a's state at 10 ns within |m - m_ref| <= 1e-7, the
  faster of cmtj's RK4 with the largest step meeting it (doubling the step count from 100 ps,
  then bisecting it) and cmtj's DormandPrince with the loosest abs_tol = rel_tol meeting it;
  m_ref is cmtj's own RK4 at 1 fs (same physics as Larmor's with the matched constants);
  --reference MX,MY,MZ (Larmor's m_ref) reports how far apart the two are.

Unit conventions of cmtj (core/junction.hpp) and how they are matched here:
- Layer Ms is mu0*Ms in tesla: Ms_T = MU0 * 1e6;
- fields (external, anisotropy, demag) are H in A/m: H_ext = B / MU0, H_K = 2 K / Ms_T,
  H_demag = N m Ms_T / mu0;
- anisotropy K in J/m^3 through a constant anisotropy driver; cellSurface in m^2, thickness in m;
- GYRO = gamma*mu0 in m/(A s); STT a_J = hbar J / (e Ms_T d), eps = P L^2/((L^2+1)+(L^2-1) m.p),
  i.e. the same mumax3 convention as larmor::torque; the current driver carries J in A/m^2;
- thermal field std sqrt(2 alpha kB T / (Ms_T V GYRO dt)) (Brown, same as Larmor).
cmtj's default constants differ from CODATA (mu0 = 1.2566e-6, gamma*mu0 = 220880 m/(A s),
e = 1.60217662e-19); by default this script sets them to Larmor's CODATA 2018 values
(kernel/src/units.rs) so the physics is identical; --native-constants keeps cmtj's own.

Output: one JSON object per line on stdout; diagnostics (final m) on stderr.
"""

import argparse
import json
import math
import multiprocessing as mp
import os
import statistics
import sys
import time

try:
    import cmtj
    from cmtj import AxialDriver, CVector, Junction, Layer, ScalarDriver, SolverMode
except ImportError as exc:  # pragma: no cover - reported to the caller
    print(f"peer_cmtj: cannot import cmtj ({exc}); install it with `pip install cmtj==1.15.0`",
          file=sys.stderr)
    sys.exit(2)

# Larmor's constants (kernel/src/units.rs, CODATA 2018).
MU0 = 1.25663706212e-6
GAMMA_E = 1.76085963023e11
KB = 1.380649e-23
HBAR = 1.054571817e-34
E_CHARGE = 1.602176634e-19

MS = 1e6  # A/m
ALPHA = 0.01
DIAMETER = 40e-9
THICKNESS = 1.5e-9
SURFACE = math.pi * (DIAMETER / 2) ** 2
KU = 878318.5  # J/m^3
B_APPLIED = 0.1  # T
FIELD_ANGLE = math.pi / 6
DT = 1e-13
SAMPLE_EVERY = 100
TEMPERATURE = 300.0
STT_P = 0.6
STT_LAMBDA = 1.0
STT_J = 1e11  # A/m^2
ENSEMBLE_TRIALS = 1000

PEER = f"cmtj {getattr(cmtj, '__version__', '?')}"


def set_constants(native):
    """Align cmtj's (process-global, settable) constants with Larmor's unless `native`."""
    if native:
        return
    pc = cmtj.constants.PhysicalConstants
    pc.set_magnetic_permeability(MU0)
    pc.set_gyromagnetic_ratio(GAMMA_E * MU0)
    pc.set_hbar(HBAR)
    pc.set_elementary_charge(E_CHARGE)
    pc.set_boltzmann_constant(KB)
    pc.set_TtoAm(1.0 / MU0)


def mu0():
    return cmtj.constants.PhysicalConstants.magnetic_permeability()


def write_frequency():
    """A write period that cmtj turns into exactly SAMPLE_EVERY steps.

    runSimulation uses writeEvery = (unsigned) (writeFrequency / timeStep); 100 * 1e-13 / 1e-13
    truncates to 99, so nudge it up by a part in 1e7.
    """
    wf = SAMPLE_EVERY * DT * (1 + 1e-7)
    assert int(wf / DT) == SAMPLE_EVERY
    return wf


def unit(v):
    n = math.sqrt(sum(c * c for c in v))
    return [c / n for c in v]


def make_junction(case, seed=None):
    """A fresh single-layer junction for `case` ("a", "b" or "c")."""
    ms_t = mu0() * MS  # cmtj wants mu0 Ms in tesla
    demag = [CVector(0.0, 0.0, 0.0), CVector(0.0, 0.0, 0.0), CVector(0.0, 0.0, 1.0)]
    if case == "c":
        th = math.radians(1.0)
        m0 = [math.sin(th), 0.0, -math.cos(th)]
        layer = Layer.createSTTLayer(
            "free", CVector(*m0), CVector(0.0, 0.0, 1.0), ms_t, THICKNESS, SURFACE, demag,
            damping=ALPHA, SlonczewskiSpacerLayerParameter=STT_LAMBDA, beta=0.0,
            spinPolarisation=STT_P)
    else:
        m0 = unit([0.6, 0.0, 0.8])
        layer = Layer("free", CVector(*m0), CVector(0.0, 0.0, 1.0), ms_t, THICKNESS, SURFACE,
                      demag, ALPHA)
    j = Junction([layer])
    j.setLayerAnisotropyDriver("free", ScalarDriver.getConstantDriver(KU))
    if case == "c":
        j.setLayerReferenceLayer("free", CVector(0.0, 0.0, 1.0))
        j.setLayerCurrentDriver("free", ScalarDriver.getConstantDriver(STT_J))
    else:
        h = B_APPLIED / MU0  # A/m; B = mu0 H with the true mu0, as Larmor's `applied`
        j.setLayerExternalFieldDriver(
            "free", AxialDriver(h * math.sin(FIELD_ANGLE), 0.0, h * math.cos(FIELD_ANGLE)))
    if case == "b":
        j.setLayerTemperatureDriver("free", ScalarDriver.getConstantDriver(TEMPERATURE))
        j.setLayerSeed("free", 0 if seed is None else int(seed))
    return j


def solver_of(case):
    return SolverMode.Heun if case == "b" else SolverMode.RK4


def run_one(case, duration, seed=None):
    """Builds a junction, runs it; returns (wall time of runSimulation, junction)."""
    j = make_junction(case, seed)
    t0 = time.perf_counter()
    j.runSimulation(duration, DT, write_frequency(), False, False, solver_of(case))
    return time.perf_counter() - t0, j


def final_m(j):
    log = j.getLog()
    return [log[f"free_m{c}"][-1] for c in "xyz"], len(log["time"])


def equilibrium_a():
    """Static equilibrium of case a in the xz-plane (theta from z), for comparison."""
    hk = 2 * KU / MS - MU0 * MS  # mu0 H_K,eff in T (0.5 T)
    # dE/dtheta ~ hk/2 sin(2 th) + h sin(th - psi) = 0, bisection on (0, psi)
    f = lambda th: 0.5 * hk * math.sin(2 * th) + B_APPLIED * math.sin(th - FIELD_ANGLE)
    lo, hi = 0.0, FIELD_ANGLE
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if f(lo) * f(mid) <= 0:
            hi = mid
        else:
            lo = mid
    th = 0.5 * (lo + hi)
    return [math.sin(th), 0.0, math.cos(th)]


def report(case, value, unit_, steps, wall, **extra):
    obj = {"case": case, "value": value, "unit": unit_, "peer": PEER, "steps": steps,
           "wall_s": round(wall, 6)}
    obj.update(extra)
    print(json.dumps(obj), flush=True)


def bench_single(name, case, runs):
    steps = int(10e-9 / DT)
    run_one(case, 10e-9, seed=0)  # warm-up
    walls, last = [], None
    for r in range(runs):
        w, last = run_one(case, 10e-9, seed=r + 1)
        walls.append(w)
    wall = statistics.median(walls)
    report(name, round(steps / wall / 1e6, 4), "M steps/s", steps, wall)
    m, n = final_m(last)
    norm = math.sqrt(sum(c * c for c in m))
    msg = f"[peer_cmtj] {name}: final m = ({m[0]:+.6f}, {m[1]:+.6f}, {m[2]:+.6f}), |m| = {norm:.9f}, {n} samples"
    if case == "a":
        e = equilibrium_a()
        ang = math.degrees(math.acos(max(-1.0, min(1.0, sum(a * b for a, b in zip(m, e))))))
        msg += (f"; static equilibrium ({e[0]:+.6f}, 0, {e[2]:+.6f}), angle to it {ang:.3f} deg "
                f"(alpha = 0.01: ~{10e-9 / (1 / (ALPHA * GAMMA_E * 0.55)):.0f} relaxation times in 10 ns)")
    print(msg, file=sys.stderr, flush=True)


TTS_TARGET = 1e-7
TTS_DURATION = 10e-9


def solve_a(method, param):
    """Case a to TTS_DURATION: (wall time, final m, steps). `method` "rk4": `param` steps of
    RK4; "dopri45": cmtj's SolverMode.DormandPrince with abs_tol = rel_tol = `param`, first
    step 0.1 ps (steps then counts nothing: cmtj does not report them, -1).

    runSimulation runs int(totalTime / timeStep) steps; for RK4 totalTime is nudged up by a
    part in 1e12 so that the truncation gives exactly `param` steps. One log row only
    (writeFrequency = the whole run): cmtj keeps no samples it need not.
    """
    j = make_junction("a")
    if method == "rk4":
        dt = TTS_DURATION / param
        total, mode, steps = param * dt * (1 + 1e-12), SolverMode.RK4, param
        assert int(total / dt) == param
    else:
        ap = cmtj.AdaptiveIntegrationParams()
        ap.abs_tol = ap.rel_tol = param
        j.getLayer("free").setAdaptiveParams(ap)
        dt, total, mode, steps = DT, TTS_DURATION, SolverMode.DormandPrince, -1
    t0 = time.perf_counter()
    j.runSimulation(total, dt, total, False, False, mode)
    wall = time.perf_counter() - t0
    v = j.getLayerMagnetisation("free")
    return wall, [v.x, v.y, v.z], steps


def dist(a, b):
    return math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b)))


def tts_search(error_of, start, grow, mid, close):
    """From `start`, `grow` (towards accuracy) to the first parameter whose error meets the
    target, then bisect (`mid`) between it and the last that failed until `close`. A NaN
    error (an unstable step) fails. Returns (parameter, its error)."""
    fail, ok = None, start
    err = error_of(ok)
    for _ in range(40):
        if err <= TTS_TARGET:
            break
        fail, ok = ok, grow(ok)
        err = error_of(ok)
    else:
        raise SystemExit(f"peer_cmtj: a_time_to_solution: no error <= {TTS_TARGET} "
                         f"down to {ok}")
    while fail is not None and not close(fail, ok):
        m = mid(fail, ok)
        e = error_of(m)
        if e <= TTS_TARGET:
            ok, err = m, e
        else:
            fail = m
    return ok, err


def bench_time_to_solution(runs, larmor_ref):
    ref_steps = int(round(TTS_DURATION / 1e-15))
    _, ref, _ = solve_a("rk4", ref_steps)
    _, ref2, _ = solve_a("rk4", ref_steps // 2)
    error_of = lambda method: lambda x: dist(solve_a(method, x)[1], ref)
    found = {
        # RK4: the fewest steps (largest step), doubling from 100 (100 ps), then bisected
        "rk4": tts_search(error_of("rk4"), 100, lambda n: 2 * n, lambda a, b: (a + b) // 2,
                          lambda a, b: b - a <= max(1, a // 300)),
        # DormandPrince: the loosest tolerance, by decades from 1e-3, then bisected (1 %)
        "dopri45": tts_search(error_of("dopri45"), 1e-3, lambda t: t / 10,
                              lambda a, b: math.sqrt(a * b), lambda a, b: a / b < 1.01),
    }
    timed = {}
    for method, (param, _) in found.items():
        solve_a(method, param)  # warm-up
        walls, m, steps = [], None, 0
        for _ in range(runs):
            w, m, steps = solve_a(method, param)
            walls.append(w)
        timed[method] = {"param": param, "steps": steps, "wall_s": statistics.median(walls),
                         "error": dist(m, ref)}
    best = min(timed, key=lambda k: timed[k]["wall_s"])
    wall = timed[best]["wall_s"]
    extra = {"method": best, "time_to_solution_s": wall, "error": timed[best]["error"],
             "target": TTS_TARGET, "reference": ref, "reference_check": dist(ref, ref2)}
    extra.update(timed)
    if larmor_ref is not None:
        extra["larmor_reference_diff"] = dist(ref, larmor_ref)
    report("a_time_to_solution", round(wall * 1e3, 4), "ms", timed[best]["steps"], wall, **extra)
    parts = [f"{k} {v['param']:.4g}: {v['wall_s'] * 1e3:.3f} ms, error {v['error']:.2e}"
             for k, v in timed.items()]
    msg = (f"[peer_cmtj] a_time_to_solution: {'; '.join(parts)} (rk4: steps, dopri45: tol); "
           f"reference (RK4 1 fs) vs 2 fs {dist(ref, ref2):.1e}")
    if larmor_ref is not None:
        msg += f"; vs Larmor's reference {dist(ref, larmor_ref):.1e}"
    print(msg, file=sys.stderr, flush=True)


def _trial(k):
    w, j = run_one("b", 5e-9, seed=k)
    return w


def _init_worker(native):
    set_constants(native)


def bench_ensemble(runs, native):
    trials = ENSEMBLE_TRIALS
    steps = trials * int(5e-9 / DT)
    workers = os.cpu_count() or 1
    with mp.Pool(workers, initializer=_init_worker, initargs=(native,)) as pool:
        pool.map(_trial, range(trials), chunksize=1)  # warm-up
        walls = []
        for r in range(runs):
            t0 = time.perf_counter()
            pool.map(_trial, range(trials * (r + 1), trials * (r + 2)), chunksize=4)
            walls.append(time.perf_counter() - t0)
    wall = statistics.median(walls)
    report("d_ensemble_heun_300k", round(trials / wall, 2), "runs/s", steps, wall,
           steps_per_s=round(steps / wall), workers=workers)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="timed repetitions (median reported)")
    ap.add_argument("--case", default=None, help="only cases whose name contains this")
    ap.add_argument("--native-constants", action="store_true",
                    help="keep cmtj's own physical constants instead of Larmor's CODATA values")
    ap.add_argument("--reference", default=None, metavar="MX,MY,MZ",
                    help="Larmor's reference m of a_time_to_solution, to compare with cmtj's")
    args = ap.parse_args()
    if args.runs < 1:
        ap.error("--runs must be >= 1")
    larmor_ref = None
    if args.reference is not None:
        larmor_ref = [float(c) for c in args.reference.split(",")]
        if len(larmor_ref) != 3:
            ap.error("--reference wants three comma-separated numbers")
    set_constants(args.native_constants)
    want = lambda n: args.case is None or args.case in n
    for name, case in [("a_rk4", "a"), ("b_heun_300k", "b"), ("c_stt_rk4", "c")]:
        if want(name):
            bench_single(name, case, args.runs)
        if name == "a_rk4" and want("a_time_to_solution"):
            bench_time_to_solution(args.runs, larmor_ref)
    if want("d_ensemble_heun_300k"):
        bench_ensemble(args.runs, args.native_constants)


if __name__ == "__main__":
    main()

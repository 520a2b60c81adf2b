"""The README's MRAM write sweep from Python, plotted with matplotlib.

Same numbers as

    larmor sweep examples/mram_switching.toml --vary current --from 2e10 --to 1.2e11 \
        --points 11 --trials 200 --seed 1 --out out/sweep.csv

(the same scenario, grid and random streams), then P_sw with its Wilson 95 % interval and the
write-error rate on a log scale against current density. Written as a notebook would be: run
it cell by cell, or as a script:

    python examples/python/mram_sweep.py [--points N] [--trials N] [--plot out/sweep_python.png]
"""

import argparse
import time
from pathlib import Path

import larmor

HERE = Path(__file__).resolve().parent

ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("--points", type=int, default=11)
ap.add_argument("--trials", type=int, default=200)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--plot", default="out/sweep_python.png")
args = ap.parse_args()

# %% the scenario: a perpendicular STT-MRAM free layer at 300 K, a 5 ns current pulse
scenario = larmor.Scenario.load(HERE.parent / "mram_switching.toml")
spec = scenario.to_dict()  # a plain dict: change keys here as in the TOML file
print(f"free layer: Ms = {spec['magnet']['ms']:.3g} A/m, alpha = {spec['magnet']['alpha']}, "
      f"T = {spec['thermal']['temperature']} K")

# %% the sweep: one ensemble per current density, all cores, GIL released
j = larmor.grid(2e10, 1.2e11, args.points)
t0 = time.perf_counter()
s = larmor.sweep(spec, "current", j, args.trials, seed=args.seed, progress=True)
print(f"{args.points} points x {args.trials} trials in {time.perf_counter() - t0:.2f} s")
print(f"{'J (A/m^2)':>12} {'p_switch':>9} {'p_low':>8} {'p_high':>8} {'WER':>9}")
for k in range(len(j)):
    print(f"{s['value'][k]:12.4e} {s['p_switch'][k]:9.4f} {s['p_low'][k]:8.4f} "
          f"{s['p_high'][k]:8.4f} {s['wer'][k]:9.2e}")

# %% the plot
import matplotlib  # noqa: E402

matplotlib.use(matplotlib.get_backend() if "inline" in matplotlib.get_backend() else "Agg")
import matplotlib.pyplot as plt  # noqa: E402

fig, (a, b) = plt.subplots(2, 1, figsize=(7, 7), sharex=True)
a.fill_between(s["value"], s["p_low"], s["p_high"], color="0.85", label="Wilson 95 %")
a.plot(s["value"], s["p_switch"], "o-", label="P_sw")
a.set_ylabel("switching probability")
a.set_ylim(-0.02, 1.02)
a.set_title(f"STT-MRAM write, 5 ns pulse, 300 K ({args.trials} trials per point)")
a.legend()
# a point where every trial switched has WER 0: plot its upper bound instead
wer_hi = 1 - s["p_low"]
b.semilogy(s["value"], wer_hi, "v--", color="0.5", label="WER upper bound (95 %)")
ok = s["wer"] > 0
b.semilogy(s["value"][ok], s["wer"][ok], "o-", color="C3", label="WER = 1 - P_sw")
b.set_xlabel("current density (A/m^2)")
b.set_ylabel("write-error rate")
b.legend()
fig.tight_layout()
Path(args.plot).parent.mkdir(parents=True, exist_ok=True)
fig.savefig(args.plot, dpi=110)
print(f"wrote {args.plot}")

#!/usr/bin/env python3
"""The table of bench/peer.sh: medians over rounds of `larmor bench --json` and bench/peer_cmtj.py.

Usage: table.py OUT ROUNDS RUNS      markdown table from OUT/{larmor,cmtj}.R.jsonl, R = 1..ROUNDS
       table.py --reference FILE     Larmor's a_time_to_solution reference m as MX,MY,MZ (or
                                     nothing when FILE has no such case)
"""

import json
import statistics
import sys
from pathlib import Path

CASES = ["a_rk4", "a_time_to_solution", "b_heun_300k", "c_stt_rk4", "d_ensemble_heun_300k"]
TTS = "a_time_to_solution"


def rows(path):
    for line in path.read_text().splitlines():
        line = line.strip()
        if line.startswith("{"):
            yield json.loads(line)


def reference(path):
    for o in rows(Path(path)):
        if o["case"] == TTS:
            print(",".join(repr(c) for c in o["reference"]))


def how(o):
    """How a time to solution was reached, from its JSON object."""
    method = o.get("method")
    if method in ("dopri45", "dop853"):
        how_ = f"{method} tol {o[method]['param']:.2g}"
    else:
        how_ = f"rk4 dt {10e-9 / o['steps'] * 1e12:.3g} ps"  # 10 ns in `steps` steps
    steps = f", {o['steps']} steps" if o["steps"] >= 0 else ""  # cmtj's dopri45: unknown
    return f"{how_}{steps}, error {o['error']:.1e}"


def table(out, rounds, runs):
    larmor = {c: [] for c in CASES}
    peer = {c: [] for c in CASES}
    notes = {}
    units = {}
    peer_name = "cmtj"
    for r in range(1, rounds + 1):
        for o in rows(out / f"larmor.{r}.jsonl"):
            c = o["case"]
            if c == TTS:
                larmor.setdefault(c, []).append(o["time_to_solution_s"] * 1e3)
                units[c] = "ms"
                notes[("larmor", c)] = how(o)
            elif "runs_per_s" in o:
                larmor.setdefault(c, []).append(o["runs_per_s"])
                units[c] = "runs/s"
            else:
                larmor.setdefault(c, []).append(o["steps_per_s"] / 1e6)
                units[c] = "M steps/s"
        for o in rows(out / f"cmtj.{r}.jsonl"):
            c = o["case"]
            peer.setdefault(c, []).append(o["value"])
            units.setdefault(c, o["unit"])
            peer_name = o.get("peer", peer_name)
            if c == TTS:
                notes[("peer", c)] = how(o)
                if "larmor_reference_diff" in o:
                    notes["refs"] = o["larmor_reference_diff"]

    def cell(v, c, who):
        if v is None:
            return "n/a"
        note = notes.get((who, c))
        return f"{v:.2f} {units.get(c, '')}" + (f" ({note})" if note else "")

    print(f"\nMedian over {rounds} rounds (each `--runs {runs}`, median of runs after a warm-up); "
          f"ratio = how many times faster Larmor is than {peer_name} (rate ratio, or time ratio "
          f"for {TTS}: wall time to |m(10 ns) - m_ref| <= 1e-7, each against its own reference).\n")
    print(f"| case | Larmor (median) | {peer_name} (median) | ratio |")
    print("|---|---:|---:|---:|")
    for c in CASES:
        lv = statistics.median(larmor[c]) if larmor.get(c) else None
        pv = statistics.median(peer[c]) if peer.get(c) else None
        ratio = "n/a"
        if lv and pv:
            ratio = f"{(pv / lv if units.get(c) == 'ms' else lv / pv):.2f}x"
        print(f"| {c} | {cell(lv, c, 'larmor')} | {cell(pv, c, 'peer')} | {ratio} |")
    if "refs" in notes:
        print(f"\n{TTS}: Larmor's and cmtj's references differ by {notes['refs']:.1e}.")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--reference":
        reference(sys.argv[2])
    elif len(sys.argv) == 4:
        table(Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()

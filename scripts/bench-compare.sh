#!/usr/bin/env bash
# Peer benchmark: `larmor bench` against cmtj (scripts/bench-cmtj.py), same four cases.
#
# Builds larmor-host (release), then alternates Larmor and cmtj for ROUNDS rounds (default 3),
# each run with --runs RUNS (default 5), and prints a markdown table of the medians over rounds.
#
# Usage: scripts/bench-compare.sh [--runs N] [--rounds N]
# Env:   PEER_PYTHON  python with cmtj installed (default /tmp/cmtjvenv/bin/python)
#        RUNS, ROUNDS defaults for the options above
set -euo pipefail

cd "$(dirname "$0")/.."

RUNS="${RUNS:-5}"
ROUNDS="${ROUNDS:-3}"
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS="$2"; shift 2 ;;
        --rounds) ROUNDS="$2"; shift 2 ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) echo "bench-compare: unknown argument: $1" >&2; exit 64 ;;
    esac
done

PY="${PEER_PYTHON:-/tmp/cmtjvenv/bin/python}"
if ! "$PY" -c 'import cmtj' >/dev/null 2>&1; then
    echo "bench-compare: cannot import cmtj with $PY." >&2
    echo "  Install it: pip install cmtj==1.15.0  (or point PEER_PYTHON at a python that has it)" >&2
    exit 2
fi

echo "bench-compare: building larmor-host (release)..." >&2
cargo build --release -q -p larmor-host
LARMOR="${CARGO_TARGET_DIR:-target}/release/larmor"

OUT="$(mktemp -d "${TMPDIR:-/tmp}/bench-compare.XXXXXX")"
trap 'rm -rf "$OUT"' EXIT

for r in $(seq 1 "$ROUNDS"); do
    echo "bench-compare: round $r/$ROUNDS: larmor" >&2
    "$LARMOR" bench --json --runs "$RUNS" > "$OUT/larmor.$r.jsonl"
    echo "bench-compare: round $r/$ROUNDS: cmtj" >&2
    "$PY" scripts/bench-cmtj.py --runs "$RUNS" > "$OUT/cmtj.$r.jsonl"
done

python3 - "$OUT" "$ROUNDS" "$RUNS" <<'EOF'
import json, statistics, sys
from pathlib import Path

out, rounds, runs = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
cases = ["a_rk4", "b_heun_300k", "c_stt_rk4", "d_ensemble_heun_300k"]

def rows(path):
    for line in path.read_text().splitlines():
        line = line.strip()
        if line.startswith("{"):
            yield json.loads(line)

larmor = {c: [] for c in cases}
peer = {c: [] for c in cases}
units = {}
peer_name = "cmtj"
for r in range(1, rounds + 1):
    for o in rows(out / f"larmor.{r}.jsonl"):
        c = o["case"]
        if "runs_per_s" in o:
            larmor.setdefault(c, []).append(o["runs_per_s"])
            units[c] = "runs/s"
        else:
            larmor.setdefault(c, []).append(o["steps_per_s"] / 1e6)
            units[c] = "M steps/s"
    for o in rows(out / f"cmtj.{r}.jsonl"):
        peer.setdefault(o["case"], []).append(o["value"])
        units.setdefault(o["case"], o["unit"])
        peer_name = o.get("peer", peer_name)

def fmt(v, u):
    return f"{v:.2f} {u}" if v is not None else "n/a"

print(f"\nMedian over {rounds} rounds (each `--runs {runs}`, median of runs after a warm-up); "
      f"ratio = Larmor / {peer_name} (higher is faster for Larmor).\n")
print(f"| case | Larmor (median) | {peer_name} (median) | ratio |")
print("|---|---:|---:|---:|")
for c in cases:
    u = units.get(c, "")
    lv = statistics.median(larmor[c]) if larmor.get(c) else None
    pv = statistics.median(peer[c]) if peer.get(c) else None
    ratio = f"{lv / pv:.2f}x" if lv and pv else "n/a"
    print(f"| {c} | {fmt(lv, u)} | {fmt(pv, u)} | {ratio} |")
EOF

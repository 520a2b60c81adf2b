#!/usr/bin/env bash
# Peer benchmark: `larmor bench` against cmtj 1.15.0 (bench/peer_cmtj.py), the same cases.
#
# Makes a temporary venv (removed on exit) with cmtj==1.15.0 and numpy from PyPI, builds
# larmor-host (release), then alternates Larmor and cmtj for ROUNDS rounds (default 3), each
# run with --runs RUNS (default 5), and prints a markdown table of the medians over rounds
# (bench/table.py). Not part of the test command.
#
# Usage: bench/peer.sh [--runs N] [--rounds N]
# Env:   RUNS, ROUNDS   defaults for the options above
#        PEER_PYTHON    a python that already has cmtj: skips the venv (quick iteration)
#        PIP_INDEX_URL  as for pip (default PyPI)
set -euo pipefail

cd "$(dirname "$0")/.."

RUNS="${RUNS:-5}"
ROUNDS="${ROUNDS:-3}"
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS="$2"; shift 2 ;;
        --rounds) ROUNDS="$2"; shift 2 ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "peer: unknown argument: $1" >&2; exit 64 ;;
    esac
done

OUT="$(mktemp -d "${TMPDIR:-/tmp}/larmor-peer.XXXXXX")"
trap 'rm -rf "$OUT"' EXIT

# A python with cmtj: PEER_PYTHON, else a fresh venv in $OUT.
make_venv() {
    if ! python3 -m venv "$OUT/venv" >"$OUT/venv.log" 2>&1; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            echo "peer: python3 -m venv failed; installing python3-venv with apt-get" >&2
            apt-get install -y -q python3-venv >&2
            rm -rf "$OUT/venv"
            python3 -m venv "$OUT/venv"
        else
            cat "$OUT/venv.log" >&2
            echo "peer: python3 -m venv failed: install python3-venv (Debian/Ubuntu:" \
                "sudo apt-get install python3-venv), or set PEER_PYTHON to a python with cmtj" >&2
            exit 2
        fi
    fi
    echo "peer: pip install cmtj==1.15.0 numpy (into $OUT/venv)..." >&2
    "$OUT/venv/bin/python" -m pip install -q --disable-pip-version-check cmtj==1.15.0 numpy >&2
    PY="$OUT/venv/bin/python"
}

if [ -n "${PEER_PYTHON:-}" ]; then
    PY="$PEER_PYTHON"
else
    command -v python3 >/dev/null || { echo "peer: python3 not found" >&2; exit 2; }
    make_venv
fi
if ! "$PY" -c 'import cmtj' >/dev/null 2>&1; then
    echo "peer: cannot import cmtj with $PY (pip install cmtj==1.15.0)" >&2
    exit 2
fi

echo "peer: building larmor-host (release)..." >&2
cargo build --release -q -p larmor-host
LARMOR="${CARGO_TARGET_DIR:-target}/release/larmor"

for r in $(seq 1 "$ROUNDS"); do
    echo "peer: round $r/$ROUNDS: larmor" >&2
    "$LARMOR" bench --json --runs "$RUNS" > "$OUT/larmor.$r.jsonl"
    # Larmor's reference state of a_time_to_solution, for cmtj to compare its own with
    ref="$("$PY" bench/table.py --reference "$OUT/larmor.$r.jsonl")"
    echo "peer: round $r/$ROUNDS: cmtj" >&2
    "$PY" bench/peer_cmtj.py --runs "$RUNS" ${ref:+--reference "$ref"} > "$OUT/cmtj.$r.jsonl"
done

"$PY" bench/table.py "$OUT" "$ROUNDS" "$RUNS"

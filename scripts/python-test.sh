#!/usr/bin/env bash
# The Python package (python/): builds the abi3 wheel with maturin in a venv, installs it and
# runs its pytest suite against the `larmor` binary (identical numbers, errors, Ctrl-C, the
# example script). Fails when no test ran. Called by scripts/test.sh.
#
#   bash scripts/python-test.sh            # venv in target/python-venv (kept between runs)
#   LARMOR_VENV=/some/venv bash scripts/python-test.sh
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
VENV=${LARMOR_VENV:-$ROOT/target/python-venv}
PY=${PYTHON:-python3}

if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check \
    "maturin>=1.7,<2" "numpy>=1.21" "pytest>=7" "matplotlib>=3.5"

# the crate's own checks (it is outside the workspace, like firmware/)
(cd python && cargo fmt -- --check && cargo clippy --release --locked --quiet -- -D warnings)

# the command line to compare with (the test profile: what `cargo test` built already)
cargo build -p larmor-host --bin larmor --profile test --locked --quiet

WHEELS="$ROOT/target/wheels"
rm -rf "$WHEELS"
(cd python && "$VENV/bin/maturin" build --release --locked --quiet --out "$WHEELS")
wheel=$(ls "$WHEELS"/larmor-*.whl)
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$wheel"
echo "wheel: $(basename "$wheel") ($(du -k "$wheel" | cut -f1) KiB)"

report="$ROOT/target/python-pytest.xml"
rm -f "$report"
# from the tests' own folder, so that `import larmor` is the installed wheel, not python/larmor
(cd python/tests && LARMOR_BIN="$ROOT/target/debug/larmor" LARMOR_ROOT="$ROOT" \
    "$VENV/bin/python" -m pytest -q -p no:cacheprovider --junitxml="$report" .)
ran=$("$VENV/bin/python" - "$report" <<'PY'
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
s = r if r.tag == "testsuite" else r.find("testsuite")
print(int(s.get("tests")) - int(s.get("skipped", 0)))
PY
)
if [ "$ran" -lt 1 ]; then
    echo "python-test.sh: no pytest test ran" >&2
    exit 1
fi
echo "python: $ran pytest tests passed"

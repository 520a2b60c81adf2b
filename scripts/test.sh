#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls this script). Installs what it needs first
# (rustup targets and components, a local QEMU, defmt-print: scripts/setup-tools.sh, cached;
# a Python venv with maturin and pytest: scripts/python-test.sh).
#
#   bash scripts/test.sh            # everything
#   bash scripts/test.sh --quick    # host checks only (no cross builds, no QEMU)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

quick=0
[ "${1:-}" = "--quick" ] && quick=1

section() { printf '\n==== %s\n' "$*"; }
t0=$(date +%s)

if [ $quick -eq 0 ]; then
    section "tools (rustup targets, QEMU, defmt-print)"
    bash scripts/setup-tools.sh
fi
# shellcheck source=scripts/env.sh
source scripts/env.sh

section "format"
cargo fmt --all -- --check

section "clippy (workspace, all targets, -D warnings)"
cargo clippy --workspace --all-targets --locked -- -D warnings

section "docs (-D warnings)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked --quiet

if [ $quick -eq 0 ]; then
    section "kernel feature matrix on microcontroller targets (no_std, no alloc)"
    for target in thumbv6m-none-eabi thumbv7em-none-eabihf riscv32imac-unknown-none-elf; do
        for features in "" "defmt" "fixed" "fixed,defmt"; do
            echo "larmor --target $target --features '$features'"
            cargo build -p larmor --locked --quiet --target "$target" --no-default-features \
                ${features:+--features "$features"}
        done
    done
    cargo clippy -p larmor --locked --quiet --target thumbv7em-none-eabihf --features fixed -- -D warnings

    section "firmware: build every board, run the QEMU apps"
    bash scripts/firmware-test.sh
    # The parity test (tests/tests/parity.rs) reads the QEMU self-test logs just written and
    # must not skip them.
    export LARMOR_REQUIRE_PARITY=1
fi

section "tests (kernel unit + doc tests, host CLI, physics validation, property tests, parity)"
cargo test --workspace --locked

section "python package (maturin wheel in a venv, pytest against the CLI)"
bash scripts/python-test.sh

section "done in $(( $(date +%s) - t0 )) s"

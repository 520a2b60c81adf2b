#!/usr/bin/env bash
# Cargo runner (see .cargo/config.toml): runs an ELF on the board it was built for.
# build.rs marks every binary with an absolute symbol `_larmor_board_<board>`:
#   qemu-m4, qemu-m0          -> ../scripts/qemu-run.sh (QEMU + defmt-print)
#   nrf52840dk, nucleo-f401re,
#   rp2040                    -> probe-rs run --chip <chip> (flash, then print defmt over RTT)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
elf=$1
shift
board=$( (grep -aoE '_larmor_board_[a-z0-9_]+' "$elf" || true) | head -n1 | sed 's/^_larmor_board_//; s/_/-/g')

probe_rs() {
    command -v probe-rs >/dev/null || {
        echo "runner.sh: probe-rs not found; install it with: cargo install --locked probe-rs-tools" >&2
        exit 2
    }
    exec probe-rs run --chip "$1" "$elf" "${@:2}"
}

case $board in
    qemu-m4|qemu-m0) exec "$here/../scripts/qemu-run.sh" --board "$board" "$elf" "$@" ;;
    nrf52840dk) probe_rs nRF52840_xxAA "$@" ;;
    nucleo-f401re) probe_rs STM32F401RETx "$@" ;;
    rp2040) probe_rs RP2040 "$@" ;;
    *) echo "runner.sh: no _larmor_board_* symbol in $elf (not built from firmware/?)" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Run a firmware ELF under QEMU and decode its defmt output with defmt-print.
#
#   scripts/qemu-run.sh [options] ELF
#     --board qemu-m4|qemu-m0  board (default: read from the ELF's _larmor_board_* symbol)
#     --raw FILE               also save the raw defmt byte stream to FILE
#     --no-decode              write the raw defmt stream to stdout (no defmt-print)
#     --log-format FMT         defmt-print --log-format (default: defmt-print's own)
#   env: LARMOR_QEMU_TIMEOUT   seconds before QEMU is killed (default 120; exit status 124)
#
# Exit status: QEMU's (the firmware's semihosting exit: 0 success, 1 failure), else
# defmt-print's. QEMU runs with -icount shift=0 (1 instruction = 1 ns of virtual time, fully
# deterministic) and semihosting on; the firmware writes defmt frames to semihosting stdout.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/env.sh
source "$ROOT/scripts/env.sh"

board="" raw="" decode=1 log_format=""
while [ $# -gt 0 ]; do
    case $1 in
        --board) board=$2; shift 2 ;;
        --raw) raw=$2; shift 2 ;;
        --no-decode) decode=0; shift ;;
        --log-format) log_format=$2; shift 2 ;;
        -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}"; exit 0 ;;
        -*) echo "qemu-run.sh: unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
[ $# -ge 1 ] || { echo "usage: qemu-run.sh [--board B] [--raw FILE] [--no-decode] ELF" >&2; exit 2; }
elf=$1
[ -f "$elf" ] || { echo "qemu-run.sh: no such file: $elf" >&2; exit 2; }

if [ -z "$board" ]; then
    board=$( (grep -aoE '_larmor_board_[a-z0-9_]+' "$elf" || true) | head -n1 | sed 's/^_larmor_board_//; s/_/-/g')
fi
case $board in
    qemu-m4) machine=(-machine mps2-an386 -cpu cortex-m4) ;;
    qemu-m0) machine=(-machine microbit) ;;
    "") echo "qemu-run.sh: cannot tell the board of $elf; pass --board" >&2; exit 2 ;;
    *) echo "qemu-run.sh: board '$board' does not run under QEMU" >&2; exit 2 ;;
esac

command -v qemu-system-arm >/dev/null || { echo "qemu-run.sh: qemu-system-arm not found; run scripts/setup-tools.sh" >&2; exit 2; }

qemu=(timeout "${LARMOR_QEMU_TIMEOUT:-120}" qemu-system-arm "${machine[@]}"
      -nographic -monitor none -serial none
      -semihosting-config enable=on,target=native
      -icount shift=0
      -L "$LARMOR_QEMU_DATA"
      -kernel "$elf")

if [ $decode -eq 0 ]; then
    if [ -n "$raw" ]; then "${qemu[@]}" | tee "$raw"; else exec "${qemu[@]}"; fi
    exit "${PIPESTATUS[0]}"
fi

command -v defmt-print >/dev/null || { echo "qemu-run.sh: defmt-print not found; run scripts/setup-tools.sh" >&2; exit 2; }
print=(defmt-print -e "$elf")
[ -n "$log_format" ] && print+=(--log-format "$log_format")

set +e
if [ -n "$raw" ]; then
    "${qemu[@]}" | tee "$raw" | "${print[@]}"
    status=("${PIPESTATUS[@]}")
    qemu_status=${status[0]} print_status=${status[2]}
else
    "${qemu[@]}" | "${print[@]}"
    status=("${PIPESTATUS[@]}")
    qemu_status=${status[0]} print_status=${status[1]}
fi
set -e
if [ "$qemu_status" -eq 124 ]; then
    echo "qemu-run.sh: timed out after ${LARMOR_QEMU_TIMEOUT:-120} s: $elf" >&2
fi
if [ "$qemu_status" -ne 0 ]; then exit "$qemu_status"; fi
exit "$print_status"

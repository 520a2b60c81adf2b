#!/usr/bin/env bash
# Install the embedded tool chain that firmware/ and scripts/firmware-test.sh need.
#
#   bash scripts/setup-tools.sh        # then: source scripts/env.sh
#
# Idempotent and non-interactive (CI runs it as root, with no stdin, on a fresh machine).
# Every step checks first and skips what is already there, so a warm run takes a second or two.
#
# What it installs:
#   1. rustup targets  thumbv7em-none-eabihf (Cortex-M4F: mps2-an386, nRF52840, STM32F401)
#                      thumbv6m-none-eabi    (Cortex-M0/M0+: micro:bit nRF51, RP2040)
#                      riscv32imac-unknown-none-elf (kept ready for RISC-V boards)
#   2. rustup components rustfmt, clippy, llvm-tools (llvm-size for the size report)
#   3. QEMU (qemu-system-arm) into .tools/qemu.  Debian's `apt-get install qemu-system-arm`
#      fails on this image (the preinstalled backported qemu-utils conflicts with
#      qemu-system-common 7.2), so the .debs are downloaded and unpacked with `dpkg -x`;
#      only their shared-library dependencies are installed with apt.
#   4. defmt-print into .tools/cargo (cargo install --locked, about 5 minutes cold).
#
# Not installed: probe-rs (no boards are attached in CI).  Users flashing real boards run
#   cargo install --locked probe-rs-tools
# Nothing is exported: `source scripts/env.sh` puts the local tools on PATH.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS="$ROOT/.tools"
QEMU_DIR="$TOOLS/qemu"
CARGO_TOOLS="$TOOLS/cargo"
DEFMT_PRINT_VERSION=1.2.0
TARGETS=(thumbv7em-none-eabihf thumbv6m-none-eabi riscv32imac-unknown-none-elf)
COMPONENTS=(rustfmt clippy llvm-tools)
QEMU_PACKAGES=(qemu-system-arm qemu-system-common qemu-system-data)

log() { printf '[setup-tools] %s\n' "$*"; }
die() { printf '[setup-tools] ERROR: %s\n' "$*" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive

SUDO=()
if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo -n); fi

START=$(date +%s)

# --- 1 + 2. Rust targets and components --------------------------------------------------
command -v rustup >/dev/null || die "rustup not found (install Rust via rustup first)"
cd "$ROOT"
# Adds with `rustup <kind> add` each item `rustup <kind> list --installed` lacks; an installed
# item matches the grep pattern with `NAME` replaced by the item's name.
rustup_ensure() { # kind pattern item...
    local kind=$1 pattern=$2 installed item
    shift 2
    installed=$(rustup "$kind" list --installed)
    local missing=()
    for item in "$@"; do
        grep -q "${pattern//NAME/$item}" <<<"$installed" || missing+=("$item")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        log "rustup $kind add ${missing[*]}"
        rustup "$kind" add "${missing[@]}"
    else
        log "rust ${kind}s present: $*"
    fi
}
rustup_ensure target '^NAME$' "${TARGETS[@]}"
# Installed components are listed as e.g. `llvm-tools-x86_64-unknown-linux-gnu`.
rustup_ensure component '^NAME\(-preview\)\?-' "${COMPONENTS[@]}"

# --- 3. QEMU ------------------------------------------------------------------------------
QEMU_BIN="$QEMU_DIR/usr/bin/qemu-system-arm"

qemu_works() {
    [ -x "$QEMU_BIN" ] || return 1
    "$QEMU_BIN" --version >/dev/null 2>&1 || return 1
    local machines
    machines=$("$QEMU_BIN" -machine help 2>/dev/null) || return 1
    grep -q '^mps2-an386' <<<"$machines" && grep -q '^microbit' <<<"$machines"
}

apt_updated=0
apt_update_once() {
    if [ $apt_updated -eq 0 ]; then
        log "apt-get update"
        "${SUDO[@]}" apt-get update -qq
        apt_updated=1
    fi
}

if qemu_works; then
    log "qemu present: $("$QEMU_BIN" --version | head -n1) ($QEMU_BIN)"
else
    if [ ! -x "$QEMU_BIN" ]; then
        log "downloading ${QEMU_PACKAGES[*]} (.deb) and unpacking into ${QEMU_DIR#"$ROOT"/}"
        apt_update_once
        debs=$(mktemp -d)
        trap 'rm -rf "$debs"' EXIT
        # _apt cannot write into a root-owned mktemp dir; make it readable/writable so apt
        # does not warn about an unsandboxed download.
        chmod 777 "$debs"
        (cd "$debs" && apt-get download -q "${QEMU_PACKAGES[@]}" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
        ls "$debs"/qemu-system-arm_*.deb >/dev/null 2>&1 || die "apt-get download qemu-system-arm failed"
        rm -rf "$QEMU_DIR.part"
        mkdir -p "$QEMU_DIR.part"
        for deb in "$debs"/*.deb; do dpkg -x "$deb" "$QEMU_DIR.part"; done
        # Keep the runtime dependency list next to the binaries, for the library step below.
        dpkg-deb -f "$debs"/qemu-system-arm_*.deb Depends >"$QEMU_DIR.part/DEPENDS"
        rm -rf "$QEMU_DIR"
        mv "$QEMU_DIR.part" "$QEMU_DIR"
    fi
    # Shared libraries: qemu-system-arm's Depends minus the qemu-* packages themselves.
    deps=$(tr ',' '\n' <"$QEMU_DIR/DEPENDS" | sed 's/(.*)//; s/|.*//; s/[[:space:]]//g' | grep -v '^qemu-' | grep -v '^$')
    need=()
    for p in $deps; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
    done
    if [ ${#need[@]} -gt 0 ]; then
        log "apt-get install (qemu runtime libraries): ${need[*]}"
        apt_update_once
        "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
    fi
    if ! qemu_works; then
        ldd "$QEMU_BIN" | grep 'not found' >&2 || true
        die "qemu-system-arm in $QEMU_DIR does not run (see missing libraries above)"
    fi
    log "qemu installed: $("$QEMU_BIN" --version | head -n1)"
fi

# --- 4. defmt-print -------------------------------------------------------------------------
DEFMT_PRINT="$CARGO_TOOLS/bin/defmt-print"
if [ -x "$DEFMT_PRINT" ] && "$DEFMT_PRINT" --version 2>/dev/null | grep -q "$DEFMT_PRINT_VERSION"; then
    log "defmt-print present: $("$DEFMT_PRINT" --version | head -n1)"
else
    log "cargo install --locked --root ${CARGO_TOOLS#"$ROOT"/} defmt-print@$DEFMT_PRINT_VERSION (takes a few minutes)"
    cargo install --locked --quiet --root "$CARGO_TOOLS" --version "$DEFMT_PRINT_VERSION" defmt-print
    "$DEFMT_PRINT" --version >/dev/null || die "defmt-print does not run"
fi

log "done in $(($(date +%s) - START)) s; use the tools with: source scripts/env.sh"

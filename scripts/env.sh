# Source this file to put the local embedded tools on PATH (after scripts/setup-tools.sh):
#
#   source scripts/env.sh
#
# Adds .tools/qemu (qemu-system-arm), .tools/cargo (defmt-print) and the llvm-tools component's
# bin directory (llvm-size, llvm-objdump, llvm-nm) to PATH. Sets LARMOR_TOOLS and
# LARMOR_QEMU_DATA (QEMU's data dir, passed to qemu with -L). LD_LIBRARY_PATH is left alone:
# QEMU's shared libraries are installed system-wide (apt) by setup-tools.sh.
# Bash only (uses BASH_SOURCE and indirect expansion).
# Safe to source more than once: directories already on PATH are not added again.

_larmor_root=$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)
export LARMOR_TOOLS="$_larmor_root/.tools"
export LARMOR_QEMU_DATA="$LARMOR_TOOLS/qemu/usr/share/qemu"

_larmor_prepend() { # _larmor_prepend VAR DIR
    [ -d "$2" ] || return 0
    case ":${!1:-}:" in
        *":$2:"*) ;;
        *) export "$1=$2${!1:+:${!1}}" ;;
    esac
}

_larmor_prepend PATH "$LARMOR_TOOLS/qemu/usr/bin"
_larmor_prepend PATH "$LARMOR_TOOLS/cargo/bin"
if command -v rustc >/dev/null 2>&1; then
    _larmor_llvm_bin="$(rustc --print sysroot)/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/bin"
    _larmor_prepend PATH "$_larmor_llvm_bin"
    unset _larmor_llvm_bin
fi
unset -f _larmor_prepend
unset _larmor_root

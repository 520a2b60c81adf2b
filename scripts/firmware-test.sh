#!/usr/bin/env bash
# Build every firmware board x app, run the apps on the QEMU boards, check exit codes and the
# decoded defmt output, and report ELF sizes.
#
#   bash scripts/setup-tools.sh      # once: targets, QEMU, defmt-print
#   bash scripts/firmware-test.sh    # [--no-lint] skip rustfmt/clippy
#
# Steps:
#   1. rustfmt --check and clippy -D warnings on the QEMU boards (firmware/ only);
#   2. release build of all apps for every board (QEMU and real boards);
#   3. each app on qemu-m4 (mps2-an386) and qemu-m0 (microbit) under QEMU -icount shift=0,
#      defmt decoded by defmt-print: `hello` must exit 0 and pass its checks, `panic_test`
#      and `fault_test` must exit 1 after logging the panic / HardFault; `hello` runs twice
#      and both logs must be identical (instruction counts are deterministic); `selftest` must
#      exit 0 (every scenario within its bound of the host's golden values; its log is what
#      tests/tests/parity.rs compares with the host bit for bit); `macrospin` (built with
#      `--profile size`: the small macrospin self-test for 32 KiB parts) must exit 0 (its result
#      is also compared bit for bit); `lattice` (the 256-spin f32 lattice: LLG and Monte Carlo,
#      instructions per step and per sweep, sizes of its parts) must exit 0 (compared bit for
#      bit too); `bench` must finish (its instructions per step go into the README via
#      scripts/firmware-report.sh);
#   4. size table: flash = text + rodata + data, static RAM = data + bss (llvm-size from the
#      llvm-tools component).
# Logs go to out/firmware/<board>/<app>.log. Exits non-zero if anything failed.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/env.sh
source "$ROOT/scripts/env.sh"
FW="$ROOT/firmware"
OUT="$ROOT/out/firmware"

lint=1
for arg in "$@"; do
    case $arg in
        --no-lint) lint=0 ;;
        -h|--help) sed -n '2,23p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "firmware-test.sh: unknown argument $arg" >&2; exit 2 ;;
    esac
done

# board:target:runs-under-qemu
BOARDS=(
    "qemu-m4:thumbv7em-none-eabihf:yes"
    "qemu-m0:thumbv6m-none-eabi:yes"
    "nrf52840dk:thumbv7em-none-eabihf:no"
    "nucleo-f401re:thumbv7em-none-eabihf:no"
    "rp2040:thumbv6m-none-eabi:no"
)
# app:expected exit status:line the decoded log must contain
APPS=(
    "hello:0:hello: all checks passed"
    "selftest:0:checks passed"
    "macrospin:0:macrospin: all checks passed"
    "mram:0:mram session corrupted="
    "sensor:0:sensor session hash="
    "lattice:0:lattice: all checks passed"
    "bench:0:bench: done"
    "panic_test:1:ERROR panicked at"
    "fault_test:1:ERROR HardFault at"
)
LOG_FORMAT='{L} {s}'
# Apps built with `--profile size` (opt-level "s") instead of release: ELFs in target/<t>/size/.
SIZE_APPS=" macrospin "
profile_of() { case "$SIZE_APPS" in *" $1 "*) echo size ;; *) echo release ;; esac; }

failures=()
results=()
checks=0
step() { printf '\n== %s\n' "$*"; checks=$((checks + 1)); }
fail() { failures+=("$*"); printf 'FAIL: %s\n' "$*"; }

missing=0
for tool in qemu-system-arm defmt-print llvm-size; do
    command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; missing=1; }
done
if [ $missing -ne 0 ]; then
    echo "run scripts/setup-tools.sh first" >&2
    exit 2
fi

cd "$FW"
rm -rf "$OUT"
mkdir -p "$OUT"

if [ $lint -eq 1 ]; then
    step "rustfmt --check (firmware/)"
    cargo fmt --check || fail "rustfmt: run 'cargo fmt' in firmware/"
    for spec in "qemu-m4:thumbv7em-none-eabihf" "qemu-m0:thumbv6m-none-eabi"; do
        board=${spec%%:*} target=${spec#*:}
        step "clippy $board ($target)"
        cargo clippy --quiet --release --target "$target" --features "$board" --bins -- -D warnings \
            || fail "clippy $board"
    done
fi

for spec in "${BOARDS[@]}"; do
    IFS=: read -r board target qemu <<<"$spec"
    step "build $board ($target)"
    size_bins=()
    for app in $SIZE_APPS; do size_bins+=(--bin "$app"); done
    if cargo build --quiet --release --target "$target" --features "$board" --bins \
        && cargo build --quiet --profile size --target "$target" --features "$board" "${size_bins[@]}"; then
        # Keep a copy: the next board with the same target overwrites target/<target>/<profile>.
        mkdir -p "$OUT/$board"
        for app_spec in "${APPS[@]}"; do
            app=${app_spec%%:*}
            cp "target/$target/$(profile_of "$app")/$app" "$OUT/$board/$app.elf"
        done
        echo "built: ${APPS[*]%%:*}"
    else
        fail "build $board"
        continue
    fi
    [ "$qemu" = yes ] || continue

    for app_spec in "${APPS[@]}"; do
        IFS=: read -r app want_status want_line <<<"$app_spec"
        elf="$OUT/$board/$app.elf"
        log="$OUT/$board/$app.log"
        step "run $board $app (expect exit $want_status)"
        LARMOR_QEMU_TIMEOUT=300 "$ROOT/scripts/qemu-run.sh" --board "$board" \
            --log-format "$LOG_FORMAT" "$elf" >"$log" 2>"$log.stderr"
        status=$?
        cat "$log"
        [ -s "$log.stderr" ] && sed 's/^/stderr: /' "$log.stderr"
        verdict=ok
        if [ "$status" -ne "$want_status" ]; then
            fail "$board $app: exit status $status, expected $want_status"
            verdict=FAIL
        fi
        if ! grep -qF "$want_line" "$log"; then
            fail "$board $app: log lacks '$want_line'"
            verdict=FAIL
        fi
        if [ "$app" = hello ]; then
            LARMOR_QEMU_TIMEOUT=60 "$ROOT/scripts/qemu-run.sh" --board "$board" \
                --log-format "$LOG_FORMAT" "$elf" >"$log.rerun" 2>/dev/null
            if cmp -s "$log" "$log.rerun"; then
                echo "second run: identical output (deterministic)"
            else
                fail "$board hello: second run differs"
                diff "$log" "$log.rerun" | head -20
                verdict=FAIL
            fi
        fi
        results+=("$(printf '%-14s %-11s exit %-3s (want %s)  %s' "$board" "$app" "$status" "$want_status" "$verdict")")
    done
done

printf '\n== %s\n' "ELF sizes (release, $(echo $SIZE_APPS) with --profile size; flash = text+rodata+data, static RAM = data+bss)"
sizes="$OUT/sizes.txt"
printf '%-14s %-11s %9s %9s\n' board app flash ram >"$sizes"
for spec in "${BOARDS[@]}"; do
    board=${spec%%:*}
    for app_spec in "${APPS[@]}"; do
        app=${app_spec%%:*}
        elf="$OUT/$board/$app.elf"
        [ -f "$elf" ] || continue
        # Berkeley format: text (code + rodata + vector table), data, bss (.bss + .uninit).
        read -r text data bss _ < <(llvm-size -B "$elf" | awk 'NR == 2 { print $1, $2, $3 }')
        printf '%-14s %-11s %9d %9d\n' "$board" "$app" $((text + data)) $((data + bss)) >>"$sizes"
    done
done
cat "$sizes"

printf '\n== summary\n'
printf '%s\n' "${results[@]}"
# One check per lint, build and run step; a step can fail more than one way, so count the
# steps that failed.
failed_steps=$(printf '%s\n' "${failures[@]}" | sed 's/:.*//' | sort -u | grep -c . || true)
if [ ${#failures[@]} -gt 0 ]; then
    echo "failures:"
    printf '  %s\n' "${failures[@]}"
fi
echo "firmware: $((checks - failed_steps)) passed, $failed_steps failed"
[ ${#failures[@]} -eq 0 ]

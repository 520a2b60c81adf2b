#!/usr/bin/env bash
# An ensemble campaign on a real scheduler: install Slurm from Debian on this one machine, run
# examples/slurm/ensemble.sbatch as a 4-task array job (one `--shard i/4` per task), interrupt
# one task midway, let Slurm run it again with --resume, merge the shards, and check the result
# is byte-identical to a single run.
#
#   sudo bash scripts/slurm-test.sh          # root: installs packages, starts daemons
#   sudo bash scripts/slurm-test.sh --keep   # keep the work directory (logs, shards) on success
#
# Steps (each one timed, the times printed at the end):
#   1. apt-get install slurmctld slurmd slurm-client munge (skipped when already installed);
#   2. cargo build --release -p larmor-host --locked;
#   3. munged (key created if missing; reused if already running), then a single-node cluster
#      (slurmctld, slurmd; no systemd) whose configuration, state and logs live in the work
#      directory below; waits until the node is idle;
#   4. the reference: one `larmor ensemble` run of examples/mram_switching.toml, 800 trials,
#      seed 7 -> ref.csv, ref.csv.meta, ref.json (the idle daemons take no CPU from it);
#   5. sbatch examples/slurm/ensemble.sbatch (tasks 0..3 -> shard-i.csv); as soon as task 1
#      has saved 64 trials it gets SIGINT (scancel --signal=INT), and must stop with its
#      finished trials kept in shard-1.csv.part (more than 0, fewer than its 200), exit code
#      130; then `scontrol requeue` puts it back in the queue (its start time is set to now:
#      Slurm would otherwise hold a requeued job for about two minutes), it runs again with
#      --resume and computes only the trials it lacks; every task must end COMPLETED;
#   6. larmor merge of the four shards -> merged.csv, merged.csv.meta, merged.json, compared
#      with `cmp` against the reference's three files.
# The daemons this script started are stopped on exit (munged too, if it started it). Work
# directory: ${TMPDIR:-/tmp}/larmor-slurm-test (wiped at the start; a failed run keeps it
# for its logs). Exits non-zero with a message naming the failed check. About a minute once
# the packages and the release build exist.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${TMPDIR:-/tmp}/larmor-slurm-test
TRIALS=800
SEED=7
SHARDS=4
VICTIM=1        # the array task that is interrupted and requeued
KILL_AT=64      # ... once it has saved this many trials
SCENARIO=$ROOT/examples/mram_switching.toml
SBATCH_FILE=$ROOT/examples/slurm/ensemble.sbatch

keep=0
for arg in "$@"; do
    case $arg in
        --keep) keep=1 ;;
        -h|--help) sed -n '2,31p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "slurm-test.sh: unknown argument $arg" >&2; exit 2 ;;
    esac
done
if [ "$(id -u)" -ne 0 ]; then
    echo "slurm-test.sh: run as root (it installs packages and starts slurmctld, slurmd, munged)" >&2
    exit 2
fi

say() { printf '[slurm-test %s] %s\n' "$(date -u +%T)" "$*"; }
fail() {
    printf '[slurm-test %s] FAILED: %s\n' "$(date -u +%T)" "$*" >&2
    exit 1
}

# --- phase timings -------------------------------------------------------------------------
PHASES=()
TIMES=()
T_START=$(date +%s.%N)
t_phase=$T_START
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { print b - a }'; }
phase() { # phase NAME: start timing NAME
    t_phase=$(date +%s.%N)
    PHASES+=("$1")
    say "== $1"
}
phase_end() {
    TIMES+=("$(since "$t_phase")")
}
report_times() {
    local i
    echo "phase timings (s):"
    for i in "${!TIMES[@]}"; do
        printf '  %-44s %7.1f\n' "${PHASES[$i]}" "${TIMES[$i]}"
    done
    printf '  %-44s %7.1f\n' "total" "$(since "$T_START")"
}

# --- daemons started here, stopped on exit -------------------------------------------------
STATE=$WORK/slurm
started_munged=0
ok=0
stop_pidfile() { # stop_pidfile FILE NAME: stop the daemon whose pid FILE holds, if it is NAME
    local pid
    [ -f "$1" ] || return 0
    pid=$(cat "$1" 2>/dev/null || true)
    if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" = "$2" ]; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do
            [ -d "/proc/$pid" ] || break
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$1"
}
stop_slurm() {
    # every job of this test cluster cancelled (none outlives it: a stale job step would report
    # to the next run's daemons, whose job ids start at 1 again), then slurmctld stops itself
    # and slurmd (quicker and cleaner than signals), then the pid files make sure of it
    if [ -f "$STATE/slurmctld.pid" ] && [ -f "$STATE/slurm.conf" ]; then
        local jobs
        jobs=$(SLURM_CONF=$STATE/slurm.conf squeue -h -o %A 2>/dev/null | sort -u || true)
        if [ -n "$jobs" ]; then
            # shellcheck disable=SC2086 # one job id per word
            SLURM_CONF=$STATE/slurm.conf scancel $jobs 2>/dev/null || true
            for _ in $(seq 150); do
                [ -z "$(SLURM_CONF=$STATE/slurm.conf squeue -h -o %A 2>/dev/null)" ] && break
                sleep 0.1
            done
        fi
        SLURM_CONF=$STATE/slurm.conf scontrol shutdown >/dev/null 2>&1 || true
    fi
    stop_pidfile "$STATE/slurmd.pid" slurmd
    stop_pidfile "$STATE/slurmctld.pid" slurmctld
}
cleanup() {
    local rc=$?
    set +e
    if [ "${#TIMES[@]}" -lt "${#PHASES[@]}" ]; then
        phase_end
    fi
    phase "stop the daemons"
    stop_slurm
    if [ "$started_munged" = 1 ]; then
        munged --stop >/dev/null 2>&1
    fi
    phase_end
    report_times
    if [ "$ok" = 1 ] && [ "$keep" = 0 ]; then
        rm -rf "$WORK"
    fi
    if [ "$ok" = 1 ]; then
        say "PASSED: the merged shards are byte-identical to the single run"
    else
        say "logs kept in $WORK" >&2
        [ "$rc" -ne 0 ] || rc=1
    fi
    exit "$rc"
}
# one run at a time: two would share the work directory, ports and daemons
exec 9>"${TMPDIR:-/tmp}/larmor-slurm-test.lock"
if ! flock -n 9; then
    echo "slurm-test.sh: another run is in progress (lock ${TMPDIR:-/tmp}/larmor-slurm-test.lock)" >&2
    exit 2
fi
trap cleanup EXIT
trap 'exit 130' INT TERM

# a previous run of this script killed before its clean-up: stop its daemons (by their pid
# files), then start from an empty work directory
stop_slurm
rm -rf "$WORK"
mkdir -p "$WORK/run/shards" "$STATE"

# --- 1. packages ---------------------------------------------------------------------------
phase "install slurmctld slurmd slurm-client munge"
PKGS=(slurmctld slurmd slurm-client munge)
installed() {
    local p
    for p in "${PKGS[@]}"; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -qx 'install ok installed' || return 1
    done
}
if installed; then
    say "already installed: $(dpkg-query -W -f='${Package} ${Version}, ' "${PKGS[@]}")"
else
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # the packages' own services start only where /etc/slurm/slurm.conf exists (the systemd
    # units' ConditionPathExists; the init scripts exit 0 without it): this script writes its
    # configuration elsewhere (SLURM_CONF) and starts the daemons itself
    apt-get install -y -q "${PKGS[@]}"
fi
for c in slurmctld slurmd sbatch squeue scontrol scancel sinfo munged munge unmunge; do
    command -v "$c" >/dev/null || fail "$c not found after installing ${PKGS[*]}"
done
phase_end

# --- 2. build ------------------------------------------------------------------------------
phase "cargo build --release -p larmor-host"
(cd "$ROOT" && cargo build --release -p larmor-host --locked)
LARMOR=${CARGO_TARGET_DIR:-$ROOT/target}/release/larmor
[ -x "$LARMOR" ] || fail "no binary at $LARMOR"
phase_end

RUN=$WORK/run

# --- 3. munge and a one-node cluster -------------------------------------------------------
phase "start munged, slurmctld, slurmd"
if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    say "munged already running: reused"
else
    if [ ! -s /etc/munge/munge.key ]; then
        say "creating /etc/munge/munge.key"
        install -d -o munge -g munge -m 0700 /etc/munge
        if command -v mungekey >/dev/null; then
            runuser -u munge -- mungekey --create --keyfile=/etc/munge/munge.key
        else
            dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
        fi
        chown munge:munge /etc/munge/munge.key
        chmod 0400 /etc/munge/munge.key
    fi
    install -d -o munge -g munge -m 0755 /run/munge
    install -d -o munge -g munge -m 0700 /var/log/munge /var/lib/munge
    runuser -u munge -- /usr/sbin/munged
    started_munged=1
    for _ in $(seq 50); do
        munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break
        sleep 0.1
    done
    munge -n | unmunge >/dev/null || fail "munged does not answer"
fi

NODE=$(hostname -s)
export SLURM_CONF=$STATE/slurm.conf
cat >"$SLURM_CONF" <<EOF
# single-node test cluster of scripts/slurm-test.sh
ClusterName=larmortest
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
SlurmctldPort=16817
SlurmdPort=16818
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/spool
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$STATE/slurmctld.log
SlurmdLogFile=$STATE/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/linear
SchedulerType=sched/builtin
SwitchType=switch/none
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
ReturnToService=2
JobRequeue=1
# the node as configured here, whatever hardware slurmd detects
SlurmdParameters=config_overrides
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:$SHARDS
EOF
mkdir -p "$STATE/ctld" "$STATE/spool"
slurmctld || fail "slurmctld did not start (see $STATE/slurmctld.log)"
slurmd || fail "slurmd did not start (see $STATE/slurmd.log)"
node_state=
deadline=$((SECONDS + 60))
while ((SECONDS < deadline)); do
    node_state=$(timeout 10 sinfo -h -n "$NODE" -o %T 2>/dev/null || true)
    [ "$node_state" = idle ] && break
    sleep 0.2
done
[ "$node_state" = idle ] || fail "node $NODE is '${node_state:-not known}', not idle, after 60 s (logs in $STATE)"
sinfo
phase_end

# --- 4. reference --------------------------------------------------------------------------
phase "reference: one run of $TRIALS trials"
(cd "$RUN" && "$LARMOR" ensemble "$SCENARIO" --trials "$TRIALS" --seed "$SEED" \
    --out ref.csv --summary ref.json)
phase_end

# --- 5. the array job, one task interrupted and requeued -----------------------------------
task_field() { # task_field TASKID KEY: a field of `scontrol show job` for one array task
    timeout 10 scontrol -o show job "$1" 2>/dev/null | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n1
}
rows_in() { # rows_in FILE: complete trial lines after the header (0 if missing)
    if [ -f "$1" ]; then
        echo $(($(wc -l <"$1") - 1))
    else
        echo 0
    fi
}

phase "array job: $SHARDS shards until task $VICTIM has $KILL_AT trials"
SHARD_TRIALS=$((TRIALS * (VICTIM + 1) / SHARDS - TRIALS * VICTIM / SHARDS))
JOB=$(cd "$RUN" && sbatch --parsable --array=0-$((SHARDS - 1)) \
    --output="$RUN/slurm-%A_%a.out" \
    --export=ALL,LARMOR="$LARMOR",SCENARIO="$SCENARIO",TRIALS=$TRIALS,SEED=$SEED,SHARDS=$SHARDS,OUTDIR="$RUN/shards" \
    "$SBATCH_FILE")
JOB=${JOB%%;*}
say "submitted array job $JOB"
VPART=$RUN/shards/shard-$VICTIM.csv.part
deadline=$((SECONDS + 60))
while ((SECONDS < deadline)); do
    [ "$(rows_in "$VPART")" -ge "$KILL_AT" ] && break
    [ -f "$RUN/shards/shard-$VICTIM.csv" ] && fail "task $VICTIM finished before it could be interrupted"
    sleep 0.05
done
[ "$(rows_in "$VPART")" -ge "$KILL_AT" ] || fail "task $VICTIM did not save $KILL_AT trials in 60 s (state: $(task_field "${JOB}_$VICTIM" JobState))"
phase_end

phase "interrupt task $VICTIM (scancel --signal=INT)"
scancel --signal=INT "${JOB}_$VICTIM"
vstate=
deadline=$((SECONDS + 60))
while ((SECONDS < deadline)); do
    vstate=$(task_field "${JOB}_$VICTIM" JobState)
    case $vstate in RUNNING|COMPLETING|PENDING|"") sleep 0.1 ;; *) break ;; esac
done
vexit=$(task_field "${JOB}_$VICTIM" ExitCode)
say "task $VICTIM: $vstate, exit code $vexit"
[[ $vstate = FAILED && $vexit = 130:0 ]] ||
    fail "task $VICTIM after SIGINT: $vstate exit $vexit, expected FAILED exit 130:0 (the interrupted run's code)"
[ -f "$VPART" ] || fail "task $VICTIM left no partial file $VPART"
[ ! -e "$RUN/shards/shard-$VICTIM.csv" ] || fail "task $VICTIM completed its shard despite SIGINT"
kept=$(rows_in "$VPART")
((kept > 0 && kept < SHARD_TRIALS)) ||
    fail "the interrupted shard keeps $kept trials: expected more than 0 and fewer than $SHARD_TRIALS"
say "task $VICTIM interrupted with $kept of $SHARD_TRIALS trials saved in $VPART"
phase_end

phase "requeue task $VICTIM, all tasks to complete"
vend=$(date -d "$(task_field "${JOB}_$VICTIM" EndTime)" +%s 2>/dev/null || date +%s)
scontrol requeue "${JOB}_$VICTIM"
# Slurm holds a requeued job back (its BeginTime two minutes ahead). Starting it at once fails
# when the launch falls in the second its first run ended: slurmd takes the new credential for
# the revoked one ("Job N already killed, do not launch batch job"; the task fails, exit code
# 1). So: wait until two seconds after the first run's end, then start it now.
while [ "$(date +%s)" -lt $((vend + 2)) ]; do
    sleep 0.1
done
scontrol update JobId="${JOB}_$VICTIM" StartTime=now
deadline=$((SECONDS + 300))
while ((SECONDS < deadline)); do
    [ -z "$(timeout 10 squeue -h -j "$JOB" -o %i 2>/dev/null)" ] && break
    sleep 0.1
done
[ -z "$(squeue -h -j "$JOB" -o %i)" ] || fail "array job $JOB still queued or running after 300 s"
for i in $(seq 0 $((SHARDS - 1))); do
    st=$(task_field "${JOB}_$i" JobState)
    [ "$st" = COMPLETED ] || fail "task $i ended $st (exit $(task_field "${JOB}_$i" ExitCode)); see $RUN/slurm-${JOB}_$i.out"
done
restarts=$(task_field "${JOB}_$VICTIM" Restarts)
[ "$restarts" = 1 ] || fail "task $VICTIM restarted $restarts times, expected once"
grep -q "resuming .* $kept of $SHARD_TRIALS trials already done" "$RUN/slurm-${JOB}_$VICTIM.out" ||
    fail "task $VICTIM did not resume from its $kept saved trials (see $RUN/slurm-${JOB}_$VICTIM.out)"
for i in $(seq 0 $((SHARDS - 1))); do
    say "task $i: $(task_field "${JOB}_$i" StartTime | cut -dT -f2) .. $(task_field "${JOB}_$i" EndTime | cut -dT -f2), restarts $(task_field "${JOB}_$i" Restarts)"
done
say "task $VICTIM log (both runs):"
sed 's/^/    /' "$RUN/slurm-${JOB}_$VICTIM.out"
phase_end

# --- 6. merge and compare ------------------------------------------------------------------
phase "merge the shards, compare with the reference"
shards=()
for i in $(seq 0 $((SHARDS - 1))); do
    shards+=("shards/shard-$i.csv")
done
(cd "$RUN" && "$LARMOR" merge "${shards[@]}" --out merged.csv --summary merged.json)
for pair in "ref.csv merged.csv" "ref.json merged.json" "ref.csv.meta merged.csv.meta"; do
    read -r a b <<<"$pair"
    cmp "$RUN/$a" "$RUN/$b" ||
        fail "$b differs from the single run's $a (both in $RUN)"
    say "$b == $a ($(wc -c <"$RUN/$a") bytes, identical)"
done
phase_end
ok=1

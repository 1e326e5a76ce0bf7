#!/usr/bin/env bash
# A one-node Slurm cluster on localhost for the cluster tests (and for trying the slurm backend by hand): munged,
# slurmctld and slurmd in the foreground of background jobs (no systemd), everything under one folder: a generated
# munge key, slurm.conf (CPUS cpus, default 2), state, spool, logs and pid files. Ports are picked free.
#
#   bash scripts/local-slurm.sh start DIR [CPUS]   # prints the SLURM_CONF line to export; waits until the node is idle
#   bash scripts/local-slurm.sh stop DIR           # kills exactly the daemons that start recorded (by pid), cancels jobs
#
# Needs root (slurmd runs jobs as their user) and the packages scripts/setup.sh installs (slurm-wlm, munge).
set -euo pipefail
cmd="${1:-}"; dir="${2:-}"
[ -n "$cmd" ] && [ -n "$dir" ] || { sed -n '2,9p' "$0"; exit 2; }

stop() {
  [ -d "$dir" ] || return 0
  if [ -f "$dir/slurm.conf" ] && command -v scancel >/dev/null; then
    SLURM_CONF="$dir/slurm.conf" timeout 5 scancel --quiet --user="$(id -un)" 2>/dev/null || true
  fi
  for name in slurmd slurmctld munged; do
    f="$dir/$name.pid"
    [ -f "$f" ] || continue
    pid="$(cat "$f")"
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
  done
  # Job steps slurmd started and that outlived it (slurmstepd): found by the spool folder they were given.
  for p in $(pgrep -f "slurmstepd" 2>/dev/null || true); do
    grep -qs "$dir" "/proc/$p/cmdline" "/proc/$p/environ" 2>/dev/null && kill -9 "$p" 2>/dev/null || true
  done
  return 0
}

# A port nothing listens on (bash's /dev/tcp connects only when something does).
free_port() {
  local p
  while :; do
    p=$(( 20000 + RANDOM % 40000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

start() {
  for b in munged mungekey slurmctld slurmd sbatch squeue; do
    command -v "$b" >/dev/null || { echo "local-slurm: $b not found (bash scripts/setup.sh installs slurm-wlm and munge)" >&2; exit 3; }
  done
  cpus="${3:-2}"
  mkdir -p "$dir"/{munge,state,spool,logs}
  chmod 700 "$dir" "$dir/munge"
  dir="$(cd "$dir" && pwd)"
  trap 'stop' ERR
  [ -f "$dir/munge/munge.key" ] || mungekey --create --keyfile="$dir/munge/munge.key" 2>/dev/null
  chmod 600 "$dir/munge/munge.key"
  munged --foreground --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
    --pid-file="$dir/munge/munged.pidfile" --log-file="$dir/logs/munged.log" --seed-file="$dir/munge/seed" \
    > "$dir/logs/munged.out" 2>&1 &
  echo $! > "$dir/munged.pid"
  for _ in $(seq 1 100); do [ -S "$dir/munge/munge.socket" ] && break; sleep 0.1; done
  [ -S "$dir/munge/munge.socket" ] || { echo "local-slurm: munged did not start (see $dir/logs/munged.log)" >&2; stop; exit 3; }
  host="$(hostname -s)"
  mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
  cat > "$dir/slurm.conf" <<CONF
ClusterName=averlab-local
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/state/slurmctld.pidfile
SlurmdPidFile=$dir/spool/slurmd.pidfile
SlurmctldLogFile=$dir/logs/slurmctld.log
SlurmdLogFile=$dir/logs/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MinJobAge=3600
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$dir/slurm.conf"
  slurmctld -D -i -f "$SLURM_CONF" > "$dir/logs/slurmctld.out" 2>&1 &
  echo $! > "$dir/slurmctld.pid"
  slurmd -D -f "$SLURM_CONF" -N "$host" > "$dir/logs/slurmd.out" 2>&1 &
  echo $! > "$dir/slurmd.pid"
  for _ in $(seq 1 300); do
    state="$(sinfo -h -o %t 2>/dev/null || true)"
    [ "$state" = "idle" ] && break
    sleep 0.2
  done
  if [ "${state:-}" != "idle" ]; then
    echo "local-slurm: the node did not become idle (state '${state:-none}'; see $dir/logs)" >&2
    stop; exit 3
  fi
  trap - ERR
  echo "SLURM_CONF=$SLURM_CONF"
}

case "$cmd" in
  start) start "$@" ;;
  stop) stop ;;
  *) echo "local-slurm: unknown command '$cmd' (start or stop)" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# batch over a real Slurm cluster (issue #26 point 6): starts a throw-away single-node Slurm (munged,
# slurmctld, slurmd from Debian's munge and slurm-wlm, configuration, key, state and logs in a temporary
# folder, in a private network namespace that has only the loopback interface) and runs the README's job
# array: 2 tasks, each `batch protect --shard $((SLURM_ARRAY_TASK_ID+1))/2` over one folder of 6 images into
# one output folder. The union of the outputs is every input exactly once, each recovers bit-exactly, and
# the same array again with --resume does nothing. Everything is stopped and removed at the end.
# Exit 77 (ctest: skipped) with the reason when this machine cannot run a Slurm node; never passes without.
# Usage: slurm_array.sh MEDVEIL_CLI CORPUS_DIR
set -uo pipefail
cli=$(realpath "$1")
corpus=$(realpath "$2")
work=
skip() { echo "slurm_array: SKIPPED: $*"; exit 77; }
fail() { echo "slurm_array: $*"; [[ -n $work ]] && for f in "$work"/log/*.log; do [[ -f $f ]] && { echo "--- $f"; tail -20 "$f"; }; done; exit 1; }

# Re-run inside a private network namespace: the daemons' ports exist on its loopback interface only.
if [[ -z ${MEDVEIL_SLURM_NETNS:-} ]]; then
  [[ $(id -u) == 0 ]] || skip "slurmd runs as root here (it starts jobs as their user); run the test as root"
  for tool in munged mungekey slurmctld slurmd sbatch squeue scontrol unshare ip; do
    command -v "$tool" > /dev/null || skip "$tool is missing (packaging/install-deps.sh installs munge and slurm-wlm)"
  done
  unshare --net true 2> /dev/null || skip "cannot create a network namespace (unshare --net) to keep Slurm on loopback"
  MEDVEIL_SLURM_NETNS=1 exec unshare --net "$0" "$@"
fi
# Slurm resolves its listening address with getaddrinfo(AF_INET, AI_ADDRCONFIG), which finds nothing where
# 127.0.0.1 is the only IPv4 address: a link-local address on the same loopback interface (still nothing
# outside this namespace can reach it).
ip link set lo up && ip addr add 169.254.199.1/32 dev lo || skip "cannot configure loopback in the namespace"

work=$(mktemp -d /tmp/medveil-slurm.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2> /dev/null
  done
  [[ -n ${MEDVEIL_SLURM_KEEP:-} ]] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work"/{log,state,spool,in,out,job}
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# munge: a key made here, its own socket, pid, seed and log files.
mungekey --create --keyfile="$work/munge.key" > /dev/null 2>&1 || fail "mungekey"
chmod 400 "$work/munge.key"
munged --foreground --force --key-file="$work/munge.key" --socket="$work/munge.sock" --pid-file="$work/munged.pid" \
  --seed-file="$work/munge.seed" --log-file="$work/log/munged.log" > "$work/log/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [[ -S $work/munge.sock ]] && break; sleep 0.1; done
[[ -S $work/munge.sock ]] || fail "munged did not start: $(cat "$work/log/munged.out")"

ctld_port=$(free_port)
slurmd_port=$(free_port)
while [[ $slurmd_port == "$ctld_port" ]]; do slurmd_port=$(free_port); done
cores=$(nproc)
cat > "$work/slurm.conf" <<CONF
ClusterName=medveiltest
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge.sock
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cores State=UNKNOWN
PartitionName=medveil Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$work/slurm.conf
slurmctld -D -i -f "$SLURM_CONF" > "$work/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -N localhost -f "$SLURM_CONF" > "$work/log/slurmd.out" 2>&1 &
slurmd_pid=$!
pids+=($slurmd_pid)
ready=0
for _ in $(seq 150); do
  if ! kill -0 "$slurmd_pid" 2> /dev/null; then
    skip "slurmd cannot run here: $(tail -5 "$work/log/slurmd.out" "$work/log/slurmd.log" 2> /dev/null | tr '\n' ' ')"
  fi
  state=$(scontrol show node localhost 2> /dev/null | grep -o 'State=[A-Z+_]*')
  [[ $state == State=IDLE* ]] && { ready=1; break; }
  sleep 0.2
done
((ready)) || skip "the Slurm node did not become idle in 30 s ($state): $(tail -5 "$work/log/slurmctld.log" "$work/log/slurmd.log" 2> /dev/null | tr '\n' ' ')"

# The data: 6 real images, a key pair.
"$cli" keygen --private "$work/priv.pem" --public "$work/pub.pem" > /dev/null 2>&1 || fail keygen
for f in mri_colin_axial_z130_512 mri_colin_axial_z160_512 camera_512 ct_small_512_16 mr_small_512_16 \
  mri_natbrainlab_axial_z80_512; do
  cp "$corpus/$f.png" "$work/in/"
done
# The README's job array.
cat > "$work/job/protect.sbatch" <<JOB
#!/bin/bash
#SBATCH --array=0-1
#SBATCH --cpus-per-task=1
#SBATCH --output=$work/job/task_%a.out
"$cli" batch protect "$work/in" "$work/out" --public "$work/pub.pem" --jobs \${SLURM_CPUS_PER_TASK:-1} \\
  --shard \$((SLURM_ARRAY_TASK_ID + 1))/2 --manifest "$work/job/manifest_\${SLURM_ARRAY_TASK_ID}\${RESUME:+_resume}.jsonl" \${RESUME:+--resume}
echo \$? > "$work/job/rc_\${SLURM_ARRAY_TASK_ID}\${RESUME:+_resume}"
JOB
run_array() { # run_array [RESUME]: submits the array and waits for both tasks
  local id
  id=$(RESUME=${1:-} sbatch --parsable --export=ALL "$work/job/protect.sbatch" 2>&1) || fail "sbatch: $id"
  id=${id%%;*}
  for _ in $(seq 600); do
    [[ -z $(squeue -h -j "$id" 2> /dev/null) ]] && return 0
    sleep 0.2
  done
  fail "the array $id did not finish in 120 s: $(squeue -j "$id")"
}
run_array
for t in 0 1; do
  [[ -f $work/job/rc_$t ]] || fail "task $t did not run: $(cat "$work/job/task_$t.out" 2> /dev/null)"
  [[ $(cat "$work/job/rc_$t") == 0 ]] || fail "task $t failed: $(cat "$work/job/task_$t.out")"
done
/usr/bin/python3 - "$work" <<'PY' || fail "the two tasks did not cover every input exactly once"
import json, os, sys
work = sys.argv[1]
rows = [json.loads(l) for t in (0, 1) for l in open(f"{work}/job/manifest_{t}.jsonl")]
names = sorted(os.path.basename(r["input"]) for r in rows)
assert names == sorted(os.listdir(work + "/in")), names
assert all(r["status"] == "ok" for r in rows), rows
assert sorted(os.listdir(work + "/out")) == names, os.listdir(work + "/out")
for t in (0, 1):
    assert sum(1 for _ in open(f"{work}/job/manifest_{t}.jsonl")) > 0, f"task {t} had nothing (a 6-file split)"
PY
"$cli" batch recover "$work/out" "$work/rec" --private "$work/priv.pem" > /dev/null 2>&1 || fail "batch recover"
for f in "$work"/in/*.png; do
  "$cli" metrics "$f" "$work/rec/$(basename "$f")" --json | grep -q '"psnr": "inf"' ||
    fail "$(basename "$f") does not recover bit-exactly"
done
before=$(sha256sum "$work"/out/* | sort)
run_array resume
for t in 0 1; do
  [[ $(cat "$work/job/rc_${t}_resume" 2> /dev/null) == 0 ]] || fail "resumed task $t failed: $(cat "$work/job/task_$t.out")"
done
cat "$work"/job/manifest_[01]_resume.jsonl | grep -v '"status":"skipped"' && fail "a rerun with --resume did something"
[[ $(cat "$work"/job/manifest_[01]_resume.jsonl | wc -l) == 6 ]] || fail "the resumed array did not check every file"
[[ $(sha256sum "$work"/out/* | sort) == "$before" ]] || fail "a rerun with --resume changed an output"
echo "slurm_array: a 2-task Slurm array (slurm $(slurmctld -V | cut -d' ' -f2), loopback only) protected 6 images, each once; all recover bit-exactly; --resume rerun did nothing"

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Patient data never leak into what MedVeil writes besides its outputs: stdout/stderr of every CLI
# command, the GUI's settings and recent-file list, and the temporary folder (left empty). The patient
# identity of pydicom's CT_small.dcm is the probe.
# Usage: privacy_hygiene.sh MEDVEIL_CLI MEDVEIL_GUI
set -uo pipefail
cli=$1
gui=$2
ct=/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "privacy_hygiene: $*"; exit 1; }
mkdir -p "$work/tmp" "$work/config" "$work/out"
mkdir -p "$work/runtime" && chmod 700 "$work/runtime"
export TMPDIR=$work/tmp XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/runtime MEDVEIL_PROGRESS=1
probes=("CompressedSamples" "1CT1" "ABCD1234" "JFK IMAGING" "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322")
log=$work/log.txt
{
  "$cli" keygen --private "$work/priv.pem" --public "$work/pub.pem"
  "$cli" protect "$ct" "$work/out/p.dcm" --public "$work/pub.pem" --json
  "$cli" inspect "$work/out/p.dcm" --json
  "$cli" recover "$work/out/p.dcm" "$work/out/r.dcm" --private "$work/priv.pem" --json
  printf 'Note.\n' > "$work/note.txt"
  "$cli" emr-seal --image "$ct" --emr "$work/note.txt" "$work/out/s.dcm" --public "$work/pub.pem" --json
  "$cli" emr-open "$work/out/s.dcm" --private "$work/priv.pem" --emr-out "$work/out/e.txt" --image-out "$work/out/o.dcm" --json
  mkdir -p "$work/series" && cp "$ct" "$work/series/"
  "$cli" batch protect "$work/series" "$work/out/batch" --public "$work/pub.pem" --json
  "$cli" recover "$ct" "$work/out/x.dcm" --private "$work/priv.pem"          # an error path
  "$cli" emr-open "$work/out/s.dcm" --private "$work/pub.pem" --emr-out "$work/out/f.txt" --image-out "$work/out/f.dcm"
  QT_QPA_PLATFORM=offscreen "$gui" --screenshot "$work/out/gui.png" "$ct"
} > "$log" 2>&1
for probe in "${probes[@]}"; do
  ! grep -qaF -- "$probe" "$log" || fail "'$probe' printed by a command: $(grep -aF -- "$probe" "$log" | head -2)"
  ! grep -rqaF -- "$probe" "$work/config" || fail "'$probe' stored in the settings"
done
[[ -s $work/out/gui.png ]] || fail "the GUI did not run"
[[ -z $(ls -A "$work/tmp") ]] || fail "temporary files left: $(ls -A "$work/tmp")"
# The outputs that do hold patient data are owner-only.
for f in "$work/out/e.txt" "$work/out/o.dcm" "$work/priv.pem"; do
  [[ $(stat -c %a "$f") == 600 ]] || fail "$f is not owner-only ($(stat -c %a "$f"))"
done
# Interrupted while writing (gdb stops each command at a chosen call and sends SIGINT). The temporaries
# holding the outputs have no name (O_TMPFILE: nothing in the folder, a SIGKILL leaves nothing readable),
# are owner-only, and all exist before the first one is linked into place. SIGINT while they are written:
# the process ends by the signal and nothing appears; SIGINT at the commit: it is held, the commit completes
# and the command exits 0 with every output (interrupted_outputs.py tries every instant).
command -v gdb > /dev/null || fail "gdb missing (packaging/install-deps.sh installs it)"
interrupt() { # interrupt CALL OUT_DIR ARGS...: run the CLI, SIGINT at its first CALL, note the temporaries
  local call=$1 dir=$2; shift 2
  mkdir -p "$dir"
  timeout 300 gdb -q -batch -ex 'set pagination off' -ex 'handle SIGINT nostop pass' -ex "break $call" -ex run \
    -ex "python import os; fd = '/proc/%d/fd/' % gdb.selected_inferior().pid; open('$dir.modes', 'w').write(''.join('%o %s\n' % (os.stat(fd + n).st_mode & 0o777, os.readlink(fd + n)) for n in os.listdir(fd) if os.readlink(fd + n).startswith('$dir/')))" \
    -ex "shell ls -A $dir > $dir.named" -ex delete -ex 'signal SIGINT' --args "$cli" "$@" > "$dir.gdb" 2>&1
  [[ -s $dir.modes ]] || fail "interrupt $*: no temporary at $call: $(tail -3 "$dir.gdb")"
  ! grep -qv '^600 .*(deleted)$' "$dir.modes" || fail "a temporary is named or not owner-only: $(cat "$dir.modes")"
  [[ ! -s $dir.named ]] || fail "interrupt $*: named files in the folder at $call: $(cat "$dir.named")"
}
interrupt fchmod "$work/int1" recover "$work/out/p.dcm" "$work/int1/r.dcm" --private "$work/priv.pem"
grep -q 'terminated with signal SIGINT' "$work/int1.gdb" || fail "recover: $(tail -3 "$work/int1.gdb")"
[[ -z $(ls -A "$work/int1") ]] || fail "recover interrupted: left behind: $(ls -A "$work/int1")"
interrupt fchmod "$work/int2" protect "$ct" "$work/int2/p.dcm" --public "$work/pub.pem"
grep -q 'terminated with signal SIGINT' "$work/int2.gdb" || fail "protect: $(tail -3 "$work/int2.gdb")"
[[ -z $(ls -A "$work/int2") ]] || fail "protect interrupted: left behind: $(ls -A "$work/int2")"
interrupt linkat "$work/int3" emr-open "$work/out/s.dcm" --private "$work/priv.pem" --emr-out "$work/int3/e.txt" \
  --image-out "$work/int3/o.dcm"
[[ $(wc -l < "$work/int3.modes") == 2 ]] || fail "emr-open did not hold both outputs before linking: $(cat "$work/int3.modes")"
grep -q 'exited normally' "$work/int3.gdb" || fail "emr-open interrupted at the commit: $(tail -3 "$work/int3.gdb")"
cmp -s "$work/note.txt" "$work/int3/e.txt" && [[ -s $work/int3/o.dcm ]] \
  || fail "emr-open interrupted at the commit: outputs incomplete: $(ls -A "$work/int3")"
echo "privacy_hygiene: interrupted writes leave nothing behind (unnamed 0600 temporaries; SIGINT at the commit completes it)"
echo "privacy_hygiene: no patient identity in command output, settings or temporary files; EMR outputs and keys are 0600"

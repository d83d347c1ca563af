#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The output contract at every instant: a medveil-cli command that is interrupted (SIGINT, SIGTERM, SIGHUP,
SIGKILL) or fails at any point either ends with exit 0 and every output complete and valid (a SIGKILL after the commit: killed, with
every output complete and valid), or leaves no output, no temporary file and every file that was there byte-identical.

Interrupts land on chosen system calls (strace's syscall injection, counted on the main thread): the n-th
commit call (link/rename) of emr-open, and seeded random points of the output phase of emr-seal, emr-open
(with --identity-out: the DICOM identity of CT_small), protect and recover, found by a traced calibration
run; then a time-boxed run sends signals after random delays. The numbered checks are the rows of issue 27
that fell on the landed main (6: a failed emr-open deleted a file that existed; an interrupt between the
renames left the record without the image; 7: SIGKILL before the rename left temporaries with patient data;
8: Ctrl+C after the rename gave exit 130 with the output present).

SIGKILL inside the commit itself (between the first and last link of several outputs, a few system calls)
cannot be all-or-nothing: POSIX has no multi-file rename. There each output is complete or absent and a
replaced file is kept complete under a hidden name; the random runs check exactly that.

Usage: interrupted_outputs.py MEDVEIL_CLI [--seeds 1,2,3] [--random-seconds 20]
"""
import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zlib

CT = "/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm"
PATIENT = b"CompressedSamples"  # CT_small's PatientName: must never lie around outside a complete output
COMMIT_CALLS = ("linkat", "link", "rename", "renameat", "renameat2")
TRACED = "openat,write,fsync,fchmod,close,unlink,unlinkat," + ",".join(COMMIT_CALLS)
failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message, flush=True)


# ---- validity of outputs ---------------------------------------------------------------------------------


def png_complete(data):
    """Every chunk's CRC checks, IEND closes it and the image data inflates."""
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return False
    pos, idat = 8, b""
    while pos + 12 <= len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        crc = data[pos + 8 + length:pos + 12 + length]
        if len(body) != length or zlib.crc32(kind + body).to_bytes(4, "big") != crc:
            return False
        if kind == b"IDAT":
            idat += body
        if kind == b"IEND":
            try:
                zlib.decompress(idat)
            except zlib.error:
                return False
            return pos + 12 + length == len(data)
        pos += 12 + length
    return False


def dicom_complete(data):
    import io
    import pydicom
    try:
        ds = pydicom.dcmread(io.BytesIO(data))
        return ds.pixel_array.shape == (ds.Rows, ds.Columns)
    except Exception:
        return False


# ---- scenarios -------------------------------------------------------------------------------------------


class Scenario:
    """A command, its outputs and how each is recognised as complete (bytes of a reference run where the
    output is deterministic, a full structural parse where it is randomised)."""

    def __init__(self, name, make_args, checks):
        self.name, self.make_args, self.checks = name, make_args, checks

    def args(self, out):
        return self.make_args(out)


def scenarios(env):
    w = env["work"]
    return {
        "emr-seal": Scenario("emr-seal", lambda o: ["emr-seal", "--image", CT, "--emr", w + "/note.txt",
                                                    o + "/s.png", "--public", w + "/pub.pem", "--json"],
                             {"s.png": png_complete}),
        "emr-open": Scenario("emr-open", lambda o: ["emr-open", w + "/sealed.dcm", "--private", w + "/priv.pem",
                                                    "--emr-out", o + "/e.txt", "--image-out", o + "/o.dcm",
                                                    "--identity-out", o + "/id.txt", "--json"],
                             {"e.txt": env["ref"]["e.txt"].__eq__, "o.dcm": env["ref"]["o.dcm"].__eq__,
                              "id.txt": env["ref"]["id.txt"].__eq__}),
        "protect": Scenario("protect", lambda o: ["protect", CT, o + "/p.dcm", "--public", w + "/pub.pem",
                                                  "--json"], {"p.dcm": dicom_complete}),
        "recover": Scenario("recover", lambda o: ["recover", w + "/protected.dcm", o + "/r.dcm", "--private",
                                                  w + "/priv.pem", "--json"],
                            {"r.dcm": env["ref"]["r.dcm"].__eq__}),
    }


# ---- running and checking --------------------------------------------------------------------------------


def snapshot(folder):
    files = {}
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        files[name] = open(path, "rb").read() if os.path.isfile(path) and not os.path.islink(path) else None
    return files


def prepare(folder, scenario, replace):
    """A fresh output folder: an unrelated file, and old versions of every output when `replace`."""
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    with open(folder + "/keep.txt", "wb") as f:
        f.write(b"an unrelated file\n")
    if replace:
        for name in scenario.checks:
            with open(folder + "/" + name, "wb") as f:
                f.write(b"the old " + name.encode() + b"\n")
    return snapshot(folder)


def status_of(returncode):
    return "exit %d" % returncode if returncode >= 0 else "killed by " + signal.Signals(-returncode).name


def run_cli(env, args, strace=None, stdout=None, timeout=600):
    command = [env["cli"]] + args
    if strace is not None:
        command = ["strace", "-f", "-qq", "-o", "/dev/null"] + strace + command
    with open(stdout or os.devnull, "wb") as out:
        return subprocess.run(command, stdout=out, stderr=subprocess.DEVNULL, timeout=timeout).returncode


def check(label, scenario, folder, before, returncode, inside_commit_kill=False):
    """The contract after one run; returns True when it holds."""
    after = snapshot(folder)
    problems = []
    targets = scenario.checks
    new_names = sorted(set(after) - set(before) - set(targets))
    complete = not new_names and all(
        after.get(name) is not None and valid(after[name]) for name, valid in targets.items())
    if returncode == -signal.SIGKILL and complete:
        pass  # killed after the commit: nothing can turn that into exit 0, but every output is whole
    elif returncode == 0:
        for name, valid in targets.items():
            if name not in after or after[name] is None or not valid(after[name]):
                problems.append("exit 0 but %s is missing or incomplete" % name)
        if new_names:
            problems.append("exit 0 but left %s" % new_names)
    elif not inside_commit_kill:
        for name in targets:
            if name in before and after.get(name) != before[name]:
                problems.append("%s: the file that was there changed or vanished" % name)
            if name not in before and name in after:
                problems.append("%s present after %s" % (name, status_of(returncode)))
        if new_names:
            problems.append("left behind %s" % new_names)
    else:  # SIGKILL between the first and last link: each output complete or as it was, nothing partial
        contents = [v for v in before.values() if v is not None]
        for name, valid in targets.items():
            if name in after and after[name] != before.get(name) and not valid(after[name]):
                problems.append("%s is neither the old file nor a complete output" % name)
        for name in new_names:
            data = after[name]
            if not name.startswith(".medveil-") or data is None or not (
                    data in contents or any(valid(data) for valid in targets.values())):
                problems.append("left behind %s" % name)
    for name, data in after.items():
        if name != "keep.txt" and name not in targets and data is not None and PATIENT in data \
                and name not in before:
            problems.append("%s holds the patient's name" % name)
    for name, data in before.items():
        if name not in targets and after.get(name) != data:
            problems.append("%s changed" % name)
    if problems:
        fail("%s (%s): %s" % (label, status_of(returncode), "; ".join(problems)))
        return False
    return True


# ---- calibration: where the output phase's system calls are ----------------------------------------------


def calibrate(env, scenario, replace):
    """Runs the scenario once under strace -ff; returns the main thread's system calls of the output phase
    as (name, invocation number of that name, index) and the index range of the commit."""
    folder = env["work"] + "/calibrate"
    prepare(folder, scenario, replace)
    prefix = env["work"] + "/trace"
    for old in os.listdir(env["work"]):
        if old.startswith("trace."):
            os.unlink(env["work"] + "/" + old)
    command = ["strace", "-ff", "-qq", "-o", prefix, "-e", "trace=" + TRACED, env["cli"]] + scenario.args(folder)
    start = time.monotonic()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, timeout=600)
    seconds = time.monotonic() - start
    main = min(int(n.split(".")[1]) for n in os.listdir(env["work"]) if n.startswith("trace."))
    counts, calls = {}, []
    for line in open("%s.%d" % (prefix, main), errors="replace"):
        match = re.match(r"(\w+)\(", line)
        if not match:
            continue
        name = match.group(1)
        counts[name] = counts.get(name, 0) + 1
        calls.append((name, counts[name], line))
    first = next(i for i, c in enumerate(calls) if folder in c[2] and c[0] in ("openat", "linkat", "rename"))
    phase = calls[first:]
    commits = [i for i, c in enumerate(phase) if c[0] in COMMIT_CALLS]
    backups = [i for i, c in enumerate(phase) if c[0] in ("unlink", "unlinkat") and "/.medveil-" in c[2]]
    window = (commits[0], max(commits + backups)) if commits else (0, -1)
    return phase, window, seconds


# ---- the rows of issue 27 --------------------------------------------------------------------------------


def inject(calls, what, when):
    return ["-e", "trace=" + calls, "-e", "inject=%s:%s:when=%d" % (calls, what, when)]


def row6(env):
    sc = env["scenarios"]["emr-open"]
    folder = env["work"] + "/row6"
    # The reproduction: a folder as --image-out, an existing file as --emr-out.
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder + "/dir.png")
    with open(folder + "/notes.txt", "wb") as f:
        f.write(b"notes\n")
    rc = run_cli(env, ["emr-open", env["work"] + "/sealed.dcm", "--private", env["work"] + "/priv.pem",
                       "--emr-out", folder + "/notes.txt", "--image-out", folder + "/dir.png"])
    ok = rc == 2 and sorted(os.listdir(folder)) == ["dir.png", "notes.txt"] and \
        open(folder + "/notes.txt", "rb").read() == b"notes\n"
    if not ok:
        fail("row 6: emr-open with a folder as --image-out: %s, folder now %s" % (status_of(rc),
                                                                                   sorted(os.listdir(folder))))
    # A failure inside the commit: the n-th link/rename fails (EIO), the record's old file must survive.
    for n in range(1, 5):
        before = prepare(folder, sc, replace=False)
        with open(folder + "/e.txt", "wb") as f:
            f.write(b"the old record\n")
        before = snapshot(folder)
        rc = run_cli(env, sc.args(folder), strace=inject(",".join(COMMIT_CALLS), "error=EIO", n))
        ok = check("row 6: commit call %d fails" % n, sc, folder, before, rc) and ok
    # An interrupt between the renames: all three outputs or none.
    for n in range(1, 4):
        before = prepare(folder, sc, replace=False)
        rc = run_cli(env, sc.args(folder), strace=inject(",".join(COMMIT_CALLS), "signal=SIGINT", n))
        ok = check("row 6: SIGINT at commit call %d" % n, sc, folder, before, rc) and ok
    print("row 6 (a failed or interrupted emr-open keeps what was there): " + ("ok" if ok else "FAILED"),
          flush=True)


def row7(env):
    sc = env["scenarios"]["emr-open"]
    folder = env["work"] + "/row7"
    before = prepare(folder, sc, replace=False)
    rc = run_cli(env, sc.args(folder), strace=inject(",".join(COMMIT_CALLS), "signal=SIGKILL", 1))
    ok = rc == -signal.SIGKILL and check("row 7: SIGKILL before the first rename", sc, folder, before, rc)
    if rc != -signal.SIGKILL:
        fail("row 7: the kill did not land (%s)" % status_of(rc))
    print("row 7 (SIGKILL before the commit leaves nothing readable): " + ("ok" if ok else "FAILED"),
          flush=True)


def row8(env):
    sc = env["scenarios"]["emr-seal"]
    folder = env["work"] + "/row8"
    before = prepare(folder, sc, replace=False)
    stdout = env["work"] + "/row8.json"
    # Ctrl+C at the first write of the JSON report: the sealed file is already in place.
    rc = run_cli(env, sc.args(folder), strace=["-P", stdout] + inject("write", "signal=SIGINT", 1), stdout=stdout)
    ok = check("row 8: SIGINT after the commit", sc, folder, before, rc)
    if ok and rc != 0:
        fail("row 8: %s after the commit" % status_of(rc))
        ok = False
    print("row 8 (Ctrl+C after the commit: exit 0, output complete): " + ("ok" if ok else "FAILED"), flush=True)


# ---- seeded random points and the timed run --------------------------------------------------------------


def seeded(env, seeds):
    calibrations = {}
    runs = inside = 0
    for seed in seeds:
        rng = random.Random(seed)
        for name, sc in env["scenarios"].items():
            replace = rng.random() < 0.5
            if (name, replace) not in calibrations:
                calibrations[(name, replace)] = calibrate(env, sc, replace)
            phase, window, _ = calibrations[(name, replace)]
            for sig in ("SIGINT", "SIGKILL"):
                index = rng.randrange(len(phase))
                call, when, _ = phase[index]
                folder = env["work"] + "/seeded"
                before = prepare(folder, sc, replace)
                rc = run_cli(env, sc.args(folder), strace=inject(call, "signal=" + sig, when))
                in_commit = sig == "SIGKILL" and window[0] < index <= window[1]
                inside += in_commit
                runs += 1
                check("seed %d %s%s: %s at %s #%d" % (seed, name, " (replacing)" if replace else "", sig, call,
                                                        when), sc, folder, before, rc, in_commit)
    print("seeded: %d interrupted runs over seeds %s (%d SIGKILLs inside a commit)" % (runs, seeds, inside),
          flush=True)
    return calibrations


def timed(env, seconds, durations):
    seed = int(time.time())
    rng = random.Random(seed)
    deadline = time.monotonic() + seconds
    runs = 0
    while time.monotonic() < deadline:
        name = rng.choice(sorted(env["scenarios"]))
        sc, replace = env["scenarios"][name], rng.random() < 0.5
        sig = rng.choice([signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGKILL])
        delay = rng.uniform(0, 1.2 * durations[name])
        folder = env["work"] + "/timed"
        before = prepare(folder, sc, replace)
        with open(os.devnull, "wb") as null:
            process = subprocess.Popen([env["cli"]] + sc.args(folder), stdout=null, stderr=null)
            time.sleep(delay)
            process.send_signal(sig)
            rc = process.wait(timeout=600)
        runs += 1
        check("timed seed %d run %d %s: %s after %.3f s" % (seed, runs, name, sig.name, delay), sc, folder,
              before, rc)
    print("timed: %d runs in %d s (seed %d)" % (runs, seconds, seed), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("cli")
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--random-seconds", type=int, default=20)
    parser.add_argument("--only", default="", help="comma-separated parts: rows,seeded,timed")
    options = parser.parse_args()
    if not shutil.which("strace"):
        print("interrupted_outputs: strace missing (packaging/install-deps.sh installs it)")
        return 1
    parts = options.only.split(",") if options.only else ["rows", "seeded", "timed"]
    work = tempfile.mkdtemp()
    os.environ["TMPDIR"] = work
    env = {"cli": os.path.abspath(options.cli), "work": work, "ref": {}}
    try:
        w = work
        subprocess.run([env["cli"], "keygen", "--private", w + "/priv.pem", "--public", w + "/pub.pem"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(w + "/note.txt", "wb") as f:
            f.write("Clinical note: follow-up in 6 weeks, contrast allergy (iodine). \u00e9\n".encode())
        quiet = {"check": True, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        subprocess.run([env["cli"], "emr-seal", "--image", CT, "--emr", w + "/note.txt", w + "/sealed.dcm",
                        "--public", w + "/pub.pem"], **quiet)
        subprocess.run([env["cli"], "protect", CT, w + "/protected.dcm", "--public", w + "/pub.pem"], **quiet)
        os.makedirs(w + "/ref")
        subprocess.run([env["cli"], "emr-open", w + "/sealed.dcm", "--private", w + "/priv.pem", "--emr-out",
                        w + "/ref/e.txt", "--image-out", w + "/ref/o.dcm", "--identity-out", w + "/ref/id.txt"],
                       **quiet)
        subprocess.run([env["cli"], "recover", w + "/protected.dcm", w + "/ref/r.dcm", "--private",
                        w + "/priv.pem"], **quiet)
        env["ref"] = snapshot(w + "/ref")
        assert PATIENT in env["ref"]["id.txt"] or PATIENT in env["ref"]["o.dcm"], "no identity to probe"
        env["scenarios"] = scenarios(env)
        if "rows" in parts:
            row6(env)
            row7(env)
            row8(env)
        durations = {}
        if "seeded" in parts:
            seeds = [int(s) for s in options.seeds.split(",") if s]
            for (name, _), (_, _, seconds) in seeded(env, seeds).items():
                durations[name] = seconds
        if "timed" in parts and options.random_seconds > 0:
            for name, sc in env["scenarios"].items():
                if name not in durations:
                    start = time.monotonic()
                    prepare(w + "/timed", sc, False)
                    run_cli(env, sc.args(w + "/timed"))
                    durations[name] = time.monotonic() - start
            timed(env, options.random_seconds, durations)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("interrupted_outputs: %d failure(s)" % len(failures))
        return 1
    print("interrupted_outputs: the output contract held at every interrupt and failure")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The behaviour corpus: runs of ftpsim whose every output must stay the same through refactoring.

Each case runs the binary in a fresh folder and writes one transcript (tests/corpus/expected/NAME.txt):
the command, the exit status, stdout, stderr and every file the run wrote, byte for byte. Paths that
differ between machines (the source tree, the temporary folder) become SRC and OUT. Sweep progress
lines carry wall-clock time, so their elapsed and ETA fields become '*', and the lines between the first and
the last (printed every few seconds, so as many as the machine is slow) are left out; a sweep's journal lists runs in
the order workers finished them (with --jobs 2, not fixed), so its run lines are compared sorted.
The git commit in --version and provenance.csv becomes COMMIT. SimGrid's echo of a --cfg option ("[xbt_cfg/INFO] Configuration change") is left out: the sanitizer
build silences xbt_cfg (it runs SimGrid on thread contexts), and the corpus runs under both.

  corpus.py --ftpsim BUILD/ftpsim            compare every case; exit 1 on any difference
  corpus.py --ftpsim BUILD/ftpsim --record   write the transcripts (a deliberate change of behaviour)
"""
import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
INPUTS = os.path.join(HERE, "inputs")
EXPECTED = os.path.join(HERE, "expected")

SHORT = ["--set", "session.commands=6"]
KB = "SRC/platforms/kb140424.xml"
TWO = "SRC/platforms/two-sites.xml"
MIXED = "SRC/platforms/mixed-fleet.xml"
FLEET = "SRC/experiments/fleet-as400.xml"
E5 = "SRC/platforms/e5-middleboxes.xml"
DEPLOY = "SRC/tests/corpus/inputs/deployment.xml"


def runs():
    """(name, argv after the program name). OUT is the run's output folder."""
    cases = [
        ("kb-default", ["--out", "OUT"]),
        ("kb-default-out-folder", []),
        ("kb-trace", ["--trace", "--out", "OUT"]),
        ("kb-run-explicit-platform", ["run", KB, "--trace", "--out", "OUT"]),
        ("kb-start-600", ["--set", "client.start_port=600", "--set", "session.commands=500", "--out", "OUT"]),
        ("kb-quiet", ["--quiet", "--out", "OUT"]),
        ("two-sites-trace", ["run", TWO, "--trace", "--out", "OUT"]),
        ("mixed-fleet", ["run", MIXED, "--trace", "--out", "OUT"]),
        ("fleet-as400-interval", ["run", FLEET, "--set", "client.sessions=3", "--set", "workload.arrival=interval",
                                  "--set", "workload.interval=0.05", "--set", "session.commands=8", "--out", "OUT"]),
        ("deployment", ["run", KB, DEPLOY, "--trace", "--out", "OUT"]),
        ("deployment-event-loop", ["run", KB, DEPLOY, "--set", "network.control=uncongested", "--set",
                                   "engine.sessions=event-loop", "--trace", "--out", "OUT"]),
        ("cm02", ["--cfg=network/model:CM02", "--trace", "--out", "OUT"] + SHORT),
        ("seed-7-poisson", ["--seed", "7", "--set", "client.sessions=20", "--set", "workload.arrival=poisson",
                            "--set", "workload.rate=50", "--set", "session.commands=5", "--out", "OUT"]),
        ("e5-middleboxes", ["run", E5, "--set", "client.sessions=2", "--set", "middlebox.nat_ports=40000-40002",
                            "--trace", "--out", "OUT"] + SHORT),
        ("e5-middleboxes-strict", ["run", E5, "--set", "middlebox.strict=1", "--trace", "--out", "OUT"] + SHORT),
    ]
    for model in ["as400", "sequential", "rfc6056-1", "rfc6056-2", "rfc6056-3", "rfc6056-4", "rfc6056-5", "fixed",
                  "filezilla"]:
        cases.append((f"client-{model}", ["--set", f"client.model={model}", "--set", "client.sessions=2",
                                          "--trace", "--out", "OUT"] + SHORT))
    for policy in ["nt351", "nt351sp2", "iis4", "rfc2577", "min-port", "pasv-only", "vsftpd", "proftpd",
                   "pure-ftpd", "pyftpdlib", "wu-ftpd", "iis5", "iis7", "filezilla-server", "zos", "netbsd-ftpd"]:
        cases.append((f"policy-{policy}", ["--set", f"server.policy={policy}", "--set", "client.start_port=1020",
                                          "--trace", "--out", "OUT"] + SHORT))
    cases += [
        ("policy-min-port-allow", ["--set", "server.policy=min-port", "--set", "server.allow=1000-1010",
                                   "--set", "server.reject_code=504", "--trace", "--out", "OUT"]),
        ("reaction-retry", ["--set", "client.reaction=retry", "--set", "client.retry_delay=0.01", "--trace",
                            "--out", "OUT"]),
        ("reaction-pasv-fallback", ["--set", "client.reaction=pasv-fallback", "--set", "client.fallback_after=3",
                                    "--trace", "--out", "OUT"]),
        ("reaction-give-up", ["--set", "client.reaction=give-up", "--trace", "--out", "OUT"]),
        ("server-disconnect", ["--set", "server.reaction=disconnect", "--set", "server.disconnect_after=4",
                               "--trace", "--out", "OUT"]),
        ("server-ban", ["--set", "server.reaction=ban", "--set", "client.sessions=4", "--set",
                        "workload.arrival=interval", "--set", "workload.interval=0.2", "--out", "OUT"]),
        ("server-tarpit", ["--set", "server.reaction=tarpit", "--set", "server.tarpit_delay=0.5", "--out", "OUT"]),
        ("time-wait-client-closer", ["--set", "client.model=fixed", "--set", "client.port=5000", "--set",
                                     "tcp.closer=client", "--trace", "--out", "OUT"] + SHORT),
        ("time-wait-server-closer", ["--set", "client.model=fixed", "--set", "client.port=5000", "--trace",
                                     "--out", "OUT"] + SHORT),
        ("host-counter", ["--set", "client.counter=host", "--set", "client.sessions=3", "--trace",
                          "--out", "OUT"] + SHORT),
        ("workload-mix", ["--seed", "3", "--set", "session.mix_list=1", "--set", "session.mix_stor=1", "--set",
                          "session.file_size_dist=exponential", "--set", "session.think_dist=exponential",
                          "--set", "session.think_time=0.1", "--set", "session.commands_dist=geometric",
                          "--set", "client.sessions=3", "--trace", "--out", "OUT"]),
        ("eprt", ["--set", "client.port_command=eprt", "--set", "server.policy=vsftpd", "--trace",
                  "--out", "OUT"] + SHORT),
    ]
    for control in ["shared", "uncongested"]:
        for driver in ["actors", "event-loop"]:
            cases.append((f"two-sites-{control}-{driver}",
                          ["run", TWO, "--set", f"network.control={control}", "--set", f"engine.sessions={driver}",
                           "--set", "client.sessions=3", "--set", "session.commands=10", "--trace",
                           "--out", "OUT"]))
    cases += [
        ("two-sites-loaded-transfers", ["run", TWO, "--set", "network.control=loaded", "--set",
                                        "network.transfers=loaded", "--set", "engine.sessions=event-loop", "--set",
                                        "client.sessions=3", "--set", "session.commands=10", "--trace",
                                        "--out", "OUT"]),
        ("bad-loaded-transfers-on-shared", ["--set", "network.transfers=loaded", "--out", "OUT"]),
    ]
    cases += [
        ("sweep-sessions-trace", ["sweep", "--vary", "client.start_port=1020..1023", "--vary",
                                  "server.policy=nt351,nt351sp2", "--set", "session.commands=5", "--reps", "2",
                                  "--jobs", "1", "--sessions", "--trace", "--out", "OUT"]),
        ("sweep-experiment-platforms", ["sweep", "SRC/tests/corpus/inputs/platforms.ini", "--jobs", "2",
                                        "--out", "OUT"]),
        ("models", ["models"]),
        ("models-one", ["models", "pure-ftpd"]),
        ("params", ["params"]),
        ("params-one", ["params", "client.start_port"]),
        ("version", ["--version"]),
        ("bad-command-near", ["swep", "--out", "OUT"]),
        ("bad-key-near", ["--set", "client.start_prot=1", "--out", "OUT"]),
        ("bad-choice-near", ["--set", "server.policy=nt315sp2", "--out", "OUT"]),
        ("bad-option-near", ["run", "--sed", "3", "--out", "OUT"]),
        ("bad-model-near", ["models", "as40"]),
        ("bad-sweep-key-near", ["sweep", "--vary", "client.strat_port=1,2", "--out", "OUT"]),
        ("params-markdown", ["params", "--markdown"]),
        ("help", ["--help"]),
        ("run-help", ["run", "--help"]),
        ("sweep-help", ["sweep", "--help"]),
        ("probe-help", ["probe", "--help"]),
        ("bad-unknown-key", ["--set", "client.nope=1", "--out", "OUT"]),
        ("bad-value", ["--set", "client.start_port=0", "--out", "OUT"]),
        ("bad-choice", ["--set", "server.policy=nt4", "--out", "OUT"]),
        ("bad-command", ["frobnicate"]),
        ("bad-option", ["run", "--frobnicate", "--out", "OUT"]),
        ("bad-missing-platform", ["run", "SRC/platforms/none.xml", "--out", "OUT"]),
        ("bad-sweep-no-out", ["sweep", "--vary", "client.start_port=1..3"]),
        ("bad-sweep-range", ["sweep", "--vary", "client.start_port=5..3", "--out", "OUT"]),
        ("bad-seed", ["--seed", "x", "--out", "OUT"]),
        ("bad-probe-no-server", ["probe", "--out", "OUT"]),
        ("bad-probe-data-command", ["probe", "--server", "127.0.0.1:9", "--data-command", "LIST", "--out", "OUT"]),
        ("bad-probe-retr-without-file", ["probe", "--server", "127.0.0.1:9", "--data-command", "RETR",
                                         "--out", "OUT"]),
        ("bad-truncated-platform", ["run", "SRC/tests/corpus/inputs/truncated.xml", "--out", "OUT"]),
        ("bad-experiment-file", ["sweep", "SRC/tests/corpus/inputs/bad.ini", "--out", "OUT"]),
        ("bad-missing-deployment", ["run", KB, "SRC/tests/corpus/inputs/none.xml", "--out", "OUT"]),
    ]
    return cases


PROGRESS = re.compile(r"(\d+:)?\d+:\d\d elapsed, ETA [^\n]*")
MIDWAY = re.compile(r"^ftpsim: sweep (\d+)/(\d+) runs done, [^\n]*\n", re.M)
CFG_ECHO = re.compile(r"^\[[0-9.]+\] \[xbt_cfg/INFO\] Configuration change: [^\n]*\n", re.M)


# The git commit ftpsim was built from (--version, provenance.csv) changes with every commit.
COMMIT = re.compile(r"\b[0-9a-f]{40}(-dirty)?\b")


def normalise(text, out):
    text = text.replace(out, "OUT").replace(SRC, "SRC")
    text = MIDWAY.sub(lambda m: m.group(0) if m.group(1) in ("0", m.group(2)) else "", text)
    return COMMIT.sub("COMMIT", CFG_ECHO.sub("", PROGRESS.sub("* elapsed, ETA *", text)))


def transcript(ftpsim, name, args):
    work = tempfile.mkdtemp(prefix="ftpsim-corpus-")
    try:
        out = os.path.join(work, "out")
        argv = [a.replace("OUT", out).replace("SRC", SRC) for a in args]
        proc = subprocess.run([ftpsim] + argv, cwd=work, capture_output=True, timeout=300)
        parts = [f"$ ftpsim {' '.join(args)}\n", f"exit {proc.returncode}\n",
                 "--- stdout\n", normalise(proc.stdout.decode(), out),
                 "--- stderr\n", normalise(proc.stderr.decode(), out)]
        for root, dirs, files in os.walk(work):
            dirs.sort()
            for file in sorted(files):
                path = os.path.join(root, file)
                with open(path, "rb") as f:
                    body = f.read().decode()
                if file == "sweep.journal":
                    head, *lines = body.splitlines(True)
                    body = head + "".join(sorted(lines))
                parts.append(f"--- file {os.path.relpath(path, work)}\n")
                parts.append(normalise(body, out))
        return "".join(parts)
    finally:
        shutil.rmtree(work)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ftpsim", required=True)
    parser.add_argument("--record", action="store_true")
    parser.add_argument("--only", help="run the cases whose name contains this")
    args = parser.parse_args()
    ftpsim = os.path.abspath(args.ftpsim)
    cases = [c for c in runs() if args.only is None or args.only in c[0]]
    os.makedirs(EXPECTED, exist_ok=True)
    passed, failed = 0, 0
    for name, argv in cases:
        got = transcript(ftpsim, name, argv)
        path = os.path.join(EXPECTED, name + ".txt")
        if args.record:
            with open(path, "w") as f:
                f.write(got)
            continue
        with open(path) as f:
            want = f.read()
        if got == want:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {name}: the output differs from tests/corpus/expected/{name}.txt")
            diff = difflib.unified_diff(want.splitlines(True), got.splitlines(True), "expected", "got", n=2)
            sys.stdout.writelines(list(diff)[:60])
    if args.record:
        print(f"recorded {len(cases)} transcripts in {EXPECTED}")
        return 0
    print(f"corpus: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""'ftpsim run' with its progress shown writes the same files, byte for byte, as without.

With progress the engine tells the progress line of every session's end and of every 4,096 data
commands begun; FTPSIM_PROGRESS_INTERVAL=0 prints a line for each. Each scenario runs once with --quiet
(one simgrid_run, no progress) and once so; every CSV file must be identical, the progress lines must be
there, and their last one must count every session and every data command (summary.csv's). A burst
must show its data commands before its first session ends.

  progress_test.py --ftpsim BUILD/ftpsim
"""
import argparse
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
P = os.path.join(SRC, "platforms")

SCENARIOS = {
    "kb-trace": ["--trace"],
    "two-sites": ["run", f"{P}/two-sites.xml", "--trace", "--set", "client.sessions=3"],
    "mixed-fleet": ["run", f"{P}/mixed-fleet.xml", "--trace"],
    "poisson-think": ["--set", "client.sessions=40", "--set", "workload.arrival=poisson", "--set",
                      "workload.rate=20", "--set", "session.think_dist=exponential", "--set", "session.think_time=0.5",
                      "--seed", "7"],
    "ban-tarpit": ["--set", "client.sessions=6", "--set", "server.reaction=ban", "--set", "server.ban_after=3",
                   "--set", "workload.arrival=interval", "--set", "workload.interval=0.3"],
    "event-loop": ["run", f"{P}/two-sites.xml", "--set", "network.control=uncongested", "--set",
                   "engine.sessions=event-loop", "--set", "client.sessions=50", "--trace"],
    "large-restart": ["--set", "client.sessions=1500", "--set", "session.commands=3", "--set",
                      "workload.arrival=poisson", "--set", "workload.rate=300"],
    "no-session": ["--set", "client.sessions=0"],
    # 1,100 sessions at once, 1,000 s apart between commands: all begin their fourth (4,400 data commands
    # in all) before the first ends, at 4,006 s (5,000 sessions at once took 3x longer under ASan)
    "burst": ["--set", "client.sessions=1100", "--set", "session.commands=5", "--set", "session.think_time=1000"],
}
LINE = re.compile(r"^ftpsim: simulated [0-9.]+ s, (\d+)/(\d+) sessions, (\d+) data commands, [0-9:]+ elapsed, "
                  r"ETA [0-9:?]+$")
STRIDE = 4096  # data commands between two progress lines (ENGINE_PROGRESS_COMMANDS)


def summary_data_commands(folder):
    with open(os.path.join(folder, "summary.csv"), newline="") as f:
        return sum(int(row["data_commands"]) for row in csv.DictReader(f))


def files(folder):
    # provenance.csv records the command line, which differs by --quiet alone
    return {name: open(os.path.join(folder, name), "rb").read() for name in sorted(os.listdir(folder))
            if name != "provenance.csv"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ftpsim", required=True)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="ftpsim-progress-")
    failed = 0
    try:
        for name, argv in SCENARIOS.items():
            quiet, shown = os.path.join(work, name + "-quiet"), os.path.join(work, name + "-progress")
            a = subprocess.run([args.ftpsim] + argv + ["--quiet", "--out", quiet], capture_output=True, text=True)
            env = dict(os.environ, FTPSIM_PROGRESS_INTERVAL="0")
            b = subprocess.run([args.ftpsim] + argv + ["--out", shown], capture_output=True, text=True, env=env)
            problems = []
            if a.returncode != 0 or b.returncode != 0:
                problems.append(f"exit {a.returncode}/{b.returncode}: {a.stderr}{b.stderr}")
            else:
                want, got = files(quiet), files(shown)
                for file in sorted(set(want) | set(got)):
                    if want.get(file) != got.get(file):
                        a_lines = want.get(file, b"").decode().splitlines()
                        b_lines = got.get(file, b"").decode().splitlines()
                        first = next((i for i, (x, y) in enumerate(zip(a_lines, b_lines)) if x != y),
                                     min(len(a_lines), len(b_lines)))
                        problems.append(f"{file} differs with progress shown, line {first + 1}:\n"
                                        f"       {a_lines[first:first + 1]}\n       {b_lines[first:first + 1]}")
                if a.stderr != "":
                    problems.append(f"--quiet printed {a.stderr!r}")
                lines = b.stderr.splitlines()
                # a warning (network.control=uncongested on loaded links) is no progress line but may come
                bad = [line for line in lines if not LINE.match(line) and not line.startswith("ftpsim: warning: ")]
                if bad:
                    problems.append(f"not a progress line: {bad[0]!r}")
                sessions = [tuple(map(int, LINE.match(line).groups())) for line in lines if LINE.match(line)]
                if name != "no-session" and (not sessions or sessions[-1][0] != sessions[-1][1]):
                    problems.append(f"the last progress line does not count every session: {sessions[-1:]}")
                if name != "no-session" and sessions and sessions[-1][2] != summary_data_commands(shown):
                    problems.append(f"the last progress line counts {sessions[-1][2]} data commands, summary.csv "
                                    f"{summary_data_commands(shown)}")
                if name == "burst" and (0, 1100, STRIDE) not in sessions[:1]:
                    problems.append(f"no line for the burst's first {STRIDE} data commands before its first "
                                    f"session ended: {sessions[:2]}")
            print(f"{'FAIL' if problems else 'ok  '} {name}: {len(b.stderr.splitlines())} progress lines"
                  + "".join(f"\n     {p}" for p in problems))
            failed += bool(problems)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

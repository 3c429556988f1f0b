#!/usr/bin/env python3
"""README.md's examples, run as written, with their headline numbers asserted exactly (summary.csv), and the
invariants every run keeps: intended = issued + unissued, lost = failed + unissued, summary.csv's totals the
sums of sessions.csv's, and the printed summary's lines the same counts (each failure class printed exactly
when it happened). Two runs whose sessions end early (a ban, a client that gives up) check the same. A change of default that changes an
example's story fails here until README.md's "What each shows" says the new one.

  readme_examples.py --ftpsim BUILD/ftpsim
"""
import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
failures = []

# (the example's arguments as README.md writes them, the summary.csv values it must give); the last but one
# is the variant README.md's text mentions, not a command line of its own.
EXAMPLES = [
    ([], {"sessions": 1, "intended_commands": 30, "data_commands": 30, "transfers": 6, "lost_commands": 24,
          "rejected": 24, "max_rejected_before_first_accept": 24, "median_rejected_before_first_accept": 24}),
    (["--set", "client.start_port=600", "--set", "session.commands=500"],
     {"intended_commands": 500, "rejected": 424, "transfers": 76, "lost_commands": 424}),
    (["--set", "server.policy=nt351", "--trace"], {"intended_commands": 30, "rejected": 0, "transfers": 30,
                                                   "lost_commands": 0}),
    (["run", "platforms/two-sites.xml", "--trace"],
     {"sessions": 16, "intended_commands": 480, "rejected": 179, "transfers": 301, "lost_commands": 179,
      "client_port_busy_failures": 0, "time_wait_failures": 0, "max_rejected_before_first_accept": 18}),
    (["run", "platforms/mixed-fleet.xml"],
     {"sessions": 24, "intended_commands": 720, "rejected": 144, "transfers": 576, "lost_commands": 144,
      "sessions_without_accept": 4, "client_port_busy_failures": 0}),
    (["--set", "client.sessions=1000", "--set", "workload.arrival=poisson", "--set", "workload.rate=0.5"],
     {"sessions": 1000, "intended_commands": 30000, "rejected": 24, "transfers": 29976, "lost_commands": 24,
      "sessions_with_rejection": 1, "time_wait_failures": 0, "client_port_busy_failures": 0,
      "median_rejected_before_first_accept": 0, "max_rejected_before_first_accept": 24}),
    (["--set", "client.sessions=3"],
     {"sessions": 3, "intended_commands": 90, "rejected": 24, "transfers": 66, "lost_commands": 24,
      "median_rejected_before_first_accept": 8, "p95_rejected_before_first_accept": 8,
      "max_rejected_before_first_accept": 8, "client_port_busy_failures": 0}),
    (["--set", "client.sessions=3", "--set", "client.counter=session", "--set", "client.when_busy=fail"],
     {"sessions": 3, "intended_commands": 90, "commands": 30, "rejected": 24, "transfers": 6,
      "client_port_busy_failures": 60, "lost_commands": 84}),
    (["--set", "client.sessions=3", "--set", "client.counter=session", "--set", "client.when_busy=next-free"],
     {"sessions": 3, "rejected": 24, "transfers": 66, "client_port_busy_failures": 0, "lost_commands": 24}),
    (["--cfg=network/model:CM02"], {"rejected": 24, "transfers": 6, "lost_commands": 24}),
]

# Issue 13's early-ending sessions, not README examples: what they meant to do counts as lost.
ENDED_EARLY = [
    # a ban after 5 rejections: 48 sessions of 30 intended, only 10 PORTs ever sent, all 1440 lost
    (["--set", "server.reaction=ban", "--set", "client.sessions=48", "--set", "workload.arrival=interval",
      "--set", "workload.interval=10"],
     {"intended_commands": 1440, "data_commands": 10, "unissued_commands": 1430, "lost_commands": 1440,
      "failed_commands": 10, "banned": 48, "transfers": 0}),
    # give-up after 3: each of 3 sessions sends 4 PORTs, all refused, and quits: 26 of 30 never issued
    (["--set", "client.reaction=give-up", "--set", "client.sessions=3", "--set", "client.counter=session"],
     {"intended_commands": 90, "data_commands": 12, "unissued_commands": 78, "lost_commands": 90, "aborted": 3}),
]

# The printed summary's failure classes and the summary.csv column each one counts.
CLASSES = [
    ("PORT commands rejected", "rejected"),
    ("data commands failed before their PORT", "client_port_busy_failures"),
    ("data connections failed in TIME_WAIT", "time_wait_failures"),
    ("data connections refused", "refused_failures"),
    ("data connections that never answered", "unreachable_failures"),
    ("data commands never issued", "unissued_commands"),
    ("sessions aborted", "aborted"),
    ("sessions disconnected", "disconnected"),
    ("sessions banned", "banned"),
    ("sessions ended by the server", "ended_by_server"),
]

INT_COLUMNS = ("data_commands", "failed_commands", "intended_commands", "unissued_commands", "lost_commands")


def check(condition, message):
    if not condition:
        failures.append(message)


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def check_example(ftpsim, args, expected, out):
    result = subprocess.run([ftpsim, *args, "--out", out], cwd=SRC, capture_output=True, text=True)
    name = " ".join(args) or "(no options)"
    check(result.returncode == 0, f"{name}: exit {result.returncode}: {result.stderr}")
    if result.returncode != 0:
        return
    summary = read_rows(os.path.join(out, "summary.csv"))[0]
    for column, value in expected.items():
        check(summary[column] == str(value), f"{name}: {column} is {summary[column]}, expected {value}")
    sessions = read_rows(os.path.join(out, "sessions.csv"))
    for row in sessions:
        n = {c: int(row[c]) for c in INT_COLUMNS}
        check(n["intended_commands"] == n["data_commands"] + n["unissued_commands"],
              f"{name}: session {row['session']}: intended != issued + unissued")
        check(n["lost_commands"] == n["failed_commands"] + n["unissued_commands"],
              f"{name}: session {row['session']}: lost != failed + unissued")
        check((row["outcome"] == "ok") == (n["lost_commands"] == 0),
              f"{name}: session {row['session']}: outcome {row['outcome']} with {n['lost_commands']} lost")
    for column in INT_COLUMNS + ("transfers", "rejected", "client_port_busy_failures", "time_wait_failures"):
        total = sum(int(row[column]) for row in sessions)
        check(int(summary[column]) == total, f"{name}: summary {column} {summary[column]} != sum over sessions {total}")
    text = result.stdout
    headline = (f"  data commands: {summary['intended_commands']} intended, {summary['data_commands']} issued, "
                f"{summary['transfers']} completed, {summary['lost_commands']} lost\n")
    check(headline in text, f"{name}: the printed summary lacks {headline!r}:\n{text}")
    check(f"  PORT commands: {summary['commands']} sent, {summary['rejected']} rejected\n" in text,
          f"{name}: the printed PORT line differs:\n{text}")
    for words, column in CLASSES:
        line = re.search(r"^    (\d+) " + re.escape(words), text, re.M)
        count = int(summary[column])
        if count == 0:
            check(line is None, f"{name}: '{words}' printed though {column} is 0")
        else:
            check(line is not None and int(line.group(1)) == count,
                  f"{name}: '{words}' should be printed with {count}:\n{text}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ftpsim", required=True)
    options = parser.parse_args()
    ftpsim = os.path.abspath(options.ftpsim)
    readme = open(os.path.join(SRC, "README.md")).read()
    with tempfile.TemporaryDirectory() as work:
        # The output README.md shows for the first command, byte for byte (run where ftpsim-out is relative).
        shown = readme.split("The first command prints:\n\n```\n", 1)[1].split("```", 1)[0]
        printed = subprocess.run([ftpsim], cwd=work, capture_output=True, text=True).stdout
        check(printed == shown, f"README.md's output of the first command differs from ftpsim's:\n{printed}")
        for i, (args, expected) in enumerate(EXAMPLES):
            if args and "client.when_busy=next-free" not in args:
                command = " ".join(["./build/ftpsim", *args])
                check(command in readme, f"README.md no longer shows the example {command}")
            check_example(ftpsim, args, expected, os.path.join(work, str(i)))
        for i, (args, expected) in enumerate(ENDED_EARLY):
            check_example(ftpsim, args, expected, os.path.join(work, f"early{i}"))
    for failure in failures:
        print("FAIL:", failure)
    print(f"readme_examples: {len(EXAMPLES)} examples and {len(ENDED_EARLY)} early endings, {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Every kind of CSV ftpsim writes, read with Python's csv module and checked column by column against the
documented schema (gen_columns --schema: each column table's names and types, each parameter key's type).

Kinds: a run's sessions.csv, summary.csv and commands.csv (on a platform whose hosts differ, so summary.csv
has mixed keys), a sweep's runs.csv, sessions.csv and commands.csv (point, rep and the varied parameters in
front), a probe's commands.csv and sessions.csv (against a small FTP server in this script, on 127.0.0.1),
and provenance.csv in each of the three folders. Besides the types, it checks exact values that follow from
the inputs: the mixed keys of mixed-fleet.xml, the varied values of every sweep row, the probe's replies.

  csv_types.py --ftpsim BUILD/ftpsim --gen-columns BUILD/tests/gen_columns
"""
import argparse
import csv
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INT = re.compile(r"^-?[0-9]+$")
FLOAT = re.compile(r"^-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def check_types(path, names, types):
    """The header is names exactly; every field is empty or of its column's type."""
    header, rows = read_csv(path)
    check(header == names, f"{path}: header {header} is not the schema's {names}")
    check(len(rows) > 0, f"{path}: no row")
    for n, row in enumerate(rows, 2):
        check(len(row) == len(names), f"{path}:{n}: {len(row)} fields for {len(names)} columns")
        for name, kind, value in zip(names, types, row):
            if value == "" or kind == "text":
                continue
            pattern = INT if kind == "int" else FLOAT
            check(pattern.match(value) is not None, f"{path}:{n}: column {name} ({kind}) holds '{value}'")
            if kind == "float":
                float(value)
    return header, rows


def table(schema, file, doc_start=""):
    for t in schema["tables"]:
        if t["file"] == file and t["doc"].startswith(doc_start):
            return [c["name"] for c in t["columns"]], [c["type"] for c in t["columns"]]
    raise SystemExit(f"the schema has no table {file} ({doc_start})")


def check_provenance(folder, seed, command_start):
    path = os.path.join(folder, "provenance.csv")
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    keys = [r[0] for r in rows]
    check(keys == ["ftpsim_version", "ftpsim_commit", "simgrid_version", "command_line", "seed"],
          f"{path}: keys {keys}")
    values = dict(rows)
    check(re.match(r"^[0-9]+\.[0-9]+\.[0-9]+$", values["ftpsim_version"]) is not None, f"{path}: version")
    check(re.match(r"^([0-9a-f]{40}(-dirty)?)?$", values["ftpsim_commit"]) is not None, f"{path}: commit")
    check(values["simgrid_version"].startswith("3.32."), f"{path}: SimGrid {values['simgrid_version']}")
    check(values["command_line"].startswith(command_start), f"{path}: command line {values['command_line']}")
    check(values["seed"] == str(seed), f"{path}: seed {values['seed']}, expected {seed}")


class FakeServer(threading.Thread):
    """NT 3.51 SP2 in miniature: PORT below 1024 gets 500, others 200; NLST sends one line over the data
    connection. One session, then it stops."""

    def __init__(self):
        super().__init__(daemon=True)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]

    def run(self):
        conn, _ = self.sock.accept()
        f = conn.makefile("rwb", buffering=0)
        f.write(b"220 fake\r\n")
        data_port = None
        for line in f:
            words = line.decode().strip().split(" ", 1)
            verb = words[0].upper()
            if verb == "USER":
                f.write(b"331 password\r\n")
            elif verb == "PASS":
                f.write(b"230 in\r\n")
            elif verb == "PORT":
                parts = [int(x) for x in words[1].split(",")]
                data_port = parts[4] * 256 + parts[5]
                f.write(b"500 Invalid PORT Command.\r\n" if data_port < 1024 else b"200 PORT command successful.\r\n")
            elif verb == "NLST":
                f.write(b"150 Opening\r\n")
                with socket.create_connection(("127.0.0.1", data_port), timeout=5) as data:
                    data.sendall(b"file\r\n")
                f.write(b"226 Transfer complete.\r\n")
            elif verb == "NOOP":
                f.write(b"200 NOOP ok.\r\n")
            elif verb == "QUIT":
                f.write(b"221 bye\r\n")
                break
            else:
                f.write(b"502 no\r\n")
        conn.close()
        self.sock.close()


def run(ftpsim, work, *args):
    proc = subprocess.run([ftpsim, *args], cwd=work, capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        raise SystemExit(f"ftpsim {' '.join(args)}: exit {proc.returncode}\n{proc.stderr}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ftpsim", required=True)
    parser.add_argument("--gen-columns", required=True)
    args = parser.parse_args()
    schema = json.loads(subprocess.run([args.gen_columns, "--schema"], capture_output=True, text=True,
                                       check=True).stdout)
    params = schema["params"]
    sessions = table(schema, "sessions.csv")
    summary = table(schema, "summary.csv")
    commands = table(schema, "commands.csv", "with `--trace`")
    probe_commands = table(schema, "commands.csv", "of `ftpsim probe`")
    work = tempfile.mkdtemp(prefix="ftpsim-csv-types-")
    try:
        # A run whose hosts differ in client.model, client.range, ...: their summary columns are empty.
        run(args.ftpsim, work, "run", os.path.join(SRC, "platforms", "mixed-fleet.xml"), "--trace", "--out", "run",
            "--seed", "5", "--quiet")
        check_types(os.path.join(work, "run", "sessions.csv"), *sessions)
        check_types(os.path.join(work, "run", "commands.csv"), *commands)
        header, rows = check_types(os.path.join(work, "run", "summary.csv"), *summary)
        row = dict(zip(header, rows[0]))
        mixed = row["mixed_keys"].split(" ")
        # client.counter is not mixed: one host sets host, which is also the default
        check(mixed == ["client.model", "client.range", "client.sessions", "client.start_port", "server.policy"],
              f"run/summary.csv: mixed_keys {mixed}")
        check(all(row[k] == "" for k in mixed), "run/summary.csv: a mixed key's column is not empty")
        check(row["session.commands"] == "30" and row["seed"] == "5", "run/summary.csv: session.commands, seed")
        check_provenance(os.path.join(work, "run"), 5, "ftpsim run ")

        # A sweep over an int, a float and a choice, with every collected file.
        run(args.ftpsim, work, "sweep", "--vary", "client.start_port=1022,1023", "--vary",
            "session.think_time=0.025,0.1", "--vary", "server.policy=nt351sp2", "--set", "session.commands=2",
            "--sessions", "--trace", "--seed", "9", "--jobs", "1", "--out", "sweep")
        varied = ["client.start_port", "session.think_time", "server.policy"]
        front = ["point", "rep"] + varied
        front_types = ["int", "int"] + [params[k] for k in varied]
        check(front_types == ["int", "int", "int", "float", "text"], f"schema params types {front_types}")
        check_types(os.path.join(work, "sweep", "runs.csv"), ["point", "rep"] + summary[0], ["int", "int"] + summary[1])
        points = {0: ("1022", "0.025"), 1: ("1022", "0.1"), 2: ("1023", "0.025"), 3: ("1023", "0.1")}
        for name, kind in (("sessions.csv", sessions), ("commands.csv", commands)):
            path = os.path.join(work, "sweep", name)
            _, rows = check_types(path, front + kind[0], front_types + kind[1])
            for r in rows:
                want = points[int(r[0])] + ("nt351sp2",)
                check(tuple(r[2:5]) == want, f"{path}: point {r[0]} carries {r[2:5]}, expected {want}")
        check(len(read_csv(os.path.join(work, "sweep", "sessions.csv"))[1]) == 4, "sweep/sessions.csv: 4 rows")
        # Two PORTs per session: from 1022 both refused (2 rows); from 1023, 1023 refused, then 1024 accepted
        # and its RETR (3 rows). Two think times each: 2 x (2 + 3).
        check(len(read_csv(os.path.join(work, "sweep", "commands.csv"))[1]) == 10, "sweep/commands.csv: 10 rows")
        check_provenance(os.path.join(work, "sweep"), 9, "ftpsim sweep ")

        # A probe of the fake server: 1022, 1023 refused, 1024, 1025 accepted with an NLST each; a NOOP after
        # each shows the session alive.
        server = FakeServer()
        server.start()
        run(args.ftpsim, work, "probe", "--server", f"127.0.0.1:{server.port}", "--client", "as400", "--set",
            "client.start_port=1022", "--commands", "4", "--expect", "nt351sp2", "--timeout", "5", "--out", "probe",
            "--quiet")
        server.join(10)
        _, rows = check_types(os.path.join(work, "probe", "commands.csv"), *probe_commands)
        codes = [(r[4], r[5], r[6]) for r in rows]
        check(codes == [("PORT", "1022", "500"), ("NOOP", "1022", "200"), ("PORT", "1023", "500"),
                        ("NOOP", "1023", "200"), ("PORT", "1024", "200"), ("NLST", "1024", "226"),
                        ("NOOP", "1024", "200"), ("PORT", "1025", "200"), ("NLST", "1025", "226"),
                        ("NOOP", "1025", "200")],
              f"probe/commands.csv: {codes}")
        check_types(os.path.join(work, "probe", "sessions.csv"), *sessions)
        check_provenance(os.path.join(work, "probe"), 1, "ftpsim probe ")
    finally:
        shutil.rmtree(work)
    for failure in failures:
        print("FAIL", failure)
    print(f"csv_types: {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

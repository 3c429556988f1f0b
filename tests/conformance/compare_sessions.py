#!/usr/bin/python3
"""The simulator's predictions against measured whole sessions (tests/conformance/measured-sessions.json, or a
fresh conformance run's measurements): every case in three parts, every sequence by its counts and steps.

A case (sessions.py's facts) is predicted by predict_sessions (server_policy_predict, the function the engine
plays) and compared part by part:
  reply    the PORT/EPRT reply, code and text (both lines of a two-line one), and whether the server had
           connected before it replied
  data     the data command the probe sent (after an accepted PORT, or after any in the "even if refused" cases)
           and its replies: the preliminary (first line) and the final one, code and text, and where the data
           connection came from (20, ephemeral, none); or no data command
  session  alive (NOOP answered), ended by the server, or stalled (no reply within the probe's timeout)
A sequence (the AS/400 ramp, the burst) is played by `ftpsim run` with client.data_after_reject=yes (the
engine), and compared by the session's counts (PORTs sent, refused, transfers), how it ended (sessions.csv's
outcome) and each PORT's reply and data command's final reply (commands.csv).
A part a model does not claim is listed with why (UNCLAIMED), never compared. Any disagreement fails.

Usage: compare_sessions.py --predict BUILD/tests/predict_sessions --ftpsim BUILD/ftpsim --work DIR
                           [--measured FILE.json]"""

import argparse
import csv
import json
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sessions  # noqa: E402

PARTS = ("reply", "data", "session")
FILES = 2  # the folder every server lists holds a.txt and b.txt (servers.py)

# What a model does not claim, by (part, case variant): the case is listed in validation.md with the reason.
UNCLAIMED = {
    ("data", f"RETR {sessions.RETR_FILE}"):
        "RETR's replies quote the file (vsftpd's and ProFTPD's 150 name it and its size, pure-ftpd's 226 reports "
        "the measured transfer rate); the models carry the NLST texts only, so RETR's texts are not claimed",
}


def _knob_table():
    import run_conformance  # the configurations and the model's knobs for each
    return {(kind, label): (kind, knobs) for kind, label, _options, knobs, *_ in run_conformance.CONFIGS}


def _variant(case):
    name = f"{case['command']} {case['address']} {case['port']}"
    return case["case"][len(name):].strip()


def predict_cases(predict, configs, knobs):
    """predict_sessions' answer for every case of every configuration, in order."""
    lines = []
    for config in configs:
        policy, sets = knobs[(config["server"], config["config"])]
        for case in config["cases"]:
            lines.append("\t".join([policy, ",".join(sets) or "-", case["command"], case["address"],
                                    str(case["port"]), "1" if case["listening"] else "0", str(FILES)]))
    result = subprocess.run([predict], input="\n".join(lines) + "\n", capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise SystemExit(f"compare_sessions: {predict} failed: {result.stderr.strip()}")
    return [json.loads(line) for line in result.stdout.splitlines()]


def _text(reply):
    return "(none)" if reply is None else f"{reply['code']} {reply['text']}".replace("\n", " / ")


def _case_parts(case, predicted):
    """{part: (measured, predicted)} as comparable strings."""
    variant = _variant(case)
    sends_data = predicted["port_reply"]["code"] < 300 or variant == "data command even if refused"
    data = None
    if sends_data:
        prelim = predicted["preliminary"]
        if prelim is not None:
            prelim = {"code": prelim["code"], "text": prelim["text"].split("\n")[0]}
        data = f"{_text(prelim)} then {_text(predicted['final'])}, source {predicted['source']}"
    measured_data = case["data"]
    if measured_data is not None:
        measured_data = (f"{_text(measured_data['preliminary'])} then {_text(measured_data['final'])}, "
                         f"source {measured_data['source']}")
    session = "stalled" if case["stalled"] else "alive" if case["session_alive"] else "ended"
    before = lambda flag: "; connected before the reply" if flag else ""  # noqa: E731
    return {
        "reply": (_text(case["port_reply"]) + before(case["connected_before_reply"]),
                  _text(predicted["port_reply"]) + before(predicted["connected_before_reply"])),
        "data": (measured_data or "no data command", data or "no data command"),
        "session": (session, predicted["session"] if sends_data else "alive"),
    }


def compare_cases(configs, predictions):
    """Per configuration: its case results, {case, part: ("agree"|"disagree"|"unclaimed", detail)}."""
    results, index = [], 0
    for config in configs:
        rows = []
        for case in config["cases"]:
            parts = _case_parts(case, predictions[index])
            index += 1
            row = {"case": case["case"]}
            for part in PARTS:
                measured, predicted = parts[part]
                why = UNCLAIMED.get((part, _variant(case)))
                if why:
                    row[part] = ("unclaimed", why)
                elif measured == predicted:
                    row[part] = ("agree", measured)
                else:
                    row[part] = ("disagree", f"measured {measured}; simulated {predicted}")
            rows.append(row)
        results.append({"server": config["server"], "config": config["config"], "cases": rows})
    return results


def _read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def simulate_sequence(ftpsim, policy, knobs, first, count, out):
    """`ftpsim run` of one AS/400 session, a LIST after every PORT: (sessions.csv row, commands.csv rows)."""
    argv = [ftpsim, "run", "--quiet", "--trace", "--out", out, "--set", f"server.policy={policy}",
            "--set", f"client.start_port={first}", "--set", f"session.commands={count}",
            "--set", "client.data_after_reject=yes", "--set", "session.mix_list=1", "--set", "session.mix_retr=0",
            "--set", "session.mix_stor=0"]
    for knob in knobs:
        argv += ["--set", knob]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise SystemExit(f"compare_sessions: {' '.join(argv)} failed: {result.stderr.strip()}")
    return _read_csv(os.path.join(out, "sessions.csv"))[0], _read_csv(os.path.join(out, "commands.csv"))


def _expand(ports):
    out = []
    for part in ports.split(", "):
        first, _, last = part.partition("..")
        out += list(range(int(first), int(last or first) + 1))
    return out


def _measured_steps(sequence):
    """{port: (PORT reply, data command's final reply)} and the counts, from a measured sequence."""
    steps = {}
    for outcome in sequence["outcomes"]:
        key = outcome["outcome"]
        final = key["data"].split(" / ", 1)[1].rsplit(", source ", 1)[0] if key["data"] else "(none)"
        prelim = key["data"].split(" / ", 1)[0] if key["data"] else "(none)"
        for port in _expand(outcome["ports"]):
            steps[port] = (key["port_reply"], final if final != "(none)" else prelim)
    return steps


def compare_sequence(sequence, session, rows):
    """Disagreements (a list of strings) between a measured sequence and the simulated session."""
    steps = _measured_steps(sequence)
    refused = sum(1 for reply, _ in steps.values() if not reply.startswith("2"))
    transfers = sum(1 for _, final in steps.values() if final.startswith("226"))
    ended = sequence["ended"].split(" at port ")[0]
    simulated_end = {"stalled": "stalled", "ended_by_server": "ended by the server"}.get(session["outcome"], "alive")
    problems = []
    for name, measured, simulated in (("PORTs sent", sequence["steps_run"], int(session["commands"])),
                                      ("refused", refused, int(session["rejected"])),
                                      ("transfers", transfers, int(session["transfers"])),
                                      ("session", ended, simulated_end)):
        if measured != simulated:
            problems.append(f"{name}: measured {measured}, simulated {simulated}")
    simulated_steps = {}
    port = None
    for row in rows:
        if row["command"] in ("PORT", "EPRT"):
            port = int(row["port"])
            text = row["reply_text"].replace("\n", " / ")
            simulated_steps[port] = (f"{row['reply_code']} {text}", "(none)")
        elif port is not None:
            simulated_steps[port] = (simulated_steps[port][0], f"{row['reply_code']} {row['reply_text']}")
    for port in sorted(set(steps) | set(simulated_steps)):
        measured = steps.get(port)
        simulated = simulated_steps.get(port)
        if measured is None or simulated is None or measured[0] != simulated[0] or \
                not _same_final(measured[1], simulated[1]):
            problems.append(f"port {port}: measured {measured}, simulated {simulated}")
    return problems


def _same_final(measured, simulated):
    """pure-ftpd's 226 counts the listing's names; the engine lists no folder, so its {n} stays a placeholder."""
    if "{n}" in simulated:
        return re.fullmatch(re.escape(simulated).replace(re.escape("{n}"), r"\d+"), measured) is not None
    return measured == simulated


def compare_sequences(ftpsim, configs, knobs, work):
    results = []
    for config in configs:
        policy, sets = knobs[(config["server"], config["config"])]
        rows = []
        for sequence in config["sequences"]:
            first, last = (int(p) for p in sequence["ports"].split(".."))
            slug = re.sub(r"[^A-Za-z0-9]+", "_", f"{config['server']}-{config['config']}-{sequence['name']}")
            session, commands = simulate_sequence(ftpsim, policy, sets, first, last - first + 1,
                                                  os.path.join(work, slug))
            rows.append({"name": sequence["name"], "ports": sequence["ports"], "ended": sequence["ended"],
                         "steps_run": sequence["steps_run"], "outcome": session["outcome"],
                         "commands": int(session["commands"]), "rejected": int(session["rejected"]),
                         "transfers": int(session["transfers"]),
                         "problems": compare_sequence(sequence, session, commands)})
        results.append({"server": config["server"], "config": config["config"], "sequences": rows})
    return results


def compare(measured_configs, predict, ftpsim, work, with_sequences=True):
    """Both comparisons, merged per configuration."""
    knobs = _knob_table()
    os.makedirs(work, exist_ok=True)
    cases = compare_cases(measured_configs, predict_cases(predict, measured_configs, knobs))
    sequences = compare_sequences(ftpsim, measured_configs, knobs, work) if with_sequences else \
        [{"sequences": []} for _ in measured_configs]
    for case_result, sequence_result in zip(cases, sequences):
        case_result["sequences"] = sequence_result["sequences"]
        case_result["knobs"] = knobs[(case_result["server"], case_result["config"])][1]
    return cases


def failures(results):
    out = []
    for config in results:
        label = f"{config['server']} ({config['config']})"
        for row in config["cases"]:
            for part in PARTS:
                verdict, detail = row[part]
                if verdict == "disagree":
                    out.append(f"{label}: {row['case']}: {part}: {detail}")
        for sequence in config["sequences"]:
            out += [f"{label}: {sequence['name']}: {p}" for p in sequence["problems"]]
    return out


def agreement(results):
    """{part: (agree, claimed)} over every case, and (agreeing sequences, sequences)."""
    totals = {part: [0, 0] for part in PARTS}
    for config in results:
        for row in config["cases"]:
            for part in PARTS:
                verdict = row[part][0]
                if verdict != "unclaimed":
                    totals[part][1] += 1
                    totals[part][0] += verdict == "agree"
    sequences = [s for config in results for s in config["sequences"]]
    return totals, (sum(1 for s in sequences if not s["problems"]), len(sequences))


def summary(results):
    totals, (good, total) = agreement(results)
    parts = ", ".join(f"{part} {a}/{c}" for part, (a, c) in totals.items())
    return f"cases: {parts}; sequences {good}/{total}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--predict", required=True)
    parser.add_argument("--ftpsim", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--measured", default=os.path.join(HERE, "measured-sessions.json"))
    parser.add_argument("--no-sequences", action="store_true", help="compare the cases only")
    parser.add_argument("--doc", help="docs/validation.md: its whole-session section must be this comparison's")
    args = parser.parse_args()
    with open(args.measured) as f:
        measured = json.load(f)["configurations"]
    results = compare(measured, os.path.abspath(args.predict), os.path.abspath(args.ftpsim),
                      os.path.abspath(args.work), not args.no_sequences)
    problems = failures(results)
    print(summary(results))
    if args.doc:
        import validation_doc
        with open(args.doc) as f:
            if validation_doc.sessions_section(results) not in f.read():
                problems.append(f"{args.doc}: its whole-session section differs from this comparison: regenerate it "
                                "with run_conformance.py --write-doc (a real conformance run) and commit it")
    if problems:
        print(f"compare_sessions: {len(problems)} disagreement(s):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Whole sessions against a real server: what `ftpsim probe` recorded after each PORT/EPRT (data command,
data connection, NOOP), reduced to facts per case, and the extra cases that only whole sessions show.

A case is one probe session of one step (one PORT/EPRT, its data command, NOOP) unless it is a sequence
(the AS/400 ramp, the burst). Its facts, from the probe's commands.csv rows:
  port_reply              {code, text} of the PORT/EPRT reply (null: none came)
  connected_before_reply  the server's data connection was waiting when that reply came
  data                    null (no data command sent) or {command, preliminary, final, source, bytes}:
                          preliminary (its first line) / final {code, text} or null; source "20", "port N" (another port below
                          1024), "ephemeral", or "none" (no data connection)
  session_alive           NOOP after the step was answered 2xx. When not (and not stalled) the server ended the
                          session: vsftpd answers NOOP "500 OOPS: priv_sock_get_..." or has already closed the
                          connection, a race, so which of the two is not recorded
  stalled                 a wait timed out (the probe then ended the session)"""

import os
import re

FOREIGN = "127.0.0.2"
# The single-port cases beyond the validation ones: nobody listening, a data command after a refusal, RETR.
NO_LISTEN_PORT = 5000
REFUSED_OWN_PORT = 1000   # below 1024: refused by every default configuration
RETR_PORT = 5001
RETR_FILE = "a.txt"
RAMP = (1000, 31)         # the AS/400 ramp 1000..1030, a data command after every PORT
BURST = (824, 201)        # 200 PORTs below 1024, then 1024, a data command after every one
SESSION_TIMEOUT = "2"     # seconds: what the probe waits before it calls a session stalled


# pure-ftpd's transfer reply reports the measured rate ("0.000 seconds (measured here), 51.26 Kbytes per
# second"), and its 150 at times adds a random line ("The computer is your friend. Trust the computer"):
# the rate becomes N, and a preliminary reply keeps its first line only, so that the facts do not drift.
RATE = re.compile(r"[0-9.]+ seconds \(measured here\), [0-9.]+ Kbytes per second")


def _reply(code, text, first_line_only=False):
    if not code:
        return None
    text = RATE.sub("N seconds (measured here), N Kbytes per second", text)
    return {"code": int(code), "text": text.split("\n")[0] if first_line_only else text}


def source_class(data_source):
    if not data_source:
        return "none"
    port = int(data_source.rsplit(":", 1)[1])
    if port == 20:
        return "20"
    return f"port {port}" if port < 1024 else "ephemeral"


def step_facts(rows):
    """The facts of the first step in rows (a PORT/EPRT row, its data row if any, its NOOP row if any)."""
    port_row = rows[0]
    data_row = next((r for r in rows[1:2] if r["command"] in ("NLST", "RETR")), None)
    noop_row = next((r for r in rows[1:3] if r["command"] == "NOOP"), None)
    data = None
    if data_row:
        data = {"command": data_row["command"],
                "preliminary": _reply(data_row["preliminary_code"], data_row["preliminary_text"], True),
                "final": _reply(data_row["reply_code"], data_row["reply_text"]),
                "source": source_class(data_row["data_source"]),
                "bytes": int(data_row["bytes"] or 0)}
    step_rows = [r for r in (port_row, data_row, noop_row) if r]
    return {"port_reply": _reply(port_row["reply_code"], port_row["reply_text"]),
            "connected_before_reply": port_row["connected_before_reply"] == "1",
            "data": data,
            "session_alive": bool(noop_row and noop_row["reply_code"].startswith("2")),
            "stalled": any(r["stalled"] == "1" for r in step_rows)}


def case(command, address, port, listening, variant, rows):
    name = f"{command} {address} {port}" + (f" {variant}" if variant else "")
    facts = {"case": name, "command": command, "address": address, "port": port, "listening": listening}
    facts.update(step_facts(rows))
    return facts


def _describe(reply):
    return f"{reply['code']} {reply['text']}" if reply else "(none)"


def sequence(name, first, count, rows):
    """A whole-session sequence: how many steps ran, each distinct outcome with the ports it covered, how it
    ended."""
    steps, current = [], []
    for row in rows:
        if row["command"] in ("PORT", "EPRT") and current:
            steps.append(current)
            current = []
        current.append(row)
    if current:
        steps.append(current)
    outcomes = []
    for step in steps:
        facts = step_facts(step)
        data = facts["data"]
        key = {"port_reply": _describe(facts["port_reply"]),
               "data": None if data is None else
               f"{_describe(data['preliminary'])} / {_describe(data['final'])}, source {data['source']}",
               "session_alive": facts["session_alive"], "stalled": facts["stalled"]}
        port = int(step[0]["port"])
        for outcome in outcomes:
            if outcome["outcome"] == key:
                outcome["ports"].append(port)
                break
        else:
            outcomes.append({"outcome": key, "ports": [port]})
        if not facts["session_alive"]:  # the session ended here (a next PORT, if sent, found it closed)
            steps = steps[:steps.index(step) + 1]
            break
    for outcome in outcomes:
        outcome["ports"] = compress(outcome["ports"])
    ended = "alive"
    if steps and not step_facts(steps[-1])["session_alive"]:
        last = steps[-1]
        stalled = step_facts(last)["stalled"]
        ended = f"{'stalled' if stalled else 'ended by the server'} at port {last[0]['port']}"
    return {"name": name, "ports": f"{first}..{first + count - 1}", "steps_run": len(steps),
            "outcomes": outcomes, "ended": ended}


def compress(ports):
    """[1000, 1001, 1002, 1005] -> "1000..1002, 1005"."""
    parts, start = [], None
    for i, port in enumerate(ports):
        if start is None:
            start = port
        if i + 1 == len(ports) or ports[i + 1] != port + 1:
            parts.append(str(start) if start == port else f"{start}..{port}")
            start = None
    return ", ".join(parts)


def extra_cases(probe, work):
    """The cases the validation probes do not cover. probe(out, start_port, commands, command, address,
    extra_args) runs one `ftpsim probe` and returns its commands.csv rows."""
    cases = []
    for command in ("PORT", "EPRT"):
        for address in ("own", "foreign"):
            out = os.path.join(work, "sessions", f"{command}-{address}-nobody")
            rows = probe(out, NO_LISTEN_PORT, 1, command, FOREIGN if address == "foreign" else None, ["--no-listen"])
            cases.append(case(command, address, NO_LISTEN_PORT, False, "nobody listening", rows))
    for address, port in (("own", REFUSED_OWN_PORT), ("foreign", NO_LISTEN_PORT)):
        out = os.path.join(work, "sessions", f"PORT-{address}-{port}-after-refusal")
        rows = probe(out, port, 1, "PORT", FOREIGN if address == "foreign" else None, ["--data-after-refusal"])
        cases.append(case("PORT", address, port, True, "data command even if refused", rows))
    out = os.path.join(work, "sessions", "PORT-own-retr")
    rows = probe(out, RETR_PORT, 1, "PORT", None, ["--data-command", "RETR", "--file", RETR_FILE])
    cases.append(case("PORT", "own", RETR_PORT, True, f"RETR {RETR_FILE}", rows))
    sequences = []
    for name, (first, count) in (("AS/400 ramp", RAMP), ("burst", BURST)):
        out = os.path.join(work, "sessions", name.split()[0].replace("/", ""))
        rows = probe(out, first, count, "PORT", None, ["--data-after-refusal"])
        sequences.append(sequence(name, first, count, rows))
    return cases, sequences

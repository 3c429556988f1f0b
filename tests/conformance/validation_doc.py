"""docs/validation.md and the console table, both rendered from the conformance suite's results only."""

import re
ORDER = [("PORT", "own"), ("PORT", "foreign"), ("EPRT", "own"), ("EPRT", "foreign")]

NOT_CAPTURED = """\
## Against the project's fact sheet

The fact sheet's reply texts and orders of checks hold for all four servers. What the real servers
added to it:
- EPRT has its own texts on vsftpd (`500 Illegal EPRT command.`, `200 EPRT command successful.
  Consider using EPSV.`) and ProFTPD (`500 Illegal EPRT command`, `200 EPRT command successful`);
  pure-ftpd answers an accepted EPRT with `200 PORT command successful`; pyftpdlib uses the PORT
  texts for both. The models follow the real servers.
- vsftpd's `port_promiscuous=YES` lifts the PORT/EPRT checks but not the one on the data connection:
  the NLST after a PORT below 1024 fails and the session ends (below).
- The burst of 200 refusals in one session changed nothing on any server: the 201st command was
  answered as the model predicts.

## What the models deliberately do not capture

- **pure-ftpd's FXP notice.** With FXP allowed, an accepted PORT/EPRT naming another address gets a
  multi-line reply whose first line is `200-FXP transfer: from X to Y`. The model predicts the final
  line (`200 PORT command successful`); the probe compares the final line and records every line in
  `commands.csv`.
- **pyftpdlib answers after connecting.** pyftpdlib opens the data connection before it answers an
  accepted PORT/EPRT, and answers `425 Can't connect to specified address.` when nothing listens. The
  per-port tables above assume the client listens, as `ftpsim probe` does; the whole-session comparison
  covers the case where nobody listens.
- **Reply texts that quote the request** (pure-ftpd's foreign-address refusal, both pyftpdlib
  refusals) are stored with `{address}`, `{port}` and `{peer_address}` placeholders, so that the hot
  path returns a static string; `server_policy_render_text()` renders them for the probe and this
  document. The simulator's reply sizes count the placeholder text, a few bytes off the real ones.
- **IPv6.** The models and the probe are IPv4 only. `EPRT |2|...|` gets `500 Bad EPRT protocol.`
  (vsftpd), `522 Network protocol not supported, use (1)` (ProFTPD), `522 Only IPv4 is supported (1)`
  (pure-ftpd), `522 Network protocol not supported (use 1).` (pyftpdlib) on these IPv4 listeners.
- **The ramp 1020..1026 and the burst in the tables above negotiate only** (`--no-transfer`): vsftpd
  with `port_promiscuous=YES` ends the session at the first NLST after a PORT below 1024. The whole-session
  sequences (ramp 1000..1030, burst, a data command after every PORT) are compared in their own section.
- **pyftpdlib's stall** after a data command that follows a refused PORT is its documented way (150, then
  it waits for a connection that never comes); the probe calls it a stall after its 2 s timeout, the
  simulator after `client.accept_timeout` (60 s): the outcome is the same, the time is the client's.
- **TIME_WAIT on loopback**: Linux reuses a TIME_WAIT 4-tuple on loopback (`net.ipv4.tcp_tw_reuse=2`), so
  the measured sessions cannot show the 425 a server connecting from port 20 gets across a network; the
  model's TIME_WAIT 425 texts (EADDRNOTAVAIL) and an unreachable third party's (timed out, after
  `server.connect_timeout`) are derived from the servers' sources, not measured.
- **Everything but the PORT/EPRT decision and the data phase**: login limits (vsftpd `max_login_fails`,
  pyftpdlib's 3 attempts), ProFTPD `MaxCommandRate` and `mod_ban` (off by default), reply latency. No
  server slowed down or disconnected during the burst of 200 refusals.
- **Windows NT 3.51 (`nt351`, `nt351sp2`)**: no runnable server; those models rest on KB Q140424.
- **Container settings**: vsftpd runs with `isolate=NO`, `isolate_network=NO`, `seccomp_sandbox=NO`
  (containers refuse new namespaces and seccomp filters); none of them touches the PORT checks.
"""


SESSIONS_INTRO = """\
## Whole sessions: the simulator against the measured sessions

Each measured whole-session case (`tests/conformance/measured-sessions.md`: every PORT/EPRT case above, nobody
listening, a data command after a refusal, RETR) is predicted by `server_policy_predict()`, the function the
engine plays (`build/tests/predict_sessions`), and compared in three parts: the PORT/EPRT reply (code, text of
every line, and whether the server had connected before it), the data command (its preliminary and final
replies, code and text, and where the data connection came from: port 20, ephemeral, none; or no data command),
and the session (alive, ended by the server, or stalled). Each sequence (the AS/400 ramp 1000..1030 and the
burst 824..1024, a data command after every PORT, refused or not) is played by the engine, `ftpsim run` with
`client.data_after_reject=yes`, and agrees when its PORTs sent, refusals, transfers, how it ended, and every
PORT reply and data command's final reply (`commands.csv`) equal the measured ones. Any disagreement fails the
suite (and the offline test `conformance_predictions`, which compares against the stored measurements).
"""


def _ratio(good, total):
    return f"{good}/{total}"


def sessions_section(results):
    """The whole-session comparison (compare_sessions.compare's results) as a part of docs/validation.md."""
    import compare_sessions
    out = [SESSIONS_INTRO, "| server | configuration | PORT/EPRT reply | data command | session | sequences |",
           "|---|---|---|---|---|---|"]
    for config in results:
        totals, (good, total) = compare_sessions.agreement([config])
        cells = " | ".join(_ratio(*totals[part]) for part in compare_sessions.PARTS)
        out.append(f"| {config['server']} | {config['config']} | {cells} | {_ratio(good, total)} |")
    totals, (good, total) = compare_sessions.agreement(results)
    cells = " | ".join(f"**{_ratio(*totals[part])}**" for part in compare_sessions.PARTS)
    out += [f"| all | | {cells} | **{_ratio(good, total)}** |", "",
            "The counts are the cases each model claims; the ones it does not claim, and why:", ""]
    unclaimed = {}
    for config in results:
        for row in config["cases"]:
            for part in compare_sessions.PARTS:
                verdict, why = row[part]
                if verdict == "unclaimed":
                    unclaimed.setdefault((part, why), []).append(f"{config['server']} ({config['config']}): "
                                                                 f"{row['case']}")
    for (part, why), cases in unclaimed.items():
        out.append(f"- {part} part of {len(cases)} cases ({cases[0].split(': ', 1)[1]} in every configuration): "
                   f"{why}.")
    if not unclaimed:
        out.append("- none")
    out += ["", "Sequences, as measured and as the engine played them:", ""]
    for config in results:
        for s in config["sequences"]:
            verdict = "agree" if not s["problems"] else f"DISAGREE ({len(s['problems'])} differences)"
            out.append(f"- {config['server']} ({config['config']}), {s['name']} {s['ports']}: measured "
                       f"{s['ended']} after {s['steps_run']} PORTs; simulated outcome `{s['outcome']}`, "
                       f"{s['commands']} PORTs, {s['rejected']} refused, {s['transfers']} transfers: {verdict}.")
    out.append("")
    return "\n".join(out)


def _cell(reply):
    if reply["match"]:
        return str(reply["code"])
    return f"{reply['code']} (model {reply['expected_code']})"


def _index(record):
    return {(r["command"], r["address"], r["port"]): r for r in record["replies"]}


def _agreement(record):
    total = len(record["replies"]) + sum(s["commands"] for s in record["sequences"])
    good = sum(1 for r in record["replies"] if r["match"]) + sum(s["matching"] for s in record["sequences"])
    return good, total


def table(records):
    """The per-server agreement table printed at the end of a run."""
    lines = [f"{'server':10} {'configuration':46} {'replies predicted':>18} {'ramp real/sim':>14} "
             f"{'burst real/sim':>15}"]
    for record in records:
        if "error" in record:
            lines.append(f"{record['server']:10} {record['config']:46} {'FAILED: ' + record['error'].splitlines()[0]}")
            continue
        good, total = _agreement(record)
        ramp, burst = record["sequences"]
        lines.append(f"{record['server']:10} {record['config']:46} {f'{good}/{total}':>18} "
                     f"{ramp['real_rejected_before_first_accept']:>6}/{ramp['simulated_rejected_before_first_accept']:<7} "
                     f"{burst['real_rejected_before_first_accept']:>7}/{burst['simulated_rejected_before_first_accept']:<7}")
    return "\n".join(lines)


def render(records, versions=None, sessions=None):
    out = ["# Validation: the server policy models against the real servers", "",
           "Generated by `tests/conformance/run_conformance.py --write-doc` from the conformance suite's",
           "results (CTest label `conformance`); the suite fails when this file differs from its results.",
           "Do not edit by hand.", "",
           "Each server is a Debian 12 package (vsftpd 3.0.3, proftpd-core 1.3.8, pure-ftpd 1.0.50,",
           "python3-pyftpdlib 1.5.7), unpacked, started on a loopback port and logged in to anonymously.",
           "`ftpsim probe --expect POLICY` sends one PORT or EPRT per session naming the probe's own address",
           "(127.0.0.1) or another loopback address (127.0.0.2, the \"foreign\" column), listening there so",
           "that an accepted command completes a real NLST (then NOOP). A reply agrees when its code and the text of its",
           "last line equal the model's prediction. The two sequences are the AS/400 ramp (ports 1020 to",
           "1026) and a burst of 200 refused PORTs (824 to 1023) followed by 1024; for those, the simulator",
           "(`ftpsim run --set server.policy=POLICY ...`) must give the same number of refusals before the",
           "first accepted PORT as the real server.", "",
           "## Agreement", "",
           "| server | configuration | model knobs | replies predicted | ramp: refusals before accept, real / simulated | burst: real / simulated |",
           "|---|---|---|---|---|---|"]
    for record in records:
        knobs = ", ".join(f"`{k}`" for k in record["knobs"]) or "(defaults)"
        if "error" in record:
            out.append(f"| {record['server']} | {record['config']} | {knobs} | FAILED | | |")
            continue
        good, total = _agreement(record)
        ramp, burst = record["sequences"]
        out.append(f"| {record['server']} | {record['config']} | {knobs} | {good}/{total} | "
                   f"{ramp['real_rejected_before_first_accept']} / {ramp['simulated_rejected_before_first_accept']} | "
                   f"{burst['real_rejected_before_first_accept']} / {burst['simulated_rejected_before_first_accept']} |")
    out.append("")
    for record in records:
        if "error" in record:
            continue
        out += [f"## {record['server']}, {record['config']}", "",
                f"Model `{record['policy']}`" + (f" with {', '.join('`' + k + '`' for k in record['knobs'])}"
                                                  if record["knobs"] else "") + ".", "",
                "Reply code per port (a disagreement shows the model's code in parentheses):", "",
                "| port | PORT own | PORT 127.0.0.2 | EPRT own | EPRT 127.0.0.2 |", "|---|---|---|---|---|"]
        index = _index(record)
        ports = sorted({r["port"] for r in record["replies"]})
        for port in ports:
            out.append(f"| {port} | " + " | ".join(_cell(index[(c, a, port)]) for c, a in ORDER) + " |")
        out += ["", "Reply texts seen (real = predicted unless marked):", ""]
        seen = []
        for r in record["replies"]:
            key = (r["command"], r["code"], r["text"], r["expected_text"])
            if key not in seen:
                seen.append(key)
        for command, code, text, expected in seen:
            shown = text.replace("\n", " / ")
            mark = "" if text.split("\n")[-1] == expected else f" - model: `{expected}`"
            out.append(f"- {command} `{code} {shown}`{mark}")
        nlst = []
        for r in record["replies"]:
            # pure-ftpd counts the anonymous home's entries ("226 4 matches total"): that depends on the
            # machine, not on the server's PORT handling, so the number is left out of the document.
            text = re.sub(r"^226 \d+ matches total", "226 N matches total", r["nlst"]) if r.get("nlst") else None
            if text and text not in [n for n, _ in nlst]:
                nlst.append((text, f"{r['command']} {r['address']} port {r['port']}"))
        if nlst:
            out += ["", "NLST after an accepted command (first case seen for each outcome):", ""]
            out += [f"- `{text.replace(chr(10), ' / ')}` (first after {case})" for text, case in nlst]
        out.append("")
        for s in record["sequences"]:
            out.append(f"- {s['name']}: {s['matching']}/{s['commands']} replies predicted; first accepted port "
                       f"{s['first_accept_port'] or 'none'}; refusals before it: real "
                       f"{s['real_rejected_before_first_accept']}, simulated {s['simulated_rejected_before_first_accept']}; "
                       "negotiation only.")
        out.append("")
    if sessions is not None:
        out.append(sessions_section(sessions))
    out.append(NOT_CAPTURED)
    return "\n".join(out)

"""The measured cases against `ftpsim run` with the netfilter middlebox model on the route, part by part.

Each case becomes one simulated session (client.model=fixed, client.port=N, session.commands=1, --trace) on a
platform like the namespaces: client 127.77.1.2 (naming 127.77.1.3 in the PORT when the case is foreign:
ftpsim.advertised_address, network.third_party=reachable as the client owns that address too), a link
carrying ftpsim.middlebox=netfilter, server 127.77.2.2; middlebox.loose, middlebox.nat and
middlebox.nat_address=127.77.2.1 as in the configuration. The AS/400 ramp is client.model=as400 from 1000,
31 commands. The "second session" case runs client.sessions=2 a second apart and compares the second one.
The three parts compared:
  port_reply  the PORT/EPRT reply, code and text ("(no reply)" when the box dropped it)
  data        the data command's final reply, code and text, after an accepted PORT/EPRT (else "-")
  session     alive, ended (by the server or the box) or stalled (no reply: the client gave up)
The NAT port held by another client runs two clients naming port 5000 at once, the holder nearer the box,
and also compares whether the NAT moved the case's port (sessions.csv nat_port_moves; the kernel's new port
is random, so only "moved" is compared). A case the simulator cannot express is listed as not simulated."""

import csv
import os
import subprocess

import netns

PARTS = ("port_reply", "data", "session")
NOT_SIMULATED = {
    "after an unused PORT to the same port": "one run's sessions each make their data connection; an earlier "
                                             "session that sent PORT and no data command is not expressible",
}
HELD = "NAT port held by another client"

PLATFORM = """<?xml version='1.0'?>
<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
<platform version="4.1">
  <zone id="lab" routing="Full">
    <host id="client" speed="1Gf">
      <prop id="ftpsim.role" value="client"/>
      <prop id="ftpsim.address" value="{client}"/>{advertised}
    </host>
    <host id="server" speed="1Gf">
      <prop id="ftpsim.role" value="server"/>
      <prop id="ftpsim.address" value="{server}"/>
    </host>
    <link id="router" bandwidth="1Gbps" latency="100us">
      <prop id="ftpsim.middlebox" value="netfilter"/>
    </link>
    <route src="client" dst="server"><link_ctn id="router"/></route>
  </zone>
</platform>
"""


TWO_CLIENTS = """<?xml version='1.0'?>
<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
<platform version="4.1">
  <zone id="lab" routing="Full">
    <host id="client" speed="1Gf">
      <prop id="ftpsim.role" value="client"/>
      <prop id="ftpsim.address" value="{client}"/>
    </host>
    <host id="holder" speed="1Gf">
      <prop id="ftpsim.role" value="client"/>
      <prop id="ftpsim.address" value="{holder}"/>
    </host>
    <host id="server" speed="1Gf">
      <prop id="ftpsim.role" value="server"/>
      <prop id="ftpsim.address" value="{server}"/>
    </host>
    <link id="client_lan" bandwidth="1Gbps" latency="120us"/>
    <link id="holder_lan" bandwidth="1Gbps" latency="100us"/>
    <link id="router" bandwidth="1Gbps" latency="100us">
      <prop id="ftpsim.middlebox" value="netfilter"/>
    </link>
    <route src="client" dst="server"><link_ctn id="client_lan"/><link_ctn id="router"/></route>
    <route src="holder" dst="server"><link_ctn id="holder_lan"/><link_ctn id="router"/></route>
  </zone>
</platform>
"""


class CompareError(Exception):
    pass


def platform(work, foreign):
    path = os.path.join(work, f"platform-{'foreign' if foreign else 'own'}.xml")
    advertised = f'\n      <prop id="ftpsim.advertised_address" value="{netns.FOREIGN}"/>' if foreign else ""
    with open(path, "w") as f:
        f.write(PLATFORM.format(client=netns.CLIENT, server=netns.SERVER, advertised=advertised))
    return path


def two_clients(work):
    """The platform with a second client (the holder, at the foreign address) nearer the same box: both name
    port 5000 at time 0, the holder's PORT reaches the box first and takes the NAT's port 5000. The measured
    holder never sends a data command, but a simulated session does: the client's link is only 20 us longer than
    the holder's, so the client's PORT reaches the box before the holder's data connection uses the expectation up."""
    path = os.path.join(work, "platform-two-clients.xml")
    with open(path, "w") as f:
        f.write(TWO_CLIENTS.format(client=netns.CLIENT, holder=netns.FOREIGN, server=netns.SERVER))
    return path


def server_knobs(server):
    """The ftpsim policy and knobs of a measured server configuration (run_middlebox.SERVER_CONFIGS)."""
    if server.startswith("vsftpd"):
        return ["server.policy=vsftpd"] + (["server.port_promiscuous=1"] if "port_promiscuous=YES" in server else [])
    if server.startswith("pyftpdlib"):
        return ["server.policy=pyftpdlib", "server.permit_foreign_addresses=1", "server.permit_privileged_ports=1"]
    raise CompareError(f"no model for the server {server}")


def _reply(code, text=""):
    return f"{code} {text}" if code else "(no reply)"


def measured_steps(facts_of_steps):
    """[(port, parts)] from the measured step facts."""
    out = []
    for port, f in facts_of_steps:
        accepted = f["port_reply"] is not None and 200 <= f["port_reply"]["code"] < 300
        final = f["data"]["final"] if accepted and f["data"] else None
        out.append((port, {
            "port_reply": _reply(f["port_reply"]["code"], f["port_reply"]["text"]) if f["port_reply"] else _reply(""),
            "data": (_reply(final["code"], final["text"]) if final else "(no reply)") if accepted and f["data"]
            else "-",
            "session": "stalled" if f["stalled"] else "alive" if f["session_alive"] else "ended"}))
    return out


def simulated_steps(rows, outcome):
    """[(port, parts)] from `ftpsim run --trace`'s commands.csv rows and the session's outcome."""
    steps = []
    for row in rows:
        if row["command"] in ("PORT", "EPRT"):
            steps.append({"port": int(row["port"]), "port_row": row, "data_row": None})
        elif steps:
            steps[-1]["data_row"] = row
    out = []
    for i, s in enumerate(steps):
        p, d = s["port_row"], s["data_row"]
        accepted = p["accepted"] == "1"
        if i + 1 < len(steps):
            session = "alive"
        elif p["reply_code"] == "" and p["failure"] != "middlebox_closed":
            session = "stalled"  # no reply to the PORT/EPRT: the client gave up
        else:
            session = "ended" if outcome in ("ended_by_server", "ended_by_middlebox", "disconnected") else "alive"
        out.append((s["port"], {"port_reply": _reply(p["reply_code"], p["reply_text"]),
                                "data": (_reply(d["reply_code"], d["reply_text"]) if d else "(no reply)")
                                if accepted else "-",
                                "session": session}))
    return out


def simulate(ftpsim, work, name, config, foreign, sets, select=("session", "1"), platform_path=None):
    """(steps, sessions.csv row) of the session whose column select[0] is select[1]."""
    out = os.path.join(work, name)
    argv = [ftpsim, "run", platform_path or platform(work, foreign), "--quiet", "--trace", "--out", out]
    for knob in server_knobs(config["server"]) + [
            f"middlebox.loose={int(config['loose'])}", f"middlebox.nat={'yes' if config['nat'] else 'no'}",
            f"middlebox.nat_address={netns.ROUTER_SERVER_SIDE}"] + (["network.third_party=reachable"] if foreign
                                                                    else []) + sets:
        argv += ["--set", knob]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise CompareError(f"{' '.join(argv)}: status {result.returncode}: {result.stderr.strip()}")
    column, value = select
    with open(os.path.join(out, "commands.csv"), newline="") as f:
        rows = [r for r in csv.DictReader(f) if r[column] == value]
    with open(os.path.join(out, "sessions.csv"), newline="") as f:
        session = next(r for r in csv.DictReader(f) if r[column] == value)
    return simulated_steps(rows, session["outcome"]), session


def compress(steps):
    """[(port, parts)] -> [(ports "a..b", parts)], consecutive ports with equal parts merged."""
    out = []
    for port, parts in steps:
        if out and out[-1][2] == parts and out[-1][1] == port - 1:
            out[-1] = (out[-1][0], port, parts)
        else:
            out.append((port, port, parts))
    return [(str(a) if a == b else f"{a}..{b}", parts) for a, b, parts in out]


def compare_config(ftpsim, work, config):
    """Rows {case, measured, model, agree{part}} for one measured configuration."""
    os.makedirs(work, exist_ok=True)
    rows = []
    for case in config["cases"]:
        variant = case["case"].split(f" {case['port']} ", 1)[1] if f" {case['port']} " in case["case"] else ""
        measured = measured_steps([(case["port"], case)])[0][1]
        if variant in NOT_SIMULATED:
            rows.append({"case": case["case"], "measured": measured, "model": None, "why": NOT_SIMULATED[variant]})
            continue
        sets = ["client.model=fixed", f"client.port={case['port']}", "session.commands=1"]
        if case["command"] == "EPRT":
            sets.append("client.port_command=eprt")
        select, platform_path = ("session", "1"), None
        if variant == "second session":  # the measured case's session, run twice a second apart
            sets += ["client.sessions=2", "workload.arrival=interval", "workload.interval=1"]
            select = ("session", "2")
        if variant == HELD:  # the holder, nearer the server, sends its PORT first
            select, platform_path = ("client_host", "client"), two_clients(work)
        name = case["case"].replace(" ", "-")
        steps, session = simulate(ftpsim, work, name, config, case["address"] == "foreign", sets, select,
                                  platform_path)
        model = steps[0][1] if steps else {p: "(no session)" for p in PARTS}
        row = {"case": case["case"], "measured": measured, "model": model,
               "agree": {p: measured[p] == model[p] for p in PARTS}}
        if variant == HELD:  # and whether the NAT moved the port (the kernel's new port is random)
            moved = {"measured": case["server_saw"] is not None and case["server_saw"]["port"] != "as sent",
                     "model": session["nat_port_moves"] not in ("", "0")}
            row["port_moved"] = moved
            measured["port_moved"], model["port_moved"] = (("yes" if moved[w] else "no") for w in ("measured", "model"))
            row["agree"]["port_moved"] = moved["measured"] == moved["model"]
        rows.append(row)
    for seq in config["sequences"]:
        first, last = (int(x) for x in seq["ports"].split(".."))
        sets = ["client.model=as400", f"client.start_port={first}", f"session.commands={last - first + 1}"]
        model = compress(simulate(ftpsim, work, "AS400-ramp", config, False, sets)[0])
        steps = measured_steps([(int(p), f) for p, f in seq["step_facts"]])
        ended = next((i for i, (_, parts) in enumerate(steps) if parts["session"] != "alive"), len(steps))
        measured = compress(steps[:ended + 1])  # the probe's PORT after the session ended found it closed
        rows.append({"case": f"{seq['name']} {seq['ports']}", "sequence": True, "measured": measured, "model": model,
                     "agree": {"steps": measured == model}})
    return rows

"""The cases run through the router, each one whole `ftpsim probe` session inside the client namespace, reduced to
the conformance suite's facts (tests/conformance/sessions.py: port_reply, connected_before_reply, data,
session_alive, stalled) plus what the router and the server made of it:
  server_saw            {peer, address, port} of the PORT/EPRT as the server logged it: peer and address named
                        by role (client, foreign, nat = the router's masquerade address), port "as sent",
                        "the next one", "another, higher/lower" (nf_nat_ftp's replacement for a taken port is
                        not the next one in current kernels), or null: the server saw none
  expectations_pending  expectations left in the router's table after the session (conntrack -L expect)
A case may first run a holder: another control connection, left open, whose PORT creates an expectation
the case's PORT then meets (the NAT port busy case), or an earlier session of the probe itself."""

import csv
import os
import socket
import subprocess

import netns
import server_ns
import sessions

PORTS = [1000, 1023, 1024, 5000]
RAMP = (1000, 31)         # the AS/400 ramp 1000..1030, a data command after every PORT
BUSY_PORT = 5000
SECOND_SESSION_PORT = 1000
PROBE_TIMEOUT = "5"       # longer than vsftpd's connect_timeout (server_ns.CONNECT_TIMEOUT)
ROLES = {netns.CLIENT: "client", netns.FOREIGN: "foreign", netns.ROUTER_SERVER_SIDE: "nat",
         netns.ROUTER_CLIENT_SIDE: "router (client side)", netns.SERVER: "server"}


class MeasureError(Exception):
    pass


class Bench:
    """One configuration's topology, firewall and server; runs cases and returns their facts."""

    def __init__(self, topology, server, ftpsim, work):
        self.topology, self.server, self.ftpsim, self.work = topology, server, ftpsim, work

    def probe(self, name, start_port, commands, command="PORT", foreign=False, extra=()):
        out = os.path.join(self.work, name)
        argv = [self.ftpsim, "probe", "--server", f"{netns.SERVER}:21", "--timeout", PROBE_TIMEOUT, "--out", out,
                "--quiet", "--command", command, "--commands", str(commands),
                "--set", f"client.start_port={start_port}"] + list(extra)
        if foreign:
            argv += ["--address", netns.FOREIGN]
        try:
            result = subprocess.run(self.topology.exec_argv("client", argv), capture_output=True, text=True,
                                    timeout=60 + 10 * commands)
        except subprocess.TimeoutExpired as e:
            raise MeasureError(f"{name}: {e}")
        finally:
            self.topology.end_client_connections()
        if result.returncode not in (0, 1, 3) or not os.path.exists(os.path.join(out, "commands.csv")):
            raise MeasureError(f"{name}: {' '.join(argv)} failed with status {result.returncode}:\n"
                               f"{result.stderr}{result.stdout}\n{self.server.logs()}")
        with open(os.path.join(out, "commands.csv"), newline="") as f:
            return list(csv.DictReader(f))

    def server_saw(self, offset):
        seen = []
        for peer, command, argument in self.server.commands_since(offset):
            address, port = server_ns.parse_argument(command, argument)
            seen.append({"peer": ROLES.get(peer, peer), "address": ROLES.get(address, address), "port": port})
        return seen

    def single(self, command, address, port, variant="", holder=None, extra=()):
        """One session of one step; holder(bench) runs first and returns a closer (or None)."""
        self.topology.forget_connections()
        closer = holder(self) if holder else None
        offset = self.server.log_offset()
        slug = f"{command}-{address}-{port}" + (f"-{variant}".replace(" ", "_") if variant else "")
        try:
            rows = self.probe(slug, port, 1, command, address == "foreign", extra)
        finally:
            if closer:
                closer()
        facts = sessions.case(command, address, port, True, variant, rows)
        seen = self.server_saw(offset)
        facts["server_saw"] = _classify(seen[0], port) if seen else None
        facts["expectations_pending"] = len(self.topology.expectations())
        return facts

    def ramp(self):
        self.topology.forget_connections()
        offset = self.server.log_offset()
        first, count = RAMP
        rows = self.probe("AS400-ramp", first, count, "PORT", False, ["--data-after-refusal"])
        facts = sessions.sequence("AS/400 ramp", first, count, rows)
        steps = []
        for row in rows:
            if row["command"] in ("PORT", "EPRT"):
                steps.append([])
            steps[-1].append(row)
        facts["step_facts"] = []
        for step in steps:  # up to the step that ended the session (a PORT after it may or may not be sent)
            facts["step_facts"].append([int(step[0]["port"]), sessions.step_facts(step)])
            if not facts["step_facts"][-1][1]["session_alive"]:
                break
        sent = [int(r["port"]) for r in rows if r["command"] == "PORT"]
        seen = self.server_saw(offset)
        facts["server_saw_as_sent"] = sum(1 for s, p in zip(seen, sent) if s["port"] == p)
        facts["server_saw_count"] = len(seen)
        facts["expectations_pending"] = len(self.topology.expectations())
        return facts

    def cases(self, nat):
        cases = []
        for command in ("PORT", "EPRT"):
            for address in ("own", "foreign"):
                for port in PORTS:
                    cases.append(self.single(command, address, port))
        # The same port again from a new session, after a session that left its PORT's expectation
        # pending (accepted, no data command): without NAT the expectations clash, with NAT the masquerade
        # address's port is taken.
        cases.append(self.single("PORT", "own", BUSY_PORT, "after an unused PORT to the same port",
                                 holder=lambda bench: bench.unused_port(BUSY_PORT)))
        # The same whole session twice, at the KB's first port: the first one's expectation may outlive it.
        cases.append(self.single("PORT", "own", SECOND_SESSION_PORT, "second session",
                                 holder=lambda bench: bench.first_session(SECOND_SESSION_PORT)))
        if nat:
            cases.append(self.single("PORT", "own", BUSY_PORT, "NAT port held by another client",
                                     holder=lambda bench: bench.other_client_holds(BUSY_PORT)))
        return cases

    def unused_port(self, port):
        """A first probe session: PORT, no data command, QUIT. Its expectation stays in the router."""
        self.probe(f"unused-{port}", port, 1, "PORT", False, ["--no-transfer"])
        return None

    def first_session(self, port):
        """The case's own session once before, data command and all."""
        self.probe(f"first-{port}", port, 1, "PORT", False)
        return None

    def other_client_holds(self, port):
        """Another client behind the NAT (the FOREIGN address) logs in and sends PORT for the same port,
        then keeps its control connection open while the case runs. Returns its closer. (A server that
        connects at once, pyftpdlib, uses the expectation up: the port is not held then.)"""
        with netns.Inside(self.topology.ns["client"]):
            s, listener = socket.socket(), socket.socket()
        s.settimeout(5)

        def close():
            s.close()
            listener.close()
        try:
            # pyftpdlib connects while it answers the PORT: listen first (the kernel accepts into the backlog)
            listener.bind((netns.FOREIGN, port))
            listener.listen(1)
            s.bind((netns.FOREIGN, 0))
            s.connect((netns.SERVER, 21))
            f = s.makefile("rwb", buffering=0)
            _expect(f, b"220")
            for line, code in ((b"USER anonymous", b"331"), (b"PASS holder@", b"230"),
                               (b"PORT " + netns.FOREIGN.replace(".", ",").encode() +
                                f",{port // 256},{port % 256}".encode(), b"200")):
                f.write(line + b"\r\n")
                _expect(f, code)
        except (OSError, MeasureError) as e:
            close()
            raise MeasureError(f"the holder session: {e}")
        return close

    def configuration(self, nat):
        return {"cases": self.cases(nat), "sequences": [self.ramp()]}


def _expect(f, code):
    while True:
        line = f.readline()
        if not line:
            raise MeasureError(f"connection closed, waiting for {code.decode()}")
        if line[:3] == code and line[3:4] == b" ":
            return
        if line[3:4] == b" ":
            raise MeasureError(f"expected {code.decode()}, got {line.decode(errors='replace').strip()}")


def _classify(seen, sent_port):
    """The port as a class: nf_nat_ftp's replacement for a taken port is random (nf_nat_exp_find_port)."""
    port = seen["port"]
    if port == sent_port:
        kind = "as sent"
    elif port == sent_port + 1:
        kind = "the next one"
    else:
        kind = "another, higher" if port > sent_port else "another, lower"
    return {"peer": seen["peer"], "address": seen["address"], "port": kind}

#!/usr/bin/python3
"""The benchmark's peer: the scenario a user would otherwise write with SimGrid's Python bindings.

The same sessions as bench/floor.c and ftpsim's rejecting-server workload: a spawner per client host
opens SESSIONS_PER_HOST sessions (at once, or one every INTERVAL simulated seconds); each session's
client actor starts its own server actor and exchanges CONNECT/220, USER/331, PASS/230, COMMANDS x
PORT/500 (a host-wide port counter over 1..65534; the server refuses ports below 65535), QUIT/221,
with ftpsim's message sizes (text with CRLF, plus 40 bytes of TCP/IP headers).

usage: /usr/bin/python3 bench/peer.py PLATFORM SERVER_HOST CLIENT_HOST[,...] SESSIONS_PER_HOST COMMANDS [INTERVAL [THINK]]
       [--cfg=...]
prints: sessions=N exchanges=N simulated_time=T run_seconds=S (S: wall time from the Engine to the end
of the run, what a harness that imports simgrid once and forks per run would still pay per run)
"""
import sys
import time
import xml.etree.ElementTree as ElementTree

from simgrid import Actor, Engine, Host, Mailbox, this_actor

HEADER = 40
LOW_PORT, HIGH_PORT, MIN_ACCEPTED = 1, 65534, 65535


def port_command(address, port):
    return "PORT %d,%d,%d,%d,%d,%d\r\n" % (*address, port >> 8, port & 0xFF)


def reply_for(command, port):
    if command.startswith("CONNECT"):
        return "220 Service ready for new user.\r\n"
    if command.startswith("USER"):
        return "331 User name okay, need password.\r\n"
    if command.startswith("PASS"):
        return "230 User logged in, proceed.\r\n"
    if command.startswith("PORT"):
        return "500 Syntax error, command unrecognized.\r\n" if port < MIN_ACCEPTED else "200 PORT command successful.\r\n"
    return "221 Goodbye.\r\n"


class Bench:
    sessions_done = 0
    exchanges = 0
    free_slots = []
    slots_created = 0


def slot_take():
    if Bench.free_slots:
        return Bench.free_slots.pop()
    n = Bench.slots_created
    Bench.slots_created += 1
    return (Mailbox.by_name("s%d.in" % n), Mailbox.by_name("s%d.out" % n))


def server(slot):
    to_server, to_client = slot
    while True:
        command, port = to_server.get()
        reply = reply_for(command, port)
        to_client.put(reply, len(reply) + HEADER)
        if command.startswith("QUIT"):
            return


class ClientHost:
    def __init__(self, host, address):
        self.host = host
        self.address = tuple(int(x) for x in address.split("."))
        self.next_port = LOW_PORT

    def take_port(self):
        port = self.next_port
        self.next_port = LOW_PORT if port == HIGH_PORT else port + 1
        return port


def client(client_host, server_host, commands, think):
    slot = slot_take()
    to_server, to_client = slot
    Actor.create("server", server_host, server, slot)

    def exchange(text, size, port=0):
        to_server.put((text, port), size + HEADER)
        reply = to_client.get()
        Bench.exchanges += 1
        return reply

    exchange("CONNECT", 0)
    exchange("USER anonymous\r\n", 16)
    exchange("PASS guest\r\n", 12)
    for i in range(commands):
        if i > 0 and think > 0:
            this_actor.sleep_for(think)
        port = client_host.take_port()
        text = port_command(client_host.address, port)
        reply = exchange(text, len(text), port)
        if not reply.startswith("500"):
            raise RuntimeError("PORT %d was not rejected: %s" % (port, reply))
    exchange("QUIT\r\n", 6)
    Bench.free_slots.append(slot)
    Bench.sessions_done += 1


def spawner(client_host, server_host, sessions, commands, interval, think):
    for i in range(sessions):
        if i > 0 and interval > 0:
            this_actor.sleep_for(interval)
        Actor.create("client", client_host.host, client, client_host, server_host, commands, think)


def main():
    start = time.perf_counter()
    engine = Engine(sys.argv)
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) not in (5, 6, 7):
        sys.exit("usage: peer.py PLATFORM SERVER_HOST CLIENT_HOST[,...] SESSIONS_PER_HOST COMMANDS [INTERVAL [THINK]]")
    platform, server_name, client_names, sessions, commands = args[:5]
    interval = float(args[5]) if len(args) >= 6 else 0.0
    think = float(args[6]) if len(args) >= 7 else 0.0
    engine.load_platform(platform)
    server_host = Host.by_name(server_name)
    # The bindings of 3.32 do not read host properties: take ftpsim.address from the file.
    addresses = {host.get("id"): prop.get("value") for host in ElementTree.parse(platform).iter("host")
                 for prop in host.iter("prop") if prop.get("id") == "ftpsim.address"}
    clients = [ClientHost(Host.by_name(name), addresses[name]) for name in client_names.split(",")]
    for client_host in clients:
        Actor.create("spawner", client_host.host, spawner, client_host, server_host, int(sessions), int(commands),
                     interval, think)
    engine.run()
    print("sessions=%d exchanges=%d simulated_time=%.6f run_seconds=%.6f"
          % (Bench.sessions_done, Bench.exchanges, engine.clock, time.perf_counter() - start))
    sys.exit(0 if Bench.sessions_done == int(sessions) * len(clients) else 1)


if __name__ == "__main__":
    main()

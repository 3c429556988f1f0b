#!/usr/bin/python3
"""The benchmark's peer: the scenario a user would otherwise write with SimGrid's Python bindings.

The same sessions as bench/floor.c and ftpsim's rejected-PORT workload: a spawner on the client host
opens SESSIONS sessions (at once, or one every INTERVAL simulated seconds); each session's client
actor starts its own server actor and exchanges CONNECT/220, USER/331, PASS/230, COMMANDS x PORT/500
(the NT 3.51 SP2 rule: ports below 1024 are refused, KB Q140424), QUIT/221, with ftpsim's message
sizes (text with CRLF, plus 40 bytes of TCP/IP headers).

usage: /usr/bin/python3 bench/peer.py PLATFORM CLIENT_HOST SERVER_HOST SESSIONS COMMANDS [INTERVAL] [--cfg=...]
prints: sessions=N exchanges=N simulated_time=T
"""
import sys

from simgrid import Actor, Engine, Host, Mailbox, this_actor

HEADER = 40
CLIENT_ADDRESS = (192, 0, 2, 10)
START_PORT = 1000


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
        return "500 Invalid PORT Command.\r\n" if port < 1024 else "200 PORT command successful.\r\n"
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
        to_client.put_init(reply, len(reply) + HEADER).detach()
        if command.startswith("QUIT"):
            return


def client(server_host, commands):
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
    port = START_PORT
    for _ in range(commands):
        text = port_command(CLIENT_ADDRESS, port)
        reply = exchange(text, len(text), port)
        if not reply.startswith("500"):
            raise RuntimeError("PORT %d was not rejected: %s" % (port, reply))
    exchange("QUIT\r\n", 6)
    Bench.free_slots.append(slot)
    Bench.sessions_done += 1


def spawner(server_host, sessions, commands, interval):
    for i in range(sessions):
        if i > 0 and interval > 0:
            this_actor.sleep_for(interval)
        Actor.create("client", Host.current(), client, server_host, commands)


def main():
    engine = Engine(sys.argv)
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) not in (5, 6):
        sys.exit("usage: peer.py PLATFORM CLIENT_HOST SERVER_HOST SESSIONS COMMANDS [INTERVAL] [--cfg=...]")
    platform, client_name, server_name, sessions, commands = args[:5]
    interval = float(args[5]) if len(args) == 6 else 0.0
    engine.load_platform(platform)
    client_host = Host.by_name(client_name)
    server_host = Host.by_name(server_name)
    Actor.create("spawner", client_host, spawner, server_host, int(sessions), int(commands), interval)
    engine.run()
    print("sessions=%d exchanges=%d simulated_time=%.6f" % (Bench.sessions_done, Bench.exchanges, engine.clock))
    sys.exit(0 if Bench.sessions_done == int(sessions) else 1)


if __name__ == "__main__":
    main()

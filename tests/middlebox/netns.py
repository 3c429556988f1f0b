"""Three network namespaces, client - router - server, the router running the Linux FTP conntrack helper.

Every address is in 127.0.0.0/8, as all of this project's network tests: ftpsim probe names another
address in a PORT only on loopback (its guard against the FTP bounce attack), and here that address must
route through the router. So each namespace turns route_localnet on, keeps only 127.0.0.1/32 on lo (not the
whole /8), and puts 127.77.1.0/24 (client side) and 127.77.2.0/24 (server side) on veth pairs. The client
owns a second address, FOREIGN: a PORT naming it names "another host" of the client's network, which the
probe can still listen on, so a data connection the firewall lets through arrives.

The router's nftables ruleset: the `ftp` helper assigned to TCP port 21, a forward policy that drops all but
established/related packets and new control connections from the client side, and optionally masquerade
towards the server (nf_nat_ftp then rewrites PORT/EPRT). The helper's `loose` parameter is global to the
kernel (/sys/module/nf_conntrack_ftp/parameters/loose), read on every packet; Loose sets and restores it.
Everything made here is removed by Topology.remove(), which the caller runs in a finally."""

import ctypes
import os
import subprocess

CLIENT = "127.77.1.2"
FOREIGN = "127.77.1.3"
ROUTER_CLIENT_SIDE = "127.77.1.1"
ROUTER_SERVER_SIDE = "127.77.2.1"  # the masquerade (NAT) address
SERVER = "127.77.2.2"
LOOSE = "/sys/module/nf_conntrack_ftp/parameters/loose"
CLONE_NEWNET = 0x40000000


class SetupError(Exception):
    pass


def sh(argv, input_text=None, check=True):
    result = subprocess.run(argv, input=input_text, capture_output=True, text=True, timeout=30)
    if check and result.returncode != 0:
        raise SetupError(f"{' '.join(argv)}: status {result.returncode}: {result.stderr.strip()}")
    return result


def ruleset(client_if, server_if, nat):
    rules = f"""table inet ftpsim_middlebox {{
  ct helper ftp_port_21 {{
    type "ftp" protocol tcp
  }}
  chain assign_helper {{
    type filter hook prerouting priority filter; policy accept;
    tcp dport 21 ct helper set "ftp_port_21"
  }}
  chain stateful_forward {{
    type filter hook forward priority filter; policy drop;
    ct state established,related accept
    iifname "{client_if}" oifname "{server_if}" tcp dport 21 ct state new accept
  }}
}}
"""
    if nat:
        rules += f"""table ip ftpsim_middlebox_nat {{
  chain masquerade_to_server {{
    type nat hook postrouting priority srcnat; policy accept;
    oifname "{server_if}" masquerade
  }}
}}
"""
    return rules


class Topology:
    def __init__(self, tag):
        self.ns = {role: f"ftpsim-mb{tag}-{role}" for role in ("client", "router", "server")}
        self.client_if, self.router_client_if = f"mb{tag}c0", f"mb{tag}rc"
        self.server_if, self.router_server_if = f"mb{tag}s0", f"mb{tag}rs"
        self.made = []

    def create(self):
        for role, ns in self.ns.items():
            sh(["ip", "netns", "add", ns])
            self.made.append(ns)
            self.ip(role, "link", "set", "lo", "up")
            self.sysctl(role, "net.ipv4.conf.all.route_localnet=1", "net.ipv4.conf.default.route_localnet=1")
            self.ip(role, "addr", "del", "127.0.0.1/8", "dev", "lo")
            self.ip(role, "addr", "add", "127.0.0.1/32", "dev", "lo")
        sh(["ip", "link", "add", self.client_if, "netns", self.ns["client"], "type", "veth", "peer", "name",
            self.router_client_if, "netns", self.ns["router"]])
        sh(["ip", "link", "add", self.server_if, "netns", self.ns["server"], "type", "veth", "peer", "name",
            self.router_server_if, "netns", self.ns["router"]])
        for role, dev, addresses in (("client", self.client_if, (CLIENT, FOREIGN)),
                                     ("router", self.router_client_if, (ROUTER_CLIENT_SIDE,)),
                                     ("router", self.router_server_if, (ROUTER_SERVER_SIDE,)),
                                     ("server", self.server_if, (SERVER,))):
            for address in addresses:
                self.ip(role, "addr", "add", f"{address}/24", "dev", dev, "scope", "global")
            self.ip(role, "link", "set", dev, "up")
        self.ip("client", "route", "add", "default", "via", ROUTER_CLIENT_SIDE)
        self.ip("server", "route", "add", "default", "via", ROUTER_SERVER_SIDE)
        self.sysctl("router", "net.ipv4.ip_forward=1")

    def firewall(self, nat):
        """Replace the router's ruleset; forget every connection and expectation of the previous one."""
        sh(["ip", "netns", "exec", self.ns["router"], "nft", "flush", "ruleset"])
        sh(["ip", "netns", "exec", self.ns["router"], "nft", "-f", "-"],
           input_text=ruleset(self.router_client_if, self.router_server_if, nat))
        self.forget_connections()

    def forget_connections(self):
        """An expectation outlives its control connection (5 minutes): a later PORT to the same port would
        clash with it. Each case starts from an empty connection and expectation table."""
        for table in ("expect", "conntrack"):
            sh(["ip", "netns", "exec", self.ns["router"], "conntrack", "-F", table], check=False)

    def end_client_connections(self):
        """Abort the client's sockets to the server: a probe that gave up on a dropped PORT leaves an orphan
        retransmitting it, which would pass once the tables are flushed and reach the next case's server log."""
        sh(["ip", "netns", "exec", self.ns["client"], "ss", "-K", "-t", "-a", "dst", SERVER], check=False)

    def expectations(self):
        out = sh(["ip", "netns", "exec", self.ns["router"], "conntrack", "-L", "expect"], check=False).stdout
        return [line for line in out.splitlines() if line.strip()]

    def remove(self):
        for ns in reversed(self.made):
            sh(["ip", "netns", "del", ns], check=False)
        self.made = []

    def ip(self, role, *args):
        sh(["ip", "-n", self.ns[role]] + list(args))

    def sysctl(self, role, *settings):
        sh(["ip", "netns", "exec", self.ns[role], "sysctl", "-qw"] + list(settings))

    def exec_argv(self, role, argv):
        return ["ip", "netns", "exec", self.ns[role]] + list(argv)


_libc = ctypes.CDLL(None, use_errno=True)


def enter(ns):
    """Move the calling process (a child before exec, or this single-threaded script) into ns's network."""
    fd = os.open(f"/run/netns/{ns}", os.O_RDONLY)
    try:
        if _libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), f"setns {ns}")
    finally:
        os.close(fd)


class Inside:
    """with Inside(ns): sockets created in the block belong to ns (they keep it after the block)."""

    def __init__(self, ns):
        self.ns = ns

    def __enter__(self):
        self.home = os.open("/proc/self/ns/net", os.O_RDONLY)
        enter(self.ns)

    def __exit__(self, *exc):
        try:
            if _libc.setns(self.home, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns back")
        finally:
            os.close(self.home)


class Loose:
    """The helper's loose parameter: read, set, restore (it is the whole kernel's, not one namespace's)."""

    def __init__(self):
        self.original = None

    def readable(self):
        return os.path.exists(LOOSE)

    def get(self):
        with open(LOOSE) as f:
            return f.read().strip() in ("Y", "1")

    def set(self, value):
        if self.original is None:
            self.original = self.get()
        with open(LOOSE, "w") as f:
            f.write("Y" if value else "N")
        return self.get() == value

    def restore(self):
        if self.original is not None:
            try:
                self.set(self.original)
            except OSError:
                pass

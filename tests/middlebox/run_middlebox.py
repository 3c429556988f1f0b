#!/usr/bin/python3
"""The real Linux netfilter FTP helpers (nf_conntrack_ftp, nf_nat_ftp) measured through a router namespace.

Builds client - router - server network namespaces (netns.py), runs vsftpd in the server namespace
(server_ns.py) and whole `ftpsim probe` sessions in the client namespace (measure.py) through each
configuration: NAT or not, the helper's loose=0/1, vsftpd default or port_promiscuous=YES. Writes
measured-middlebox.{json,md} into --work and compares them with the committed ones beside this script
(--write rewrites those instead).

Needs root, network namespaces, nftables and conntrack (Debian's nftables and conntrack packages) and the
kernel's FTP helper. Exit 77 (skipped) with the reason when one is missing; with CI set, as root, the
packages are installed with apt-get first. Everything started is stopped by its PID, every namespace
removed and the helper's loose parameter restored, on any exit.

Usage: run_middlebox.py --ftpsim BUILD/ftpsim --work BUILD/middlebox [--write]"""

import argparse
import os
import shutil
import signal
import subprocess
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(1, os.path.join(HERE, "..", "conformance"))
import measure  # noqa: E402
import middlebox_doc  # noqa: E402
import netns  # noqa: E402
import server_ns  # noqa: E402
import servers  # noqa: E402

SKIP = 77
PACKAGES = ["nftables", "conntrack"]
TOOLS = ["nft", "conntrack", "ip", "ss"]
# vsftpd refuses PORT below 1024 (default), or accepts it and then ends the session at the data command
# (port_promiscuous=YES); pyftpdlib with both permits connects there, so low ports reach the data phase.
SERVER_CONFIGS = [("vsftpd", "default", {}), ("vsftpd", "port_promiscuous=YES", {"port_promiscuous": "YES"}),
                  ("pyftpdlib", "permit_foreign_addresses, permit_privileged_ports",
                   {"permit_foreign_addresses": True, "permit_privileged_ports": True})]


class Interrupted(BaseException):
    pass


def skip(reason):
    print(f"SKIP: {reason}")
    return SKIP


def ensure_tools():
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing and os.environ.get("CI") and os.geteuid() == 0:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        print(f"installing {' '.join(PACKAGES)} (CI)")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends"] + PACKAGES, check=True,
                       env=env, stdout=subprocess.DEVNULL)
        missing = [t for t in TOOLS if shutil.which(t) is None]
    return missing


def prerequisites():
    """None when the measurement can run, else the reason it cannot."""
    if os.geteuid() != 0:
        return "needs root (network namespaces, nftables, the helper's loose parameter)"
    missing = ensure_tools()
    if missing:
        return (f"{' '.join(missing)} not found; install Debian's {' '.join(PACKAGES)} (or run with CI set, as "
                "root, and this test installs them)")
    if not os.path.isdir("/sys/module/nf_conntrack_ftp"):
        return "the kernel has no FTP conntrack helper (/sys/module/nf_conntrack_ftp: CONFIG_NF_CONNTRACK_FTP)"
    probe = subprocess.run(["ip", "netns", "add", f"ftpsim-mb-check{os.getpid()}"], capture_output=True, text=True)
    if probe.returncode != 0:
        return f"cannot create a network namespace: {probe.stderr.strip()}"
    subprocess.run(["ip", "netns", "del", f"ftpsim-mb-check{os.getpid()}"], capture_output=True)
    return None


def environment(loose_settable):
    return {"the helper's loose parameter": "settable at run time (/sys/module/nf_conntrack_ftp/parameters/loose)"
            if loose_settable else "not settable here: the loose=1 configurations are not measured",
            "the servers' data connect timeout": f"{server_ns.CONNECT_TIMEOUT} s (vsftpd connect_timeout, pyftpdlib "
                                             "ActiveDTP.timeout: a dropped data connection gives 425 after it)",
            "probe timeout": f"{measure.PROBE_TIMEOUT} s (a wait longer than that is recorded as a stall)",
            "between cases": "the router's connection and expectation tables are flushed (conntrack -F)"}


def measure_all(args, work, topology, loose):
    packages = os.path.join(work, "packages")
    servers.unpack_packages(packages)
    topology.create()
    loose_settable = True
    measured = []
    for nat in (False, True):
        topology.firewall(nat)
        for loose_value in (False, True):
            try:
                ok = loose.set(loose_value)
            except OSError:
                ok = False
            if not ok:
                loose_settable = False
            for kind, label, options in SERVER_CONFIGS:
                record = {"nat": nat, "loose": loose_value, "server": f"{kind} {label}"}
                if not ok:
                    record["skipped"] = f"the helper's loose parameter cannot be set to {int(loose_value)} here"
                    measured.append(record)
                    continue
                slug = f"{'nat' if nat else 'nonat'}-loose{int(loose_value)}-{kind}-{label.split('=')[0]}"
                server = server_ns.NamespacedServer(kind, f"{kind} ({label})", options, packages,
                                                    os.path.join(work, slug.replace(",", "")), topology.ns["server"])
                try:
                    server.start()
                    bench = measure.Bench(topology, server, args.ftpsim, os.path.join(work, slug, "sessions"))
                    record.update(bench.configuration(nat))
                finally:
                    server.stop()
                measured.append(record)
                print(f"measured: {middlebox_doc.config_title(record)}", flush=True)
    return measured, environment(loose_settable)


def compare_or_write(args, work, measured, env, failures):
    for name, text in (("measured-middlebox.json", middlebox_doc.render_json(measured, env)),
                       ("measured-middlebox.md", middlebox_doc.render_markdown(measured, env))):
        with open(os.path.join(work, name), "w") as f:
            f.write(text)
        committed = os.path.join(HERE, name)
        if args.write:
            with open(committed, "w") as f:
                f.write(text)
            print(f"wrote {committed}")
        elif not os.path.exists(committed) or open(committed).read() != text:
            failures.append(f"{committed} differs from this run's measurements ({work}/{name}): diff them; "
                            "if the change is real, rewrite it with --write and commit it")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ftpsim", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--write", action="store_true", help="rewrite the committed measured-middlebox files")
    args = parser.parse_args()
    args.ftpsim = os.path.abspath(args.ftpsim)
    work = os.path.abspath(args.work)

    reason = prerequisites()
    if reason:
        return skip(reason)
    os.makedirs(work, exist_ok=True)

    def terminate(signum, frame):
        raise Interrupted(f"interrupted by signal {signum}")
    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGINT, terminate)

    topology = netns.Topology(os.getpid())
    loose = netns.Loose()
    failures = []
    try:
        measured, env = measure_all(args, work, topology, loose)
    except (netns.SetupError, servers.ServerStartError, measure.MeasureError) as e:
        print(f"middlebox: {e}", file=sys.stderr)
        return 1
    finally:
        loose.restore()
        topology.remove()
    compare_or_write(args, work, measured, env, failures)
    if failures:
        print(f"\nmiddlebox: {len(failures)} failure(s):", file=sys.stderr)
        for failure in failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    print("middlebox: every measurement as committed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Real FTP servers from Debian packages, unpacked side by side and started by hand on loopback ports.

Each server runs as its own process with its own config file; stop() ends it by its PID. The packages
conflict as installed services (they all provide ftp-server), so they are fetched with
`apt-get download` and unpacked with `dpkg-deb -x` into the build folder, never installed."""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time

# Debian bookworm packages: the servers and the shared libraries the unpacked binaries need that a
# minimal Debian 12 system lacks (proftpd: hiredis, memcached; vsftpd: libwrap).
PACKAGES = ["vsftpd", "proftpd-core", "pure-ftpd", "python3-pyftpdlib",
            "libwrap0", "libhiredis0.14", "libmemcached11", "libmemcachedutil2", "libhashkit2"]

# The servers listen on their own loopback address, not the probe's 127.0.0.1: a server that opens its
# active data connections from port 20 (pure-ftpd) leaves TIME_WAIT entries on SERVER_ADDRESS:20,
# which would otherwise keep the probe from listening on 127.0.0.1:20 for a minute.
# Each configuration gets its own address, 127.0.0.(10 + its index): a server connecting from port 20 leaves
# TIME_WAIT entries on ADDRESS:20, and the next configuration's server must not find them on its own
# source address (vsftpd then answers "500 OOPS: vsf_sysutil_bind" and ends the session).
SERVER_ADDRESS = "127.0.0.10"

ANON_USER = "ftp"  # pure-ftpd serves anonymous sessions from this system user's home, by name
ANON_HOME = "/srv/ftpsim-anonymous"
SHARES = "/srv/ftpsim-shares"  # anonymous roots, outside the build folder (see Server.command)
# A local (password) account for the servers that treat authenticated users differently (pure-ftpd -w).
LOCAL_USER = "ftpsimuser"
LOCAL_PASSWORD = "ftpsim-conformance"
LOCAL_HOME = "/srv/ftpsim-local"


class ServerStartError(Exception):
    pass


def unpack_packages(root):
    """apt-get download + dpkg-deb -x into root; skipped when already unpacked."""
    stamp = os.path.join(root, ".unpacked")
    if os.path.exists(stamp):
        return
    debs = os.path.join(root, "debs")
    os.makedirs(debs, exist_ok=True)
    subprocess.run(["apt-get", "download", "-q"] + PACKAGES, cwd=debs, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for name in sorted(os.listdir(debs)):
        if name.endswith(".deb"):
            subprocess.run(["dpkg-deb", "-x", os.path.join(debs, name), os.path.join(root, "fs")], check=True)
    open(stamp, "w").close()


def ensure_anonymous_user():
    """pure-ftpd's anonymous sessions need a system user 'ftp' with an existing home folder."""
    try:
        entry = pwd.getpwnam(ANON_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--home-dir", ANON_HOME, "--no-create-home",
                        "--shell", "/usr/sbin/nologin", ANON_USER], check=True)
        entry = pwd.getpwnam(ANON_USER)
    os.makedirs(entry.pw_dir, exist_ok=True)
    os.chmod(entry.pw_dir, 0o755)
    if entry.pw_dir == ANON_HOME:  # ours: keep it to the two files pure-ftpd lists, whatever ran before
        for name in os.listdir(ANON_HOME):
            if name not in ("a.txt", "b.txt"):
                path = os.path.join(ANON_HOME, name)
                shutil.rmtree(path) if os.path.isdir(path) and not os.path.islink(path) else os.remove(path)
    return entry.pw_dir


def ensure_local_user():
    """A system user with a password (pure-ftpd's unix login reads /etc/shadow) and a home with a.txt, b.txt."""
    try:
        pwd.getpwnam(LOCAL_USER)
    except KeyError:
        subprocess.run(["useradd", "--home-dir", LOCAL_HOME, "--no-create-home", "--shell", "/bin/sh", LOCAL_USER],
                       check=True)
    subprocess.run(["chpasswd"], input=f"{LOCAL_USER}:{LOCAL_PASSWORD}\n", text=True, check=True)
    entry = pwd.getpwnam(LOCAL_USER)
    os.makedirs(LOCAL_HOME, exist_ok=True)
    for name in os.listdir(LOCAL_HOME):
        if name not in ("a.txt", "b.txt"):
            path = os.path.join(LOCAL_HOME, name)
            shutil.rmtree(path) if os.path.isdir(path) and not os.path.islink(path) else os.remove(path)
    for name in ("a.txt", "b.txt"):
        with open(os.path.join(LOCAL_HOME, name), "w") as f:
            f.write("ftpsim conformance\n")
    os.chown(LOCAL_HOME, entry.pw_uid, entry.pw_gid)
    os.chmod(LOCAL_HOME, 0o755)


def free_port(address="127.0.0.1"):
    with socket.socket() as s:
        s.bind((address, 0))
        return s.getsockname()[1]


class Server:
    """One server process in one configuration. name: the ftpsim policy; knobs: --set assignments."""

    def __init__(self, kind, label, options, knobs, root, workdir, local_login=False, address=SERVER_ADDRESS):
        self.address = address
        self.local_login = local_login  # sessions log in as LOCAL_USER, not anonymously
        self.kind = kind          # vsftpd | proftpd | pure-ftpd | pyftpdlib
        self.label = label        # e.g. "vsftpd port_promiscuous=YES"
        self.options = options    # the server's own config knobs
        self.knobs = knobs        # the ftpsim model's matching --set assignments
        self.root = os.path.abspath(root)  # unpacked packages
        self.dir = os.path.abspath(workdir)
        self.port = None
        self.process = None
        self.log_path = os.path.join(workdir, "server.log")

    def env(self):
        env = dict(os.environ)
        libs = [os.path.join(self.root, "fs", p) for p in ("usr/lib/x86_64-linux-gnu", "lib/x86_64-linux-gnu")]
        env["LD_LIBRARY_PATH"] = ":".join(libs + [env.get("LD_LIBRARY_PATH", "")])
        env["PYTHONPATH"] = os.path.join(self.root, "fs", "usr/lib/python3/dist-packages")
        return env

    def sbin(self, name):
        return os.path.join(self.root, "fs", "usr/sbin", name)

    def command(self):
        d = self.dir
        # The anonymous root lives in the 'ftp' user's home, not in the build folder: servers that drop
        # privileges to that user (ProFTPD) must be able to reach it, and a checkout may sit in a 0700
        # folder (mktemp -d).
        ensure_anonymous_user()
        share = os.path.join(SHARES, os.path.basename(d))
        os.makedirs(share, exist_ok=True)
        os.chmod(SHARES, 0o755)
        os.chmod(share, 0o755)
        for name in ("a.txt", "b.txt"):
            with open(os.path.join(share, name), "w") as f:
                f.write("ftpsim conformance\n")
            os.chmod(os.path.join(share, name), 0o644)
        if self.kind == "vsftpd":
            empty = os.path.join(d, "empty")
            os.makedirs(empty, exist_ok=True)
            conf = os.path.join(d, "vsftpd.conf")
            lines = [
                "listen=YES", "listen_ipv6=NO", f"listen_address={self.address}", f"listen_port={self.port}",
                "background=NO", "anonymous_enable=YES", "local_enable=NO", f"anon_root={share}",
                f"ftp_username={ANON_USER}", f"secure_chroot_dir={empty}",
                # Containers refuse new network/PID namespaces and seccomp filters; none of these
                # touch the PORT checks.
                "isolate=NO", "isolate_network=NO", "seccomp_sandbox=NO",
                f"vsftpd_log_file={self.log_path}", "xferlog_enable=YES", "log_ftp_protocol=YES",
            ] + [f"{k}={v}" for k, v in self.options.items()]
            with open(conf, "w") as f:
                f.write("\n".join(lines) + "\n")
            os.chmod(conf, 0o600)
            return [self.sbin("vsftpd"), conf]
        if self.kind == "proftpd":
            conf = os.path.join(d, "proftpd.conf")
            lines = [
                'ServerName "ftpsim conformance"', "ServerType standalone", "DefaultServer on",
                f"Port {self.port}", f"DefaultAddress {self.address}", "SocketBindTight on", "UseIPv6 off",
                "User nobody", "Group nogroup", f"PidFile {d}/proftpd.pid",
                f"ScoreboardFile {d}/proftpd.scoreboard", "DelayTable none", "WtmpLog off",
                f"SystemLog {self.log_path}", "UseReverseDNS off", "MaxInstances 50",
                f"<Anonymous {share}>", f"  User {ANON_USER}", "  Group nogroup", f"  UserAlias anonymous {ANON_USER}",
                "  RequireValidShell off", "</Anonymous>",
            ] + [f"{k} {v}" for k, v in self.options.items()]
            with open(conf, "w") as f:
                f.write("\n".join(lines) + "\n")
            return [self.sbin("proftpd"), "--nodaemon", "-c", conf]
        if self.kind == "pure-ftpd":
            home = ensure_anonymous_user()
            for name in ("a.txt", "b.txt"):
                path = os.path.join(home, name)
                if not os.path.exists(path):
                    with open(path, "w") as f:
                        f.write("ftpsim conformance\n")
            flags = [k for k, v in self.options.items() if v]
            # -e (anonymous only) unless a configuration logs in as the local user: with -e every USER
            # is answered "230 Anonymous user logged in".
            ensure_local_user()
            only_anonymous = [] if self.local_login else ["-e"]
            return [self.sbin("pure-ftpd"), "-l", "unix", "-S", f"{self.address},{self.port}"] + only_anonymous + [
                "-H", "-4", "-g", os.path.join(d, "pure-ftpd.pid")] + flags
        if self.kind == "pyftpdlib":
            script = os.path.join(d, "serve.py")
            with open(script, "w") as f:
                f.write(PYFTPDLIB_SCRIPT)
            return [sys.executable, script, f"{self.address}:{self.port}", share,
                    "1" if self.options.get("permit_foreign_addresses") else "0",
                    "1" if self.options.get("permit_privileged_ports") else "0"]
        raise ValueError(self.kind)

    def start(self, timeout=10.0):
        shutil.rmtree(self.dir, ignore_errors=True)  # logs and results of this run only
        os.makedirs(self.dir)
        self.port = free_port(self.address)
        argv = self.command()
        self.out_path = os.path.join(self.dir, "stdout-stderr.log")
        out = open(self.out_path, "w+")
        # vsftpd reports a fatal error ("500 OOPS: ...") on fd 0, the inetd-style control connection.
        stdin = out if self.kind == "vsftpd" else subprocess.DEVNULL
        try:
            self.process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=stdin,
                                            env=self.env(), cwd=self.dir)
        except OSError as e:
            raise ServerStartError(f"{self.label}: cannot run {argv[0]}: {e}")
        finally:
            out.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerStartError(f"{self.label}: exited with status {self.process.returncode} "
                                       f"({' '.join(argv)})\n{self.logs()}")
            if self.greets():
                return
            time.sleep(0.1)
        self.stop()
        raise ServerStartError(f"{self.label}: no 220 greeting on {self.address}:{self.port} within {timeout} s\n"
                               f"{self.logs()}")

    def greets(self):
        try:
            with socket.create_connection((self.address, self.port), timeout=1.0) as s:
                s.settimeout(2.0)
                data = s.recv(512)
                return data.startswith(b"220")
        except OSError:
            return False

    def logs(self):
        text = []
        for path in (getattr(self, "out_path", None), self.log_path):
            if path and os.path.exists(path):
                with open(path, errors="replace") as f:
                    text.append(f"--- {path}\n{f.read()[-4000:]}")
        return "\n".join(text) or "(no log written)"

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        os.kill(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


PYFTPDLIB_SCRIPT = r'''
import sys
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer

address, port = sys.argv[1].rsplit(":", 1)
share, foreign, privileged = sys.argv[2], sys.argv[3] == "1", sys.argv[4] == "1"
authorizer = DummyAuthorizer()
authorizer.add_anonymous(share)
handler = FTPHandler
handler.authorizer = authorizer
handler.permit_foreign_addresses = foreign
handler.permit_privileged_ports = privileged
server = FTPServer((address, int(port)), handler)
server.serve_forever()
'''

"""vsftpd or pyftpdlib (tests/conformance/servers.py unpacks them) started inside the server namespace on port 21,
the port the helper is assigned to, and what it saw: the PORT/EPRT commands its log records after an offset."""

import os
import re
import shutil
import socket
import subprocess
import time

import netns
import servers

# vsftpd (connect_timeout) and pyftpdlib (ActiveDTP.timeout) give up a data connection the firewall drops after
# this many seconds, with a 425; the probe's own timeout is longer, so the 425 is what the probe records.
CONNECT_TIMEOUT = "2"
# vsftpd's log_ftp_protocol line: ... FTP command: Client "127.77.2.1", "PORT 127,77,2,1,19,136"
# pyftpdlib's debug line:           ... 127.77.2.1:40112-[anonymous] <- PORT 127,77,2,1,19,136
COMMAND_LINES = {"vsftpd": re.compile(r'FTP command: Client "([0-9.]+)", "(PORT|EPRT) ([^"]*)"'),
                 "pyftpdlib": re.compile(r'([0-9.]+):[0-9]+-\[[^]]*\] <- (PORT|EPRT) (\S+)')}

# servers.py's pyftpdlib script, logging every command line (DEBUG) to the log file named last.
PYFTPDLIB_SCRIPT = servers.PYFTPDLIB_SCRIPT.replace(
    "server = FTPServer(",
    "import logging\nlogging.basicConfig(filename=sys.argv[5], level=logging.DEBUG)\n"
    f"from pyftpdlib.handlers import ActiveDTP\nActiveDTP.timeout = {CONNECT_TIMEOUT}\nserver = FTPServer(")


class NamespacedServer(servers.Server):
    def __init__(self, kind, label, options, root, workdir, namespace):
        if kind == "vsftpd":
            options = dict(options, connect_timeout=CONNECT_TIMEOUT)
        super().__init__(kind, label, options, [], root, workdir, address=netns.SERVER)
        self.namespace = namespace

    def command(self):
        argv = super().command()
        if self.kind == "pyftpdlib":
            with open(argv[1], "w") as f:
                f.write(PYFTPDLIB_SCRIPT)
            argv.append(self.log_path)
        return argv

    def start(self, timeout=10.0):
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.port = 21
        argv = self.command()
        self.out_path = os.path.join(self.dir, "stdout-stderr.log")
        with open(self.out_path, "w+") as out:
            try:
                # vsftpd reports a fatal error ("500 OOPS: ...") on fd 0, the inetd-style control connection
                stdin = out if self.kind == "vsftpd" else subprocess.DEVNULL
                self.process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=stdin,
                                                env=self.env(), cwd=self.dir,
                                                preexec_fn=lambda: netns.enter(self.namespace))
            except (OSError, subprocess.SubprocessError) as e:
                raise servers.ServerStartError(f"{self.label}: cannot run {argv[0]}: {e}")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise servers.ServerStartError(f"{self.label}: exited with status {self.process.returncode}\n"
                                               f"{self.logs()}")
            if self.greets():
                return
            time.sleep(0.1)
        self.stop()
        raise servers.ServerStartError(f"{self.label}: no 220 greeting within {timeout} s\n{self.logs()}")

    def greets(self):
        with netns.Inside(self.namespace):
            s = socket.socket()
        try:
            s.settimeout(1.0)
            s.connect((self.address, self.port))
            return s.recv(512).startswith(b"220")
        except OSError:
            return False
        finally:
            s.close()

    def log_offset(self):
        return os.path.getsize(self.log_path) if os.path.exists(self.log_path) else 0

    def commands_since(self, offset):
        """[(peer, command, argument)] of every PORT/EPRT logged after offset, in order."""
        if not os.path.exists(self.log_path):
            return []
        with open(self.log_path, errors="replace") as f:
            f.seek(offset)
            return [m.groups() for m in COMMAND_LINES[self.kind].finditer(f.read())]


def parse_argument(command, argument):
    """(address, port) named by a PORT (h1,h2,h3,h4,p1,p2) or EPRT (|1|address|port|) argument."""
    try:
        if command == "PORT":
            parts = [int(p) for p in argument.split(",")]
            return ".".join(str(p) for p in parts[:4]), parts[4] * 256 + parts[5]
        fields = argument.split(argument[0])
        return fields[2], int(fields[3])
    except (ValueError, IndexError):
        return argument, None

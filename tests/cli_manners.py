#!/usr/bin/env python3
"""ftpsim's command-line manners that the corpus cannot pin byte for byte (SimGrid's own texts, source paths in
log lines): --version, SimGrid's --help-* options passed through, --log categories at debug level in every
build type (RelWithDebInfo defines NDEBUG, which would compile XBT_DEBUG out), and did-you-mean hints.

  cli_manners.py --ftpsim BUILD/ftpsim
"""
import argparse
import re
import subprocess
import sys
import tempfile

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def ftpsim(binary, *args):
    with tempfile.TemporaryDirectory(prefix="ftpsim-cli-") as work:
        proc = subprocess.run([binary, *args], cwd=work, capture_output=True, text=True, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ftpsim", required=True)
    binary = parser.parse_args().ftpsim

    status, out, _ = ftpsim(binary, "--version")
    lines = out.splitlines()
    check(status == 0 and len(lines) == 2, f"--version: exit {status}, {len(lines)} lines")
    check(re.match(r"^ftpsim [0-9]+\.[0-9]+\.[0-9]+( \(commit [0-9a-f]{40}(-dirty)?\))?$", lines[0]) is not None,
          f"--version line 1: {lines[0]!r}")
    check(lines[1] == "SimGrid 3.32.0", f"--version line 2: {lines[1]!r}")

    # SimGrid 3.32 prints its --cfg keys for --help; its sg_config refuses --cfg=help ("badly formatted").
    for args in (["--help-cfg"], ["--cfg=help"], ["run", "--help-cfg"]):
        status, out, _ = ftpsim(binary, *args)
        check(status == 0 and out.startswith("Description of the configuration accepted by this simulator:\n"),
              f"{args}: exit {status}, {out[:60]!r}")
        check("   network/model: " in out and "   contexts/stack-size: " in out, f"{args} lists no --cfg key")
    status, out, _ = ftpsim(binary, "--help-models")
    check(status == 0 and "network/model" not in out and "  CM02: " in out, f"--help-models: exit {status}")
    status, out, _ = ftpsim(binary, "--help-log-categories")
    check(status == 0 and "\\_ ftpsim_session: FTP client sessions' state machine" in out,
          "--help-log-categories does not list ftpsim_session")

    # One debug line per PORT exchange: 1000, 1001, 1002 refused with 500.
    status, out, err = ftpsim(binary, "--log=ftpsim_session.thres:debug", "--set", "session.commands=3", "--quiet",
                              "--out", "out")
    debug = re.findall(r"\[ftpsim_session/DEBUG\] (session 1: PORT \d+ -> \d+)", err)
    check(status == 0 and debug == ["session 1: PORT 1000 -> 500", "session 1: PORT 1001 -> 500",
                                    "session 1: PORT 1002 -> 500"], f"--log debug: exit {status}, {debug}")
    status, _, err = ftpsim(binary, "--set", "session.commands=3", "--quiet", "--out", "out")
    check(status == 0 and "DEBUG" not in err, "debug lines without --log")

    for args, message in [
        (["swep"], "ftpsim: unknown command 'swep' (did you mean 'sweep'? 'ftpsim --help' lists the commands)\n"),
        (["--set", "tcp.timewait=1"], "ftpsim: --set: unknown parameter 'tcp.timewait' (did you mean "
                                      "'tcp.time_wait'? 'ftpsim params' lists every key)\n"),
        (["params", "closer"], "ftpsim: unknown parameter 'closer' (did you mean 'tcp.closer'? 'ftpsim params' "
                               "lists every key)\n"),
        (["models", "vsftp"], "ftpsim: unknown model 'vsftp' (did you mean 'vsftpd'? 'ftpsim models' lists every "
                              "model)\n"),
        (["run", "--trase"], "ftpsim: unknown option '--trase' (did you mean '--trace'? accepted: --set, --seed, "
                             "--out, --trace, --quiet, --cfg=..., --log=...; see 'ftpsim run --help')\n"),
        (["sweep", "--rep", "2", "--out", "x"], "ftpsim: unknown option '--rep' (did you mean '--reps'? accepted: --vary, "
                                                "--set, --platform, --reps, --seed, --jobs, --out, --trace, --sessions, "
                                                "--force, --quiet, --list, --runs, --executor, --chunk, --max-tasks, "
                                                "--sbatch, --script-only, --status, --collect, --cfg=..., --log=...; "
                                                "see 'ftpsim sweep --help')\n"),
        (["probe", "--sevrer", "127.0.0.1:21"], "ftpsim: unknown option '--sevrer' (did you mean '--server'? see "
                                                "'ftpsim probe --help')\n"),
        (["--set", "tcp.closer=clinet"], "ftpsim: --set: tcp.closer: 'clinet' is not a known value (did you mean "
                                         "'client'? accepted: server|client)\n"),
    ]:
        status, out, err = ftpsim(binary, *args)
        check(status == 2 and out == "" and err == message, f"{args}: exit {status}, {err!r}")

    for failure in failures:
        print("FAIL", failure)
    print(f"cli_manners: {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

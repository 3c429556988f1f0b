#!/usr/bin/env python3
"""'cmake --install' lays ftpsim out in FHS places, and the installed program works from any folder.

Installs the build into a temporary prefix, checks the files, runs the installed ftpsim from another
temporary folder (the built-in KB scenario, and a bundled platform found by its bare name) against the
build tree's own results byte for byte, checks the man page's name line, and drives the generated bash
completion (commands, options, keys, a choice key's values).

  install_test.py --build BUILD --ftpsim BUILD/ftpsim
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def complete(script, words):
    """The completions bash offers for the command line words (the last one being completed)."""
    line = " ".join(words)
    program = f"""source {script}
COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}
[[ "{line}" == *" " ]] && {{ COMP_WORDS+=(""); COMP_CWORD={len(words)}; }}
_ftpsim; printf '%s\\n' "${{COMPREPLY[@]}}" """
    out = subprocess.run(["bash", "-c", program], capture_output=True, text=True, cwd=tempfile.gettempdir())
    check(out.returncode == 0, f"completion failed: {out.stderr}")
    return out.stdout.split()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", required=True)
    parser.add_argument("--ftpsim", required=True)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="ftpsim-install-")
    try:
        prefix = os.path.join(work, "prefix")
        subprocess.run(["cmake", "--install", args.build, "--prefix", prefix], check=True, capture_output=True)
        for path in ["bin/ftpsim", "bin/ftpsim-plot", "share/ftpsim/platforms/two-sites.xml",
                     "share/ftpsim/experiments/e1-kb.ini", "share/bash-completion/completions/ftpsim",
                     "share/doc/ftpsim/README.md"]:
            check(os.path.exists(os.path.join(prefix, path)), f"not installed: {path}")
        man = os.path.join(prefix, "share/man/man1/ftpsim.1")
        if shutil.which("help2man"):
            with open(man) as f:
                text = f.read()
            check(".TH FTPSIM \"1\"" in text and "ftpsim \\- simulate FTP clients" in text, "man page header")
            check("\\-\\-executor" in text, "the man page lacks the sweep's options")
        installed = os.path.join(prefix, "bin", "ftpsim")
        elsewhere = os.path.join(work, "elsewhere")
        os.mkdir(elsewhere)
        for name, extra in [("kb", []), ("two-sites", ["run", "two-sites.xml"])]:
            a = subprocess.run([installed] + extra + ["--quiet", "--out", f"{name}-installed"], cwd=elsewhere,
                               capture_output=True, text=True)
            check(a.returncode == 0, f"installed ftpsim {' '.join(extra)}: {a.stderr}")
            b = subprocess.run([os.path.abspath(args.ftpsim)] + extra + ["--quiet", "--out", f"{name}-build"],
                               cwd=elsewhere, capture_output=True, text=True)
            check(b.returncode == 0, f"build-tree ftpsim {' '.join(extra)}: {b.stderr}")
            for file in ["sessions.csv", "summary.csv"]:
                with open(os.path.join(elsewhere, f"{name}-installed", file), "rb") as x, \
                        open(os.path.join(elsewhere, f"{name}-build", file), "rb") as y:
                    check(x.read() == y.read(), f"{name}: {file} differs between installed and build tree")
        with open(os.path.join(elsewhere, "two-sites-installed", "summary.csv")) as f:
            check(f.read().splitlines()[1].startswith("two-sites.xml,1,"), "the platform label is not the name given")
        missing = subprocess.run([installed, "run", "none.xml"], cwd=elsewhere, capture_output=True, text=True)
        check(missing.returncode == 2 and os.path.join(prefix, "share/ftpsim/platforms") in missing.stderr,
              f"a missing bare name: {missing.stderr}")

        script = os.path.join(prefix, "share/bash-completion/completions/ftpsim")
        check(complete(script, ["ftpsim", "sw"]) == ["sweep"], "command completion")
        check(complete(script, ["ftpsim", "sweep", "--ex"]) == ["--executor"], "option completion")
        check(complete(script, ["ftpsim", "sweep", "--executor", "sl"]) == ["slurm"], "--executor values")
        check(complete(script, ["ftpsim", "--set", "server.pol"]) == ["server.policy="], "key completion")
        check(complete(script, ["ftpsim", "run", "--set", "server.policy=nt"]) ==
              ["server.policy=nt351", "server.policy=nt351sp2"], "choice completion")
        check(complete(script, ["ftpsim", "sweep", "--vary", "client.model=as400,rfc6056-"]) ==
              [f"client.model=as400,rfc6056-{i}" for i in range(1, 6)], "choice list completion")
        print("installed layout, runs from another folder, man page and bash completion: ok")
    except AssertionError as e:
        print(f"FAIL: {e}")
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""SimGrid's own settings (--cfg) measured on ftpsim's workloads, alternated, with their outputs compared.

For each workload, every variant runs once per round, in the same order each round (A B C A B C ...), so
that a machine whose speed drifts over minutes slows every variant alike; the figure per variant is the
median of the rounds, of the child's user + system CPU time (wait4), which another process on the machine
disturbs less than wall time. Each variant's sessions.csv, summary.csv and commands.csv are compared byte
for byte with the first variant's (ftpsim's default): "same" or the first file that differs.

usage: /usr/bin/python3 bench/settings.py [--ftpsim PROGRAM] [--rounds N] [--workloads a,b] [--variants a,b]
  workloads: fleet25 fleet50 fleet100 (two-sites, N sessions per host, Poisson arrivals at 50/s, seed 3),
             kb1 (the KB platform's one session, traced), burst4 (10^4 sessions at once on the KB segment,
             3 data commands each), e3fleet (E3's busy hours, one host's 100 first sessions).
  variants:  see VARIANTS below; default: all.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fleet(n):
    return [os.path.join(ROOT, "platforms", "two-sites.xml"), "--set", f"client.sessions={n}", "--set",
            "workload.arrival=poisson", "--set", "workload.rate=50", "--seed", "3"]


KB = os.path.join(ROOT, "platforms", "kb140424.xml")
WORKLOADS = {
    "fleet25": fleet(25),
    "fleet50": fleet(50),
    "fleet100": fleet(100),
    "kb1": [KB, "--trace"],
    "burst4": [KB, "--set", "client.sessions=10000", "--set", "session.commands=3"],
    # E3's busy hours (experiments/e3-fleet.ini, workload.rate=0.1), cut to 100 sessions per host
    "e3fleet": [os.path.join(ROOT, "experiments", "fleet-as400.xml"), "--set", "client.model=as400", "--set",
                "client.counter=host", "--set", "client.sessions=100", "--set", "session.commands=90", "--set",
                "workload.arrival=poisson", "--set", "workload.rate=0.1", "--set", "client.wrap_to=900", "--set",
                "tcp.time_wait=240", "--seed", "3"],
}
VARIANTS = {
    "default": [],
    "full": ["--cfg=network/optim:Full"],
    "full-selective": ["--cfg=network/optim:Full", "--cfg=network/maxmin-selective-update:yes"],
    # Lazy without selective update is refused by SimGrid ("You cannot disable network selective update ...")
    "boost": ["--cfg=contexts/factory:boost"],
    "ucontext": ["--cfg=contexts/factory:ucontext"],
    "stack8": ["--cfg=contexts/stack-size:8", "--cfg=contexts/guard-size:0"],
    "stack64": ["--cfg=contexts/stack-size:64", "--cfg=contexts/guard-size:0"],
    "stack8m": ["--cfg=contexts/stack-size:8192", "--cfg=contexts/guard-size:1"],
    "precision-1e-8": ["--cfg=surf/precision:1e-8"],
    "maxmin-1e-3": ["--cfg=maxmin/precision:1e-3"],
}
COMPARED = ("sessions.csv", "summary.csv", "commands.csv")


def run(ftpsim, workload, variant, out):
    cmd = [ftpsim, "run", *WORKLOADS[workload], "--out", out, "--quiet",
           "--log=xbt_cfg.thres:warning", *VARIANTS[variant]]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    err = proc.stderr.read().decode()
    proc.stderr.close()
    if status != 0:
        sys.exit(f"{' '.join(cmd)}: exit status {status}: {err.strip()}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def differs(a, b):
    for name in COMPARED:
        pa, pb = os.path.join(a, name), os.path.join(b, name)
        if not os.path.exists(pa) and not os.path.exists(pb):
            continue
        with open(pa, "rb") as fa, open(pb, "rb") as fb:
            if fa.read() != fb.read():
                return name
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ftpsim", default=os.path.join(ROOT, "build", "ftpsim"),
                        help="the program (a copy, if you rebuild while this runs)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workloads", default="fleet25,fleet50,kb1")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    args = parser.parse_args()
    workloads, variants = args.workloads.split(","), args.variants.split(",")
    for name in workloads + variants:
        if name not in WORKLOADS and name not in VARIANTS:
            sys.exit(f"unknown workload or variant '{name}' (accepted: {', '.join(list(WORKLOADS) + list(VARIANTS))})")
    print(f"{os.uname().nodename}, load {os.getloadavg()[0]:.1f}; CPU s = user + system, median of {args.rounds}"
          " alternated rounds")
    print("| workload | variant | CPU s | ratio to default | peak RSS MiB | outputs |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for workload in workloads:
            times = {v: [] for v in variants}
            rss = {}
            for _ in range(args.rounds):
                for variant in variants:
                    seconds, rss[variant] = run(args.ftpsim, workload, variant, os.path.join(tmp, variant))
                    times[variant].append(seconds)
            base = statistics.median(times[variants[0]])
            for variant in variants:
                median = statistics.median(times[variant])
                diff = differs(os.path.join(tmp, variants[0]), os.path.join(tmp, variant))
                print(f"| {workload} | {variant} | {median:.3f} | {base / median:.2f} | {rss[variant] // 1024} | "
                      f"{'same' if diff is None else diff + ' differs'} |", flush=True)


if __name__ == "__main__":
    main()

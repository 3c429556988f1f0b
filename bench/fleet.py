#!/usr/bin/python3
"""The congested two-sites fleet (issue 15): network.control=shared (today's default) against loaded, alternated.

  ftpsim run platforms/two-sites.xml --set client.sessions=N --set workload.arrival=poisson \\
      --set workload.rate=50 --seed 3 [--set network.control=loaded [--set engine.sessions=event-loop]]

Each round runs every variant once, in the same order (A B C A B C ...), so that a machine whose speed
drifts slows them alike; figures are medians over the rounds of the child's user + system CPU time
(wait4), less disturbed than wall time by other processes on a shared machine. Per variant: the
simulated end (summary.csv) and the mean session time (sessions.csv) and their difference from the
shared model's, the transfers, and CPU microseconds per transfer.

usage: /usr/bin/python3 bench/fleet.py [--ftpsim PROGRAM] [--rounds N] [--sizes 25,50,100] [--variants ...]
  variants: shared, loaded, loaded-loop (loaded on the event loop), fluid (loaded control and transfers on the
  event loop: no SimGrid flow), uncongested. Default: shared,loaded,fluid.
  A size's shared runs are skipped above --shared-max (default 100): they take minutes to hours.
"""
import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VARIANTS = {
    "shared": [],
    "loaded": ["--set", "network.control=loaded"],
    "loaded-loop": ["--set", "network.control=loaded", "--set", "engine.sessions=event-loop"],
    "uncongested": ["--set", "network.control=uncongested"],
    "fluid": ["--set", "network.control=loaded", "--set", "network.transfers=loaded", "--set",
              "engine.sessions=event-loop"],
}


def run(ftpsim, n, variant, out):
    cmd = [ftpsim, "run", os.path.join(ROOT, "platforms", "two-sites.xml"), "--set", f"client.sessions={n}", "--set",
           "workload.arrival=poisson", "--set", "workload.rate=50", "--seed", "3", "--out", out, "--quiet",
           *VARIANTS[variant]]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        sys.exit(f"{' '.join(cmd)}: exit status {status}")
    return usage.ru_utime + usage.ru_stime


def results(out):
    with open(os.path.join(out, "summary.csv"), newline="") as f:
        summary = next(csv.DictReader(f))
    with open(os.path.join(out, "sessions.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    mean = statistics.mean(float(r["end_time"]) - float(r["start_time"]) for r in rows)
    return float(summary["simulated_time"]), mean, int(summary["transfers"])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ftpsim", default=os.path.join(ROOT, "build", "ftpsim"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes", default="25,50,100")
    parser.add_argument("--variants", default="shared,loaded,fluid")
    parser.add_argument("--shared-max", type=int, default=100)
    args = parser.parse_args()
    variants = args.variants.split(",")
    for v in variants:
        if v not in VARIANTS:
            sys.exit(f"unknown variant '{v}' (accepted: {', '.join(VARIANTS)})")
    print(f"{os.uname().nodename}, load {os.getloadavg()[0]:.1f}; CPU s = user + system, median of {args.rounds}"
          " alternated rounds")
    print("| N | variant | CPU s | shared / this | simulated end s | vs shared | mean session s | vs shared |"
          " transfers | CPU us per transfer |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.sizes.split(",")):
            present = [v for v in variants if v != "shared" or n <= args.shared_max]
            times = {v: [] for v in present}
            for _ in range(args.rounds):
                for v in present:
                    times[v].append(run(args.ftpsim, n, v, os.path.join(tmp, v)))
            base = results(os.path.join(tmp, "shared")) if "shared" in present else None
            for v in present:
                end, mean, transfers = results(os.path.join(tmp, v))
                cpu = statistics.median(times[v])
                ratio = f"{statistics.median(times['shared']) / cpu:.2f}" if base else ""
                d_end = f"{(end / base[0] - 1) * 100:+.2f}%" if base else ""
                d_mean = f"{(mean / base[1] - 1) * 100:+.2f}%" if base else ""
                print(f"| {n} | {v} | {cpu:.3f} | {ratio} | {end:.6f} | {d_end} | {mean:.6f} | {d_mean} | {transfers} |"
                      f" {cpu / max(transfers, 1) * 1e6:.1f} |", flush=True)


if __name__ == "__main__":
    main()

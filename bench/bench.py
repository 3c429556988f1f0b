#!/usr/bin/python3
"""ftpsim against its floor (bare SimGrid, bench/floor.c) and its peer (python3-simgrid, bench/peer.py).

All three run the same sessions on bench/platform.xml (two AS/400 client hosts, one server, one shared
10 Mbit/s segment): CONNECT, USER, PASS, COMMANDS x PORT refused with 500, QUIT. Each run's simulated
time is printed next to its speed: equal simulated times show the three did the same exchanges.
Bytes per live session: (peak RSS - the program's peak RSS with one session per host) / the most
sessions alive at once (bench_floor counts them; the three run the same schedule), from 1,000 alive up.

usage: /usr/bin/python3 bench/bench.py [--build DIR] [--runs N] [--cases a,b,...] [--control MODEL] [--callgrind]
  cases: e3 e5 e7 (10^3, 10^5, 10^7 exchanges by 10 sessions), c4 c5 (10^4, 10^5 sessions at once,
         10 exchanges each), w5 (c5's 10^5 sessions, arriving so that about 10 are alive at once: the
         same sessions without the concurrency), a5 a6 (10^5, 10^6 sessions of 14 exchanges arriving
         over simulated time, about a thousand alive), s3 (100 runs of e3 in one `ftpsim sweep`, against the
         peer's process per run and its run alone: how users run many small simulations). Default: e3,e5,c4.
--control uncongested runs ftpsim with network.control=uncongested and the floor with the same design
(bench/floor.c --control=uncongested); the Python peer has only the shared model and is left out.
--control event-loop runs ftpsim with network.control=uncongested and engine.sessions=event-loop (no actor
per session) against the same floor, an actor per session: the floor is then the design ftpsim left.
--control loaded and loaded-loop run ftpsim with network.control=loaded (with engine.sessions=event-loop for
loaded-loop) against the floor's shared design (bare SimGrid, each message a communication): the physical
design the loaded channel stands in for. The peer is left out as with uncongested.
Runs alternate (floor, ftpsim, peer, floor, ftpsim, peer, ...: --runs rounds), so that a machine whose speed
drifts slows them alike; ratios are medians of the rounds' own ratios, by wall time and by CPU time (user +
system of the child, from wait4; less disturbed by other processes on a shared machine). Wall, user and
system seconds are medians of the rounds.
--callgrind adds instruction counts (valgrind --tool=callgrind) of ftpsim and the floor at 10^4 exchanges.
"""
import argparse
import glob
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLATFORM = os.path.join(ROOT, "bench", "platform.xml")
CLIENT_HOSTS = ["as400-a", "as400-b"]
SERVER_HOST = "server"
# ftpsim's settings for the workload the floor and the peer hard-code: a host-wide counter over
# 1..65534, a server refusing every port below 65535 with 500.
FTPSIM_WORKLOAD = ["--set", "client.model=sequential", "--set", "client.range=custom", "--set", "client.low=1",
                   "--set", "client.high=65534", "--set", "server.policy=min-port", "--set", "server.min_port=65535"]

# name: (label, sessions per host, commands, interval per host, think time, implementations)
CASES = {
    "e3": ("10^3 exchanges, 10 sessions", 5, 96, 0, 0, ("floor", "ftpsim", "peer")),
    "e5": ("10^5 exchanges, 10 sessions", 5, 9996, 0, 0, ("floor", "ftpsim", "peer")),
    "e7": ("10^7 exchanges, 10 sessions", 5, 999996, 0, 0, ("floor", "ftpsim")),
    "c4": ("10^4 sessions at once, 10^5 exchanges", 5000, 6, 0, 0, ("floor", "ftpsim")),
    "c5": ("10^5 sessions at once, 10^6 exchanges", 50000, 6, 0, 0, ("floor", "ftpsim")),
    "w5": ("10^5 sessions of 10 exchanges, ~10 alive", 50000, 6, 0.0054, 0, ("floor", "ftpsim")),
    "a5": ("10^5 sessions arriving, 1.4x10^6 exchanges", 50000, 10, 0.02, 1.0, ("floor", "ftpsim")),
    "a6": ("10^6 sessions arriving, 1.4x10^7 exchanges", 500000, 10, 0.02, 1.0, ("floor", "ftpsim")),
}
# One session of one PORT per host: the peak RSS of a program that simulates next to nothing.
BASELINE = ("baseline", 1, 1, 0, 0, ())
# Contexts for many live actors, and the heap in transparent huge pages, as ftpsim picks them itself
# above 1,000 sessions (it restarts itself with that glibc tunable; the floor gets it from here).
LARGE_CFG = ["--cfg=contexts/stack-size:16", "--cfg=contexts/guard-size:0", "--log=xbt_cfg.thres:warning"]
LARGE_ENV = {"GLIBC_TUNABLES": "glibc.malloc.hugetlb=1"}


# --control: ftpsim's settings, and whether the floor runs its uncongested design
CONTROLS = {
    "shared": (["--set", "network.control=shared"], False),
    "uncongested": (["--set", "network.control=uncongested"], True),
    "event-loop": (["--set", "network.control=uncongested", "--set", "engine.sessions=event-loop"], True),
    "loaded": (["--set", "network.control=loaded"], False),
    "loaded-loop": (["--set", "network.control=loaded", "--set", "engine.sessions=event-loop"], False),
}


def command(impl, build, case, out_dir, control):
    _, per_host, commands, interval, think, _ = case
    large = per_host * len(CLIENT_HOSTS) > 1000
    if impl == "floor":
        cmd = [os.path.join(build, "bench", "bench_floor"), PLATFORM, SERVER_HOST, ",".join(CLIENT_HOSTS),
               str(per_host), str(commands), repr(interval), repr(think)]
        if CONTROLS[control][1]:
            cmd.append("--control=uncongested")
        return cmd + (LARGE_CFG if large else [])
    if impl == "peer":
        return ["/usr/bin/python3", os.path.join(ROOT, "bench", "peer.py"), PLATFORM, SERVER_HOST,
                ",".join(CLIENT_HOSTS), str(per_host), str(commands), repr(interval), repr(think),
                "--log=root.thres:warning"]
    cmd = [os.path.join(build, "ftpsim"), "run", PLATFORM, *FTPSIM_WORKLOAD, "--set", f"client.sessions={per_host}",
           "--set", f"session.commands={commands}", "--set", f"session.think_time={think}", "--out", out_dir,
           "--quiet", *CONTROLS[control][0]]
    if interval > 0:
        cmd += ["--set", "workload.arrival=interval", "--set", f"workload.interval={interval}"]
    return cmd


def simulated_time(impl, output, out_dir):
    if impl == "ftpsim":
        with open(os.path.join(out_dir, "summary.csv")) as f:
            header, row = f.read().splitlines()[:2]
        return float(dict(zip(header.split(","), row.split(",")))["simulated_time"])
    match = re.search(r"simulated_time=([0-9.]+)", output)
    return float(match.group(1))


def environment(impl, case):
    large = case[1] * len(CLIENT_HOSTS) > 1000
    return {**os.environ, **LARGE_ENV} if impl == "floor" and large else None


def run_once(cmd, env=None):
    """Wall seconds, peak RSS in bytes (the child's own ru_maxrss), stdout, user and system CPU seconds."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        stderr = proc.stderr.read().decode()
        proc.stderr.close()
        out.seek(0)
        stdout = out.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({status}): {stderr.strip()[-400:]}")
    return wall, usage.ru_maxrss * 1024, stdout, usage.ru_utime, usage.ru_stime


def callgrind_instructions(cmd):
    """Instructions (Ir) of the command's own process. A forked child (ftpsim's precheck) gets its own
    file whose counts include the parent's work before the fork, so only the largest file is kept."""
    with tempfile.TemporaryDirectory() as cg_dir:
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={cg_dir}/cg.%p", *cmd],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        counts = []
        for path in glob.glob(f"{cg_dir}/cg.*"):
            with open(path) as f:
                counts += [int(line.split()[1]) for line in f if line.startswith("summary:")]
        return max(counts)


SWEEP_RUNS = 100


def sweep_case(build, out_dir):
    """s3: the per-run cost of e3's workload when run many times, as sweeps do: ftpsim forks each run
    from one process that loaded libsimgrid once; the peer starts Python and imports simgrid per run
    (its run_seconds is what remains if a harness imported once and forked per run)."""
    _, per_host, commands, _, _, _ = CASES["e3"]
    sweep_dir = os.path.join(out_dir, "s3")
    cmd = [os.path.join(build, "ftpsim"), "sweep", "--platform", PLATFORM, *FTPSIM_WORKLOAD,
           "--set", f"client.sessions={per_host}", "--set", f"session.commands={commands}",
           "--reps", str(SWEEP_RUNS), "--jobs", "1", "--out", sweep_dir, "--quiet"]
    walls = []
    for _ in range(3):
        subprocess.run(["rm", "-rf", sweep_dir], check=True)
        walls.append(run_once(cmd)[0])
    per_run = statistics.median(walls) / SWEEP_RUNS
    peer_cmd = command("peer", build, CASES["e3"], out_dir, "shared")
    peers = [run_once(peer_cmd) for _ in range(5)]
    peer_wall = statistics.median(p[0] for p in peers)
    peer_run = statistics.median(float(re.search(r"run_seconds=([0-9.]+)", p[2]).group(1)) for p in peers)
    print(f"# s3, 10^3 exchanges per run: ftpsim sweep (--jobs 1, {SWEEP_RUNS} runs, median of 3) "
          f"{per_run * 1000:.1f} ms per run; peer {peer_wall * 1000:.0f} ms per process, of which "
          f"{peer_run * 1000:.0f} ms from its Engine to the end (median of 5): ftpsim/peer "
          f"{peer_wall / per_run:.1f}x per process, {peer_run / per_run:.1f}x against the run alone")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cases", default="e3,e5,c4")
    parser.add_argument("--control", choices=tuple(CONTROLS), default="shared")
    parser.add_argument("--callgrind", action="store_true")
    args = parser.parse_args()

    print(f"# bench/bench.py --runs {args.runs} --cases {args.cases} --control {args.control}"
          f"{' --callgrind' if args.callgrind else ''}")
    print(f"# {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f} at the start; {args.runs} alternated rounds, "
          "figures are medians of the rounds; ratios are speeds (the other's time / ftpsim's), by wall and by "
          "CPU (user + system)")
    print("| case | program | exchanges | wall s | user s | sys s | exchanges/s | ftpsim/floor wall | "
          "ftpsim/floor CPU | ftpsim/peer wall | ftpsim/peer CPU | peak RSS MiB | bytes per live session "
          "| simulated s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    baseline_rss = {}  # each program's peak RSS with one session per host: what the sessions add to
    ftpsim_rate = {}  # case: exchanges/s, for the "within 1.5x" ratios below
    with tempfile.TemporaryDirectory() as out_dir:
        for name in args.cases.split(","):
            if name == "s3":
                sweep_case(args.build, out_dir)
                continue
            case = CASES[name]
            label, per_host, commands, _, _, impls = case
            exchanges = per_host * len(CLIENT_HOSTS) * (commands + 4)
            if args.control != "shared":
                impls = tuple(impl for impl in impls if impl != "peer")
            for impl in impls:
                if impl not in baseline_rss:
                    baseline_rss[impl] = run_once(command(impl, args.build, BASELINE, out_dir, args.control))[1]
            # Alternated: each round runs every program once, in the same order.
            measured = {impl: [] for impl in impls}
            for _ in range(args.runs):
                for impl in impls:
                    measured[impl].append(run_once(command(impl, args.build, case, out_dir, args.control),
                                                   environment(impl, case)))
            alive = int(re.search(r"max_alive=([0-9]+)", measured["floor"][-1][2]).group(1))

            def ratio(other, cpu):
                """Median over the rounds of the other program's time over ftpsim's in the same round."""
                if other not in measured:
                    return ""
                pairs = zip(measured[other], measured["ftpsim"])
                key = (lambda m: m[3] + m[4]) if cpu else (lambda m: m[0])
                return f"{statistics.median(key(o) / key(f) for o, f in pairs):.2f}"

            for impl in impls:
                runs = measured[impl]
                wall = statistics.median(m[0] for m in runs)
                user = statistics.median(m[3] for m in runs)
                system = statistics.median(m[4] for m in runs)
                rss = max(m[1] for m in runs)
                sim = simulated_time(impl, runs[-1][2], out_dir)
                rate = exchanges / wall
                if impl == "ftpsim":
                    ftpsim_rate[name] = rate
                # All three run the same schedule, so the floor's count of sessions alive at once holds
                # for each; below a thousand the difference to the baseline is mostly noise.
                per_session = f"{(rss - baseline_rss[impl]) / alive:,.0f}" if alive >= 1000 else ""
                cells = [ratio("floor", False), ratio("floor", True), ratio("peer", False), ratio("peer", True)]
                if impl != "ftpsim":
                    cells = [""] * 4
                print(f"| {label} | {impl} | {exchanges:,} | {wall:.3f} | {user:.3f} | {system:.3f} | {rate:,.0f} | "
                      f"{' | '.join(cells)} | {rss / 2**20:.0f} | {per_session} | {sim:.6f} |", flush=True)
        # Cost per exchange against 10 sessions at 10^5 exchanges (e5): the targets ask for at most 1.5x.
        for name in ("e3", "e7", "c4", "c5", "w5"):
            if "e5" in ftpsim_rate and name in ftpsim_rate:
                print(f"# ftpsim cost per exchange, {CASES[name][0]} / 10^5 exch., 10 sessions: "
                      f"{ftpsim_rate['e5'] / ftpsim_rate[name]:.2f}x")
        if args.callgrind:
            # Instructions per exchange at the margin: the difference between 10^4 and 10^5 exchanges
            # (10 sessions), so start-up costs (the same process start for both) cancel out.
            small = ("", 5, 996, 0, 0, ())
            large = ("", 5, 9996, 0, 0, ())
            extra = 90000
            margin = {}
            for impl in ("floor", "ftpsim"):
                low = callgrind_instructions(command(impl, args.build, small, out_dir, args.control))
                high = callgrind_instructions(command(impl, args.build, large, out_dir, args.control))
                margin[impl] = (high - low) / extra
                print(f"\ncallgrind {impl}: {low:,} instructions at 10^4 exchanges, {high:,} at 10^5: "
                      f"{margin[impl]:,.0f} per exchange", end="")
            print(f"\nftpsim/floor speed by instructions per exchange: {margin['floor'] / margin['ftpsim']:.3f}")


if __name__ == "__main__":
    sys.exit(main())

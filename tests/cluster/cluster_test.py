#!/usr/bin/env python3
"""A sweep spread over processes the way a cluster spreads it, against the real tools, checked exactly.

  cluster_test.py --ftpsim BUILD/ftpsim slurm      a single-node Slurm cluster on 127.0.0.1
  cluster_test.py --ftpsim BUILD/ftpsim parallel   GNU parallel over the --list commands

slurm: starts munged, slurmctld and slurmd (Debian 12's slurm-wlm and munge) without systemd, with their
config, key, sockets, state and logs in a temporary folder and ports picked free, stopped by PID at the
end. Submits an 8-run sweep as a job array (2 tasks of 4 runs, one at a time), cancels the first task
once its first run is journaled, checks --status (every count exact: the journal says which runs are
done), submits again and checks that exactly the missing runs went out, then that --collect writes
runs.csv and sessions.csv byte for byte as the local pool does for the same sweep.
parallel: the same with 'ftpsim sweep --list | cut -f5 | parallel --joblog LOG', killed after the first
run, then 'parallel --resume'.

Exit 77 (CTest's SKIP_RETURN_CODE) with the reason on stdout when the tools are missing and cannot be
installed: with CI set and as root, it installs them with apt-get itself.
"""
import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

SKIP = 77
PACKAGES = {"slurm": ["slurm-wlm", "munge"], "parallel": ["parallel"]}
TOOLS = {"slurm": ["munged", "slurmctld", "slurmd", "sbatch", "squeue", "scancel"], "parallel": ["parallel"]}
# 8 runs of about 0.2 s (with the pinned counter below): long enough to cancel a task between two runs, short enough for the 30 s budget.
# Each session its own counter from 1000 and a busy port failing its command: the sessions at once on one host
# then fail most commands at once, which keeps these runs short (a host-wide counter moves 5000 files each).
SWEEP = ["sweep", "--vary", "client.sessions=100,150", "--reps", "4", "--set", "session.commands=5000",
         "--set", "client.counter=session", "--set", "client.when_busy=fail", "--sessions"]
RUNS = 8


def ensure_tools(kind):
    missing = [t for t in TOOLS[kind] if shutil.which(t) is None]
    if not missing:
        return True
    if os.environ.get("CI") and os.geteuid() == 0:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        print(f"installing {' '.join(PACKAGES[kind])} (CI)")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends"] + PACKAGES[kind],
                       check=True, env=env, stdout=subprocess.DEVNULL)
        return True
    print(f"SKIP: {' '.join(missing)} not found; install Debian's {' '.join(PACKAGES[kind])} "
          f"(or run with CI set, as root, and this test installs them)")
    return False


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check(condition, message):
    if not condition:
        raise AssertionError(message)


class Sweep:
    def __init__(self, ftpsim, work, out):
        self.ftpsim, self.work, self.out = ftpsim, work, out

    def run(self, *extra, env=None):
        proc = subprocess.run([self.ftpsim] + SWEEP + ["--out", self.out] + list(extra), cwd=self.work,
                              capture_output=True, text=True, env=env, timeout=60)
        return proc

    def status(self):
        proc = self.run("--status")
        check(proc.returncode == 0, f"--status failed: {proc.stderr}")
        return proc.stdout.strip()

    def journaled(self):
        path = os.path.join(self.work, self.out, "sweep.journal")
        if not os.path.exists(path):
            return set()
        with open(path) as f:
            lines = f.read().splitlines()[1:]
        return {tuple(int(x) for x in line.split()[1:3]) for line in lines if line}


def read(path):
    with open(path, "rb") as f:
        return f.read()


def local_reference(ftpsim, work):
    ref = Sweep(ftpsim, work, "local")
    proc = ref.run("--jobs", "2", "--quiet")
    check(proc.returncode == 0, f"local sweep failed: {proc.stderr}")
    return ref


def compare_with_local(sweep, ref):
    proc = sweep.run("--collect")
    check(proc.returncode == 0, f"--collect failed: {proc.stderr}")
    for name in ["runs.csv", "sessions.csv"]:
        got = read(os.path.join(sweep.work, sweep.out, name))
        want = read(os.path.join(ref.work, ref.out, name))
        check(got == want, f"{name} differs from the local pool's")
    print(f"runs.csv and sessions.csv byte-identical to the local pool's ({RUNS} runs)")


def kill_processes_in(folder):
    """SIGKILL every process of ours whose working folder is folder, and wait until they are gone."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                if os.path.realpath(os.readlink(f"/proc/{entry}/cwd")) == os.path.realpath(folder):
                    pids.append(int(entry))
            except OSError:
                pass
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    wait_until(lambda: not any(os.path.exists(f"/proc/{pid}/cmdline") and open(f"/proc/{pid}/cmdline").read()
                               for pid in pids), 10, "the killed jobs to exit")


def wait_until(condition, timeout, what):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def expected_status(done, running=0, failed=0):
    return f"{RUNS} runs: {done} done, {running} running, {failed} failed, {RUNS - done - running - failed} missing"


class SlurmCluster:
    """munged, slurmctld and slurmd in a folder of their own, stopped by PID."""

    def __init__(self, root):
        self.root = root
        self.procs = []
        os.makedirs(root)
        os.chmod(root, 0o755)  # munged refuses a socket in a folder others cannot enter
        with open(os.path.join(root, "munge.key"), "wb") as f:
            f.write(os.urandom(1024))
        os.chmod(os.path.join(root, "munge.key"), 0o400)
        for sub in ["state", "spool"]:
            os.mkdir(os.path.join(root, sub))
        self.conf = os.path.join(root, "slurm.conf")
        r = root
        with open(self.conf, "w") as f:
            f.write(f"""ClusterName=ftpsimtest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort={free_port()}
SlurmdPort={free_port()}
AuthType=auth/munge
AuthInfo=socket={r}/munge.sock
CryptoType=crypto/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
ReturnToService=2
SlurmctldPidFile={r}/slurmctld.pid
SlurmdPidFile={r}/slurmd.pid
SlurmdSpoolDir={r}/spool
StateSaveLocation={r}/state
SlurmUser=root
SlurmdUser=root
SwitchType=switch/none
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
SlurmctldLogFile={r}/slurmctld.log
SlurmdLogFile={r}/slurmd.log
NodeName=ftpsimnode NodeAddr=127.0.0.1 NodeHostname=ftpsimnode CPUs=2 State=UNKNOWN
PartitionName=debug Nodes=ftpsimnode Default=YES MaxTime=INFINITE State=UP
""")
        self.env = dict(os.environ, SLURM_CONF=self.conf)

    def start(self):
        r = self.root
        self.spawn(["munged", "-F", "--force", f"--socket={r}/munge.sock", f"--key-file={r}/munge.key",
                    f"--pid-file={r}/munged.pid", f"--log-file={r}/munged.log", f"--seed-file={r}/munged.seed"])
        wait_until(lambda: os.path.exists(f"{r}/munge.sock"), 10, "munged's socket")
        self.spawn(["slurmctld", "-D", "-i", "-f", self.conf])
        self.spawn(["slurmd", "-D", "-N", "ftpsimnode", "-f", self.conf])
        wait_until(lambda: "idle" in subprocess.run(["sinfo", "-h", "-o", "%T"], env=self.env, capture_output=True,
                                                    text=True).stdout, 20, "the Slurm node to be idle")

    def spawn(self, argv):
        log = open(os.path.join(self.root, os.path.basename(argv[0]) + ".out"), "w")
        self.procs.append(subprocess.Popen(argv, env=self.env, stdout=log, stderr=subprocess.STDOUT))

    def queue_empty(self):
        proc = subprocess.run(["squeue", "-h"], env=self.env, capture_output=True, text=True)
        return proc.returncode == 0 and proc.stdout.strip() == ""

    def stop(self):
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()

    def logs(self):
        for name in ["slurmctld.log", "slurmd.log", "munged.out"]:
            path = os.path.join(self.root, name)
            if os.path.exists(path):
                print(f"--- {name} (last lines)")
                print("".join(open(path).readlines()[-15:]))


def job_id(stdout):
    # "ftpsim: submitted Slurm job array ID: N runs in T tasks ..."
    return stdout.split("job array ")[1].split(":")[0]


def test_slurm(ftpsim, work):
    cluster = SlurmCluster(os.path.join(work, "slurm"))
    try:
        cluster.start()
        ref = local_reference(ftpsim, work)
        sweep = Sweep(ftpsim, work, "shared")
        env = cluster.env
        check(sweep.status() == expected_status(0), "a new sweep is not all missing")
        proc = sweep.run("--executor", "slurm", "--chunk", "4", "--max-tasks", "1", env=env)
        check(proc.returncode == 0, f"submission failed: {proc.stderr}")
        check(f": {RUNS} runs in 2 tasks" in proc.stdout, f"first submission: {proc.stdout}")
        first = job_id(proc.stdout)
        with open(os.path.join(work, "shared", "slurm", "submit-1.runs")) as f:
            check(f.read() == "0-3\n4-7\n", "submit-1.runs is not the two chunks of 4 run ids")
        # Task 0 runs ids 0-3 one by one: a run in progress shows as running; cancel it after its first run.
        wait_until(lambda: " 1 running" in sweep.status(), 20, "a run of task 0 to show as running")
        wait_until(lambda: len(sweep.journaled()) >= 1, 20, "task 0's first run")
        subprocess.run(["scancel", f"{first}_0"], env=env, check=True)
        wait_until(cluster.queue_empty, 25, "the array to end")
        done = sweep.journaled()
        check(0 < len(done) < RUNS, f"the cancelled task left {len(done)} runs done")
        check(sweep.status() == expected_status(len(done)),
              f"--status after the cancel: {sweep.status()!r}, journal has {len(done)} runs")
        missing = sorted(p * 4 + r for p in range(2) for r in range(4) if (p, r) not in done)
        print(f"after cancelling task 0: {sweep.status()}")
        proc = sweep.run("--executor", "slurm", "--chunk", "4", env=env)
        check(proc.returncode == 0, f"resubmission failed: {proc.stderr}")
        check(f": {len(missing)} runs in 1 tasks" in proc.stdout, f"resubmission: {proc.stdout}")
        with open(os.path.join(work, "shared", "slurm", "submit-2.runs")) as f:
            submitted = f.read()
        ids = set()
        for item in submitted.strip().split(","):
            a, _, b = item.partition("-")
            ids.update(range(int(a), int(b or a) + 1))
        check(sorted(ids) == missing, f"resubmitted {sorted(ids)}, missing were {missing}")
        wait_until(cluster.queue_empty, 25, "the second array to end")
        check(sweep.status() == expected_status(RUNS), f"--status at the end: {sweep.status()!r}")
        proc = sweep.run("--executor", "slurm", env=env)
        check(proc.returncode == 0 and "nothing to submit" in proc.stdout, f"third submission: {proc.stdout}")
        compare_with_local(sweep, ref)
    except Exception:
        cluster.logs()
        raise
    finally:
        cluster.stop()


def test_parallel(ftpsim, work):
    ref = local_reference(ftpsim, work)
    sweep = Sweep(ftpsim, work, "shared")
    listing = sweep.run("--list")
    check(listing.returncode == 0 and len(listing.stdout.splitlines()) == RUNS, f"--list: {listing.stderr}")
    commands = "".join(line.split("\t")[4] + "\n" for line in listing.stdout.splitlines())
    joblog = os.path.join(work, "joblog")
    parallel = ["parallel", "--will-cite", "--joblog", joblog, "-j", "1"]
    proc = subprocess.Popen(parallel, cwd=work, stdin=subprocess.PIPE, text=True, start_new_session=True,
                            stdout=subprocess.DEVNULL)
    proc.stdin.write(commands)
    proc.stdin.close()
    wait_until(lambda: len(sweep.journaled()) >= 1, 20, "the first run under parallel")
    os.killpg(proc.pid, signal.SIGKILL)  # parallel and the run it was running
    proc.wait()
    # parallel starts each job in a process group of its own, which outlives the kill: stop those jobs
    # too (by PID: the processes working in this test's folder), as a node failure would.
    kill_processes_in(work)
    done = sweep.journaled()
    check(0 < len(done) < RUNS, f"the killed parallel left {len(done)} runs done")
    check(sweep.status() == expected_status(len(done)), f"--status after the kill: {sweep.status()!r}")
    print(f"after killing parallel: {sweep.status()}")
    proc = subprocess.run(parallel[:-2] + ["--resume", "-j", "2"], cwd=work, input=commands, text=True,
                          capture_output=True, timeout=60)
    check(proc.returncode == 0, f"parallel --resume failed: {proc.stderr}")
    with open(joblog) as f:
        rows = [line.split("\t") for line in f.read().splitlines()[1:]]
    check(sorted(int(r[0]) for r in rows) == list(range(1, RUNS + 1)), f"joblog sequence numbers: {rows}")
    check(all(r[6] == "0" for r in rows), "a job in the joblog did not exit 0")
    check(sweep.status() == expected_status(RUNS), f"--status at the end: {sweep.status()!r}")
    compare_with_local(sweep, ref)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ftpsim", required=True)
    parser.add_argument("kind", choices=["slurm", "parallel"])
    args = parser.parse_args()
    if args.kind == "slurm" and os.geteuid() != 0:
        print("SKIP: the Slurm test starts slurmd and munged as root (run as root)")
        return SKIP
    if not ensure_tools(args.kind):
        return SKIP
    work = tempfile.mkdtemp(prefix=f"ftpsim-{args.kind}-")
    start = time.monotonic()
    try:
        (test_slurm if args.kind == "slurm" else test_parallel)(os.path.abspath(args.ftpsim), work)
    except AssertionError as e:
        print(f"FAIL: {e}")
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{args.kind}: passed in {time.monotonic() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

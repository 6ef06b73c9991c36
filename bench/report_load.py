#!/usr/bin/env python3
"""Reports from a standby (SPEC §12), on the local formation of bench/formation.sh: the same
`report.indicators` taken from the primary and, through YILIAN_READ_DATABASE_URL, from a standby
once it has replayed everything, must be equal but for the time their data is as of; then N reports
through one `yilian serve`, first read from the primary and then from a standby, each time with
the CPU time the primary's and the standby's servers spent meanwhile (postmaster and backends, from
/proc), alone and while a writer files on the primary as in real use (its rate printed).
Usage: bench/report_load.py [--binary .build/release/yilian] [-n 50]"""
import argparse, json, os, subprocess, threading, time
from patients import patient
from rpc import FILING, caller, first_new_patient, pain_alliance, request, runner

parser = argparse.ArgumentParser()
parser.add_argument("--binary", default=".build/release/yilian")
parser.add_argument("-n", type=int, default=50)
args = parser.parse_args()
binary = os.path.abspath(args.binary)
here = os.path.dirname(os.path.abspath(__file__))
env = {k: v for k, v in os.environ.items() if not k.startswith("YILIAN_")}
run = runner(env)
uri = run(os.path.join(here, "formation.sh"), "start").strip().splitlines()[-1]
env["YILIAN_DATABASE_URL"] = uri
call = caller(binary, env)
if run("psql", uri, "-Atc", "SELECT count(*) FROM hospitals").strip() == "0":
    pain_alliance(call)
hosts = uri.split("@")[1].split("/")[0]
reads = uri.replace("target_session_attrs=read-write", "target_session_attrs=standby")
formation = os.environ.get("FORMATION_DIR", "/tmp/yilian-formation")


def psql(url, sql):
    return run("psql", url, "-Atc", sql).strip()


def server_cpu(port):
    """Seconds of CPU the server at `port` has spent: its postmaster, its living processes, and those
    it has reaped."""
    pid = int(open(f"{formation}/node{port[-1]}/postmaster.pid").readline())
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry) == pid:
            total += sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
        elif int(fields[1]) == pid:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


primary = psql(uri, "SELECT current_setting('port')")
standby = psql(reads, "SELECT current_setting('port')")
REPORT = {"alliance": "PAIN-BJ", "from": "2026-01-01", "to": "2027-12-31", "by": "month", "actor": {"user": "li", "hospital": "ZRYY"}}


def caught_up():
    """Waits until the standby has replayed what the primary has written by now."""
    target = psql(uri, "SELECT pg_current_wal_lsn()")
    while psql(reads, f"SELECT pg_last_wal_replay_lsn() >= '{target}'") != "t":
        time.sleep(0.05)


caught_up()
from_primary = call("report.indicators", REPORT)
from_standby = caller(binary, dict(env, YILIAN_READ_DATABASE_URL=reads))("report.indicators", REPORT)
same = {k: v for k, v in from_primary.items() if k != "asOf"} == {k: v for k, v in from_standby.items() if k != "asOf"}
print(f"primary on port {primary}, standby on {standby}; {psql(uri, 'SELECT count(*) FROM referrals')} referrals; "
      f"the standby's report equals the primary's but for asOf: {same} (asOf {from_primary.get('asOf')} / {from_standby.get('asOf')})")

base, stop, filed = first_new_patient(run, uri), threading.Event(), [0]


def writer():
    """Files on the primary throughout, one referral after another."""
    serve = subprocess.Popen([binary, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)
    n = 0
    while not stop.is_set():
        n += 1
        serve.stdin.write(request(n, "referral.file", dict(FILING, patient=patient(base + n), allowDuplicate=True)) + "\n")
        serve.stdin.flush()
        serve.stdout.readline()
        filed[0] += 1
    serve.stdin.close()
    serve.wait()


for label, extra in [("reports read from the primary", {}), ("reports read from a standby", {"YILIAN_READ_DATABASE_URL": reads})]:
    for with_writer in [False, True]:
        stop.clear()
        thread = threading.Thread(target=writer)
        if with_writer:
            thread.start()
            time.sleep(1)
        cpu = (server_cpu(primary), server_cpu(standby))
        started, filed_before = time.monotonic(), filed[0]
        lines = "\n".join(request(i, "report.indicators", REPORT) for i in range(args.n)) + "\n"
        answers = subprocess.run([binary, "serve"], input=lines, capture_output=True, text=True, env=dict(env, **extra)).stdout
        seconds = time.monotonic() - started
        used = (server_cpu(primary) - cpu[0], server_cpu(standby) - cpu[1])
        filings = filed[0] - filed_before
        if with_writer:
            stop.set()
            thread.join()
        ok = sum(1 for line in answers.splitlines() if '"result"' in line)
        print(f"{label}{f', a writer filing {filings / seconds:.0f}/s meanwhile' if with_writer else ''}: {ok}/{args.n} in {seconds:.2f} s; "
              f"CPU of the primary's server {used[0]:.2f} s" + ("" if with_writer else f" ({used[0] / args.n * 1000:.1f} ms a report)") + ", "
              f"of the standby's {used[1]:.2f} s", flush=True)
raise SystemExit(0 if same else 1)

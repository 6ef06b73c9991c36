#!/usr/bin/env python3
"""Filings on the local formation of bench/formation.sh (synchronous replication: a commit waits
for one of the two standbys), next to PostgreSQL's own limit on the same formation: one `yilian
serve` filing referrals one after another (each a patient of its own) and pgbench running the
minimal SQL of a filing (bench/rpc.py's FILING_SQL, as the owner), taking turns over 5 rounds.
Usage: bench/formation_rate.py [--binary .build/release/yilian] [-n 1000]"""
import argparse, json, os, statistics, subprocess, tempfile, threading, time
from patients import patient
from rpc import FILING, FILING_SQL, caller, first_new_patient, pain_alliance, request, runner

parser = argparse.ArgumentParser()
parser.add_argument("--binary", default=".build/release/yilian")
parser.add_argument("-n", type=int, default=1000)
args = parser.parse_args()
binary = os.path.abspath(args.binary)
env = {k: v for k, v in os.environ.items() if not k.startswith("YILIAN_")}
run = runner(env)
uri = run(os.path.join(os.path.dirname(os.path.abspath(__file__)), "formation.sh"), "start").strip().splitlines()[-1]
env["YILIAN_DATABASE_URL"] = uri
ROUNDS = 5


call = caller(binary, env)


if run("psql", uri, "-Atc", "SELECT count(*) FROM hospitals").strip() == "0":
    pain_alliance(call)
run("psql", uri, "-qc", "CREATE SEQUENCE IF NOT EXISTS bench_numbers")
script = tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False)
script.write(FILING_SQL)
script.close()


def pgbench(transactions):
    out = run("pgbench", "-n", "-M", "prepared", "-f", script.name, "-t", str(transactions), "-c", "1", uri)
    return next(float(line.split()[2]) for line in out.splitlines() if line.startswith("tps = "))


serve = subprocess.Popen([binary, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)
first = first_new_patient(run, uri)
size = args.n // ROUNDS
ratios, rates, tpss = [], [], []
for r in range(ROUNDS):
    # Benchmark patients repeat their resident IDs every 25,000,000 numbers: files anyway.
    lines = [request(i, "referral.file", dict(FILING, patient=patient(first + r * size + i), allowDuplicate=True)) for i in range(size)]
    start = time.monotonic()
    writer = threading.Thread(target=lambda: (serve.stdin.write("\n".join(lines) + "\n"), serve.stdin.flush()))
    writer.start()
    responses = [json.loads(serve.stdout.readline()) for _ in lines]
    writer.join()
    assert all("result" in r for r in responses), [r for r in responses if "result" not in r][:2]
    rate = size / (time.monotonic() - start)
    tps = pgbench(size)
    rates.append(rate)
    tpss.append(tps)
    ratios.append(rate / tps)
serve.stdin.close()
serve.wait()
os.unlink(script.name)
print(f"referral.file on the formation, one stream: {statistics.median(rates):.0f}/s; pgbench -c 1 (FILING_SQL): "
      f"{statistics.median(tpss):.0f} tps; ratio per round " + ", ".join(f"{x:.2f}" for x in ratios)
      + f" (median {statistics.median(ratios):.2f})")

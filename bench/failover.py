#!/usr/bin/env python3
"""A failover under load (SPEC §12), on the local formation of bench/formation.sh: WRITERS
`yilian serve` processes file referrals one after another, each with an idempotency key of its
own, through the formation's multi-host URI; after a few seconds the primary is lost
(`formation.sh lose-primary`: its keeper and server killed), and the writers go on until the
monitor has promoted a standby and every writer has been answered again. Then, against what was
acknowledged: every acknowledged filing is there exactly once, no filing is there twice, and
nothing unacknowledged was filed without its key answering it. Prints the longest time any
writer waited for an answer, the time from the loss to the first acknowledged filing after it,
and the promotion as the monitor's events tell it.
Then, at --failover-after, a planned failover (pg_autoctl perform failover) under the same load, and
a `yilian watch` of the receiving hospital, started before the loss, must have delivered every
acknowledged filing once, its numbers strictly increasing.
Usage: bench/failover.py [--binary .build/debug/yilian] [--writers 4] [--seconds 50] [--lose-after 5] [--failover-after 30]
(starts the formation if it is not running; leaves it running, with a standby lost: `formation.sh start` brings it back)."""
import argparse, datetime, json, os, subprocess, threading, time
from patients import patient
from rpc import FILING, first_new_patient, pain_alliance, request, runner

parser = argparse.ArgumentParser()
parser.add_argument("--binary", default=".build/debug/yilian")
parser.add_argument("--writers", type=int, default=4)
parser.add_argument("--seconds", type=float, default=50, help="how long the writers write in all")
parser.add_argument("--lose-after", type=float, default=5)
parser.add_argument("--failover-after", type=float, default=30, help="then a planned failover (0: none)")
args = parser.parse_args()
binary = os.path.abspath(args.binary)
here = os.path.dirname(os.path.abspath(__file__))
formation = os.path.join(here, "formation.sh")
env = {k: v for k, v in os.environ.items() if not k.startswith("YILIAN_")}
run = runner(env)
uri = run(formation, "start").strip().splitlines()[-1]
env["YILIAN_DATABASE_URL"] = uri


def call(method, params):
    serve = subprocess.Popen([binary, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)
    answer, _ = serve.communicate(request(1, method, params) + "\n")
    response = json.loads(answer)
    assert "result" in response, response
    return response["result"]


def psql(sql):
    return run("psql", uri, "-Atc", sql).strip()


if psql("SELECT count(*) FROM hospitals") == "0":
    pain_alliance(call)
base = first_new_patient(run, uri)  # patients new to the database
acknowledged, failed, attempted, lock = [], [], set(), threading.Lock()
started = time.monotonic()


def writer(w):
    serve = subprocess.Popen([binary, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)
    n = 0
    while time.monotonic() - started < args.seconds:
        n += 1
        number = base + w * 100_000 + n
        key = f"failover-{number}"
        sent = time.monotonic()
        with lock:
            attempted.add(patient(number)["name"])
        serve.stdin.write(request(n, "referral.file", dict(FILING, patient=patient(number), idempotencyKey=key, allowDuplicate=True)) + "\n")
        serve.stdin.flush()
        response = json.loads(serve.stdout.readline())
        answered = time.monotonic()
        wall = time.time()
        with lock:
            if "result" in response:
                acknowledged.append((key, response["result"]["id"], patient(number)["name"], sent, answered, wall))
            else:
                failed.append((key, response["error"]["data"], sent, answered))
    serve.stdin.close()
    serve.wait()


# A watcher of the receiving hospital, started before the loss: it must deliver every feed
# number once, in order, across the failover.
watcher = subprocess.Popen([binary, "watch", "--json", "--as", "li@ZRYY"], stdout=subprocess.PIPE, env=env, text=True)
lines = []
reader = threading.Thread(target=lambda: lines.extend(watcher.stdout))  # drained as it writes
reader.start()
threads = [threading.Thread(target=writer, args=(w,)) for w in range(args.writers)]
for t in threads:
    t.start()
time.sleep(args.lose_after)
lost_at, lost_wall = time.monotonic(), time.time()
print(run(formation, "lose-primary").strip(), flush=True)
if args.failover_after:
    time.sleep(max(0.0, args.failover_after - args.lose_after))
    planned_at = time.monotonic()
    run(formation, "failover")
    print(f"a planned failover took {time.monotonic() - planned_at:.1f} s", flush=True)
for t in threads:
    t.join()

# What the watcher delivered, once the writers have stopped and it has caught up.
time.sleep(6)
watcher.terminate()
reader.join()
numbers = [json.loads(line)["number"] for line in lines if line.startswith("{")]
filed = [json.loads(line) for line in lines if line.startswith("{") and json.loads(line).get("action") == "file"]
print(f"watch delivered {len(numbers)} events ({len(filed)} filings), numbers strictly increasing: "
      f"{all(a < b for a, b in zip(numbers, numbers[1:]))}", flush=True)

# What the database holds of the filings sent.
rows = psql("SELECT string_agg(id || '|' || (patient->>'name'), ',') FROM referrals WHERE patient->>'name' LIKE '患者%'")
stored = [row.split("|") for row in rows.split(",") if row.split("|")[1] in attempted] if rows else []
by_name = {}
for rid, name in stored:
    by_name.setdefault(name, []).append(rid)
doubled = {name: ids for name, ids in by_name.items() if len(ids) > 1}
missing = [(key, rid) for key, rid, name, *_ in acknowledged if by_name.get(name) != [rid]]
# A refusal that is neither in doubt nor absent from the database would be a lie.
unanswered_filed = [key for key, data, _, _ in failed if not data.get("inDoubt") and patient(int(key.split("-")[1]))["name"] in by_name]
print(f"{len(acknowledged)} filings acknowledged, {len(failed)} refused ({sum(1 for f in failed if f[1].get('inDoubt'))} in doubt), "
      f"{len(stored)} stored; acknowledged and missing: {len(missing)}; stored twice: {len(doubled)}; "
      f"refused without inDoubt: {len(unanswered_filed)}", flush=True)
waits = [answered - sent for _, _, _, sent, answered, _ in acknowledged]
times = sorted(answered for *_, answered, _ in acknowledged)
gap = max(((b - a), a) for a, b in zip(times, times[1:]))
print(f"longest wait for an answer: {max(waits):.1f} s; longest time without an acknowledged filing: {gap[0]:.1f} s, "
      f"from {gap[1] - lost_at:+.1f} s after the loss")
print(run(formation, "state"))
events = run(formation, "events", "30")
print(events)
# The promotion as the monitor tells it: the new primary reporting wait_primary (it takes writes).
promoted = [line.split("|")[0].strip() for line in events.splitlines() if 'reported by node' in line and '"wait_primary"' in line]
if promoted:
    at = datetime.datetime.fromisoformat(promoted[-1].replace("+00", "+00:00")).timestamp()
    first = min((wall for *_, wall in acknowledged if wall > at), default=None)
    print(f"promoted (wait_primary reported) {at - lost_wall:.1f} s after the loss; first acknowledged filing "
          + (f"{first - at:.2f} s after the promotion" if first else "none after it"))
watched = {event["id"] for event in filed}
unwatched = [rid for _, rid, *_ in acknowledged if rid not in watched]
print(f"acknowledged filings the watcher did not deliver: {len(unwatched)}")
assert not missing and not doubled and all(a < b for a, b in zip(numbers, numbers[1:])), (missing[:3], list(doubled.items())[:3])

#!/usr/bin/env python3
"""A failover under load (SPEC §12), on the local formation of bench/formation.sh: WRITERS writers
file referrals one after another through the formation's multi-host URI and act on each (the
receiver accepts it and schedules it into a day of limited capacity): all but the last through a
`yilian serve` of their own, with an idempotency key per request except every second referral of
the first writer, which goes without (its refusals must say whether they are in doubt); the last
through the CLI, which sends a key of its own with every change. After a few seconds the primary
is lost (`formation.sh lose-primary`: its keeper and server killed), and at --failover-after a
planned failover (pg_autoctl perform failover) follows under the same load.
Then, against what was acknowledged: every acknowledged filing and action is there exactly once,
nothing was filed twice, no refusal without `inDoubt` was made anyway, no day's slots are over
capacity or booked other than by the referrals that hold them, every referral's version equals
its event count, and a `yilian watch` of the receiving hospital started before the loss delivered
every feed number it may see once, in order. Prints the longest time any writer waited for an
answer, the time from the loss to the first acknowledged filing after it, and the promotion as
the monitor's events tell it. Exits non-zero when a check fails.
Usage: bench/failover.py [--binary .build/debug/yilian] [--writers 4] [--seconds 50] [--lose-after 5] [--failover-after 30]
(starts the formation if it is not running; leaves it running, with a standby lost: `formation.sh start` brings it back)."""
import argparse, collections, datetime, json, os, subprocess, threading, time
from patients import patient
from rpc import FILING, RECEIVER, caller, first_new_patient, pain_alliance, request, runner

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


call = caller(binary, env)


def psql(sql):
    return run("psql", uri, "-Atc", sql).strip()


if psql("SELECT count(*) FROM hospitals") == "0":
    pain_alliance(call)
base = first_new_patient(run, uri)  # patients new to the database
# A day of limited capacity a week ahead (in the alliance's time zone), new to this run.
day = psql("SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date + 7 + "
           "coalesce((SELECT max(date) - ((now() AT TIME ZONE 'Asia/Shanghai')::date + 7) + 1 FROM slots WHERE date > "
           "(now() AT TIME ZONE 'Asia/Shanghai')::date + 6), 0)")
call("slots.publish", {"hospital": "ZRYY", "specialty": "pain", "from": day, "capacity": 150, "actor": RECEIVER})
filings, acts, refused, attempted, lock = [], [], [], set(), threading.Lock()
started = time.monotonic()
ACTIONS = [("accept", {}), ("schedule", {"date": day})]


def serve_writer(w):
    """Files and acts through one `yilian serve`, keyed but for every second referral of writer 0."""
    serve = subprocess.Popen([binary, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)
    n = 0

    def ask(method, params, key):
        serve.stdin.write(request(n, method, dict(params, **({"idempotencyKey": key} if key else {}))) + "\n")
        serve.stdin.flush()
        return json.loads(serve.stdout.readline())

    while time.monotonic() - started < args.seconds:
        n += 1
        number = base + w * 100_000 + n
        keyed = not (w == 0 and n % 2 == 0)
        name = patient(number)["name"]
        with lock:
            attempted.add(name)
        sent = time.monotonic()
        response = ask("referral.file", dict(FILING, patient=patient(number), allowDuplicate=True), keyed and f"failover-{number}")
        answered, wall = time.monotonic(), time.time()
        with lock:
            if "error" in response:
                refused.append(("file", name, keyed, response["error"]))
                continue
            filings.append((response["result"]["id"], name, sent, answered, wall))
        rid = response["result"]["id"]
        for action, params in ACTIONS:
            response = ask(f"referral.{action}", dict(params, id=rid, actor=RECEIVER), keyed and f"{action}-{rid}")
            with lock:
                if "error" in response:
                    refused.append((action, rid, keyed, response["error"]))
                    break
                acts.append((rid, action))
    serve.stdin.close()
    serve.wait()


def cli_writer(w):
    """Files and acts through the CLI, a process a command, which keys every change itself."""
    def cli(*arguments, actor):
        done = subprocess.run([binary, *arguments, "--json", "--as", actor], env=env, capture_output=True, text=True)
        if done.returncode == 0:
            return json.loads(done.stdout)
        try:  # with --json a refusal is its sentence, then its JSON-RPC error, on stderr
            return {"error": json.loads(done.stderr.strip().splitlines()[-1])}
        except ValueError:
            return {"error": {"data": {"code": "exit " + str(done.returncode)}, "message": done.stderr.strip()}}

    n = 0
    while time.monotonic() - started < args.seconds:
        n += 1
        number = base + w * 100_000 + n
        p = patient(number)
        with lock:
            attempted.add(p["name"])
        sent = time.monotonic()
        result = cli("referral", "file", "--alliance", "PAIN-BJ", "--from", "MYQYY", "--to", "ZRYY", "--setting", "outpatient",
                     "--priority", "routine", "--patient-name", p["name"], "--patient-sex", p["sex"], "--patient-birth-date",
                     p["birthDate"], "--patient-id-number", p["idNumber"], "--consent", "--diagnosis", "M79.2:神经痛",
                     "--reason", "疼痛控制不佳", "--allow-duplicate", actor="wang@MYQYY")
        answered, wall = time.monotonic(), time.time()
        with lock:
            if "error" in result:
                refused.append(("file", p["name"], True, result["error"]))
                continue
            filings.append((result["id"], p["name"], sent, answered, wall))
        rid = result["id"]
        for action, params in ACTIONS:
            result = cli("referral", action, rid, *(["--date", params["date"]] if params else []), actor="li@ZRYY")
            with lock:
                if "error" in result:
                    refused.append((action, rid, True, result["error"]))
                    break
                acts.append((rid, action))


# A watcher of the receiving hospital, started before the loss: it must deliver every feed
# number it may see once, in order, across the failover.
# The feed numbered up to now (on a new database the alliance's own events are not numbered yet:
# the first watch numbers them, and starts after them).
watch_from = int(psql("SELECT yilian_feed_advance()"))
watcher = subprocess.Popen([binary, "watch", "--json", "--as", "li@ZRYY"], stdout=subprocess.PIPE, env=env, text=True)
lines = []
reader = threading.Thread(target=lambda: lines.extend(watcher.stdout))  # drained as it writes
reader.start()
time.sleep(1)
threads = [threading.Thread(target=serve_writer if w < args.writers - 1 else cli_writer, args=(w,)) for w in range(args.writers)]
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
visible = [int(x) for x in psql(f"SELECT number FROM feed WHERE number > {watch_from} AND yilian_api.sees('ZRYY', hospitals) "
                                 "ORDER BY number").split()]
print(f"watch delivered {len(numbers)} events of the {len(visible)} numbered for the receiver since it started; "
      f"the same numbers in the same order: {numbers == visible}", flush=True)
if numbers != visible:
    unseen, unknown = sorted(set(visible) - set(numbers)), sorted(set(numbers) - set(visible))
    print(f"  not delivered: {unseen[:20]}; delivered but not visible: {unknown[:20]}; last delivered {numbers[-1:]}; "
          f"out of order or twice: {[(a, b) for a, b in zip(numbers, numbers[1:]) if a >= b][:10]}", flush=True)

# What the database holds of the filings and actions sent.
rows = psql("SELECT string_agg(id || '|' || (patient->>'name'), ',') FROM referrals WHERE patient->>'name' LIKE '患者%'")
stored = [row.split("|") for row in rows.split(",") if row.split("|")[1] in attempted] if rows else []
by_name = {}
for rid, name in stored:
    by_name.setdefault(name, []).append(rid)
doubled = {name: ids for name, ids in by_name.items() if len(ids) > 1}
missing = [(rid, name) for rid, name, *_ in filings if by_name.get(name) != [rid]]
ids = ",".join(f"'{rids[0]}'" for rids in by_name.values()) or "''"
events = {}
for line in psql(f"SELECT referral || '|' || action || '|' || count(*) FROM referral_events WHERE referral IN ({ids}) "
                 "GROUP BY referral, action").split():
    rid, action, count = line.split("|")
    events[(rid, action)] = int(count)
acts_missing = [(rid, action) for rid, action in acts if events.get((rid, action)) != 1]
acts_doubled = [key for key, count in events.items() if count > 1]
# A refusal that says nothing of doubt must be true: what it refused is not there.
done_anyway = [(what, who) for what, who, keyed, error in refused if not error.get("data", {}).get("inDoubt") and (
    who in by_name if what == "file" else events.get((who, what), 0) > 0)]
in_doubt = sum(1 for *_, error in refused if error.get("data", {}).get("inDoubt"))
versions = psql(f"SELECT count(*) FROM referrals r WHERE id IN ({ids}) AND "
                "version <> (SELECT count(*) FROM referral_events e WHERE e.referral = r.id)")
slots = psql(f"SELECT capacity || '|' || booked || '|' || (SELECT count(*) FROM referrals WHERE slot_date = '{day}' AND status = 'scheduled') "
             f"FROM slots WHERE hospital = 'ZRYY' AND specialty = 'pain' AND date = '{day}'").split("|")
print(f"{len(filings)} filings and {len(acts)} actions acknowledged; {len(refused)} refused ({in_doubt} in doubt, "
      f"{sum(1 for r in refused if not r[2])} of them unkeyed), {len(stored)} referrals stored; acknowledged and missing: "
      f"{len(missing)} filings, {len(acts_missing)} actions; stored twice: {len(doubled)} filings, {len(acts_doubled)} actions; "
      f"refused without inDoubt yet done: {len(done_anyway)}; versions unlike the event count: {versions}; "
      f"the day's capacity {slots[0]}, booked {slots[1]}, scheduled into it {slots[2]}", flush=True)
reasons = collections.Counter(f"{what} {error.get('data', {}).get('code')}" for what, _, _, error in refused)
print("refusals: " + ", ".join(f"{reason} {count}" for reason, count in sorted(reasons.items())), flush=True)
for message in sorted({error.get("message", "")[:160] for *_, error in refused if error.get("data", {}).get("code") != "capacity_exhausted"}):
    print(f"  {message}")
waits = [answered - sent for _, _, sent, answered, _ in filings]
times = sorted(answered for *_, answered, _ in filings)
gap = max(((b - a), a) for a, b in zip(times, times[1:]))
print(f"longest wait for an answer: {max(waits):.1f} s; longest time without an acknowledged filing: {gap[0]:.1f} s, "
      f"from {gap[1] - lost_at:+.1f} s after the loss")
print(run(formation, "state"))
monitor = run(formation, "events", "30")
print(monitor)
# The promotion as the monitor tells it: the new primary reporting wait_primary (it takes writes).
promoted = [line.split("|")[0].strip() for line in monitor.splitlines() if 'reported by node' in line and '"wait_primary"' in line]
if promoted:
    at = datetime.datetime.fromisoformat(promoted[-1].replace("+00", "+00:00")).timestamp()
    first = min((wall for *_, wall in filings if wall > at), default=None)
    print(f"promoted (wait_primary reported) {at - lost_wall:.1f} s after the loss; first acknowledged filing "
          + (f"{first - at:.2f} s after the promotion" if first else "none after it"))
failures = {"acknowledged filings missing": missing, "acknowledged actions missing": acts_missing, "filings stored twice": doubled,
            "actions stored twice": acts_doubled, "refused without inDoubt yet done": done_anyway,
            "versions unlike the event count": versions != "0", "slots": int(slots[1]) > int(slots[0]) or slots[1] != slots[2],
            "the watch": numbers != visible, "nothing acknowledged after the loss": not any(a > lost_at for *_, a, _ in filings)}
failed = [f"{what}: {str(detail)[:300]}" for what, detail in failures.items() if detail]
print("FAILED: " + "; ".join(failed) if failed else "every check holds")
raise SystemExit(1 if failed else 0)

#!/usr/bin/env python3
"""The event feed (SPEC §8) under load, on a throwaway embedded server: the latency from a
filing's commit to a subscriber's notification line (p50/p99 over -n events), and what 1 and 50
subscribers of the hospital the stream's events concern, and 50 of other hospitals, cost a stream
of filings and acceptances (its rate with them over its rate without, taking turns round by round
so all meet the same machine).
Usage: bench/feed.py [--binary .build/release/yilian] [-n 1000] [--subscribers 50]"""
import argparse, json, os, shutil, statistics, subprocess, tempfile, threading, time
from patients import patient
from rpc import ADMIN, FILING, RECEIVER, SENDER, pain_alliance, request, runner

parser = argparse.ArgumentParser()
parser.add_argument("--binary", default=".build/release/yilian")
parser.add_argument("-n", type=int, default=1000, help="events for the latency, filings per throughput round")
parser.add_argument("--subscribers", type=int, default=50)
args = parser.parse_args()
binary = os.path.abspath(args.binary)
home = tempfile.mkdtemp(prefix="yilian-feed-")
os.chmod(home, 0o755)
env = {k: v for k, v in os.environ.items() if not k.startswith("YILIAN_")}
env["YILIAN_HOME"] = home
patients = iter(range(10**9))
OTHERS = [f"W-{n:02d}" for n in range(1, args.subscribers + 1)]
ROUNDS = 6


run = runner(env)


class Serve:
    """One `yilian serve`: requests answered one at a time, or a batch of lines pipelined."""

    def __init__(self):
        self.process = subprocess.Popen([binary, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)
        self.n = 0

    def call(self, method, params):
        self.n += 1
        self.process.stdin.write(request(self.n, method, params) + "\n")
        self.process.stdin.flush()
        response = json.loads(self.process.stdout.readline())
        assert "result" in response, response
        return response["result"]

    def pipelined(self, calls):
        lines = []
        for method, params in calls:
            self.n += 1
            lines.append(request(self.n, method, params))
        writer = threading.Thread(target=lambda: (self.process.stdin.write("\n".join(lines) + "\n"), self.process.stdin.flush()))
        start = time.monotonic()
        writer.start()
        results = [json.loads(self.process.stdout.readline()) for _ in lines]
        seconds = time.monotonic() - start
        writer.join()
        assert all("result" in r for r in results), [r for r in results if "result" not in r][:2]
        return [r["result"] for r in results], seconds

    def close(self):
        self.process.stdin.close()
        self.process.wait()


class Subscriber:
    """A `serve` subscribed as ZRYY's coordinator. With `timed`, records when each notification
    line arrives; else only drains its output: a hospital's system that reads the notifications
    runs elsewhere, and 50 Python readers decoding every line took this machine's CPU from the
    stream being measured."""

    def __init__(self, timed=False, actor=RECEIVER):
        self.serve = Serve()
        self.serve.call("events.subscribe", {"actor": actor})
        self.arrived = {}  # (id, action) → time
        self.thread = threading.Thread(target=self.read if timed else self.drain, daemon=True)
        self.thread.start()

    def read(self):
        for line in self.serve.process.stdout:
            params = json.loads(line).get("params", {})
            self.arrived[(params.get("id"), params.get("action"))] = time.monotonic()

    def drain(self):
        while os.read(self.serve.process.stdout.fileno(), 1 << 16):
            pass

    def close(self):
        self.serve.process.terminate()
        self.serve.process.wait()


def setup():
    run(binary, "db", "start")
    url = run(binary, "db", "url").strip()
    # 50 subscribers hold a listening and a querying connection each.
    run("psql", url.replace("user=yilian", "user=postgres"), "-qc", "ALTER SYSTEM SET max_connections = 400")
    run(binary, "db", "stop")
    run(binary, "db", "start")
    s = Serve()
    pain_alliance(s.call)
    # Hospitals the stream's referrals do not concern, each with a watching coordinator.
    for code in OTHERS:
        s.call("hospital.register", {"code": code, "name": "社区卫生服务中心 " + code, "level": 1, "departments": ["general"], "actor": ADMIN})
        s.call("user.add", {"user": "coordinator", "hospital": code, "duty": "coordinator", "actor": ADMIN})
    s.close()


def latency():
    subscriber = Subscriber(timed=True)
    filer = Serve()
    sent = []
    for _ in range(args.n):
        before = time.monotonic()
        rid = filer.call("referral.file", dict(FILING, patient=patient(next(patients))))["id"]
        sent.append((rid, before, time.monotonic()))
    deadline = time.monotonic() + 30
    while len([1 for rid, _, _ in sent if (rid, "file") in subscriber.arrived]) < len(sent) and time.monotonic() < deadline:
        time.sleep(0.05)
    filer.close()
    subscriber.close()
    # The commit lies between the request and its response: the latency from it lies between
    # (notification - response) and (notification - request).
    low = sorted((subscriber.arrived[(rid, "file")] - after) * 1000 for rid, _, after in sent if (rid, "file") in subscriber.arrived)
    high = sorted((subscriber.arrived[(rid, "file")] - before) * 1000 for rid, before, _ in sent if (rid, "file") in subscriber.arrived)
    missing = len(sent) - len(low)
    p = lambda values, q: values[min(len(values) - 1, int(q * len(values)))]
    print(f"latency commit → notification over {len(low)} events ({missing} missing): "
          f"p50 {p(low, .5):.1f}–{p(high, .5):.1f} ms, p99 {p(low, .99):.1f}–{p(high, .99):.1f} ms", flush=True)


def throughput(subscribers, elsewhere=False):
    """Filings then acceptances of n referrals through one serve, pipelined; actions per second.
    The subscribers watch ZRYY, which every event concerns, or `elsewhere`, each another
    hospital that none concerns (as most of an alliance's watchers are for any one referral)."""
    watchers = [Subscriber(actor={"user": "coordinator", "hospital": code}) if elsewhere else Subscriber() for code in OTHERS[:subscribers]]
    time.sleep(1)
    stream = Serve()
    filed, seconds = stream.pipelined([("referral.file", dict(FILING, patient=patient(next(patients)))) for _ in range(args.n)])
    _, more = stream.pipelined([("referral.accept", {"id": r["id"], "actor": RECEIVER}) for r in filed])
    stream.close()
    for watcher in watchers:
        watcher.close()
    return 2 * args.n / (seconds + more)


def main():
    try:
        setup()
        latency()
        # Each round runs the three in another order (the stream's own rate drifts from round to
        # round), and each count is judged against the stream without subscribers of its round.
        n = args.subscribers
        setups = {"none": (0, False), "1": (1, False), f"{n}": (n, False), f"{n} elsewhere": (n, True)}
        ratios = {name: [] for name in setups if name != "none"}
        names = list(setups)
        for round in range(ROUNDS):
            order = names[round % 4:] + names[:round % 4]
            rate = {name: throughput(*setups[name]) for name in order}
            print(f"  round {round + 1} ({' → '.join(order)}): " + ", ".join(f"{name} subscribers {rate[name]:.0f}/s" for name in names),
                  flush=True)
            for name in ratios:
                ratios[name].append(rate[name] / rate["none"])
        for name in ratios:
            print(f"{name} subscribers: median {statistics.median(ratios[name]):.2f} of none (rounds: "
                  + ", ".join(f"{r:.2f}" for r in ratios[name]) + ")", flush=True)
    finally:
        subprocess.run([binary, "db", "stop"], env=env, stdout=subprocess.DEVNULL)
        shutil.rmtree(home, ignore_errors=True)


main()

#!/usr/bin/env python3
"""Wall time of N full referral lifecycles (file → accept → schedule → arrive → complete →
acknowledge, i.e. closed) through one `yilian serve` process, and through one `yilian` CLI
invocation per step. Throwaway embedded database; release build by default.
Usage: bench/lifecycles.py [--binary .build/release/yilian] [-n 1000] [--cli-n N]"""
import argparse, datetime, json, os, shutil, subprocess, tempfile, time
from patients import patient

parser = argparse.ArgumentParser()
parser.add_argument("--binary", default=".build/release/yilian")
parser.add_argument("-n", type=int, default=1000)
parser.add_argument("--cli-n", type=int, default=None, help="lifecycles through the CLI (default: n)")
args = parser.parse_args()
binary = os.path.abspath(args.binary)
home = tempfile.mkdtemp(prefix="yilian-lifecycles-")
os.chmod(home, 0o755)
env = {k: v for k, v in os.environ.items() if not k.startswith("YILIAN_")}
env["YILIAN_HOME"] = home


def cli(*arguments, actor=None):
    subprocess.run([binary, *arguments], env=dict(env, YILIAN_ACTOR=actor) if actor else env, check=True, stdout=subprocess.DEVNULL)


SENDER, RECEIVER = {"user": "wang", "hospital": "MYQYY"}, {"user": "li", "hospital": "ZRYY"}
OUTCOME = {"summary": "诊断明确", "diagnosis": [{"code": "M79.2", "name": "神经痛"}], "recommendation": "discharge"}


def requests(first, count, date):
    """The 6 requests of each lifecycle, ids known in advance (the database numbers them in order)."""
    out, n = [], 0
    for i in range(first, first + count):
        rid = f"R-{i:06d}"
        steps = [
            ("referral.file", {"alliance": "PAIN-BJ", "from": "MYQYY", "to": "ZRYY", "setting": "outpatient", "priority": "routine",
                               "patient": patient(i), "consent": True, "diagnosis": [{"code": "M79.2", "name": "神经痛"}],
                               "reason": "疼痛控制不佳", "actor": SENDER}),
            ("referral.accept", {"id": rid, "actor": RECEIVER}),
            ("referral.schedule", {"id": rid, "date": date, "actor": RECEIVER}),
            ("referral.arrive", {"id": rid, "actor": RECEIVER}),
            ("referral.complete", {"id": rid, "outcome": OUTCOME, "actor": RECEIVER}),
            ("referral.acknowledge", {"id": rid, "actor": SENDER}),
        ]
        for method, params in steps:
            n += 1
            out.append(json.dumps({"jsonrpc": "2.0", "id": n, "method": method, "params": params}, ensure_ascii=False))
    return "\n".join(out) + "\n"


try:
    cli("db", "start")
    cli("user", "add", "--user", "ops", "--hospital", "admin", "--duty", "platform_admin")
    for code, name, level in [("ZRYY", "中日友好医院", "3"), ("MYQYY", "密云区医院", "2")]:
        cli("hospital", "register", "--code", code, "--name", name, "--level", level, "--departments", "pain", actor="ops@admin")
    cli("user", "add", "--user", "li", "--hospital", "ZRYY", "--duty", "hospital_admin", actor="ops@admin")
    cli("user", "add", "--user", "wang", "--hospital", "MYQYY", "--duty", "coordinator", actor="ops@admin")
    cli("alliance", "create", "--code", "PAIN-BJ", "--name", "北京地区疼痛专科医联体", "--specialty", "pain", "--core", "ZRYY", actor="ops@admin")
    criteria = os.path.join(home, "criteria.json")
    with open(criteria, "w") as f:
        json.dump({"passScore": 0, "criteria": [{"id": "x", "title": "x", "rule": {"fact": "level", "op": "exists"}}]}, f)
    cli("criteria", "set", criteria, "--alliance", "PAIN-BJ", actor="li@ZRYY")
    cli("membership", "apply", "--alliance", "PAIN-BJ", "--hospital", "MYQYY", "--role", "cooperating", actor="wang@MYQYY")
    cli("membership", "decide", "A-000001", "--decision", "approve", "--reason", "ok", actor="li@ZRYY")
    # Appointments are not set in the past: tomorrow and the day after, in Beijing.
    beijing = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date()
    tomorrow, after = (str(beijing + datetime.timedelta(days=n)) for n in (1, 2))
    for date in [tomorrow, after]:
        cli("slots", "publish", "--hospital", "ZRYY", "--specialty", "pain", "--from", date, "--capacity", "100000", actor="li@ZRYY")

    start = time.monotonic()
    run = subprocess.run([binary, "serve"], input=requests(1, args.n, tomorrow), env=env, capture_output=True, text=True)
    serve_seconds = time.monotonic() - start
    responses = [json.loads(line) for line in run.stdout.splitlines()]
    failed = [r for r in responses if "error" in r]
    print(f"serve: {args.n} lifecycles ({len(responses)} requests) in {serve_seconds:.2f} s, "
          f"{len(responses) / serve_seconds:.0f} requests/s, {len(failed)} errors")

    cli_n = args.n if args.cli_n is None else args.cli_n
    first = args.n + 1
    start = time.monotonic()
    for i in range(first, first + cli_n):
        rid = f"R-{i:06d}"
        cli("referral", "file", "--alliance", "PAIN-BJ", "--from", "MYQYY", "--to", "ZRYY", "--setting", "outpatient", "--priority", "routine",
            "--patient-name", patient(i)["name"], "--patient-sex", patient(i)["sex"], "--patient-birth-date", patient(i)["birthDate"],
            "--patient-id-number", patient(i)["idNumber"], "--consent",
            "--diagnosis", "M79.2:神经痛", "--reason", "疼痛控制不佳", actor="wang@MYQYY")
        cli("referral", "accept", rid, actor="li@ZRYY")
        cli("referral", "schedule", rid, "--date", after, actor="li@ZRYY")
        cli("referral", "arrive", rid, actor="li@ZRYY")
        cli("referral", "complete", rid, "--summary", "诊断明确", "--recommendation", "discharge", actor="li@ZRYY")
        cli("referral", "acknowledge", rid, actor="wang@MYQYY")
    cli_seconds = time.monotonic() - start
    print(f"cli: {cli_n} lifecycles ({cli_n * 6} invocations) in {cli_seconds:.2f} s, {cli_seconds / (cli_n * 6) * 1000:.1f} ms per invocation")
finally:
    subprocess.run([binary, "db", "stop"], env=env, stdout=subprocess.DEVNULL)
    shutil.rmtree(home, ignore_errors=True)

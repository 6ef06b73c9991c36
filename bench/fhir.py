#!/usr/bin/env python3
"""FHIR interchange (SPEC §11) on a throwaway embedded server, as a hospital system uses it through
`yilian serve`:
- fhir.export of a referral with 20 events (a filing, nine questions and answers, an acceptance):
  serve's CPU time (user + system) per request, with N requests through one serve less one request
  through another, beside referral.get of the same referral measured the same way;
- fhir.import beside referral.file: the same filings (each a patient of its own) through one serve,
  chunk by chunk taking turns, and the ratio of their rates.
Usage: bench/fhir.py [--binary .build/release/yilian] [-n 1000] [--exports 300]"""
import argparse, json, os, shutil, statistics, subprocess, tempfile, threading, time
from patients import patient
from rpc import FILING, RECEIVER, SENDER, pain_alliance, request, runner

parser = argparse.ArgumentParser()
parser.add_argument("--binary", default=".build/release/yilian")
parser.add_argument("-n", type=int, default=1000, help="filings of each kind")
parser.add_argument("--exports", type=int, default=300, help="requests per CPU measurement")
args = parser.parse_args()
binary = os.path.abspath(args.binary)
home = tempfile.mkdtemp(prefix="yilian-fhir-")
os.chmod(home, 0o755)
env = {k: v for k, v in os.environ.items() if not k.startswith("YILIAN_")}
env["YILIAN_HOME"] = home
ROUNDS = 5


run = runner(env)


def pipelined(lines):
    """`lines` through a serve of their own: the responses, the wall seconds from the first byte
    written to the last response read, and the serve's CPU seconds (user + system)."""
    serve = subprocess.Popen([binary, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)
    start = time.monotonic()
    writer = threading.Thread(target=lambda: (serve.stdin.write("\n".join(lines) + "\n"), serve.stdin.flush()))
    writer.start()
    responses = [json.loads(serve.stdout.readline()) for _ in lines]
    seconds = time.monotonic() - start
    writer.join()
    serve.stdin.close()
    _, status, usage = os.wait4(serve.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "serve failed"
    failed = [r for r in responses if "result" not in r]
    assert not failed, failed[:3]
    return responses, seconds, usage.ru_utime + usage.ru_stime


def call(method, params):
    return pipelined([request(1, method, params)])[0][0]["result"]


def setup():
    run(binary, "db", "start")
    pain_alliance(call)


def bundle(i):
    """Filing i as a hospital system sends it through FHIR (docs/fhir.md): the same referral as
    FILING, of patient i, under the sending system's identifier HIS-i."""
    p = patient(i)

    def ref(n):
        return {"reference": f"urn:uuid:00000000-0000-4000-8000-{n:012d}"}
    resources = [
        {"resourceType": "ServiceRequest", "status": "active", "intent": "order", "priority": "routine",
         "identifier": [{"system": "urn:oid:1.2.156.1.his", "value": f"HIS-{i}"}],
         "category": [{"coding": [{"system": "urn:yilian:setting", "code": "outpatient"}]}],
         "subject": ref(2), "requester": ref(3), "performer": [ref(4)], "reasonReference": [ref(6)], "note": [{"text": "疼痛控制不佳"}]},
        {"resourceType": "Patient", "name": [{"text": p["name"]}], "gender": p["sex"], "birthDate": p["birthDate"],
         "identifier": [{"system": "urn:oid:2.16.156.10011.1.3", "value": p["idNumber"]}]},
        {"resourceType": "Organization", "identifier": [{"system": "urn:yilian:hospital", "value": "MYQYY"}]},
        {"resourceType": "Organization", "identifier": [{"system": "urn:yilian:hospital", "value": "ZRYY"}]},
        {"resourceType": "Organization", "identifier": [{"system": "urn:yilian:alliance", "value": "PAIN-BJ"}]},
        {"resourceType": "Condition", "subject": ref(2),
         "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "M79.2", "display": "神经痛"}]}},
        {"resourceType": "Consent", "status": "active", "patient": ref(2)},
    ]
    entries = [{"fullUrl": ref(n + 1)["reference"], "resource": r} for n, r in enumerate(resources)]
    return {"bundle": {"resourceType": "Bundle", "type": "transaction", "entry": entries}, "actor": SENDER}


def exports():
    rid = call("referral.file", dict(FILING, patient=patient(0)))["id"]
    for q in range(9):
        call("referral.requestInfo", {"id": rid, "question": f"问题 {q + 1}？", "actor": RECEIVER})
        call("referral.provideInfo", {"id": rid, "answer": f"回答 {q + 1}", "actor": SENDER})
    call("referral.accept", {"id": rid, "actor": RECEIVER})
    entries = len(call("fhir.export", {"id": rid, "actor": RECEIVER})["entry"])
    print(f"fhir.export of {rid} (20 events, {entries} resources) and referral.get, {args.exports} requests per serve, two rounds",
          flush=True)
    for method in ["fhir.export", "referral.get"]:
        cpu, wall = [], []
        for _ in range(2):
            lines = [request(k, method, {"id": rid, "actor": RECEIVER}) for k in range(args.exports)]
            _, seconds, many = pipelined(lines)
            _, _, one = pipelined(lines[:1])
            cpu.append((many - one) / (args.exports - 1) * 1000)
            wall.append(seconds / args.exports * 1000)
        print(f"| `{method}` | " + ", ".join(f"{c:.2f} ms" for c in cpu) + " | " + ", ".join(f"{w:.1f} ms" for w in wall) + " |", flush=True)


def imports():
    n, first = args.n, 1_000
    print(f"{n} filings by referral.file and {n} by fhir.import, one serve, {ROUNDS} rounds taking turns", flush=True)
    serve = subprocess.Popen([binary, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)

    def timed(lines):
        start = time.monotonic()
        writer = threading.Thread(target=lambda: (serve.stdin.write("\n".join(lines) + "\n"), serve.stdin.flush()))
        writer.start()
        responses = [json.loads(serve.stdout.readline()) for _ in lines]
        writer.join()
        failed = [r for r in responses if "result" not in r]
        assert not failed, failed[:3]
        return time.monotonic() - start

    files = [request(i, "referral.file", dict(FILING, patient=patient(first + i))) for i in range(n)]
    sent = [request(n + i, "fhir.import", bundle(first + n + i)) for i in range(n)]
    size = n // ROUNDS
    filing, importing, ratios = 0.0, 0.0, []
    for r in range(ROUNDS):
        a = timed(files[r * size:(r + 1) * size])
        b = timed(sent[r * size:(r + 1) * size])
        filing, importing = filing + a, importing + b
        ratios.append(a / b)
    serve.stdin.close()
    serve.wait()
    print("| method | filings/s | ratio to referral.file per round (median) |\n|---|---|---|")
    print(f"| `referral.file` | {size * ROUNDS / filing:.0f} | |")
    print(f"| `fhir.import` | {size * ROUNDS / importing:.0f} | " + ", ".join(f"{x:.2f}" for x in ratios)
          + f" ({statistics.median(ratios):.2f}) |", flush=True)


def main():
    try:
        setup()
        exports()
        imports()
    finally:
        subprocess.run([binary, "db", "stop"], env=env, stdout=subprocess.DEVNULL)
        shutil.rmtree(home, ignore_errors=True)


main()

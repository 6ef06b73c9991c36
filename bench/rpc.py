"""What the benchmark scripts share: running a command, a JSON-RPC request line, and the smallest
alliance a stream of referrals needs."""
import json, subprocess

SENDER, RECEIVER, ADMIN = {"user": "wang", "hospital": "MYQYY"}, {"user": "li", "hospital": "ZRYY"}, {"user": "ops", "hospital": "admin"}
FILING = {"alliance": "PAIN-BJ", "from": "MYQYY", "to": "ZRYY", "setting": "outpatient", "priority": "routine", "consent": True,
          "diagnosis": [{"code": "M79.2", "name": "神经痛"}], "reason": "疼痛控制不佳", "actor": SENDER}

# The minimal SQL of one filing: the referral's INSERT (numbered from a sequence of its own, so that
# Yilian's referrals keep consecutive numbers while the two take turns) and its event's.
FILING_SQL = """BEGIN;
INSERT INTO referrals (id, alliance, specialty, direction, setting, priority, from_hospital, to_hospital, patient, consent, diagnosis,
                       reason, status, respond_by, clock_start, created_at, updated_at)
VALUES ('P-' || nextval('bench_numbers'), 'PAIN-BJ', 'pain', 'up', 'outpatient', 'routine', 'MYQYY', 'ZRYY',
        '{"name": "张三", "sex": "male", "birthDate": "1980-01-01", "idNumber": "11010519800101018X"}', true,
        '[{"code": "M79.2", "name": "神经痛"}]', '疼痛控制不佳', 'requested', now() + interval '72 hours', now(), now(), now()) RETURNING id \\gset
INSERT INTO referral_events (referral, seq, action, from_status, to_status, actor, at, reason) VALUES (:id, 1, 'file', NULL, 'requested', 'wang@MYQYY', now(), '疼痛控制不佳');
END;
"""


def runner(env):
    """`run(*command, env=…)`: the command's stdout, or an error with the end of its stderr."""
    def run(*command, **kwargs):
        done = subprocess.run(command, env=kwargs.pop("env", env), capture_output=True, text=True, **kwargs)
        if done.returncode != 0:
            raise RuntimeError(f"{command[0]} {command[1]} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
        return done.stdout
    return run


def caller(binary, env):
    """`call(method, params)`: the result of one request through a `yilian serve` of its own."""
    def call(method, params):
        serve = subprocess.Popen([binary, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)
        response = json.loads(serve.communicate(request(1, method, params) + "\n")[0])
        assert "result" in response, response
        return response["result"]
    return call


def request(n, method, params):
    return json.dumps({"jsonrpc": "2.0", "id": n, "method": method, "params": params}, ensure_ascii=False)


def pain_alliance(call):
    """PAIN-BJ with its core ZRYY (li, hospital admin) and member MYQYY (wang, coordinator), made
    by `call(method, params)` on a fresh database (the owner naming nobody acts as the platform)."""
    call("user.add", {"user": "ops", "hospital": "admin", "duty": "platform_admin"})
    for code, name, level in [("ZRYY", "中日友好医院", 3), ("MYQYY", "密云区医院", 2)]:
        call("hospital.register", {"code": code, "name": name, "level": level, "departments": ["pain"], "actor": ADMIN})
    call("user.add", {"user": "li", "hospital": "ZRYY", "duty": "hospital_admin", "actor": ADMIN})
    call("user.add", {"user": "wang", "hospital": "MYQYY", "duty": "coordinator", "actor": ADMIN})
    call("alliance.create", {"code": "PAIN-BJ", "name": "北京地区疼痛专科医联体", "specialty": "pain", "core": "ZRYY", "actor": ADMIN})
    call("criteria.set", {"alliance": "PAIN-BJ", "actor": RECEIVER,
                          "criteria": {"passScore": 0, "criteria": [{"id": "x", "title": "x", "rule": {"fact": "level", "op": "exists"}}]}})
    application = call("membership.apply", {"alliance": "PAIN-BJ", "hospital": "MYQYY", "role": "cooperating", "facts": {}, "actor": SENDER})
    call("membership.decide", {"id": application["id"], "decision": "approve", "reason": "ok", "actor": RECEIVER})


def first_new_patient(run, uri):
    """The number after every benchmark patient (`patients.patient`) the database holds: patients
    from there on are new to it (the same number is the same resident ID)."""
    last = run("psql", uri, "-Atc", "SELECT max(substring(patient->>'name' from 3)::bigint) FROM referrals "
                                    "WHERE patient->>'name' ~ '^患者[0-9]+$'").strip()
    return int(last or 0) + 1

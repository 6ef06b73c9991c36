#!/usr/bin/env python3
"""The commission's planning at a city's scale (SPEC §15): 10,000 registered hospitals, a burden
table of 50 specialties × 16 districts, one alliance of 2,000 members; `yilian plan specialties`
and `yilian plan alliance` (with its HTML page) each run as the commission's operator runs them,
by another process, timed end to end (start to exit) with its peak RSS, three times each.

The catalog has 14 specialties; the other 36 of the 50 are added to this throwaway database by its
owner (`x_aa`, `x_ab`, …), as a city's fuller catalog would have them. Starts its own PostgreSQL through
`yilian db start` in a temporary YILIAN_HOME and removes it at the end.
Usage: bench/planning.py [--binary .build/release/yilian] [--hospitals 10000]"""
import argparse, json, os, random, shutil, statistics, subprocess, tempfile, time
from rss import watched

parser = argparse.ArgumentParser()
parser.add_argument("--binary", default=".build/release/yilian")
parser.add_argument("--hospitals", type=int, default=10_000)
args = parser.parse_args()
binary = os.path.abspath(args.binary)
home = tempfile.mkdtemp(prefix="yilian-plan-")
os.chmod(home, 0o711)  # the server runs under its own account (it refuses root)
env = {k: v for k, v in os.environ.items() if not k.startswith("YILIAN_")}
env.update({"YILIAN_HOME": home, "LANG": "C.UTF-8"})
DISTRICTS = ["东城区", "西城区", "朝阳区", "丰台区", "石景山区", "海淀区", "门头沟区", "房山区", "通州区", "顺义区", "昌平区", "大兴区",
             "怀柔区", "平谷区", "密云区", "延庆区"]


def yilian(*arguments, actor="ops@admin"):
    return subprocess.run([binary, *arguments] + (["--as", actor] if actor else []), env=env, check=True, capture_output=True,
                          text=True).stdout


def timed(*arguments):
    """Seconds from start to exit and the peak RSS in MiB of one run."""
    start = time.monotonic()
    process = subprocess.Popen([binary, *arguments, "--as", "ops@admin"], env=env, stdout=subprocess.DEVNULL)
    peak = watched(process)
    if process.wait() != 0:
        raise SystemExit(f"{arguments} failed")
    return time.monotonic() - start, peak[0]


try:
    yilian("db", "start", actor=None)
    url = yilian("db", "url", actor=None).strip()
    yilian("user", "add", "--user", "ops", "--hospital", "admin", "--duty", "platform_admin", actor=None)
    specialties = [line.split("|")[0] for line in subprocess.run(
        ["psql", url, "-Atc", "SELECT code FROM specialties ORDER BY position"], check=True, capture_output=True,
        text=True).stdout.split()]
    extra = [f"x_{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(50 - len(specialties))]
    subprocess.run(["psql", url, "-qc", "INSERT INTO specialties (code, name, position) VALUES "
                    + ", ".join(f"('{code}', '专科{i + 1}', {100 + i})" for i, code in enumerate(extra))], check=True)
    specialties += extra
    rng = random.Random(7)
    directory = os.path.join(home, "files")
    os.makedirs(directory)
    hospitals = os.path.join(directory, "hospitals.csv")
    with open(hospitals, "w") as out:
        out.write("code,name,level,grade,kind,district,beds,departments\n")
        for n in range(1, args.hospitals + 1):
            level = 3 if n == 1 else rng.choice([1, 1, 1, 2, 2, 3])
            departments = ";".join(rng.sample(specialties, rng.randint(1, 8)) + ([specialties[1]] if n == 1 else []))
            out.write(f"H{n:05d},医院{n},{level},A,general,{rng.choice(DISTRICTS)},{rng.randint(20, 3000)},{departments}\n")
    yilian("hospital", "import", hospitals)
    # One alliance of the first specialty: its core, its criteria, 2,000 members written by the owner
    # (2,000 applications would measure the membership flow, not the planning).
    core = "H00001"
    yilian("user", "add", "--user", "li", "--hospital", core, "--duty", "hospital_admin")
    yilian("alliance", "create", "--code", "PLAN-BJ", "--name", "规划医联体", "--specialty", specialties[1], "--core", core)
    criteria = os.path.join(directory, "criteria.json")
    with open(criteria, "w") as out:
        json.dump({"passScore": 20, "criteria": [
            {"id": "dept", "title": "设有该科", "required": True, "rule": {"fact": "departments", "op": "contains", "value": specialties[1]}},
            {"id": "beds", "title": "床位", "weight": 20, "rule": {"fact": "beds", "op": "gte", "value": 300}},
            {"id": "level", "title": "三级", "roles": ["collaborating"], "weight": 20, "rule": {"fact": "level", "op": "gte", "value": 3}}]},
            out)
    yilian("criteria", "set", criteria, "--alliance", "PLAN-BJ", actor=f"li@{core}")
    subprocess.run(["psql", url, "-qc", "INSERT INTO memberships (alliance, hospital, role, status, since, updated_at) "
                    "SELECT 'PLAN-BJ', code, CASE level WHEN 3 THEN 'collaborating' WHEN 2 THEN 'cooperating' ELSE 'primary' END, "
                    "'active', now(), now() FROM hospitals WHERE code BETWEEN 'H00002' AND 'H02001'"], check=True)
    burden = os.path.join(directory, "burden.csv")
    with open(burden, "w") as out:
        out.write("district,specialty,year,cases\n")
        for specialty in specialties:
            for district in DISTRICTS:
                out.write(f"{district},{specialty},2026,{rng.randint(0, 20000)}\n")
    yilian("plan", "burden", "import", burden)
    page = os.path.join(directory, "plan.html")
    runs = {
        "plan specialties": ["plan", "specialties", "--json"],
        "plan alliance (text)": ["plan", "alliance", "--specialty", specialties[1]],
        "plan alliance --html": ["plan", "alliance", "--specialty", specialties[1], "--html", page, "--json"],
    }
    print(f"{args.hospitals} hospitals, {len(specialties)} specialties × {len(DISTRICTS)} districts, PLAN-BJ with 2,001 members")
    print("| run | median s | max s | peak RSS MiB |\n|---|---|---|---|")
    for name, arguments in runs.items():
        samples = [timed(*arguments) for _ in range(3)]
        print(f"| {name} | {statistics.median(s for s, _ in samples):.2f} | {max(s for s, _ in samples):.2f} | "
              f"{max(m for _, m in samples):.0f} |")
    print(f"HTML page: {os.path.getsize(page) // 1024} KiB")
finally:
    subprocess.run([binary, "db", "stop"], env=env, capture_output=True)
    shutil.rmtree(home, ignore_errors=True)

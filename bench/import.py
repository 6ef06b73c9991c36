#!/usr/bin/env python3
"""Times `yilian hospital import` of N generated hospitals (default 100,000) into a throwaway
embedded database, and prints the wall time and the peak RSS of the yilian process.
Usage: bench/import.py [--binary .build/release/yilian] [--rows 100000]"""
import argparse, os, resource, shutil, subprocess, tempfile, time

parser = argparse.ArgumentParser()
parser.add_argument("--binary", default=".build/release/yilian")
parser.add_argument("--rows", type=int, default=100_000)
args = parser.parse_args()
binary = os.path.abspath(args.binary)
home = tempfile.mkdtemp(prefix="yilian-import-")
os.chmod(home, 0o755)
env = {k: v for k, v in os.environ.items() if not k.startswith("YILIAN_")}
env.update(YILIAN_HOME=home, YILIAN_ACTOR="ops@admin")
districts = ["东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区", "通州区", "密云区"]
specialties = ["pain", "pediatrics", "orthopedics", "cardiology", "oncology", "rehabilitation"]
csv_path = os.path.join(home, "hospitals.csv")
with open(csv_path, "w", encoding="utf-8") as out:
    out.write("code,name,level,grade,kind,district,beds,departments\n")
    for i in range(1, args.rows + 1):
        out.write(f'H{i:06d},"北京市第{i}医院, 分院",{i % 3 + 1},{"ABC"[i % 3]},general,{districts[i % 8]},{100 + i % 900},'
                  f'{specialties[i % 6]};{specialties[(i + 1) % 6]}\n')
try:
    subprocess.run([binary, "db", "start"], env=env, check=True, stdout=subprocess.DEVNULL)
    start = time.monotonic()
    result = subprocess.run([binary, "hospital", "import", csv_path], env=env, capture_output=True, text=True)
    elapsed = time.monotonic() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(result.stdout.strip() or result.stderr.strip()[:300])
    print(f"import of {args.rows:,} hospitals: {elapsed:.2f} s wall, peak RSS {peak:.1f} MiB")
finally:
    subprocess.run([binary, "db", "stop"], env=env, stdout=subprocess.DEVNULL)
    shutil.rmtree(home, ignore_errors=True)

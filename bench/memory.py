#!/usr/bin/env python3
"""Memory figures for the PostgreSQL client layer, through `yilian serve`.

1. 100,000 queries (`specialty.list`: one query, 13 rows decoded, JSON encoded) in one process:
   RSS after 10k and after 100k requests.
2. 1,000 failed connection attempts (a socket that does not exist): RSS after 100 and 1,000.
3. Optionally (--valgrind) 200 failed attempts and 2,000 queries under valgrind memcheck:
   the bytes it reports "definitely lost".

Starts its own throwaway PostgreSQL through `yilian db start` in a temporary YILIAN_HOME and
stops it at the end. Usage: bench/memory.py [--binary .build/release/yilian] [--valgrind]
"""
import argparse, json, os, re, shutil, subprocess, sys, tempfile, threading

REQUEST = '{"jsonrpc":"2.0","id":%d,"method":"specialty.list"}\n'


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        fields = dict(line.split(":", 1) for line in status if ":" in line)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def drive(binary, env, total, checkpoints, expect_error=None):
    """Sends `total` requests in batches, sampling RSS at each checkpoint; returns the samples."""
    serve = subprocess.Popen([binary, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)
    samples, sent = {}, 0
    for checkpoint in checkpoints:
        batch = "".join(REQUEST % i for i in range(sent + 1, checkpoint + 1))
        # Written from another thread: serve reads only as fast as it answers.
        writer = threading.Thread(target=lambda: (serve.stdin.write(batch), serve.stdin.flush()))
        writer.start()
        for _ in range(checkpoint - sent):
            response = json.loads(serve.stdout.readline())
            if expect_error is None:
                assert len(response["result"]["items"]) == 13, response
            else:
                assert response["error"]["data"]["code"] == expect_error, response
        writer.join()
        sent = checkpoint
        samples[checkpoint] = rss_kib(serve.pid)
    serve.stdin.close()
    serve.wait()
    return samples


def valgrind_lost(binary, env, count, expect_error=None):
    if not shutil.which("valgrind"):
        return "valgrind not installed"
    requests = "".join(REQUEST % i for i in range(1, count + 1))
    run = subprocess.run(["valgrind", "--leak-check=full", binary, "serve"], input=requests, env=env,
                         capture_output=True, text=True)
    answered = len(run.stdout.splitlines())
    lost = re.search(r"definitely lost: ([\d,]+) bytes in ([\d,]+) blocks", run.stderr)
    return f"{answered} answered; definitely lost: " + (f"{lost.group(1)} bytes in {lost.group(2)} blocks" if lost else "0 bytes (no leaks reported)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/yilian")
    parser.add_argument("--valgrind", action="store_true")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    home = tempfile.mkdtemp(prefix="yilian-bench-")
    os.chmod(home, 0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("YILIAN_")}
    env["YILIAN_HOME"] = home
    try:
        subprocess.run([binary, "db", "start"], env=env, check=True, stdout=subprocess.DEVNULL)
        queries = drive(binary, env, 100_000, [10_000, 100_000])
        print(f"queries: RSS after 10k = {queries[10_000][0] / 1024:.1f} MiB, after 100k = {queries[100_000][0] / 1024:.1f} MiB "
              f"(peak {queries[100_000][1] / 1024:.1f} MiB)")
        bad = dict(env, YILIAN_DATABASE_URL="postgresql:///x?host=/tmp/yilian-no-such-socket-dir")
        failed = drive(binary, bad, 10_000, [100, 1_000, 10_000], expect_error="database_unavailable")
        print(f"failed connects: RSS after 100 = {failed[100][0] / 1024:.1f} MiB, after 1,000 = {failed[1_000][0] / 1024:.1f} MiB, "
              f"after 10,000 = {failed[10_000][0] / 1024:.1f} MiB")
        if args.valgrind:
            print("valgrind, 200 failed connects:", valgrind_lost(binary, bad, 200))
            print("valgrind, 2,000 queries:", valgrind_lost(binary, env, 2_000))
    finally:
        subprocess.run([binary, "db", "stop"], env=env, stdout=subprocess.DEVNULL)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""UPR import benchmark (issue 4): `rightsdesk import upr` of the 41,066-row
UPR Info corpus on SQLite and PostgreSQL, side by side in one run with the
sqlite3 command-line `.import` of the same CSV into a plain table (the floor:
no parsing, no checks, no themes, no audit).

Usage:
  python3 bench/upr_import.py [--bin target/release/rightsdesk] [--runs 3]
      [--csv ../shared/data/upr/upr_info_recommendations_s01-s20.csv]
      [--postgres postgres://postgres@127.0.0.1:5432/test]

For each tool and run: a fresh database, then the import, timed as wall
clock of the whole process; peak memory is the importing process's maximum
resident set (for PostgreSQL that is rightsdesk's, not the server's). A
second rightsdesk import of the same file into the same database (every row
unchanged) is timed too. Prints a Markdown table of the median run.
"""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time

def timed(cmd, env=None, stdin=None):
    """Runs cmd; returns (seconds, peak RSS in MiB, stdout)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
                         stdin=subprocess.PIPE if stdin else None)
    if stdin:
        p.stdin.write(stdin); p.stdin.close()
    _, status, usage = os.wait4(p.pid, 0)
    secs = time.perf_counter() - t0
    out, err = p.stdout.read(), p.stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{out}\n{err}")
    return secs, usage.ru_maxrss / 1024, out

def rightsdesk(binary, csv, backend, pg_base):
    data = tempfile.mkdtemp(prefix=f"rd-upr-{backend}-")
    args = ["--data-dir", data]
    if backend == "postgres":
        db = f"rd_upr_{os.getpid()}"
        subprocess.run(["psql", pg_base, "-qc", f"DROP DATABASE IF EXISTS {db}"], capture_output=True)
        subprocess.run(["psql", pg_base, "-qc", f"CREATE DATABASE {db}"], check=True, capture_output=True)
        args += ["--database", pg_base.rsplit("/", 1)[0] + "/" + db]
    env = {**os.environ, "RIGHTSDESK_LOG": "warn"}
    subprocess.run([binary, "migrate", *args], check=True, capture_output=True, env=env)
    first = timed([binary, "import", "upr", csv, *args], env)
    again = timed([binary, "import", "upr", csv, *args], env)
    if backend == "postgres":
        subprocess.run(["psql", pg_base, "-qc", f"DROP DATABASE IF EXISTS {db}"], capture_output=True)
    shutil.rmtree(data, ignore_errors=True)
    return first, again

def sqlite3_floor(csv):
    d = tempfile.mkdtemp(prefix="rd-upr-floor-")
    try:
        return timed(["sqlite3", os.path.join(d, "floor.db"), "-cmd", ".mode csv", f".import {csv} recommendations"])
    finally:
        shutil.rmtree(d, ignore_errors=True)

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(here, "..", "target", "release", "rightsdesk"))
    ap.add_argument("--csv", default=os.path.join(here, "..", "..", "shared", "data", "upr", "upr_info_recommendations_s01-s20.csv"))
    ap.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/test")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    csv = os.path.abspath(a.csv)
    rows = sum(1 for _ in open(csv, encoding="utf-8")) - 1
    results = {}
    for _ in range(a.runs):
        for backend in ("sqlite", "postgres"):
            first, again = rightsdesk(a.bin, csv, backend, a.postgres)
            results.setdefault(f"rightsdesk, SQLite" if backend == "sqlite" else "rightsdesk, PostgreSQL", []).append(first)
            results.setdefault(f"rightsdesk, SQLite, again (all unchanged)" if backend == "sqlite"
                               else "rightsdesk, PostgreSQL, again (all unchanged)", []).append(again)
        results.setdefault("sqlite3 .import (floor)", []).append(sqlite3_floor(csv))
    floor = statistics.median(r[0] for r in results["sqlite3 .import (floor)"])
    print(f"{rows} rows ({os.path.getsize(csv) / 1e6:.1f} MB), median of {a.runs} runs, {os.cpu_count()} cores\n")
    print("| import | seconds | rows/s | peak RSS MiB | time vs floor |")
    print("|---|---|---|---|---|")
    for name, runs in results.items():
        secs = statistics.median(r[0] for r in runs)
        rss = max(r[1] for r in runs)
        print(f"| {name} | {secs:.2f} | {rows / secs:,.0f} | {rss:.0f} | {secs / floor:.1f}× |")
    print("\nrightsdesk's own report of its last run:", results["rightsdesk, SQLite"][-1][2].strip())

if __name__ == "__main__":
    main()

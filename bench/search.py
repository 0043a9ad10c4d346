#!/usr/bin/env python3
"""Search benchmark (issue 5): rightsdesk search side by side with SQLite
FTS5 and PostgreSQL full-text search (GIN on tsvector), on the 41,066 UPR
recommendations plus N generated cases, in one run.

Usage:
  python3 bench/search.py [--cases 100000,1000000] [--seconds 6] [--keep DIR]
      [--postgres postgres://postgres@127.0.0.1:5432/test] [--no-postgres]
      [--target-dir target]

For each N: a fresh SQLite data directory (kept and reused with --keep),
`rightsdesk demo generate --cases N` and `rightsdesk import upr` of the
corpus; then `rightsdesk reindex` (the product's own build: time, peak
memory, index size); then bench/search-compare (Rust) reads the same
documents, gives the peers the app's Khmer segmentation, builds the three
indexes and measures the fixed query set on 1 and 2 threads, the matches per
query and the recall of Khmer queries. Prints Markdown for
docs/benchmarks.md.
"""
import argparse, os, re, shutil, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CSV = os.path.join(ROOT, "..", "shared", "data", "upr", "upr_info_recommendations_s01-s20.csv")
PASSWORD = "benchmark passphrase 2026"


def run(cmd, **kw):
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{out.stdout}\n{out.stderr}")
    return time.perf_counter() - t0, out


def corpus(binary, data, cases):
    """A data directory with `cases` generated cases and the UPR corpus."""
    marker = os.path.join(data, "search-corpus.txt")
    if os.path.exists(marker):
        return
    shutil.rmtree(data, ignore_errors=True)
    os.makedirs(data)
    args = ["--data-dir", data]
    env = {**os.environ, "RIGHTSDESK_LOG": "warn"}
    run([binary, "migrate", *args], env=env)
    p = subprocess.Popen([binary, "user", "add", "--email", "bench@bench.example", "--name", "Bench Officer", "--role", "officer",
                          "--office", "PNH", "--password-stdin", *args], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env, text=True)
    p.communicate(PASSWORD + "\n")
    print(f"generating {cases} cases ...", file=sys.stderr, flush=True)
    run([binary, "demo", "generate", "--cases", str(cases), "--seed", "1", *args], env=env)
    run([binary, "import", "upr", CSV, *args], env=env)
    open(marker, "w").write(f"{cases}\n")


def reindex(binary, data):
    """`rightsdesk reindex`: seconds, peak RSS in MB, index size in MB."""
    _, out = run(["/usr/bin/time", "-v", binary, "reindex", "--data-dir", data], env={**os.environ, "RIGHTSDESK_LOG": "warn"})
    secs = float(re.search(r"in ([0-9.]+) s", out.stdout).group(1))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr).group(1)) / 1024
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(os.path.join(data, "index")) for f in fs)
    return secs, rss, size / 1e6, out.stdout.strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", default="100000,1000000", help="comma-separated numbers of generated cases")
    ap.add_argument("--seconds", type=float, default=6.0, help="seconds of queries per engine and thread count")
    ap.add_argument("--keep", metavar="DIR", help="keep the corpora under DIR and reuse them on the next run")
    ap.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/test")
    ap.add_argument("--no-postgres", action="store_true")
    ap.add_argument("--target-dir", default=os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")))
    a = ap.parse_args()

    subprocess.check_call(["cargo", "build", "--release", "--locked", "-p", "rightsdesk", "-p", "rightsdesk-search-bench",
                           "--target-dir", a.target_dir], cwd=ROOT)
    binary = os.path.join(a.target_dir, "release", "rightsdesk")
    compare = os.path.join(a.target_dir, "release", "search-compare")
    base = a.keep or tempfile.mkdtemp(prefix="rd-search-bench-")
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(f"Machine: {os.cpu_count()} cores, {mem:.0f} GiB; {time.strftime('%Y-%m-%d')}\n")
    try:
        for n in [int(x) for x in a.cases.split(",")]:
            data = os.path.join(base, f"search-{n}")
            corpus(binary, data, n)
            secs, rss, size, line = reindex(binary, data)
            print(f"### {n:,} generated cases + the UPR corpus\n")
            print(f"`rightsdesk reindex` (reads the database, analyses, indexes): {secs:.1f} s, peak RSS {rss:.0f} MB, "
                  f"index {size:.0f} MB ({line})\n", flush=True)
            cmd = [compare, "--data-dir", data, "--work-dir", os.path.join(base, f"engines-{n}"), "--seconds", str(a.seconds)]
            if not a.no_postgres:
                cmd += ["--postgres", a.postgres]
            subprocess.run(cmd, check=True)
            sys.stdout.flush()
    finally:
        if not a.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()

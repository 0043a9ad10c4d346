#!/usr/bin/env python3
"""Load test (issue 6): 64 signed-in clients for 60 seconds against a release
build with 100k cases and the 41,066 UPR recommendations, on SQLite and on
PostgreSQL, and in the same run a hello-world axum server as the ceiling.

Usage:
  python3 bench/load.py [--cases 100000] [--clients 64] [--seconds 60]
      [--backends sqlite,postgres] [--keep DIR] [--json FILE]

Each client signs in through the real login form, then loops without pause
over the mix in bench/load-gen/src/main.rs (sign in 0.1%, list cases 15.3%,
open a case 25.5%, search 20.4%, create a case 8.1%, add an intervention
10.2%, list recommendations 20.4%), every form with its CSRF token. The load generator
runs on the same 2 cores as the server (as wrk would).

Prints a Markdown table: throughput, p50/p99 per kind, errors (must be 0),
the server's peak memory (VmHWM), and the hello-world ceiling with the ratio.
With --keep the generated databases are kept under DIR (PostgreSQL:
database rd_load_N) and reused by the next run with the same DIR.
"""
import argparse, json, os, shutil, socket, subprocess, sys, tempfile, time

PASSWORD = "load test passphrase 2026"
EMAIL = "load@bench.example"
UPR = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "upr", "upr_info_recommendations_s01-s20.csv")


def run(cmd, env, stdin=None):
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, input=stdin)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{out.stdout}\n{out.stderr}")
    return time.perf_counter() - t0, out.stdout


def start(cmd, env):
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    while True:
        line = p.stdout.readline()
        if not line:
            sys.exit(f"{' '.join(cmd)} did not start")
        if "listening on" in line:
            return p, line.strip().rsplit(" ", 1)[-1].replace("http://", "").rstrip("/")


def stop(p):
    p.terminate()
    try:
        p.wait(20)
    except subprocess.TimeoutExpired:
        p.kill(); p.wait()


def peak_rss_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def prepare(binary, backend, cases, pg_base, keep):
    """A database with `cases` generated cases, the UPR corpus and a built index."""
    if keep:
        data = os.path.join(keep, f"{backend}-{cases}")
        os.makedirs(data, exist_ok=True)
    else:
        data = tempfile.mkdtemp(prefix=f"rd-load-{backend}-")
    args, dbname = ["--data-dir", data], None
    if backend == "postgres":
        dbname = f"rd_load_{cases}" if keep else f"rd_load_{os.getpid()}"
        args += ["--database", pg_base.rsplit("/", 1)[0] + "/" + dbname]
    env = {**os.environ, "RIGHTSDESK_LOG": "warn"}
    marker = os.path.join(data, "prepared.txt")
    if not (keep and os.path.exists(marker)):
        if dbname:
            subprocess.run(["psql", pg_base, "-qc", f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)"], capture_output=True)
            subprocess.run(["psql", pg_base, "-qc", f"CREATE DATABASE {dbname}"], check=True, capture_output=True)
        run([binary, "migrate", *args], env)
        # Head of office: adding interventions to any case of the office is
        # writing its free text, which needs the names permission (decision 0011).
        run([binary, "user", "add", "--email", EMAIL, "--name", "Load Officer", "--role", "head_of_office", "--office", "PNH",
             "--password-stdin", *args], env, stdin=PASSWORD + "\n")
        gen, _ = run([binary, "demo", "generate", "--cases", str(cases), "--seed", "1", *args], env)
        imp, _ = run([binary, "import", "upr", UPR, *args], env)
        idx, _ = run([binary, "reindex", *args], env)
        print(f"  {backend}: generated {cases} cases in {gen:.0f} s, imported UPR in {imp:.0f} s, indexed in {idx:.0f} s",
              file=sys.stderr, flush=True)
        if keep:
            open(marker, "w").write("ok\n")
    if dbname:
        # What autovacuum does on a running server (it is off on the CI
        # machine's PostgreSQL): statistics and the visibility map, so the
        # planner sees the generated rows.
        subprocess.run(["psql", pg_base.rsplit("/", 1)[0] + "/" + dbname, "-qc", "VACUUM ANALYZE"], check=True, capture_output=True)
    return data, args, dbname, env


def drive(loadgen, addr, clients, seconds, extra):
    out = subprocess.run([loadgen, "run", "--base", f"http://{addr}", "--clients", str(clients), "--seconds", str(seconds),
                          *extra], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"load-gen failed:\n{out.stdout}\n{out.stderr}")
    return json.loads(out.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100000)
    ap.add_argument("--clients", type=int, default=64)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--backends", default="sqlite,postgres")
    ap.add_argument("--keep", metavar="DIR")
    ap.add_argument("--json", metavar="FILE", help="also write every figure as JSON")
    ap.add_argument("--target", default=os.environ.get("CARGO_TARGET_DIR", "target"))
    ap.add_argument("--postgres", default=os.environ.get("RIGHTSDESK_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test"))
    a = ap.parse_args()
    subprocess.check_call(["cargo", "build", "--release", "--locked", "-p", "rightsdesk", "-p", "rightsdesk-load-gen"])
    binary = os.path.join(a.target, "release", "rightsdesk")
    loadgen = os.path.join(a.target, "release", "load-gen")
    results = {}
    for backend in a.backends.split(","):
        data, args, dbname, env = prepare(binary, backend, a.cases, a.postgres, a.keep)
        server, addr = start([binary, "serve", "--listen", "127.0.0.1:0", *args], env)
        try:
            r = drive(loadgen, addr, a.clients, a.seconds,
                      ["--email", EMAIL, "--password", PASSWORD, "--cases", str(a.cases)])
            r["peak_rss_mb"] = peak_rss_mb(server.pid)
            results[backend] = r
        finally:
            stop(server)
            if not a.keep:
                shutil.rmtree(data, ignore_errors=True)
                if dbname:
                    subprocess.run(["psql", a.postgres, "-qc", f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)"], capture_output=True)
    hello, addr = start([loadgen, "hello"], os.environ)
    try:
        r = drive(loadgen, addr, a.clients, a.seconds, ["--mix", "hello"])
        r["peak_rss_mb"] = peak_rss_mb(hello.pid)
        results["hello-world axum"] = r
    finally:
        stop(hello)
    ceiling = results["hello-world axum"]["per_second"]
    print(f"\n{a.clients} clients, {a.seconds} s each, {a.cases} generated cases + UPR corpus, {os.cpu_count()} cores "
          f"(load generator on the same machine)\n")
    print("| server | requests/s | ratio to hello world | errors | p50 ms | p99 ms | peak RSS MB |")
    print("|---|---|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['per_second']:.0f} | {r['per_second'] / ceiling:.3f} | {r['errors']} | {r['p50_ms']:.1f} | "
              f"{r['p99_ms']:.1f} | {r['peak_rss_mb']:.0f} |")
    print("\n| server | request | count | per s | errors | p50 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|")
    for name, r in results.items():
        for kind, k in r["kinds"].items():
            print(f"| {name} | {kind} | {k['requests']} | {k['per_second']:.1f} | {k['errors']} | {k['p50_ms']:.1f} | {k['p99_ms']:.1f} |")
    print("\nSign-ins at the start (every client, one after another, before the clock; argon2id):\n")
    print("| server | sign-ins | seconds | sign-ins/s | p50 ms | p99 ms |")
    print("|---|---|---|---|---|---|")
    for name, r in results.items():
        if name == "hello-world axum":
            continue
        s = r["sign_in_at_start"]
        print(f"| {name} | {s['sign_ins']} | {s['seconds']:.2f} | {s['per_second']:.1f} | {s['p50_ms']:.0f} | {s['p99_ms']:.0f} |")
    for name, r in results.items():
        for s in r["error_samples"]:
            print(f"error ({name}): {s}")
    if a.json:
        json.dump(results, open(a.json, "w"), indent=2)
    if any(r["errors"] for r in results.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()

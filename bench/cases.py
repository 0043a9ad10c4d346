#!/usr/bin/env python3
"""Monitoring benchmark (issue 3): create-case and case-list latency through
HTTP, on SQLite and PostgreSQL, with N generated cases already in the database.

Usage:
  python3 bench/cases.py --cases 100000 [--backends sqlite,postgres] [--requests 300]
      [--bin target/release/rightsdesk] [--postgres postgres://postgres@127.0.0.1:5432/test]
      [--keep DIR [--generate-only]]

With --keep the generated data stays under DIR (PostgreSQL: database
rd_bench_N) and a later run with the same DIR measures it without generating
again: generate a million cases once, measure when the machine is quiet.

For each backend it makes a fresh database, adds an officer, runs
`rightsdesk demo generate --cases N` (timed), starts the server, signs in
through the real form and measures, one request at a time:
  list    GET  /monitoring                   (first page of 50, with the count up to 10,000)
  filter  GET  /monitoring?province=02&status=under_verification
  sorted  GET  /monitoring?sort=incident, ?sort=updated
  page 2  GET  /monitoring?after=...        (the first page's "next page" link)
  api     GET  /api/v1/cases?limit=50
  create  POST /monitoring/cases             (form with CSRF token; a new case each time)
and prints p50 / p99 / mean in milliseconds as a Markdown table.
"""
import argparse, http.client, os, re, shutil, socket, statistics, subprocess, sys, tempfile, time, urllib.parse

PASSWORD = "benchmark passphrase 2026"

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

class Client:
    def __init__(self, port):
        self.port, self.cookies = port, {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    def req(self, method, path, body=None, headers=None):
        h = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        h.update(headers or {})
        if body is not None:
            h.setdefault("Content-Type", "application/x-www-form-urlencoded")
        self.conn.request(method, path, body=body, headers=h)
        r = self.conn.getresponse(); text = r.read().decode()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("="); self.cookies[name] = rest.split(";")[0]
        return r.status, text

def csrf(html):
    return re.search(r'name="_csrf" value="([0-9a-f]+)"', html).group(1)

def run(cmd, env=None):
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{out.stdout}\n{out.stderr}")
    return time.perf_counter() - t0, out.stdout

def measure(fn, n):
    times = []
    for i in range(n):
        t0 = time.perf_counter(); fn(i); times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.99))], statistics.mean(times)

def bench_backend(binary, backend, cases, requests, pg_base, keep_dir=None, generate_only=False):
    """Generates N cases into a fresh database and measures. With keep_dir the
    data directory (and the PostgreSQL database named after it) is kept, and a
    later run with the same keep_dir measures it without generating again."""
    if keep_dir:
        data = os.path.join(keep_dir, f"{backend}-{cases}")
        os.makedirs(data, exist_ok=True)
    else:
        data = tempfile.mkdtemp(prefix=f"rd-bench-{backend}-")
    args = ["--data-dir", data]
    dbname = None
    marker = os.path.join(data, "generated.txt")
    reuse = keep_dir and os.path.exists(marker)
    if backend == "postgres":
        dbname = f"rd_bench_{cases}" if keep_dir else f"rd_bench_{os.getpid()}"
        if not reuse:
            subprocess.run(["psql", pg_base, "-qc", f"DROP DATABASE IF EXISTS {dbname}"], capture_output=True)
            subprocess.run(["psql", pg_base, "-qc", f"CREATE DATABASE {dbname}"], check=True, capture_output=True)
        url = pg_base.rsplit("/", 1)[0] + "/" + dbname
        args += ["--database", url]
    env = {**os.environ, "RIGHTSDESK_LOG": "warn"}
    if reuse:
        gen_secs = float(open(marker).read().split()[0])
    else:
        run([binary, "migrate", *args], env)
        p = subprocess.Popen([binary, "user", "add", "--email", "bench@bench.example", "--name", "Bench Officer", "--role", "officer",
                              "--office", "PNH", "--password-stdin", *args], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env, text=True)
        p.communicate(PASSWORD + "\n")
        gen_secs, _ = run([binary, "demo", "generate", "--cases", str(cases), "--seed", "1", *args], env)
        if keep_dir:
            open(marker, "w").write(f"{gen_secs}\n")
    if generate_only:
        return gen_secs, cases, {}
    # Build the search index first, so that the server does not index in
    # the background while it is being measured.
    run([binary, "reindex", *args], env)
    port = free_port()
    server = subprocess.Popen([binary, "serve", "--listen", f"127.0.0.1:{port}", *args], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, env=env, text=True)
    try:
        while True:
            line = server.stdout.readline()
            if "listening on" in line or not line:
                break
        c = Client(port)
        _, html = c.req("GET", "/login")
        status, _ = c.req("POST", "/login", urllib.parse.urlencode({"_csrf": csrf(html), "email": "bench@bench.example", "password": PASSWORD}))
        assert status == 303, status
        _, page = c.req("GET", "/monitoring/cases/new")
        token = csrf(page)
        total = re.search(r"([\d,]+) cases match", c.req("GET", "/monitoring")[1]).group(1)
        results = {}
        def get(path):
            def f(_):
                s, _ = c.req("GET", path); assert s == 200, (path, s)
            return f
        results["list (first page + total)"] = measure(get("/monitoring"), requests)
        results["list, filtered"] = measure(get("/monitoring?province=02&status=under_verification"), requests)
        results["list, by latest incident"] = measure(get("/monitoring?sort=incident"), requests)
        results["list, by last change"] = measure(get("/monitoring?sort=updated"), requests)
        # Keyset paging: the link to the next page of the first page.
        nxt = re.search(r'href="(/monitoring\?after=[^"]+)"', c.req("GET", "/monitoring")[1]).group(1).replace("&amp;", "&")
        results["list, next page (cursor)"] = measure(get(nxt), requests)
        # The API with a bearer token.
        out = subprocess.run([binary, "token", "create", "--email", "bench@bench.example", "--label", "bench", *args], capture_output=True, text=True, env=env)
        tok = out.stdout.strip()
        api = Client(port)
        def api_list(_):
            s, _ = api.req("GET", "/api/v1/cases?limit=50", headers={"Authorization": f"Bearer {tok}"}); assert s == 200, s
        results["API list"] = measure(api_list, requests)
        def create(i):
            body = urllib.parse.urlencode({"_csrf": token, "title": f"Benchmark case {i}", "province": "02", "district": "0203",
                                           "start_date": "2026-05", "summary": "V1 was detained.", "themes": "detention"})
            s, _ = c.req("POST", "/monitoring/cases", body); assert s == 303, s
        results["create case (form POST)"] = measure(create, requests)
        return gen_secs, total, results
    finally:
        server.terminate(); server.wait(10)
        if not keep_dir:
            shutil.rmtree(data, ignore_errors=True)
            if dbname:
                subprocess.run(["psql", pg_base, "-qc", f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)"], capture_output=True)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100000)
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--backends", default="sqlite,postgres")
    ap.add_argument("--bin", default="target/release/rightsdesk")
    ap.add_argument("--keep", metavar="DIR", help="keep the generated data under DIR; a later run with the same DIR reuses it")
    ap.add_argument("--generate-only", action="store_true", help="with --keep: generate, do not measure")
    ap.add_argument("--postgres", default=os.environ.get("RIGHTSDESK_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test"))
    a = ap.parse_args()
    if not os.path.exists(a.bin):
        subprocess.check_call(["cargo", "build", "--release", "--locked", "-p", "rightsdesk"])
    print(f"{a.cases} generated cases, {a.requests} sequential requests per row, {os.cpu_count()} cores\n")
    print("| backend | generate N cases | cases in DB | request | p50 ms | p99 ms | mean ms |")
    print("|---|---|---|---|---|---|---|")
    for backend in a.backends.split(","):
        gen, total, results = bench_backend(a.bin, backend, a.cases, a.requests, a.postgres, a.keep, a.generate_only)
        if a.generate_only:
            print(f"| {backend} | {gen:.0f} s ({a.cases / gen:.0f}/s) | {a.cases} | (generated only) | | | |", flush=True)
        for name, (p50, p99, mean) in results.items():
            print(f"| {backend} | {gen:.0f} s ({a.cases / gen:.0f}/s) | {total} | {name} | {p50:.1f} | {p99:.1f} | {mean:.1f} |", flush=True)

if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Recommendation pages benchmark (issue 4): the list with its facets, the
filters, the progress view and the landing page through HTTP, with the
41,066-row UPR Info corpus imported, on SQLite and PostgreSQL.

Usage:
  python3 bench/recommendations.py [--bin target/release/rightsdesk] [--requests 30]
      [--backends sqlite,postgres] [--postgres postgres://postgres@127.0.0.1:5432/test]

For each backend: a fresh database, an officer, `rightsdesk import upr` of
the corpus, then the server; one signed-in client measures each page one
request at a time and prints p50 / p99 in milliseconds as a Markdown table.
"""
import argparse, http.client, os, re, shutil, socket, subprocess, sys, tempfile, time, urllib.parse

PASSWORD = "benchmark passphrase 2026"
PAGES = [
    ("list, first page with facets", "/mechanisms/recommendations"),
    ("list, one theme (7,492 match)", "/mechanisms/recommendations?theme=Women%27s+rights"),
    ("list, Cambodia, cycle 2, noted", "/mechanisms/recommendations?state=Cambodia&cycle=2&response=noted"),
    ("list, words in the text", "/mechanisms/recommendations?q=torture"),
    ("progress by theme", "/mechanisms/progress?by=theme"),
    ("landing page (counts)", "/mechanisms"),
    ("one recommendation", None),
]

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def bench(binary, backend, csv, requests, pg_base):
    data = tempfile.mkdtemp(prefix=f"rd-recs-{backend}-")
    args = ["--data-dir", data]
    db = None
    if backend == "postgres":
        db = f"rd_recs_{os.getpid()}"
        subprocess.run(["psql", pg_base, "-qc", f"DROP DATABASE IF EXISTS {db}"], capture_output=True)
        subprocess.run(["psql", pg_base, "-qc", f"CREATE DATABASE {db}"], check=True, capture_output=True)
        args += ["--database", pg_base.rsplit("/", 1)[0] + "/" + db]
    env = {**os.environ, "RIGHTSDESK_LOG": "warn"}
    subprocess.run([binary, "migrate", *args], check=True, capture_output=True, env=env)
    subprocess.run([binary, "user", "add", "--email", "bench@bench.example", "--name", "Bench", "--role", "mechanisms_officer",
                    "--office", "PNH", "--password-stdin", *args], input=PASSWORD + "\n", text=True, check=True,
                   capture_output=True, env=env)
    subprocess.run([binary, "import", "upr", csv, *args], check=True, capture_output=True, env=env)
    # The search index is built before the server starts, not while it is measured.
    subprocess.run([binary, "reindex", *args], check=True, capture_output=True, env=env)
    port = free_port()
    server = subprocess.Popen([binary, "serve", "--listen", f"127.0.0.1:{port}", *args], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, env=env, text=True)
    results = []
    try:
        while True:
            line = server.stdout.readline()
            if "listening on" in line or not line:
                break
        conn, cookies = http.client.HTTPConnection("127.0.0.1", port, timeout=60), {}
        def req(method, path, body=None):
            h = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
            if body:
                h["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse(); text = r.read().decode()
            for k, v in r.getheaders():
                if k.lower() == "set-cookie":
                    name, _, rest = v.partition("="); cookies[name] = rest.split(";")[0]
            return r.status, text
        _, html = req("GET", "/login")
        token = re.search(r'name="_csrf" value="([0-9a-f]+)"', html).group(1)
        status, _ = req("POST", "/login", urllib.parse.urlencode({"_csrf": token, "email": "bench@bench.example", "password": PASSWORD}))
        assert status == 303, status
        first = re.search(r'href="/mechanisms/recommendations/(\d+)"', req("GET", "/mechanisms/recommendations")[1]).group(1)
        for name, path in PAGES:
            path = path or f"/mechanisms/recommendations/{first}"
            times = []
            for _ in range(requests):
                t0 = time.perf_counter(); status, _ = req("GET", path); times.append((time.perf_counter() - t0) * 1000)
                assert status == 200, (path, status)
            times.sort()
            results.append((name, times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.99))]))
    finally:
        server.terminate(); server.wait()
        if db:
            subprocess.run(["psql", pg_base, "-qc", f"DROP DATABASE IF EXISTS {db}"], capture_output=True)
        shutil.rmtree(data, ignore_errors=True)
    return results

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(here, "..", "target", "release", "rightsdesk"))
    ap.add_argument("--csv", default=os.path.join(here, "..", "..", "shared", "data", "upr", "upr_info_recommendations_s01-s20.csv"))
    ap.add_argument("--backends", default="sqlite,postgres")
    ap.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/test")
    ap.add_argument("--requests", type=int, default=30)
    a = ap.parse_args()
    print(f"41,066 UPR recommendations, {a.requests} sequential requests per row, {os.cpu_count()} cores\n")
    print("| backend | page | p50 ms | p99 ms |")
    print("|---|---|---|---|")
    for backend in a.backends.split(","):
        for name, p50, p99 in bench(a.bin, backend, os.path.abspath(a.csv), a.requests, a.postgres):
            print(f"| {backend} | {name} | {p50:.1f} | {p99:.1f} |")

if __name__ == "__main__":
    main()

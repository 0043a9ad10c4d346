#!/usr/bin/env python3
"""Protection scheduler benchmark (issue 17): with N protection files and
N x 20 check-ins (`rightsdesk demo generate --protection-files N`), how long
one pass of the scheduler's scan of what is due takes, and the alerts page's
p50/p99 over HTTP, on SQLite and on PostgreSQL, release build.

Usage:
  python3 bench/protection.py [--files 100000] [--checkins 20] [--passes 200]
      [--requests 300] [--backends sqlite,postgres]

Targets (issue 17): a pass < 20 ms, the alerts page p99 < 30 ms.
"""
import argparse, http.client, os, re, shutil, statistics, subprocess, sys, tempfile, time, urllib.parse

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
PASSWORD = "protection bench passphrase"


def run(cmd, env, stdin=None):
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, input=stdin)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{out.stdout}\n{out.stderr}")
    return time.perf_counter() - t0, out.stdout


class Client:
    def __init__(self, addr):
        host, port = addr.split(":")
        self.conn, self.cookies = http.client.HTTPConnection(host, int(port), timeout=60), {}

    def req(self, method, path, body=None):
        h = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            h["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=h)
        r = self.conn.getresponse(); text = r.read().decode()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("="); self.cookies[name] = rest.split(";")[0]
        return r.status, text

    def sign_in(self, email):
        _, html = self.req("GET", "/login")
        token = re.search(r'name="_csrf" value="([0-9a-f]+)"', html).group(1)
        status, _ = self.req("POST", "/login", urllib.parse.urlencode({"_csrf": token, "email": email, "password": PASSWORD}))
        assert status == 303, status


def page_times(addr, email, path, n):
    c = Client(addr); c.sign_in(email)
    c.req("GET", path)  # warm
    times, rows = [], 0
    for _ in range(n):
        t0 = time.perf_counter(); status, html = c.req("GET", path); times.append((time.perf_counter() - t0) * 1000)
        assert status == 200, status
        rows = html.count('<tr id="alert-')
    times.sort()
    return statistics.median(times), times[int(round((len(times) - 1) * 0.99))], rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=100_000)
    ap.add_argument("--checkins", type=int, default=20)
    ap.add_argument("--passes", type=int, default=200)
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--backends", default="sqlite,postgres")
    ap.add_argument("--postgres", default=os.environ.get("RIGHTSDESK_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test"))
    a = ap.parse_args()
    binary = os.path.join(ROOT, "target", "release", "rightsdesk")
    scanner = os.path.join(ROOT, "target", "release", "protection-scan")
    env = {**os.environ, "RIGHTSDESK_LOG": "warn"}
    for backend in a.backends.split(","):
        data = tempfile.mkdtemp(prefix=f"rd-prot-{backend}-")
        args, url, dbname = ["--data-dir", data], f"sqlite://{data}/rightsdesk.db", None
        if backend == "postgres":
            dbname = f"rd_prot_{os.getpid()}"
            url = a.postgres.rsplit("/", 1)[0] + "/" + dbname
            subprocess.run(["psql", a.postgres, "-qc", f"CREATE DATABASE {dbname}"], check=True, capture_output=True)
            args += ["--database", url]
        run([binary, "migrate", *args], env)
        for email, role in [("head@bench.example", "head_of_office"), ("officer@bench.example", "officer")]:
            run([binary, "user", "add", "--email", email, "--name", "Bench", "--role", role, "--office", "PNH",
                 "--password-stdin", *args], env, stdin=PASSWORD + "\n")
        gen, out = run([binary, "demo", "generate", "--cases", "0", "--protection-files", str(a.files),
                        "--checkins-per-file", str(a.checkins), "--seed", "1", *args], env)
        print(f"{backend}: {out.strip()} ({gen:.0f} s)", flush=True)
        if dbname:
            subprocess.run(["psql", url, "-qc", "VACUUM ANALYZE"], check=True, capture_output=True)
        _, out = run([scanner, "--database", url, "--passes", str(a.passes)], env)
        print(out.strip(), flush=True)
        # The search index first (as load.py does): otherwise `serve` indexes
        # the generated files in the background while the pages are timed.
        idx, _ = run([binary, "reindex", *args], env)
        print(f"{backend}: indexed in {idx:.0f} s", flush=True)
        p = subprocess.Popen([binary, "serve", "--listen", "127.0.0.1:0", *args], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, env=env, text=True)
        addr = None
        while addr is None:
            line = p.stdout.readline()
            if not line:
                sys.exit("serve did not start")
            if "listening on" in line:
                addr = line.strip().rsplit(" ", 1)[-1].replace("http://", "").rstrip("/")
        try:
            for email, who in [("head@bench.example", "head of office"), ("officer@bench.example", "officer")]:
                p50, p99, rows = page_times(addr, email, "/protection/alerts", a.requests)
                print(f"alerts page ({who}, {rows} rows): p50 {p50:.1f} ms, p99 {p99:.1f} ms over {a.requests} requests", flush=True)
            # The file list (not a target of the issue): every file of the
            # scope sorted by open alerts and level, with its count.
            p50, p99, _ = page_times(addr, "head@bench.example", "/protection", max(10, a.requests // 5))
            print(f"file list (head of office, {a.files} files): p50 {p50:.1f} ms, p99 {p99:.1f} ms", flush=True)
        finally:
            p.terminate(); p.wait(20)
        if dbname:
            subprocess.run(["psql", a.postgres, "-qc", f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)"], capture_output=True)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()

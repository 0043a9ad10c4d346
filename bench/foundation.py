#!/usr/bin/env python3
"""Foundation figures for issue 2, with the release binary:

- binary size;
- time from process start to the first request served (/healthz answering 200),
  on an empty data directory (migrations, key file, reference data, demo
  accounts) and on a second start (existing database);
- resident memory (VmRSS) of the idle server after `serve --demo`, and after
  a signed-in user has opened every reference page once.

Usage: python3 bench/foundation.py [--runs N] [--bin target/release/rightsdesk]
Builds the release binary first if it is missing.
"""
import argparse, http.client, os, re, shutil, socket, statistics, subprocess, sys, tempfile, time, urllib.parse

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0

def start(binary, data_dir, demo):
    port = free_port()
    args = [binary, "serve", "--data-dir", data_dir, "--listen", f"127.0.0.1:{port}"] + (["--demo"] if demo else [])
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env={**os.environ, "RIGHTSDESK_LOG": "warn"})
    while True:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            c.request("GET", "/healthz"); r = c.getresponse(); r.read()
            if r.status == 200:
                return proc, port, time.perf_counter() - t0
        except OSError:
            pass
        if proc.poll() is not None:
            sys.exit(f"server exited: {proc.returncode}")
        time.sleep(0.001)

def stop(proc):
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()

def browse(port, email, password):
    """Sign in and open the reference pages once, through the real forms."""
    cookies = {}
    def req(method, path, body=None):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        c.request(method, path, body=body, headers=headers)
        r = c.getresponse(); text = r.read().decode()
        for h, v in r.getheaders():
            if h.lower() == "set-cookie":
                k, _, rest = v.partition("="); cookies[k] = rest.split(";")[0]
        return r.status, text
    _, html = req("GET", "/login")
    csrf = re.search(r'name="_csrf" value="([0-9a-f]+)"', html).group(1)
    status, _ = req("POST", "/login", urllib.parse.urlencode({"_csrf": csrf, "email": email, "password": password}))
    assert status == 303, status
    for p in ["/", "/reference", "/reference/provinces", "/reference/provinces/02", "/reference/districts/0203",
              "/reference/instruments", "/reference/instruments/ICCPR", "/reference/ratifications", "/reference/sdg",
              "/reference/sdg/16", "/admin/users", "/admin/audit", "/profile"]:
        status, _ = req("GET", p)
        assert status == 200, (p, status)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--bin", default="target/release/rightsdesk")
    a = ap.parse_args()
    if not os.path.exists(a.bin):
        subprocess.check_call(["cargo", "build", "--release", "--locked", "-p", "rightsdesk"])
    print(f"binary: {a.bin}, {os.path.getsize(a.bin) / 1e6:.1f} MB")
    first, second, idle, after = [], [], [], []
    for _ in range(a.runs):
        d = tempfile.mkdtemp(prefix="rd-bench-")
        proc, port, t = start(a.bin, d, True)
        first.append(t)
        time.sleep(2)
        idle.append(rss_kib(proc.pid))
        stop(proc)
        # demo password is printed on stdout
        text = proc.stdout.read()
        pw = re.search(r"with password (\S+)", text).group(1)
        proc, port, t = start(a.bin, d, False)
        second.append(t)
        browse(port, "admin@demo.rightsdesk.example", pw)
        time.sleep(1)
        after.append(rss_kib(proc.pid))
        stop(proc)
        shutil.rmtree(d)
    ms = lambda xs: f"median {statistics.median(xs) * 1000:.0f} ms (min {min(xs) * 1000:.0f}, max {max(xs) * 1000:.0f})"
    mib = lambda xs: f"median {statistics.median(xs) / 1024:.1f} MiB (min {min(xs) / 1024:.1f}, max {max(xs) / 1024:.1f})"
    print(f"runs: {a.runs}")
    print(f"start to first request, empty data dir (--demo): {ms(first)}")
    print(f"start to first request, existing database:      {ms(second)}")
    print(f"idle RSS after serve --demo:                     {mib(idle)}")
    print(f"RSS after sign-in and 13 pages:                  {mib(after)}")

if __name__ == "__main__":
    main()

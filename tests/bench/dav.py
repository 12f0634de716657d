#!/usr/bin/env python3
"""Cartable's WebDAV benchmark: big uploads and downloads, a large folder listing, and resident
memory during a 1 GiB upload, each against reference WebDAV servers in the same run.

Run by `make bench` through tests/bench/run.sh after bench.py (BENCH_ONLY=dav runs it alone).
Python standard library, curl, rclone and nginx. Loopback only.

What it does, in one run:
  1. a fresh data directory with one teacher (2 GiB quota), `cartable serve` on free loopback
     ports; beside it, on their own empty folders, `rclone serve webdav` (the reference: a
     complete WebDAV server, as Cartable is) and nginx with its DAV module (a second reference
     for PUT and GET only: Debian's nginx has no PROPFIND);
  2. resident memory (VmRSS, every 50 ms) of the server process during a 1 GiB PUT, first
     thing after start-up, for Cartable and rclone: just before, peak during, growth;
  3. 200 MiB of random bytes, made once: PUT with curl to each server in turn, 3 rounds, then
     GET back to a file, 3 rounds, each download checked against the upload's SHA-256; medians,
     and the CPU time each server spent;
  4. 2,000 small files created through each server by 8 parallel PUTs, then PROPFIND Depth 1
     on that folder, median of 7 after a warm-up, every response counted: with no body
     (allprop), then asking for 4 live properties as file managers do;
  5. a table: Cartable, the references, and the ratios against the targets.

Uploads are measured from the first byte sent to the final answer, so Cartable's fsync of the
file and its folder (its durability promise, see src/files/store.rs) is inside the time; the
references do not fsync. `sync` runs before each timed transfer, so that writeback of the
previous one does not land on the next. Every process is stopped on exit and the temporary
folder (with the 1.2 GiB of test files) removed, even on Ctrl-C (BENCH_KEEP=1 keeps it).
"""

import argparse
import base64
import concurrent.futures
import hashlib
import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import bench
from bench import HOST, PASSWORD, free_port, start, start_server, stop_all
from measure import BenchError, foreign_busy_processes, group_cpu, loadavg, status_kib

MIB = 1024 * 1024
BIG = 200 * MIB          # the file that goes up and comes back
HUGE = 1024 * MIB        # the upload during which memory is watched
ROUNDS = 3               # transfers per server, median reported
SMALL_FILES = 2000
SMALL_SIZE = 2048
PUT_WORKERS = 8
PROPFIND_RUNS = 7
SAMPLE_EVERY = 0.05      # seconds between VmRSS samples
USER = bench.TEACHERS[0][2]  # a teacher: 2 GiB personal quota, room for the 1 GiB upload
THROUGHPUT_TARGET = 0.9  # Cartable ≥ 0.9 × the reference
GROWTH_TARGET = 20 * 1024  # KiB


# ---------------------------------------------------------------- servers

class Server:
    """One WebDAV server under test: its process, where its user's folder is, the login."""

    def __init__(self, name, proc, port, base, user, password):
        self.name, self.proc, self.port, self.base = name, proc, port, base
        self.user, self.password = user, password
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        self.auth = {"Authorization": f"Basic {token}"}

    def url(self, name=""):
        return f"http://{HOST}:{self.port}{self.base}{name}"

    def request(self, method, path, body=None, headers=None, conn=None):
        """One request on `conn` (or a new connection); returns (status, body bytes)."""
        own = conn is None
        conn = conn or http.client.HTTPConnection(HOST, self.port, timeout=120)
        try:
            conn.request(method, self.base + path, body=body, headers={**self.auth,
                                                                          **(headers or {})})
            r = conn.getresponse()
            return r.status, r.read()
        finally:
            if own:
                conn.close()


def wait_dav(srv, what, deadline=15):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if srv.proc.poll() is not None:
            break
        try:
            if srv.request("PROPFIND", "", headers={"Depth": "0"})[0] == 207:
                return srv
        except OSError:
            pass
        time.sleep(0.1)
    raise BenchError(f"{what} did not answer PROPFIND on port {srv.port}")


def start_cartable(binary, root):
    data = os.path.join(root, "data")
    first, last, username = bench.TEACHERS[0]
    r = subprocess.run(
        [binary, "--data", data, "user", "add", "--username", username, "--role", "teacher",
         "--class", bench.CLASS, "--first-name", first, "--last-name", last,
         "--password-stdin"], input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise BenchError(f"user add {username} failed: {r.stderr.strip()}")
    proc, port = start_server(binary, data, os.path.join(root, "server.log"))
    return wait_dav(Server("cartable", proc, port, f"/dav/{username}/", username, PASSWORD),
                    "cartable")


def start_rclone(root):
    folder = os.path.join(root, "rclone-root")
    os.makedirs(folder)
    conf = os.path.join(root, "rclone.conf")
    open(conf, "w").close()
    port = free_port()
    log = open(os.path.join(root, "rclone.log"), "wb")
    proc = start(["rclone", "--config", conf, "serve", "webdav", folder,
                  "--addr", f"{HOST}:{port}", "--user", USER, "--pass", PASSWORD],
                 stdout=log, stderr=log)
    return wait_dav(Server("rclone", proc, port, "/", USER, PASSWORD), "rclone")


def nginx_has_dav():
    try:
        r = subprocess.run(["nginx", "-V"], capture_output=True, text=True, timeout=10)
    except OSError:
        return False
    return "http_dav_module" in r.stderr + r.stdout


def start_nginx(root):
    """nginx with its DAV module (PUT, DELETE; GET is its static file serving)."""
    top = os.path.join(root, "nginx")
    www = os.path.join(top, "www")
    for d in (www, os.path.join(top, "tmp")):
        os.makedirs(d)
    with open(os.path.join(top, "htpasswd"), "w") as f:
        f.write(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    for d, _, files in os.walk(top):
        os.chmod(d, 0o777)
        for n in files:
            os.chmod(os.path.join(d, n), 0o644)
    port = free_port()
    tmp = os.path.join(top, "tmp")
    conf = f"""
{"user root root;" if os.geteuid() == 0 else ""}
worker_processes 1;
daemon off;
master_process on;
pid {top}/nginx.pid;
error_log {top}/error.log warn;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  default_type application/octet-stream;
  sendfile on;
  tcp_nopush on;
  server {{
    listen {HOST}:{port};
    root {www};
    client_max_body_size 0;
    dav_methods PUT DELETE MKCOL COPY MOVE;
    dav_access user:rw;
    auth_basic "bench";
    auth_basic_user_file {top}/htpasswd;
    location / {{ }}
  }}
}}
"""
    path = os.path.join(top, "nginx.conf")
    with open(path, "w") as f:
        f.write(conf)
    log = open(os.path.join(top, "nginx.stderr"), "wb")
    proc = start(["nginx", "-p", top, "-c", path, "-e", os.path.join(top, "error.log")],
                 stdout=log, stderr=log)
    srv = Server("nginx", proc, port, "/", USER, PASSWORD)
    end = time.monotonic() + 10
    while time.monotonic() < end and proc.poll() is None:
        try:
            if srv.request("PUT", "ping.txt", body=b"ping")[0] in (201, 204):
                srv.request("DELETE", "ping.txt")
                return srv
        except OSError:
            pass
        time.sleep(0.1)
    raise BenchError(f"nginx DAV did not accept a PUT (see {top}/error.log)")


# ---------------------------------------------------------------- measurements

def make_random_file(path, size):
    with open(path, "wb") as f:
        left = size
        while left:
            n = min(left, 8 * MIB)
            f.write(os.urandom(n))
            left -= n


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(4 * MIB):
            h.update(chunk)
    return h.hexdigest()


def curl(srv, args, name, what):
    """One curl transfer; returns curl's own total time (s). Checks status and byte count."""
    cmd = ["curl", "-sS", "--noproxy", "*", "-u", f"{srv.user}:{srv.password}",
           "-H", "Expect:", "-w", "%{http_code} %{time_total} %{size_upload} %{size_download}",
           *args, srv.url(name)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise BenchError(f"{what} on {srv.name}: curl failed: {r.stderr.strip()}")
    code, total, up, down = r.stdout.split()[-4:]
    return int(code), float(total), int(float(up)), int(float(down))


def put(srv, path, name):
    """Returns (seconds, CPU seconds the server used meanwhile)."""
    os.sync()
    cpu = group_cpu(srv.proc.pid)
    code, t, up, _ = curl(srv, ["-T", path, "-o", os.devnull], name, "PUT")
    cpu = group_cpu(srv.proc.pid) - cpu
    size = os.path.getsize(path)
    if code not in (200, 201, 204) or up != size:
        raise BenchError(f"PUT {name} on {srv.name}: status {code}, {up} of {size} B sent")
    return t, cpu


def get(srv, name, out, expect_size):
    os.sync()
    cpu = group_cpu(srv.proc.pid)
    code, t, _, down = curl(srv, ["-o", out], name, "GET")
    cpu = group_cpu(srv.proc.pid) - cpu
    if code != 200 or down != expect_size:
        raise BenchError(f"GET {name} on {srv.name}: status {code}, {down} of {expect_size} B")
    return t, cpu


def delete(srv, name):
    status, _ = srv.request("DELETE", name)
    if status not in (200, 204, 404):
        raise BenchError(f"DELETE {name} on {srv.name} answered {status}")


def transfers(servers, src, workdir):
    """PUT then GET of `src` on every server, interleaved round by round: per server, a list
    of (seconds, server CPU seconds) for each direction."""
    size, digest = os.path.getsize(src), sha256(src)
    name = "bench-200.bin"
    ups = {s.name: [] for s in servers}
    downs = {s.name: [] for s in servers}
    for _ in range(ROUNDS):
        for s in servers:
            delete(s, name)
            ups[s.name].append(put(s, src, name))
    back = os.path.join(workdir, "download.bin")
    for _ in range(ROUNDS):
        for s in servers:
            downs[s.name].append(get(s, name, back, size))
            got = sha256(back)
            os.unlink(back)
            if got != digest:
                raise BenchError(f"GET {name} on {s.name}: SHA-256 {got} != {digest} sent")
    for s in servers:
        delete(s, name)
    return ups, downs


class RssWatch:
    """Samples one process's VmRSS every SAMPLE_EVERY seconds in the background."""

    def __init__(self, pid):
        self.pid, self.samples = pid, []
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            v = status_kib(self.pid, "VmRSS")
            if v is not None:
                self.samples.append(v)
            self._stop.wait(SAMPLE_EVERY)

    def __enter__(self):
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()


def memory_during_upload(srv, src):
    """Baseline, peak and growth of the server process's VmRSS during a PUT of `src`, and
    the RSS 1 s after; the stored size is checked."""
    name = "bench-1g.bin"
    pid = srv.proc.pid
    delete(srv, name)
    time.sleep(0.5)
    base = status_kib(pid, "VmRSS")
    with RssWatch(pid) as w:
        t, _ = put(srv, src, name)
    time.sleep(1)
    after = status_kib(pid, "VmRSS")
    conn = http.client.HTTPConnection(HOST, srv.port, timeout=60)
    try:
        conn.request("HEAD", srv.base + name, headers=srv.auth)
        r = conn.getresponse()
        r.read()
        status, length = r.status, r.getheader("Content-Length")
    finally:
        conn.close()
    if status != 200 or length != str(os.path.getsize(src)):
        raise BenchError(f"HEAD {name} on {srv.name} after the upload answered {status}, "
                         f"Content-Length {length}")
    delete(srv, name)
    peak = max(w.samples + [base])
    return {"base": base, "peak": peak, "growth": peak - base, "after": after,
            "samples": len(w.samples), "time": t, "hwm": status_kib(pid, "VmHWM")}


def fill_folder(srv, folder):
    """SMALL_FILES files of SMALL_SIZE bytes in `folder`, by PUT_WORKERS parallel clients on
    keep-alive connections; returns the wall time."""
    status, _ = srv.request("MKCOL", folder)
    if status != 201:
        raise BenchError(f"MKCOL {folder} on {srv.name} answered {status}")
    local = threading.local()

    def one(i):
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPConnection(HOST, srv.port, timeout=120)
        body = (f"note {i:04d} ".encode() * SMALL_SIZE)[:SMALL_SIZE]
        status, _ = srv.request("PUT", f"{folder}/note-{i:04d}.txt", body=body, conn=local.conn)
        if status not in (201, 204):
            raise BenchError(f"PUT note-{i:04d}.txt on {srv.name} answered {status}")

    t0 = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(PUT_WORKERS) as ex:
        list(ex.map(one, range(SMALL_FILES)))
    return time.perf_counter() - t0


RESPONSE = re.compile(rb"<(?:[A-Za-z][\w.-]*:)?response[\s>]")


# What file managers and rclone ask for: live properties only, no dead ones.
NAMED_PROPS = (b'<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop>'
               b'<D:resourcetype/><D:getcontentlength/><D:getlastmodified/><D:getetag/>'
               b'</D:prop></D:propfind>')


def propfind(srv, folder, body=None):
    """PROPFIND Depth 1 on `folder` (no body: allprop), median of PROPFIND_RUNS after one
    warm-up, on one keep-alive connection; returns (median s, min s, response bytes)."""
    conn = http.client.HTTPConnection(HOST, srv.port, timeout=120)
    times, size = [], 0
    headers = {"Depth": "1"}
    if body:
        headers["Content-Type"] = "application/xml; charset=utf-8"
    try:
        for i in range(PROPFIND_RUNS + 1):
            t0 = time.perf_counter()
            status, body_in = srv.request("PROPFIND", folder + "/", body=body, headers=headers,
                                          conn=conn)
            t = time.perf_counter() - t0
            n = len(RESPONSE.findall(body_in))
            if status != 207 or n != SMALL_FILES + 1:
                raise BenchError(f"PROPFIND on {srv.name} answered {status} with {n} "
                                 f"responses, expected {SMALL_FILES + 1}")
            size = len(body_in)
            if i:
                times.append(t)
    finally:
        conn.close()
    return statistics.median(times), min(times), size


# ---------------------------------------------------------------- report

def mibs(size, t):
    return size / MIB / t


def verdict(ok):
    return "PASS" if ok else "**FAIL**"


def mib(kib):
    return f"{kib / 1024:.1f} MiB"


def run(binary):
    cores = len(os.sched_getaffinity(0))
    t_begin = time.monotonic()
    load_start = loadavg()
    busy = dict(foreign_busy_processes([]))
    print(f"dav bench: {cores} cores, load average {load_start}", flush=True)
    root = tempfile.mkdtemp(prefix="cartable-bench-dav-")
    bench.TEMPDIRS.append(root)

    big = os.path.join(root, "big.bin")
    huge = os.path.join(root, "huge.bin")
    print(f"dav bench: {BIG // MIB} MiB of random bytes, and a {HUGE // MIB} MiB file of "
          "them ...", flush=True)
    make_random_file(big, BIG)
    with open(huge, "wb") as out, open(big, "rb") as inp:
        chunk = inp.read()
        left = HUGE
        while left:
            out.write(chunk[:left])
            left -= min(left, len(chunk))
        del chunk

    cart = start_cartable(binary, root)
    ref = start_rclone(root)
    ngx = start_nginx(root) if nginx_has_dav() else None
    print(f"dav bench: cartable http://{HOST}:{cart.port}{cart.base} (pid {cart.proc.pid}), "
          f"rclone :{ref.port} (pid {ref.proc.pid})"
          + (f", nginx :{ngx.port}" if ngx else ", nginx without its DAV module: skipped"),
          flush=True)

    # Memory first, on servers that have done nothing yet but a login.
    print(f"dav bench: RSS during a {HUGE // MIB} MiB PUT, cartable then rclone ...",
          flush=True)
    mem = {s.name: memory_during_upload(s, huge) for s in (cart, ref)}
    os.unlink(huge)
    busy.update(foreign_busy_processes([p.pid for p in bench.CHILDREN]))

    servers = [cart, ref] + ([ngx] if ngx else [])
    print(f"dav bench: PUT and GET of {BIG // MIB} MiB, {ROUNDS} rounds on each server ...",
          flush=True)
    ups, downs = transfers(servers, big, root)
    os.unlink(big)
    busy.update(foreign_busy_processes([p.pid for p in bench.CHILDREN]))
    if ngx:
        ngx.proc.send_signal(signal.SIGQUIT)  # not needed any more

    print(f"dav bench: {SMALL_FILES} files by {PUT_WORKERS} parallel PUTs, then PROPFIND "
          f"Depth 1, {PROPFIND_RUNS} runs, allprop then named properties ...", flush=True)
    fills, finds, named = {}, {}, {}
    for s in (cart, ref):
        fills[s.name] = fill_folder(s, "many")
    for s in (cart, ref):
        finds[s.name] = propfind(s, "many")
    for s in (cart, ref):
        named[s.name] = propfind(s, "many", NAMED_PROPS)
    busy.update(foreign_busy_processes([p.pid for p in bench.CHILDREN]))
    elapsed = time.monotonic() - t_begin

    # ------------------------------------------------------------ table
    med = statistics.median

    def rate(runs, who):
        if who not in runs:
            return None
        return mibs(BIG, med(t for t, _ in runs[who]))

    rows, ratios = [], {}
    for label, runs in (("PUT", ups), ("GET", downs)):
        c, r, n = (rate(runs, k) for k in ("cartable", "rclone", "nginx"))
        ratios[label] = c / r
        what = ("curl -T; Cartable answers after its fsync" if label == "PUT"
                else "curl -o, SHA-256 of each download checked")
        rows.append((f"{label} {BIG // MIB} MiB ({what}), median of {ROUNDS}",
                     f"**{c:,.0f} MiB/s**", f"{r:,.0f} MiB/s",
                     f"{n:,.0f} MiB/s (cartable/nginx {c / n:.2f})" if n else "n/a",
                     f"≥ {THROUGHPUT_TARGET} × reference",
                     f"{c / r:.2f} {verdict(c / r >= THROUGHPUT_TARGET)}"))

    def each(runs, who):
        if who not in runs:
            return "—"
        return (" / ".join(f"{t:.2f}" for t, _ in runs[who])
                + f" s; CPU {med(c for _, c in runs[who]):.2f} s")

    for label, runs in (("PUT", ups), ("GET", downs)):
        rows.append((f"  {label}: each run; server CPU time (median)",
                     each(runs, "cartable"), each(runs, "rclone"), each(runs, "nginx"),
                     "—", "info"))
    for label, res in (("allprop (no body)", finds),
                       ("4 named live properties (as file managers ask)", named)):
        c, r = res["cartable"], res["rclone"]
        rows.append((f"PROPFIND Depth 1, {label}, folder of {SMALL_FILES:,} files: median "
                     f"of {PROPFIND_RUNS} (min); response size",
                     f"**{c[0] * 1000:.0f} ms** ({c[1] * 1000:.0f}); {c[2] / 1024:,.0f} KiB",
                     f"{r[0] * 1000:.0f} ms ({r[1] * 1000:.0f}); {r[2] / 1024:,.0f} KiB",
                     "n/a (no PROPFIND in Debian's nginx)", "report",
                     f"info: {c[0] / r[0]:.1f} × the reference's time"))
    rows.append((f"  creating those files: {PUT_WORKERS} parallel PUTs of {SMALL_SIZE} B",
                 f"{fills['cartable']:.1f} s", f"{fills['rclone']:.1f} s", "—", "—", "info"))
    m, q = mem["cartable"], mem["rclone"]
    rows.append((f"Resident memory during a {HUGE // MIB} MiB PUT: before → peak (growth), "
                 f"VmRSS every {SAMPLE_EVERY * 1000:.0f} ms",
                 f"{mib(m['base'])} → {mib(m['peak'])} (**+{mib(m['growth'])}**)",
                 f"{mib(q['base'])} → {mib(q['peak'])} (+{mib(q['growth'])})",
                 "—", "growth < 20 MiB", verdict(m["growth"] < GROWTH_TARGET)))
    rows.append(("  same upload: time; VmRSS 1 s after; VmHWM",
                 f"{m['time']:.2f} s ({mibs(HUGE, m['time']):,.0f} MiB/s); {mib(m['after'])};"
                 f" {mib(m['hwm'])}",
                 f"{q['time']:.2f} s ({mibs(HUGE, q['time']):,.0f} MiB/s); {mib(q['after'])};"
                 f" {mib(q['hwm'])}", "—", "—", "info"))

    head = ("WebDAV metric", "cartable", "rclone serve webdav (reference)",
            "nginx DAV module (2nd reference)", "target", "result")
    print()
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    rv = subprocess.run(["rclone", "version"], capture_output=True, text=True).stdout
    rv = rv.split("\n")[0] if rv else "rclone"
    notes = [
        f"Machine: {cores} cores; load average {load_start} at the start, {loadavg()} at the "
        f"end; the WebDAV part took {elapsed:.0f} s. curl runs on the same cores as the "
        "servers: compare the columns, not the numbers with another machine.",
        f"Reference: {rv}, `serve webdav` with its defaults (a complete WebDAV server, as "
        "Cartable is); nginx's DAV module as a second one for PUT and GET (static GET with "
        "sendfile; PUT into its body temp file, then rename). Rounds are interleaved "
        "(cartable, rclone, nginx, again), with `sync` before each transfer; Basic auth on "
        "every request; curl with `Expect:` off. MiB/s is over curl's total time.",
        "Cartable fsyncs each upload and its folder before answering (store::Upload::commit); "
        "neither reference fsyncs.",
        "PROPFIND responses were counted (one per file plus the folder). Memory: VmRSS of the "
        "server process, \"before\" read 0.5 s before the PUT on a server that had only "
        "answered one PROPFIND; page cache is not in RSS.",
    ]
    if busy:
        notes.append("**Disturbed run**: other heavy processes were running during the "
                     f"benchmark ({', '.join(f'{k}×{v}' for k, v in sorted(busy.items()))}); "
                     "re-run when the machine is quiet.")
    else:
        notes.append("No concurrent compiler, browser or VM was seen during the run.")
    for n in notes:
        print(f"- {n}")

    missed = (min(ratios.values()) < THROUGHPUT_TARGET or m["growth"] >= GROWTH_TARGET)
    if missed and os.environ.get("BENCH_STRICT") == "1":
        return 1
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default="target/release/cartable")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, bench.on_signal)
    try:
        return run(binary)
    except BenchError as e:
        print(f"\ndav bench: could not measure: {e}", file=sys.stderr)
        return 2
    finally:
        stop_all()


if __name__ == "__main__":
    sys.exit(main())

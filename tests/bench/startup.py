"""Start-up time with a big forum, for forum.py (which seeds the 100,000 posts and calls
`measure` before its own server starts, then prints these rows in its table).

The start path checks only what must hold before serving (src/db/check.rs: the header, every
ordinary table's b-tree with `PRAGMA quick_check(TABLE)`, the schema version); the full check
(`PRAGMA integrity_check`, FTS5's search index included) runs in the background after the
listeners are up. Before, the start path ran `PRAGMA quick_check`, which SQLite 3.44 and later
run with each FTS5 table's full check (its xIntegrity ignores "quick").

What it measures, on the seeded data directory, the server stopped in between:
  - `cartable serve` from spawn to the first 200 from /healthz, STARTS times (the first one,
    which also makes the TLS material and warms the page cache, is not counted): the median;
  - the start path's check as the server itself logs it (`-v`: "checked in N ms");
  - the full check in the background: its duration from integrity.json, one start left to
    finish it;
  - the reference, with Python's sqlite3 on the same file: the new start check (quick_check
    of every ordinary table), the old one (`PRAGMA quick_check`; with an SQLite older than
    3.44, which leaves FTS5 out of it, plus FTS5's own 'integrity-check' command, which is
    what 3.44 and later add) and the full check. "Before" is the measured start-up with the
    new check's reference time replaced by the old one's: an estimate, said so in the table.
"""

import json
import os
import re
import select
import signal
import sqlite3
import statistics
import subprocess
import time

import bench
from bench import HOST
from measure import BenchError

STARTS = 6  # the first is a warm-up
FTS_TABLES = ("forum_search",)


def start_once(binary, data, log_path, wait_check=False):
    """Starts the server, returns (seconds to /healthz, the start check's ms from the log, the
    integrity record once finished if wait_check), and stops it."""
    env = {k: v for k, v in os.environ.items() if k not in ("JOURNAL_STREAM", "INVOCATION_ID")}
    log = open(log_path, "wb")
    t0 = time.monotonic()
    p = bench.start([binary, "-v", "--data", data, "serve", "--http", f"{HOST}:0",
                     "--https", f"{HOST}:0", "--smtp", f"{HOST}:0", "--submission", f"{HOST}:0",
                     "--submissions", f"{HOST}:0"],
                    stdout=subprocess.PIPE, stderr=log, env=env)
    log.close()
    try:
        port, buf, deadline = None, b"", t0 + 120
        while port is None:
            if time.monotonic() > deadline or p.poll() is not None:
                raise BenchError(f"the server did not start; log:\n{tail(log_path)}")
            ready, _, _ = select.select([p.stdout], [], [], 0.05)
            if ready:
                chunk = os.read(p.stdout.fileno(), 4096)
                buf += chunk
                m = re.search(rb"listening on http://127\.0\.0\.1:(\d+) \(portal\)", buf)
                if m:
                    port = int(m.group(1))
        while True:
            try:
                if bench.fetch(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise BenchError("the server never answered /healthz")
            time.sleep(0.005)
        took = time.monotonic() - t0
        record = None
        if wait_check:
            wait_for_check(data)
            with open(os.path.join(data, "integrity.json")) as f:
                record = json.load(f)
    finally:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    m = re.search(r"database \S+ checked in (\d+) ms", tail(log_path, 100000))
    return took, (int(m.group(1)) if m else None), record


def wait_for_check(data, limit=900):
    """Waits until the server's background database check has finished."""
    path = os.path.join(data, "integrity.json")
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            with open(path) as f:
                if json.load(f).get("state") != "running":
                    return
        except (OSError, ValueError):
            pass
        time.sleep(0.1)
    raise BenchError(f"the background database check did not finish in {limit} s")


def tail(path, n=3000):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")[-n:]
    except OSError as e:
        return f"(no log: {e})"


def best_ms(fn, n=3):
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return min(times)


def reference(db_path):
    """Python's sqlite3 on the same file: (new start check, old start check, full check) ms."""
    db = sqlite3.connect(db_path, timeout=30)
    try:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM pragma_table_list WHERE schema = 'main' "
            "AND type IN ('table', 'shadow')")]
        fts_in_pragma = sqlite3.sqlite_version_info >= (3, 44, 0)

        def ok(sql):
            rows = db.execute(sql).fetchall()
            if rows != [("ok",)]:
                raise BenchError(f"{sql}: {rows[:3]}")

        def fts():
            if not fts_in_pragma:
                for t in FTS_TABLES:
                    db.execute("BEGIN")
                    db.execute(f"INSERT INTO {t}({t}) VALUES ('integrity-check')")
                    db.execute("ROLLBACK")

        def new():
            for t in tables:
                ok(f"PRAGMA main.quick_check('{t}')")

        def old():
            ok("PRAGMA quick_check")
            fts()

        def full():
            ok("PRAGMA integrity_check")
            fts()

        return best_ms(new), best_ms(old), best_ms(full), len(tables)
    finally:
        db.close()


def measure(binary, data, db_path, root, n_posts):
    """Rows for forum.py's table."""
    print(f"forum bench: start-up with {n_posts:,} posts: {STARTS} starts to /healthz, then "
          "the background check left to finish ...", flush=True)
    log = os.path.join(root, "startup.log")
    runs = [start_once(binary, data, log) for _ in range(STARTS)][1:]
    took = statistics.median(r[0] for r in runs)
    check_ms = [r[1] for r in runs if r[1] is not None]
    server_check = statistics.median(check_ms) if check_ms else None
    _, _, record = start_once(binary, data, log, wait_check=True)
    if record.get("state") != "ok":
        raise BenchError(f"the background check found problems: {record}")
    new, old, full, n_tables = reference(db_path)
    before = took + (old - new) / 1000
    version = sqlite3.sqlite_version
    how_old = ("`PRAGMA quick_check`" if sqlite3.sqlite_version_info >= (3, 44, 0) else
               "`PRAGMA quick_check` + FTS5 `'integrity-check'` (what SQLite ≥ 3.44 runs in it)")
    ms = lambda x: "n/a" if x is None else f"{x:,.0f} ms"
    rows = [
        (f"Start-up to /healthz with {n_posts:,} posts (spawn to first 200; median of "
         f"{len(runs)} warm starts)",
         f"**{took * 1000:,.0f} ms** (after)",
         f"{before * 1000:,.0f} ms before (estimated: the start check's reference time "
         f"replaced by the old one's)",
         "healthy within 90 s on an ARM board (`cartable update`)", "info"),
        (f"Database check on the start path: `quick_check` of each of the {n_tables} ordinary "
         "tables (FTS5's shadow tables included), in the server",
         ms(server_check),
         f"Python sqlite3 {version}, same file: new {ms(new)}; old {how_old} {ms(old)}",
         "—", "info"),
        ("Full check in the background after start (`integrity_check`, FTS5 included; "
         "nice 19, its own read-only connection)",
         ms(record.get("took_ms")),
         f"Python sqlite3 {version}, `PRAGMA integrity_check`"
         f"{'' if sqlite3.sqlite_version_info >= (3, 44, 0) else ' + FTS5 integrity-check'}: "
         f"{ms(full)}",
         "—", "info"),
    ]
    print(f"forum bench: start-up {took * 1000:,.0f} ms (before, estimated: "
          f"{before * 1000:,.0f} ms); start check {ms(server_check)} in the server, "
          f"full check {ms(record.get('took_ms'))} in the background", flush=True)
    return rows

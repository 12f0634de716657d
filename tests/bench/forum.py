#!/usr/bin/env python3
"""Cartable's forum benchmark: a page of a long topic under load, and search over 100,000
posts, each against a reference measured in the same run.

Run by `make bench` through tests/bench/run.sh after the other parts (BENCH_ONLY=forum runs it
alone), which installs wrk and nginx and builds the release binary first. Python standard
library only; loopback only.

What it does, in one run (step 1b is tests/bench/startup.py):
  1. a fresh data directory: 1 teacher and 12 pupils of "6e A" made with the CLI (which also
     creates the schema); then, with the server stopped, 100,000 posts written straight into
     forum_topics, forum_posts and forum_search with Python's sqlite3, as
     src/db/migrations/0006_forum.sql lays them out: ~300 characters of French and English
     school talk each, `html` the escaped text in a <p>, one FTS row per post (rowid = post
     id, the topic's title on its first post). 2,000 topics in the school's category, one of
     them 500 posts long, the rest 1 to 99 posts;
  1b. start-up time to /healthz on those 100,000 posts (the database's full check runs in
     the background after start; before, SQLite's quick_check ran FTS5's full check on the
     start path), and the start and background checks' durations beside Python's sqlite3;
  2. `cartable serve` on free loopback ports, its background database check left to finish,
     a pupil logs in;
  3. page 3 of the 500-post topic (posts 101 to 150) is fetched and checked (200, the 50
     posts meant, no login page), then wrk (50 connections, 2 threads, --latency) on it; then
     nginx serving the very same bytes as a static file, same settings (the reference peer);
  4. search: for each of a few queries (a word in a quarter of the posts, two words, accents
     left out, English, a rare word), the page is fetched and checked, then timed one request
     after another from one client (keep-alive), then all the queries in turn under wrk at 5
     and at 50 connections; the floor is Python's sqlite3 running the same SQL as
     src/forum/search.rs (same FTS5 query, same joins, snippet and rank) on the same database;
  5. one table with the targets of the forum issue: ≥ 3,000 topic pages/s at 50 clients on 2
     cores, search p99 < 50 ms (one client, and 5 at once; 50 searches at once are reported
     beside the wait their CPU time alone imposes). The CPU rows say what the server, wrk
     and every other process on the machine used during each run: on a shared machine, the
     pages per second of server CPU are the figure to compare.

Target misses are reported, not asserted (BENCH_STRICT=1 makes them fail). Every process it
starts is stopped on exit, its temporary directory removed (BENCH_KEEP=1 keeps it).
BENCH_PERF=DIR records perf profiles of the server during the wrk runs.

  BENCH_FORUM_POSTS=100000  posts in all (the long topic included)
  BENCH_DURATION=10         seconds per measured wrk run
"""

import argparse
import html
import http.client
import os
import random
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

import bench
import startup
from bench import HOST, Profile, start_nginx, start_server, stop_all
from measure import BenchError, foreign_busy_processes, loadavg, wrk

PASSWORD = bench.PASSWORD
CLASS = bench.CLASS
TEACHER = ("t.bench", "Mariama", "Sankara")
PUPILS = [(f"eleve{i:02d}", first, last) for i, (first, last) in enumerate(bench.PUPILS[:12], 1)]
READER = PUPILS[0][0]  # the pupil whose session reads the pages
POSTS = int(os.environ.get("BENCH_FORUM_POSTS", "100000"))
TOPICS = 2000
LONG_TOPIC_POSTS = 500
PAGE = 3  # the page of the long topic measured: posts 101 to 150 (`?page=2`: pages count from 0)
PER_PAGE = 50
CONNECTIONS = 50
THREADS = 2
WARMUP = 2
SEARCH_REPEAT = 200  # sequential requests per query
SEARCH_CONNECTIONS = (5, 50)  # wrk runs over all the queries: a few people at once, then 50
SQL_REPEAT = 200
SEED = 20240901
# Seconds between two wrk runs. A request dropped by its client while its database read runs
# gives back its reader slot before the read ends (src/db/mod.rs, Db::read), and a request
# arriving then panics for want of a connection and answers 500: a pause keeps one run's
# abandoned reads out of the next run.
SETTLE = 1.0
TOPIC_TARGET = 3000  # pages/s at 50 clients on 2 cores
SEARCH_TARGET_MS = 50  # p99

# A few words that appear in a handful of posts only, for a rare-word query.
RARE = "photosynthèse"
# (label, what a person types)
QUERIES = [
    ("common word", "devoirs"),
    ("two words", "contrôle mathématiques"),
    ("accents folded", "eleve"),
    ("English", "homework"),
    ("rare word", RARE),
    ("three words, one rare", f"classe sortie {RARE}"),
]

# ---------------------------------------------------------------- realistic text

FR = """
le la les un une des de du et à en que qui dans pour sur pas plus par avec ce cette ces il
elle nous vous ils on est sont a ont fait faire été être avoir bien aussi très mais ou donc
car comme tout tous toutes demain aujourd'hui hier semaine lundi mardi mercredi jeudi vendredi
devoirs devoir exercice exercices page pages cahier classeur livre manuel leçon leçons cours
contrôle contrôles interrogation évaluation note notes moyenne trimestre bulletin conseil
classe classes élève élèves professeur professeure prof parents réunion sortie voyage
mathématiques maths français histoire géographie anglais espagnol allemand physique chimie
sciences SVT technologie musique dessin sport EPS éducation civique philosophie latin
calcul fraction fractions équation équations géométrie triangle cercle théorème Pythagore
Thalès division multiplication problème problèmes solution réponse question questions
rédaction dictée orthographe grammaire conjugaison verbe verbes texte lecture poème récitation
carte frise chronologique révolution guerre mondiale empire roi république Moyen Âge
expérience laboratoire cellule énergie électricité circuit tension atome molécule
cantine récréation CDI bibliothèque salle gymnase emploi du temps horaire absence retard
rendre rendu rendre avant date limite n'oubliez oubliez pas merci bonjour bonsoir
pourquoi comment quand est-ce qu'il faut apprendre réviser révisions comprendre compris
aide aider expliquer explication correction corrigé brouillon copie double feuille stylo
calculatrice règle compas rapporteur trousse cartable casier projet exposé groupe binôme
""".split()

EN = """
the a an and of to in is it that for on with as this be are was have has homework test
quiz exam teacher students class lesson chapter page exercise question answer help please
thanks tomorrow today next week deadline project group reading writing maths science history
english grammar vocabulary essay report notes revision understand explain example problem
""".split()


def sentence(rng, words):
    n = rng.randint(6, 16)
    # Zipf-like: the head of each list is much more frequent than its tail.
    picked = [words[min(int(rng.paretovariate(1.1)) - 1, len(words) - 1)]
              if rng.random() < 0.35 else rng.choice(words) for _ in range(n)]
    s = " ".join(picked)
    return s[0].upper() + s[1:] + rng.choice([".", ".", ".", " ?", " !"])


def post_text(rng, rare=False):
    words = EN if rng.random() < 0.15 else FR
    parts = []
    while sum(len(p) + 1 for p in parts) < rng.randint(240, 360):
        parts.append(sentence(rng, words))
    if rare:
        parts.insert(rng.randint(0, len(parts)), f"On a parlé de la {RARE} en classe.")
    return " ".join(parts)


def title_text(rng):
    return sentence(rng, FR)[:80].rstrip(" .?!")


# ---------------------------------------------------------------- the data

def make_accounts(binary, data):
    def add(username, role, first, last):
        r = subprocess.run(
            [binary, "--data", data, "user", "add", "--username", username, "--role", role,
             "--class", CLASS, "--first-name", first, "--last-name", last, "--password-stdin"],
            input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise BenchError(f"user add {username} failed: {r.stderr.strip()}")

    add(TEACHER[0], "teacher", TEACHER[1], TEACHER[2])
    for username, first, last in PUPILS:
        add(username, "pupil", first, last)


def seed(db_path):
    """Writes the topics, posts and search rows; returns the long topic's id, the number of
    posts and the seconds it took."""
    t0 = time.monotonic()
    rng = random.Random(SEED)
    db = sqlite3.connect(db_path, timeout=30)
    try:
        for table in ("forum_topics", "forum_posts", "forum_search"):
            if table not in {r[0] for r in db.execute(
                    "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}:
                raise BenchError(f"the database has no {table} table: no forum schema?")
        school = db.execute("SELECT id FROM forum_categories WHERE kind = 'school'").fetchone()
        if not school:
            raise BenchError("no 'school' forum category in the new database")
        school = school[0]
        authors = [r[0] for r in db.execute("SELECT id FROM users ORDER BY id")]
        # Topic sizes: one long topic, the others 1..99 posts, summing to POSTS.
        rest = POSTS - LONG_TOPIC_POSTS
        sizes = [rng.randint(1, 99) for _ in range(TOPICS - 1)]
        scale = rest / sum(sizes)
        sizes = [max(1, round(s * scale)) for s in sizes]
        sizes[-1] += rest - sum(sizes)
        if sizes[-1] < 1:
            raise BenchError("BENCH_FORUM_POSTS is too small for the topic layout")
        long_at = len(sizes) // 2
        sizes.insert(long_at, LONG_TOPIC_POSTS)
        rare_posts = set(rng.sample(range(POSTS), 25))
        start_ts = int(time.time()) - 365 * 86400
        step = (365 * 86400) // POSTS
        # Posts are written topic after topic, but their times interleave like a live forum:
        # each topic's posts spread over the year from its start.
        db.execute("BEGIN")
        post_no = 0
        long_topic = None
        for t_index, size in enumerate(sizes):
            title = title_text(rng)
            t_author = rng.choice(authors)
            t_start = start_ts + rng.randint(0, 300 * 86400)
            cur = db.execute(
                "INSERT INTO forum_topics (category_id, author_id, title, created_at, "
                "last_post_at) VALUES (?, ?, ?, ?, ?)", (school, t_author, title, t_start, t_start))
            topic = cur.lastrowid
            ts = t_start
            first = last = None
            for k in range(size):
                body = post_text(rng, rare=post_no in rare_posts)
                if t_index == long_at:
                    body = f"Message n°{k + 1} du long sujet. {body}"
                author = t_author if k == 0 else rng.choice(authors)
                ts += rng.randint(60, max(61, step * 4))
                cur = db.execute(
                    "INSERT INTO forum_posts (topic_id, author_id, body, html, created_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (topic, author, body, f"<p>{html.escape(body, quote=False)}</p>\n", ts))
                pid = cur.lastrowid
                db.execute("INSERT INTO forum_search (rowid, title, body) VALUES (?, ?, ?)",
                           (pid, title if k == 0 else "", body))
                first = first or pid
                last = pid
                post_no += 1
            db.execute("UPDATE forum_topics SET last_post_id = ?, last_post_at = ?, posts = ? "
                       "WHERE id = ?", (last, ts, size, topic))
            if t_index == long_at:
                long_topic = topic
        db.execute("COMMIT")
        n = db.execute("SELECT count(*) FROM forum_posts").fetchone()[0]
        fts = db.execute("SELECT count(*) FROM forum_search").fetchone()[0]
        if n != POSTS or fts != POSTS:
            raise BenchError(f"seeded {n} posts and {fts} search rows, not {POSTS}")
    finally:
        db.close()
    return long_topic, n, time.monotonic() - t0


# ---------------------------------------------------------------- search as the server does it

def fts_query(text):
    """src/forum/search.rs's fts_query, in Python."""
    terms = []
    for w in re.split(r"[^\w]|_", text):
        if not w:
            continue
        w = w.lower()
        if len(w) > 4 and w[-1] in "sx":
            w = w[:-1]
        terms.append('"' + w.replace('"', "") + '"*')
        if len(terms) == 10:
            break
    return " ".join(terms) or None


SEARCH_SQL = """
SELECT p.id, t.id, t.title, t.category_id, COALESCE(u.display_name, ''), p.created_at,
       snippet(forum_search, 1, char(2), char(3), '…', 16)
FROM forum_search s JOIN forum_posts p ON p.id = s.rowid
JOIN forum_topics t ON t.id = p.topic_id
LEFT JOIN users u ON u.id = p.author_id
WHERE forum_search MATCH ?1
  AND t.category_id IN (SELECT value FROM json_each(?2))
  AND p.hidden = 0 AND p.deleted = 0 AND t.hidden = 0
ORDER BY s.rank LIMIT ?3
"""


def sql_floor(db_path, query, categories):
    """Python's sqlite3 running the server's search SQL: (median ms, p99 ms, rows, matches)."""
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        q = fts_query(query)
        visible = "[" + ",".join(str(c) for c in categories) + "]"
        rows = db.execute(SEARCH_SQL, (q, visible, 30)).fetchall()  # warm the cache
        times = []
        for _ in range(SQL_REPEAT):
            t0 = time.perf_counter()
            db.execute(SEARCH_SQL, (q, visible, 30)).fetchall()
            times.append((time.perf_counter() - t0) * 1000)
        matches = db.execute("SELECT count(*) FROM forum_search WHERE forum_search MATCH ?",
                             (q,)).fetchone()[0]
        t0 = time.perf_counter()
        for _ in range(20):
            db.execute("SELECT rowid FROM forum_search WHERE forum_search MATCH ? "
                       "ORDER BY rank LIMIT 30", (q,)).fetchall()
        bare = (time.perf_counter() - t0) * 1000 / 20
    finally:
        db.close()
    return {"p50": statistics.median(times), "p99": pct(times, 99), "rows": len(rows),
            "matches": matches, "bare_ms": bare}


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, max(0, round(p / 100 * len(v) + 0.5) - 1))]


# ---------------------------------------------------------------- HTTP

def get(conn, path, cookie):
    t0 = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": cookie})
    r = conn.getresponse()
    body = r.read()
    return r.status, r, body, (time.perf_counter() - t0) * 1000


def sequential(port, path, cookie, n):
    """n GETs one after another on one keep-alive connection: latencies in ms."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        get(conn, path, cookie)
        out = []
        for _ in range(n):
            status, _, _, ms = get(conn, path, cookie)
            if status != 200:
                raise BenchError(f"GET {path} answered {status} during the sequential run")
            out.append(ms)
        return out
    finally:
        conn.close()


def wrk_paths(port, paths, seconds, cookie, watch_pid, root, conns=CONNECTIONS):
    """wrk cycling through several paths (a Lua script), with the session cookie."""
    script = os.path.join(root, "paths.lua")
    with open(script, "w") as f:
        f.write("local paths = {" + ", ".join(f'"{p}"' for p in paths) + "}\n"
                "local i = 0\n"
                "request = function()\n"
                "  i = i + 1\n"
                "  return wrk.format(\"GET\", paths[(i % #paths) + 1])\n"
                "end\n")
    return wrk_with(f"http://{HOST}:{port}{paths[0]}", seconds, cookie, watch_pid, script, conns)


def machine_busy():
    """(busy, total) jiffies of all CPUs, from /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + v[4]  # idle + iowait
    return sum(v) - idle, sum(v)


def wrk_with(url, seconds, cookie, watch_pid, script=None, conns=CONNECTIONS):
    """One wrk run; adds `others_cores`: what processes other than the server and wrk used
    of the machine meanwhile (a build, an image being made...)."""
    b0, t0 = machine_busy()
    try:
        res = wrk_run(url, seconds, cookie, watch_pid, script, conns)
        b1, t1 = machine_busy()
        cores = len(os.sched_getaffinity(0))
        busy = (b1 - b0) / (t1 - t0) * cores if t1 > t0 else 0.0
        res["others_cores"] = max(0.0, busy - res.get("server_cores", 0.0) - res["wrk_cores"])
        return res
    finally:
        # wrk drops the requests in flight when its time is up; let the server finish them
        # before the next run (see SETTLE).
        time.sleep(SETTLE)


def wrk_run(url, seconds, cookie, watch_pid, script, conns):
    threads = min(THREADS, conns)
    if script is None:
        return wrk(url, seconds, threads, conns, cookie, watch_pid)
    # measure.wrk has no script option: run it through a PATH shim that adds `-s script`.
    shim_dir = os.path.dirname(script)
    shim = os.path.join(shim_dir, "wrk")
    real = next(os.path.join(d, "wrk") for d in os.environ["PATH"].split(os.pathsep)
                if d != shim_dir and os.access(os.path.join(d, "wrk"), os.X_OK))
    with open(shim, "w") as f:
        f.write(f'#!/bin/sh\nexec "{real}" -s "{script}" "$@"\n')
    os.chmod(shim, 0o755)
    old = os.environ["PATH"]
    os.environ["PATH"] = shim_dir + os.pathsep + old
    try:
        return wrk(url, seconds, threads, conns, cookie, watch_pid)
    finally:
        os.environ["PATH"] = old


def log_tail(root, n=3000):
    try:
        with open(os.path.join(root, "server.log"), "rb") as f:
            return f.read().decode("utf-8", "replace")[-n:]
    except OSError as e:
        return f"(no log: {e})"


def topic_path(topic):
    return f"/forum/t/{topic}?page={PAGE - 1}"


def check_topic_page(status, headers, body):
    page = body.decode("utf-8", "replace")
    if status != 200 or headers.get("Location"):
        raise BenchError(f"the topic page answered {status} (Location "
                         f"{headers.get('Location')}): not the topic")
    first = (PAGE - 1) * PER_PAGE + 1
    want = [f"Message n°{k} du long sujet" for k in range(first, first + PER_PAGE)]
    missing = [w for w in want if w not in page]
    extra = [k for k in (first - 1, first + PER_PAGE) if f"Message n°{k} du long sujet" in page]
    if missing or extra or 'name="password"' in page:
        raise BenchError(f"page {PAGE} of the long topic is not posts {first} to "
                         f"{first + PER_PAGE - 1}: {len(missing)} of them missing, others "
                         f"shown: {extra}\n{page[:600]}")


def search_path(q):
    return "/forum/search?" + urllib.parse.urlencode({"q": q})


def check_search_page(q, status, body, floor_rows):
    page = body.decode("utf-8", "replace")
    if status != 200:
        raise BenchError(f"search for {q!r} answered {status}")
    if 'name="password"' in page:
        raise BenchError(f"search for {q!r} shows the login page")
    hits = len(set(re.findall(r'href="/forum/p/(\d+)', page)))
    if floor_rows and hits == 0:
        raise BenchError(f"search for {q!r}: sqlite3 finds {floor_rows} rows, the page links "
                         f"to no post:\n{page[:800]}")
    return hits


# ---------------------------------------------------------------- the run

def ms(x):
    return "n/a" if x is None else (f"{x:.2f} ms" if x < 10 else f"{x:.0f} ms")


def verdict(ok):
    return "PASS" if ok else "**FAIL**"


def run(binary, duration):
    cores = len(os.sched_getaffinity(0))
    t_begin = time.monotonic()
    load_start = loadavg()
    busy = dict(foreign_busy_processes([]))
    print(f"forum bench: {cores} cores, load average {load_start}", flush=True)
    root = tempfile.mkdtemp(prefix="cartable-bench-forum-")
    bench.TEMPDIRS.append(root)
    data = os.path.join(root, "data")
    db_path = os.path.join(data, "cartable.db")

    print(f"forum bench: 1 teacher and {len(PUPILS)} pupils with the CLI ...", flush=True)
    make_accounts(binary, data)
    print(f"forum bench: seeding {POSTS:,} posts in {TOPICS} topics with sqlite3 ...",
          flush=True)
    long_topic, n_posts, seed_s = seed(db_path)
    db_mib = os.path.getsize(db_path) / 2 ** 20
    print(f"forum bench: seeded in {seed_s:.1f} s, database {db_mib:.0f} MiB; long topic "
          f"{long_topic} ({LONG_TOPIC_POSTS} posts)", flush=True)

    startup_rows = startup.measure(binary, data, db_path, root, n_posts)

    server, port = start_server(binary, data, os.path.join(root, "server.log"))
    spid = server.pid
    print(f"forum bench: cartable serving http://{HOST}:{port} (pid {spid})", flush=True)
    time.sleep(1)
    startup.wait_for_check(data)  # the full check runs after start: not during the wrk runs
    token, _ = bench.login(port, READER)
    cookie = f"cartable_session={token}"

    # ---------------------------------------------------------- the topic page
    path = topic_path(long_topic)
    status, headers, body, wire = bench.fetch(port, path, cookie)
    check_topic_page(status, headers, body)
    # A second fetch: the first one marked the topic read; from now on every answer is alike.
    status, headers, body, wire = bench.fetch(port, path, cookie)
    check_topic_page(status, headers, body)
    print(f"forum bench: topic page checked: {len(body):,} B, posts "
          f"{(PAGE - 1) * PER_PAGE + 1}–{PAGE * PER_PAGE} of {LONG_TOPIC_POSTS}", flush=True)
    one = sequential(port, path, cookie, 100)
    nroot = tempfile.mkdtemp(prefix="cartable-bench-forum-nginx-")
    bench.TEMPDIRS.append(nroot)
    nginx, nport, nginx_wire = start_nginx(nroot, body, headers)
    time.sleep(0.5)
    # The page and nginx serving the same bytes in turn (see bench.in_turn).
    url, nurl = f"http://{HOST}:{port}{path}", f"http://{HOST}:{nport}/"
    print(f"forum bench: wrk on {path} and on nginx serving the same {len(body):,} B in turn, "
          f"{bench.ROUNDS} rounds, {CONNECTIONS} connections, {THREADS} threads, {duration} s "
          "each ...", flush=True)
    wrk_with(url, WARMUP, cookie, spid)
    wrk_with(nurl, WARMUP, None, nginx.pid)
    (ratio, topic, peer), topic_ratios = bench.in_turn(
        bench.checked(wrk_with, "topic page", url, duration, cookie, spid, wire),
        bench.checked(wrk_with, "nginx", nurl, duration, None, nginx.pid, nginx_wire),
        "forum-topic", spid)
    nginx.send_signal(signal.SIGQUIT)
    try:
        nginx.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass

    # ---------------------------------------------------------- search
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    visible = [r[0] for r in db.execute("SELECT id FROM forum_categories ORDER BY id")]
    db.close()
    # What the reader sees: the school's, the staff room is not theirs, their class's.
    reader_cats = [c for c in visible if c != 2]
    searches = []
    print(f"forum bench: search, {len(QUERIES)} queries: checked, {SEARCH_REPEAT} sequential "
          f"requests each, the same SQL in Python's sqlite3 ...", flush=True)
    for label, q in QUERIES:
        floor = sql_floor(db_path, q, reader_cats)
        status, _, sbody, _ = bench.fetch(port, search_path(q), cookie)
        hits = check_search_page(q, status, sbody, floor["rows"])
        lat = sequential(port, search_path(q), cookie, SEARCH_REPEAT)
        searches.append({"label": label, "q": q, "floor": floor, "hits": hits,
                         "p50": statistics.median(lat), "p99": pct(lat, 99),
                         "bytes": len(sbody)})
        print(f"forum bench:   {q!r}: {floor['matches']:,} matching posts, page shows {hits}, "
              f"p50 {ms(statistics.median(lat))}, p99 {ms(pct(lat, 99))}; sqlite3 p50 "
              f"{ms(floor['p50'])}", flush=True)
    paths = [search_path(q) for _, q in QUERIES]
    sloads = {}
    for conns in SEARCH_CONNECTIONS:
        print(f"forum bench: wrk cycling through the {len(paths)} searches, {conns} "
              f"connections, {duration} s ...", flush=True)
        wrk_paths(port, paths, WARMUP, cookie, spid, root, conns)
        with Profile(f"forum-search-{conns}", spid):
            sload = wrk_paths(port, paths, duration, cookie, spid, root, conns)
        if sload["non2xx"] or sload["sockerr"]:
            raise BenchError(f"search under load: {sload['non2xx']} non-2xx/3xx, "
                             f"{sload['sockerr']} socket errors:\n{sload['raw']}\n"
                             f"server log:\n{log_tail(root)}")
        sloads[conns] = sload
    busy.update(foreign_busy_processes([p.pid for p in bench.CHILDREN]))
    elapsed = time.monotonic() - t_begin

    # ---------------------------------------------------------- table
    rows = []
    rows.append((f"Topic page (page {PAGE}, {PER_PAGE} of {LONG_TOPIC_POSTS} posts, as a pupil), "
                 f"{CONNECTIONS} conn, {THREADS} thr, {duration} s",
                 f"**{topic['rps']:,.0f} pages/s**",
                 f"nginx, same {len(body):,} B as a static file: {peer['rps']:,.0f} req/s",
                 f"≥ {TOPIC_TARGET:,} pages/s on 2 cores",
                 verdict(topic["rps"] >= TOPIC_TARGET)))
    rows.append((f"Topic page ÷ nginx, same bytes, same run: the median of {bench.ROUNDS} "
                 f"rounds ({', '.join(f'{x:.3f}' for x in topic_ratios)})", f"{ratio:.3f}×",
                 "1×", "≥ 0.15×", verdict(ratio >= 0.15)))
    rows.append(("Topic page latency p50 / p90 / p99",
                 f"{ms(topic['p50'])} / {ms(topic['p90'])} / **{ms(topic['p99'])}**",
                 f"{ms(peer['p50'])} / {ms(peer['p90'])} / {ms(peer['p99'])}",
                 "(report p99)", "info"))
    rows.append(("Topic page, one client, one request after another: p50 / p99",
                 f"{ms(statistics.median(one))} / {ms(pct(one, 99))}", "—", "—", "info"))
    rows.append(("CPU used during the topic run (server / wrk / other processes), cores",
                 f"{topic['server_cores']:.2f} / {topic['wrk_cores']:.2f} / "
                 f"{topic['others_cores']:.2f}",
                 f"{peer['server_cores']:.2f} / {peer['wrk_cores']:.2f} / "
                 f"{peer['others_cores']:.2f}", "—", "info"))
    rows.append(("Topic pages per second of server CPU (throughput ÷ server cores)",
                 f"{topic['rps'] / max(topic['server_cores'], 0.01):,.0f}",
                 f"{peer['rps'] / max(peer['server_cores'], 0.01):,.0f}",
                 f"≥ {TOPIC_TARGET / 2:,.0f} (the target on 2 cores)",
                 "info"))
    for s in searches:
        f = s["floor"]
        rows.append((f"Search {s['label']} `{s['q']}` ({f['matches']:,} of {n_posts:,} posts "
                     f"match), one client: p50 / **p99**",
                     f"{ms(s['p50'])} / **{ms(s['p99'])}**",
                     f"sqlite3, same SQL: {ms(f['p50'])} / {ms(f['p99'])}",
                     f"p99 < {SEARCH_TARGET_MS} ms", verdict(s["p99"] < SEARCH_TARGET_MS)))
    for conns, sload in sloads.items():
        # The target is for a search; a few people searching at once must still meet
        # it. Fifty at once cannot on 2 cores: each waits for the CPU time of the ones before
        # it (the floor below), so that run is reported, not judged.
        cpu_ms = 1000 * sload["server_cores"] / sload["rps"] if sload["rps"] else 0
        floor = conns * cpu_ms / cores
        judged = conns <= 5
        rows.append((f"Search under load: the {len(paths)} queries in turn, {conns} conn, "
                     f"{duration} s: req/s; p50 / p90 / **p99** (server CPU, cores)",
                     f"{sload['rps']:,.0f} req/s; {ms(sload['p50'])} / {ms(sload['p90'])} / "
                     f"**{ms(sload['p99'])}** ({sload['server_cores']:.2f}; other processes "
                     f"{sload['others_cores']:.2f})",
                     f"{ms(cpu_ms)} of server CPU per search: {conns} at once wait "
                     f"≥ {ms(floor)} on {cores} cores",
                     f"p99 < {SEARCH_TARGET_MS} ms" if judged else "(report)",
                     verdict(sload["p99"] < SEARCH_TARGET_MS) if judged else "info"))

    rows.extend(startup_rows)

    head = ("forum metric", "cartable", "reference", "target", "result")
    print()
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print()
    notes = [
        f"Machine: {cores} cores; load average {load_start} at the start, {loadavg()} at the "
        f"end; the forum part took {elapsed:.0f} s. wrk runs on the same cores as the server "
        "it measures, as it does for nginx: compare the columns.",
        f"Data: {n_posts:,} posts (~300 characters of French and English each) in {TOPICS} "
        f"topics of the school's category, seeded with Python's sqlite3 in {seed_s:.0f} s "
        f"before the server started (database {db_mib:.0f} MiB, FTS5 index not optimised, as "
        "posts written one by one would leave it).",
        f"Topic page: {len(body):,} B of HTML ({wire:,} B on the wire), checked to hold posts "
        f"{(PAGE - 1) * PER_PAGE + 1} to {PAGE * PER_PAGE} of the long topic; wrk averaged "
        f"{topic['bytes_per_resp']:.0f} B per response ({topic['requests']:,} responses, no "
        "errors). nginx served the same bytes with the same security headers.",
        "Search floor: Python's sqlite3 (SQLite "
        f"{sqlite3.sqlite_version}) running src/forum/search.rs's SQL (FTS5 MATCH, joins, "
        "snippet, ORDER BY rank LIMIT 30) on the same database file while the server ran; "
        "without the joins and snippet, the bare MATCH … ORDER BY rank LIMIT 30 took "
        + ", ".join(f"{ms(s['floor']['bare_ms'])} ({s['label']})" for s in searches) + ".",
        "Search pages: " + ", ".join(f"{s['hits']} results ({s['bytes']:,} B)"
                                     for s in searches) + ".",
    ]
    others = max([topic["others_cores"], peer["others_cores"]]
                 + [s["others_cores"] for s in sloads.values()])
    if others > 0.25:
        notes.append(f"**Shared machine**: other processes used up to {others:.2f} cores during "
                     "the wrk runs (see the CPU rows); throughput is low by about that share. "
                     "The pages per second of server CPU row does not depend on it.")
    if busy:
        notes.append("**Disturbed run**: other heavy processes were running during the "
                     f"benchmark ({', '.join(f'{k}×{v}' for k, v in sorted(busy.items()))}); "
                     "re-run when the machine is quiet.")
    elif others <= 0.25:
        notes.append("No concurrent compiler, browser or VM was seen during the run.")
    for n in notes:
        print(f"- {n}")
    missed = (topic["rps"] < TOPIC_TARGET
              or any(s["p99"] >= SEARCH_TARGET_MS for c, s in sloads.items() if c <= 5)
              or any(s["p99"] >= SEARCH_TARGET_MS for s in searches))
    if missed and os.environ.get("BENCH_STRICT") == "1":
        return 1
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default="target/release/cartable")
    ap.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "10")))
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, bench.on_signal)
    try:
        return run(binary, args.duration)
    except BenchError as e:
        print(f"\nforum bench: could not measure: {e}", file=sys.stderr)
        return 2
    finally:
        stop_all()


if __name__ == "__main__":
    sys.exit(main())

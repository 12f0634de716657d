#!/usr/bin/env python3
"""Cartable's blog benchmark (issue #19): a public post page under load, beside nginx serving
the very same bytes, and the forum's topic page in the same run.

Run by `make bench` through tests/bench/run.sh (BENCH_ONLY=blog runs it alone). Python standard
library only; loopback only.

What it does, in one run:
  1. a class with its teachers and pupils (the web part's accounts), `cartable serve`;
  2. the class's teacher, through the pages: opens the class's blog to the public and publishes
     a post of about 400 words (Markdown: a heading, a list, emphasis; no photo: the issue's
     size target is the page "before images"); starts a topic in the class's forum and adds
     nine replies of the same length;
  3. the post's public page (/site/p/ID, no cookie) is fetched and checked (200, its title),
     its size with the stylesheet it links is reported against the issue's 30 KB;
  4. wrk at 50 connections (2 threads) on the public post page, on the forum topic page (the
     teacher's session; ten posts), then on nginx serving the public page's bytes with its
     headers: requests per second, p99, server CPU;
  5. one table: the public post page's rate must be at least the forum topic page's.

Target misses are reported, not asserted (BENCH_STRICT=1 makes them fail).

  BENCH_DURATION=10               seconds per measured wrk run
"""

import argparse
import html
import http.client
import os
import random
import re
import sqlite3
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402
from bench import (CONNECTIONS, HOST, TEACHERS, THREADS, TEMPDIRS, BenchError, fetch, load,  # noqa: E402
                   login, make_accounts, start_nginx, start_server, verdict)
from measure import check_same_responses  # noqa: E402

WARMUP = 2
WORDS = ("école classe jardin tomates semis arrosage élèves maîtresse soleil pluie récolte "
         "potager graines terre racines feuilles cahier observation mesure croissance semaine "
         "printemps compost insectes abeilles fleurs panier partage goûter").split()


def text(rng, words):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def post_body(rng):
    return (f"## {text(rng, 4)}\n\n{text(rng, 120)}\n\n- {text(rng, 10)}\n- {text(rng, 12)}\n"
            f"- {text(rng, 9)}\n\n*{text(rng, 40)}*\n\n{text(rng, 200)}")


def page_csrf(port, path, cookie):
    status, _, body, _ = fetch(port, path, cookie)
    if status != 200:
        raise BenchError(f"GET {path} answered {status}")
    m = re.search(rb'name="csrf" value="([0-9a-f]+)"', body)
    if not m:
        raise BenchError(f"GET {path}: no CSRF token")
    return m.group(1).decode()


def post(port, path, cookie, fields, multipart=False):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        if multipart:
            boundary = "cartablebench7f3a"
            parts = []
            for k, v in fields.items():
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'
                             f"{v}\r\n")
            body = ("".join(parts) + f"--{boundary}--\r\n").encode()
            ctype = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(fields).encode()
            ctype = "application/x-www-form-urlencoded"
        conn.request("POST", path, body=body, headers={"Content-Type": ctype, "Cookie": cookie})
        r = conn.getresponse()
        r.read()
        return r.status, r.getheader("Location") or ""
    finally:
        conn.close()


def prepare(port, data, cookie, rng):
    """The public post and the forum topic, through the pages; returns their paths."""
    db = sqlite3.connect(f"file:{os.path.join(data, 'cartable.db')}?mode=ro", uri=True)
    try:
        blog = db.execute("SELECT id FROM blogs WHERE class_id IS NOT NULL").fetchone()[0]
        category = db.execute(
            "SELECT id FROM forum_categories WHERE class_id IS NOT NULL").fetchone()[0]
    finally:
        db.close()
    csrf = page_csrf(port, f"/blogs/{blog}/settings", cookie)
    status, _ = post(port, f"/blogs/{blog}/settings", cookie, {
        "csrf": csrf, "title": "", "description": "Le jardin de la classe",
        "audience": "public", "comments": "moderated", "approval": "1"})
    if status != 303:
        raise BenchError(f"the blog's settings answered {status}")
    csrf = page_csrf(port, f"/blogs/{blog}/write", cookie)
    status, location = post(port, f"/blogs/{blog}/write", cookie, {
        "csrf": csrf, "title": "Le potager de la classe", "body": post_body(rng),
        "action": "submit"}, multipart=True)
    m = re.match(r"/blogs/p/(\d+)\?msg=blog\.published", location)
    if status != 303 or not m:
        raise BenchError(f"publishing answered {status} ({location})")
    public = f"/site/p/{m.group(1)}"
    csrf = page_csrf(port, f"/forum/c/{category}/new", cookie)
    status, location = post(port, f"/forum/c/{category}/new", cookie, {
        "csrf": csrf, "title": "Le potager : vos questions", "body": post_body(rng),
        "action": "post"})
    m = re.match(r"(/forum/t/\d+)", location)
    if status != 303 or not m:
        raise BenchError(f"the new topic answered {status} ({location})")
    topic = m.group(1)
    for _ in range(9):
        csrf = page_csrf(port, topic, cookie)
        status, _ = post(port, f"{topic}/reply", cookie,
                         {"csrf": csrf, "body": post_body(rng), "action": "post"})
        if status != 303:
            raise BenchError(f"a reply answered {status}")
    return public, topic


def run(binary, duration):
    root = tempfile.mkdtemp(prefix="cartable-bench-blog-")
    TEMPDIRS.append(root)
    data = os.path.join(root, "data")
    os.makedirs(data)
    make_accounts(binary, data)
    server, port = start_server(binary, data, os.path.join(root, "server.log"))
    teacher = TEACHERS[0][2]
    token, _ = login(port, teacher)
    cookie = f"cartable_session={token}"
    rng = random.Random(19)
    public, topic = prepare(port, data, cookie, rng)

    status, headers, body, wire = fetch(port, public)
    if status != 200 or b"Le potager de la classe" not in body:
        raise BenchError(f"GET {public} answered {status} without the post's title")
    css = re.search(rb'href="(/static/cartable\.css[^"]*)"', body)
    css_len = len(fetch(port, html.unescape(css.group(1).decode()))[2]) if css else 0
    t_status, _, t_body, t_wire = fetch(port, topic, cookie)
    if t_status != 200 or t_body.count(b'class="post') < 10:
        raise BenchError(f"GET {topic} answered {t_status}, or without its ten posts")

    url = f"http://{HOST}:{port}"
    print(f"bench: blog: wrk on the public post page ({len(body):,} B) and the forum topic page "
          f"({len(t_body):,} B), {CONNECTIONS} connections ...", flush=True)
    load(url + public, WARMUP, None, server.pid)
    site = load(url + public, duration, None, server.pid)
    check_same_responses("public post page", site, wire)
    load(url + topic, WARMUP, cookie, server.pid)
    forum = load(url + topic, duration, cookie, server.pid)
    check_same_responses("forum topic page", forum, t_wire)

    nroot = tempfile.mkdtemp(prefix="cartable-bench-blog-nginx-")
    TEMPDIRS.append(nroot)
    nginx, nport, nginx_wire = start_nginx(nroot, body, headers)
    time.sleep(1)
    load(f"http://{HOST}:{nport}/", WARMUP, None, nginx.pid)
    peer = load(f"http://{HOST}:{nport}/", duration, None, nginx.pid)
    check_same_responses("nginx", peer, nginx_wire)

    size = len(body) + css_len
    rows = [
        (f"Public post page (/site/p/ID, no session), {CONNECTIONS} conn, {THREADS} thr, "
         f"{duration} s", f"**{site['rps']:,.0f} req/s**",
         f"nginx, same {len(body):,} B: {peer['rps']:,.0f} req/s",
         "≥ the forum topic page", verdict(site["rps"] >= forum["rps"])),
        ("Public post page latency p50 / p99",
         f"{bench.ms(site['p50'])} / {bench.ms(site['p99'])}",
         f"{bench.ms(peer['p50'])} / {bench.ms(peer['p99'])}", "(report)", "info"),
        (f"Forum topic page (ten posts, a session), same run", f"{forum['rps']:,.0f} req/s",
         "—", "(reference)", "info"),
        ("Cartable ÷ nginx, public post page", f"{site['rps'] / peer['rps']:.3f}×", "1×",
         "(report)", "info"),
        ("Public post page: HTML + its stylesheet, before images",
         f"{len(body):,} B + {css_len:,} B = {size:,} B", "—", "< 30,000 B",
         verdict(size < 30_000)),
    ]
    print()
    print("| blog metric | cartable | reference | target | result |")
    print("|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    failed = [r for r in rows if r[4] == "FAIL"]
    return 1 if failed and os.environ.get("BENCH_STRICT") == "1" else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default="target/release/cartable")
    ap.add_argument("--duration", type=int, default=10)
    args = ap.parse_args()
    try:
        return run(os.path.abspath(args.binary), args.duration)
    except BenchError as e:
        print(f"blog bench: {e}", file=sys.stderr)
        return 2
    finally:
        bench.stop_all()


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Cartable's offline library benchmark (issue #18): one generated Kiwix collection served by
Cartable and by Debian's kiwix-serve in the same run, printed as one table.

Run by `make bench` through tests/bench/run.sh after the other parts (BENCH_ONLY=library runs
it alone), which installs wrk and kiwix-tools and builds the release binary first. Python
standard library only; loopback only.

What it does, in one run:
  1. a collection of 20,000 French articles written by PyPI's libzim
     (tests/bench/make_library.py: zstd, Xapian full-text index, title index, metadata), and
     its JSON list of paths, titles, queries and title prefixes;
  2. kiwix-serve on that file (its own URL scheme read from its catalog and checked: old
     versions serve `/<book>/A/<path>`, newer ones `/content/<book>/<path>`), then Cartable:
     a teacher and a pupil made with the CLI, `cartable serve`, the pupil logs in (resident
     memory read there, before any collection), `cartable library add FILE --audience
     school`, the collection's name read from `cartable library list`, and the wait until its
     full-text index is ready (the list says `ready`, or a rare word that is in no title is
     found: the indexing time is a row);
  3. for each server, one after the other, alone on the machine:
     - 200 random articles fetched and checked (200, the article's own <h1>), then wrk at 20
       connections (2 threads) picking random articles among the 20,000 (a Lua script, a
       fixed seed per thread, the same sequence for both servers): articles per second and
       p99, the CPU of server, wrk and other processes;
     - title suggestions, one client, one request after another (keep-alive): prefixes with
       and without accents, lower case, one letter, a whole title, none; p50 / p99;
     - full-text search, one client: a frequent word, two words, an accented word and the
       same word without accents, two rare words, a word in no article; p50 / p99 per query
       and over all, with the hits each server found;
     - resident memory after the run (VmRSS, VmHWM);
  4. one table with the issue's targets: articles per second ≥ kiwix-serve's, full-text p99
     < 100 ms, and the cluster cache held to its bound (CARTABLE_LIBRARY_CACHE_MB, 32 MiB
     unless set: the largest resident memory sampled during the random-article run, over
     Cartable's resident memory before `library add`, must stay under the cache bound plus
     16 MiB for everything else — connections, buffers, the search index's pages — while the
     collection's articles decompress to about 48 MiB).

Until Cartable has its `library` command, the kiwix-serve column is measured and printed and
the part ends with "cartable has no `library` command yet" (exit status 2: not measured). A
suggestion or search page that answers 404 (not built yet) is reported as such, the rest is
measured, and the part also ends with exit status 2.

Target misses are reported, not asserted (BENCH_STRICT=1 makes them fail). Every process it
starts is stopped on exit, its temporary directory removed (BENCH_KEEP=1 keeps it, with the
collection and the servers' logs). BENCH_PERF=DIR records perf profiles of Cartable.

  BENCH_DURATION=10               seconds per measured wrk run
  BENCH_LIBRARY_ARTICLES=20000    articles in the generated collection
  BENCH_LIBRARY_ZIM=FILE.zim      use this collection (and FILE.json beside it), written
                                  earlier by make_library.py, instead of writing one
  BENCH_LIBRARY_INDEX_TIMEOUT=600 seconds to wait for Cartable's full-text index
  CARTABLE_LIBRARY_CACHE_MB=32    Cartable's cluster cache, passed on to the server
"""

import argparse
import html
import http.client
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

import bench
import forum
from bench import HOST, Profile, free_port, start, start_server, stop_all
from measure import BenchError, foreign_busy_processes, loadavg, status_kib

CONNECTIONS = 20
WARMUP = 2
CHECKED = 200  # random articles fetched and checked before the wrk run
ROUNDS = 25  # sequential rounds over all the prefixes / all the queries
SEARCH_TARGET_MS = 100
CACHE_SLACK_MIB = 16
ARTICLES = int(os.environ.get("BENCH_LIBRARY_ARTICLES", "20000"))
INDEX_TIMEOUT = int(os.environ.get("BENCH_LIBRARY_INDEX_TIMEOUT", "600"))
CACHE_MB = int(os.environ.get("CARTABLE_LIBRARY_CACHE_MB", "32"))
SEED = 18
TEACHER = ("t.biblio", "Mariama", "Sankara")
READER = ("eleve01", "Amina", "Diallo")
HERE = os.path.dirname(os.path.abspath(__file__))


class NoLibrary(BenchError):
    """The Cartable binary predates the library: the kiwix-serve half is still reported."""


# ---------------------------------------------------------------- the collection

def make_collection(root):
    given = os.environ.get("BENCH_LIBRARY_ZIM")
    if given:
        zim = os.path.abspath(given)
        meta = zim[:-4] + ".json" if zim.endswith(".zim") else zim + ".json"
        if not (os.path.isfile(zim) and os.path.isfile(meta)):
            raise BenchError(f"BENCH_LIBRARY_ZIM={given}: needs the file and {meta} beside it "
                             "(python3 tests/bench/make_library.py FILE.zim)")
    else:
        zim = os.path.join(root, "collection", "encyclopedie.zim")
        meta = os.path.join(root, "collection", "encyclopedie.json")
        print(f"library bench: writing {ARTICLES:,} articles with libzim "
              "(tests/bench/make_library.py) ...", flush=True)
        r = subprocess.run([sys.executable, os.path.join(HERE, "make_library.py"), zim,
                            "--articles", str(ARTICLES), "--seed", str(SEED)],
                           capture_output=True, text=True, timeout=1200)
        if r.returncode != 0:
            raise BenchError(f"make_library.py failed:\n{r.stderr.strip()[-2000:]}")
    with open(meta, encoding="utf-8") as f:
        info = json.load(f)
    print(f"library bench: collection {os.path.basename(zim)}: {info['count']:,} articles, "
          f"{os.path.getsize(zim) / 2 ** 20:.1f} MiB ({info['html_bytes'] / 2 ** 20:.0f} MiB "
          f"of HTML decompressed), written in {info['write_seconds']:.0f} s", flush=True)
    return zim, info


def quote(path):
    return urllib.parse.quote(path, safe="/'-_.,()")


# ---------------------------------------------------------------- HTTP

class Client:
    """One keep-alive connection, reopened when the server closes it."""

    def __init__(self, port, cookie=None):
        self.port, self.cookie, self.conn = port, cookie, None

    def get(self, path):
        """(status, headers, body, milliseconds)."""
        headers = {"Cookie": self.cookie} if self.cookie else {}
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
            try:
                t0 = time.perf_counter()
                self.conn.request("GET", path, headers=headers)
                r = self.conn.getresponse()
                body = r.read()
                ms = (time.perf_counter() - t0) * 1000
                if r.getheader("Connection", "").lower() == "close":
                    self.close()
                return r.status, r.headers, body, ms
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self):
        if self.conn:
            self.conn.close()
            self.conn = None


def wire_size(headers, body):
    return len("HTTP/1.1 200 OK\r\n") + sum(len(k) + len(v) + 4 for k, v in headers.items()) \
        + 2 + len(body)


def pct(values, p):
    return forum.pct(values, p)


# ---------------------------------------------------------------- the two servers

class Kiwix:
    label = "kiwix-serve"
    missing = {}  # pages it lacks: none

    def __init__(self, zim, root):
        self.zim, self.root = zim, root
        self.cookie = None

    def start(self):
        log = open(os.path.join(self.root, "kiwix-serve.log"), "wb")
        for _ in range(3):  # a port taken between free_port() and the bind: try another
            self.port = free_port()
            self.proc = start(["kiwix-serve", "--port", str(self.port), "--address", HOST,
                               self.zim], stdout=log, stderr=log)
            self.pid = self.proc.pid
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    status, _, body, _ = Client(self.port).get("/catalog/v2/entries")
                    if status == 200:
                        self.discover(body.decode("utf-8", "replace"))
                        return
                except OSError:
                    time.sleep(0.1)
            if self.proc.poll() is None:
                raise BenchError("kiwix-serve did not answer /catalog/v2/entries in 30 s")
        with open(os.path.join(self.root, "kiwix-serve.log"), "rb") as f:
            raise BenchError("kiwix-serve did not start:\n"
                             + f.read().decode("utf-8", "replace")[-2000:])

    def discover(self, catalog):
        """The book's URLs, as this version of kiwix-serve spells them."""
        m = re.search(r'<link type="text/html" href="([^"]+)"', catalog)
        if not m:
            raise BenchError(f"kiwix-serve's catalog names no book:\n{catalog[:1500]}")
        self.content = m.group(1).rstrip("/")  # /library (3.3) or /content/library (3.5+)
        self.book = self.content.rsplit("/", 1)[1]
        self.version = subprocess.run(["kiwix-serve", "--version"], capture_output=True,
                                      text=True).stdout.split("\n")[0].strip()

    def pick(self, candidates, suffix, ok):
        """The first URL prefix of candidates that, with suffix, answers 200 and ok(body)."""
        c = Client(self.port)
        tried = []
        for prefix in candidates:
            status, _, body, _ = c.get(prefix + suffix)
            tried.append(f"{prefix + suffix} → {status}")
            if status == 200 and ok(body):
                c.close()
                return prefix
        c.close()
        raise BenchError(f"kiwix-serve answers none of these as expected: {tried}")

    def prepare(self, info):
        path, title = info["articles"][0]
        want = f"<h1>{html.escape(title, quote=False)}</h1>".encode()
        self.article_prefix = self.pick([f"{self.content}/A/", f"{self.content}/"],
                                        quote(path), lambda b: want in b)
        self.suggest_prefix = self.pick(
            [f"/suggest?content={self.book}&term=", f"/suggest?books.name={self.book}&term="],
            urllib.parse.quote(title[:4]), lambda b: b.lstrip().startswith(b"["))
        rare = next(q for q in info["queries"] if q.get("paths"))
        self.search_prefix = self.pick(
            [f"/search?content={self.book}&pattern=", f"/search?books.name={self.book}&pattern="],
            urllib.parse.quote_plus(rare["q"]),
            lambda b: self.search_hits(b)[1] & set(rare["paths"]))

    def article_url(self, path):
        return self.article_prefix + quote(path)

    def suggest_url(self, prefix):
        return self.suggest_prefix + urllib.parse.quote(prefix)

    def search_url(self, q):
        return self.search_prefix + urllib.parse.quote_plus(q)

    def suggestions(self, body):
        items = json.loads(body)
        return sum(1 for i in items if i.get("kind", "path") == "path")

    def search_hits(self, body):
        """(total the page announces, paths of the hits it links to)."""
        page = body.decode("utf-8", "replace")
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
        m = re.search(r"\bof ([\d,.\u202f\xa0 ]+?) for\b", text)
        total = int(re.sub(r"\D", "", m.group(1))) if m else (0 if "No results" in text else None)
        base = re.escape(self.content + "/")
        paths = {urllib.parse.unquote(p) for p in re.findall(rf'href="{base}(?:A/)?([^"?#]+)"',
                                                              page)}
        return total, paths


class Cartable:
    label = "cartable"

    def __init__(self, binary, zim, root):
        self.binary, self.zim, self.root = binary, zim, root
        self.data = os.path.join(root, "data")
        self.missing = {}  # "suggest"/"search" -> why it is not measured (a page not built yet)

    def cli(self, *args, stdin=None, timeout=600):
        return subprocess.run([self.binary, "--data", self.data, *args], input=stdin,
                              capture_output=True, text=True, timeout=timeout)

    def check_library_command(self):
        r = self.cli("library", "list")
        if r.returncode != 0:
            err = (r.stderr or r.stdout).strip()
            if re.search(r"unrecognized subcommand|unexpected argument|invalid subcommand|"
                         r"unknown command", err, re.I):
                raise NoLibrary("cartable has no `library` command yet "
                                f"({self.binary}: {err.splitlines()[0] if err else r.returncode})")
            raise BenchError(f"`cartable library list` failed: {err}")

    def accounts(self):
        for (username, first, last), role in ((TEACHER, "teacher"), (READER, "pupil")):
            r = self.cli("user", "add", "--username", username, "--role", role, "--class",
                         bench.CLASS, "--first-name", first, "--last-name", last,
                         "--password-stdin", stdin=bench.PASSWORD + "\n", timeout=60)
            if r.returncode != 0:
                raise BenchError(f"user add {username} failed: {r.stderr.strip()}")

    def listed(self):
        """The collection's line of `library list`: (name, index state, the whole line)."""
        r = self.cli("library", "list", timeout=60)
        if r.returncode != 0:
            raise BenchError(f"`cartable library list` failed: {r.stderr.strip()}")
        lines = [ln for ln in r.stdout.splitlines() if ln.strip()]
        rows = [ln for ln in lines if not re.match(r"\s*(name|nom)\b", ln, re.I)]
        if not rows:
            raise BenchError(f"`cartable library list` lists no collection:\n{r.stdout}")
        fields = re.split(r"\t+|\s{2,}", rows[0].strip())
        if "\t" not in rows[0]:
            fields = rows[0].split()
        state = next((f.lower() for f in fields if f.lower() in
                      ("pending", "building", "ready", "failed")), None)
        return fields[0], state, rows[0]

    def start(self, info, rss_before):
        """Accounts, server, login, `library add`, the index: returns the indexing row data."""
        self.accounts()
        self.check_library_command()
        os.environ["CARTABLE_LIBRARY_CACHE_MB"] = str(CACHE_MB)  # reaches the server
        self.proc, self.port = start_server(self.binary, self.data,
                                            os.path.join(self.root, "server.log"))
        self.pid = self.proc.pid
        token, _ = bench.login(self.port, READER[0])
        self.cookie = f"cartable_session={token}"
        time.sleep(1)
        rss_before["rss"] = status_kib(self.pid, "VmRSS")
        rss_before["hwm"] = status_kib(self.pid, "VmHWM")
        t0 = time.monotonic()
        r = self.cli("library", "add", self.zim, "--audience", "school", timeout=1200)
        add_s = time.monotonic() - t0
        if r.returncode != 0:
            raise BenchError(f"`cartable library add {self.zim} --audience school` failed: "
                             f"{(r.stderr or r.stdout).strip()}")
        self.name, state, line = self.listed()
        rare = next(q for q in info["queries"] if q.get("paths"))
        client = Client(self.port, self.cookie)
        # A page that answers 404 for an installed collection is not built yet: the rest is
        # still measured, and the part ends "not measured" (exit status 2).
        for page, url in (("suggest", self.suggest_url("Riv")),
                          ("search", self.search_url(rare["q"]))):
            if client.get(url)[0] == 404:
                self.missing[page] = f"/library/{page} answers 404: not built yet"
        if "search" in self.missing:
            print(f"library bench: installed as {self.name!r} in {add_s:.1f} s ({line!r}); "
                  f"{self.missing['search']}", flush=True)
            client.close()
            time.sleep(1)
            rss_before["ready_rss"] = status_kib(self.pid, "VmRSS")
            return {"add_s": add_s, "index_s": None, "how": self.missing["search"]}
        print(f"library bench: installed as {self.name!r} in {add_s:.1f} s ({line!r}); "
              "waiting for its full-text index ...", flush=True)
        deadline = t0 + INDEX_TIMEOUT
        how, status = None, None
        while time.monotonic() < deadline:
            _, state, line = self.listed()
            if state == "failed":
                raise BenchError(f"Cartable's index of the collection failed: {line!r}\n"
                                 f"server log:\n{forum.log_tail(self.root)}")
            status, _, body, _ = client.get(self.search_url(rare["q"]))
            found = status == 200 and self.search_hits(body)[1] & set(rare["paths"])
            if state == "ready" or found:
                how = "`library list` says ready" if state == "ready" else \
                    f"the search for {rare['q']!r} finds its articles"
                break
            time.sleep(0.5)
        client.close()
        index_s = time.monotonic() - t0
        if how is None:
            raise BenchError(f"Cartable's full-text index was not ready after {INDEX_TIMEOUT} s "
                             f"(BENCH_LIBRARY_INDEX_TIMEOUT): `library list` says {line!r}, "
                             f"the search for {rare['q']!r} answered {status} without its "
                             f"articles; server log:\n{forum.log_tail(self.root, 1500)}")
        # Whichever came first, the other must follow: the list says ready once indexing
        # ends, and the rare word is then found.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.listed()[1] != "ready":
            time.sleep(0.5)
        time.sleep(1)
        rss_before["ready_rss"] = status_kib(self.pid, "VmRSS")
        return {"add_s": add_s, "index_s": index_s, "how": how}

    def prepare(self, info):
        path, title = info["articles"][0]
        status, headers, body, _ = Client(self.port, self.cookie).get(self.article_url(path))
        if status != 200:
            raise BenchError(f"GET {self.article_url(path)} answered {status} "
                             f"(Location {headers.get('Location')})")

    def article_url(self, path):
        return f"/library/{quote(self.name)}/{quote(path)}"

    def suggest_url(self, prefix):
        return "/library/suggest?" + urllib.parse.urlencode({"c": self.name, "q": prefix})

    def search_url(self, q):
        return "/library/search?" + urllib.parse.urlencode({"c": self.name, "q": q})

    def suggestions(self, body):
        items = json.loads(body)
        if not isinstance(items, list) or any("title" not in i or "url" not in i for i in items):
            raise BenchError(f"suggestions are not [{{title, url}}, ...]: {body[:300]!r}")
        return len(items)

    def search_hits(self, body):
        page = body.decode("utf-8", "replace")
        base = re.escape(f"/library/{quote(self.name)}/")
        paths = {urllib.parse.unquote(html.unescape(p))
                 for p in re.findall(rf'href="{base}([^"?#]+)"', page)}
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
        # "<n> results", "<n>+ results" when the count stopped at a cap.
        m = re.search(r"(\d[\d\u202f\xa0 ,.]*)(\+?) (?:résultats?|results?)\b", text, re.I)
        total = None
        if m and re.sub(r"\D", "", m.group(1)):
            total = int(re.sub(r"\D", "", m.group(1)))
            if m.group(2):
                total = f"{total:,}+"
        return total, paths


# ---------------------------------------------------------------- measuring one server

def lua_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def article_script(server, info, root):
    """wrk picks random articles: each thread its own fixed seed, so both servers get the same
    sequence of requests."""
    script = os.path.join(root, f"articles-{server.label}.lua")
    with open(script, "w", encoding="utf-8") as f:
        f.write("local paths = {\n")
        for path, _ in info["articles"]:
            f.write(lua_string(server.article_url(path)) + ",\n")
        f.write("}\n"
                "local n = 0\n"
                "function setup(thread)\n"
                "  n = n + 1\n"
                "  thread:set(\"id\", n)\n"
                "end\n"
                "function init(args)\n"
                f"  math.randomseed({SEED} * 1000 + id)\n"
                "end\n"
                "function request()\n"
                "  return wrk.format(\"GET\", paths[math.random(#paths)])\n"
                "end\n")
    return script


def check_articles(server, info):
    """CHECKED random articles: each answers 200 with its own <h1>. Returns the mean size on
    the wire and the one-client latencies."""
    rng = random.Random(SEED)
    sample = rng.sample(info["articles"], min(CHECKED, len(info["articles"])))
    client = Client(server.port, server.cookie)
    sizes, lat = [], []
    for path, title in sample:
        status, headers, body, ms = client.get(server.article_url(path))
        want = f"<h1>{html.escape(title, quote=False)}</h1>".encode()
        if status != 200 or want not in body:
            raise BenchError(f"{server.label}: GET {server.article_url(path)} answered {status} "
                             f"(Location {headers.get('Location')}) without {want!r}:\n"
                             f"{body[:400]!r}")
        sizes.append(wire_size(headers, body))
        lat.append(ms)
    client.close()
    return statistics.mean(sizes), lat


def sequential(server, items, url_of, parse):
    """One client, ROUNDS rounds over items: latencies in ms (all, and per item), and what the
    first answer to each said."""
    client = Client(server.port, server.cookie)
    seen = {}
    for key in items:  # warm-up round, and the answers checked
        status, _, body, _ = client.get(url_of(key))
        if status != 200:
            raise BenchError(f"{server.label}: GET {url_of(key)} answered {status}")
        seen[key] = parse(body)
    per = {key: [] for key in items}
    for _ in range(ROUNDS):
        for key in items:
            status, _, _, ms = client.get(url_of(key))
            if status != 200:
                raise BenchError(f"{server.label}: GET {url_of(key)} answered {status}")
            per[key].append(ms)
    client.close()
    return [x for v in per.values() for x in v], per, seen


def measure(server, info, root, duration):
    out = {"label": server.label}
    mean_wire, one = check_articles(server, info)
    out["article_wire"], out["article_one"] = mean_wire, one
    print(f"library bench: {server.label}: {CHECKED} random articles checked (200, their "
          f"<h1>), {mean_wire:,.0f} B each on the wire on average; wrk, {CONNECTIONS} "
          f"connections, {duration} s ...", flush=True)
    script = article_script(server, info, root)
    url = f"http://{HOST}:{server.port}{server.article_url(info['articles'][0][0])}"
    forum.wrk_with(url, WARMUP, server.cookie, server.pid, script, CONNECTIONS)
    with Profile(f"library-articles-{server.label}", server.pid) if server.label == "cartable" \
            else _nothing():
        res = forum.wrk_with(url, duration, server.cookie, server.pid, script, CONNECTIONS)
    if res["non2xx"] or res["sockerr"]:
        raise BenchError(f"{server.label}: {res['non2xx']} non-2xx/3xx responses, "
                         f"{res['sockerr']} socket errors:\n{res['raw']}")
    per = res["bytes_per_resp"]
    if per is None or abs(per - mean_wire) > 0.15 * mean_wire:
        raise BenchError(f"{server.label}: wrk read {per:.0f} B per response, the checked "
                         f"articles average {mean_wire:.0f} B: not the articles?")
    out["articles"] = res
    out["peak_articles"] = res["server_max_rss_kib"]

    out["suggest"] = out["search"] = None
    if "suggest" not in server.missing:
        prefixes = [p["q"] for p in info["prefixes"]]
        lat, per_item, seen = sequential(server, prefixes, server.suggest_url,
                                         server.suggestions)
        out["suggest"] = {"all": lat, "per": per_item, "counts": seen}
        print(f"library bench: {server.label}: suggestions p99 {ms(pct(lat, 99))} "
              f"({', '.join(f'{p!r}: {n}' for p, n in seen.items())})", flush=True)

    if "search" not in server.missing:
        queries = [q["q"] for q in info["queries"]]
        lat, per_item, seen = sequential(server, queries, server.search_url, server.search_hits)
        out["search"] = {"all": lat, "per": per_item, "hits": seen}
        # Cartable must find every rare word (a search that finds nothing is fast, and its
        # time would say nothing); kiwix-serve is the reference: its misses go in the notes.
        for q in info["queries"] if server.label == "cartable" else []:
            if q.get("paths") and not seen[q["q"]][1] & set(q["paths"]):
                raise BenchError(f"{server.label}: the search for {q['q']!r} (in no title) "
                                 f"links to none of the {len(q['paths'])} articles that hold it")
        print(f"library bench: {server.label}: full-text p99 {ms(pct(lat, 99))}", flush=True)
    out["rss"] = status_kib(server.pid, "VmRSS")
    out["hwm"] = status_kib(server.pid, "VmHWM")
    out["threads"] = status_kib(server.pid, "Threads")
    return out


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass


# ---------------------------------------------------------------- the report

def ms(x):
    return "n/a" if x is None else (f"{x:.2f} ms" if x < 10 else f"{x:.0f} ms")


def mib(kib):
    return "n/a" if kib is None else f"{kib / 1024:.1f} MiB"


def verdict(ok):
    return "PASS" if ok else "**FAIL**"


def found(hits, expected=None):
    total, paths = hits
    text = (f"{total:,} hits" if isinstance(total, int) else f"{total} hits" if total
            else f"{len(paths)} shown")
    if expected and not total and not paths:
        text += ": misses them, so its time says nothing"
    return text


def table(info, k, c, idx, before, duration, missing, pages):
    """Rows: (metric, cartable, kiwix-serve, target, result). pages: Cartable's pages not
    built yet ("suggest"/"search" -> why)."""
    na = f"n/a ({missing})" if missing else "n/a"
    rows = []
    ka = k["articles"]
    ca = c["articles"] if c else None
    rows.append((f"Random articles ({info['count']:,}), {CONNECTIONS} conn, "
                 f"{forum.THREADS} thr, {duration} s: throughput",
                 f"**{ca['rps']:,.0f} articles/s**" if c else na,
                 f"{ka['rps']:,.0f} articles/s",
                 "≥ kiwix-serve", verdict(ca["rps"] >= ka["rps"]) if c else "n/a"))
    rows.append(("Random articles: latency p50 / p90 / **p99**",
                 f"{ms(ca['p50'])} / {ms(ca['p90'])} / **{ms(ca['p99'])}**" if c else "n/a",
                 f"{ms(ka['p50'])} / {ms(ka['p90'])} / {ms(ka['p99'])}", "(report p99)", "info"))
    rows.append(("Random articles: CPU (server / wrk / other processes), cores",
                 f"{ca['server_cores']:.2f} / {ca['wrk_cores']:.2f} / {ca['others_cores']:.2f}"
                 if c else "n/a",
                 f"{ka['server_cores']:.2f} / {ka['wrk_cores']:.2f} / {ka['others_cores']:.2f}",
                 "—", "info"))
    rows.append(("Random articles per second of server CPU",
                 f"{ca['rps'] / max(ca['server_cores'], 0.01):,.0f}" if c else "n/a",
                 f"{ka['rps'] / max(ka['server_cores'], 0.01):,.0f}", "—", "info"))
    rows.append((f"One article at a time, one client ({CHECKED} checked): p50 / p99",
                 f"{ms(statistics.median(c['article_one']))} / {ms(pct(c['article_one'], 99))}"
                 if c else "n/a",
                 f"{ms(statistics.median(k['article_one']))} / {ms(pct(k['article_one'], 99))}",
                 "—", "info"))
    ks, cs = k["suggest"], c["suggest"] if c else None
    no_cs = f"n/a ({pages['suggest']})" if c and not cs else "n/a"
    no_cq = f"n/a ({pages['search']})" if c and "search" in pages else "n/a"
    rows.append((f"Title suggestions, one client, {len(info['prefixes'])} prefixes × {ROUNDS}: "
                 "p50 / **p99**",
                 f"{ms(statistics.median(cs['all']))} / **{ms(pct(cs['all'], 99))}**" if cs
                 else no_cs,
                 f"{ms(statistics.median(ks['all']))} / {ms(pct(ks['all'], 99))}",
                 "(report p99)", "info"))
    rows.append(("Title suggestions returned per prefix: " + ", ".join(
        f"`{p['q'] if len(p['q']) < 16 else p['q'][:14] + '…'}`" for p in info["prefixes"]),
        " / ".join(str(cs["counts"][p["q"]]) for p in info["prefixes"]) if cs else no_cs,
        " / ".join(str(ks["counts"][p["q"]]) for p in info["prefixes"]), "—", "info"))
    kq, cq = k["search"], c["search"] if c else None
    for q in info["queries"]:
        kl = kq["per"][q["q"]]
        label = f"Full text {q['label']} `{q['q']}` (in {q['articles']:,} articles)" \
            if q["articles"] is not None else f"Full text {q['label']} `{q['q']}`"
        if cq:
            cl = cq["per"][q["q"]]
            cell = (f"{ms(statistics.median(cl))} / **{ms(pct(cl, 99))}** "
                    f"({found(cq['hits'][q['q']], q['articles'])})")
        else:
            cell = no_cq
        rows.append((label + ": p50 / **p99**", cell,
                     f"{ms(statistics.median(kl))} / {ms(pct(kl, 99))} "
                     f"({found(kq['hits'][q['q']], q['articles'])})",
                     f"p99 < {SEARCH_TARGET_MS} ms",
                     verdict(pct(cl, 99) < SEARCH_TARGET_MS) if cq else "n/a"))
    rows.append((f"Full text, all {len(info['queries'])} queries × {ROUNDS}, one client: "
                 "p50 / **p99**",
                 f"{ms(statistics.median(cq['all']))} / **{ms(pct(cq['all'], 99))}**" if cq
                 else no_cq,
                 f"{ms(statistics.median(kq['all']))} / {ms(pct(kq['all'], 99))}",
                 f"p99 < {SEARCH_TARGET_MS} ms",
                 verdict(pct(cq["all"], 99) < SEARCH_TARGET_MS) if cq else "n/a"))
    rows.append(("Full-text index ready after `library add` (Cartable builds it; the ZIM's "
                 "Xapian index is kiwix-serve's)",
                 f"{idx['index_s']:.1f} s (add {idx['add_s']:.1f} s; {idx['how']})"
                 if idx and idx["index_s"] is not None else no_cq, "0 s (prebuilt in the file)", "—", "info"))
    rows.append(("Resident memory after the run: VmRSS / VmHWM",
                 f"{mib(c['rss'])} / {mib(c['hwm'])}" if c else "n/a",
                 f"{mib(k['rss'])} / {mib(k['hwm'])}", "(report)", "info"))
    kcell = (f"{kiwix_cache()}; since start: — / +{mib(k['peak_articles'] - k['idle'])} / "
             f"+{mib(k['hwm'] - k['idle'])}")
    label = ("Cluster cache, configured; resident memory's growth since before `library add` "
             "(kiwix-serve: since its start): index ready / **peak during the article run** / "
             "VmHWM")
    if c:
        base = before.get("rss") or 0
        growth = c["peak_articles"] - base
        rows.append((label,
                     f"cache {CACHE_MB} MiB; +{mib((before.get('ready_rss') or 0) - base)} / "
                     f"**+{mib(growth)}** / +{mib((c['hwm'] or 0) - base)}",
                     kcell, f"peak ≤ cache + {CACHE_SLACK_MIB} MiB",
                     verdict(growth <= (CACHE_MB + CACHE_SLACK_MIB) * 1024)))
    else:
        rows.append((label, na, kcell, f"peak ≤ cache + {CACHE_SLACK_MIB} MiB", "n/a"))
    return rows


def kiwix_cache():
    n = os.environ.get("ZIM_CLUSTERCACHE")
    return (f"ZIM_CLUSTERCACHE={n} clusters" if n
            else "libzim's default cluster cache (counted in clusters, not bytes)")


def run(binary, duration):
    cores = len(os.sched_getaffinity(0))
    t_begin = time.monotonic()
    load_start = loadavg()
    busy = dict(foreign_busy_processes([]))
    print(f"library bench: {cores} cores, load average {load_start}", flush=True)
    root = tempfile.mkdtemp(prefix="cartable-bench-library-")
    bench.TEMPDIRS.append(root)
    zim, info = make_collection(root)

    # ---------------------------------------------------------- kiwix-serve
    kiwix = Kiwix(zim, root)
    kiwix.start()
    kiwix.prepare(info)
    time.sleep(0.5)
    print(f"library bench: {kiwix.version} serving http://{HOST}:{kiwix.port} (pid "
          f"{kiwix.pid}): articles at {kiwix.article_prefix}…, suggestions at "
          f"{kiwix.suggest_prefix}…, search at {kiwix.search_prefix}…", flush=True)
    k_idle = status_kib(kiwix.pid, "VmRSS")
    k = measure(kiwix, info, root, duration)
    k["idle"] = k_idle
    busy.update(foreign_busy_processes([p.pid for p in bench.CHILDREN]))
    kiwix.proc.send_signal(signal.SIGTERM)
    try:
        kiwix.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        kiwix.proc.kill()

    # ---------------------------------------------------------- Cartable
    cart = Cartable(binary, zim, root)
    c, idx, before, missing = None, None, {}, None
    try:
        idx = cart.start(info, before)
        cart.prepare(info)
        print(f"library bench: cartable serving http://{HOST}:{cart.port} (pid {cart.pid}), "
              f"cluster cache {CACHE_MB} MiB; resident before `library add` "
              f"{mib(before.get('rss'))}", flush=True)
        c = measure(cart, info, root, duration)
        busy.update(foreign_busy_processes([p.pid for p in bench.CHILDREN]))
    except BenchError as e:
        # kiwix-serve was measured: its column is still worth printing.
        missing = str(e)
        c = None
    elapsed = time.monotonic() - t_begin

    rows = table(info, k, c, idx, before, duration,
                 None if not missing else "cartable has no `library` command yet"
                 if missing.startswith("cartable has no") else "not measured, see below",
                 cart.missing)
    head = ("library metric", "cartable", "kiwix-serve", "target", "result")
    print()
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print()
    kh = k["search"]["hits"]
    # An accented query that finds nothing while its accent-free twin finds articles.
    acc = [q for q in info["queries"] if q["label"] == "accented word"]
    folded = [q for q in info["queries"] if q["label"].startswith("same word")]
    unfolded = bool(acc and folded and not kh[acc[0]["q"]][0] and kh[folded[0]["q"]][0])
    notes = [
        f"Machine: {cores} cores; load average {load_start} at the start, {loadavg()} at the "
        f"end; the library part took {elapsed:.0f} s. Each server ran alone, kiwix-serve "
        "first; wrk runs on the same cores as the server it measures.",
        f"Collection: {info['count']:,} articles of French-like text ({info['vocabulary']} "
        f"words, accents), {os.path.getsize(zim) / 2 ** 20:.1f} MiB as zstd clusters, "
        f"{info['html_bytes'] / 2 ** 20:.0f} MiB of HTML decompressed, written by PyPI's "
        f"libzim in {info['write_seconds']:.0f} s (tests/bench/make_library.py, seed "
        f"{info['seed']}). Both servers read the same file; the page cache was warm for both.",
        f"kiwix-serve: {kiwix.version}, as Debian ships it (its default threads, its top bar "
        f"in articles); articles averaged {k['article_wire']:,.0f} B on the wire, wrk read "
        f"{k['articles']['bytes_per_resp']:,.0f} B per response"
        + (f"; Cartable's {c['article_wire']:,.0f} B and {c['articles']['bytes_per_resp']:,.0f} B"
           if c else "") + ". Every wrk run had no error and no non-2xx answer.",
        "Hits: kiwix-serve's page announces a total; Cartable's column counts the total its "
        "page announces, or else the hits it shows (one page). kiwix-serve's search for "
        + ", ".join(f"`{q['q']}` found {found(kh[q['q']])}" for q in info["queries"])
        + (f": `{acc[0]['q']}` finds nothing where `{folded[0]['q']}` finds "
           f"{kh[folded[0]['q']][0]:,}; this kiwix-serve's libzim does not fold the accents of "
           "a query, while the collection's index, written by a newer libzim, holds the words "
           "folded. Its times for accented queries are those of finding nothing."
           if unfolded else "."),
    ]
    if c and idx:
        ready = (f"index ready when {idx['how']}" if idx["index_s"] is not None
                 else "no full-text search yet, so no index waited for")
        notes.append(f"Cartable: {ready}; resident memory before `library add` "
                     f"{mib(before.get('rss'))}, then {mib(before.get('ready_rss'))} before "
                     "the article run. The cache's bound is judged on the "
                     "largest resident memory sampled during the random-article run, when every "
                     "cluster is wanted in turn: a cache that kept them all would hold about "
                     f"{info['html_bytes'] / 2 ** 20:.0f} MiB more; {CACHE_SLACK_MIB} MiB is "
                     "left for the rest (connections, buffers, the search index's pages).")
    others = max([k["articles"]["others_cores"]] + ([c["articles"]["others_cores"]] if c else []))
    if others > 0.25:
        notes.append(f"**Shared machine**: other processes used up to {others:.2f} cores during "
                     "the article runs (see the CPU rows); compare articles per second of "
                     "server CPU.")
    if busy:
        notes.append("**Disturbed run**: other heavy processes were running during the "
                     f"benchmark ({', '.join(f'{n}×{v}' for n, v in sorted(busy.items()))}); "
                     "re-run when the machine is quiet.")
    elif others <= 0.25:
        notes.append("No concurrent compiler, browser or VM was seen during the run.")
    for n in notes:
        print(f"- {n}")
    if missing:
        print(f"\nlibrary bench: could not measure Cartable: {missing}", file=sys.stderr)
        return 2
    if cart.missing:
        print("\nlibrary bench: Cartable measured in part: "
              + "; ".join(cart.missing.values()), file=sys.stderr)
        return 2
    missed = (c["articles"]["rps"] < k["articles"]["rps"]
              or any(pct(v, 99) >= SEARCH_TARGET_MS for v in c["search"]["per"].values())
              or c["peak_articles"] - (before.get("rss") or 0) > (CACHE_MB + CACHE_SLACK_MIB) * 1024)
    if missed and os.environ.get("BENCH_STRICT") == "1":
        return 1
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default="target/release/cartable")
    ap.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "10")))
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, bench.on_signal)
    try:
        return run(binary, args.duration)
    except BenchError as e:
        print(f"\nlibrary bench: could not measure: {e}", file=sys.stderr)
        return 2
    finally:
        stop_all()


if __name__ == "__main__":
    sys.exit(main())

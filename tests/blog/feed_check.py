#!/usr/bin/env python3
"""A news reader reads a Cartable blog's Atom feed.

    python3 tests/blog/feed_check.py URL EXPECTED.json

It fetches URL with no cookie (a news reader has none) and parses it with Python's
`feedparser`, the parser most feed readers are built on, then checks: the document is
well-formed Atom 1.0 (no "bozo" error), its title and links, and its entries, newest first: each
expected one by title, with its link, its dates, its author (or none: a pupil's name never goes
out on a public feed) and a piece of its text.

EXPECTED.json: {"title": "...", "entries": [{"title": "...", "author": "..." or null,
"text": "..."}]}

Prints what differs and exits 1, or prints "ok" and exits 0. Run by tests/it/blog_web.rs.
"""

import json
import sys
import urllib.request

try:
    import feedparser
except ImportError:
    print("Python's feedparser package is missing: run tests/install-deps.sh", file=sys.stderr)
    sys.exit(2)


def main():
    url, expected_path = sys.argv[1], sys.argv[2]
    with open(expected_path, encoding="utf-8") as f:
        expected = json.load(f)
    with urllib.request.urlopen(url, timeout=10) as r:
        ctype = r.headers.get("Content-Type", "")
        data = r.read()
    problems = []
    if not ctype.startswith("application/atom+xml"):
        problems.append(f"Content-Type {ctype!r}")
    feed = feedparser.parse(data)
    if feed.bozo:
        problems.append(f"not well-formed: {feed.bozo_exception!r}")
    if feed.version != "atom10":
        problems.append(f"version {feed.version!r}, not atom10")
    if feed.feed.get("title") != expected["title"]:
        problems.append(f"feed title {feed.feed.get('title')!r}, not {expected['title']!r}")
    if not any(link.get("rel") == "self" for link in feed.feed.get("links", [])):
        problems.append("no rel=self link")
    got = [e.get("title") for e in feed.entries]
    want = [e["title"] for e in expected["entries"]]
    if got != want:
        problems.append(f"entries {got!r}, not {want!r}")
    ids = [e.get("id") for e in feed.entries]
    if len(set(ids)) != len(ids) or not all(ids):
        problems.append(f"entry ids not unique: {ids!r}")
    for e, x in zip(feed.entries, expected["entries"]):
        if not e.get("link", "").startswith("http"):
            problems.append(f"{x['title']}: link {e.get('link')!r}")
        if not e.get("published_parsed") or not e.get("updated_parsed"):
            problems.append(f"{x['title']}: dates missing")
        author = e.get("author")
        if author != x["author"]:
            problems.append(f"{x['title']}: author {author!r}, not {x['author']!r}")
        text = " ".join(c.get("value", "") for c in e.get("content", []))
        if x["text"] not in text:
            problems.append(f"{x['title']}: text {x['text']!r} not in {text!r}")
        if "<script" in text.lower():
            problems.append(f"{x['title']}: a script in the content")
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()

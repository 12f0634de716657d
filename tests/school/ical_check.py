#!/usr/bin/env python3
"""A calendar client reads a Cartable agenda feed, as a phone's calendar would.

    python3 tests/school/ical_check.py URL EXPECTED.json

It fetches URL with no cookie (a subscribed calendar has none), checks the bytes against RFC
5545's strict rules (CRLF line ends, lines of at most 75 octets, folded lines starting with one
space), parses the feed with Python's `icalendar` package, and compares its events with the
expected ones: the same number, and for each (found by summary) its start and end (UTC instants
or whole days), location, description and category. UIDs must be unique.

EXPECTED.json: {"domain": "school.example", "events": [{"summary": "...", "start":
"2026-05-04T08:00:00Z" or "2026-05-04", "end": ... or null, "location": "...",
"description": "...", "category": "..."}]}

Prints what differs and exits 1, or prints "ok" and exits 0. Run by tests/it/school_agenda.rs.
"""

import datetime
import json
import sys
import urllib.request

try:
    import icalendar
except ImportError:
    print("Python's icalendar package is missing: run tests/install-deps.sh", file=sys.stderr)
    sys.exit(2)


def when(value):
    """An expected time as the parser gives it: an aware UTC datetime, or a date."""
    if value is None:
        return None
    if "T" in value:
        return datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=datetime.timezone.utc)
    return datetime.date.fromisoformat(value)


def got_time(component, name):
    prop = component.get(name)
    if prop is None:
        return None
    dt = prop.dt
    if isinstance(dt, datetime.datetime):
        if dt.tzinfo is None:
            raise AssertionError(f"{name} {dt} is a floating time, not UTC")
        return dt.astimezone(datetime.timezone.utc)
    return dt


def categories(component):
    """The event's categories, whatever the icalendar version makes of them."""
    raw = component.get("categories")
    if raw is None:
        return []
    items = raw if isinstance(raw, list) else [raw]
    out = []
    for item in items:
        cats = getattr(item, "cats", None)
        if cats is not None:
            out.extend(str(c) for c in cats)
        else:
            out.append(str(item))
    return out


def check_bytes(data, problems):
    if not data.endswith(b"\r\n"):
        problems.append("the feed does not end with CRLF")
    lines = data.split(b"\r\n")[:-1]
    for n, line in enumerate(lines, 1):
        if b"\n" in line or b"\r" in line:
            problems.append(f"line {n} has a bare line break")
        if len(line) > 75:
            problems.append(f"line {n} has {len(line)} octets: {line[:40]!r}…")
        if line.startswith(b"  "):
            problems.append(f"line {n} is folded with more than one space")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"line {n} cuts a UTF-8 character in two")
    if not lines or lines[0] != b"BEGIN:VCALENDAR" or lines[-1] != b"END:VCALENDAR":
        problems.append("the feed is not one VCALENDAR")


def main():
    url, expected_path = sys.argv[1], sys.argv[2]
    with open(expected_path, encoding="utf-8") as f:
        expected = json.load(f)
    problems = []
    with urllib.request.urlopen(url, timeout=30) as resp:
        ctype = resp.headers.get("Content-Type", "")
        data = resp.read()
    if not ctype.startswith("text/calendar"):
        problems.append(f"Content-Type is {ctype!r}")
    check_bytes(data, problems)
    cal = icalendar.Calendar.from_ical(data)
    if str(cal.get("version")) != "2.0":
        problems.append(f"VERSION is {cal.get('version')!r}")
    events = list(cal.walk("VEVENT"))
    want = expected["events"]
    if len(events) != len(want):
        problems.append(f"{len(events)} events, expected {len(want)}: "
                        f"{sorted(str(e.get('summary')) for e in events)}")
    uids = [str(e.get("uid")) for e in events]
    if len(set(uids)) != len(uids):
        problems.append(f"UIDs repeat: {uids}")
    for uid in uids:
        if not uid.endswith("@" + expected["domain"]):
            problems.append(f"UID {uid} is not @{expected['domain']}")
    by_summary = {str(e.get("summary")): e for e in events}
    for w in want:
        e = by_summary.get(w["summary"])
        if e is None:
            problems.append(f"no event {w['summary']!r}")
            continue
        for name, key in [("dtstart", "start"), ("dtend", "end")]:
            got, exp = got_time(e, name), when(w[key])
            if type(got) is not type(exp) or got != exp:
                problems.append(f"{w['summary']}: {name} is {got!r}, expected {exp!r}")
        for name, key in [("location", "location"), ("description", "description")]:
            got = str(e.get(name, ""))
            if got != w[key]:
                problems.append(f"{w['summary']}: {name} is {got!r}, expected {w[key]!r}")
        if categories(e) != [w["category"]]:
            problems.append(f"{w['summary']}: categories {categories(e)!r}, expected {[w['category']]!r}")
        if e.get("dtstamp") is None:
            problems.append(f"{w['summary']}: no DTSTAMP")
    if problems:
        for p in problems:
            print(p)
        return 1
    print(f"ok: {len(events)} events")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What the identity-provider test drives Cartable with: `cartable serve` on free loopback ports,
the CLI, and a cookie-jar HTTP client that follows redirects by hand so that every hop of a
login or logout can be checked (standard library only).

    b = Browser(ca_file)                   # trusts the school's CA, verifies host names
    hop = b.request("GET", url)            # one request, no redirect followed
    hops = b.follow("GET", url)            # every hop until a page that is not a redirect
    describe(hops)                         # the chain, one `METHOD url -> status location` a line
"""

import html.parser
import http.cookiejar
import json
import os
import re
import select
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

HOST = "127.0.0.1"
DEADLINE = 30  # seconds any single wait may take before it counts as a failure
MAX_HOPS = 15


class Failure(AssertionError):
    pass


def expect(cond, what):
    if not cond:
        raise Failure(what)


def wait_for(what, probe, deadline=DEADLINE, every=0.2):
    """Calls probe() until it returns something truthy; fails after `deadline` seconds."""
    end = time.monotonic() + deadline
    last = None
    while True:
        try:
            got = probe()
        except OSError as e:
            got, last = None, e
        if got:
            return got
        if time.monotonic() > end:
            raise Failure(f"{what}: not within {deadline} s" + (f" (last error: {last!r})"
                                                                 if last else ""))
        time.sleep(every)


def parse_lines(text, sep):
    """`NAME<sep>value` lines into a dict (the first occurrence of a name wins)."""
    out = {}
    for line in text.splitlines():
        if sep in line:
            k, v = line.split(sep, 1)
            out.setdefault(k.strip(), v)
    return out


# ---------------------------------------------------------------- the server

class Server:
    """`cartable serve` on free loopback ports (every door, so that none takes a fixed port)."""

    DOORS = {
        "http": r"listening on http://(\S+) \(portal\)",
        "https": r"listening on https://(\S+) \(portal\)",
    }

    def __init__(self, binary, data, log_path):
        self.log_path = log_path
        self.log = open(log_path, "ab")
        self.proc = subprocess.Popen(
            [binary, "--data", data, "serve", "--http", f"{HOST}:0", "--https", f"{HOST}:0",
             "--smtp", f"{HOST}:0", "--submission", f"{HOST}:0", "--submissions", f"{HOST}:0"],
            stdout=subprocess.PIPE, stderr=self.log, stdin=subprocess.DEVNULL)
        self.addr = {}
        lines = []
        buf, end = b"", time.monotonic() + DEADLINE
        while len(self.addr) < len(self.DOORS) and time.monotonic() < end:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.2)
            if not ready:
                if self.proc.poll() is not None:
                    break
                continue
            chunk = os.read(self.proc.stdout.fileno(), 4096)
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                line = line.decode("utf-8", "replace")
                lines.append(line)
                for door, pattern in self.DOORS.items():
                    m = re.search(pattern, line)
                    if m:
                        self.addr[door] = m.group(1)
        missing = [d for d in self.DOORS if d not in self.addr]
        if missing:
            self.stop()
            raise Failure(f"the server did not print its {', '.join(missing)} address(es); "
                          f"stdout {lines!r}\n{self.log_tail()}")
        threading.Thread(target=self._drain, daemon=True).start()
        self.http_port = self.port("http")

        def healthy():
            with urllib.request.urlopen(f"http://{HOST}:{self.http_port}/healthz",
                                        timeout=5) as r:
                return r.status == 200
        wait_for("the server answers /healthz", healthy)

    def _drain(self):
        try:
            while os.read(self.proc.stdout.fileno(), 4096):
                pass
        except (OSError, ValueError):
            pass

    def port(self, door):
        return int(self.addr[door].rsplit(":", 1)[1])

    def log_tail(self, lines=25):
        self.log.flush()
        try:
            with open(self.log_path, errors="replace") as f:
                return "server log (last lines):\n" + "".join(f.readlines()[-lines:])
        except OSError:
            return "(no server log)"

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.log.close()


def cli(binary, data, *args, stdin=None, check=True):
    r = subprocess.run([binary, "--data", data, *args], input=stdin, capture_output=True,
                       text=True, timeout=120, stdin=None if stdin is not None else
                       subprocess.DEVNULL)
    if check and r.returncode != 0:
        raise Failure(f"cartable {' '.join(args)} failed ({r.returncode}): "
                      f"{(r.stderr or r.stdout).strip()}")
    return r.stdout


# ---------------------------------------------------------------- pages and forms

class Form:
    def __init__(self, action, method):
        self.action, self.method = action, method
        self.fields = {}
        self.has_password = False


class Forms(html.parser.HTMLParser):
    """Every <form> of a page with its action and named inputs (hidden ones with their value)."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.current = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.current = Form(a.get("action") or "", (a.get("method") or "get").lower())
            self.forms.append(self.current)
        elif tag in ("input", "button") and self.current is not None and a.get("name"):
            if a.get("type") == "password":
                self.current.has_password = True
            if tag == "input" and a.get("type") in ("checkbox", "radio") and \
                    "checked" not in a:
                return
            self.current.fields.setdefault(a["name"], a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def forms_of(body):
    p = Forms()
    p.feed(body)
    return p.forms


def login_form(body):
    """The page's form with a password field, or None."""
    for f in forms_of(body or ""):
        if f.has_password:
            return f
    return None


class Hop:
    """One request and its answer."""

    def __init__(self, method, url, status, headers, body):
        self.method, self.url, self.status, self.headers = method, url, status, headers
        self.body = body.decode("utf-8", "replace")
        loc = headers.get("Location")
        self.location = urllib.parse.urljoin(url, loc) if loc else None

    def query(self):
        return {k: v[0] for k, v in
                urllib.parse.parse_qs(urllib.parse.urlsplit(self.url).query).items()}

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            raise Failure(f"{self.method} {self.url} did not answer JSON: {self.body[:300]!r}")

    def forms(self):
        return forms_of(self.body)

    def text(self):
        body = re.sub(r"(?s)<(script|style|head)\b.*?</\1>", " ", self.body)
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip()

    def __repr__(self):
        return (f"{self.method} {self.url} -> {self.status}"
                + (f" {self.location}" if self.location else ""))


def describe(hops):
    return "\n".join(f"  {h!r}" for h in hops) or "  (no request)"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A cookie jar and a TLS context that trusts the school's CA; sends `Origin` on a POST as
    a browser does."""

    def __init__(self, ca_file):
        self.jar = http.cookiejar.CookieJar()
        ctx = ssl.create_default_context(cafile=ca_file)
        self.opener = urllib.request.build_opener(
            _NoRedirect(), urllib.request.HTTPCookieProcessor(self.jar),
            urllib.request.HTTPSHandler(context=ctx))

    def request(self, method, url, fields=None, headers=None, origin=True):
        data = None
        h = {"User-Agent": "cartable-idp-test", "Accept": "text/html,application/json,*/*"}
        if fields is not None:
            data = urllib.parse.urlencode(fields).encode()
            h["Content-Type"] = "application/x-www-form-urlencoded"
            if origin:
                u = urllib.parse.urlsplit(url)
                h["Origin"] = f"{u.scheme}://{u.netloc}"
        h.update(headers or {})
        req = urllib.request.Request(url, data=data, method=method, headers=h)
        try:
            with self.opener.open(req, timeout=30) as r:
                return Hop(method, url, r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            return Hop(method, url, e.code, e.headers, e.read())

    def follow(self, method, url, fields=None, max_hops=MAX_HOPS):
        """Requests `url`, then every Location it is sent to (a GET after a 301, 302 or 303,
        the same request after a 307 or 308), until an answer that is not a redirect."""
        hops = []
        while True:
            hop = self.request(method, url, fields)
            hops.append(hop)
            if hop.status not in (301, 302, 303, 307, 308) or not hop.location:
                return hops
            if len(hops) >= max_hops:
                raise Failure(f"more than {max_hops} redirects (a loop?):\n{describe(hops)}")
            if hop.status not in (307, 308):
                method, fields = "GET", None
            url = hop.location

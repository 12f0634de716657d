"""The school's side of the image memory benchmark (image_memory.py): a day's first lesson,
done over HTTPS as browsers would, against the box's forwarded port 443 and verified against
the school's CA. Python's standard library only.

  setup (the office and a teacher, one at a time, as they would):
    - the admin imports a class list through the real CSV import page (upload, preview,
      import): 30 pupils and their teacher in one class;
    - prints the class's login slips (the pupils' first passwords) and resets the teacher's
      password (a slip too);
    - the teacher logs in, chooses a password, opens a homework drop box for the class and
      starts a topic in the class's forum with enough replies for two pages;
  the class (every pupil at once, one thread each, one kept-alive connection each):
    - all log in at the same moment with their slip (argon2id verifications all at once: the
      server's semaphore bounds them), are sent to choose a password and do (a verification
      and a hash each), hand in a homework file of 1 to 5 MiB, read the forum (front page,
      class category, both pages of the topic) and their dashboard;
    - then all log out and log in again at the same moment with their own password, and
      read the topic again.
Every request's answer is checked (status, and where it leads); a failure, an exception or a
timeout is counted and reported, and the caller fails the measurement.
"""

import html.parser
import http.client
import os
import re
import socket
import ssl
import threading
import time
import urllib.parse

CLASS = "6e A"
TEACHER = ("Mariama", "Sankara", "m.sankara")
NEW_PASSWORD = "cahier-de-texte-{}"  # each pupil's own, meets the rules
TEACHER_PASSWORD = "tableau-noir-2024"
TOPIC_REPLIES = 60  # two pages of the topic (50 posts a page)


class SchoolError(Exception):
    """The school could not be set up: the measurement cannot go on."""


class Inputs(html.parser.HTMLParser):
    """A page's form inputs and checkboxes (name -> values), for CSRF tokens and ids."""

    def __init__(self):
        super().__init__()
        self.values = {}

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            a = dict(attrs)
            if "name" in a:
                self.values.setdefault(a["name"], []).append(a.get("value") or "")


def inputs(body):
    p = Inputs()
    p.feed(body)
    return p.values


def csrf_of(body):
    v = inputs(body).get("csrf")
    if not v:
        raise SchoolError("a page without its csrf field")
    return v[0]


class Conn(http.client.HTTPSConnection):
    """HTTPS to 127.0.0.1:port (QEMU's forward), with `name` as SNI and checked name."""

    def __init__(self, port, ctx, name, timeout):
        super().__init__(name, port, context=ctx, timeout=timeout)
        self.forward = port

    def connect(self):
        sock = socket.create_connection(("127.0.0.1", self.forward), timeout=self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class Browser:
    """One user's browser: a cookie jar and a kept-alive connection (opened again when the
    server closes it). Counts its requests; `request` raises on no answer."""

    def __init__(self, port, ca_pem, name, timeout):
        self.port, self.name, self.timeout = port, name, timeout
        self.ctx = ssl.create_default_context(cadata=ca_pem)
        self.cookies = {}
        self.conn = None
        self.requests = 0

    def close(self):
        if self.conn:
            self.conn.close()
            self.conn = None

    def request(self, method, path, body=None, headers=None):
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.requests += 1
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = Conn(self.port, self.ctx, self.name, self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=h)
                r = self.conn.getresponse()
                data = r.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A kept-alive connection the server closed between two requests: once more
                # on a new one, as a browser does. A timeout is not retried.
                self.close()
                if attempt:
                    raise
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                value = rest.split(";", 1)[0]
                if value:
                    self.cookies[name.strip()] = value
                else:
                    self.cookies.pop(name.strip(), None)
        if r.getheader("Connection", "").lower() == "close":
            self.close()
        return r.status, r.getheader("Location", ""), data.decode("utf-8", "replace")

    def get(self, path, want=200):
        status, where, body = self.request("GET", path)
        if status != want:
            raise SchoolError(f"GET {path} answered {status}, not {want}")
        return body if want == 200 else where

    def post(self, path, fields, want=303, files=None):
        if files is None:
            body = urllib.parse.urlencode(fields, doseq=True).encode()
            ctype = "application/x-www-form-urlencoded"
        else:
            body, ctype = multipart(fields, files)
        status, where, page = self.request("POST", path, body=body,
                                           headers={"Content-Type": ctype})
        if status != want:
            errors = re.findall(r'class="error"[^>]*>([^<]*)', page)
            raise SchoolError(f"POST {path} answered {status}, not {want} {errors[:2]}")
        return where if want == 303 else page

    def login(self, username, password):
        """Returns where the login sends the user (/password on a slip's first use)."""
        body = self.get("/login")
        return self.post("/login", {"csrf": csrf_of(body), "username": username,
                                    "password": password, "next": "/"})

    def change_password(self, current, new):
        body = self.get("/password")
        return self.post("/password", {"csrf": csrf_of(body), "current": current,
                                       "new": new, "confirm": new})

    def logout(self):
        body = self.get("/")
        return self.post("/logout", {"csrf": csrf_of(body)})


def multipart(fields, files):
    """A multipart/form-data body: fields [(name, value)], files [(name, filename, bytes)]."""
    boundary = "----cartable-bench-" + os.urandom(8).hex()
    out = []
    for k, v in fields:
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'
                   f"{v}\r\n".encode())
    for k, name, data in files:
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; '
                   f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                   .encode())
        out.append(data)
        out.append(b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


def class_list(pupils):
    """The office's CSV: the teacher, then the pupils (usernames chosen by the school)."""
    lines = ["nom;prénom;classe;identifiant;rôle"]
    first, last, username = TEACHER
    lines.append(f"{last};{first};{CLASS};{username};enseignant")
    for i, (first, last) in enumerate(pupils, 1):
        lines.append(f"{last};{first};{CLASS};eleve{i:02d};élève")
    return ("\n".join(lines) + "\n").encode()


def slips(page):
    """(username, password) of every slip on a page."""
    users = re.findall(r'<dd class="username">([^<]+)</dd>', page)
    pws = re.findall(r'<dd class="pw">([^<]+)</dd>', page)
    if len(users) != len(pws):
        raise SchoolError("slips with a username and no password")
    return dict(zip((u.strip() for u in users), (p.strip() for p in pws)))


def setup(portal, admin, admin_password, pupils, log):
    """The office and the teacher prepare the lesson. Returns what the class needs:
    {"slips": {username: password}, "homework": path, "category": path, "topic": path}."""
    a = portal()
    where = a.login(admin, admin_password)
    if where.startswith("/password"):
        raise SchoolError("the provisioned admin is asked to change password")
    body = a.get("/admin/import")
    where = a.post("/admin/import", [("csrf", csrf_of(body))],
                   files=[("file", "classe-6eA.csv", class_list(pupils))])
    if not re.fullmatch(r"/admin/import/\w+", where):
        raise SchoolError(f"the CSV upload led to {where!r}, not its preview")
    body = a.get(where)
    if 'class="problem"' in body or "tr class=\"problem" in body:
        raise SchoolError("the class list's preview shows problems")
    a.post(where, {"csrf": csrf_of(body)})
    classes = a.get("/admin/classes")
    m = re.search(r'<a href="(/admin/classes/\d+)">' + re.escape(CLASS) + "</a>", classes)
    if not m:
        raise SchoolError(f"no class {CLASS} after the import")
    page = a.get(m.group(1))
    values = inputs(page)
    ids = values.get("pupil", [])
    if len(ids) != len(pupils):
        raise SchoolError(f"the class page offers {len(ids)} slips, not {len(pupils)}")
    cards = slips(a.post(m.group(1) + "/slips",
                         [("csrf", values["csrf"][0])] + [("pupil", i) for i in ids], want=200))
    if len(cards) != len(pupils):
        raise SchoolError(f"{len(cards)} slips printed for {len(pupils)} pupils")
    t = re.search(r'<a href="/admin/users/(\d+)">[^<]*</a> <span class="hint username">'
                  + re.escape(TEACHER[2]), page)
    if not t:
        raise SchoolError("the teacher is not listed in the class")
    teacher_slip = slips(a.post(f"/admin/users/{t.group(1)}/password",
                                {"csrf": values["csrf"][0],
                                 "back": m.group(1)}, want=200))
    a.close()
    log(f"setup: class {CLASS} imported, {len(cards)} slips printed, the teacher's password "
        "reset")

    tb = portal()
    if tb.login(TEACHER[2], teacher_slip[TEACHER[2]]) != "/password":
        raise SchoolError("the teacher's first login does not ask for a new password")
    tb.change_password(teacher_slip[TEACHER[2]], TEACHER_PASSWORD)
    body = tb.get("/homework")
    cls = re.search(r'<option value="(\d+)"[^>]*>' + re.escape(CLASS) + "</option>", body)
    if not cls:
        raise SchoolError("the teacher cannot open a drop box for the class")
    due = time.strftime("%Y-%m-%dT%H:%M", time.localtime(time.time() + 7 * 86400))
    homework = tb.post("/homework", {"csrf": csrf_of(body), "class": cls.group(1),
                                     "title": "Exposé sur le Nil",
                                     "instructions": "Deux pages, vos sources à la fin.",
                                     "due": due}).split("?")[0]
    if not re.fullmatch(r"/homework/\d+", homework):
        raise SchoolError(f"opening the drop box led to {homework!r}")
    body = tb.get("/forum")
    cat = re.search(r'<a href="(/forum/c/\d+)">\s*<span class="line"><span class="name">'
                    r'[^<]*' + re.escape(CLASS), body)
    if not cat:
        raise SchoolError("no forum category of the class on the teacher's forum page")
    body = tb.get(cat.group(1) + "/new")
    topic = tb.post(cat.group(1) + "/new", {
        "csrf": csrf_of(body), "title": "Questions sur l'exposé", "action": "post",
        "body": "Posez ici vos questions sur **l'exposé**. Le Nil prend sa source au "
                "Burundi; citez vos sources (atlas, encyclopédie de la bibliothèque)."})
    if not re.fullmatch(r"/forum/t/\d+", topic):
        raise SchoolError(f"starting the topic led to {topic!r}")
    body = tb.get(topic)
    token = csrf_of(body)
    for i in range(TOPIC_REPLIES):
        tb.post(topic + "/reply", {
            "csrf": token, "action": "post",
            "body": f"Réponse {i + 1}: une *précision* sur la partie {i % 4 + 1}, avec un "
                    "lien vers la [carte](https://example.org/nil) et une liste:\n\n"
                    "- la source\n- le delta\n- les barrages\n"})
    tb.close()
    log(f"setup: the teacher opened {homework}, started {topic} with {TOPIC_REPLIES} replies")
    return {"slips": cards, "homework": homework, "category": cat.group(1), "topic": topic}


class Tally:
    """Requests and failures across the class's threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.failures = []

    def add(self, n, failure=None):
        with self.lock:
            self.requests += n
            if failure:
                self.failures.append(failure)


def pupil_day(b, username, slip, own, lesson, upload, barriers, tally):
    """One pupil's lesson, in two rounds separated by the barriers (all log in at once)."""
    failure = None
    try:
        body = b.get("/login")
        barriers[0].wait()
        where = b.post("/login", {"csrf": csrf_of(body), "username": username,
                                  "password": slip, "next": "/"})
        if where != "/password":
            raise SchoolError(f"the slip's login led to {where!r}, not /password")
        if b.change_password(slip, own).split("?")[0] != "/":
            raise SchoolError("the password change did not lead to the dashboard")
        body = b.get(lesson["homework"])
        where = b.post(lesson["homework"] + "/hand-in", [("csrf", csrf_of(body))],
                       files=[("files", f"expose-{username}.bin", upload)])
        if "handed_in" not in where:
            raise SchoolError(f"the hand-in led to {where!r}")
        b.get(where)
        b.get("/forum")
        b.get(lesson["category"])
        b.get(lesson["topic"])
        b.get(lesson["topic"] + "?page=1")
        b.get("/")
        b.logout()
        body = b.get("/login")
        barriers[1].wait()
        where = b.post("/login", {"csrf": csrf_of(body), "username": username,
                                  "password": own, "next": "/"})
        if where != "/":
            raise SchoolError(f"the second login led to {where!r}")
        b.get("/")
        b.get(lesson["topic"])
        b.get(lesson["topic"] + "?page=1")
    except Exception as e:  # noqa: BLE001 - every failure is counted and reported
        failure = f"{username} (request {b.requests}): {type(e).__name__}: {e}"
        for barrier in barriers:
            barrier.abort()
    finally:
        b.close()
        tally.add(b.requests, failure)


def class_arrives(portal, lesson, upload_sizes, log):
    """Every pupil at once (see the module's text). Returns (requests, failures, seconds)."""
    names = sorted(lesson["slips"])
    n = len(names)
    barriers = [threading.Barrier(n), threading.Barrier(n)]
    tally = Tally()
    blob = os.urandom(max(upload_sizes))
    threads = []
    t0 = time.monotonic()
    for i, username in enumerate(names):
        upload = blob[:upload_sizes[i % len(upload_sizes)]]
        threads.append(threading.Thread(
            target=pupil_day,
            args=(portal(), username, lesson["slips"][username], NEW_PASSWORD.format(i),
                  lesson, upload, barriers, tally)))
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    seconds = time.monotonic() - t0
    log(f"class: {n} pupils, {tally.requests} requests, {len(tally.failures)} failed, "
        f"{seconds:.0f} s")
    return tally.requests, tally.failures, seconds

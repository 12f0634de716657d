#!/usr/bin/env python3
"""The headless Chromium test: a school office's first day, as a person would live it.

An admin logs in, sets the school's language to French, imports a class list from a CSV file
with `;` separators and accents, prints the class's login slips, and logs out; a pupil logs in
with the password from their slip, is made to change it, and sees the French dashboard.

Then homework: a teacher opens an assignment for a class; two pupils hand files in through
the browser; the teacher sees both and downloads the zip; a third pupil sees only their own.

Then mail: the teacher writes to the class's list address, picked from the directory's
suggestions; a pupil, on a phone, sees the unread count on the dashboard, reads the message and
replies; the teacher finds the reply in their inbox.

Then the forum: a pupil asks a question in Markdown (a list, some `code`) in the class's
category, previewing it first, and mentions a classmate; the classmate, on a phone, sees the
notification on the dashboard and opens the topic; the teacher answers, pins and locks it; the
pupil sees it pinned and locked, with no reply box.

Then school news: the office links a parent to their child, then posts a must-read news item
to all parents, previewing it first, and plans a trip in the agenda; the parent, on a phone,
sees the item flagged on the dashboard, reads it there and says "I have read it", and finds
the trip in the agenda; the office sees the parent listed among those who have read it.

Then attendance: a teacher, on a phone, takes a class's register with two pupils absent; the
news scenario's parent, now of two children, is told on her phone's dashboard, picks the absent
child, sees the absence and sends a justification; the office sees it waiting, reads it and records the absence as justified.

Then right to left: the class's teacher mails a colleague whose language is Arabic (her Arabic
name keeps its direction in his English pages); she files two documents in a new folder, asks the
class's forum a question in Arabic, reads his French message, looks at the agenda's month and
opens a register. On a desktop and on a phone, each of those pages is `<html dir="rtl"
lang="ar">`, its heading starts at the right, nothing is wider than the window, and French text
inside keeps its own direction. Phones are emulated at their real width (headless windows are
at least 500 px wide).

Then the offline library (library.py): a pupil on a phone searches the test collection (written by
libzim, installed with `cartable library add`), opens an article, follows a link inside it and
returns to the portal through the bar on top; a teacher links an article from the homework book
with the picker, and a pupil of the class follows it.

Then blogs (blog.py): a pupil on a phone posts a photo on her class's blog; the teacher approves
it; a parent reads it and comments; the teacher approves the comment; the office opens the
school's blog to the public and a visitor without an account reads it at /site.

It drives Debian's chromium through Debian's chromedriver (Selenium's WebDriver client), against
the real `cartable` binary on free loopback ports. Screenshots and the printed slips (PDF) go to
tests/browser/artifacts/.
"""

import argparse
import base64
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.request
import zipfile
import io

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

HERE = os.path.dirname(os.path.abspath(__file__))
ARTIFACTS = os.path.join(HERE, "artifacts")
ADMIN_PASSWORD = "tableau-noir-2026"
PUPIL_NEW_PASSWORD = "manguier-en-fleur-7"
HOMEWORK_PASSWORD = "cahier-de-textes-42"
HOMEWORK_CLASS = "5e C"
MAIL_SUBJECT = "Sortie au musée jeudi"
NEWS_PASSWORD = "tableau-d-affichage-9"
NEWS_ACCOUNTS = [("n.office", "staff", "Nadia", "Benali"),
                 ("n.parent", "parent", "Fatou", "Ndiaye")]
NEWS_TITLE = "Sortie au parc : autorisation"
ATTENDANCE_PASSWORD = "registre-d-appel-31"
ATTENDANCE_CLASS = "4e D"
# (username, role, first name, last name, class)
ATTENDANCE_ACCOUNTS = [("a.prof", "teacher", "Paul", "Mensah", ATTENDANCE_CLASS),
                       ("a.awa", "pupil", "Awa", "Camara", ATTENDANCE_CLASS),
                       ("a.binta", "pupil", "Binta", "Sylla", ATTENDANCE_CLASS),
                       ("a.cyril", "pupil", "Cyril", "Durand", ATTENDANCE_CLASS),
                       ("a.office", "staff", "Odile", "Bamba", None)]
# The right-to-left scenario's teacher: Arabic is her language; she teaches the attendance
# scenario's class (whose teacher writes to her).
RTL_PASSWORD = "sabourat-al-qism-8"
RTL_USER = ("r.layla", "teacher", "ليلى", "بنعلي", ATTENDANCE_CLASS)
HOMEWORK_ACCOUNTS = [("h.prof", "teacher", "Jeanne", "Martin"),
                     ("h.amina", "pupil", "Amina", "Diallo"),
                     ("h.bilal", "pupil", "Bilal", "Koné"),
                     ("h.chloe", "pupil", "Chloé", "Petit")]

CSV = (
    "\ufeffnom;prénom;classe\r\n"
    "Diallo;Aïssata;6e A\r\n"
    "N'Guessan;Kouadio;6e A\r\n"
    "Traoré;Mariam;6e A\r\n"
    "Rakotomalala;Héry;6e A\r\n"
    "Lefèvre;Chloé;6e A\r\n"
)


class Server:
    """`cartable serve` on free ports with its own data directory."""

    def __init__(self, binary):
        self.data = tempfile.mkdtemp(prefix="cartable-browser-")
        self.binary = binary
        self.cli("user", "add", "--username", "direction", "--role", "admin",
                 "--first-name", "Awa", "--last-name", "Ndiaye", "--password-stdin",
                 stdin=ADMIN_PASSWORD + "\n")
        # The homework scenario's class, made before the server holds the data directory.
        for username, role, first, last in HOMEWORK_ACCOUNTS:
            self.cli("user", "add", "--username", username, "--role", role, "--class", HOMEWORK_CLASS,
                     "--first-name", first, "--last-name", last, "--language", "en",
                     "--password-stdin", stdin=HOMEWORK_PASSWORD + "\n")
        # The news scenario's office and parent (linked to a pupil through the pages).
        for username, role, first, last in NEWS_ACCOUNTS:
            self.cli("user", "add", "--username", username, "--role", role,
                     "--first-name", first, "--last-name", last, "--language", "en",
                     "--password-stdin", stdin=NEWS_PASSWORD + "\n")
        # The attendance scenario's class and office (its parent is the news scenario's: another
        # parent would change who the news scenario's item to all parents is for).
        for username, role, first, last, klass in ATTENDANCE_ACCOUNTS:
            self.cli("user", "add", "--username", username, "--role", role,
                     *(["--class", klass] if klass else []),
                     "--first-name", first, "--last-name", last, "--language", "en",
                     "--password-stdin", stdin=ATTENDANCE_PASSWORD + "\n")
        username, role, first, last, klass = RTL_USER
        self.cli("user", "add", "--username", username, "--role", role, "--class", klass,
                 "--first-name", first, "--last-name", last, "--language", "ar",
                 "--password-stdin", stdin=RTL_PASSWORD + "\n")
        # The library scenario's collection: written by libzim, installed for everyone.
        self.zim = tempfile.mkdtemp(prefix="cartable-zim-")
        subprocess.run([sys.executable, os.path.join(HERE, "..", "library", "make_zim.py"), self.zim],
                       check=True, capture_output=True)
        self.cli("library", "add", os.path.join(self.zim, "zstd.zim"), "--audience", "school")
        self.proc = subprocess.Popen(
            [binary, "--data", self.data, "serve", "--http", "127.0.0.1:0", "--https", "127.0.0.1:0",
             "--smtp", "127.0.0.1:0", "--submission", "127.0.0.1:0", "--submissions", "127.0.0.1:0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.base = None
        for line in self.proc.stdout:
            m = re.match(r"listening on (http://127\.0\.0\.1:\d+) \(portal\)", line)
            if m:
                self.base = m.group(1)
                break
        if not self.base:
            raise RuntimeError("the server did not print its address: " + self.proc.stderr.read())
        # Keep draining both pipes so the server never blocks on a full one.
        for pipe in (self.proc.stdout, self.proc.stderr):
            threading.Thread(target=lambda p=pipe: [None for _ in p], daemon=True).start()

    def cli(self, *args, stdin=None):
        out = subprocess.run([self.binary, "--data", self.data, *args], input=stdin,
                             capture_output=True, text=True, check=False)
        if out.returncode != 0:
            raise RuntimeError(f"cartable {' '.join(args)} failed: {out.stderr}")
        return out.stdout

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.data, ignore_errors=True)
        shutil.rmtree(self.zim, ignore_errors=True)


# Fluent wraps every variable of a message in invisible bidirectional isolation marks (FSI
# U+2068 ... PDI U+2069) so that an Arabic name in a French sentence keeps its own direction.
# The checks read text as a person sees it: without them.
ISOLATION = str.maketrans("", "", "\u2068\u2069")


def plain(text):
    return text.translate(ISOLATION) if text else text


class PlainElement(WebElement):
    @property
    def text(self):
        return plain(super().text)


class Chrome(webdriver.Chrome):
    _web_element_cls = PlainElement

    @property
    def page_source(self):
        return plain(super().page_source)


def browser(width=1280, height=1000):
    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--lang=en-US",
                 f"--window-size={width},{height}"]:
        opts.add_argument(flag)
    opts.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en"})
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    d = Chrome(service=service, options=opts)
    if width < 500:
        # Headless Chromium's windows are at least 500 px wide: a phone's narrower screen is
        # emulated, as its browser would lay the page out (the viewport meta tag applies).
        d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                          {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True})
    return d


def shot(driver, name):
    os.makedirs(ARTIFACTS, exist_ok=True)
    driver.save_screenshot(os.path.join(ARTIFACTS, name + ".png"))


def fill(driver, name, value):
    el = driver.find_element(By.NAME, name)
    el.clear()
    el.send_keys(value)


def submit(driver, form_action):
    """Clicks the submit button of the form posting to `form_action`, and waits until the
    browser has left the page (a click returns before the next page has loaded)."""
    form = driver.find_element(By.CSS_SELECTOR, f'form[action="{form_action}"]')
    button = form.find_element(By.CSS_SELECTOR, "button, input[type=submit]")
    click_and_wait(driver, button)


def click_and_wait(driver, element):
    """Clicks, then waits for the next page: a mark left on this page's window object is gone
    once another page has loaded. (The pages need no JavaScript; only the test uses it.)"""
    driver.execute_script("window.cartableOldPage = true")
    element.click()
    WebDriverWait(driver, 20).until(
        lambda d: d.execute_script(
            "return window.cartableOldPage === undefined && document.readyState === 'complete'"))


def login(driver, base, username, password):
    driver.get(base + "/login")
    fill(driver, "username", username)
    fill(driver, "password", password)
    submit(driver, "/login")


def logout(driver):
    submit(driver, "/logout")


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def scenario(base, csv_path):
    d = browser()
    try:
        # The office logs in.
        login(d, base, "direction", ADMIN_PASSWORD)
        expect(d.current_url.rstrip("/") == base, f"admin lands on the dashboard, not {d.current_url}")

        # The school works in French.
        d.get(base + "/admin/settings")
        Select(d.find_element(By.NAME, "default_language")).select_by_value("fr")
        submit(d, "/admin/settings")
        expect("Paramètres" in d.page_source or "Enregistré" in d.page_source, "settings saved in French")

        # Import the class list: a preview first, then everything at once.
        d.get(base + "/admin/import")
        d.find_element(By.CSS_SELECTOR, "input[type=file][name=file]").send_keys(csv_path)
        submit(d, "/admin/import")
        expect("/admin/import/" in d.current_url, f"the upload leads to a preview, not {d.current_url}")
        page = d.page_source
        for name in ["Aïssata", "Kouadio", "Héry", "Chloé", "6e A"]:
            expect(name in page, f"the preview shows {name}")
        expect(not d.find_elements(By.CSS_SELECTOR, "tr.problem"), "no line has a problem")
        shot(d, "1-import-preview")
        preview_url = d.current_url
        submit(d, preview_url[len(base):])

        # Find the class and print its login slips.
        d.get(base + "/admin/classes")
        click_and_wait(d, d.find_element(By.LINK_TEXT, "6e A"))
        expect("Diallo" in d.page_source, "the class page lists its pupils")
        class_path = d.current_url[len(base):]
        submit(d, class_path + "/slips")
        slips = d.find_elements(By.CSS_SELECTOR, ".slip")
        expect(len(slips) == 5, f"one slip per pupil, got {len(slips)}")
        username = password = None
        for slip in slips:
            if "Aïssata" in slip.text:
                username = slip.find_element(By.CSS_SELECTOR, ".username").text.strip()
                password = slip.find_element(By.CSS_SELECTOR, ".pw").text.strip()
        expect(username and password, "Aïssata's slip has a username and a password")
        shot(d, "2-slips")
        pdf = base64.b64decode(d.print_page())
        with open(os.path.join(ARTIFACTS, "3-slips.pdf"), "wb") as f:
            f.write(pdf)
        expect(pdf.startswith(b"%PDF"), "the slips print to a PDF")
        logout(d)
    finally:
        d.quit()

    # The pupil, on a phone, logs in with the slip and must choose a password.
    p = browser(412, 915)
    try:
        login(p, base, username, password)
        expect(p.current_url.endswith("/password"), f"first login leads to the password form, not {p.current_url}")
        expect("Bienvenue" in p.page_source, "the password page is in French")
        fill(p, "current", password)
        fill(p, "new", PUPIL_NEW_PASSWORD)
        fill(p, "confirm", PUPIL_NEW_PASSWORD)
        submit(p, "/password")
        page = p.page_source
        errors = [e.text for e in p.find_elements(By.CSS_SELECTOR, ".error")]
        expect(not errors, f"the password change is accepted, not refused with {errors}")
        expect(p.current_url.split("?")[0].rstrip("/") == base, f"then the dashboard, not {p.current_url}")
        expect('lang="fr"' in page, "the dashboard is marked French")
        expect("Bonjour" in page and "Aïssata" in page, "the dashboard greets the pupil in French")
        expect("Ma classe" in page and "6e A" in page, "the dashboard shows the pupil's class")
        shot(p, "4-pupil-dashboard-phone")
        logout(p)
        # The slip's password is spent; the new one works.
        login(p, base, username, password)
        expect("/login" in p.current_url, "the slip's password no longer works")
        login(p, base, username, PUPIL_NEW_PASSWORD)
        expect("Bonjour" in p.page_source, "the new password works")
    finally:
        p.quit()


def homework_scenario(base, tmp):
    # The teacher opens an assignment for the class.
    t = browser()
    try:
        login(t, base, "h.prof", HOMEWORK_PASSWORD)
        t.get(base + "/")
        click_and_wait(t, t.find_element(By.CSS_SELECTOR, 'a.tile[href="/homework"]'))
        Select(t.find_element(By.NAME, "class")).select_by_visible_text(HOMEWORK_CLASS)
        fill(t, "title", "Exposé sur le Nil")
        fill(t, "instructions", "Two pages.\nCite your sources.")
        # A date picker is typed differently in every locale; set the value the form sends.
        due = time.strftime("%Y-%m-%dT%H:%M", time.gmtime(time.time() + 7 * 24 * 3600))
        t.execute_script("document.querySelector('input[name=due]').value = arguments[0]", due)
        submit(t, "/homework")
        expect(re.search(r"/homework/\d+", t.current_url), f"the new assignment's page, not {t.current_url}")
        page = re.search(r"/homework/\d+", t.current_url).group(0)
        expect("The drop box is open." in t.page_source, "the teacher is told the box is open")
        expect("not yet: 3" in t.page_source, "three pupils have not handed in yet")
        shot(t, "5-homework-opened")
    except Exception:
        t.quit()
        raise

    # Two pupils hand in files, one of them on a phone.
    handed = {}
    for username, width, files in [("h.amina", 1280, ["expose-amina.txt", "carte-amina.txt"]),
                                   ("h.bilal", 412, ["expose-bilal.txt"])]:
        paths = []
        for name in files:
            path = os.path.join(tmp, name)
            with open(path, "w", encoding="utf-8") as f:
                f.write(f"{name}: le Nil prend sa source au Burundi.\n")
            paths.append(path)
        handed[username] = files
        p = browser(width, 915 if width < 1000 else 1000)
        try:
            login(p, base, username, HOMEWORK_PASSWORD)
            p.get(base + "/homework")
            expect("Exposé sur le Nil" in p.page_source, f"{username} sees the assignment")
            click_and_wait(p, p.find_element(By.PARTIAL_LINK_TEXT, "Exposé sur le Nil"))
            expect("Cite your sources." in p.page_source, f"{username} reads the instructions")
            p.find_element(By.CSS_SELECTOR, "#hand-in input[type=file]").send_keys("\n".join(paths))
            submit(p, page + "/hand-in")
            expect("Files handed in." in p.page_source, f"{username}'s files are handed in")
            shown = [e.get_attribute("data-name") for e in p.find_elements(By.CSS_SELECTOR, "#my-files li")]
            expect(sorted(shown) == sorted(files), f"{username} sees their files, got {shown}")
            shot(p, f"6-homework-{username}")
            logout(p)
        finally:
            p.quit()

    # The teacher sees both and downloads everything as one zip.
    try:
        t.get(base + page)
        source = t.page_source
        for files in handed.values():
            for name in files:
                expect(name in source, f"the teacher sees {name}")
        expect("On time: 2" in source and "not yet: 1" in source, "two handed in, one not yet")
        zip_link = t.find_element(By.ID, "zip").get_attribute("href")
        cookies = "; ".join(f"{c['name']}={c['value']}" for c in t.get_cookies())
        req = urllib.request.Request(zip_link, headers={"Cookie": cookies})
        with urllib.request.urlopen(req, timeout=30) as resp:
            expect(resp.headers.get("Content-Type") == "application/zip", "the zip is a zip")
            data = resp.read()
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        expect(len(names) == 3, f"the zip holds the three files, got {names}")
        expect(any(n.endswith("(h.amina)/expose-amina.txt") for n in names), f"one folder per pupil: {names}")
        expect(any(n.endswith("(h.bilal)/expose-bilal.txt") for n in names), f"one folder per pupil: {names}")
        with open(os.path.join(ARTIFACTS, "7-homework.zip"), "wb") as f:
            f.write(data)
        shot(t, "7-homework-teacher")
        logout(t)
    finally:
        t.quit()

    # A third pupil sees the assignment, but only their own (empty) box.
    c = browser(412, 915)
    try:
        login(c, base, "h.chloe", HOMEWORK_PASSWORD)
        c.get(base + page)
        source = c.page_source
        expect("You have not handed anything in yet." in source, "the third pupil's box is empty")
        for files in handed.values():
            for name in files:
                expect(name not in source, f"the third pupil does not see {name}")
        c.get(base + page + "/zip")
        expect("expose" not in c.page_source, "the third pupil cannot download the zip")
        shot(c, "8-homework-third-pupil")
    finally:
        c.quit()


def mail_scenario(base):
    # The teacher writes to the whole class, through its list address from the suggestions.
    t = browser()
    try:
        login(t, base, "h.prof", HOMEWORK_PASSWORD)
        t.get(base + "/")
        click_and_wait(t, t.find_element(By.ID, "mail-tile"))
        click_and_wait(t, t.find_element(By.ID, "write"))
        options = [o.get_attribute("value")
                   for o in t.find_elements(By.CSS_SELECTOR, "datalist#directory option")]
        class_list = next((v for v in options if v.startswith("classe+5e-c@")), None)
        expect(class_list, f"the suggestions offer the class list, got {options}")
        t.find_elements(By.NAME, "to")[0].send_keys(class_list)
        fill(t, "subject", MAIL_SUBJECT)
        fill(t, "body", "Bonjour à tous,\nnous partons à 8 h devant le collège.\nMme Martin")
        shot(t, "9-mail-compose")
        submit(t, "/mail/compose")
        expect("Message sent." in t.page_source, "the teacher is told the message left")
        expect(MAIL_SUBJECT in t.find_element(By.ID, "messages").text, "the sent folder lists it")
    except Exception:
        t.quit()
        raise

    # A pupil, on a phone, sees the unread count, reads the message and replies above the quote.
    p = browser(412, 915)
    try:
        login(p, base, "h.bilal", HOMEWORK_PASSWORD)
        tile = p.find_element(By.ID, "mail-tile")
        expect("1 unread" in tile.text, f"the dashboard shows one unread message, not {tile.text!r}")
        shot(p, "10-mail-dashboard-phone")
        click_and_wait(p, tile)
        rows = p.find_elements(By.CSS_SELECTOR, "#messages li.unread")
        expect(len(rows) == 1 and MAIL_SUBJECT in rows[0].text, "the message is listed as unread")
        expect("Jeanne Martin" in rows[0].text, "with the teacher's name")
        shot(p, "11-mail-inbox-phone")
        click_and_wait(p, rows[0].find_element(By.TAG_NAME, "a"))
        expect("nous partons à 8 h" in p.find_element(By.ID, "text").text, "the pupil reads the text")
        shot(p, "12-mail-read-phone")
        click_and_wait(p, p.find_element(By.ID, "reply"))
        to = p.find_elements(By.NAME, "to")[0].get_attribute("value")
        expect(to.startswith("h.prof@"), f"the reply goes to the teacher, not {to!r}")
        subject = p.find_element(By.NAME, "subject").get_attribute("value")
        expect(subject == "Re: " + MAIL_SUBJECT, f"the reply's subject, not {subject!r}")
        body = p.find_element(By.NAME, "body")
        quoted = body.get_attribute("value")
        expect("> nous partons à 8 h" in quoted, f"the original is quoted: {quoted!r}")
        body.clear()
        body.send_keys("Merci, je serai là." + quoted)
        shot(p, "13-mail-reply-phone")
        send = p.find_element(By.CSS_SELECTOR, "#compose button")
        p.execute_script("arguments[0].scrollIntoView()", send)
        shot(p, "13b-mail-reply-phone-bottom")
        submit(p, "/mail/compose")
        expect("Message sent." in p.page_source, "the pupil's reply left")
        p.get(base + "/")
        expect("unread" not in p.find_element(By.ID, "mail-tile").text, "nothing unread any more")
        logout(p)
    finally:
        p.quit()

    # The teacher finds the reply in their inbox.
    try:
        t.get(base + "/mail")
        rows = t.find_elements(By.CSS_SELECTOR, "#messages li.unread")
        expect(rows and "Re: " + MAIL_SUBJECT in rows[0].text, "the reply is in the teacher's inbox")
        expect("Bilal" in rows[0].text, "from the pupil")
        shot(t, "14-mail-teacher-inbox")
        click_and_wait(t, rows[0].find_element(By.TAG_NAME, "a"))
        expect("Merci, je serai là." in t.find_element(By.ID, "text").text, "the teacher reads the reply")
        logout(t)
    finally:
        t.quit()


FORUM_TITLE = "Fractions : comment simplifier ?"
FORUM_BODY = ("Bonjour, pour l'exercice 3 je ne comprends pas :\n\n"
              "- pourquoi `6/8` devient `3/4`\n"
              "- et si on peut toujours simplifier\n\n"
              "@h.bilal tu as réussi ?")


def forum_scenario(base):
    # A pupil asks a question in the class's category, checks the preview, then posts it.
    a = browser()
    try:
        login(a, base, "h.amina", HOMEWORK_PASSWORD)
        click_and_wait(a, a.find_element(By.ID, "forum-tile"))
        expect("Whole school" in a.page_source, "the forum lists the school's category")
        click_and_wait(a, a.find_element(By.PARTIAL_LINK_TEXT, HOMEWORK_CLASS))
        click_and_wait(a, a.find_element(By.ID, "new-topic"))
        fill(a, "title", FORUM_TITLE)
        fill(a, "body", FORUM_BODY)
        click_and_wait(a, a.find_element(By.CSS_SELECTOR, "#post-form button[value=preview]"))
        preview = a.find_element(By.ID, "preview")
        expect(len(preview.find_elements(By.CSS_SELECTOR, "ul li")) == 2, "the preview shows the list")
        expect(preview.find_element(By.TAG_NAME, "code").text == "6/8", "the preview shows the code")
        expect(a.find_element(By.NAME, "title").get_attribute("value") == FORUM_TITLE, "the title is kept")
        shot(a, "15-forum-preview")
        click_and_wait(a, a.find_element(By.CSS_SELECTOR, "#post-form button[value=post]"))
        expect(re.search(r"/forum/t/\d+$", a.current_url), f"the new topic, not {a.current_url}")
        topic = a.current_url[len(base):]
        body = a.find_element(By.CSS_SELECTOR, "#posts .post-body")
        expect(len(body.find_elements(By.CSS_SELECTOR, "ul li")) == 2, "the post shows the list")
        expect([c.text for c in body.find_elements(By.TAG_NAME, "code")] == ["6/8", "3/4"],
               "the post shows the code")
        shot(a, "16-forum-topic")
    except Exception:
        a.quit()
        raise

    # The classmate, on a phone, is told on the dashboard and opens the topic from there.
    b = browser(412, 915)
    try:
        login(b, base, "h.bilal", HOMEWORK_PASSWORD)
        tile = b.find_element(By.ID, "forum-tile")
        expect("1 new" in tile.text, f"the forum tile counts one notification, not {tile.text!r}")
        notices = b.find_element(By.ID, "forum-notices")
        expect("Amina Diallo mentioned you in" in notices.text and FORUM_TITLE in notices.text,
               f"the dashboard lists the mention: {notices.text!r}")
        shot(b, "17-forum-dashboard-phone")
        click_and_wait(b, notices.find_element(By.TAG_NAME, "a"))
        expect(b.current_url.split("#")[0].startswith(base + topic), f"the topic, not {b.current_url}")
        expect("pourquoi" in b.find_element(By.CSS_SELECTOR, "#posts .post-body").text, "the question")
        wide = b.execute_script("return document.documentElement.scrollWidth > window.innerWidth")
        expect(not wide, "the topic fits the phone's width")
        shot(b, "18-forum-topic-phone")
        b.get(base + "/")
        expect("new" not in b.find_element(By.ID, "forum-tile").text, "the notification is seen")
        logout(b)
    finally:
        b.quit()

    # The teacher answers, then pins and locks the topic.
    t = browser()
    try:
        login(t, base, "h.prof", HOMEWORK_PASSWORD)
        t.get(base + topic)
        fill(t, "body", "On divise en haut et en bas par le même nombre : **2** ici.")
        submit(t, topic + "/reply")
        expect(len(t.find_elements(By.CSS_SELECTOR, "#posts li.post")) == 2, "the answer is there")
        submit(t, topic + "/pin")
        expect("The topic is pinned." in t.page_source, "the teacher is told it is pinned")
        submit(t, topic + "/lock")
        expect("The topic is locked." in t.page_source, "the teacher is told it is locked")
        shot(t, "19-forum-teacher-moderates")
        logout(t)
    finally:
        t.quit()

    # The pupil sees it pinned and locked, with no reply box.
    try:
        a.get(base + topic)
        expect(a.find_elements(By.ID, "pinned") and a.find_elements(By.ID, "locked-mark"),
               "the topic is marked pinned and locked")
        expect(a.find_elements(By.ID, "locked"), "the lock is explained")
        expect(not a.find_elements(By.ID, "reply"), "no reply box in a locked topic")
        expect("<strong>2</strong>" in a.page_source, "the teacher's answer")
        shot(a, "20-forum-locked")
        click_and_wait(a, a.find_element(By.CSS_SELECTOR, ".crumbs a:last-child"))
        row = a.find_element(By.CSS_SELECTOR, "#topics li")
        expect("pinned" in row.get_attribute("class") and "Pinned" in row.text, "pinned first in the list")
        shot(a, "21-forum-category")
        logout(a)
    finally:
        a.quit()


def news_scenario(base):
    # The office links the parent to their child, then writes to all parents: a must-read item.
    o = browser()
    try:
        login(o, base, "n.office", NEWS_PASSWORD)
        o.get(base + "/admin/users?q=n.parent")
        click_and_wait(o, o.find_element(By.LINK_TEXT, "Fatou Ndiaye"))
        fill(o, "username", "h.amina")
        submit(o, o.current_url[len(base):] + "/links")
        expect("Amina Diallo" in o.page_source, "the parent is linked to Amina")
        o.get(base + "/")
        click_and_wait(o, o.find_element(By.CSS_SELECTOR, 'header nav a[href="/news"]'))
        click_and_wait(o, o.find_element(By.ID, "write-news"))
        fill(o, "title", NEWS_TITLE)
        o.find_element(By.CSS_SELECTOR, "input[name=audience][value=parents]").click()
        o.find_element(By.NAME, "must_read").click()
        fill(o, "body", "Jeudi, les **5e C** vont au parc.\n\n- signez l'autorisation\n- un goûter")
        click_and_wait(o, o.find_element(By.CSS_SELECTOR, "#news-form button[value=preview]"))
        preview = o.find_element(By.ID, "preview")
        expect(preview.find_element(By.CSS_SELECTOR, ".post-body strong").text == "5e C", "the preview shows the Markdown")
        expect(o.find_element(By.CSS_SELECTOR, "input[name=audience][value=parents]").is_selected(),
               "the audience is kept")
        shot(o, "22-news-preview")
        click_and_wait(o, o.find_element(By.ID, "publish"))
        expect("The news item is published." in o.page_source, "the office is told it is published")
        item = o.current_url.split("?")[0][len(base):]
        count = o.find_element(By.ID, "read-count").text
        expect(count == "0 of 1 have confirmed reading it.", f"nobody has read it yet: {count!r}")
        expect("Fatou Ndiaye" in o.find_element(By.ID, "waiting").text, "the parent is waited for")
        shot(o, "23-news-published")
        # And a trip in the agenda, for the whole school. The date field is typed differently
        # in every locale; set the value the form sends.
        o.get(base + "/agenda/new")
        fill(o, "title", "Sortie au parc")
        Select(o.find_element(By.NAME, "kind")).select_by_value("trip")
        day = time.strftime("%Y-%m-%d", time.localtime(time.time() + 3 * 24 * 3600))
        o.execute_script("document.querySelector('input[name=start_date]').value = arguments[0];"
                         "document.querySelector('input[name=start_time]').value = '09:00';"
                         "document.querySelector('input[name=end_time]').value = '16:30';", day)
        fill(o, "place", "Parc de Hann")
        submit(o, "/agenda/new")
        expect("The event is in the agenda." in o.page_source, f"the trip is planned: {o.current_url}")
    except Exception:
        o.quit()
        raise

    # The parent, on a phone, sees it first on the dashboard, reads it and acknowledges it.
    p = browser(412, 915)
    try:
        login(p, base, "n.parent", NEWS_PASSWORD)
        timeline = p.find_element(By.ID, "news-timeline")
        first = timeline.find_element(By.CSS_SELECTOR, ".news-item")
        expect("pending" in first.get_attribute("class") and NEWS_TITLE in first.text,
               f"the must-read item comes first, flagged: {first.text!r}")
        expect("Must read" in first.text and "signez l'autorisation" in first.text,
               "its text is there to read")
        wide = p.execute_script("return document.documentElement.scrollWidth > window.innerWidth")
        expect(not wide, "the dashboard fits the phone's width")
        shot(p, "24-news-parent-dashboard-phone")
        click_and_wait(p, first.find_element(By.CSS_SELECTOR, "form.ack button"))
        expect(p.current_url.split("?")[0].rstrip("/") == base, f"back on the dashboard, not {p.current_url}")
        expect("the school knows you have read it" in p.page_source, "the parent is thanked")
        first = p.find_element(By.CSS_SELECTOR, "#news-timeline .news-item")
        expect("pending" not in first.get_attribute("class") and not first.find_elements(By.CSS_SELECTOR, "form.ack"),
               "nothing is waiting any more")
        expect("You confirmed you had read it" in first.text, "the item says so")
        events = p.find_element(By.ID, "next-events").text
        expect("Sortie au parc" in events, f"the trip is among the next events: {events!r}")
        shot(p, "25-news-parent-acknowledged-phone")
        click_and_wait(p, p.find_element(By.ID, "agenda-tile"))
        expect("Sortie au parc" in p.find_element(By.ID, "upcoming").text, "the agenda lists the trip")
        wide = p.execute_script("return document.documentElement.scrollWidth > window.innerWidth")
        expect(not wide, "the agenda fits the phone's width")
        shot(p, "26-agenda-parent-phone")
        logout(p)
    finally:
        p.quit()

    # The office sees the parent among those who have read it.
    try:
        o.get(base + item)
        count = o.find_element(By.ID, "read-count").text
        expect(count == "1 of 1 have confirmed reading it.", f"one of one: {count!r}")
        expect("Fatou Ndiaye" in o.find_element(By.ID, "read-by").text, "the parent is listed as having read it")
        expect("Everyone has read it." in o.find_element(By.ID, "waiting").text, "nobody is left")
        shot(o, "27-news-office-tracking")
        logout(o)
    finally:
        o.quit()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default="target/debug/cartable")
    args = ap.parse_args()
    server = Server(os.path.abspath(args.binary))
    tmp = tempfile.mkdtemp(prefix="cartable-csv-")
    csv_path = os.path.join(tmp, "6eA.csv")
    with open(csv_path, "w", encoding="utf-8", newline="") as f:
        f.write(CSV)
    passed = failed = 0
    only = os.environ.get("BROWSER_ONLY")
    if only == "blog":  # one scenario alone, while working on it
        try:
            from blog import blog_scenario
            blog_scenario(server.base, tmp)
            print("ok   blog")
            return 0
        except Exception:  # noqa: BLE001
            traceback.print_exc()
            return 1
        finally:
            server.stop()
    try:
        started = time.time()
        scenario(server.base, csv_path)
        passed += 1
        print(f"ok   office imports a class, prints slips, a pupil logs in ({time.time() - started:.1f} s)")
    except Exception:  # noqa: BLE001 - report any failure, then count it
        failed += 1
        traceback.print_exc()
        print("FAIL office imports a class, prints slips, a pupil logs in")
    try:
        started = time.time()
        homework_scenario(server.base, tmp)
        passed += 1
        print(f"ok   a teacher collects homework from two pupils, a third sees only their own "
              f"({time.time() - started:.1f} s)")
    except Exception:  # noqa: BLE001 - report any failure, then count it
        failed += 1
        traceback.print_exc()
        print("FAIL a teacher collects homework from two pupils, a third sees only their own")
    try:
        started = time.time()
        mail_scenario(server.base)
        passed += 1
        print(f"ok   a teacher mails a class, a pupil on a phone reads and replies "
              f"({time.time() - started:.1f} s)")
    except Exception:  # noqa: BLE001 - report any failure, then count it
        failed += 1
        traceback.print_exc()
        print("FAIL a teacher mails a class, a pupil on a phone reads and replies")
    try:
        started = time.time()
        forum_scenario(server.base)
        passed += 1
        print(f"ok   a pupil asks the forum, a classmate is told, the teacher answers and locks "
              f"({time.time() - started:.1f} s)")
    except Exception:  # noqa: BLE001 - report any failure, then count it
        failed += 1
        traceback.print_exc()
        print("FAIL a pupil asks the forum, a classmate is told, the teacher answers and locks")
    try:
        started = time.time()
        news_scenario(server.base)
        passed += 1
        print(f"ok   the office posts a must-read item to parents, a parent on a phone reads and "
              f"acknowledges it, the office sees it ({time.time() - started:.1f} s)")
    except Exception:  # noqa: BLE001 - report any failure, then count it
        failed += 1
        traceback.print_exc()
        print("FAIL the office posts a must-read item to parents, a parent on a phone reads and "
              "acknowledges it, the office sees it")
    try:
        started = time.time()
        from attendance import attendance_scenario  # here: it imports this module
        attendance_scenario(server.base)
        passed += 1
        print(f"ok   a teacher on a phone takes a register with two absent, a parent justifies, "
              f"the office reviews it ({time.time() - started:.1f} s)")
    except Exception:  # noqa: BLE001 - report any failure, then count it
        failed += 1
        traceback.print_exc()
        print("FAIL a teacher on a phone takes a register with two absent, a parent justifies, "
              "the office reviews it")
    try:
        started = time.time()
        from rtl import rtl_scenario  # here: rtl.py imports this module
        rtl_scenario(server.base, tmp)
        passed += 1
        print(f"ok   an Arabic-speaking teacher's files, mail, forum, agenda and register, right to left "
              f"on a desktop and a phone ({time.time() - started:.1f} s)")
    except Exception:  # noqa: BLE001 - report any failure, then count it
        failed += 1
        traceback.print_exc()
        print("FAIL an Arabic-speaking teacher's files, mail, forum, agenda and register, right to left "
              "on a desktop and a phone")
    try:
        started = time.time()
        from library import library_scenario  # here: library.py imports this module
        library_scenario(server.base)
        passed += 1
        print(f"ok   a pupil on a phone searches the library, reads, follows a link and returns; a teacher "
              f"links an article from the homework book ({time.time() - started:.1f} s)")
    except Exception:  # noqa: BLE001 - report any failure, then count it
        failed += 1
        traceback.print_exc()
        print("FAIL a pupil on a phone searches the library, reads, follows a link and returns; a teacher "
              "links an article from the homework book")
    try:
        started = time.time()
        from blog import blog_scenario  # here: blog.py imports this module
        blog_scenario(server.base, tmp)
        passed += 1
        print(f"ok   a pupil on a phone posts a photo, the teacher approves, a parent comments, the teacher "
              f"approves it; a visitor reads the school's public blog ({time.time() - started:.1f} s)")
    except Exception:  # noqa: BLE001 - report any failure, then count it
        failed += 1
        traceback.print_exc()
        print("FAIL a pupil on a phone posts a photo, the teacher approves, a parent comments, the teacher "
              "approves it; a visitor reads the school's public blog")
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

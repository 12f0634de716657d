"""Section g of the single sign-on test: the applications' tiles in a real browser, on a phone.

The cookie-jar client of sections a-f checks every hop, but it is not a browser: it does not
apply Cartable's Content-Security-Policy, SameSite cookies, or the phone layout. Here Debian's
Chromium (headless, through chromedriver and Selenium, with the flags of tests/browser/run.py)
emulates a phone (390x844 CSS pixels, touch, a mobile user agent) against the same server,
accounts, applications and Apache as the rest of run.py:

  g. a pupil logs in on the portal's login form and finds on the dashboard a tile for each
     application with a launch address (the mod_auth_openidc page, the phpCAS page), the page
     no wider than the phone; a tap on a tile lands on the application as herself (REMOTE_USER,
     phpCAS's user) without a second login, through the real redirect chain (/oidc/authorize
     or /cas/login and back with a code or a ticket), read from Chromium's own network log;
     then, in a fresh browser, each application's protected page leads to Cartable's login
     form, whose POST Chromium follows through authorize (or /cas/login) to the application:
     the login page's CSP `form-action` lets it (Chromium checks it along the redirect chain);
     last, the pupil logs out on the portal and both applications ask for a login again.

Screenshots (the dashboard's tiles, each landing page, the login asked for again) go to the
test's folder, ROOT/browser/ (kept with --keep). Chromium trusts Cartable's own server key only
(`--ignore-certificate-errors-spki-list` with its SPKI hash): no system trust store is touched
and any other certificate error still fails.

    import browser
    tests += browser.tests(username, password, class_name, oidc_client_id)  # for run()
"""

import atexit
import base64
import hashlib
import json
import os
import shutil
import ssl
import subprocess
import urllib.parse

from web import DEADLINE, Failure, expect, parse_lines, wait_for

try:
    from selenium import webdriver
    from selenium.common.exceptions import TimeoutException, WebDriverException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.actions import interaction
    from selenium.webdriver.common.actions.action_builder import ActionBuilder
    from selenium.webdriver.common.actions.pointer_input import PointerInput
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:  # reported by the tests themselves, as a failure
    webdriver = None

WIDTH, HEIGHT, PIXEL_RATIO = 390, 844, 3
MOBILE_UA = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
             "Chrome/130.0.0.0 Mobile Safari/537.36")
PAGE_DEADLINE = 60  # seconds for one navigation (Chromium on a loaded two-core machine)
_open = {}  # name -> Phone kept from one test to the next; all quit at exit


def _quit_all():
    for phone in list(_open.values()):
        phone.quit()
    _open.clear()


atexit.register(_quit_all)


def spki_hash(host, port):
    """The base64 SHA-256 of the public key the server at host:port presents (what Chromium's
    --ignore-certificate-errors-spki-list takes)."""
    pem = ssl.get_server_certificate((host, port))
    pub = subprocess.run(["openssl", "x509", "-noout", "-pubkey"], input=pem.encode(),
                         capture_output=True, check=True).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "DER"], input=pub,
                         capture_output=True, check=True).stdout
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


class Hop:
    """One document request as Chromium made it."""

    def __init__(self, method, url):
        self.method, self.url, self.status = method, url, None

    def query(self):
        return {k: v[0] for k, v in
                urllib.parse.parse_qs(urllib.parse.urlsplit(self.url).query).items()}

    def __repr__(self):
        return f"{self.method} {self.url} -> {self.status}"


def describe(hops):
    return "\n".join(f"  {h!r}" for h in hops) or "  (no document request)"


class Phone:
    """A headless Chromium emulating a phone, its network log read to rebuild each redirect
    chain."""

    def __init__(self, ctx):
        if webdriver is None:
            raise Failure("Selenium is missing: run sh tests/install-deps.sh")
        self.ctx = ctx
        self.shots = os.path.join(ctx.root, "browser")
        os.makedirs(self.shots, exist_ok=True)
        opts = webdriver.ChromeOptions()
        opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        u = urllib.parse.urlsplit(ctx.issuer)
        for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--lang=fr-FR",
                     f"--window-size={WIDTH},{HEIGHT}",
                     f"--ignore-certificate-errors-spki-list={spki_hash(u.hostname, u.port)}"]:
            opts.add_argument(flag)
        opts.add_experimental_option("prefs", {"intl.accept_languages": "fr-FR,fr"})
        opts.add_experimental_option("mobileEmulation", {
            "deviceMetrics": {"width": WIDTH, "height": HEIGHT, "pixelRatio": PIXEL_RATIO,
                              "mobile": True, "touch": True},
            "userAgent": MOBILE_UA})
        opts.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
        service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
        try:
            self.d = webdriver.Chrome(service=service, options=opts)
        except WebDriverException as e:
            raise Failure(f"Chromium did not start through chromedriver: {e.msg}") from None
        self.d.set_page_load_timeout(PAGE_DEADLINE)

    def quit(self):
        if self.d:
            try:
                self.d.quit()
            finally:
                self.d = None

    # ------------------------------------------------------------ navigation

    def _events(self):
        out = []
        for entry in self.d.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            if msg["method"] in ("Network.requestWillBeSent", "Network.responseReceived"):
                out.append(msg)
        return out

    def _chain(self):
        """The document requests since the last read of the log, each with its status."""
        hops, by_id = [], {}
        for msg in self._events():
            p = msg["params"]
            if p.get("type") != "Document":
                continue
            if msg["method"] == "Network.requestWillBeSent":
                if p.get("redirectResponse") and p["requestId"] in by_id:
                    by_id[p["requestId"]].status = p["redirectResponse"]["status"]
                hop = Hop(p["request"]["method"], p["request"]["url"])
                hops.append(hop)
                by_id[p["requestId"]] = hop
            elif p["requestId"] in by_id:
                by_id[p["requestId"]].status = p["response"]["status"]
        return hops

    def _settled(self):
        return self.d.execute_script(
            "return window.cartableOldPage === undefined && document.readyState === 'complete'")

    def get(self, url):
        """Loads `url`; returns the chain of document requests it took."""
        self._chain()  # forget what came before
        self.d.get(url)
        WebDriverWait(self.d, PAGE_DEADLINE).until(
            lambda d: d.execute_script("return document.readyState === 'complete'"))
        return self._chain()

    def tap(self, element):
        """A finger's tap on `element` (scrolled into view first); waits for the next page and
        returns the chain of document requests it took."""
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        self._chain()
        self.d.execute_script("window.cartableOldPage = true")
        finger = PointerInput(interaction.POINTER_TOUCH, "finger")
        actions = ActionBuilder(self.d, mouse=finger)
        actions.pointer_action.move_to(element).pointer_down().pause(0.05).pointer_up()
        actions.perform()
        try:
            WebDriverWait(self.d, DEADLINE).until(lambda d: self._settled())
        except TimeoutException:
            # A navigation the page's CSP refused leaves the browser where it was.
            raise Failure(f"no new page within {DEADLINE} s of the tap, still on {self.url}:\n"
                          f"{describe(self._chain())}\nconsole: {self.console()}") from None
        return self._chain()

    def login(self, username, password):
        """Fills Cartable's login form (the page shown now) and taps its button."""
        form = self.d.find_element(By.CSS_SELECTOR, 'form[action="/login"]')
        for name, value in (("username", username), ("password", password)):
            field = form.find_element(By.NAME, name)
            field.clear()
            field.send_keys(value)
        return self.tap(form.find_element(By.TAG_NAME, "button"))

    # ------------------------------------------------------------ the page

    @property
    def url(self):
        return self.d.current_url

    def text(self):
        return self.d.execute_script("return document.body ? document.body.innerText : ''")

    def on_login_page(self):
        return (self.url.startswith(self.ctx.portal("/login"))
                and bool(self.d.find_elements(By.CSS_SELECTOR, 'form[action="/login"] '
                                                               'input[type=password]')))

    def fits(self, what):
        """The page is no wider than the phone's screen (no horizontal scroll)."""
        sw, iw = self.d.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth]")
        expect(sw <= iw, f"{what} fits the phone: scrollWidth {sw} <= innerWidth {iw}")
        return iw

    def shot(self, name):
        path = os.path.join(self.shots, name + ".png")
        expect(self.d.save_screenshot(path), f"a screenshot saved to {path}")
        print(f"     screenshot: {path}")
        return path

    def console(self):
        """The console's messages since the last read (CSP violations land there)."""
        return [e.get("message", "") for e in self.d.get_log("browser")]


# ---------------------------------------------------------------- what the tests check

def oidc_start(ctx):
    return ctx.apache.url("/oidc/claims.php")


def check_oidc_landing(ctx, p, hops, username, class_name, client_id):
    ap = ctx.apache
    auth = [h for h in hops if h.url.startswith(ctx.portal("/oidc/authorize?"))]
    expect(auth and auth[0].query().get("client_id") == client_id,
           f"Chromium went through {ctx.portal('/oidc/authorize')} for {client_id}:\n"
           f"{describe(hops)}")
    back = [h for h in hops if h.url.startswith(ap.redirect_uri + "?")]
    expect(back and back[0].query().get("code")
           and back[0].query().get("state") == auth[0].query().get("state"),
           f"and back to {ap.redirect_uri} with a code and the state:\n{describe(hops)}")
    expect(p.url == oidc_start(ctx) and hops and hops[-1].status == 200,
           f"Chromium landed on the claims page with a 200, not {p.url}:\n{describe(hops)}")
    c = parse_lines(p.text(), "=")
    expect(c.get("REMOTE_USER") == username, f"REMOTE_USER={username}: {c}")
    expect(c.get("OIDC_CLAIM_preferred_username") == username,
           f"preferred_username {username}: {c}")
    groups = (c.get("OIDC_CLAIM_groups") or "").split(",")
    expect("role:pupil" in groups and f"class:{class_name}" in groups,
           f"groups has role:pupil and class:{class_name}: {groups}")


def check_cas_landing(ctx, p, hops, username):
    ap = ctx.apache
    login = [h for h in hops if h.url.startswith(ctx.portal("/cas/login?"))]
    expect(login and login[0].query().get("service") == ap.cas_service,
           f"Chromium went through {ctx.portal('/cas/login')} with service={ap.cas_service}:\n"
           f"{describe(hops)}")
    back = [h for h in hops if h.url.startswith(ap.cas_service + "?ticket=")]
    expect(back and back[0].query().get("ticket", "").startswith("ST-"),
           f"and back to the service with a ticket ST-...:\n{describe(hops)}")
    expect(p.url == ap.cas_service and hops and hops[-1].status == 200,
           f"Chromium landed on the CAS page with a 200, not {p.url}:\n{describe(hops)}")
    lines = p.text().splitlines()
    expect(f"user={username}" in lines, f"phpCAS says user={username}: {lines[:12]}")


def no_login_asked(ctx, hops, username):
    asked = [h for h in hops if h.url.startswith(ctx.portal("/login"))]
    expect(not asked, f"{username} was not asked to log in again:\n{describe(hops)}")


# ---------------------------------------------------------------- the tests

def g_dashboard_tiles(ctx, username, password, class_name, client_id):
    """Login on the portal's form, the tiles on the dashboard, a tap on each."""
    ap = ctx.apache
    p = Phone(ctx)
    _open["tiles"] = p
    hops = p.get(ctx.portal("/login"))
    expect(p.on_login_page(), f"the portal's login form, not {p.url}:\n{describe(hops)}")
    p.fits("the login page")
    hops = p.login(username, password)
    expect(p.url == ctx.portal("/"), f"{username} lands on the dashboard, not {p.url}:\n"
                                     f"{describe(hops)}")
    section = p.d.find_elements(By.ID, "my-apps")
    expect(section, f"the dashboard has the applications' tiles (#my-apps):\n{p.text()[:600]}")
    tiles = {a.get_attribute("href"): a for a in
             section[0].find_elements(By.CSS_SELECTOR, "a.app-tile")}
    want = {oidc_start(ctx), ap.cas_service}
    expect(set(tiles) == want, f"one tile per application with a launch address, leading "
                               f"there: {sorted(want)}, got {sorted(tiles)}")
    names = ", ".join(t.text for t in tiles.values())
    iw = p.fits("the dashboard")
    expect(iw == WIDTH, f"the dashboard is laid out for the phone's width ({WIDTH} CSS pixels, "
                        f"its viewport meta): innerWidth {iw}")
    p.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", section[0])
    p.shot("1-dashboard-tiles")
    print(f"     tiles: {names}")

    hops = p.tap(tiles[oidc_start(ctx)])
    expect(hops and hops[0].url == oidc_start(ctx), f"the tile's tap opened the claims page:\n"
                                                    f"{describe(hops)}")
    no_login_asked(ctx, hops, username)
    check_oidc_landing(ctx, p, hops, username, class_name, client_id)
    p.fits("the OIDC application's page")
    p.shot("2-oidc-landing")
    print(f"     chain: {' -> '.join(urllib.parse.urlsplit(h.url).path for h in hops)}")

    p.get(ctx.portal("/"))
    tile = p.d.find_element(By.CSS_SELECTOR, f'#my-apps a.app-tile[href="{ap.cas_service}"]')
    hops = p.tap(tile)
    expect(hops and hops[0].url == ap.cas_service, f"the tile's tap opened the CAS page:\n"
                                                   f"{describe(hops)}")
    no_login_asked(ctx, hops, username)
    check_cas_landing(ctx, p, hops, username)
    p.fits("the CAS application's page")
    p.shot("3-cas-landing")


def g_from_app(ctx, app, username, password, class_name, client_id):
    """A fresh browser opens the application's protected page: Cartable's login form, then,
    once it is posted, the application."""
    start = oidc_start(ctx) if app == "oidc" else ctx.apache.cas_service
    p = Phone(ctx)
    try:
        hops = p.get(start)
        expect(p.on_login_page(), f"the {app} page leads to Cartable's login form, not "
                                  f"{p.url}:\n{describe(hops)}")
        p.fits("the login page")
        hops = p.login(username, password)
        expect(hops and hops[0].method == "POST" and hops[0].url == ctx.portal("/login")
               and hops[0].status in (302, 303),
               f"the form was POSTed to /login and redirected:\n{describe(hops)}")
        violations = [m for m in p.console() if "Content Security Policy" in m]
        expect(not violations, f"no Content-Security-Policy violation: {violations}")
        if app == "oidc":
            check_oidc_landing(ctx, p, hops, username, class_name, client_id)
        else:
            check_cas_landing(ctx, p, hops, username)
        p.shot(f"4-from-{app}-landing")
        print(f"     chain: {' -> '.join(urllib.parse.urlsplit(h.url).path for h in hops)}")
    finally:
        p.quit()


def g_logout(ctx, username):
    """The tiles' browser logs out on the portal: both applications ask for a login again."""
    p = _open.pop("tiles", None)
    expect(p, f"{username}'s phone logged in to both applications (the tiles' test passed)")
    try:
        p.get(ctx.portal("/"))
        button = p.d.find_element(By.CSS_SELECTOR, 'form[action="/logout"] button')
        p.tap(button)
        p.get(ctx.portal("/"))
        expect(p.on_login_page(), f"after the logout the portal asks for a login, not {p.url}")
        for app, start in (("oidc", oidc_start(ctx)), ("cas", ctx.apache.cas_service)):
            seen = []

            def asks_login(start=start, seen=seen):
                seen[:] = p.get(start)
                return p.on_login_page()
            try:
                wait_for(f"the {app} application asks for a login again", asks_login)
            except Failure as e:
                raise Failure(f"{e}: still on {p.url}:\n{describe(seen)}\n{p.text()[:300]}") \
                    from None
            p.fits("the login page")
            p.shot(f"5-{app}-asks-login")
    finally:
        p.quit()


def tests(username, password, class_name, client_id):
    who = f"{username} ({class_name})"
    return [
        (f"g. Chromium on a phone: {who} logs in on the portal, taps each application's tile "
         f"and lands in it as herself without a second login", g_dashboard_tiles, username,
         password, class_name, client_id),
        ("g. Chromium, fresh: the OIDC page -> Cartable's login form -> POST /login -> "
         "authorize -> the page (CSP form-action)", g_from_app, "oidc", username, password,
         class_name, client_id),
        ("g. Chromium, fresh: the CAS page -> Cartable's login form -> POST /login -> "
         "/cas/login -> the page (CSP form-action)", g_from_app, "cas", username, password,
         class_name, client_id),
        ("g. Chromium: logout on the portal, then both applications ask for a login again",
         g_logout, username),
    ]

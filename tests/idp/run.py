#!/usr/bin/env python3
"""Single sign-on against real relying parties: Cartable as OpenID Connect provider and CAS server,
driven through Debian's Apache with mod_auth_openidc, a phpCAS page, and Python's Authlib.

    python3 tests/idp/run.py [--binary target/debug/cartable] [--keep]

One data directory, one server on free loopback ports (HTTP and HTTPS; the relying parties use
`https://localhost:PORT`, a name in the server certificate, trusting DATA/tls/ca.crt), accounts
made with the CLI (pupils in "6e A" and one in "5e B", a teacher of 6e A, a parent of a 6e A
pupil linked on the admin's page), and applications registered with `cartable app add`: an OIDC
client for mod_auth_openidc (roles pupil, teacher, parent; class 6e A; back-channel logout to the
module), a CAS service for phpCAS (same audience, claim profile ent_fr), and a confidential and a
public client for Authlib. One private Apache (tests/idp/apache.py) serves both relying parties.
Every step is a request of a cookie-jar HTTP client that follows redirects by hand, so that each
hop is checked:

  a. pupil, teacher, parent: the protected OIDC page sends them to Cartable's authorize, which
     asks for a login (POST /login with the form's csrf and the pre-session cookie), then back
     to the page with REMOTE_USER, name, email, `groups` with `role:...` and `class:6e A` (the
     parent's through the child), a `sub` that is not the username (the same at the next login,
     a different one per person); the CAS page then logs them in without asking again (one
     session), `user=` and the ent_fr attributes; the other order for the teacher;
  b. the 5e B pupil is refused by both with Cartable's own 403 page, no redirect back to the
     application and no redirect loop;
  c. logout at Cartable (POST /logout with csrf): both applications ask for a login again
     (back-channel logout to mod_auth_openidc, CAS single logout POSTed to phpCAS);
  d. logout at the applications: mod_auth_openidc's `redirect_uri?logout=URL` goes through
     Cartable's end_session and back, phpCAS's logout through /cas/logout; either way the
     portal's `/` then asks for a login, and so does the other application;
  e. Authlib, a second OpenID Connect client: discovery validated as metadata, the JWKS (public
     keys only), the code flow with PKCE S256 for a confidential client (client_secret_post) and
     a public one, the ID token verified (signature against the JWKS, iss, aud, nonce, exp, iat;
     a forged signature, another nonce or another audience refused), userinfo agreeing with
     it, a replayed code refused; a refresh token that works until the person logs out of the
     portal, after which neither it nor the access token does;
  f. a pupil logged in to both applications is disabled with `cartable user disable` while the
     server runs: both applications ask for a login again, and the next login is refused;
  g. the same in a real browser, Chromium on a phone (tests/idp/browser.py): a pupil taps the
     applications' tiles on the dashboard and lands in them logged in; Cartable's login form
     leads on to the application; logout on the portal ends both.

Polls with deadlines, never asserts on speed. Ends with `N passed, N failed`, exit status 1 on
any failure. Needs root (Apache's children run as nobody) and Debian's apache2,
libapache2-mod-auth-openidc, libapache2-mod-php8.2, php-cas, Authlib, and for g Chromium, its
driver and Selenium (sh tests/install-deps.sh).
"""

import argparse
import os
import re
import shutil
import signal
import sys
import tempfile
import time
import traceback
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from apache import Apache  # noqa: E402
from web import (Browser, Failure, Server, cli, describe, expect, login_form,  # noqa: E402
                 parse_lines, wait_for)
import authlib_rp  # noqa: E402
import browser  # noqa: E402

HOST = "127.0.0.1"
TLS_NAME = "localhost"  # in the server certificate by default; resolves to loopback
DOMAIN = "ecole.test"
PASSWORD = "plume-et-encrier-2026"
CLASS_A, CLASS_B = "6e A", "5e B"
# username, role, first name, last name, class
ACCOUNTS = [
    ("admin.idp", "admin", "Ada", "Admin", None),
    ("amina.diallo", "pupil", "Amina", "Diallo", CLASS_A),
    ("leo.petit", "pupil", "Léo", "Petit", CLASS_B),
    ("j.martin", "teacher", "Jeanne", "Martin", CLASS_A),
    ("f.diallo", "parent", "Fatou", "Diallo", None),
    ("nina.roux", "pupil", "Nina", "Roux", CLASS_A),
]
ADMIN, PUPIL, OTHER_PUPIL, TEACHER, PARENT, LEAVER = (a[0] for a in ACCOUNTS)
ROLE = {a[0]: a[1] for a in ACCOUNTS}
NAME = {a[0]: f"{a[2]} {a[3]}" for a in ACCOUNTS}
FIRST_LAST = {a[0]: (a[2], a[3]) for a in ACCOUNTS}
# The French ENT profile (SDET) of each role, in the CAS attributes of the ent_fr profile.
ENT_PROFILE = {"pupil": "National_ELV", "teacher": "National_ENS", "parent": "National_TUT"}
OIDC_SLUG, CAS_SLUG = "apache-oidc", "phpcas"
AUTHLIB_SLUG, AUTHLIB_PUBLIC_SLUG = "authlib", "authlib-public"
AUTHLIB_REDIRECT = authlib_rp.REDIRECT  # never fetched: the code is read from Location


class Context:
    def __init__(self, binary, root):
        self.binary = binary
        self.root = root
        self.data = os.path.join(root, "data")
        self.log_path = os.path.join(root, "server.log")
        self.server = None
        self.apache = Apache(os.path.join(root, "apache"))
        self.ca = os.path.join(root, "ca.crt")
        self.issuer = None
        self.secrets = {}
        self.browsers = {}  # username -> the Browser logged in to both applications
        self.subs = {}      # username -> sub seen through mod_auth_openidc

    def cli(self, *args, **kw):
        return cli(self.binary, self.data, *args, **kw)

    def browser(self):
        return Browser(self.ca)

    def portal(self, path="/"):
        return self.issuer + path

    def is_login_page(self, hop):
        """Cartable's login page (its URL, a 200, a form with a password field)."""
        return (hop.status == 200 and hop.url.startswith(self.portal("/login"))
                and login_form(hop.body) is not None)

    def logs(self):
        out = []
        if self.server:
            out.append(self.server.log_tail(20))
        out.append(self.apache.log_tail(20))
        out.append(self.apache.access_tail(15))
        return "\n".join(out)


# ---------------------------------------------------------------- set-up

def setup(ctx):
    for username, role, first, last, cls in ACCOUNTS:
        args = ["user", "add", "--username", username, "--role", role, "--first-name", first,
                "--last-name", last, "--language", "fr", "--password-stdin"]
        if cls:
            args += ["--class", cls]
        ctx.cli(*args, stdin=PASSWORD + "\n")
    ctx.cli("mail", "config", "--domain", DOMAIN)
    ctx.server = Server(ctx.binary, ctx.data, ctx.log_path)
    https_port = ctx.server.port("https")
    ctx.issuer = f"https://{TLS_NAME}:{https_port}"
    shutil.copyfile(os.path.join(ctx.data, "tls", "ca.crt"), ctx.ca)
    link_parent(ctx)
    ap = ctx.apache
    common = ["--role", "pupil", "--role", "teacher", "--role", "parent", "--class", CLASS_A]
    out = ctx.cli("app", "add", "--name", "Apache OIDC", "--protocol", "oidc", "--slug", OIDC_SLUG,
                  "--redirect-uri", ap.redirect_uri,
                  "--post-logout-uri", ap.url("/loggedout.html"),
                  "--backchannel-logout-url", ap.url("/oidc/redirect_uri?logout=backchannel"),
                  "--launch-url", ap.url("/oidc/claims.php"), *common)
    oidc = registered(out, OIDC_SLUG, secret=True)
    out = ctx.cli("app", "add", "--name", "phpCAS", "--protocol", "cas", "--slug", CAS_SLUG,
                  "--service", ap.url("/cas/"), "--claims", "ent_fr",
                  "--launch-url", ap.url("/cas/index.php"), *common)
    registered(out, CAS_SLUG, secret=False)
    out = ctx.cli("app", "add", "--name", "Authlib", "--protocol", "oidc", "--slug",
                  AUTHLIB_SLUG, "--redirect-uri", AUTHLIB_REDIRECT, *common)
    ctx.secrets[AUTHLIB_SLUG] = registered(out, AUTHLIB_SLUG, secret=True)
    out = ctx.cli("app", "add", "--name", "Authlib public", "--protocol", "oidc", "--slug",
                  AUTHLIB_PUBLIC_SLUG, "--redirect-uri", AUTHLIB_REDIRECT, "--public", *common)
    registered(out, AUTHLIB_PUBLIC_SLUG, secret=False)
    listed = ctx.cli("app", "list")
    for slug in (OIDC_SLUG, CAS_SLUG, AUTHLIB_SLUG, AUTHLIB_PUBLIC_SLUG):
        expect(re.search(rf"^{re.escape(slug)}\t", listed, re.M),
               f"`app list` has a line `{slug}<TAB>...`: {listed!r}")

    # mod_auth_openidc asks for the scopes the provider offers beyond the standard ones, if any
    # carries the roles and groups.
    meta = discovery(ctx)
    extra = [s for s in ("groups", "roles") if s in (meta.get("scopes_supported") or [])]
    ap.configure_oidc(ctx.portal("/.well-known/openid-configuration"), OIDC_SLUG, oidc, ctx.ca,
                      scopes=" ".join(["openid", "profile", "email", *extra]))
    ap.configure_cas(TLS_NAME, https_port, ctx.ca)
    ap.start()


def registered(out, slug, secret):
    """The client id (and secret) `app add` printed once."""
    cid = re.search(r"^client_id: (\S+)$", out, re.M)
    expect(cid and cid.group(1) == slug, f"`app add` printed `client_id: {slug}`: {out!r}")
    sec = re.search(r"^client_secret: (\S+)$", out, re.M)
    if secret:
        expect(sec, f"`app add` printed a `client_secret: ...` for {slug}: {out!r}")
        return sec.group(1)
    expect(not sec, f"no client secret printed for {slug}: {out!r}")
    return None


def discovery(ctx):
    hop = ctx.browser().request("GET", ctx.portal("/.well-known/openid-configuration"))
    expect(hop.status == 200, f"GET /.well-known/openid-configuration answered {hop.status}")
    return hop.json()


def portal_login(ctx, b, username, base=None):
    """Logs `b` in to the portal directly (GET /login, POST it)."""
    base = base or ctx.issuer
    hops = b.follow("GET", base + "/login")
    expect(hops[-1].status == 200 and login_form(hops[-1].body),
           f"GET /login shows the login form:\n{describe(hops)}")
    hops = submit_login(b, hops[-1], username)
    expect(hops[0].status == 303, f"the login of {username} answered 303:\n{describe(hops)}")
    return hops


def submit_login(b, page, username, password=PASSWORD):
    """Fills the login form of `page` (its csrf and next fields kept) and follows the answer."""
    form = login_form(page.body)
    expect(form and form.fields.get("csrf"), f"the login page has a form with a csrf field "
                                             f"({page.url})")
    fields = dict(form.fields, username=username, password=password)
    action = urllib.parse.urljoin(page.url, form.action or page.url)
    return b.follow("POST", action, fields)


def link_parent(ctx):
    """The admin links the parent to the 6e A pupil on the account's page (no CLI for it)."""
    base = f"http://{HOST}:{ctx.server.http_port}"
    b = ctx.browser()
    portal_login(ctx, b, ADMIN, base)
    hop = b.request("GET", f"{base}/admin/users?q={PARENT}")
    ids = list(dict.fromkeys(re.findall(r'href="/admin/users/(\d+)"', hop.body)))
    expect(hop.status == 200 and ids, f"the admin finds {PARENT} in /admin/users ({hop.status})")
    for uid in ids:  # the parent's page: the one with a form that links a child
        page = b.request("GET", f"{base}/admin/users/{uid}")
        forms = [f for f in page.forms() if f.action.endswith(f"/admin/users/{uid}/links")]
        if page.status == 200 and forms and PARENT in page.body:
            break
    else:
        raise Failure(f"none of the pages {ids} found for {PARENT} has the form that links a "
                      f"child")
    hop = b.request("POST", urllib.parse.urljoin(page.url, forms[0].action),
                    dict(forms[0].fields, username=PUPIL))
    expect(hop.status == 303, f"linking {PARENT} to {PUPIL} answered {hop.status} "
                              f"{hop.location}: {hop.text()[:300]}")
    page = b.request("GET", f"{base}/admin/users/{uid}")
    expect(f">{PUPIL}<" in page.body, f"{PARENT}'s page lists {PUPIL} as a child")


# ---------------------------------------------------------------- the relying parties

def claims_page(hop):
    return parse_lines(hop.body, "=")


def cas_page(hop):
    out = {}
    for line in hop.body.splitlines():
        if line.startswith("user="):
            out["user"] = line[5:]
        elif line.startswith("attr ") and "=" in line:
            k, v = line[5:].split("=", 1)
            out.setdefault("attrs", {})[k] = v
    return out


def login_through(ctx, b, start, username, app):
    """GET `start` (a protected page); when the chain ends on Cartable's login page, log in
    there and follow on. Returns (hops before the login or None, hops after it)."""
    hops = b.follow("GET", start)
    if not ctx.is_login_page(hops[-1]):
        return None, hops
    expect(hops[0].status in (302, 303), f"{app} sends the visitor away first:\n{describe(hops)}")
    return hops, submit_login(b, hops[-1], username)


def oidc_login(ctx, b, username, expect_login=True):
    """The OIDC page, for `username`: checks every hop; returns the claims page's variables."""
    ap = ctx.apache
    before, after = login_through(ctx, b, ap.url("/oidc/claims.php"), username, "mod_auth_openidc")
    chain = (before or []) + after
    auth = [h for h in chain if h.url.startswith(ctx.portal("/oidc/authorize?"))]
    expect(auth, f"mod_auth_openidc sent the visitor to {ctx.portal('/oidc/authorize')}:\n"
                 f"{describe(chain)}")
    q = auth[0].query()
    expect(q.get("client_id") == OIDC_SLUG and q.get("response_type") == "code"
           and q.get("redirect_uri") == ap.redirect_uri and q.get("code_challenge_method") == "S256"
           and q.get("state") and q.get("nonce"),
           f"the authorization request carries client_id, code, redirect_uri, S256, state and "
           f"nonce: {auth[0].url}")
    if expect_login:
        expect(before is not None, f"Cartable asked {username} to log in:\n{describe(chain)}")
    else:
        expect(before is None, f"Cartable did not ask {username} again (one session):\n"
                               f"{describe(chain)}")
    back = [h for h in chain if h.url.startswith(ap.redirect_uri + "?")]
    expect(back, f"Cartable sent the code back to {ap.redirect_uri}:\n{describe(chain)}"
                 f"\n{ap.log_tail(10)}")
    bq = back[0].query()
    expect(bq.get("code") and bq.get("state") == q["state"],
           f"the code comes back with the request's state: {back[0].url}")
    expect(bq.get("iss") == ctx.issuer, f"the response names the issuer {ctx.issuer} "
                                        f"(RFC 9207): {back[0].url}")
    last = chain[-1]
    expect(last.status == 200 and last.url == ap.url("/oidc/claims.php"),
           f"back on the claims page with a 200:\n{describe(chain)}\n{ap.log_tail(15)}")
    return claims_page(last)


def check_oidc_claims(ctx, username, c):
    role = ROLE[username]
    expect(c.get("REMOTE_USER") == username, f"REMOTE_USER={username}: {c}")
    expect(c.get("OIDC_CLAIM_preferred_username") == username,
           f"preferred_username {username}: {c}")
    sub = c.get("OIDC_CLAIM_sub", "")
    expect(sub and username not in sub and sub != username,
           f"a sub that is not the username: {sub!r}")
    expect(c.get("OIDC_CLAIM_email") == f"{username}@{DOMAIN}",
           f"email {username}@{DOMAIN} (the Cartable mailbox): {c.get('OIDC_CLAIM_email')!r}")
    first, last = FIRST_LAST[username]
    want = {"name": NAME[username], "given_name": first, "family_name": last, "locale": "fr",
            "email_verified": "1"}  # mod_auth_openidc passes JSON true as 1
    got = {k: c.get(f"OIDC_CLAIM_{k}") for k in want}
    expect(got == want, f"the profile claims {want}: {got}")
    expect(c.get("OIDC_CLAIM_sid"), f"the ID token's sid reached the page: {c}")
    groups = (c.get("OIDC_CLAIM_groups") or "").split(",")
    expect(f"role:{role}" in groups, f"groups has role:{role}: {groups}")
    # The parent's classes are their child's.
    expect(f"class:{CLASS_A}" in groups, f"groups has class:{CLASS_A}: {groups}")
    expect(f"class:{CLASS_B}" not in groups, f"groups has no class:{CLASS_B}: {groups}")
    roles = (c.get("OIDC_CLAIM_roles") or "").split(",")
    expect(role in roles, f"roles has {role}: {roles}")
    expect(c.get("OIDC_CLAIM_iss") == ctx.issuer, f"iss {ctx.issuer}: {c.get('OIDC_CLAIM_iss')}")
    if username in ctx.subs:
        expect(ctx.subs[username] == sub, f"{username}'s sub is stable: {ctx.subs[username]} "
                                          f"then {sub}")
    else:
        others = {u: s for u, s in ctx.subs.items() if s == sub}
        expect(not others, f"{username}'s sub differs from {list(others)}'s")
        ctx.subs[username] = sub


def cas_login(ctx, b, username, expect_login=True):
    ap = ctx.apache
    before, after = login_through(ctx, b, ap.cas_service, username, "phpCAS")
    chain = (before or []) + after
    login = [h for h in chain if h.url.startswith(ctx.portal("/cas/login?"))]
    expect(login, f"phpCAS sent the visitor to {ctx.portal('/cas/login')}:\n{describe(chain)}")
    expect(login[0].query().get("service") == ap.cas_service,
           f"with service={ap.cas_service}: {login[0].url}")
    if expect_login:
        expect(before is not None, f"Cartable asked {username} to log in:\n{describe(chain)}")
    else:
        expect(before is None, f"Cartable did not ask {username} again (one session):\n"
                               f"{describe(chain)}")
    back = [h for h in chain if h.url.startswith(ap.cas_service + "?ticket=")]
    expect(back and back[0].query().get("ticket", "").startswith("ST-"),
           f"Cartable sent a service ticket ST-... to the service:\n{describe(chain)}")
    last = chain[-1]
    expect(last.status == 200 and last.url == ap.cas_service,
           f"back on the CAS page with a 200:\n{describe(chain)}\n{ap.log_tail(15)}")
    return cas_page(last)


def check_cas_attributes(username, got):
    expect(got.get("user") == username, f"phpCAS user={username}: {got}")
    attrs = got.get("attrs") or {}
    # phpCAS gives one value as a string, several as a list (shown here as JSON).
    want = {"uid": f'"{username}"', "mail": f'"{username}@{DOMAIN}"',
            "displayName": f'"{NAME[username]}"'}
    have = {k: attrs.get(k) for k in want}
    expect(have == want, f"the standard attributes {want}: {have}")
    expect(f'"role:{ROLE[username]}"' in attrs.get("groups", "") and
           f'"class:{CLASS_A}"' in attrs.get("groups", ""),
           f"groups has role:{ROLE[username]} and class:{CLASS_A}: {attrs.get('groups')}")
    profile = ENT_PROFILE[ROLE[username]]
    expect(profile in attrs.get("ENTPersonProfils", ""),
           f"the ent_fr attribute ENTPersonProfils is {profile}: {attrs}")
    # The parent's classes are their child's.
    expect(CLASS_A in attrs.get("ENTClasse", ""), f"ENTClasse names {CLASS_A}: {attrs}")
    expect(CLASS_B not in attrs.get("ENTClasse", ""), f"ENTClasse has no {CLASS_B}: {attrs}")


def a_login(ctx, username, oidc_first=True):
    b = ctx.browser()
    if oidc_first:
        check_oidc_claims(ctx, username, oidc_login(ctx, b, username))
        check_cas_attributes(username, cas_login(ctx, b, username, expect_login=False))
    else:
        check_cas_attributes(username, cas_login(ctx, b, username))
        check_oidc_claims(ctx, username, oidc_login(ctx, b, username, expect_login=False))
    ctx.browsers[username] = b


def a_second_login_same_sub(ctx, username):
    """A fresh browser, the same person: the same sub (stable), a new session."""
    b = ctx.browser()
    check_oidc_claims(ctx, username, oidc_login(ctx, b, username))


def b_refused(ctx, app):
    ap = ctx.apache
    b = ctx.browser()
    start = ap.url("/oidc/claims.php") if app == "oidc" else ap.cas_service
    before, after = login_through(ctx, b, start, OTHER_PUPIL, app)
    expect(before is not None, f"Cartable asked {OTHER_PUPIL} to log in:\n{describe(after)}")
    refusal = after[-1]
    expect(refusal.status == 403 and refusal.url.startswith(ctx.issuer),
           f"{OTHER_PUPIL} ({CLASS_B}) ends on a Cartable page with a 403:\n{describe(after)}")
    expect(len(after) <= 3, f"no redirect loop after the login:\n{describe(after)}")
    expect("html" in refusal.headers.get("Content-Type", "") and len(refusal.text()) > 20,
           f"the refusal is a page that says something:\n{refusal.text()[:500]!r}")
    expect(not any(h.url.startswith(ap.url("/")) for h in after[1:]),
           f"nothing was sent back to the application:\n{describe(after)}")
    # Once more, logged in this time: the same page at once, still no loop.
    again = b.follow("GET", start)
    expect(again[-1].status == 403 and len(again) <= 3,
           f"the application again: Cartable's 403 with no loop:\n{describe(again)}")
    print(f"     refusal page: {refusal.text()[:160]!r}")


def c_logout_at_cartable(ctx):
    b = ctx.browsers.get(PUPIL)
    expect(b, f"{PUPIL} logged in to both applications (a. passed)")
    mark = ctx.apache.log_size()
    logout_at_portal(ctx, b)
    expect_asks_login(ctx, b, "oidc", mark)
    expect_asks_login(ctx, b, "cas", mark)


def logout_at_portal(ctx, b):
    page = b.request("GET", ctx.portal("/"))
    forms = [f for f in page.forms() if f.action.rstrip("/").endswith("/logout")]
    expect(page.status == 200 and forms, f"the portal's page has the logout form ({page.status})")
    hop = b.request("POST", urllib.parse.urljoin(page.url, forms[0].action), forms[0].fields)
    # A session that signed in to an application without back-channel logout (Authlib's here)
    # ends on a page naming it, to be logged out of by hand; otherwise straight to /login.
    named = hop.status == 200 and "Authlib" in hop.body and 'class="card narrow"' in hop.body
    expect(hop.status in (302, 303) or named, f"POST /logout answered {hop.status}")
    expect_portal_asks_login(ctx, b)


def expect_portal_asks_login(ctx, b):
    hop = b.request("GET", ctx.portal("/"))
    expect(hop.status in (302, 303) and (hop.location or "").split("?")[0].endswith("/login"),
           f"the portal's / now sends to /login: {hop.status} {hop.location}")


def expect_asks_login(ctx, b, app, mark):
    """The application's page, polled until its own session has ended: it sends the visitor to
    Cartable, which asks for a login."""
    ap = ctx.apache
    start = ap.url("/oidc/claims.php") if app == "oidc" else ap.cas_service
    last = []

    def probe():
        hop = b.request("GET", start)
        last[:] = [hop]
        return hop.status in (302, 303)
    try:
        wait_for(f"the {app} page stops answering as logged in", probe)
    except Failure as e:
        seen = claims_page(last[0]) if app == "oidc" else cas_page(last[0])
        since = ap.log_since(mark)[-2500:]
        raise Failure(f"{e}: still {last[0].status} with {seen}"
                      + (f"\nApache's error log since the logout:\n{since}" if since else "")
                      ) from None
    hops = b.follow("GET", start)
    expect(ctx.is_login_page(hops[-1]), f"the {app} page asks for a login again:\n"
                                        f"{describe(hops)}")


def d_logout_at_oidc_app(ctx):
    ap = ctx.apache
    b = ctx.browsers.get(TEACHER)
    expect(b, f"{TEACHER} logged in to both applications (a. passed)")
    mark = ap.log_size()
    done = ap.url("/loggedout.html")
    hops = b.follow("GET", ap.redirect_uri + "?logout=" + urllib.parse.quote(done, safe=""))
    end = [h for h in hops if h.url.startswith(ctx.portal("/oidc/logout"))]
    expect(end, f"mod_auth_openidc sent the visitor to Cartable's end_session:\n{describe(hops)}")
    q = end[0].query()
    expect(q.get("id_token_hint") and q.get("post_logout_redirect_uri") == done,
           f"with id_token_hint and post_logout_redirect_uri={done}: {end[0].url}")
    last = hops[-1]
    if last.url.startswith(ctx.issuer) and last.status == 200 and last.forms():
        print("     note: Cartable asked to confirm the logout (a valid id_token_hint for this "
              "session should not need it); confirming")
        form = last.forms()[0]
        hops = b.follow("POST", urllib.parse.urljoin(last.url, form.action or last.url),
                        form.fields)
        last = hops[-1]
    expect(last.status == 200 and last.url == done,
           f"back on the registered post-logout page:\n{describe(hops)}")
    expect_portal_asks_login(ctx, b)
    expect_asks_login(ctx, b, "oidc", mark)
    expect_asks_login(ctx, b, "cas", mark)  # Cartable's session ended: CAS single logout


def d_logout_at_cas_app(ctx):
    ap = ctx.apache
    b = ctx.browsers.get(PARENT)
    expect(b, f"{PARENT} logged in to both applications (a. passed)")
    mark = ap.log_size()
    hops = b.follow("GET", ap.cas_service + "?logout")
    out = [h for h in hops if h.url.startswith(ctx.portal("/cas/logout"))]
    expect(out, f"phpCAS sent the visitor to Cartable's /cas/logout:\n{describe(hops)}")
    expect(hops[-1].status == 200, f"the logout ends on a page:\n{describe(hops)}")
    expect_portal_asks_login(ctx, b)
    expect_asks_login(ctx, b, "cas", mark)
    expect_asks_login(ctx, b, "oidc", mark)  # Cartable's session ended: back-channel logout


def e_authlib_confidential(ctx):
    authlib_rp.confidential_client(
        ctx, discovery(ctx), lambda b: portal_login(ctx, b, TEACHER), AUTHLIB_SLUG,
        ctx.secrets[AUTHLIB_SLUG], TEACHER, ROLE[TEACHER], ["role:teacher", f"class:{CLASS_A}"])


def e_authlib_refresh(ctx):
    authlib_rp.refresh_then_logout(
        ctx, discovery(ctx), lambda b: portal_login(ctx, b, TEACHER),
        lambda b: logout_at_portal(ctx, b), AUTHLIB_SLUG, ctx.secrets[AUTHLIB_SLUG])


def e_authlib_public(ctx):
    authlib_rp.public_client(ctx, discovery(ctx), lambda b: portal_login(ctx, b, PUPIL),
                             AUTHLIB_PUBLIC_SLUG, PUPIL)


def f_disabled_account(ctx):
    """Disabling an account (here from the command line, while the server runs) ends its
    sessions, and so logs it out of the applications too; its next login is refused."""
    b = ctx.browser()
    check_oidc_claims(ctx, LEAVER, oidc_login(ctx, b, LEAVER))
    check_cas_attributes(LEAVER, cas_login(ctx, b, LEAVER, expect_login=False))
    mark = ctx.apache.log_size()
    ctx.cli("user", "disable", LEAVER)
    expect_portal_asks_login(ctx, b)
    expect_asks_login(ctx, b, "oidc", mark)
    expect_asks_login(ctx, b, "cas", mark)
    hops = b.follow("GET", ctx.apache.url("/oidc/claims.php"))
    expect(ctx.is_login_page(hops[-1]), f"the login page:\n{describe(hops)}")
    after = submit_login(b, hops[-1], LEAVER)
    expect(after[0].status != 303 and not any(h.url.startswith(ctx.apache.url("/"))
                                              for h in after),
           f"a disabled account's login is refused:\n{describe(after)}")


# ---------------------------------------------------------------- the run

def on_signal(signum, _frame):
    raise SystemExit(128 + signum)  # unwinds through the clean-up below


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default="target/debug/cartable")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder and logs")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    root = tempfile.mkdtemp(prefix="cartable-idp-")
    ctx = Context(binary, root)
    passed = failed = 0

    def run(name, fn, *a):
        nonlocal passed, failed
        started = time.monotonic()
        try:
            fn(ctx, *a)
            passed += 1
            print(f"ok   {name} ({time.monotonic() - started:.1f} s)", flush=True)
        except Exception as e:  # noqa: BLE001 - report any failure, then count it
            failed += 1
            if isinstance(e, Failure):
                print(f"FAIL {name}: {e}")
            else:
                traceback.print_exc()
                print(f"FAIL {name}")
            print(ctx.logs())
            sys.stdout.flush()

    tests = [
        ("a. pupil: OIDC page -> Cartable login -> claims; then CAS without a new login",
         a_login, PUPIL),
        ("a. teacher: CAS page -> Cartable login -> ent_fr attributes; then OIDC without a "
         "new login", a_login, TEACHER, False),
        ("a. parent: OIDC page -> Cartable login -> claims; then CAS without a new login",
         a_login, PARENT),
        ("a. pupil again in a fresh browser: the same sub", a_second_login_same_sub, PUPIL),
        (f"b. the {CLASS_B} pupil is refused by the OIDC application: Cartable's 403, no loop",
         b_refused, "oidc"),
        (f"b. the {CLASS_B} pupil is refused by the CAS application: Cartable's 403, no loop",
         b_refused, "cas"),
        ("e. Authlib: discovery, JWKS, code flow with PKCE (confidential client), ID token, "
         "userinfo", e_authlib_confidential),
        ("e. Authlib: a public client with PKCE; a wrong verifier or none, no token",
         e_authlib_public),
        ("e. Authlib: a refresh token works until the logout at the portal, then neither it "
         "nor the access token does", e_authlib_refresh),
        ("c. logout at Cartable: both applications ask for a login again",
         c_logout_at_cartable),
        ("d. logout at the OIDC application (end_session) ends the Cartable session and CAS's",
         d_logout_at_oidc_app),
        ("d. logout at the CAS application (/cas/logout) ends the Cartable session and OIDC's",
         d_logout_at_cas_app),
        ("f. an account disabled from the command line is logged out of both applications, "
         "and its next login refused", f_disabled_account),
        *browser.tests(PUPIL, PASSWORD, CLASS_A, OIDC_SLUG),
    ]
    t0 = time.monotonic()
    try:
        try:
            setup(ctx)
        except Exception as e:  # noqa: BLE001
            if not isinstance(e, Failure):
                traceback.print_exc()
            print(f"FAIL set-up (accounts, applications, server, Apache): {e}")
            print(ctx.logs())
            failed += 1
            tests = []
        for name, fn, *a in tests:
            run(name, fn, *a)
    finally:
        try:
            ctx.apache.stop()
        finally:
            if ctx.server:
                ctx.server.stop()
            if args.keep:
                print(f"kept {root}")
            else:
                shutil.rmtree(root, ignore_errors=True)
    print(f"single sign-on tests took {time.monotonic() - t0:.0f} s")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())

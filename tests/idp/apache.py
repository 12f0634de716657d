#!/usr/bin/env python3
"""A real Apache httpd (Debian's) on a loopback port, in a folder of its own: the relying parties
of the identity-provider test, one instance serving both.

  /oidc/            protected by mod_auth_openidc (Debian's libapache2-mod-auth-openidc): the code
                    flow with PKCE S256 and a client secret, the claims passed to the page as
                    environment variables; /oidc/redirect_uri is the module's own (the code comes
                    back there, and `?logout=URL` / `?logout=backchannel` end its session);
  /oidc/claims.php  prints REMOTE_USER (the `preferred_username` claim) and every OIDC_* variable,
                    one `NAME=value` a line;
  /cas/index.php    phpCAS 1.6 (Debian's php-cas, what Moodle's CAS login is built on) as a CAS
                    3.0 client with attributes: prints `user=NAME` and `attr NAME=<json>` lines;
                    `?logout` calls phpCAS::logout(); a POSTed `logoutRequest` (single logout)
                    ends the PHP session it names;
  /loggedout.html   a plain page to come back to after a logout.

Nothing of the system's Apache is used or touched: the instance has its own httpd.conf (written
here, loading only the modules it needs), its PidFile, runtime directory, error log, PHP session
folder and the CA certificate it trusts all inside its folder, runs its children as `nobody`, and
listens on 127.0.0.1 only:

    ap = Apache(root, port=None)            # root: an empty folder; port: picked when None
    ap.configure_oidc(metadata_url=..., client_id=..., client_secret=..., ca_cert=PATH,
                      scopes="openid profile email")
    ap.configure_cas(host="localhost", port=CAS_PORT, path="/cas", ca_cert=PATH)
    ap.start()                               # returns once it answers
    ap.url("/oidc/claims.php")               # http://127.0.0.1:PORT/oidc/claims.php
    ap.stop()                                # returns once its port is closed
    ap.log_tail(), ap.access_tail()          # the last lines of its logs

Runs as root (Apache binds and then switches its children to `nobody`) and needs Debian's
apache2, libapache2-mod-auth-openidc, libapache2-mod-php8.2 and php-cas (tests/install-deps.sh).

`python3 tests/idp/apache.py` checks the module on its own: the instance starts with both parts
configured (against a provider that is not there), serves the plain page, sends the protected
pages' visitors towards their login, and stops.
"""

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

APACHE = shutil.which("apache2") or "/usr/sbin/apache2"
MODULES = "/usr/lib/apache2/modules"
PHPCAS = "/usr/share/php/CAS.php"
HOST = "127.0.0.1"
RUN_USER = "nobody"


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class ApacheError(Exception):
    pass


def php_string(s):
    """A PHP single-quoted string literal."""
    return "'" + str(s).replace("\\", "\\\\").replace("'", "\\'") + "'"


def conf_string(s):
    """An httpd.conf double-quoted argument."""
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


CLAIMS_PHP = """<?php
// What mod_auth_openidc handed to the application: REMOTE_USER and the OIDC_* variables.
header('Content-Type: text/plain; charset=utf-8');
header('Cache-Control: no-store');
echo 'REMOTE_USER=' . ($_SERVER['REMOTE_USER'] ?? '') . "\\n";
$seen = [];
foreach ($_SERVER as $k => $v) {
    $name = preg_replace('/^REDIRECT_/', '', $k);
    if (strncmp($name, 'OIDC_', 5) === 0 && !isset($seen[$name]) && is_string($v)) {
        $seen[$name] = true;
        echo $name . '=' . str_replace("\\n", ' ', $v) . "\\n";
    }
}
"""

CAS_PHP = """<?php
// A phpCAS client for CAS 3.0 with attributes.
require_once {phpcas};
phpCAS::client(CAS_VERSION_3_0, {host}, {port}, {path}, {service_base});
phpCAS::setCasServerCACert({ca}, true);
phpCAS::handleLogoutRequests(true, ['127.0.0.1', 'localhost']);
if (isset($_GET['logout'])) {{
    phpCAS::logout();
}}
phpCAS::forceAuthentication();
header('Content-Type: text/plain; charset=utf-8');
header('Cache-Control: no-store');
echo 'user=' . phpCAS::getUser() . "\\n";
foreach (phpCAS::getAttributes() as $k => $v) {{
    $json = json_encode($v, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
    echo 'attr ' . $k . '=' . $json . "\\n";
}}
"""

LOGGED_OUT_HTML = """<!doctype html>
<html><head><meta charset="utf-8"><title>Logged out</title></head>
<body><p>logged out of the test application</p></body></html>
"""


class Apache:
    def __init__(self, root, port=None):
        self.root = os.path.abspath(root)
        self.port = port or free_port()
        self.www = os.path.join(self.root, "www")
        self.run_dir = os.path.join(self.root, "run")
        self.sessions = os.path.join(self.root, "php-sessions")
        self.error_log = os.path.join(self.root, "error.log")
        self.access_log = os.path.join(self.root, "access.log")
        self.conf = os.path.join(self.root, "httpd.conf")
        self.pid_file = os.path.join(self.run_dir, "httpd.pid")
        self.oidc = None
        self.cas = None
        self.proc = None
        self._log = None

    def url(self, path="/"):
        return f"http://{HOST}:{self.port}{path}"

    # ------------------------------------------------------------ configuration

    def configure_oidc(self, metadata_url, client_id, client_secret, ca_cert,
                       scopes="openid profile email"):
        """mod_auth_openidc against `metadata_url`, trusting the CA certificate `ca_cert` (copied
        into the folder, where the children running as `nobody` can read it)."""
        self.oidc = {"metadata_url": metadata_url, "client_id": client_id,
                     "client_secret": client_secret, "ca_cert": ca_cert, "scopes": scopes}

    def configure_cas(self, host, port, ca_cert, path="/cas"):
        """phpCAS against https://host:port/path (phpCAS always speaks HTTPS to its server)."""
        self.cas = {"host": host, "port": int(port), "path": path, "ca_cert": ca_cert}

    @property
    def redirect_uri(self):
        return self.url("/oidc/redirect_uri")

    @property
    def cas_service(self):
        return self.url("/cas/index.php")

    def _copy_ca(self, src, name):
        dst = os.path.join(self.root, name)
        shutil.copyfile(src, dst)
        os.chmod(dst, 0o644)
        return dst

    def _write_config(self):
        if not os.path.exists(APACHE):
            raise ApacheError("apache2 is missing: run sh tests/install-deps.sh")
        for mod in ("mod_auth_openidc.so", "libphp8.2.so"):
            if not os.path.exists(os.path.join(MODULES, mod)):
                raise ApacheError(f"{MODULES}/{mod} is missing: run sh tests/install-deps.sh")
        if not os.path.exists(PHPCAS):
            raise ApacheError(f"{PHPCAS} (php-cas) is missing: run sh tests/install-deps.sh")
        if os.geteuid() != 0:
            raise ApacheError("an Apache of its own needs root here (its children run as nobody)")
        nobody = pwd.getpwnam(RUN_USER)
        for d in (self.root, self.www, self.run_dir, os.path.join(self.www, "oidc"),
                  os.path.join(self.www, "cas")):
            os.makedirs(d, exist_ok=True)
        os.makedirs(self.sessions, exist_ok=True)
        os.chown(self.sessions, nobody.pw_uid, nobody.pw_gid)
        os.chmod(self.sessions, 0o700)
        # The children run as `nobody`: they must reach the pages, the CA and the sessions
        # through the temporary directories above them (mkdtemp makes those 0700).
        d = self.root
        while d not in ("/", "") and d.startswith(tempfile.gettempdir() + "/"):
            os.chmod(d, os.stat(d).st_mode | 0o755)
            d = os.path.dirname(d)

        with open(os.path.join(self.www, "loggedout.html"), "w") as f:
            f.write(LOGGED_OUT_HTML)
        lines = [
            "# Written by tests/idp/apache.py: a throw-away instance, nothing of the system's.",
            f"ServerRoot {conf_string(self.root)}",
            f"ServerName {HOST}:{self.port}",
            f"Listen {HOST}:{self.port}",
            f"PidFile {conf_string(self.pid_file)}",
            f"DefaultRuntimeDir {conf_string(self.run_dir)}",
            f"ErrorLog {conf_string(self.error_log)}",
            "LogLevel warn auth_openidc:info",
            "LogFormat \"%h %t \\\"%r\\\" %>s %b\" plain",
            f"CustomLog {conf_string(self.access_log)} plain",
            f"User {RUN_USER}",
            f"Group #{pwd.getpwnam(RUN_USER).pw_gid}",
            "StartServers 2",
            "MinSpareServers 1",
            "MaxSpareServers 4",
            "MaxRequestWorkers 20",
        ]
        for name, so in (("mpm_prefork", "mod_mpm_prefork.so"),
                         ("authz_core", "mod_authz_core.so"),
                         ("authz_user", "mod_authz_user.so"),
                         ("authn_core", "mod_authn_core.so"),
                         ("log_config", "mod_log_config.so"),
                         ("mime", "mod_mime.so"),
                         ("auth_openidc", "mod_auth_openidc.so"),
                         ("php", "libphp8.2.so")):
            path = os.path.join(MODULES, so)
            if name == "log_config" and not os.path.exists(path):
                continue  # built into Debian's apache2
            lines.append(f"LoadModule {name}_module {path}")
        lines += [
            "TypesConfig /etc/mime.types",
            "AddHandler application/x-httpd-php .php",
            f"php_value session.save_path {conf_string(self.sessions)}",
            "php_flag display_errors off",
            "php_flag log_errors on",
            f"DocumentRoot {conf_string(self.www)}",
            f"<Directory {conf_string(self.www)}>",
            "  Require all granted",
            "</Directory>",
        ]
        if self.oidc:
            o = self.oidc
            ca = self._copy_ca(o["ca_cert"], "oidc-ca.crt")
            with open(os.path.join(self.www, "oidc", "claims.php"), "w") as f:
                f.write(CLAIMS_PHP)
            lines += [
                f"OIDCProviderMetadataURL {conf_string(o['metadata_url'])}",
                f"OIDCCABundlePath {conf_string(ca)}",
                "OIDCSSLValidateServer On",
                f"OIDCClientID {conf_string(o['client_id'])}",
                f"OIDCClientSecret {conf_string(o['client_secret'])}",
                f"OIDCRedirectURI {conf_string(self.redirect_uri)}",
                f"OIDCCryptoPassphrase {secrets.token_hex(24)}",
                f"OIDCScope {conf_string(o['scopes'])}",
                "OIDCPKCEMethod S256",
                "OIDCRemoteUserClaim preferred_username",
                "OIDCPassClaimsAs environment",
                "OIDCClaimDelimiter ,",
                "OIDCSessionType server-cache",
                "OIDCCacheType shm",
                # The test checks identities, not time: the default 300 s inactivity timeout
                # would end a slow run's sessions.
                "OIDCSessionInactivityTimeout 3600",
                "<Location /oidc/>",
                "  AuthType openid-connect",
                "  Require valid-user",
                "</Location>",
            ]
        if self.cas:
            c = self.cas
            ca = self._copy_ca(c["ca_cert"], "cas-ca.crt")
            with open(os.path.join(self.www, "cas", "index.php"), "w") as f:
                f.write(CAS_PHP.format(
                    phpcas=php_string(PHPCAS), host=php_string(c["host"]), port=c["port"],
                    path=php_string(c["path"]), service_base=php_string(self.url("").rstrip("/")),
                    ca=php_string(ca)))
        with open(self.conf, "w") as f:
            f.write("\n".join(lines) + "\n")

    # ------------------------------------------------------------ life cycle

    def check_config(self):
        """`apache2 -t` on the written configuration; raises with its message when it fails."""
        self._write_config()
        r = subprocess.run([APACHE, "-d", self.root, "-f", self.conf, "-t"], capture_output=True,
                           text=True, timeout=60, stdin=subprocess.DEVNULL)
        if r.returncode != 0:
            raise ApacheError(f"apache2 -t: {(r.stdout + r.stderr).strip()}")

    def start(self, timeout=30):
        if self.proc and self.proc.poll() is None:
            return self
        self.check_config()
        # The children's shared memory (mod_auth_openidc's cache) and the PID file of a previous
        # run in this folder would be in the way.
        for p in glob.glob(os.path.join(self.run_dir, "*")):
            os.unlink(p)
        self._log = open(os.path.join(self.root, "stderr.log"), "ab")
        # A process group of its own: prefork's parent stops its children by signalling its
        # whole group, which would otherwise be the test's.
        self.proc = subprocess.Popen([APACHE, "-d", self.root, "-f", self.conf, "-DFOREGROUND"],
                                     stdin=subprocess.DEVNULL, stdout=self._log,
                                     stderr=self._log, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ApacheError(f"apache2 exited with {self.proc.returncode}\n"
                                  f"{self.log_tail()}")
            if self._answers():
                return self
            time.sleep(0.05)
        self.stop()
        raise ApacheError(f"Apache did not answer on {HOST}:{self.port}\n{self.log_tail()}")

    def _answers(self):
        try:
            with urllib.request.urlopen(self.url("/loggedout.html"), timeout=2) as r:
                return r.status == 200
        except (OSError, urllib.error.URLError):
            return False

    def stop(self, timeout=30):
        """Stops the instance (SIGTERM to the parent, which stops its children) and waits until
        it is gone and its port closed."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._port_open():
            time.sleep(0.05)
        self.proc = None
        if self._log:
            self._log.close()
            self._log = None

    def _port_open(self):
        try:
            with socket.create_connection((HOST, self.port), timeout=1):
                return True
        except OSError:
            return False

    def log_tail(self, lines=30, grep=None):
        out = []
        for name, path in (("error log", self.error_log),
                           ("stderr", os.path.join(self.root, "stderr.log"))):
            try:
                with open(path, errors="replace") as f:
                    got = f.readlines()
            except OSError:
                continue
            if grep:
                got = [ln for ln in got if grep in ln]
            if got:
                out.append(f"Apache {name} (last lines):\n" + "".join(got[-lines:]))
        return "\n".join(out) or "(Apache logged nothing)"

    def access_tail(self, lines=15):
        try:
            with open(self.access_log, errors="replace") as f:
                return "Apache access log (last lines):\n" + "".join(f.readlines()[-lines:])
        except OSError:
            return "(no Apache access log)"

    def log_size(self):
        try:
            return os.path.getsize(self.error_log)
        except OSError:
            return 0

    def log_since(self, offset):
        """The error log written after `offset` bytes (see log_size)."""
        try:
            with open(self.error_log, "rb") as f:
                f.seek(offset)
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""


# ---------------------------------------------------------------- self-check

class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _self_check():
    root = tempfile.mkdtemp(prefix="cartable-apache-")
    ca = os.path.join(root, "ca.crt")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    os.path.join(root, "ca.key"), "-out", ca, "-subj", "/CN=test CA",
                    "-days", "1"], check=True, capture_output=True)
    ap = Apache(os.path.join(root, "apache"))
    op_port = free_port()
    ap.configure_oidc(f"https://localhost:{op_port}/.well-known/openid-configuration",
                      "demo", "s3cret-s3cret", ca)
    ap.configure_cas("localhost", op_port, ca)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        t0 = time.monotonic()
        ap.start()
        print(f"apache: started on {HOST}:{ap.port} in {time.monotonic() - t0:.1f} s")
        with urllib.request.urlopen(ap.url("/loggedout.html"), timeout=10) as r:
            assert b"logged out" in r.read()
        try:
            opener.open(ap.url("/cas/index.php"), timeout=10)
            raise AssertionError("the CAS page answered without a login")
        except urllib.error.HTTPError as e:
            loc = e.headers.get("Location", "")
            assert e.code in (302, 303) and loc.startswith(
                f"https://localhost:{op_port}/cas/login?service="), (e.code, loc)
            print(f"apache: phpCAS sends the visitor to {loc}")
        try:
            opener.open(ap.url("/oidc/claims.php"), timeout=10)
            raise AssertionError("the OIDC page answered without a login")
        except urllib.error.HTTPError as e:
            # No provider there: mod_auth_openidc cannot fetch its metadata, refuses the
            # visitor and logs why.
            assert e.code >= 400, e.code
            print(f"apache: mod_auth_openidc answers {e.code} with no provider there")
        ap.stop()
        assert not ap._port_open(), "still answering after stop()"
        print("apache: stopped, port closed")
        print("ok")
    except BaseException:
        print(ap.log_tail())
        raise
    finally:
        ap.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    _self_check()

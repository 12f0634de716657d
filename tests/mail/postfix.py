#!/usr/bin/env python3
"""A real Postfix (Debian's) on a loopback port, in a folder of its own: the mail tests' smarthost
and the SMTP benchmark's reference peer.

Nothing of the system's Postfix is used or touched: the instance has its own main.cf and
master.cf (written here), its own queue_directory and data_directory, logs to a file in its folder
(maillog_file, through postlogd: a container has no syslog), and listens on 127.0.0.1 only. It
accepts mail from 127.0.0.0/8 for the given domains (`outside.test` by default) and delivers every
recipient into one Maildir with the virtual(8) agent; it refuses the recipients it is told to
refuse (`refuse@outside.test` by default) with a permanent 550 at RCPT, and answers those it is
told to defer (`later@outside.test`) with a temporary 451.

    pf = Postfix(root, port=None)      # root: an empty folder; port: picked when None
    pf.start()                          # `postfix -c DIR start`, returns once it answers
    pf.messages()                       # every delivered message, parsed (email.message)
    pf.stop()                           # `postfix -c DIR stop`, returns once it is gone

The port stays the same across stop() and start(), so that a client that knows it sees the
smarthost "down" and then "up again". Runs as root (Postfix's master must), and needs Debian's
`postfix` package (tests/install-deps.sh installs it without any system configuration).

`python3 tests/mail/postfix.py` checks the module on its own with smtplib.
"""

import email
import email.policy
import os
import pwd
import grp
import shutil
import smtplib
import socket
import subprocess
import tempfile
import time

POSTFIX = shutil.which("postfix") or "/usr/sbin/postfix"
HOST = "127.0.0.1"
DELIVERY_USER = "nobody"  # virtual(8) never delivers as root; the Maildir belongs to this user


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class PostfixError(Exception):
    pass


class Postfix:
    def __init__(self, root, port=None, domains=("outside.test",), refuse=("refuse@outside.test",),
                 defer=("later@outside.test",), name="smarthost"):
        self.root = os.path.abspath(root)
        self.port = port or free_port()
        self.domains = list(domains)
        self.refuse = list(refuse)
        self.defer = list(defer)
        self.name = name
        self.conf = os.path.join(self.root, "conf")
        self.queue = os.path.join(self.root, "queue")
        self.data = os.path.join(self.root, "data")
        self.mail = os.path.join(self.root, "mail")
        self.maildir = os.path.join(self.mail, "inbox")
        self.log = os.path.join(self.root, "maillog")
        self._written = False

    # ------------------------------------------------------------ configuration

    def _write_config(self):
        if self._written:
            return
        if not os.path.exists(POSTFIX):
            raise PostfixError("postfix is missing: run sh tests/install-deps.sh")
        if os.geteuid() != 0:
            raise PostfixError("a Postfix instance of its own needs root (its master runs as root)")
        nobody = pwd.getpwnam(DELIVERY_USER)
        postfix_user = pwd.getpwnam("postfix")
        grp.getgrnam("postdrop")
        for d in (self.root, self.conf, self.mail):
            os.makedirs(d, exist_ok=True)
        # Postfix's daemons run as `postfix` and the delivery as `nobody`: they must reach their
        # folders through the temporary directories above them (mkdtemp makes those 0700).
        d = self.root
        while d not in ("/", "") and d.startswith(tempfile.gettempdir() + "/"):
            os.chmod(d, os.stat(d).st_mode | 0o755)
            d = os.path.dirname(d)
        os.chown(self.mail, nobody.pw_uid, nobody.pw_gid)
        # The queue belongs to root (postfix-script makes its subfolders, owned by `postfix`);
        # the data directory to `postfix`.
        os.makedirs(self.queue, exist_ok=True)
        os.makedirs(self.data, exist_ok=True)
        os.chown(self.data, postfix_user.pw_uid, postfix_user.pw_gid)
        with open(os.path.join(self.conf, "refused"), "w") as f:
            for r in self.refuse:
                f.write(f"{r} 550 5.1.1 <{r}>: this mailbox refuses all mail\n")
            for r in self.defer:
                f.write(f"{r} 451 4.3.0 <{r}>: mailbox busy, try again later\n")
        main_cf = f"""\
# Written by tests/mail/postfix.py: a throw-away instance, nothing of the system's Postfix.
compatibility_level = 3.6
queue_directory = {self.queue}
data_directory = {self.data}
mail_owner = {postfix_user.pw_name}
setgid_group = postdrop
myhostname = {self.name}.outside.test
mydomain = outside.test
myorigin = $myhostname
mydestination =
inet_interfaces = {HOST}
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relayhost =
smtputf8_enable = yes
biff = no
alias_maps =
alias_database =
local_recipient_maps =
# no DNS on a test box: never look anything up
disable_dns_lookups = yes
smtp_host_lookup = native
smtpd_peername_lookup = no
# Mail for these domains goes into one Maildir, whoever the recipient.
virtual_mailbox_domains = {", ".join(self.domains)}
virtual_mailbox_base = {self.mail}
virtual_mailbox_maps = static:inbox/
virtual_uid_maps = static:{nobody.pw_uid}
virtual_gid_maps = static:{nobody.pw_gid}
virtual_mailbox_limit = 0
message_size_limit = 52428800
# One recipient refused at RCPT with a permanent error; the rest accepted from loopback.
smtpd_recipient_restrictions =
    check_recipient_access texthash:{self.conf}/refused,
    permit_mynetworks, reject_unauth_destination
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_client_connection_count_limit = 0
smtpd_client_connection_rate_limit = 0
smtpd_client_message_rate_limit = 0
default_process_limit = 100
smtpd_error_sleep_time = 0
# Retry soon: the tests stop and start this instance.
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 5s
maillog_file = {self.log}
maillog_file_prefixes = {self.root}
"""
        master_cf = f"""\
# service type  private unpriv  chroot  wakeup  maxproc command + args
{HOST}:{self.port} inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
"""
        with open(os.path.join(self.conf, "main.cf"), "w") as f:
            f.write(main_cf)
        with open(os.path.join(self.conf, "master.cf"), "w") as f:
            f.write(master_cf)
        self._written = True

    def _postfix(self, *args, check=True):
        r = subprocess.run([POSTFIX, "-c", self.conf, *args], capture_output=True, text=True,
                           timeout=60, stdin=subprocess.DEVNULL)
        if check and r.returncode != 0:
            raise PostfixError(f"postfix {' '.join(args)} failed ({r.returncode}): "
                               f"{(r.stdout + r.stderr).strip()}\n{self.log_tail()}")
        return r

    # ------------------------------------------------------------ life cycle

    def running(self):
        return self._postfix("status", check=False).returncode == 0

    def start(self, timeout=30):
        self._write_config()
        self._postfix("start")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with smtplib.SMTP(HOST, self.port, timeout=5) as s:
                    s.noop()
                return self
            except OSError:
                time.sleep(0.05)
        raise PostfixError(f"Postfix did not answer on {HOST}:{self.port}\n{self.log_tail()}")

    def stop(self, timeout=30):
        """Stops the instance (if it runs) and waits until its port is closed and its master
        gone, so that a client sees the smarthost down."""
        if not self._written or not self.running():
            return
        self._postfix("stop", check=False)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running() and not self._answers():
                return
            time.sleep(0.05)
        raise PostfixError(f"Postfix did not stop\n{self.log_tail()}")

    def _answers(self):
        try:
            with socket.create_connection((HOST, self.port), timeout=1):
                return True
        except OSError:
            return False

    def flush(self):
        """Asks the instance to try its deferred mail now (`postqueue -f`)."""
        subprocess.run([shutil.which("postqueue") or "/usr/sbin/postqueue", "-c", self.conf, "-f"],
                       capture_output=True, timeout=30, check=False)

    def queue_size(self):
        """Messages still in this instance's queue (every queue subfolder but the fixed ones)."""
        n = 0
        for sub in ("maildrop", "incoming", "active", "deferred", "hold"):
            for _, _, files in os.walk(os.path.join(self.queue, sub)):
                n += len(files)
        return n

    def log_tail(self, lines=30):
        try:
            with open(self.log, errors="replace") as f:
                return "Postfix log (last lines):\n" + "".join(f.readlines()[-lines:])
        except OSError:
            return "(no Postfix log)"

    # ------------------------------------------------------------ the Maildir

    def files(self):
        """Paths of the delivered messages (new/ and cur/ of the Maildir), oldest first."""
        out = []
        for sub in ("new", "cur"):
            d = os.path.join(self.maildir, sub)
            try:
                out += [os.path.join(d, n) for n in os.listdir(d)]
            except FileNotFoundError:
                pass
        return sorted(out, key=lambda p: os.path.basename(p))

    def count(self):
        try:
            return len(os.listdir(os.path.join(self.maildir, "new")))
        except FileNotFoundError:
            return 0

    def messages(self):
        """Every delivered message as an email.message.EmailMessage (modern policy), with the
        raw bytes in its `raw` attribute."""
        out = []
        for p in self.files():
            with open(p, "rb") as f:
                raw = f.read()
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            msg.raw = raw
            out.append(msg)
        return out

    def clear(self):
        """Empties the Maildir (between scenarios)."""
        for p in self.files():
            os.unlink(p)


# ---------------------------------------------------------------- self-check

def _self_check():
    from email.message import EmailMessage

    root = tempfile.mkdtemp(prefix="cartable-postfix-")
    pf = Postfix(root)
    try:
        t0 = time.monotonic()
        pf.start()
        print(f"postfix: started on {HOST}:{pf.port} in {time.monotonic() - t0:.1f} s")
        msg = EmailMessage()
        msg["From"] = "someone@school.test"
        msg["To"] = "friend@outside.test"
        msg["Subject"] = "Bonjour de l'école"
        msg.set_content("Une ligne accentuée : é à ç.\n")
        blob = os.urandom(3000)
        msg.add_attachment(blob, maintype="application", subtype="octet-stream",
                           filename="data.bin")
        with smtplib.SMTP(HOST, pf.port, timeout=10) as s:
            s.ehlo("school.test")
            assert "starttls" not in s.esmtp_features, "the smarthost offers no STARTTLS"
            s.send_message(msg)
            try:
                s.sendmail("someone@school.test", ["refuse@outside.test"], msg.as_bytes())
                raise AssertionError("refuse@outside.test was accepted")
            except smtplib.SMTPRecipientsRefused as e:
                code = e.recipients["refuse@outside.test"][0]
                assert code == 550, f"refused with {code}, expected 550"
                print(f"postfix: refuse@outside.test refused: {e.recipients}")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not pf.messages():
            time.sleep(0.1)
        got = pf.messages()
        assert len(got) == 1, f"{len(got)} messages in the Maildir"
        m = got[0]
        assert m["Subject"] == "Bonjour de l'école", m["Subject"]
        parts = list(m.iter_attachments())
        assert parts and parts[0].get_content() == blob, "the attachment arrived intact"
        print("postfix: one message delivered to the Maildir intact")
        pf.stop()
        try:
            smtplib.SMTP(HOST, pf.port, timeout=2)
            raise AssertionError("still answering after stop()")
        except OSError:
            print("postfix: stopped, port closed")
        pf.start()
        print("postfix: started again on the same port")
        pf.stop()
        print("ok")
    finally:
        try:
            pf.stop()
        finally:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    _self_check()

#!/usr/bin/env python3
"""`make image-test`: boots the appliance image under QEMU with software emulation (TCG) and
checks it as the school and its maintainers would.

Before the first boot, the test writes its own cartable.toml into the image's FAT partition
(mcopy): a school, a first admin with a password, a mail relay with a password, DHCP (QEMU's
user networking, with the guest's ports 22, 80, 443 and 25 forwarded to free local ports), an
extra host name, and a throwaway SSH key made on the spot for `maint`. The disk is grown to
4 GiB first, as when the image is written to a larger disk. Then:

  boot 1 (x86_64: legacy BIOS through SeaBIOS and SYSLINUX; arm64: UEFI):
    - the portal answers /healthz over plain HTTP within the time limit;
    - /ca.crt over plain HTTP is the school's CA; the HTTPS portal's certificate verifies
      against it for <hostname>.local and the extra name (the test connects to the forwarded
      port with that name as SNI and checks the certificate as a browser does);
    - the provisioned admin logs in over HTTPS and sees the dashboard;
    - port 25 greets with 220;
    - `maint` logs in over SSH with the key and runs `sudo cartable status`; the host name,
      time zone and root file system (grown to the disk) are as provisioned; no unit failed;
      root cannot log in;
    - the console (serial) shows the portal's address and the CA's fingerprint;
    - the maintainer's part (maint.py), with a throwaway minisign key whose public half is
      the file's update_key and which `make release` signs with (checked before the boot):
      a tampered build is refused; a newer build copied with scp is installed by `sudo
      cartable update` and serves; a newer build whose health check fails rolls back by
      itself, and status and the journal say so; the admin logs in after each;
    - with a disk labelled CARTABLE-BK (FAT32) plugged in over USB, the nightly backup
      (started as its timer would) writes an archive on it, and `cartable status` shows it;
    - a USB stick with a `library` folder, plugged in while the box runs, is mounted
      read-only and the server copies its collection by itself; pulled out, it is unmounted
      and the collection still reads (usb.py; the backup disk is not mounted that way);
    - powered down with the power button (ACPI), the FAT's cartable.toml keeps its settings
      but no longer holds the admin's or the relay's password.
  boot 2 (x86_64: UEFI with Secure Boot enforced and Microsoft's keys, through OVMF, shim
          and systemd-boot; arm64: UEFI again):
    - nothing changed: the same CA, the same SSH host key, the files provisioning writes
      untouched, the FAT file unchanged, and the admin still logs in; the updated version
      runs;
    - with a backup disk too full for the archive, the nightly backup fails clearly, leaves
      nothing behind and changes nothing.
  boot 3 (UEFI without Secure Boot), the FAT file made invalid (network.mode = "wifi"):
    - the box still comes up: the portal with the same CA and the admin's login, SSH; the
      console names the problem; provisioning failed and changed nothing; the file is kept.

Prints one line per check and closes with "N passed, N failed"; exits 1 when a check failed.
On failure the serial console's end and the guest's journal (when SSH works) are printed, and
the work folder is kept.

  python3 tests/image/run.py --arch x86_64 --image out/cartable-x86_64.img
"""

import argparse
import hashlib
import http.client
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import maint  # noqa: E402
import qemu  # noqa: E402
import usb  # noqa: E402

HOSTNAME = "ecole-test"
EXTRA_NAME = "ent.ecole-test.example"
SCHOOL = "École du Test"
ADMIN = "directrice"
TIMEZONE = "Africa/Abidjan"

passed = 0
failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok      {what}", flush=True)
    else:
        failed += 1
        print(f"FAILED  {what}", flush=True)
    return ok


class Fatal(Exception):
    pass


def must(ok, what):
    if not check(ok, what):
        raise Fatal(what)


def provisioning_file(admin_password, relay_password, ssh_key, update_key):
    return f"""# Written by tests/image/run.py
[school]
name = "{SCHOOL}"
mail_domain = "ecole-test.example"
language = "fr"
timezone = "{TIMEZONE}"

[network]
hostname = "{HOSTNAME}"
mode = "dhcp"
address = ""
gateway = ""
dns = []
extra_names = ["{EXTRA_NAME}"]

[admin]
username = "{ADMIN}"
first_name = "Awa"
last_name = "Ndiaye"
password = "{admin_password}"   # erased once applied

[mail]
relay_host = "smtp.relay.example"
relay_tls = "starttls"
relay_user = "ecole-test"
relay_password = "{relay_password}"
pupils_outside = false

[maintenance]
ssh_keys = ["{ssh_key}"]
update_key = "{update_key}"
""".encode()


def fingerprint(pem):
    der = ssl.PEM_cert_to_DER_cert(pem)
    return hashlib.sha256(der).hexdigest().upper()


class Portal:
    """HTTPS to the guest's forwarded port 443, verified against the school's CA for a given
    host name (the SNI and the name checked), as a browser that trusts the CA would."""

    def __init__(self, port, ca_pem, name):
        self.port, self.name = port, name
        self.ctx = ssl.create_default_context(cadata=ca_pem)
        self.cookies = {}

    def connect(self):
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        tls = self.ctx.wrap_socket(sock, server_hostname=self.name)
        conn = http.client.HTTPSConnection(self.name, self.port, timeout=30)
        conn.sock = tls
        return conn

    def peer_cert(self):
        conn = self.connect()
        try:
            return conn.sock.getpeercert(binary_form=True)
        finally:
            conn.close()

    def request(self, method, path, body=None, headers=None):
        conn = self.connect()
        try:
            h = dict(headers or {})
            if self.cookies:
                h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            data = r.read().decode("utf-8", "replace")
            for k, v in r.getheaders():
                if k.lower() == "set-cookie":
                    name, _, rest = v.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data
        finally:
            conn.close()

    def login(self, username, password):
        """Returns where the login sent the admin (the dashboard, or the password page)."""
        self.cookies = {}
        status, _, body = self.request("GET", "/login")
        m = re.search(r'name="csrf" value="([^"]+)"', body)
        if status != 200 or not m:
            return None, f"GET /login answered {status}"
        form = urllib.parse.urlencode({"csrf": m.group(1), "username": username,
                                       "password": password, "next": "/"})
        status, headers, _ = self.request(
            "POST", "/login", body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        if status != 303 or "cartable_session" not in self.cookies:
            return None, f"POST /login answered {status}"
        where = headers.get("location", "")
        status, _, body = self.request("GET", where or "/")
        return (where, body) if status == 200 else (None, f"GET {where} answered {status}")


class Ssh:
    def __init__(self, port, key, known_hosts):
        self.port, self.key, self.known_hosts = port, key, known_hosts

    def run(self, command, user="maint", timeout=60, strict="accept-new"):
        cmd = ["ssh", "-p", str(self.port), "-i", self.key, "-o", "BatchMode=yes",
               "-o", "IdentitiesOnly=yes", "-o", f"StrictHostKeyChecking={strict}",
               "-o", f"UserKnownHostsFile={self.known_hosts}", "-o", "ConnectTimeout=15",
               "-o", "LogLevel=ERROR", f"{user}@127.0.0.1", command]
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
            return r.returncode, r.stdout, r.stderr
        except subprocess.TimeoutExpired:
            return 255, "", "timed out"

    def wait(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            rc, out, _ = self.run("true", timeout=30)
            if rc == 0:
                return True
            time.sleep(2)
        return False


def smtp_greeting(port):
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.settimeout(30)
        data = b""
        while b"\n" not in data:
            chunk = s.recv(1024)
            if not chunk:
                break
            data += chunk
        try:
            s.sendall(b"QUIT\r\n")
        except OSError:
            pass
        return data.decode("ascii", "replace").strip()


def normalise_hex(text):
    return re.sub(r"[^0-9A-F]", "", text.upper())


# What provisioning writes on the system: untouched by a second run with the same file.
WATCHED = ["/etc/hostname", "/etc/hosts", "/etc/timezone",
           "/etc/systemd/network/20-cartable.network", "/home/maint/.ssh/authorized_keys"]


def boot(m, args, state, first):
    label = f"boot {1 if first else 2} ({m.firmware})"
    print(f"--- {label}: {m.arch}, {m.memory} MiB, {m.cpus} CPUs, TCG", flush=True)
    m.start()
    t = m.wait_http("/healthz", args.timeout)
    must(t is not None, f"{label}: the portal answers /healthz within {args.timeout} s"
         + (f" ({t:.0f} s after power-on)" if t else ""))
    state.setdefault("timings", []).append((label, t))

    with urllib.request.urlopen(f"http://127.0.0.1:{m.ports['http']}/ca.crt",
                                timeout=30) as r:
        ca_pem = r.read().decode()
    must("BEGIN CERTIFICATE" in ca_pem, f"{label}: /ca.crt serves a PEM certificate")
    fp = fingerprint(ca_pem)
    if first:
        state["ca"] = fp
    else:
        check(fp == state["ca"], f"{label}: the same CA as before ({fp[:16]}…)")

    portal = Portal(m.ports["https"], ca_pem, f"{HOSTNAME}.local")
    try:
        leaf = portal.peer_cert()
        check(True, f"{label}: the HTTPS certificate verifies against the CA for "
                    f"{HOSTNAME}.local")
    except (ssl.SSLError, OSError) as e:
        must(False, f"{label}: the HTTPS certificate verifies for {HOSTNAME}.local: {e}")
    try:
        Portal(m.ports["https"], ca_pem, EXTRA_NAME).peer_cert()
        check(True, f"{label}: ... and for the extra name {EXTRA_NAME}")
    except (ssl.SSLError, OSError) as e:
        check(False, f"{label}: the certificate covers the extra name {EXTRA_NAME}: {e}")
    try:
        # QEMU's user network gives the guest this address by DHCP; the console lists
        # https://10.0.2.15/, so the certificate must cover it.
        Portal(m.ports["https"], ca_pem, "10.0.2.15").peer_cert()
        check(True, f"{label}: ... and for the box's address 10.0.2.15")
    except (ssl.SSLError, OSError) as e:
        check(False, f"{label}: the certificate covers the box's address 10.0.2.15: {e}")
    if first:
        state["leaf"] = leaf
    else:
        # Provisioning runs before DHCP, the server after: a certificate that already covers
        # every name must be kept, not issued again at every boot.
        check(leaf == state["leaf"], f"{label}: the server certificate is the first boot's")

    where, body = portal.login(ADMIN, state["admin_password"])
    check(where is not None, f"{label}: {ADMIN} logs in over HTTPS "
                             f"({'to ' + where if where else body})")
    if where is not None:
        check("Awa" in body or ADMIN in body,
              f"{label}: the page after login is {ADMIN}'s (names Awa or {ADMIN})")

    greeting = smtp_greeting(m.ports["smtp"])
    check(greeting.startswith("220"), f"{label}: port 25 greets: {greeting[:60]!r}")

    ssh = Ssh(m.ports["ssh"], state["key"], state["known_hosts"])
    must(ssh.wait(120), f"{label}: maint logs in over SSH with the provisioned key")
    if not first:
        rc, _, err = ssh.run("true", strict="yes")
        check(rc == 0, f"{label}: the SSH host key is the one of the first boot")
    rc, out, err = ssh.run("sudo cartable status")
    check(rc == 0 and "version" in out,
          f"{label}: `sudo cartable status` over SSH: "
          + (out.strip().splitlines()[0] if out.strip() else err.strip()[:200]))
    if first:
        print("        " + "\n        ".join(out.strip().splitlines()), flush=True)
    rc, out, _ = ssh.run("sudo -n cat /etc/shadow >/dev/null 2>&1 && echo sudo-too-wide "
                         "|| echo sudo-narrow")
    check("sudo-narrow" in out, f"{label}: maint's sudo is limited to cartable")
    rc, _, _ = ssh.run("true", user="root")
    check(rc != 0, f"{label}: root cannot log in over SSH")
    rc, out, _ = ssh.run(
        "echo secureboot=$(od -An -tu1 /sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-"
        "11d2-aa0d-00e098032b8c 2>/dev/null | awk '{print $NF}'); "
        "echo host=$(hostname); echo tz=$(cat /etc/timezone); "
        "echo state=$(systemctl is-system-running --wait); "
        "echo failed=$(systemctl --failed --no-legend --plain | cut -d' ' -f1 | tr '\\n' ' '); "
        "echo rootmib=$(df -B1M --output=size / | tail -1 | tr -d ' '); "
        "stat -c 'stat=%n %Y %s' " + " ".join(WATCHED), timeout=240)
    facts = {}
    stats = []
    for line in out.splitlines():
        k, _, v = line.partition("=")
        if k == "stat":
            stats.append(v)
        else:
            facts[k] = v.strip()
    if m.firmware == "uefi-secure":
        check(facts.get("secureboot") == "1",
              f"{label}: Secure Boot is on (shim, systemd-boot and the kernel were checked)")
    check(facts.get("host") == HOSTNAME, f"{label}: the host name is {facts.get('host')}")
    check(facts.get("tz") == TIMEZONE, f"{label}: the time zone is {facts.get('tz')}")
    check(facts.get("state") == "running" and not facts.get("failed"),
          f"{label}: systemd is {facts.get('state')}, failed units: "
          f"{facts.get('failed') or 'none'}")
    root_mib = int(facts.get("rootmib") or 0)
    check(root_mib > 3500, f"{label}: the root file system fills the 4 GiB disk ({root_mib} MiB)")
    stats.sort()
    if first:
        state["stats"] = stats
        check(len(stats) == len(WATCHED), f"{label}: provisioning wrote {', '.join(WATCHED)}")
    else:
        check(stats == state["stats"], f"{label}: provisioning rewrote none of its files")
        rc, out, _ = ssh.run("journalctl -b -u cartable-firstboot --no-pager -o cat")
        print("        firstboot: " + " | ".join(out.strip().splitlines()[-6:]), flush=True)

    if first:
        t = None
        deadline = time.monotonic() + 120
        hexfp = normalise_hex(fp)
        while time.monotonic() < deadline:
            text = m.serial_text()
            if hexfp in normalise_hex(text) and f"https://{HOSTNAME}.local/" in text:
                t = m.elapsed()
                break
            time.sleep(1)
        check(t is not None, f"{label}: the serial console shows https://{HOSTNAME}.local/ "
                             "and the CA's fingerprint")

    # The maintainer's part (maint.py): signed updates, then the nightly backup.
    t = time.monotonic()
    if first:
        maint.updates(check, must, label, ssh, portal,
                      lambda: portal.login(ADMIN, state["admin_password"]), state,
                      args.work)
        state["backup_size"] = maint.backup(check, label, ssh)
        usb.library_from_usb(check, label, ssh, m, portal,
                             lambda: portal.login(ADMIN, state["admin_password"]),
                             state["stick"])
    else:
        maint.after_reboot(check, label, ssh, state)
        maint.full_backup_disk(check, label, ssh)
    state["timings"].append((f"{label}: the maintainer's part took", time.monotonic() - t))

    clean = m.power_down(timeout=180)
    check(clean, f"{label}: the power button shuts the box down cleanly")


def boot_invalid(m, args, state):
    """Boot 3: cartable.toml made invalid. Nothing is applied, and the box still comes up with
    what it had: the portal and its logins, SSH, and the console saying what to fix."""
    label = f"boot 3 ({m.firmware}, invalid cartable.toml)"
    print(f"--- {label}: {m.arch}, {m.memory} MiB, {m.cpus} CPUs, TCG", flush=True)
    m.start()
    t = m.wait_http("/healthz", args.timeout)
    must(t is not None, f"{label}: the portal still answers /healthz"
         + (f" ({t:.0f} s after power-on)" if t else ""))
    state.setdefault("timings", []).append((label, t))
    deadline = time.monotonic() + 120
    shown = False
    while time.monotonic() < deadline and not shown:
        text = m.serial_text()
        shown = "network.mode" in text and "wifi" in text
        time.sleep(1)
    check(shown, f"{label}: the console names the problem (network.mode \"wifi\")")
    with urllib.request.urlopen(f"http://127.0.0.1:{m.ports['http']}/ca.crt",
                                timeout=30) as r:
        ca_pem = r.read().decode()
    check(fingerprint(ca_pem) == state["ca"], f"{label}: the same CA as before")
    where, body = Portal(m.ports["https"], ca_pem, f"{HOSTNAME}.local").login(
        ADMIN, state["admin_password"])
    check(where is not None, f"{label}: {ADMIN} still logs in over HTTPS")
    ssh = Ssh(m.ports["ssh"], state["key"], state["known_hosts"])
    must(ssh.wait(120), f"{label}: maint still logs in over SSH")
    rc, out, _ = ssh.run("hostname; systemctl is-failed cartable-firstboot; "
                         "systemctl is-active cartable; "
                         "stat -c 'stat=%n %Y %s' " + " ".join(WATCHED))
    lines = out.splitlines()
    check(lines[:3] == [HOSTNAME, "failed", "active"],
          f"{label}: host name kept, provisioning failed, the server runs ({lines[:3]})")
    stats = sorted(x.partition("=")[2] for x in lines if x.startswith("stat="))
    check(stats == state["stats"], f"{label}: provisioning changed none of the system's files")
    check(m.power_down(timeout=180), f"{label}: the power button shuts the box down cleanly")


def tear_down(machines, state, serial_tail=4000):
    """Kills the machines; after a failure, first prints each running guest's journal (over
    SSH) and every serial console's end."""
    for m in machines:
        if failed and m.alive() and "key" in state:
            ssh = Ssh(m.ports["ssh"], state["key"], state["known_hosts"])
            rc, out, _ = ssh.run("journalctl -b --no-pager -n 150 -o short-monotonic",
                                 timeout=60)
            if rc == 0:
                print(f"--- {m.name}: the guest's journal (end)\n{out}")
        m.kill()
    if failed:
        for m in machines:
            print(f"--- {m.name}: serial console (end)")
            print(m.serial_text()[-serial_tail:])


def finish(work, keep, started):
    """The closing lines: the whole test's time, the work folder (kept after a failure),
    "N passed, N failed"; exits 1 when a check failed."""
    print(f"timing  whole test: {time.monotonic() - started:.0f} s")
    if failed or keep:
        print(f"work folder kept: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--arch", choices=["x86_64", "arm64"], default="x86_64")
    ap.add_argument("--image", required=True)
    ap.add_argument("--timeout", type=int, default=0,
                    help="seconds from power-on to the portal answering (default: 420 on "
                         "x86_64, 900 on arm64)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    args = ap.parse_args()
    if not args.timeout:
        args.timeout = 420 if args.arch == "x86_64" else 900
    for tool in ["qemu-system-x86_64" if args.arch == "x86_64" else "qemu-system-aarch64",
                 "mcopy", "mtype", "mkfs.ext4", "dumpe2fs", "ssh", "scp", "ssh-keygen", "minisign"]:
        if not shutil.which(tool):
            sys.exit(f"image-test: {tool} is missing (sh tests/install-deps.sh image)")

    work = tempfile.mkdtemp(prefix=f"cartable-image-test-{args.arch}-")
    args.work = work
    image = os.path.join(work, "disk.img")
    started = time.monotonic()
    machines = []
    state = {}
    try:
        subprocess.run(["cp", "--sparse=always", args.image, image], check=True)
        os.truncate(image, 4 << 30)
        key = os.path.join(work, "maint_key")
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "image-test",
                        "-f", key], check=True)
        with open(key + ".pub") as f:
            pub = f.read().strip()
        state.update(key=key, known_hosts=os.path.join(work, "known_hosts"),
                     admin_password="Ecole-" + secrets.token_urlsafe(12),
                     relay_password="Relais-" + secrets.token_urlsafe(12))
        # A throwaway update signing key: its public half goes in cartable.toml, and
        # `make release` signs with its secret half.
        update_pub, state["update_sec"], update_key = maint.minisign_key(work)
        state["release"] = maint.release(check, args.arch, work, state["update_sec"],
                                         update_pub)
        qemu.fat_write(image, "cartable.toml",
                       provisioning_file(state["admin_password"], state["relay_password"], pub,
                                         update_key),
                       work)
        # The nightly backup's USB disk, for the first boot, and a USB stick with a
        # collection to plug in while it runs.
        backup_disk = os.path.join(work, "backup.img")
        maint.backup_disk(backup_disk, 64, work)
        state["stick"] = os.path.join(work, "library-stick.img")
        usb.library_stick(state["stick"], work)

        firmwares = (["bios", "uefi-secure", "uefi"] if args.arch == "x86_64"
                     else ["uefi", "uefi", "uefi"])
        m = qemu.Machine(args.arch, image, work, firmwares[0], name="boot1",
                         usb_disks=[backup_disk])
        machines.append(m)
        boot(m, args, state, first=True)

        toml = qemu.fat_read(image, "cartable.toml") or b""
        check(SCHOOL.encode() in toml and HOSTNAME.encode() in toml,
              "the FAT's cartable.toml keeps its settings")
        check(state["admin_password"].encode() not in toml,
              "the FAT's cartable.toml no longer holds the admin's password")
        check(state["relay_password"].encode() not in toml,
              "the FAT's cartable.toml no longer holds the relay's password")

        # For the second boot, a backup disk with less room than the archive needs.
        full_disk = os.path.join(work, "backup-full.img")
        maint.backup_disk(full_disk, 8, work, leave=(state.get("backup_size") or 1 << 20) // 2)
        m = qemu.Machine(args.arch, image, work, firmwares[1], name="boot2",
                         disks=[full_disk])
        machines.append(m)
        boot(m, args, state, first=False)
        check(qemu.fat_read(image, "cartable.toml") == toml,
              "the FAT's cartable.toml is unchanged by the second boot")

        bad = toml.replace(b'mode = "dhcp"', b'mode = "wifi"', 1)
        must(bad != toml, "the FAT's cartable.toml has a network mode to break")
        qemu.fat_write(image, "cartable.toml", bad, work)
        m = qemu.Machine(args.arch, image, work, firmwares[2], name="boot3")
        machines.append(m)
        boot_invalid(m, args, state)
        check(qemu.fat_read(image, "cartable.toml") == bad,
              "the invalid cartable.toml is left as it was")
    except Fatal:
        pass
    except Exception as e:  # an unexpected error is a failure too, with what is known
        check(False, f"unexpected {type(e).__name__}: {e}")
    finally:
        tear_down(machines, state)
    for label, t in state.get("timings", []):
        if label.endswith(" took"):
            print(f"timing  {label} {t:.0f} s")
        else:
            print(f"timing  {label}: portal answering {t:.0f} s after power-on")
    finish(work, args.keep, started)


if __name__ == "__main__":
    main()

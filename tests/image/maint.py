"""The maintainer's part of the image test (run.py): `make release`, signed updates and the
nightly backup, done on the booted box over SSH as `maint` with the provisioned key, as a
maintainer far from the school would.

  release (on this machine, before the boots): `make release` refuses without KEY; with a
    throwaway minisign key it builds and signs out/release/cartable-<version>-<arch>, and
    the signature verifies with the key's public half.
  boot 1, updates: the provisioning file's `update_key` is that key's public half. The box's
    own binary (fetched with scp) with its version bytes rewritten is a "newer build"; the
    same with "/healthz" rewritten to "/healthx" is a newer build whose health check fails.
    Copied with scp beside their signatures:
    - a tampered build is refused and nothing changes;
    - the release build (the box's own version) is refused as not newer, its signature
      having been checked first;
    - `sudo cartable update GOOD`: the new version serves HTTPS /healthz, the admin still
      logs in, `cartable status` says installed;
    - `sudo cartable update BAD`: it rolls back by itself; the previous version serves
      again, the admin still logs in, `cartable status` and `journalctl -u cartable` say so.
  boot 1, backup: a FAT32 disk labelled CARTABLE-BK (as Windows formats a USB stick) is
    plugged in over USB; the nightly backup's timer is enabled; the backup started as the
    timer would (`systemctl start cartable-backup.service`) writes an archive on that disk;
    `cartable status` shows it.
  boot 2: the updated version is still the one running; a backup disk too full for the
    archive makes the backup fail with a clear message, leave no partial archive, and change
    nothing (`cartable status` still shows the previous backup).
"""

import os
import re
import subprocess

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BACKUP_LABEL = "CARTABLE-BK"


def minisign_key(work):
    """A throwaway minisign key pair, without a password: (public file, secret file, the
    public key's base64 line for cartable.toml)."""
    pub, sec = os.path.join(work, "update-key.pub"), os.path.join(work, "update-key.sec")
    subprocess.run(["minisign", "-G", "-W", "-f", "-p", pub, "-s", sec], check=True,
                   capture_output=True)
    with open(pub) as f:
        line = [x for x in f.read().splitlines() if x.startswith("RW")][0]
    return pub, sec, line


def sign(sec, path):
    subprocess.run(["minisign", "-S", "-s", sec, "-m", path], check=True, capture_output=True)


def backup_disk(path, mib, work, leave=None):
    """A disk labelled CARTABLE-BK of `mib` MiB, the whole disk, made without a loop device:
    empty FAT32, as Windows formats a USB stick, or, with `leave`, ext4 filled (`mkfs.ext4
    -d`) but for about that many bytes."""
    if leave is None:
        if os.path.exists(path):
            os.unlink(path)
        subprocess.run(["mkfs.vfat", "-C", "-F", "32", "-s", "1", "-n", BACKUP_LABEL, path,
                        str(mib * 1024)], check=True, capture_output=True)
        return

    def mkfs(content=None):
        if os.path.exists(path):
            os.unlink(path)
        subprocess.run(["mkfs.ext4", "-q", "-F", "-L", BACKUP_LABEL, "-m", "0",
                        "-O", "^has_journal", *(["-d", content] if content else []),
                        path, f"{mib}M"], check=True, capture_output=True)
    mkfs()
    info = subprocess.run(["dumpe2fs", "-h", path], capture_output=True, text=True).stdout
    field = lambda k: int(re.search(rf"^{k}:\s+(\d+)", info, re.M).group(1))  # noqa: E731
    free = field("Free blocks") * field("Block size")
    content = os.path.join(work, "backup-disk-content")
    os.makedirs(content, exist_ok=True)
    with open(os.path.join(content, "filler.bin"), "wb") as f:
        # Real blocks (not a sparse file): mkfs.ext4 -d keeps holes as holes.
        size = max(0, free - leave - 64 * 1024)
        chunk = b"\xa5" * (1 << 20)
        while size > 0:
            f.write(chunk[:min(size, len(chunk))])
            size -= len(chunk)
    mkfs(content)


def release(check, arch, work, sec, pub):
    """`make release` with a throwaway key, for this architecture only (the image test has
    built its static binary already). Returns the release file, or None."""
    out_dir = os.path.join(work, "release")
    r = subprocess.run(["make", "-s", "-C", TOP, "release", f"RELEASE_ARCHS={arch}",
                        f"RELEASE_DIR={out_dir}"], capture_output=True, text=True)
    check(r.returncode != 0 and "KEY=" in r.stderr,
          "release: `make release` without KEY refuses: " + r.stderr.strip()[:100])
    r = subprocess.run(["make", "-s", "-C", TOP, "release", f"KEY={sec}",
                        f"RELEASE_ARCHS={arch}", f"RELEASE_DIR={out_dir}"],
                       capture_output=True, text=True)
    names = sorted(os.listdir(out_dir)) if os.path.isdir(out_dir) else []
    files = [n for n in names if re.fullmatch(rf"cartable-[\d.]+-{arch}", n)]
    if not check(r.returncode == 0 and files and files[0] + ".minisig" in names,
                 f"release: `make release KEY=...` makes {', '.join(names) or 'nothing'}"):
        print(r.stdout[-2000:] + r.stderr[-2000:], flush=True)
        return None
    path = os.path.join(out_dir, files[0])
    v = subprocess.run(["minisign", "-V", "-p", pub, "-m", path], capture_output=True,
                       text=True)
    check(v.returncode == 0 and f"cartable " in v.stdout,
          f"release: its signature verifies with the key's public half "
          f"({v.stdout.strip().splitlines()[-1] if v.stdout.strip() else v.stderr.strip()})")
    return path


def patched(data, pairs):
    """`data` with every occurrence of each `old` replaced by `new` (same length)."""
    for old, new in pairs:
        assert len(old) == len(new) and old in data, old
        data = data.replace(old, new)
    return data


def logs_in(login):
    try:
        return login()[0] is not None
    except OSError:
        return False


def healthz_version(portal):
    """The version HTTPS /healthz reports, checked against the school's CA."""
    try:
        status, _, body = portal.request("GET", "/healthz")
    except OSError as e:
        return f"no answer ({e})"
    m = re.search(r'"version":"([^"]+)"', body)
    return m.group(1) if status == 200 and m else f"status {status}"


def scp(ssh, files):
    cmd = ["scp", "-q", "-P", str(ssh.port), "-i", ssh.key, "-o", "BatchMode=yes",
           "-o", "IdentitiesOnly=yes", "-o", f"UserKnownHostsFile={ssh.known_hosts}",
           "-o", "LogLevel=ERROR", *files, "maint@127.0.0.1:"]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300).returncode == 0


def scp_from(ssh, remote, local):
    cmd = ["scp", "-q", "-P", str(ssh.port), "-i", ssh.key, "-o", "BatchMode=yes",
           "-o", "IdentitiesOnly=yes", "-o", f"UserKnownHostsFile={ssh.known_hosts}",
           "-o", "LogLevel=ERROR", f"maint@127.0.0.1:{remote}", local]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300).returncode == 0


def sha256_on_box(ssh, path):
    rc, out, _ = ssh.run(f"sha256sum {path}")
    return out.split()[0] if rc == 0 and out else None


def updates(check, must, label, ssh, portal, login, state, work):
    """The update round trip on a booted box (see the module's text)."""
    installed = os.path.join(work, "installed")
    must(scp_from(ssh, "/usr/bin/cartable", installed),
         f"{label}: scp fetches the box's /usr/bin/cartable")
    rc, out, _ = ssh.run("cartable --version")
    version = out.strip().removeprefix("cartable ")
    must(rc == 0 and re.fullmatch(r"\d+\.\d+\.[0-7]", version),
         f"{label}: the box runs cartable {version}")
    with open(installed, "rb") as f:
        original = f.read()
    v = version.encode()
    good_v, bad_v = v[:-1] + b"8", v[:-1] + b"9"
    builds = {
        "good": patched(original, [(v, good_v)]),
        "bad": patched(original, [(v, bad_v), (b"/healthz", b"/healthx")]),
    }
    for name, data in builds.items():
        path = os.path.join(work, f"cartable-{name}")
        with open(path, "wb") as f:
            f.write(data)
        sign(state["update_sec"], path)
    files = [os.path.join(work, f"cartable-{n}{s}") for n in builds for s in ("", ".minisig")]
    if state.get("release"):
        files += [state["release"], state["release"] + ".minisig"]
    must(scp(ssh, files), f"{label}: scp copies the new builds and their signatures to the box")
    before = sha256_on_box(ssh, "/usr/bin/cartable")

    # Tampered after signing: one byte in the middle of the good build changed on the box.
    at = len(builds["good"]) // 2
    byte = builds["good"][at] ^ 0x01
    rc, out, err = ssh.run(
        "cp cartable-good cartable-tampered && cp cartable-good.minisig "
        f"cartable-tampered.minisig && printf '\\{byte:03o}' | dd of=cartable-tampered bs=1 "
        f"seek={at} conv=notrunc status=none && ! cmp -s cartable-good cartable-tampered && "
        "sudo cartable update cartable-tampered", timeout=120)
    check(rc != 0 and "signature does not match" in err,
          f"{label}: a tampered build is refused: {err.strip()[-120:]}")
    check(sha256_on_box(ssh, "/usr/bin/cartable") == before
          and healthz_version(portal) == version,
          f"{label}: ... and nothing changed ({version} still serves)")
    if state.get("release"):
        name = os.path.basename(state["release"])
        rc, out, err = ssh.run(f"sudo cartable update {name}", timeout=120)
        same = name.startswith(f"cartable-{version}-")
        check(rc != 0 and "not newer" in err if same else rc == 0,
              f"{label}: the release build, signed by `make release`, passes the signature "
              f"check and is refused as not newer: {err.strip()[-100:]}")

    # A good newer build: installed, restarted, healthy.
    rc, out, err = ssh.run("sudo cartable update cartable-good", timeout=300)
    good = good_v.decode()
    check(rc == 0 and f"to {good}" in out,
          f"{label}: `sudo cartable update` installs {good}: {(out + err).strip()[-160:]}")
    check(healthz_version(portal) == good, f"{label}: HTTPS /healthz says {good}")
    check(logs_in(login), f"{label}: the admin still logs in after the update")
    rc, out, _ = ssh.run("sudo cartable status")
    line = next((x for x in out.splitlines() if x.startswith("last update:")), "")
    check(f"-> {good}" in line and "installed" in line, f"{label}: status: {line}")
    good_sha = sha256_on_box(ssh, "/usr/bin/cartable")

    # A newer build whose health check fails: back to the good one, by itself.
    bad = bad_v.decode()
    rc, out, err = ssh.run("sudo cartable update --timeout 30 cartable-bad", timeout=400)
    check(rc != 0 and "are back and healthy" in err,
          f"{label}: {bad} fails its health check and rolls back by itself: "
          f"{err.strip()[-160:]}")
    check(healthz_version(portal) == good and sha256_on_box(ssh, "/usr/bin/cartable") == good_sha,
          f"{label}: {good} serves again")
    check(logs_in(login), f"{label}: the admin still logs in after the rollback")
    rc, out, _ = ssh.run("sudo cartable status; systemctl is-active cartable; "
                         "ls -ln /var/lib/cartable/cartable.db")
    line = next((x for x in out.splitlines() if x.startswith("last update:")), "")
    check(f"{good} -> {bad}" in line and "rolled back" in line, f"{label}: status: {line}")
    check("\nactive\n" in out, f"{label}: cartable.service is active")
    rc, out, _ = ssh.run("journalctl -u cartable --no-pager -o cat | grep 'update:'")
    check(f"rolling back to {good}" in out and "rolled back" in out,
          f"{label}: `journalctl -u cartable` tells the rollback: "
          + " | ".join(out.strip().splitlines()[-2:]))
    state["updated_to"] = good


def backup(check, label, ssh):
    """The nightly backup to the attached CARTABLE-BK disk."""
    rc, out, _ = ssh.run("systemctl is-enabled cartable-backup.timer; "
                         "systemctl list-timers --all --no-pager cartable-backup.timer")
    check(out.startswith("enabled") and "cartable-backup.timer" in out,
          f"{label}: the nightly backup's timer is enabled and listed: "
          + " ".join(out.split("\n")[2:3]).strip()[:100])
    rc, out, err = ssh.run("sudo systemctl start cartable-backup.service", timeout=400)
    check(rc == 0, f"{label}: the nightly backup runs as its timer starts it {err.strip()}")
    rc, out, _ = ssh.run("ls -l /media/cartable-backup/cartable/")
    check(re.search(r"cartable-\d{8}-\d{6}\.tar", out) and ".partial" not in out,
          f"{label}: an archive lands on the {BACKUP_LABEL} disk: "
          + " ".join(out.split("\n")[1].split()[4:]))
    rc, out, _ = ssh.run("sudo cartable status")
    line = next((x for x in out.splitlines() if x.startswith("last backup:")), "")
    check("/media/cartable-backup/cartable/" in line and "WARNING" not in line,
          f"{label}: status: {line}")
    m = re.search(r"\(([\d.]+) (B|KiB|MiB)\)", line)
    if m:
        return int(float(m.group(1)) * {"B": 1, "KiB": 1024, "MiB": 1 << 20}[m.group(2)])
    return None


def full_backup_disk(check, label, ssh):
    """The nightly backup to a CARTABLE-BK disk with too little room: a clear failure,
    nothing left behind, nothing changed."""
    rc, before, _ = ssh.run("sudo cartable status | grep '^last backup:'")
    rc, out, err = ssh.run("sudo systemctl start cartable-backup.service", timeout=400)
    check(rc != 0, f"{label}: the backup to a full disk fails")
    rc, out, _ = ssh.run("journalctl -u cartable-backup -b --no-pager -o cat | "
                         "grep 'cartable:'")
    check("is full" in out and "not written" in out,
          f"{label}: it says why: {out.strip()[-200:]}")
    rc, out, _ = ssh.run("ls -A /media/cartable-backup/ /media/cartable-backup/cartable 2>&1; "
                         "ls -A /var/lib/cartable/backups 2>&1")
    check(".partial" not in out and "snapshot" not in out and ".tar" not in out,
          f"{label}: no partial archive left: {' '.join(out.split())[:160]}")
    rc, after, _ = ssh.run("sudo cartable status | grep '^last backup:'")
    check(after == before and before, f"{label}: nothing changed: {after.strip()}")


def after_reboot(check, label, ssh, state):
    if state.get("updated_to"):
        rc, out, _ = ssh.run("cartable --version")
        check(out.strip() == f"cartable {state['updated_to']}",
              f"{label}: the updated version runs after the reboot ({out.strip()})")

"""The USB disk part of the image test (run.py): a technician adds a library collection from a
USB stick, with nothing but the stick, as image/README.md tells.

  before the boot: a FAT32 stick image (as Windows formats one) holding `library/encyclopedie.zim`,
    a small ZIM written by tests/library/make_zim.py (PyPI's libzim); the nightly backup's
    CARTABLE-BK disk is plugged in over USB at power-on (run.py), as in a school.
  boot 1, after the backup:
    - the backup disk is a USB disk to the guest, and the new mounting leaves it alone (no
      /media/usb-* mount; /etc/fstab's automount is its only way in);
    - no collection yet;
    - the stick is plugged in while the box runs (QEMU's monitor, device_add): it is mounted
      under /media/usb-<device>, read-only, nosuid, nodev, noexec;
    - the server, in its own sandboxed mount namespace, sees the mount and copies the
      collection without anyone asking (no "scan now", no restart): `sudo cartable library
      list` shows it and the server's journal says why it looked (and that it never looked
      into the backup disk when that was mounted);
    - the stick is pulled out (device_del): the mount and its folder are gone, the unit is
      stopped, and the collection still reads over HTTPS (the admin opens its main page).
"""

import os
import re
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# tests/library/make_zim.py's collection: its `Name` metadata is the URL name.
COLLECTION = "cartable_test_fr"
COLLECTION_TITLE = "Petite encyclopédie de test"


def library_stick(path, work):
    """A 64 MiB FAT32 disk image (the whole disk, as many sticks are formatted) labelled
    BIBLIO, with library/encyclopedie.zim, written without a loop device (mtools)."""
    zims = os.path.join(work, "zim")
    os.makedirs(zims, exist_ok=True)
    subprocess.run([sys.executable, os.path.join(TOP, "tests/library/make_zim.py"), zims],
                   check=True, capture_output=True)
    zim = os.path.join(zims, "encyclopedie.zim")
    os.replace(os.path.join(zims, "zstd.zim"), zim)
    # Written a while ago, as a collection copied onto a stick at home: settled at once.
    old = time.time() - 3600
    os.utime(zim, (old, old))
    if os.path.exists(path):
        os.unlink(path)
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    subprocess.run(["mkfs.vfat", "-C", "-F", "32", "-n", "BIBLIO", "-s", "1", path,
                    str(64 * 1024)],
                   check=True, capture_output=True)
    subprocess.run(["mmd", "-i", path, "::library"], check=True, env=env)
    subprocess.run(["mcopy", "-m", "-i", path, zim, "::library/encyclopedie.zim"], check=True,
                   env=env)


def usb_mounts(ssh):
    """The mounts under /media/usb-*: {target: (source, options)}."""
    _, out, _ = ssh.run("findmnt -rn -o TARGET,SOURCE,OPTIONS")
    found = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0].startswith("/media/usb-"):
            found[parts[0]] = (parts[1], parts[2])
    return found


def collections(ssh):
    rc, out, err = ssh.run("sudo cartable library list")
    return rc, [line.split("\t") for line in out.splitlines() if line.strip()], err


def wait(what, timeout, step=2):
    """`what()` once it is truthy, else its last value after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    value = what()
    while not value and time.monotonic() < deadline:
        time.sleep(step)
        value = what()
    return value


def library_from_usb(check, label, ssh, machine, portal, login, stick):
    """Boot 1, after the nightly backup (whose disk is on USB)."""
    rc, out, _ = ssh.run("udevadm info --query=property /dev/disk/by-label/CARTABLE-BK | "
                         "grep -E '^(ID_BUS|DEVNAME)='")
    check("ID_BUS=usb" in out, f"{label}: the backup disk is a USB disk to the box "
                               f"({' '.join(out.split())})")
    mounts = usb_mounts(ssh)
    check(not mounts, f"{label}: the backup disk is not mounted under /media/usb-* "
                      f"({mounts or 'nothing there'})")
    rc, before, err = collections(ssh)
    check(rc == 0 and not any(c[0] == COLLECTION for c in before),
          f"{label}: `sudo cartable library list` runs and has no {COLLECTION} yet "
          f"({before or err.strip()[:100] or 'empty'})")

    t0 = time.monotonic()
    out = machine.usb_plug(stick, "usbstick")
    check(out == "", f"{label}: the library stick is plugged in while the box runs "
                     f"{out or '(QEMU device_add)'}")
    mounts = wait(lambda: usb_mounts(ssh), 60)
    target, (source, options) = next(iter(mounts.items()), (None, (None, "")))
    opts = options.split(",")
    check(target is not None, f"{label}: the stick is mounted at {target} ({source}) "
                              f"{time.monotonic() - t0:.0f} s after it was plugged in")
    check(all(o in opts for o in ("ro", "nosuid", "nodev", "noexec")),
          f"{label}: read-only, nosuid, nodev, noexec: {options}")
    rc, out, _ = ssh.run(f"ls {target}/library" if target else "false")
    check("encyclopedie.zim" in out, f"{label}: its library folder holds {out.strip()}")

    def listed():
        rc, found, _ = collections(ssh)
        return [c for c in found if c[0] == COLLECTION]
    found = wait(listed, 90, step=3)
    check(found and found[0][-1] == COLLECTION_TITLE,
          f"{label}: the server copied the collection by itself "
          f"{time.monotonic() - t0:.0f} s after the plug: {found[0] if found else 'nothing'}")
    rc, out, _ = ssh.run("journalctl -u cartable -b --no-pager -o cat | "
                         "grep -E 'library: (a USB disk was mounted|added)'")
    check(f"library: added {COLLECTION}" in out and "a USB disk was mounted at" in out,
          f"{label}: the server's journal: {' | '.join(out.strip().splitlines()[-2:])}")
    check("/media/cartable-backup" not in out,
          f"{label}: the server never looked into the backup disk (mounted for the backup)")

    # Pulled out: unmounted, and the collection is the server's own copy.
    out = machine.usb_unplug("usbstick")
    check(out == "", f"{label}: the stick is pulled out {out or '(QEMU device_del)'}")
    gone = wait(lambda: not usb_mounts(ssh), 60)
    name = os.path.basename(target) if target else "usb-none"
    rc, out, _ = ssh.run(f"test -e /media/{name} && echo left; "
                         f"systemctl is-active cartable-{name.replace('usb-', 'usb@', 1)}")
    check(gone and "left" not in out and out.strip() == "inactive",
          f"{label}: unmounted, its folder removed and its unit stopped "
          f"({' '.join(out.split())})")
    rc, after, _ = collections(ssh)
    check(any(c[0] == COLLECTION for c in after),
          f"{label}: `cartable library list` still has {COLLECTION}")
    login()
    status, headers, _ = portal.request("GET", f"/library/{COLLECTION}")
    where = headers.get("location", "")
    status2, _, body = portal.request("GET", where) if status == 303 else (status, {}, "")
    title = re.search(r"<title>([^<]*)</title>", body)
    check(status2 == 200 and where.startswith(f"/library/{COLLECTION}/"),
          f"{label}: its main page reads over HTTPS without the stick ({where} {status2}, "
          f"{title.group(1).strip() if title else 'no title'})")

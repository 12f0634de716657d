#!/usr/bin/env python3
"""Cartable's image benchmark: the appliance image's sizes and boot times under QEMU, beside a
plain Debian image made from the same packages, kernel and boot loaders in the same run.

Run by `make bench` through tests/bench/run.sh with BENCH_ONLY=image (not in the default run:
from nothing, building the images takes longer than the rest of the benchmark). run.sh builds
the images first (`make image`, and image/build.sh with IMAGE_PLAIN=1 for the reference). As
root; Python's standard library, QEMU, mtools (tests/image/qemu.py).

What it measures, in one run:
  1. sizes: the raw image (its length, what `dd` writes to a card), the .img.xz one downloads,
     the static binary;
  2. boot times under QEMU with software emulation (TCG, as on CI: no KVM), 1 GiB of memory,
     2 CPUs, virtio disk and network, the disk grown to 4 GiB as when flashed to a larger
     card: seconds from power-on (QEMU's start) to the portal answering /healthz (Cartable)
     and to the login prompt on the serial console (both images: multi-user reached, the
     gettys are up). The first boot of each includes its one-time work (root file system
     grown, SSH host keys, for Cartable provisioning with its certificate authority); the
     second boot is every later one. Cartable gets a provisioning file as in the image test.
     Boots are interleaved (Cartable, Debian, Cartable, Debian).
  3. a table.

Speeds under TCG are far below a real machine's; the ratio to plain Debian is the figure to
follow. x86_64 boots with legacy BIOS (SeaBIOS and SYSLINUX); arm64 with UEFI.

  BENCH_IMAGE_ARCH=x86_64|arm64 (run.sh)     --timeout seconds per boot (600)
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "image"))
import qemu  # noqa: E402

PROVISION = """[school]
name = "École du banc d'essai"
mail_domain = "banc.example"
language = "fr"
timezone = "Europe/Paris"
[network]
hostname = "banc"
mode = "dhcp"
[admin]
username = "admin"
first_name = "Awa"
last_name = "Ndiaye"
password = "{password}"
[maintenance]
ssh_keys = []
"""

LOGIN = re.compile(r"\S login: ")


def mib(n):
    return f"{n / 1048576:.1f} MiB"


def boot(name, image, arch, firmware, work, portal, timeout):
    m = qemu.Machine(arch, image, work, firmware, name=name)
    m.start()
    try:
        return measure(m, name, portal, timeout)
    finally:
        m.kill()


def measure(m, name, portal, timeout):
    # Both watched in one loop, each time taken when first seen.
    t_portal = t_login = None
    url = f"http://127.0.0.1:{m.ports['http']}/healthz"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and m.alive():
        if t_login is None and LOGIN.search(m.serial_text()):
            t_login = m.elapsed()
        if portal and t_portal is None:
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200:
                        t_portal = m.elapsed()
            except OSError:
                pass
        if t_login is not None and (t_portal is not None or not portal):
            break
        time.sleep(0.25)
    clean = m.power_down(timeout=180)
    got = f"portal {t_portal:.1f} s, " if t_portal else ""
    got += f"login prompt {t_login:.1f} s" if t_login else "no login prompt"
    print(f"image bench:   {name}: {got}{'' if clean else ' (killed)'}", flush=True)
    if (portal and t_portal is None) or t_login is None:
        print(m.serial_text()[-3000:], file=sys.stderr)
    return t_portal, t_login


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--arch", choices=["x86_64", "arm64"], default="x86_64")
    ap.add_argument("--image", required=True, help="out/cartable-ARCH.img")
    ap.add_argument("--reference", required=True, help="out/debian-ARCH.img")
    ap.add_argument("--binary", required=True, help="the static binary in the image")
    ap.add_argument("--timeout", type=int, default=600)
    args = ap.parse_args()
    # Stopped by run.sh's trap or Ctrl-C: the `finally` blocks stop QEMU and clean up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    firmware = "bios" if args.arch == "x86_64" else "uefi"
    print(f"image bench: {args.arch}, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.2f}, QEMU TCG, {firmware}", flush=True)

    xz = args.image + ".xz"
    sizes = {
        "raw": os.path.getsize(args.image),
        "xz": os.path.getsize(xz) if os.path.exists(xz) else None,
        "ref_raw": os.path.getsize(args.reference),
        "binary": os.path.getsize(args.binary),
    }
    work = tempfile.mkdtemp(prefix="cartable-bench-image-")
    results = {}
    try:
        disks = {}
        for name, src in (("cartable", args.image), ("debian", args.reference)):
            disks[name] = os.path.join(work, f"{name}.img")
            subprocess.run(["cp", "--sparse=always", src, disks[name]], check=True)
            os.truncate(disks[name], 4 << 30)
        qemu.fat_write(disks["cartable"], "cartable.toml",
                       PROVISION.format(password=secrets.token_urlsafe(12)).encode(), work)
        for n in (1, 2):
            for name in ("cartable", "debian"):
                results[(name, n)] = boot(f"{name}-boot{n}", disks[name], args.arch, firmware,
                                          work, name == "cartable", args.timeout)
    finally:
        if os.environ.get("BENCH_KEEP"):
            print(f"image bench: kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    def s(v):
        return f"{v:.1f} s" if v is not None else "—"

    def ratio(a, b):
        return f"{a / b:.2f}×" if a and b else "—"

    rows = [
        ("raw image (written to the card)", mib(sizes["raw"]), mib(sizes["ref_raw"]), ""),
        ("compressed image (.img.xz)", mib(sizes["xz"]) if sizes["xz"] else "—", "—", ""),
        ("static binary", mib(sizes["binary"]), "—", ""),
    ]
    for n, what in ((1, "first boot"), (2, "second boot")):
        cp, cl = results[("cartable", n)]
        _, dl = results[("debian", n)]
        rows.append((f"{what}: power-on → login prompt", s(cl), s(dl), ratio(cl, dl)))
        rows.append((f"{what}: power-on → portal answers", s(cp), "—", ratio(cp, dl)))
    head = ("", "Cartable", "plain Debian", "Cartable / Debian")
    print()
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    print(f"- {args.arch} under QEMU TCG (software emulation), 1 GiB, 2 CPUs; the Debian image "
          "is the same debootstrap base, kernel, initrd and boot loader without Cartable.")
    missing = [k for k, v in results.items()
               if v[1] is None or (k[0] == "cartable" and v[0] is None)]
    if missing:
        print(f"image bench: could not measure {missing}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()

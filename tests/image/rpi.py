#!/usr/bin/env python3
"""`make image-test ARCH=rpi`: checks the Raspberry Pi image as far as QEMU can go.

QEMU (Debian 12's 7.2) emulates a Raspberry Pi 3 B (`-M raspi3b`), not a 4 or a 5, and not
the GPU firmware that starts a real Pi. So the test:

  1. reads the image as a Pi's firmware and a technician would: the MBR's first partition is
     FAT, labelled CARTABLE, and holds the firmware of the Pi 3 and 4 (bootcode.bin, start*.elf,
     fixup*.dat; the Pi 5's is in its EEPROM), config.txt in 64-bit mode naming a kernel and an
     initrd that are there, cmdline.txt naming the root partition and the serial console, the
     device trees of the Pi 3, 3+, 4, 400 and 5, cartable.toml and its README; and the kernel
     and initrd there are the ones in the root file system's /boot, which Debian's
     raspi-firmware hooks copied when the kernel was installed (the path of every kernel
     update);
  2. boots the image's own kernel, initrd and Pi 3 device tree named there, with cmdline.txt,
     the image as the Pi's SD card (grown to 4 GiB) and a USB network adapter, with a
     cartable.toml of its own that also asks for a Wi-Fi access point (QEMU's Pi has no Wi-Fi:
     the files are written and nothing fails), then checks: the console shows the provisioned
     school, the portal answers over HTTP and HTTPS and the admin logs in, `maint` logs in over
     SSH, cartable.service runs and no unit failed, the root file system grew to the card, the
     SD card's rules hold (root with noatime, /tmp in RAM, the journal written every 5
     minutes, the boot partition mounted at /boot/firmware and checked at boot), and the
     passwords and the Wi-Fi passphrase are erased from the FAT's file;
  3. pulls the plug (QEMU killed, no shutdown) while the box runs; boots again with a new
     relay password in the file and pulls the plug a second after provisioning erased it: the
     FAT's file is whole; boots a third time: the root file system is checked and comes up,
     the school and its CA are the same, the admin still logs in, no unit failed, the journal
     kept the earlier boots.

Prints one line per check, then "N passed, N failed"; exits 1 when a check failed.

  python3 tests/image/rpi.py --image out/cartable-rpi.img
"""

import argparse
import gzip
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402
import run  # noqa: E402
from run import ADMIN, HOSTNAME, SCHOOL, check, must  # noqa: E402

FIRMWARE = ["bootcode.bin", "start.elf", "fixup.dat", "start4.elf", "fixup4.dat"]
DEVICE_TREES = ["bcm2837-rpi-3-b.dtb", "bcm2837-rpi-3-b-plus.dtb", "bcm2711-rpi-4-b.dtb",
                "bcm2711-rpi-400.dtb", "bcm2712-rpi-5-b.dtb"]
WIFI_SSID = "Cartable-Test"


def wifi_section(passphrase):
    return f"""
[wifi]
mode = "access-point"
country = "SN"
ssid = "{WIFI_SSID}"
passphrase = "{passphrase}"
""".encode()


def fat_files(image):
    r = subprocess.run(["mdir", "-b", "-i", f"{image}@@{qemu.FAT_OFFSET}", "::"],
                       capture_output=True, text=True, env=qemu.mtools_env())
    return {os.path.basename(line.strip().rstrip("/")) for line in r.stdout.splitlines()}


def partition(image, number, work):
    """Partition `number` of the image as a file of its own (sparse), for debugfs."""
    table = json.loads(subprocess.run(["sfdisk", "--json", image], capture_output=True,
                                      text=True, check=True).stdout)["partitiontable"]
    p = table["partitions"][number - 1]
    out = os.path.join(work, f"part{number}.img")
    subprocess.run(["dd", f"if={image}", f"of={out}", "bs=512", f"skip={p['start']}",
                    f"count={p['size']}", "conv=sparse", "status=none"], check=True)
    return out


def debugfs_cat(part, path, work):
    out = os.path.join(work, "debugfs.out")
    if os.path.exists(out):
        os.unlink(out)
    subprocess.run(["debugfs", "-R", f"dump {path} {out}", part], capture_output=True)
    if not os.path.exists(out):
        return None
    with open(out, "rb") as f:
        return f.read()


def layout(image, work):
    """Step 1: the image as the Pi's firmware and the technician see it."""
    table = json.loads(subprocess.run(["sfdisk", "--json", image], capture_output=True,
                                      text=True, check=True).stdout)["partitiontable"]
    parts = table["partitions"]
    check(table["label"] == "dos" and table.get("id") == "0xca27ab1e",
          f"the disk is MBR-partitioned, identifier {table.get('id')}")
    check(len(parts) == 2 and parts[0]["start"] == 2048 and parts[0]["type"] == "c"
          and parts[0].get("bootable") and parts[1]["type"] == "83",
          "partition 1 is FAT32 (type c, active) at 1 MiB, partition 2 Linux: "
          + ", ".join(f"{p['start']}+{p['size']} type {p['type']}" for p in parts))
    label = subprocess.run(["mlabel", "-s", "-i", f"{image}@@{qemu.FAT_OFFSET}", "::"],
                           capture_output=True, text=True, env=qemu.mtools_env()).stdout
    check("CARTABLE" in label, f"the FAT is labelled CARTABLE ({label.strip()})")
    files = fat_files(image)
    missing = [f for f in FIRMWARE + DEVICE_TREES + ["config.txt", "cmdline.txt",
                                                     "cartable.toml", "LISEZMOI.txt"]
               if f not in files]
    check(not missing, "the FAT holds the Pi 3/4 firmware, the Pi 3/3+/4/400/5 device trees, "
                       "config.txt, cmdline.txt, cartable.toml and LISEZMOI.txt"
                       + (f"; missing: {', '.join(missing)}" if missing else ""))
    config = (qemu.fat_read(image, "config.txt") or b"").decode()
    lines = [ln.strip() for ln in config.splitlines()]
    kernel = next((ln[7:] for ln in lines if ln.startswith("kernel=")), "")
    initrd = next((ln.split(None, 1)[1] for ln in lines if ln.startswith("initramfs ")), "")
    check("arm_64bit=1" in lines and "upstream_kernel=1" in lines and "enable_uart=1" in lines,
          "config.txt: 64-bit, the mainline kernel's device tree names, the serial port")
    must(kernel in files and initrd in files,
         f"config.txt names a kernel and an initrd that are on the FAT ({kernel}, {initrd})")
    cmdline = (qemu.fat_read(image, "cmdline.txt") or b"").decode().split()
    want = ["root=PARTUUID=ca27ab1e-02", "console=tty1", "console=ttyS1,115200", "rootwait",
            "fsck.repair=yes"]
    modes = [w for w in cmdline if w in ("ro", "rw")]
    check(all(w in cmdline for w in want) and cmdline.index("console=ttyS1,115200")
          > cmdline.index("console=tty1") and modes[-1:] == ["ro"],
          f"cmdline.txt (the root mounted read-only first, for its check; the serial console "
          f"last): {' '.join(cmdline)}")
    check("EFI" not in files and "loader" not in files, "no UEFI boot loader on the Pi image")

    root = partition(image, 2, work)
    version = kernel[len("vmlinuz-"):]
    same = (debugfs_cat(root, f"/boot/{kernel}", work) == qemu.fat_read(image, kernel)
            and debugfs_cat(root, f"/boot/{initrd}", work) == qemu.fat_read(image, initrd))
    check(same, f"the FAT's kernel and initrd are /boot's {version}, copied there by Debian's "
                "raspi-firmware hooks when the kernel was installed")
    dtb_dir = f"/usr/lib/linux-image-{version}/broadcom/bcm2711-rpi-4-b.dtb"
    check(debugfs_cat(root, dtb_dir, work) == qemu.fat_read(image, "bcm2711-rpi-4-b.dtb"),
          "... and its device trees are that kernel's")
    fstab = (debugfs_cat(root, "/etc/fstab", work) or b"").decode()
    check("PARTUUID=ca27ab1e-01\t/boot/firmware\tvfat" in fstab,
          "fstab mounts the FAT at /boot/firmware, where the hooks write on updates")
    hooks = [debugfs_cat(root, p, work) for p in ("/etc/kernel/postinst.d/z50-raspi-firmware",
                                                  "/etc/initramfs/post-update.d/z50-raspi-firmware")]
    check(all(hooks), "the kernel and initramfs hooks of raspi-firmware are installed")
    os.unlink(root)
    raw = qemu.fat_read(image, kernel) or b""
    packed = raw[:2] == b"\x1f\x8b"
    header = gzip.decompress(raw)[:64] if packed else raw[:64]
    check(header[56:60] == b"ARM\x64",
          f"{kernel} is an arm64 Linux image ({'gzip' if packed else 'uncompressed'})")


def ssh_facts(ssh, label, state):
    rc, out, err = ssh.run(
        "echo host=$(hostname); echo active=$(systemctl is-active cartable); "
        "echo state=$(systemctl is-system-running --wait); "
        "echo failed=$(systemctl --failed --no-legend --plain | cut -d' ' -f1 | tr '\\n' ' '); "
        "echo rootmib=$(df -B1M --output=size / | tail -1 | tr -d ' '); "
        "echo rootopts=$(findmnt -no OPTIONS /); echo tmp=$(findmnt -no FSTYPE /tmp); "
        "echo fat=$(findmnt -no FSTYPE /boot/firmware); "
        "echo fatfsck=$(systemctl show -p Result --value "
        "'systemd-fsck@dev-disk-by\\x2dpartuuid-ca27ab1e\\x2d01.service'); "
        "echo rootfsck=$(systemctl show -p ConditionResult -p Result --value "
        "systemd-fsck-root.service | tr '\\n' ' '); "
        "echo journal=$(grep -h '^SyncIntervalSec\\|^Storage' "
        "/etc/systemd/journald.conf.d/cartable.conf | tr '\\n' ' '); "
        "echo journaldir=$(test -d /var/log/journal && echo persistent); "
        "echo boots=$(journalctl --list-boots | grep -c '^ *-*[0-9]'); "
        "echo hostapd=$(ls /etc/hostapd/wlan0.conf 2>/dev/null); "
        "echo hostapdstate=$(systemctl is-active hostapd@wlan0.service); "
        "echo model=$(tr -d '\\0' </proc/device-tree/model)", timeout=300)
    facts = {}
    for line in out.splitlines():
        k, _, v = line.partition("=")
        facts[k] = v.strip()
    must(rc == 0, f"{label}: the facts over SSH ({err.strip()[:200]})")
    check(facts.get("model", "").startswith("Raspberry Pi 3"),
          f"{label}: the kernel runs on a {facts.get('model')}")
    check(facts.get("host") == HOSTNAME, f"{label}: the host name is {facts.get('host')}")
    check(facts.get("active") == "active", f"{label}: cartable.service is {facts.get('active')}")
    check(facts.get("state") == "running" and not facts.get("failed"),
          f"{label}: systemd is {facts.get('state')}, failed units: "
          f"{facts.get('failed') or 'none'}")
    root_mib = int(facts.get("rootmib") or 0)
    check(root_mib > 3300, f"{label}: the root file system fills the 4 GiB card ({root_mib} MiB)")
    check("noatime" in facts.get("rootopts", "").split(","),
          f"{label}: root mounted {facts.get('rootopts')}")
    check(facts.get("tmp") == "tmpfs", f"{label}: /tmp is in RAM ({facts.get('tmp')})")
    check("Storage=persistent" in facts.get("journal", "")
          and "SyncIntervalSec=5m" in facts.get("journal", "")
          and facts.get("journaldir") == "persistent",
          f"{label}: the journal is kept and written every 5 minutes ({facts.get('journal')})")
    check(facts.get("fat") == "vfat" and facts.get("fatfsck") == "success",
          f"{label}: /boot/firmware is the FAT, checked at boot ({facts.get('fatfsck')})")
    check(sorted(facts.get("rootfsck", "").split()) == ["success", "yes"],
          f"{label}: the root file system was checked before it was mounted read-write "
          f"(systemd-fsck-root: {facts.get('rootfsck')})")
    check(facts.get("hostapd") == "/etc/hostapd/wlan0.conf"
          and facts.get("hostapdstate") == "inactive",
          f"{label}: [wifi] wrote hostapd's file; without Wi-Fi hardware hostapd is "
          f"{facts.get('hostapdstate')}, not failed")
    return facts


def boot(m, args, state, first):
    label = "boot 1 (raspi3b)" if first else "boot 3 (raspi3b, after two pulled plugs)"
    print(f"--- {label}: kernel, initrd and Pi 3 device tree from the FAT, TCG", flush=True)
    m.start()
    t = m.wait_serial(f"{SCHOOL}", args.timeout)
    check(t is not None, f"{label}: the serial console shows the provisioned school "
                         f"({SCHOOL!r})" + (f", {t:.0f} s after power-on" if t else ""))
    t = m.wait_http("/healthz", args.timeout)
    must(t is not None, f"{label}: the portal answers /healthz over the USB network"
         + (f" ({t:.0f} s after power-on)" if t else ""))
    state.setdefault("timings", []).append((label, t))
    with urllib.request.urlopen(f"http://127.0.0.1:{m.ports['http']}/ca.crt",
                                timeout=30) as r:
        ca_pem = r.read().decode()
    fp = run.fingerprint(ca_pem)
    if first:
        state["ca"] = fp
        shown = run.normalise_hex(fp) in run.normalise_hex(m.serial_text())
        check(shown and f"https://{HOSTNAME}.local/" in m.serial_text(),
              f"{label}: the console shows https://{HOSTNAME}.local/ and the CA's fingerprint")
    else:
        check(fp == state["ca"], f"{label}: the same CA as before ({fp[:16]}…)")
    portal = run.Portal(m.ports["https"], ca_pem, f"{HOSTNAME}.local")
    leaf = portal.peer_cert()
    if first:
        state["leaf"] = leaf
    else:
        # The IPv6 address QEMU's network gives by SLAAC (fec0::, deprecated site-local)
        # arrives after the server started: it does not belong in the certificate, and must
        # not make a new one at the next start (issue #21).
        check(leaf == state["leaf"], f"{label}: the server certificate is the first boot's")
    where, body = portal.login(ADMIN, state["admin_password"])
    check(where is not None, f"{label}: {ADMIN} logs in over HTTPS "
                             f"({'to ' + where if where else body})")
    ssh = run.Ssh(m.ports["ssh"], state["key"], state["known_hosts"])
    must(ssh.wait(180), f"{label}: maint logs in over SSH with the provisioned key")
    facts = ssh_facts(ssh, label, state)
    if not first:
        check(int(facts.get("boots") or 0) >= 2,
              f"{label}: the journal kept the earlier boot ({facts.get('boots')} boots)")
        rc, out, _ = ssh.run("journalctl -b --no-pager -o cat -g 'recovering journal|clean,'"
                             " | head -3")
        print("        fsck: " + " | ".join(out.strip().splitlines()), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--image", required=True)
    ap.add_argument("--timeout", type=int, default=1500,
                    help="seconds from power-on to the portal answering (default 1500)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    args = ap.parse_args()
    for tool in ["qemu-system-aarch64", "mcopy", "mtype", "mdir", "mlabel", "sfdisk",
                 "debugfs", "ssh", "ssh-keygen"]:
        if not shutil.which(tool) and not shutil.which(tool, path="/usr/sbin:/sbin"):
            sys.exit(f"image-test: {tool} is missing (sh tests/install-deps.sh image rpi)")
    os.environ["PATH"] += ":/usr/sbin:/sbin"
    work = tempfile.mkdtemp(prefix="cartable-image-test-rpi-")
    image = os.path.join(work, "sd.img")
    started = time.monotonic()
    machines = []
    state = {}
    try:
        subprocess.run(["cp", "--sparse=always", args.image, image], check=True)
        print("--- the image's layout", flush=True)
        layout(image, work)
        # A 4 GiB SD card: QEMU's Pi wants a power of two.
        os.truncate(image, 4 << 30)
        key = os.path.join(work, "maint_key")
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "image-test",
                        "-f", key], check=True)
        with open(key + ".pub") as f:
            pub = f.read().strip()
        wifi_pass = "Wifi-" + secrets.token_urlsafe(12)
        state.update(key=key, known_hosts=os.path.join(work, "known_hosts"),
                     admin_password="Ecole-" + secrets.token_urlsafe(12))
        relay_password = "Relais-" + secrets.token_urlsafe(12)
        toml = run.provisioning_file(state["admin_password"], relay_password, pub, "")
        qemu.fat_write(image, "cartable.toml", toml + wifi_section(wifi_pass), work)

        m = qemu.Machine("rpi", image, work, "raspi3b", name="boot1")
        machines.append(m)
        boot(m, args, state, first=True)
        # Pulled plug: no shutdown, a few seconds after the checks wrote their sessions.
        time.sleep(5)
        m.kill()
        after = qemu.fat_read(image, "cartable.toml") or b""
        check(SCHOOL.encode() in after and WIFI_SSID.encode() in after,
              "the FAT's cartable.toml keeps its settings")
        check(state["admin_password"].encode() not in after
              and relay_password.encode() not in after and wifi_pass.encode() not in after,
              "the FAT's cartable.toml no longer holds the admin's, the relay's or the Wi-Fi "
              "passwords")

        # The plug pulled a second after provisioning erased a new password from the file.
        relay2 = "Relais-" + secrets.token_urlsafe(12)
        edited = after.replace(b'relay_password = ""', f'relay_password = "{relay2}"'.encode(), 1)
        must(edited != after, "the FAT's cartable.toml has a relay password to set again")
        qemu.fat_write(image, "cartable.toml", edited, work)
        m = qemu.Machine("rpi", image, work, "raspi3b", name="boot2")
        machines.append(m)
        print("--- boot 2 (raspi3b): a new relay password, the plug pulled a second after "
              "provisioning erased it", flush=True)
        m.start()
        t = m.wait_serial("secrets removed", args.timeout)
        must(t is not None, "boot 2: provisioning applies the new relay password and erases it"
             + (f" ({t:.0f} s after power-on)" if t else ""))
        time.sleep(1)
        m.kill()
        after2 = qemu.fat_read(image, "cartable.toml") or b""
        check(SCHOOL.encode() in after2 and relay2.encode() not in after2
              and b'relay_user = "ecole-test"' in after2,
              "boot 2: after the pulled plug, the FAT's cartable.toml is whole, without the "
              "new password")

        m = qemu.Machine("rpi", image, work, "raspi3b", name="boot3")
        machines.append(m)
        boot(m, args, state, first=False)
    except run.Fatal:
        pass
    except Exception as e:  # an unexpected error is a failure too, with what is known
        check(False, f"unexpected {type(e).__name__}: {e}")
    finally:
        run.tear_down(machines, state, serial_tail=6000)
    for label, t in state.get("timings", []):
        print(f"timing  {label}: portal answering {t:.0f} s after power-on")
    run.finish(work, args.keep, started)


if __name__ == "__main__":
    main()

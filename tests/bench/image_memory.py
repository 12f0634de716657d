#!/usr/bin/env python3
"""Cartable's small-board memory benchmark: the whole appliance (kernel, systemd, journald,
sshd, Cartable) in a QEMU guest with 512 MiB of RAM while a class of 30 logs in at once,
hands in homework and reads the forum; the peak resident memory of each part, beside a plain
Debian image idle in the same run.

Run by `make bench` through tests/bench/run.sh with BENCH_ONLY=image-memory (not in the default
run: building the images is slow). run.sh builds both images first. As root; Python's
standard library, QEMU, mtools, sfdisk and debugfs (tests/image/qemu.py).

What it does, in one run:
  1. the reference: the plain Debian image (image/build.sh with IMAGE_PLAIN=1: the same base,
     kernel and boot loader without Cartable) with, written into a copy of its root file
     system by debugfs, an SSH key for root and a DHCP network file (networkd enabled), so
     that it can be read over SSH like the box; booted with 512 MiB, settled
     (`systemctl is-system-running --wait`), sampled for 20 s idle, powered down;
  2. the box: the Cartable image, provisioned as in the image test (a school, the first
     admin's password, a throwaway SSH key for `maint`), booted with 512 MiB; once settled,
     sampled for 20 s idle (the "idle" column), then sampled every second while the school
     works (image_school.py): the office imports the class list through the CSV import page
     and prints login slips, the teacher opens a drop box and a forum topic, then 30 pupils
     at once log in with their slips, choose a password, hand in 1-5 MiB each, read the
     forum and their dashboard, log out and log in again all at once. Every request must be
     answered as a browser expects: one failure or timeout fails the measurement;
  3. inside each guest over SSH (the box: `maint` with the provisioned key; Debian: root):
     /proc/meminfo, every process's VmRSS and VmHWM (/proc/PID/status), /proc/vmstat's
     oom_kill, and the kernel's log for the OOM killer. Any OOM kill, a restart of Cartable
     or an unanswered request is a failure (exit 1);
  4. a table. What is counted as what:
     - kernel, reserved: 512 MiB - MemTotal (kernel code and data, struct pages, firmware);
     - kernel, allocated: Slab (SReclaimable + SUnreclaim) + KernelStack + PageTables +
       Percpu + VmallocUsed, peak of the samples;
     - systemd, journald, Cartable: VmHWM of PID 1, of systemd-journald, of the service's
       MainPID (the kernel's own peak since the process started), read at the end of each
       window; Cartable's VmRSS peak during the window beside it;
     - sshd: VmHWM of the listener, and the peak of the sum of VmRSS of every sshd process
       (listener and sessions: the measuring session is one);
     - other processes: the peak of the sum of the VmRSS of everything else (networkd,
       resolved, timesyncd, udevd, the measuring shell...);
     - page cache: Buffers + Cached, peak; MemAvailable and MemFree: minimum.
     Sums of VmRSS count shared pages (libc, in every process) once per process.

TCG (software emulation, no KVM) makes everything slower than on a board, argon2 above all;
memory is what this part measures, the seconds are only reported.

  --image out/cartable-x86_64.img  --reference out/debian-x86_64.img
  --timeout seconds per boot (600)  --request-timeout seconds per request (900)
  --memory MiB of both guests (512)
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "image"))
import qemu  # noqa: E402
import image_school  # noqa: E402
from bench import PUPILS  # noqa: E402

HOSTNAME = "banc"
ADMIN = "direction"
UPLOAD_SIZES = [n << 20 for n in (1, 2, 3, 4, 5)]
IDLE_SECONDS = 20

PROVISION = """[school]
name = "École du banc d'essai"
mail_domain = "banc.example"
language = "fr"
timezone = "Europe/Paris"
[network]
hostname = "{hostname}"
mode = "dhcp"
[admin]
username = "{admin}"
first_name = "Awa"
last_name = "Ndiaye"
password = "{password}"
[maintenance]
ssh_keys = ["{key}"]
"""

NETWORK = """# Written by tests/bench/image_memory.py: the reference image reachable over SSH.
[Match]
Name=en* eth*

[Network]
DHCP=yes
"""

MEMINFO = ("MemTotal|MemFree|MemAvailable|Buffers|Cached|Shmem|SReclaimable|SUnreclaim|"
           "KernelStack|PageTables|Percpu|VmallocUsed|SwapTotal|SwapFree|AnonPages")
# One reading: the memory counters, then "pid name VmHWM VmRSS" of every process with memory
# (kernel threads have none). cat goes on past a process that ended meanwhile.
READING = (f"grep -E '^({MEMINFO}):' /proc/meminfo; "
           "cat /proc/[0-9]*/status 2>/dev/null | awk '/^Name:/{n=$2} /^Pid:/{p=$2} "
           "/^VmHWM:/{h=$2} /^VmRSS:/{print \"P\", p, n, h, $2}'; "
           "grep -E '^oom_kill ' /proc/vmstat")
SAMPLER = f"while :; do echo '== sample'; {READING}; sleep 1; done"
KERNEL = ("SReclaimable", "SUnreclaim", "KernelStack", "PageTables", "Percpu", "VmallocUsed")


def log(text):
    print(f"image-memory: {text}", flush=True)


class Failed(Exception):
    """The measurement failed (exit 1 after the clean-up)."""


# ---------------------------------------------------------------- readings

def parse(text):
    """One reading (see READING) into {"mem": {key: KiB}, "procs": [(pid, name, hwm, rss)],
    "oom_kill": n}."""
    r = {"mem": {}, "procs": [], "oom_kill": None}
    for line in text.splitlines():
        f = line.split()
        if len(f) == 5 and f[0] == "P":
            r["procs"].append((int(f[1]), f[2], int(f[3]), int(f[4])))
        elif len(f) >= 2 and f[0].endswith(":"):
            r["mem"][f[0][:-1]] = int(f[1])
        elif len(f) == 2 and f[0] == "oom_kill":
            r["oom_kill"] = int(f[1])
    return r


def parts(r, main_pid):
    """The resident figures of one reading, by part (KiB)."""
    out = {"kernel": sum(r["mem"].get(k, 0) for k in KERNEL),
           "cache": r["mem"].get("Buffers", 0) + r["mem"].get("Cached", 0),
           "available": r["mem"].get("MemAvailable"), "free": r["mem"].get("MemFree"),
           "sshd_all": 0, "others": 0, "cartable_rss": None}
    for pid, name, _hwm, rss in r["procs"]:
        if name.startswith("sshd"):
            out["sshd_all"] += rss
        elif pid == main_pid:
            out["cartable_rss"] = rss
        elif pid != 1 and name != "systemd-journal":
            out["others"] += rss
    return out


class Sampler:
    """A reading every second inside the guest, over one SSH session, kept as it comes."""

    def __init__(self, ssh):
        self.ssh = ssh
        self.samples = []
        self.proc = None
        self.thread = None

    def _read(self):
        chunk = []
        for line in self.proc.stdout:
            if line.startswith("== sample"):
                if chunk:
                    self.samples.append(parse("".join(chunk)))
                chunk = []
            else:
                chunk.append(line)

    def __enter__(self):
        self.proc = subprocess.Popen(self.ssh.argv(SAMPLER), stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.thread.join(timeout=30)


class Ssh:
    def __init__(self, port, key, known_hosts, user):
        self.port, self.key, self.known_hosts, self.user = port, key, known_hosts, user

    def argv(self, command):
        return ["ssh", "-p", str(self.port), "-i", self.key, "-o", "BatchMode=yes",
                "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=accept-new",
                "-o", f"UserKnownHostsFile={self.known_hosts}", "-o", "ConnectTimeout=15",
                "-o", "LogLevel=ERROR", f"{self.user}@127.0.0.1", command]

    def run(self, command, timeout=120):
        try:
            r = subprocess.run(self.argv(command), capture_output=True, text=True,
                               timeout=timeout)
            return r.returncode, r.stdout
        except subprocess.TimeoutExpired:
            return 255, ""

    def wait(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.run("true", timeout=60)[0] == 0:
                return True
            time.sleep(3)
        return False


def window(ssh, main_pid, work, memory_mib):
    """Samples while `work()` runs; then one last reading (VmHWM, oom_kill). Returns the
    window's figures (KiB) and what work() returned."""
    with Sampler(ssh) as s:
        result = work()
        time.sleep(2)
    rc, out = ssh.run(READING)
    if rc != 0 or not s.samples:
        raise Failed(f"no reading from the guest (ssh {rc}, {len(s.samples)} samples)")
    last = parse(out)
    per = [parts(x, main_pid) for x in s.samples + [last]]
    hwm = {}
    for pid, name, h, _ in last["procs"]:
        key = "systemd" if pid == 1 else "journald" if name == "systemd-journal" else \
            "cartable" if pid == main_pid else None
        if key:
            hwm[key] = h
        # The listener is the oldest sshd (the lowest pid).
        if name == "sshd" and ("sshd_pid" not in hwm or pid < hwm["sshd_pid"]):
            hwm["sshd_pid"], hwm["sshd"] = pid, h
    fig = {
        "reserved": memory_mib * 1024 - last["mem"]["MemTotal"],
        # The whole box: everything but what the kernel could still hand out.
        "in_use": memory_mib * 1024 - min(p["available"] for p in per),
        "kernel": max(p["kernel"] for p in per),
        "cache": max(p["cache"] for p in per),
        "available": min(p["available"] for p in per),
        "free": min(p["free"] for p in per),
        "sshd_all": max(p["sshd_all"] for p in per),
        "others": max(p["others"] for p in per),
        "cartable_rss": max((p["cartable_rss"] or 0) for p in per) or None,
        "swap": last["mem"].get("SwapTotal", 0),
        "oom_kill": last["oom_kill"],
        "samples": len(s.samples),
        # What "other processes" holds at the end, largest first (name, KiB).
        "others_list": sorted(((rss, name) for pid, name, _, rss in last["procs"]
                               if pid not in (1, main_pid) and name != "systemd-journal"
                               and not name.startswith("sshd")), reverse=True),
        **hwm,
    }
    return fig, result


def oom_lines(ssh):
    rc, out = ssh.run("journalctl -k -b --no-pager -o cat | "
                      "grep -iE 'out of memory|oom-kill|invoked oom-killer' || true")
    return out.strip().splitlines()


def settle(ssh, what):
    rc, out = ssh.run("systemctl is-system-running --wait", timeout=600)
    log(f"{what}: systemd is {out.strip() or 'unreachable'}")


# ---------------------------------------------------------------- the two machines

def partition_offset(disk, n):
    table = json.loads(subprocess.run(["sfdisk", "-J", disk], check=True,
                                      capture_output=True, text=True).stdout)
    part = table["partitiontable"]["partitions"][n - 1]
    return part["start"] * 512, part["size"] * 512


def prepare_debian(src, work, pub):
    """A copy of the plain image that root can reach over SSH with `pub` (see the module's
    text): its root file system taken out, written into with debugfs, put back."""
    disk = os.path.join(work, "debian.img")
    subprocess.run(["cp", "--sparse=always", src, disk], check=True)
    start, size = partition_offset(disk, 2)
    root = os.path.join(work, "debian-root.img")
    mib = 1 << 20
    subprocess.run(["dd", f"if={disk}", f"of={root}", f"bs={mib}", f"skip={start // mib}",
                    f"count={size // mib}", "conv=sparse", "status=none"], check=True)
    keys = os.path.join(work, "authorized_keys")
    net = os.path.join(work, "20-bench.network")
    for path, text in ((keys, pub + "\n"), (net, NETWORK)):
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o600 if path == keys else 0o644)
    unit = "/usr/lib/systemd/system/systemd-networkd"
    wants = "/etc/systemd/system"
    script = "\n".join([
        "mkdir /root/.ssh", "sif /root/.ssh mode 040700", "cd /root/.ssh",
        f"write {keys} authorized_keys", "cd /etc/systemd/network", f"write {net} 20-bench.network",
        "mkdir /etc/systemd/system/sockets.target.wants",
        f"symlink {wants}/multi-user.target.wants/systemd-networkd.service {unit}.service",
        f"symlink {wants}/sockets.target.wants/systemd-networkd.socket {unit}.socket", ""])
    cmds = os.path.join(work, "debugfs.cmd")
    with open(cmds, "w") as f:
        f.write(script)
    subprocess.run(["debugfs", "-w", "-f", cmds, root], check=True, capture_output=True)
    r = subprocess.run(["debugfs", "-R", "stat /root/.ssh/authorized_keys", root],
                       capture_output=True, text=True)
    if "User:     0" not in r.stdout or "Mode:  0600" not in r.stdout:
        raise Failed(f"debugfs did not write root's key as expected:\n{r.stdout[:400]}")
    subprocess.run(["dd", f"if={root}", f"of={disk}", f"bs={mib}", f"seek={start // mib}",
                    "conv=notrunc,sparse", "status=none"], check=True)
    os.unlink(root)
    return disk


def debian_idle(args, work, key, known):
    disk = prepare_debian(args.reference, work, open(key + ".pub").read().strip())
    m = qemu.Machine(args.arch, disk, work, "bios", name="debian", memory=args.memory)
    m.start()
    try:
        ssh = Ssh(m.ports["ssh"], key, known, "root")
        if not ssh.wait(args.timeout):
            print(m.serial_text()[-3000:], file=sys.stderr)
            raise Failed("the plain Debian guest never answered SSH")
        settle(ssh, "debian")
        fig, _ = window(ssh, None, lambda: time.sleep(IDLE_SECONDS), args.memory)
        fig["oom_lines"] = oom_lines(ssh)
        log(f"debian idle: {fig['samples']} samples")
        return fig
    finally:
        if not m.power_down(timeout=180):
            log("debian: killed (no clean shutdown)")


def cartable_run(args, work, key, known):
    disk = os.path.join(work, "cartable.img")
    subprocess.run(["cp", "--sparse=always", args.image, disk], check=True)
    os.truncate(disk, 4 << 30)
    password = "Ecole-" + secrets.token_urlsafe(12)
    qemu.fat_write(disk, "cartable.toml", PROVISION.format(
        hostname=HOSTNAME, admin=ADMIN, password=password,
        key=open(key + ".pub").read().strip()).encode(), work)
    m = qemu.Machine(args.arch, disk, work, "bios", name="cartable", memory=args.memory)
    m.start()
    try:
        t = m.wait_http("/healthz", args.timeout)
        if t is None:
            print(m.serial_text()[-3000:], file=sys.stderr)
            raise Failed(f"the box's portal did not answer within {args.timeout} s")
        log(f"cartable: the portal answers {t:.0f} s after power-on")
        ssh = Ssh(m.ports["ssh"], key, known, "maint")
        if not ssh.wait(300):
            raise Failed("maint cannot log in over SSH")
        settle(ssh, "cartable")
        main_pid = service_pid(ssh)
        idle, _ = window(ssh, main_pid, lambda: time.sleep(IDLE_SECONDS), args.memory)
        log(f"cartable idle: {idle['samples']} samples, Cartable's VmHWM "
            f"{idle.get('cartable', 0) / 1024:.1f} MiB")
        with urllib.request.urlopen(f"http://127.0.0.1:{m.ports['http']}/ca.crt",
                                    timeout=60) as r:
            ca = r.read().decode()

        def portal():
            return image_school.Browser(m.ports["https"], ca, f"{HOSTNAME}.local",
                                        args.request_timeout)

        def school():
            lesson = image_school.setup(portal, ADMIN, password, PUPILS, log)
            return image_school.class_arrives(portal, lesson, UPLOAD_SIZES, log)

        try:
            busy, (requests, failures, seconds) = window(ssh, main_pid, school, args.memory)
        except image_school.SchoolError as e:
            raise Failed(f"the school could not be set up: {e}") from e
        busy["requests"], busy["failures"], busy["seconds"] = requests, failures, seconds
        busy["oom_lines"] = oom_lines(ssh)
        busy["main_pid_after"] = service_pid(ssh)
        rc, out = ssh.run("systemctl show -p NRestarts --value cartable")
        busy["restarts"] = out.strip()
        busy["main_pid"] = main_pid
        return idle, busy
    finally:
        if not m.power_down(timeout=180):
            log("cartable: killed (no clean shutdown)")


def service_pid(ssh):
    rc, out = ssh.run("systemctl show -p MainPID --value cartable")
    pid = int(out.strip() or 0)
    if rc != 0 or pid <= 0:
        raise Failed("cartable.service has no main process")
    return pid


# ---------------------------------------------------------------- the table

def mib(kib):
    return "—" if kib is None else f"{kib / 1024:.1f} MiB"


def table(deb, idle, busy, memory_mib):
    rows = [
        ("whole box in use: RAM − MemAvailable (peak)", "in_use"),
        ("kernel: reserved at boot (RAM − MemTotal)", "reserved"),
        ("kernel: slab, stacks, page tables, per-CPU, vmalloc (peak)", "kernel"),
        ("systemd, PID 1 (VmHWM)", "systemd"),
        ("systemd-journald (VmHWM)", "journald"),
        ("sshd listener (VmHWM)", "sshd"),
        ("sshd, every process incl. the measuring session (peak ΣRSS)", "sshd_all"),
        ("Cartable (VmHWM)", "cartable"),
        ("Cartable (peak VmRSS in the window)", "cartable_rss"),
        ("other processes (peak ΣRSS)", "others"),
        ("page cache: Buffers + Cached (peak)", "cache"),
        ("MemAvailable (minimum)", "available"),
        ("MemFree (minimum)", "free"),
    ]
    head = (f"{memory_mib} MiB guest", "plain Debian, idle", "Cartable box, idle",
            "Cartable box, class of 30")
    print()
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for label, key in rows:
        print(f"| {label} | {mib(deb.get(key))} | {mib(idle.get(key))} | "
              f"{mib(busy.get(key))} |")
    print(f"| OOM kills (/proc/vmstat oom_kill) | {deb['oom_kill']} | {idle['oom_kill']} | "
          f"{busy['oom_kill']} |")
    print(f"| requests answered / failed | — | — | "
          f"{busy['requests'] - len(busy['failures'])} / {len(busy['failures'])} "
          f"({busy['seconds']:.0f} s) |")
    print()
    print(f"- x86_64 under QEMU TCG (software emulation), {memory_mib} MiB, 2 CPUs, no swap "
          f"(SwapTotal {busy['swap']} KiB); Debian is the same debootstrap base, kernel and boot "
          "loader without Cartable, plus networkd and root's SSH key, read over SSH as root; "
          "the box is read over SSH as maint.")
    print(f"- samples every second: Debian {deb['samples']} over {IDLE_SECONDS} s idle; box "
          f"{idle['samples']} idle, {busy['samples']} during the school's work (the office's "
          "import and slips, the teacher's drop box and topic, then the class).")
    for name, fig in (("Debian, idle", deb), ("box, class", busy)):
        top = ", ".join(f"{n} {r / 1024:.1f}" for r, n in fig["others_list"][:8])
        print(f"- other processes at the end ({name}), MiB: {top}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--arch", choices=["x86_64"], default="x86_64")
    ap.add_argument("--image", required=True, help="out/cartable-x86_64.img")
    ap.add_argument("--reference", required=True, help="out/debian-x86_64.img")
    ap.add_argument("--timeout", type=int, default=600, help="seconds per boot")
    ap.add_argument("--request-timeout", type=int, default=900, help="seconds per request")
    ap.add_argument("--memory", type=int, default=512,
                    help="MiB of RAM of both guests (512: the issue's small board)")
    args = ap.parse_args()
    # Stopped by run.sh's trap or Ctrl-C: the `finally` blocks stop QEMU and clean up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    for tool in ("qemu-system-x86_64", "mcopy", "sfdisk", "debugfs", "ssh", "ssh-keygen"):
        if not shutil.which(tool) and not shutil.which(tool, path="/usr/sbin:/sbin"):
            sys.exit(f"image-memory: {tool} is missing (sh tests/install-deps.sh image)")
    os.environ["PATH"] += ":/usr/sbin:/sbin"
    log(f"{args.arch}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}, "
        f"QEMU TCG, {args.memory} MiB guests")
    work = tempfile.mkdtemp(prefix="cartable-bench-image-memory-")
    ok = False
    try:
        key = os.path.join(work, "key")
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "image-memory",
                        "-f", key], check=True)
        deb = debian_idle(args, work, key, os.path.join(work, "known_hosts-debian"))
        idle, busy = cartable_run(args, work, key, os.path.join(work, "known_hosts-cartable"))
        table(deb, idle, busy, args.memory)
        problems = []
        if busy["failures"]:
            problems.append(f"{len(busy['failures'])} pupils' requests failed: "
                            + "; ".join(busy["failures"][:5]))
        for name, fig in (("debian", deb), ("cartable", busy)):
            if fig["oom_kill"] or fig["oom_lines"]:
                problems.append(f"{name}: the OOM killer ran ({fig['oom_kill']}): "
                                + " | ".join(fig["oom_lines"][:5]))
        if busy["main_pid_after"] != busy["main_pid"] or busy["restarts"] not in ("0", ""):
            problems.append(f"Cartable restarted (pid {busy['main_pid']} -> "
                            f"{busy['main_pid_after']}, NRestarts {busy['restarts']})")
        missing = [k for k in ("systemd", "journald", "sshd", "cartable") if busy.get(k) is None]
        missing += [f"debian {k}" for k in ("systemd", "journald", "sshd") if deb.get(k) is None]
        if missing:
            problems.append(f"not measured: {', '.join(missing)}")
        for p in problems:
            print(f"image-memory: FAILED: {p}", file=sys.stderr)
        ok = not problems
    except Failed as e:
        print(f"image-memory: FAILED: {e}", file=sys.stderr)
    finally:
        if os.environ.get("BENCH_KEEP") or not ok:
            print(f"image-memory: kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

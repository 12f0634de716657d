"""Measuring for bench.py: /proc readings (resident memory, CPU time), a background memory
sampler, and wrk runs read back into numbers, with a check that every answer was the page meant.
Python standard library only."""

import os
import re
import resource
import subprocess
import threading
import time


class BenchError(Exception):
    """The benchmark could not measure what it claims to: fail loudly."""


# ---------------------------------------------------------------- /proc readings

def status_kib(pid, field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return None


def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def cpu_seconds(pid):
    """User + system CPU time of a process (all its threads)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def descendants(pid):
    """pid and its children (nginx master and workers)."""
    out = [pid]
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return out


def group_rss_kib(pid):
    pids = descendants(pid)
    rss = sum(status_kib(p, "VmRSS") or 0 for p in pids)
    pss = sum(pss_kib(p) or 0 for p in pids)
    return rss, pss, len(pids)


def group_cpu(pid):
    return sum(cpu_seconds(p) for p in descendants(pid))


class Sampler:
    """Polls a process group's resident memory in the background; keeps the maximum."""

    def __init__(self, pid, every=0.02):
        self.pid, self.every = pid, every
        self.max_kib = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.max_kib = max(self.max_kib, group_rss_kib(self.pid)[0])
            self._stop.wait(self.every)

    def __enter__(self):
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()
        self.max_kib = max(self.max_kib, group_rss_kib(self.pid)[0])


BUSY_NAMES = {"rustc", "cargo", "cc", "cc1", "cc1plus", "ld", "ld.lld", "rust-lld", "clang",
              "clippy-driver", "chromium", "chrome", "qemu-system-x86_64", "qemu-system-aarch64"}


def foreign_busy_processes(own_pids):
    """Heavy processes not started by this benchmark (a concurrent cargo build, say)."""
    mine = set()
    for p in own_pids:
        mine.update(descendants(p))
    seen = {}
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) in mine:
            continue
        try:
            with open(f"/proc/{d}/comm") as f:
                name = f.read().strip()
        except OSError:
            continue
        if name in BUSY_NAMES:
            seen[name] = seen.get(name, 0) + 1
    return seen


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


# ---------------------------------------------------------------- wrk

UNITS_TIME = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}
UNITS_SIZE = {"B": 1, "KB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3, "TB": 1024 ** 4}


def wrk(url, duration, threads, connections, cookie=None, watch_pid=None):
    """Runs wrk; returns its figures plus the watched server's CPU use and peak memory."""
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency",
           "--timeout", "5s"]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    cmd.append(url)
    cpu0 = group_cpu(watch_pid) if watch_pid else 0.0
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    with Sampler(watch_pid, 0.1) if watch_pid else _null() as sampler:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 30)
    wall = time.perf_counter() - t0
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        raise BenchError(f"wrk failed: {out.stderr.strip() or out.stdout.strip()}")
    text = out.stdout
    res = {"raw": text, "wall": wall}

    def grab(pattern, conv=float):
        m = re.search(pattern, text, re.M)
        return conv(m.group(1)) if m else None

    res["rps"] = grab(r"^Requests/sec:\s+([\d.]+)")
    res["requests"] = grab(r"^\s+(\d+) requests in", int)
    for pct in ("50", "90", "99"):
        m = re.search(rf"^\s+{pct}(?:\.000)?%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
        res[f"p{pct}"] = float(m.group(1)) * UNITS_TIME[m.group(2)] if m else None
    m = re.search(r"requests in [\d.]+\w+, ([\d.]+)(B|KB|MB|GB|TB) read", text)
    res["bytes"] = float(m.group(1)) * UNITS_SIZE[m.group(2)] if m else None
    res["non2xx"] = grab(r"Non-2xx or 3xx responses:\s+(\d+)", int) or 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    res["sockerr"] = sum(int(x) for x in m.groups()) if m else 0
    if res["rps"] is None or res["p99"] is None or not res["requests"]:
        raise BenchError(f"could not read wrk's output:\n{text}")
    res["bytes_per_resp"] = res["bytes"] / res["requests"] if res["bytes"] else None
    if watch_pid:
        res["server_cores"] = (group_cpu(watch_pid) - cpu0) / wall
        res["server_max_rss_kib"] = sampler.max_kib
    res["wrk_cores"] = ((ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)) / wall
    return res


class _null:
    max_kib = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass


def check_same_responses(name, res, wire_bytes):
    """wrk only counts responses; make sure they were the page we meant (a 303 to /login is
    a few hundred bytes, the dashboard several KB) and that none failed."""
    if res["non2xx"] or res["sockerr"]:
        raise BenchError(f"{name}: {res['non2xx']} non-2xx/3xx responses, "
                         f"{res['sockerr']} socket errors:\n{res['raw']}")
    per = res["bytes_per_resp"]
    if per is None or abs(per - wire_bytes) > max(0.05 * wire_bytes, 64):
        raise BenchError(f"{name}: {per:.0f} bytes per response on average, expected about "
                         f"{wire_bytes} (is it still the page measured before?)")

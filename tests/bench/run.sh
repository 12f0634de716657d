#!/bin/sh
# `make bench`: dashboard throughput and latency, a class logging in at once, and resident
# memory, each against a reference peer measured in the same run (nginx serving the same
# page; Debian's argon2 tool hashing with the same parameters), printed as one table.
#
# Installs wrk, nginx and argon2 when missing (apt-get, as root or through sudo), builds the
# release binary, then hands over to bench.py (Python 3 standard library). Loopback only.
# Everything it starts is stopped on exit. Speed and memory live here, never in timed tests.
#
#   BENCH_DURATION=10  seconds per measured wrk run
#   BENCH_KEEP=1       keep the temporary data directory and logs
#   BENCH_STRICT=1     exit 1 when a target is missed (by default only a failed measurement
#                      is an error: a benchmark reports, it does not assert)
#   BENCH_PERF=DIR     record `perf` profiles of the server (dashboard run, logins) into DIR;
#                      profiling slows the server, so quote tables of such runs with care
#   CARTABLE_BIN=path  measure this binary instead of building target/release/cartable
# The environment reaches the server, so allocator experiments need no rebuild, e.g.
#   GLIBC_TUNABLES=glibc.malloc.mmap_threshold=1048576 make bench
set -eu

cd "$(dirname "$0")/../.."

need=""
command -v wrk >/dev/null 2>&1 || need="$need wrk"
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need="$need nginx-light"
command -v argon2 >/dev/null 2>&1 || need="$need argon2"
if [ -n "$need" ]; then
    if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
    echo "bench: installing:$need"
    $SUDO apt-get update -qq
    # argon2 is only the reference for the login cost: the bench runs (and says so) without it.
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need >/dev/null ||
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
            $(echo "$need" | sed 's/ argon2//') >/dev/null
fi
# nginx lives in /usr/sbin, which a non-root PATH may lack.
PATH="$PATH:/usr/sbin"
export PATH
command -v wrk >/dev/null 2>&1 || { echo "bench: wrk is missing" >&2; exit 1; }
command -v nginx >/dev/null 2>&1 || { echo "bench: nginx is missing" >&2; exit 1; }

if [ -n "${CARTABLE_BIN:-}" ]; then
    bin="$CARTABLE_BIN"
else
    ${CARGO:-cargo} build --release
    bin=target/release/cartable
fi

# bench.py stops what it started on any exit; this trap only makes sure that an interrupted
# `make bench` interrupts bench.py too, and waits for its clean-up.
py=""
cleanup() {
    if [ -n "$py" ] && kill -0 "$py" 2>/dev/null; then
        kill -TERM "$py" 2>/dev/null || true
        wait "$py" 2>/dev/null || true
    fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM HUP

python3 tests/bench/bench.py --binary "$bin" --duration "${BENCH_DURATION:-10}" &
py=$!
status=0
wait "$py" || status=$?
py=""
exit "$status"

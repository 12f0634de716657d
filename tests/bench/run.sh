#!/bin/sh
# `make bench`: dashboard throughput and latency, a class logging in at once, and resident
# memory, each against a reference peer measured in the same run (nginx serving the same
# page, the two measured in turn three times and the median round reported; Debian's argon2
# tool hashing with the same parameters), printed as one table; then
# WebDAV (200 MiB up and down, PROPFIND on 2,000 files, memory during a 1 GiB upload)
# against `rclone serve webdav` and nginx's DAV module, printed as a second table; then
# incoming mail (smtp-source, 2,000 messages of 5 KiB over 20 sessions, into a pupil's
# mailbox) against a Postfix of its own delivering to a Maildir, printed as a third table;
# then the forum (a page of a 500-post topic at 50 clients against nginx serving the same
# bytes; search over 100,000 posts against sqlite3 running the same query; start-up time to
# /healthz on those posts, before and after the full database check left the start path),
# a fourth table; then the identity provider (complete OpenID Connect logins, authorize ->
# token -> userinfo, per second and their p99 at 20 clients, with the RS256 signing cost per
# token beside `openssl speed rsa2048`), a fifth; then the offline library (a 20,000-article
# French ZIM collection written by PyPI's libzim, served by Cartable and by Debian's
# kiwix-serve in turn: random articles per second and p99 at 20 clients, title suggestions
# and full-text search p99 from one client, resident memory after the run, the cluster
# cache's bound, the full-text indexing time), a sixth.
#
# Installs wrk, nginx, argon2, curl, rclone, postfix, openssl and kiwix-tools when missing
# (apt-get, as root or through sudo; postfix with no system configuration) and PyPI's libzim
# (as tests/install-deps.sh does), builds the release binary, then hands over to bench.py,
# dav.py, smtp.py, forum.py, idp.py, library.py and blog.py (Python 3 standard library; library.py's
# collection writer needs libzim). Loopback only.
# Everything they start is stopped on exit, and their temporary files (1.2 GiB for WebDAV)
# removed. Speed and memory live here, never in tests.
#
#   BENCH_ONLY=web|dav|smtp|forum|idp|library|blog  only the first (bench.py), second (dav.py),
#                      third (smtp.py), fourth (forum.py), fifth (idp.py) or sixth
#                      (library.py) part, or the seventh (blog.py)
#   BENCH_ONLY=image   the appliance image instead (tests/bench/image.py, as root; not in the
#                      default run): raw and .xz sizes, the static binary, seconds from
#                      power-on to the portal under QEMU beside a plain Debian image's to its
#                      login prompt; BENCH_IMAGE_ARCH=arm64 for the arm64 image
#   BENCH_ONLY=image-memory  the x86_64 appliance on a small board instead
#                      (tests/bench/image_memory.py, as root; not in the default run): a 512 MiB
#                      QEMU guest while a class of 30 logs in at once, hands in 1-5 MiB each
#                      and reads the forum; peak resident memory of the kernel, systemd,
#                      journald, sshd and Cartable beside a plain Debian image idle; fails on
#                      an unanswered request or an OOM kill (about 12 minutes on 2 cores once
#                      the static binary and the cached Debian base are built);
#                      BENCH_IMAGE_MEMORY=256 for another guest size (MiB)
#   BENCH_DURATION=10  seconds per measured wrk run
#   BENCH_LIBRARY_ZIM=FILE.zim  the library part reads this collection (and FILE.json), made
#                      earlier by tests/bench/make_library.py, instead of writing one (~1 min)
#   BENCH_KEEP=1       keep the temporary data directory and logs
#   BENCH_STRICT=1     exit 1 when a target is missed (by default only a failed measurement
#                      is an error: a benchmark reports, it does not assert)
#   BENCH_PERF=DIR     record `perf` profiles of the server (dashboard run, logins, forum
#                      topic page and search runs) into DIR;
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
command -v curl >/dev/null 2>&1 || need="$need curl"
command -v rclone >/dev/null 2>&1 || need="$need rclone"
only="${BENCH_ONLY:-}"
case "$only" in
'' | web | dav | smtp | forum | idp | library | blog) ;;
image)
    # The appliance image (tests/bench/image.py): sizes, and boot times under QEMU beside a
    # plain Debian image. Only with BENCH_ONLY=image: from nothing, building the images
    # (debootstrap, the static binary, xz) takes longer than the whole default run. As root.
    arch="${BENCH_IMAGE_ARCH:-x86_64}"
    case "$arch" in
    x86_64) triple=x86_64-unknown-linux-gnu ;;
    arm64) triple=aarch64-unknown-linux-gnu ;;
    *) echo "bench: BENCH_IMAGE_ARCH must be x86_64 or arm64, not '$arch'" >&2; exit 2 ;;
    esac
    make image ARCH="$arch"
    IMAGE_PLAIN=1 sh image/build.sh "$arch" none out
    exec python3 tests/bench/image.py --arch "$arch" --image "out/cartable-$arch.img" \
        --reference "out/debian-$arch.img" \
        --binary "target/$triple/${STATIC_PROFILE:-release-small}/cartable" ;;
image-memory)
    # The appliance on a small board (tests/bench/image_memory.py): the raw images only (no
    # .xz), as the image test builds them. As root.
    make deps-image static-x86_64
    bin="target/x86_64-unknown-linux-gnu/${STATIC_PROFILE:-release-small}/cartable"
    IMAGE_NO_XZ=1 sh image/build.sh x86_64 "$bin" out
    IMAGE_PLAIN=1 sh image/build.sh x86_64 none out
    exec python3 tests/bench/image_memory.py --image out/cartable-x86_64.img \
        --reference out/debian-x86_64.img --memory "${BENCH_IMAGE_MEMORY:-512}" ;;
*) echo "bench: BENCH_ONLY must be web, dav, smtp, forum, idp, library, blog, image or image-memory," \
    "not '$only'" >&2; exit 2 ;;
esac
if [ -z "$only" ] || [ "$only" = smtp ]; then
    # smtp-source comes with Postfix; both live in /usr/sbin.
    [ -x /usr/sbin/postfix ] && [ -x /usr/sbin/smtp-source ] || need="$need postfix"
fi
if [ -z "$only" ] || [ "$only" = idp ]; then
    # The reference for the signing cost per token.
    command -v openssl >/dev/null 2>&1 || need="$need openssl"
fi
pip_libzim=""
if [ -z "$only" ] || [ "$only" = library ]; then
    # The reference server, and the writer of the collection both serve (as the tests' own
    # collections are written: Debian's package for Debian's python3, PyPI for one's own).
    command -v kiwix-serve >/dev/null 2>&1 || need="$need kiwix-tools"
    if [ -z "${BENCH_LIBRARY_ZIM:-}" ] && ! python3 -c 'import libzim.writer' 2>/dev/null; then
        if [ "$(command -v python3)" = /usr/bin/python3 ]; then need="$need python3-libzim"
        else pip_libzim=1; fi
    fi
fi
if [ -n "$pip_libzim" ]; then
    echo "bench: installing: libzim (PyPI)"
    python3 -m pip install --quiet --disable-pip-version-check 'libzim>=3,<4'
fi
if [ -n "$need" ]; then
    if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
    echo "bench: installing:$need"
    case "$need" in
    *postfix*)
        # No system configuration and no system instance: smtp.py runs a Postfix of its own.
        echo "postfix postfix/main_mailer_type select No configuration" |
            $SUDO debconf-set-selections ;;
    esac
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
command -v curl >/dev/null 2>&1 || { echo "bench: curl is missing" >&2; exit 1; }
command -v rclone >/dev/null 2>&1 || { echo "bench: rclone is missing" >&2; exit 1; }
if [ -z "$only" ] || [ "$only" = library ]; then
    command -v kiwix-serve >/dev/null 2>&1 || { echo "bench: kiwix-serve is missing" >&2; exit 1; }
fi

if [ -n "${CARTABLE_BIN:-}" ]; then
    bin="$CARTABLE_BIN"
else
    ${CARGO:-cargo} build --release
    bin=target/release/cartable
fi

# bench.py and dav.py stop what they started on any exit; this trap only makes sure that an
# interrupted `make bench` interrupts the running part too, and waits for its clean-up.
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

# One part at a time in the background, so that the trap above can stop it and wait for it.
part() {
    python3 "$@" &
    py=$!
    rc=0
    wait "$py" || rc=$?
    py=""
    [ "$rc" -le "$status" ] || status=$rc
}
status=0
want() { [ -z "$only" ] || [ "$only" = "$1" ]; }
if want web; then part tests/bench/bench.py --binary "$bin" --duration "${BENCH_DURATION:-10}"; fi
if want dav; then [ -n "$only" ] || echo; part tests/bench/dav.py --binary "$bin"; fi
if want smtp; then [ -n "$only" ] || echo; part tests/bench/smtp.py --binary "$bin"; fi
if want forum; then
    [ -n "$only" ] || echo
    part tests/bench/forum.py --binary "$bin" --duration "${BENCH_DURATION:-10}"
fi
if want idp; then
    [ -n "$only" ] || echo
    part tests/bench/idp.py --binary "$bin" --duration "${BENCH_DURATION:-10}"
fi
if want library; then
    [ -n "$only" ] || echo
    part tests/bench/library.py --binary "$bin" --duration "${BENCH_DURATION:-10}"
fi
if want blog; then
    [ -n "$only" ] || echo
    part tests/bench/blog.py --binary "$bin" --duration "${BENCH_DURATION:-10}"
fi
exit "$status"

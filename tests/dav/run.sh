#!/bin/sh
# WebDAV against real clients: litmus (the protocol test suite: groups basic, copymove, props,
# locks, http) and rclone (copies a tree up and back down, compared byte for byte), both
# against a `cartable serve` on loopback with a fresh data directory and a test account.
#
#   sh tests/dav/run.sh [--binary target/debug/cartable] [litmus|rclone|all]
#
# Ends with one line `N passed, N failed` (litmus's tests, plus one for the rclone round trip)
# and exits non-zero on any failure.
set -eu

BIN=target/debug/cartable
if [ "${1:-}" = "--binary" ]; then BIN=$2; shift 2; fi
WHAT=${1:-all}
for tool in litmus rclone; do
    if [ "$WHAT" = all ] || [ "$WHAT" = "$tool" ]; then
        command -v "$tool" >/dev/null 2>&1 || { echo "$tool is missing: run sh tests/install-deps.sh" >&2; exit 1; }
    fi
done

WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

USER_NAME=davtest
PASS="litmus-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
printf '%s\n' "$PASS" | "$BIN" --data "$WORK/data" user add --username "$USER_NAME" --role teacher --password-stdin >/dev/null

"$BIN" --data "$WORK/data" serve --http 127.0.0.1:0 --https 127.0.0.1:0 --smtp 127.0.0.1:0 --submission 127.0.0.1:0 --submissions 127.0.0.1:0 >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
PORT=
for _ in $(seq 1 100); do
    PORT=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\) (portal).*|\1|p' "$WORK/server.log" | head -n1)
    [ -n "$PORT" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.1
done
[ -n "$PORT" ] || { echo "the server did not start" >&2; cat "$WORK/server.log" >&2; exit 1; }
URL="http://127.0.0.1:$PORT/dav/$USER_NAME/"
PASSED=0
FAILED=0

if [ "$WHAT" = all ] || [ "$WHAT" = litmus ]; then
    echo "== litmus against $URL"
    # litmus exits non-zero on a failure; the summary lines say which.
    (cd "$WORK" && TESTS="basic copymove props locks http" litmus "$URL" "$USER_NAME" "$PASS") \
        >"$WORK/litmus.log" 2>&1 || true
    grep -E "^(<- summary|-> [0-9]+ warnings? )" "$WORK/litmus.log" || true
    grep -E "(FAIL|WARNING)" "$WORK/litmus.log" || true
    groups=$(grep -c "^<- summary" "$WORK/litmus.log" || true)
    if [ "$groups" -ne 5 ]; then
        echo "litmus did not run all five groups:" >&2
        tail -n 30 "$WORK/litmus.log" >&2
        FAILED=$((FAILED + 1))
    fi
    p=$(sed -n 's/.* run: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' "$WORK/litmus.log" | awk '{s+=$1} END {print s+0}')
    f=$(sed -n 's/.* run: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' "$WORK/litmus.log" | awk '{s+=$1} END {print s+0}')
    PASSED=$((PASSED + p))
    FAILED=$((FAILED + f))
fi

if [ "$WHAT" = all ] || [ "$WHAT" = rclone ]; then
    echo "== rclone round trip through $URL"
    SRC="$WORK/up" DST="$WORK/down"
    mkdir -p "$SRC/Cours/Mathématiques/Géométrie" "$SRC/Élèves" "$SRC/vide"
    printf 'Bonjour à tous\n' >"$SRC/Cours/lisez-moi.txt"
    printf 'théorème de Pythagore\n' >"$SRC/Cours/Mathématiques/Géométrie/triangle rectangle.md"
    head -c 5000000 /dev/urandom >"$SRC/Cours/gros fichier.bin"
    head -c 70000 /dev/urandom >"$SRC/Élèves/liste ñ ü ø.csv"
    : >"$SRC/Élèves/vide.txt"
    export RCLONE_CONFIG="$WORK/rclone.conf"
    : >"$RCLONE_CONFIG"
    export RCLONE_CONFIG_CARTABLE_TYPE=webdav
    export RCLONE_CONFIG_CARTABLE_URL="$URL"
    export RCLONE_CONFIG_CARTABLE_VENDOR=other
    export RCLONE_CONFIG_CARTABLE_USER="$USER_NAME"
    RCLONE_CONFIG_CARTABLE_PASS=$(rclone obscure "$PASS")
    export RCLONE_CONFIG_CARTABLE_PASS
    ok=1
    rclone copy --create-empty-src-dirs "$SRC" cartable:tree >"$WORK/rclone.log" 2>&1 || ok=0
    rclone copy --create-empty-src-dirs cartable:tree "$DST" >>"$WORK/rclone.log" 2>&1 || ok=0
    if [ $ok = 1 ] && diff -r "$SRC" "$DST"; then
        echo "rclone: the tree came back byte for byte"
        PASSED=$((PASSED + 1))
    else
        echo "rclone: the round trip failed" >&2
        cat "$WORK/rclone.log" >&2
        FAILED=$((FAILED + 1))
    fi
fi

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]

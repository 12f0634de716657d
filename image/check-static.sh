#!/bin/sh
# Checks that a binary is a static executable for the given architecture: no program
# interpreter (dynamic loader) and no shared library needed. `file` says "static-pie linked"
# (a position-independent static executable: still randomised in memory) or "statically
# linked".
#   sh image/check-static.sh BINARY MACHINE     MACHINE as `file` names it: x86-64, aarch64
set -eu
bin=$1
machine=$2
if command -v file >/dev/null 2>&1; then
    what=$(file -b "$bin")
    echo "$bin: $what"
    case "$what" in
    *"$machine"*"static-pie linked"* | *"$machine"*"statically linked"*) ;;
    *) echo "check-static: $bin is not a static $machine executable" >&2; exit 1 ;;
    esac
fi
if readelf -lW "$bin" | grep -q 'Requesting program interpreter' ||
    readelf -dW "$bin" | grep -q '(NEEDED)'; then
    echo "check-static: $bin needs a dynamic loader or shared libraries" >&2
    exit 1
fi
echo "$bin: $(du -k "$bin" | cut -f1) KiB, no dynamic loader, no shared library"

#!/bin/sh
# Installs what `make test` needs on a fresh Debian machine, and nothing when it is already there:
# Debian's Chromium and its WebDriver for the browser test, and Python's Selenium client for it.
set -eu

need=""
command -v chromium >/dev/null 2>&1 || need="$need chromium"
command -v chromedriver >/dev/null 2>&1 || need="$need chromium-driver"
python3 -c 'import selenium' 2>/dev/null || true
if [ -n "$need" ]; then
    if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
    echo "installing:$need"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need >/dev/null
fi
if ! python3 -c 'import selenium' 2>/dev/null; then
    echo "installing: selenium (Python WebDriver client)"
    python3 -m pip install --quiet --disable-pip-version-check 'selenium>=4.10,<5'
fi
command -v cargo >/dev/null 2>&1 || { echo "cargo is missing: install Rust (rustup) first" >&2; exit 1; }

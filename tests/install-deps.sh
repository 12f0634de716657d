#!/bin/sh
# Installs what `make test` needs on a fresh Debian machine, and nothing when it is already there:
# Debian's Chromium and its WebDriver for the browser test, and Python's Selenium client for it;
# Python's icalendar, the calendar client that reads the agenda's feed in `cargo test`;
# litmus and rclone for the WebDAV test; Postfix for the mail test (a smarthost of its own, see
# tests/mail/postfix.py) and its smtp-source for `make bench`; minisign to sign test updates;
# Apache httpd with mod_auth_openidc and PHP with phpCAS for the identity-provider test (an Apache
# of its own, see tests/idp/apache.py), and Python's Authlib, a second OpenID Connect client.
set -eu

if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi

# PyPI's libzim, openZIM's ZIM writer: the library's tests write their collections with it (and
# the image test its USB stick's).
libzim() {
    python3 -c 'import libzim.writer' 2>/dev/null && return 0
    echo "installing: libzim (openZIM's ZIM writer, writes the library's test collections)"
    # As for selenium: Debian's package for Debian's python3, PyPI for one's own.
    if [ "$(command -v python3)" = /usr/bin/python3 ]; then
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-libzim >/dev/null
    else
        python3 -m pip install --quiet --disable-pip-version-check 'libzim>=3,<4'
    fi
}

if [ "${1:-}" = image ]; then
    pkgs="debootstrap dosfstools mtools fdisk e2fsprogs xz-utils zstd file binutils"
    pkgs="$pkgs syslinux syslinux-common openssh-client qemu-system-x86 ovmf"
    # The image test signs updates and `make release` with a throwaway minisign key.
    pkgs="$pkgs minisign"
    if [ "${2:-x86_64}" = arm64 ] || [ "${2:-}" = rpi ]; then
        pkgs="$pkgs gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static binfmt-support"
        pkgs="$pkgs qemu-system-arm qemu-efi-aarch64"
    fi
    need=""
    for p in $pkgs; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
            need="$need $p"
    done
    if [ -n "$need" ]; then
        echo "installing:$need"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
            $need >/dev/null
    fi
    libzim
    exit 0
fi

need=""
command -v chromium >/dev/null 2>&1 || need="$need chromium"
command -v chromedriver >/dev/null 2>&1 || need="$need chromium-driver"
command -v litmus >/dev/null 2>&1 || need="$need litmus"
command -v rclone >/dev/null 2>&1 || need="$need rclone"
command -v minisign >/dev/null 2>&1 || need="$need minisign"
# Postfix lives in /usr/sbin, which a non-root PATH may lack.
[ -x /usr/sbin/postfix ] && [ -x /usr/sbin/smtp-source ] || need="$need postfix"
if [ -n "$need" ]; then
    echo "installing:$need"
    case "$need" in
    *postfix*)
        # No system configuration, so no system instance either: the tests run their own
        # Postfix in a folder of their own (no main.cf in /etc/postfix, nothing started).
        echo "postfix postfix/main_mailer_type select No configuration" |
            $SUDO debconf-set-selections ;;
    esac
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need >/dev/null
fi
# The identity-provider test's relying parties: one private Apache (tests/idp/apache.py) with
# mod_auth_openidc and mod_php (phpCAS). The system's Apache is never used: the package would start
# and enable it, so a policy-rc.d keeps it from starting during the install (when the machine has
# none of its own) and it is disabled afterwards.
need=""
for p in apache2 libapache2-mod-auth-openidc php-cli php-cas php-xml libapache2-mod-php8.2; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
        need="$need $p"
done
if [ -n "$need" ]; then
    echo "installing:$need"
    rcd=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        # Ours, for the install only: removed however the script ends.
        rcd=/usr/sbin/policy-rc.d
        trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
        trap 'exit 130' INT TERM
        printf '#!/bin/sh\n# tests/install-deps.sh: no service starts while it installs.\nexit 101\n' |
            $SUDO tee $rcd >/dev/null
        $SUDO chmod 755 $rcd
    fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
        $need >/dev/null
    if [ -n "$rcd" ]; then
        $SUDO rm -f $rcd
        trap - EXIT INT TERM
    fi
    if [ -d /run/systemd/system ]; then
        $SUDO systemctl disable --now apache2 apache-htcacheclean >/dev/null 2>&1 || true
    else
        $SUDO update-rc.d apache2 disable >/dev/null 2>&1 || true
        $SUDO update-rc.d apache-htcacheclean disable >/dev/null 2>&1 || true
    fi
fi
if ! python3 -c 'import authlib.jose, authlib.oidc.core' 2>/dev/null; then
    echo "installing: authlib (Python OAuth/OpenID Connect library, the second OIDC client)"
    # As for selenium below: Debian's package for Debian's python3, PyPI for one's own.
    if [ "$(command -v python3)" = /usr/bin/python3 ]; then
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-authlib >/dev/null
    else
        python3 -m pip install --quiet --disable-pip-version-check 'authlib>=1.2,<2'
    fi
fi
if ! python3 -c 'import selenium' 2>/dev/null; then
    echo "installing: selenium (Python WebDriver client)"
    # Debian's own python3 refuses pip installs (PEP 668): take Debian's package for it; a
    # python3 of one's own (pyenv, venv) gets it from PyPI.
    if [ "$(command -v python3)" = /usr/bin/python3 ]; then
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-selenium >/dev/null
    else
        python3 -m pip install --quiet --disable-pip-version-check 'selenium>=4.8,<5'
    fi
fi
if ! python3 -c 'import feedparser' 2>/dev/null; then
    echo "installing: feedparser (Python feed parser, reads the blogs' Atom feeds in the tests)"
    # As for selenium: Debian's package for Debian's python3, PyPI for one's own.
    if [ "$(command -v python3)" = /usr/bin/python3 ]; then
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-feedparser >/dev/null
    else
        python3 -m pip install --quiet --disable-pip-version-check 'feedparser>=6,<7'
    fi
fi
if ! python3 -c 'import icalendar' 2>/dev/null; then
    echo "installing: icalendar (Python calendar parser, reads the agenda's feed in the tests)"
    # As for selenium: Debian's package for Debian's python3, PyPI for one's own.
    if [ "$(command -v python3)" = /usr/bin/python3 ]; then
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-icalendar >/dev/null
    else
        python3 -m pip install --quiet --disable-pip-version-check 'icalendar>=4,<8'
    fi
fi
libzim
command -v cargo >/dev/null 2>&1 || { echo "cargo is missing: install Rust (rustup) first" >&2; exit 1; }

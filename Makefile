# Cartable: `make run` starts a demo school on localhost; `make test` installs what the tests
# need and runs them all. See README.md.

CARGO ?= cargo
DEMO_DATA ?= .demo

.PHONY: run test deps lint unit browser dav mail idp bench clean static static-x86_64 static-arm64 static-rpi \
	release deps-image image image-test

## A demo school on http://127.0.0.1:8080 (data kept in .demo/, reused next time).
run:
	$(CARGO) build --release
	./target/release/cartable --data $(DEMO_DATA) demo

## Everything CI runs: formatting, lints, unit and integration tests, the browser test,
## WebDAV against litmus and rclone, mail against smtplib and a Postfix smarthost, single sign-on
## against Apache's mod_auth_openidc, phpCAS and Authlib, and on an x86_64 machine the x86_64
## image booted under QEMU (the arm64 image's test takes about 4 more minutes of emulation,
## `make image-test ARCH=arm64`, and the Raspberry Pi image's about 5 on QEMU's Pi 3,
## `make image-test ARCH=rpi`, each after about 7 to build its base: both outside `make test`,
## to run after changes to image/, rootfs-overlay/, provisioning/ or the TLS code).
test: deps lint unit browser dav mail idp $(if $(filter x86_64,$(shell uname -m)),image-test)

## Installs the system packages the tests use (Chromium and its driver, litmus, rclone, Postfix,
## Apache with mod_auth_openidc and phpCAS, Authlib), when missing.
deps:
	sh tests/install-deps.sh

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings

unit:
	$(CARGO) test

browser:
	$(CARGO) build
	python3 tests/browser/run.py --binary target/debug/cartable

## WebDAV against real clients: litmus's protocol suite and an rclone round trip.
dav:
	$(CARGO) build
	sh tests/dav/run.sh --binary target/debug/cartable

## Mail against real clients: Python's smtplib submits, Debian's Postfix is the smarthost.
mail:
	$(CARGO) build
	python3 tests/mail/run.py --binary target/debug/cartable

## Single sign-on against real relying parties: a private Apache with mod_auth_openidc (OpenID
## Connect) and a phpCAS page (CAS 3.0), and Python's Authlib as a second OpenID Connect client.
idp:
	$(CARGO) build
	python3 tests/idp/run.py --binary target/debug/cartable

## Throughput, latency and memory, against a reference peer, printed as a table.
bench:
	sh tests/bench/run.sh

clean:
	$(CARGO) clean
	rm -rf $(DEMO_DATA) out

## The appliance (see image/README.md). Static binaries: x86_64 with glibc's static libc;
## aarch64 cross-linked by Debian's gcc-aarch64-linux-gnu (installed when missing), with the
## rustup target added when missing. Profile release-small (size) by default.
STATIC_PROFILE ?= release-small
ARCH ?= x86_64
override ARCH := $(patsubst amd64,x86_64,$(patsubst aarch64,arm64,$(ARCH)))
STATIC_x86_64 := target/x86_64-unknown-linux-gnu/$(STATIC_PROFILE)/cartable
STATIC_arm64 := target/aarch64-unknown-linux-gnu/$(STATIC_PROFILE)/cartable
# The Raspberry Pi image (ARCH=rpi) runs the arm64 binary.
STATIC_rpi := $(STATIC_arm64)
# Building an image needs root (debootstrap, chroot, the files' owners).
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

static: static-x86_64 static-arm64

static-x86_64:
	CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS="-C target-feature=+crt-static" \
	    $(CARGO) build --profile $(STATIC_PROFILE) --target x86_64-unknown-linux-gnu
	sh image/check-static.sh $(STATIC_x86_64) x86-64

static-rpi: static-arm64

static-arm64:
	command -v aarch64-linux-gnu-gcc >/dev/null || sh tests/install-deps.sh image arm64
	rustup target list --installed | grep -qx aarch64-unknown-linux-gnu || \
	    rustup target add aarch64-unknown-linux-gnu
	CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc \
	CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUSTFLAGS="-C target-feature=+crt-static" \
	CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc \
	AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar \
	    $(CARGO) build --profile $(STATIC_PROFILE) --target aarch64-unknown-linux-gnu
	sh image/check-static.sh $(STATIC_arm64) aarch64

## Signed release binaries for `cartable update`: out/release/cartable-<version>-<arch> and
## its minisign signature <file>.minisig beside it, for x86_64 and arm64 (RELEASE_ARCHS=x86_64
## for one only). KEY is the minisign secret key file: kept outside the repository, never
## committed (`minisign -G -p update-key.pub -s KEY` makes one; update-key.pub's text is the
## `update_key` of cartable.toml).
RELEASE_ARCHS ?= x86_64 arm64
RELEASE_DIR ?= out/release
CARTABLE_VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)

release:
	@[ -n "$(KEY)" ] || { echo "make release: give the minisign secret key that signs the" \
	    "binaries: make release KEY=path/to/minisign.key" >&2; exit 2; }
	@[ -f "$(KEY)" ] || { echo "make release: KEY=$(KEY): no such file" >&2; exit 2; }
	@command -v minisign >/dev/null || { echo "make release: minisign is missing" \
	    "(apt-get install minisign)" >&2; exit 2; }
	@for a in $(RELEASE_ARCHS); do case $$a in x86_64|arm64) ;; *) echo "make release:" \
	    "RELEASE_ARCHS: x86_64 or arm64, not '$$a'" >&2; exit 2 ;; esac; done
	$(MAKE) $(addprefix static-,$(RELEASE_ARCHS))
	mkdir -p $(RELEASE_DIR)
	$(foreach a,$(RELEASE_ARCHS),rm -f $(RELEASE_DIR)/cartable-$(CARTABLE_VERSION)-$(a).minisig && \
	    cp $(STATIC_$(a)) $(RELEASE_DIR)/cartable-$(CARTABLE_VERSION)-$(a) && \
	    minisign -S -s $(KEY) -m $(RELEASE_DIR)/cartable-$(CARTABLE_VERSION)-$(a) \
	        -t "cartable $(CARTABLE_VERSION) $(a)" &&) true
	@ls -l $(foreach a,$(RELEASE_ARCHS),$(RELEASE_DIR)/cartable-$(CARTABLE_VERSION)-$(a)*)

## What building and booting images needs (debootstrap, mtools, QEMU...), when missing.
deps-image:
	sh tests/install-deps.sh image $(ARCH)

## out/cartable-$(ARCH).img and .img.xz (ARCH=x86_64, arm64 or rpi), as root.
image: deps-image static-$(ARCH)
	$(SUDO) sh image/build.sh $(ARCH) $(STATIC_$(ARCH)) out

## Boots the image under QEMU (software emulation) and checks it as a school and a
## maintainer would: provisioning, HTTPS login, SMTP, SSH, Secure Boot, reboot. The image is
## built without its .xz (`make image` makes both). ARCH=rpi: the Raspberry Pi image's
## partitions, then its own kernel booted on QEMU's Pi 3 (tests/image/rpi.py).
image-test: deps-image static-$(ARCH)
	IMAGE_NO_XZ=1 $(SUDO) sh image/build.sh $(ARCH) $(STATIC_$(ARCH)) out
	$(if $(filter rpi,$(ARCH)),python3 tests/image/rpi.py --image out/cartable-rpi.img,\
	    python3 tests/image/run.py --arch $(ARCH) --image out/cartable-$(ARCH).img)

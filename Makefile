# Cartable: `make run` starts a demo school on localhost; `make test` installs what the tests
# need and runs them all. See README.md.

CARGO ?= cargo
DEMO_DATA ?= .demo

.PHONY: run test deps lint unit browser dav mail bench clean

## A demo school on http://127.0.0.1:8080 (data kept in .demo/, reused next time).
run:
	$(CARGO) build --release
	./target/release/cartable --data $(DEMO_DATA) demo

## Everything CI runs: formatting, lints, unit and integration tests, the browser test,
## WebDAV against litmus and rclone, mail against smtplib and a Postfix smarthost.
test: deps lint unit browser dav mail

## Installs the system packages the tests use (Chromium and its driver, litmus, rclone, Postfix),
## when missing.
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

## Throughput, latency and memory, against a reference peer, printed as a table.
bench:
	sh tests/bench/run.sh

clean:
	$(CARGO) clean
	rm -rf $(DEMO_DATA)

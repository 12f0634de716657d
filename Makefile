# Cartable: `make run` starts a demo school on localhost; `make test` installs what the tests
# need and runs them all. See README.md.

CARGO ?= cargo
DEMO_DATA ?= .demo

.PHONY: run test deps lint unit browser bench clean

## A demo school on http://127.0.0.1:8080 (data kept in .demo/, reused next time).
run:
	$(CARGO) build --release
	./target/release/cartable --data $(DEMO_DATA) demo

## Everything CI runs: formatting, lints, unit and integration tests, the browser test.
test: deps lint unit browser

## Installs the system packages the tests use (Chromium and its driver), when missing.
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

## Throughput, latency and memory, against a reference peer, printed as a table.
bench:
	sh tests/bench/run.sh

clean:
	$(CARGO) clean
	rm -rf $(DEMO_DATA)

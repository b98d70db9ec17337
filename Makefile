# livery-s3: every entry point installs what it needs first (tools are cached in $(TOOLS)).
TOOLS ?= $(HOME)/.cache/livery-s3
export LIVERY_TOOLS := $(TOOLS)
export PATH := $(TOOLS)/bin:$(PATH)

.PHONY: demo demo-web test pkg bench soak toolchain lint test-types test-rust test-no-std test-size test-js test-runtimes

## make demo: build the package, start a local S3 server and run a round trip through it
demo: toolchain-demo pkg
	node demo/demo.mjs

## make test: every test (Rust unit + SigV4 vectors + integration, no_std check, npm package in Node, Deno, workerd, Chromium)
test: toolchain lint test-types test-rust test-no-std pkg test-size test-js test-runtimes

## make pkg: build the npm package into pkg/ and print its download size
pkg:
	scripts/build-pkg.sh

## make demo-web: the www/ page (presigned PUT and parts, POST form, STS) against local Garage (CORS rules set) and moto
demo-web: toolchain pkg
	node www/server.mjs

## make soak: 2000 mixed operations through the fault-injecting proxy (make test runs 400)
soak: toolchain-demo pkg
	SOAK_OPERATIONS=2000 node --test --test-name-pattern=soak tests/js/resilience.test.mjs

## make bench: livery-s3 against its peers (@aws-sdk/client-s3, aws4fetch, s3mini) on a local Garage, in one run
# The peers live in bench/package.json, not the root one, so CI's test install stays small.
bench: toolchain-bench pkg
	cd bench && npm install --no-audit --no-fund --loglevel=error
	node bench/run.mjs

# What each entry point installs: test everything (all three servers), demo only s3s-fs, bench
# only Garage (a first Garage build takes about 12 minutes, so demo never waits for it).
.PHONY: toolchain-demo toolchain-bench
toolchain:
	scripts/toolchain.sh all

toolchain-demo:
	scripts/toolchain.sh build s3s-fs

toolchain-bench:
	scripts/toolchain.sh build garage

# Warnings fail the build, natively and for wasm32 as the package builds it (the JS surface and
# the small allocator only compile there).
lint:
	cargo fmt --check
	cargo clippy --quiet --features native --tests -- -D warnings
	cargo clippy --quiet --target wasm32-unknown-unknown --features small-alloc -- -D warnings
	cargo clippy --quiet --target wasm32-unknown-unknown --features small-alloc,server -- -D warnings
	RUSTDOCFLAGS="-D warnings" cargo doc --quiet --features native --no-deps

test-types:
	node_modules/.bin/tsc -p tests/types

test-rust:
	cargo test --features native

# The signer and the operation model must build with core + alloc only.
test-no-std:
	cargo build --quiet --manifest-path tests/no-std-core/Cargo.toml --target-dir target/no-std

# Every browser user downloads the package: it may not grow past bench/size-budget.json.
test-size:
	node scripts/size.mjs pkg --budget bench/size-budget.json

test-js:
	node --test tests/js/

# The package in Deno, workerd and headless Chromium (each through its exports-map entry, no init).
# First run installs Debian's chromium (apt) and npm's deno/workerd/playwright-core.
test-runtimes:
	scripts/toolchain.sh browser
	node --test tests/runtimes/

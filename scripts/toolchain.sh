#!/usr/bin/env bash
# Installs everything the build and the tests use, once; later runs only check.
#   scripts/toolchain.sh build    wasm target, wasm-bindgen-cli (= Cargo.lock), npm tools (wasm-opt)
#   scripts/toolchain.sh s3s-fs   s3s-fs, the signature-verifying S3 server (make demo's only one)
#   scripts/toolchain.sh garage   Garage, a real distributed store (make test, make bench)
#   scripts/toolchain.sh moto     moto server (versioning, STS; make test)
#   scripts/toolchain.sh servers  all three servers
#   scripts/toolchain.sh browser  the runtimes of the package tests: Debian's chromium +
#                                 chromium-driver (driven by npm playwright-core, which never
#                                 downloads a browser), and npm's deno and workerd
#   scripts/toolchain.sh all      build + servers (the default)
# Several steps may be given at once: scripts/toolchain.sh build s3s-fs
# Tools go to $LIVERY_TOOLS (default ~/.cache/livery-s3) so every clone on a machine shares them.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS="${LIVERY_TOOLS:-$HOME/.cache/livery-s3}"
mkdir -p "$TOOLS/bin"
export PATH="$TOOLS/bin:$PATH"
step() { printf '\033[1m==> %s\033[0m\n' "$*"; }

build_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  # The package build recompiles the standard library with its own flags (scripts/build-pkg.sh).
  if ! rustup component list --installed | grep -qx rust-src; then
    step "adding the rust-src component"
    rustup component add rust-src
  fi
  # make lint runs both; rustup's minimal profile leaves them out.
  for component in clippy rustfmt; do
    if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
      step "adding the $component component"
      rustup component add "$component"
    fi
  done
  # wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock (the glue and the wasm must match).
  local want
  want=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    step "installing wasm-bindgen-cli $want (about 2 minutes, once)"
    # Not --locked: the registry mirror here lacks a crate version its lockfile names.
    cargo install wasm-bindgen-cli --version "=$want" --root "$TOOLS"
  fi
  npm_tools
}

# The npm devDependencies, at the exact versions package.json pins: wasm-opt (npm's binaryen;
# Debian's binaryen 108 corrupts wasm-bindgen output), esbuild and terser, tsc, and the runtimes the package is
# tested in (deno and workerd ship their binaries inside the registry packages; playwright-core
# drives Debian's chromium).
npm_tools() {
  local bin
  for bin in wasm-opt esbuild terser tsc deno workerd playwright-core; do
    if [ ! -x "node_modules/.bin/$bin" ] || [ package.json -nt node_modules/.package-lock.json ]; then
      step "installing npm dev tools: wasm-opt, esbuild, terser, tsc, deno, workerd, playwright-core (~400 MB, about 10 seconds, once)"
      npm install --no-audit --no-fund --loglevel=error
      return
    fi
  done
}

s3s_fs_server() {
  if ! command -v s3s-fs >/dev/null; then
    step "installing s3s-fs 0.14.1, the signature-verifying S3 server (about 3 minutes, once)"
    cargo install s3s-fs --version 0.14.1 --locked --features binary --root "$TOOLS"
  fi
}

garage_server() {
  if ! command -v garage >/dev/null; then
    step "installing Garage 2.5.0, a distributed S3 store (about 12 minutes on 2 cores, once)"
    cargo install garage --version 2.5.0 --locked --root "$TOOLS"
  fi
}

moto_server() {
  # moto >= 5.2.5: older versions ignore response-* overrides.
  if ! python3 -c 'import moto, sys; v = tuple(int(x) for x in moto.__version__.split(".")[:3]); sys.exit(v < (5, 2, 5))' 2>/dev/null \
     || ! command -v moto_server >/dev/null; then
    step "installing moto server (versioning, STS)"
    python3 -m pip install --quiet --disable-pip-version-check 'moto[server]>=5.2.5'
    # pyenv only shows a newly installed command (moto_server) once its shims are rebuilt.
    if command -v pyenv >/dev/null; then pyenv rehash; fi
    command -v moto_server >/dev/null || { echo "moto_server is not on PATH after installing moto" >&2; exit 1; }
  fi
}

server_tools() {
  s3s_fs_server
  garage_server
  moto_server
}

browser_tools() {
  # Debian's build: playwright's own browser downloads are not reachable (and never wanted).
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    step "installing Debian's chromium + chromium-driver (about 30 seconds, once)"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
}

usage="usage: $0 [build|s3s-fs|garage|moto|servers|browser|all]..."
# Every step is checked before any runs, so a typo does not fail after a long install.
for what in "${@:-all}"; do
  case "$what" in
    build | s3s-fs | garage | moto | servers | browser | all) ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
for what in "${@:-all}"; do
  case "$what" in
    build) build_tools ;;
    s3s-fs) s3s_fs_server ;;
    garage) garage_server ;;
    moto) moto_server ;;
    servers) server_tools ;;
    browser) npm_tools; browser_tools ;;
    all) build_tools; server_tools ;;
  esac
done

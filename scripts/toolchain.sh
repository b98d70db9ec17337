#!/usr/bin/env bash
# Installs everything the build and the tests use, once; later runs only check.
#   scripts/toolchain.sh build    wasm target, wasm-bindgen-cli (= Cargo.lock), npm tools (wasm-opt)
#   scripts/toolchain.sh servers  s3s-fs (signature-verifying S3), Garage (a real store) and moto
#                                 (versioning, STS)
#   scripts/toolchain.sh browser  the runtimes of the package tests: Debian's chromium +
#                                 chromium-driver (driven by npm playwright-core, which never
#                                 downloads a browser), and npm's deno and workerd
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
# Debian's binaryen 108 corrupts wasm-bindgen output), tsc, and the runtimes the package is
# tested in (deno and workerd ship their binaries inside the registry packages; playwright-core
# drives Debian's chromium).
npm_tools() {
  local bin
  for bin in wasm-opt tsc deno workerd playwright-core; do
    if [ ! -x "node_modules/.bin/$bin" ] || [ package.json -nt node_modules/.package-lock.json ]; then
      step "installing npm dev tools: wasm-opt, tsc, deno, workerd, playwright-core (~400 MB, about 10 seconds, once)"
      npm install --no-audit --no-fund --loglevel=error
      return
    fi
  done
}

server_tools() {
  if ! command -v s3s-fs >/dev/null; then
    step "installing s3s-fs 0.14.1, the signature-verifying S3 server (about 3 minutes, once)"
    cargo install s3s-fs --version 0.14.1 --locked --features binary --root "$TOOLS"
  fi
  if ! command -v garage >/dev/null; then
    step "installing Garage 2.5.0, a distributed S3 store (about 12 minutes on 2 cores, once)"
    cargo install garage --version 2.5.0 --locked --root "$TOOLS"
  fi
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

case "${1:-all}" in
  build) build_tools ;;
  servers) server_tools ;;
  browser) npm_tools; browser_tools ;;
  all) build_tools; server_tools ;;
  *) echo "usage: $0 [build|servers|browser|all]" >&2; exit 2 ;;
esac

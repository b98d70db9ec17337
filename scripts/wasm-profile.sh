#!/usr/bin/env bash
# A names-section build of the release wasm (what `make pkg` ships, with function names kept)
# and twiggy's view of it: what the download is made of. Run after `make pkg`.
#   scripts/wasm-profile.sh [rows]     -> target/wasm-profile/livery_s3.wasm + twiggy top
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS="${LIVERY_TOOLS:-$HOME/.cache/livery-s3}"
export PATH="$TOOLS/bin:$PATH"
command -v twiggy >/dev/null || cargo install twiggy --root "$TOOLS"
out=target/wasm-profile
mkdir -p "$out"
wasm-bindgen --target web --no-typescript --keep-debug --out-dir "$out" --out-name livery_s3 \
  target/pkg/wasm32-unknown-unknown/release/livery_s3.wasm
node_modules/.bin/wasm-opt -Oz -g --enable-bulk-memory --enable-bulk-memory-opt --enable-mutable-globals \
  --enable-multivalue --enable-nontrapping-float-to-int --enable-reference-types --enable-sign-ext \
  "$out/livery_s3_bg.wasm" -o "$out/livery_s3.wasm"
twiggy top -n "${1:-15}" "$out/livery_s3.wasm"

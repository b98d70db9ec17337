#!/usr/bin/env bash
# Builds the npm package into pkg/: cargo (wasm32; the browser's build for size, the servers'
# for speed) -> wasm-bindgen (web target) -> wasm-opt (-Oz and friends, or -O3) -> the files of pkg-template/ (per-runtime
# entry points, S3Client/S3Error, transport, types) -> esbuild, one bundle per entry. Prints
# the download size.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${LIVERY_TOOLS:-$HOME/.cache/livery-s3}/bin:$PATH"
scripts/toolchain.sh build

# Two builds of the wasm: the browser's (pkg/wasm/, the download the size budget counts) and
# the servers' (pkg/wasm-server/, for Node, Deno and Workers, with the `server` feature:
# presignPost), each with its own glue.
rm -rf pkg && mkdir -p pkg
# The features rustc enables by default for wasm32 (every runtime we target has them).
features="--enable-bulk-memory --enable-bulk-memory-opt --enable-mutable-globals --enable-multivalue \
  --enable-nontrapping-float-to-int --enable-reference-types --enable-sign-ext"
# The browser's wasm is built for size: every page downloads it. The servers' is built for
# speed (opt-level 3, wasm-opt -O3): a process or isolate loads it once, from its own disk or
# bundle, and there it does the listing and signing work (make bench: a 1000-key page's client
# work in about 55% of the time, presigning about 1.4x as fast, for about twice the bytes).
size_passes="--dae-optimizing --code-folding --flatten --rereloop --merge-similar-functions -Oz --merge-similar-functions -Oz --converge --low-memory-unused -ocimfs 50 -aimfs 4"
build_wasm() {  # cargo features, target dir, output dir, size|speed
  local opt_level=z passes=$size_passes
  if [ "$4" = speed ]; then opt_level=3 passes=-O3; fi
  echo "==> cargo build --features $1 (wasm32-unknown-unknown, release, opt-level $opt_level, the standard library rebuilt)"
  # The standard library is rebuilt with panics that abort at once (no panic message formatting),
  # no file/line locations and no-op Debug output (nothing user-facing prints with {:?}): 4.3 KiB
  # gzip less than the prebuilt one (README, Size). These flags are unstable, hence
  # RUSTC_BOOTSTRAP on the stable toolchain; they only shape this build, never cargo test.
  # MIR inlining (off by default at opt-level "z"), generous, lets LLVM drop more: 2.2 KiB gzip
  # less in the browser's build (the servers', at opt-level 3, inlines anyway).
  # Linked by scripts/wasm-ld.sh: rust-lld without the exports of runtime features left unused
  # (set apart from RUSTFLAGS, which cargo splits at spaces, as a checkout path may hold one).
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$PWD/scripts/wasm-ld.sh" \
  RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none -Zinline-mir=yes -Zinline-mir-threshold=1000" \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=$opt_level cargo build --release --target wasm32-unknown-unknown --lib --features "$1" \
    -Zbuild-std=std,panic_abort --target-dir "$2"
  echo "==> wasm-bindgen $(wasm-bindgen --version | awk '{print $2}')"
  wasm-bindgen --target web --no-typescript --out-dir "$3" --out-name livery_s3 \
    "$2/wasm32-unknown-unknown/release/livery_s3.wasm"
  # wasm-bindgen leaves closure invokers of js-sys in the function table that nothing can call.
  node scripts/drop-uncallable-table-entries.mjs "$3/livery_s3_bg.wasm" $features
  echo "==> wasm-opt ($4), short import and export names"
  # The size passes: flattening and re-looping the control flow first, then merging near-identical functions,
  # shrinks the async state machines (0.7 KiB gzip); --converge repeats -Oz while it still shrinks.
  # --low-memory-unused lets it fold constant addresses into loads and stores (0.3 KiB): Rust's
  # stack grows down towards address 0 from 1 MiB, so its lowest 1 KiB is only reached by a
  # stack that is about to overflow anyway.
  # -ocimfs 50: a function with one caller is inlined only when small. Inlining every such
  # function (wasm-opt's default) makes fewer, larger functions that share less repeated code
  # for gzip to find: 0.9 KiB gzip less (scanned 0 to 400; 40 to 55 are within 30 bytes).
  # Removing arguments every caller passes alike and folding identical code tails first: 0.1 KiB.
  # -aimfs 4: functions of up to 4 instructions always inlined (2 by default): 52 bytes gzip
  # less (3 and 5 to 12 scanned: all larger). Merging similar functions again after the first
  # -Oz (which makes more of them alike), then -Oz once more: 75 bytes less.
  node_modules/.bin/wasm-opt $passes \
    $features --strip-producers --strip-target-features \
    "$3/livery_s3_bg.wasm" -o "$3/livery_s3_bg.wasm"
  # Then once, on its own (it prints the mapping the glue needs): short import and export names.
  node_modules/.bin/wasm-opt $features --minify-imports-and-exports-and-modules \
    "$3/livery_s3_bg.wasm" -o "$3/livery_s3_bg.wasm" > "$2/wasm-names.json"
  node scripts/minify-wasm-names.mjs "$2/wasm-names.json" "$3/livery_s3.js"
}
build_wasm small-alloc target/pkg pkg/wasm size
build_wasm small-alloc,server target/pkg-server pkg/wasm-server speed
cp -R pkg-template/. pkg/
echo "==> esbuild: minified bundles per runtime entry (the .d.ts files stay as written)"
# Each entry is bundled with the modules it imports (the wasm glue, client.js, transport.js,
# options.js, …): a runtime loads one JS file. Minified and bundled, the browser's JS is
# 5.1 KiB gzip instead of 6.1 as separate minified files (one gzip dictionary, no module
# boundaries). The server entries (Node, Deno, Workers) also carry PresignedUploads, the server
# half of presigned multipart uploads (`livery-s3/presigned-uploads` resolves to them).
# client.js and credentials.js import the glue as `#wasm` (package.json "imports"): the
# condition `livery-server` picks the server build's for the Node, Deno and Workers entries.
for entry in pkg/index.node.js pkg/index.deno.js pkg/index.workerd.js; do
  node_modules/.bin/esbuild "$entry" --bundle --minify --format=esm --target=es2022 --log-level=warning \
    --conditions=livery-server --external:'node:*' --external:'*.wasm' --outfile="$entry" --allow-overwrite
done
# The browser's two entries are split: presigned-parts.js, the browser half of presigned
# multipart uploads, loads no wasm, and shares the managed upload (upload.js, errors.js) with
# index.browser.js through one chunk, so a page that uses both downloads that code once.
node_modules/.bin/esbuild pkg/index.browser.js pkg/presigned-parts.js --bundle --splitting --minify --format=esm \
  --target=es2022 --log-level=warning --external:'*.wasm' --outdir=pkg --chunk-names='shared-[hash]' --allow-overwrite
# Then terser's name mangling over what a browser downloads: it names more tightly than
# esbuild's minifier, 0.3 KiB gzip less (README, Size). Its compressor would take 0.1 more off
# these files but leave an app that bundles the package 0.1 larger, so it stays off.
for file in pkg/index.browser.js pkg/presigned-parts.js pkg/shared-*.js; do
  node_modules/.bin/terser "$file" --module --ecma 2022 --mangle -o "$file"
done
rm pkg/client.js pkg/credentials.js pkg/transport.js pkg/errors.js pkg/options.js pkg/upload.js \
  pkg/checksum.js pkg/tape.js pkg/presigned-uploads.js pkg/presign-post.js pkg/wasm/livery_s3.js pkg/wasm-server/livery_s3.js
node scripts/size.mjs pkg

// Prints what a browser downloads from the package: the wasm plus the JS it loads.
import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'pkg';
const files = ['wasm/livery_s3_bg.wasm', 'wasm/livery_s3.js', 'client.js', 'operations.js', 'index.browser.js'];
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`.padStart(10);
let total = { raw: 0, gzip: 0, brotli: 0 };
console.log(`${'file'.padEnd(26)}${'raw'.padStart(10)}${'gzip'.padStart(10)}${'brotli'.padStart(10)}`);
for (const file of files) {
  const bytes = readFileSync(join(dir, file));
  const row = {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
  for (const k of Object.keys(total)) total[k] += row[k];
  console.log(`${file.padEnd(26)}${kib(row.raw)}${kib(row.gzip)}${kib(row.brotli)}`);
}
console.log(`${'browser download'.padEnd(26)}${kib(total.raw)}${kib(total.gzip)}${kib(total.brotli)}`);

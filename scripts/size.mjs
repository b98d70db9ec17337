// Prints what a browser downloads from the package: the wasm plus every JS file it can load.
//   node scripts/size.mjs [pkg-dir] [--budget bench/size-budget.json]
// With --budget, exits 1 when the gzip total is over the budget's `browserDownloadGzipKiB`.
import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { join } from 'node:path';

const args = process.argv.slice(2);
const budgetAt = args.indexOf('--budget');
const budgetFile = budgetAt >= 0 ? args.splice(budgetAt, 2)[1] : undefined;
const dir = args[0] ?? 'pkg';
// The wasm, and every JS file a browser can load: the browser entries (index.browser.js, which
// fetches the wasm, and presigned-parts.js, which needs no wasm) and each chunk they import.
const files = ['wasm/livery_s3_bg.wasm'];
const load = (file) => {
  if (files.includes(file)) return;
  files.push(file);
  const code = readFileSync(join(dir, file), 'utf8');
  for (const [, imported] of code.matchAll(/(?:from|import)\s*["']\.\/([^"']+\.js)["']/g)) load(imported);
};
['index.browser.js', 'presigned-parts.js'].forEach(load);
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`.padStart(10);
const total = { raw: 0, gzip: 0, brotli: 0 };
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

if (budgetFile) {
  const budget = JSON.parse(readFileSync(budgetFile, 'utf8')).browserDownloadGzipKiB;
  const used = total.gzip / 1024;
  if (used > budget) {
    console.error(`size budget exceeded: the browser download is ${used.toFixed(1)} KiB gzip, the budget ${budget} KiB (${budgetFile})`);
    process.exit(1);
  }
  console.log(`within the size budget: ${used.toFixed(1)} of ${budget} KiB gzip`);
}

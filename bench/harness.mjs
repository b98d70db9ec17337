// What every measure of the benchmarks shares (run.mjs, sigv4.mjs, put-memory.mjs,
// managed-upload.mjs): results checked rather than trusted, clients taking turns, one table
// format for all figures, and measures run in a fresh process per client.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export class Wrong extends Error {}
export class Unsupported extends Error {}
export const check = (condition, what) => { if (!condition) throw new Wrong(what); };
export const same = (a, b) => a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
export async function ok(response) {
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`);
  return response;
}

export const now = () => performance.now();
export const rotate = (list, r) => [...list.slice(r % list.length), ...list.slice(0, r % list.length)];

/**
 * Runs `rounds` rounds; in each, every client (in a rotated order) runs `slice(client, round)`.
 * A client that throws is out of this measure: its row gets `{ why }` instead of figures.
 */
export async function rounds(clients, count, slice) {
  const failed = new Map();
  for (let r = 0; r < count; r++) {
    for (const c of rotate(clients, r)) {
      if (failed.has(c)) continue;
      try {
        await slice(c, r);
      } catch (e) {
        const [cell, what] = e instanceof Wrong ? ['WRONG', 'wrong result'] : e instanceof Unsupported ? ['n/a', 'n/a'] : ['failed', 'failed'];
        failed.set(c, { cell, why: `${what}: ${e.message}`.slice(0, 200) });
      }
    }
  }
  return failed;
}

/**
 * Rows are [name, ...figures]; a figure may be `{ cell, why }`: the row shows `cell`, and `why` goes under the table.
 * `remarks` are more lines for under the table (what a cell means, a warning).
 */
export function table(title, columns, rows, remarks = []) {
  const notes = [];
  const cells = [['client', ...columns], ...rows.map(([name, ...figures]) => {
    const failure = figures.find((f) => typeof f === 'object');
    if (!failure) return [name, ...figures.map(String)];
    notes.push(`  ${name}: ${failure.why}`);
    return [name, ...columns.map(() => failure.cell)];
  })];
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  console.log(`\n${title}`);
  for (const [j, r] of cells.entries()) {
    console.log(r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
    if (j === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  for (const note of [...notes, ...remarks.map((r) => `  ${r}`)]) console.log(note);
}

/** `a` as a multiple of `b` ("10.0x"), or '-' when either is not a figure. */
export const times = (a, b, digits = 1) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(digits)}x` : '-');

/** The exit code of a measure's process whose result was wrong (any other failure: 1). */
const WRONG_EXIT = 2;

/**
 * Runs `script` (a module URL) in a fresh `node --expose-gc` for client `name`, the server in
 * LIVERY_BENCH_ENDPOINT, _ACCESS_KEY, _SECRET_KEY and _BUCKET; resolves to the JSON it prints.
 * Neither another client's garbage nor its warm-up counts in what it measures.
 */
export async function inFreshProcess(script, name, { endpoint, accessKey, secretKey }, bucket) {
  const env = { ...process.env, LIVERY_BENCH_ENDPOINT: endpoint, LIVERY_BENCH_ACCESS_KEY: accessKey,
    LIVERY_BENCH_SECRET_KEY: secretKey, LIVERY_BENCH_BUCKET: bucket };
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', fileURLToPath(script), name],
      { env, maxBuffer: 1 << 20 });
    return JSON.parse(stdout);
  } catch (e) {
    const why = e.stderr?.split('\n').find((l) => /Error|Wrong/.test(l)) ?? e.message;
    throw e.code === WRONG_EXIT ? new Wrong(why) : new Error(why);
  }
}

/** In the process `inFreshProcess` started (`script` is the module node ran): runs
 * `measure(name, server)`, the server as `{ endpoint, accessKeyId, secretAccessKey, bucket }`. */
export async function asFreshProcess(script, measure) {
  if (process.argv[1] !== fileURLToPath(script)) return;
  const env = (k) => process.env[`LIVERY_BENCH_${k}`];
  try {
    await measure(process.argv[2], { endpoint: env('ENDPOINT'), accessKeyId: env('ACCESS_KEY'),
      secretAccessKey: env('SECRET_KEY'), bucket: env('BUCKET') });
  } catch (e) {
    console.error(e instanceof Wrong ? `Wrong: ${e.message}` : e.stack);
    process.exitCode = e instanceof Wrong ? WRONG_EXIT : 1;
  }
}

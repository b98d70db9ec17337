// Memory of one 64 MiB PUT from a Node Buffer: how much the resident set grows while a client
// sends it (copies of the body, hashing, chunking). Each measure runs in a fresh process,
//   node --expose-gc bench/put-memory.mjs <client>
// with the server in LIVERY_BENCH_ENDPOINT, _ACCESS_KEY, _SECRET_KEY and _BUCKET, so that
// neither another client's garbage nor its warm-up counts. RSS is sampled from a worker
// thread: a timer on the main thread would stall while a client hashes or copies
// synchronously, which is when memory peaks.
// run.mjs calls putMemory(), which spawns one such process per client and run.
import { createHash, randomBytes, randomFillSync } from 'node:crypto';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { asFreshProcess, check, inFreshProcess, ok, rounds, table, times } from './harness.mjs';

const CLIENTS = ['livery-s3', '@aws-sdk/client-s3', 'aws4fetch'];
const LARGE = 64 << 20, RUNS = 3, SAMPLE_MS = 2, REGION = 'us-east-1';
const MiB = (n) => (n / (1 << 20)).toFixed(1);

/** `put(key, body)` resolving to the ETag, for one client, configured as in run.mjs's makeClients. */
async function putter(name, { endpoint, accessKeyId, secretAccessKey, bucket }) {
  const credentials = { accessKeyId, secretAccessKey };
  if (name === 'livery-s3') {
    // Imported here, not at the top, so the peers' rows run without the package built.
    const { S3Client } = await import('../pkg/index.node.js');
    const s3 = new S3Client({ region: REGION, endpoint, credentials });
    return async (key, body) => (await s3.putObject({ bucket, key, body })).etag;
  }
  if (name === '@aws-sdk/client-s3') {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
    // Checksums only when S3 requires them: otherwise the SDK adds a CRC32 of every body.
    const sdk = new S3Client({ region: REGION, endpoint, forcePathStyle: true, credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
    return async (Key, Body) => (await sdk.send(new PutObjectCommand({ Bucket: bucket, Key, Body }))).ETag;
  }
  if (name === 'aws4fetch') {
    const { AwsClient } = await import('aws4fetch');
    const aws = new AwsClient({ ...credentials, service: 's3', region: REGION });
    return async (key, body) => {
      const response = await ok(await aws.fetch(`${endpoint}/${bucket}/${key}`, { method: 'PUT', body }));
      await response.arrayBuffer();
      return response.headers.get('etag');
    };
  }
  throw new Error(`unknown client ${name}`);
}

/** A worker thread that records the highest process RSS between `start()` and `stop()`. */
export async function sampler() {
  const worker = new Worker(`
    const { parentPort } = require('node:worker_threads');
    let peak = 0, timer;
    const sample = () => { peak = Math.max(peak, process.memoryUsage.rss()); };
    parentPort.on('message', (message) => {
      if (message === 'start') { peak = 0; sample(); timer = setInterval(sample, ${SAMPLE_MS}); }
      else { clearInterval(timer); sample(); }
      parentPort.postMessage(peak);
    });`, { eval: true });
  const ask = async (message) => { worker.postMessage(message); return (await once(worker, 'message'))[0]; };
  await ask('stop'); // the worker is up (its own memory is then part of the baseline)
  return { start: () => ask('start'), stop: async () => { const peak = await ask('stop'); await worker.terminate(); return peak; } };
}

/** Child: one measured PUT; prints `{ before, peak, gc }` (bytes) as JSON. */
async function child(name, server) {
  const put = await putter(name, server);
  const body = Buffer.allocUnsafe(LARGE);
  randomFillSync(body);
  const md5 = createHash('md5').update(body).digest('hex');
  // A small PUT first: connections, lazily loaded modules and the wasm instance are the
  // client's fixed cost, not this PUT's.
  await put(`put-memory/${name}/warm`, randomBytes(1024));
  const rss = await sampler();
  global.gc?.();
  const before = process.memoryUsage.rss();
  await rss.start();
  const etag = await put(`put-memory/${name}/large`, body);
  const peak = await rss.stop();
  // S3's ETag of a single PUT is the MD5 of what it stored: proof the bytes arrived whole.
  check(etag?.replace(/"/g, '') === md5, `ETag ${etag}, not the MD5 ${md5} of the body`);
  console.log(JSON.stringify({ before, peak, gc: typeof global.gc === 'function' }));
}

/** Parent: RUNS fresh processes per client (clients in turn), then the table; least growth of the runs. */
export async function putMemory(server, bucket, names = CLIENTS) {
  const clients = names.map((name) => ({ name, runs: [] }));
  const failed = await rounds(clients, RUNS, async (c) => {
    c.runs.push(await inFreshProcess(import.meta.url, c.name, server, bucket));
  });
  const best = (c) => c.runs.reduce((a, b) => (b.peak - b.before < a.peak - a.before ? b : a));
  // Growth ÷ body reads as "copies of the body held at once". No livery ÷ peer ratio here: a
  // client that streams the Buffer grows by almost nothing, and a ratio to ~0 is noise.
  table(`memory of one PUT (${LARGE >> 20} MiB from a Buffer; RSS of a fresh process per client after a full GC,`
    + ` and its growth to the peak during the PUT, sampled every ${SAMPLE_MS} ms; MiB, least growth of ${RUNS} runs)`,
  ['RSS before', 'growth', 'growth ÷ body'],
  clients.map((c) => {
    if (failed.has(c)) return [c.name, failed.get(c)];
    const { before, peak } = best(c);
    return [c.name, MiB(before), MiB(peak - before), times(peak - before, LARGE, 2)];
  }),
  clients.some((c) => c.runs.some((r) => !r.gc)) ? ['without --expose-gc: no GC before the baseline'] : []);
}

await asFreshProcess(import.meta.url, child);

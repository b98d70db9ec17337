// Bounded memory, measured in Node (issue 16): a 1 GiB upload from a generated ReadableStream
// and the 1 GiB streamed download of it, against s3s-fs. Every 20 ms the test collects garbage
// and samples what the process holds (JS heap + ArrayBuffers; the wasm's memory is not counted
// there, and bodies never enter it: JS bodies go to fetch as they are). Neither
// may hold more than partSize × concurrency + 64 MiB above where it started (issue 16's bound),
// plus, for the upload, Node's fetch's own copy of each body in flight (it copies every
// request body once: another partSize × concurrency that no client on Node avoids). A client
// that buffered the body whole would need 1 GiB. (Resident memory is printed too, but not
// asserted: it also counts pages the allocator freed and kept.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { S3Client } from '../../pkg/index.node.js';
import { startServer, bucketName } from '../../scripts/local-s3.mjs';

const MIB = 2 ** 20;
const SIZE = 1024 * MIB;
const PART = 5 * MIB;
const CONCURRENCY = 4;
const ALLOWED = PART * CONCURRENCY + 64 * MIB;
/** What Node's fetch holds on top during an upload: its copy of each part in flight. */
const FETCH_COPIES = PART * CONCURRENCY;

let server;
before(async () => {
  server = await startServer('s3s-fs');
});
after(async () => {
  await server?.stop();
});

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
/** What the process holds after a collection, and its resident size. */
const held = () => {
  gc();
  const { heapUsed, arrayBuffers, rss } = process.memoryUsage();
  return [heapUsed + arrayBuffers, rss];
};

/** Runs `work` while sampling; resolves to its result and the peak growth of [held, resident]. */
async function peakGrowth(work) {
  const start = held();
  const peak = start.slice();
  const sample = () => held().forEach((n, i) => (peak[i] = Math.max(peak[i], n)));
  const sampler = setInterval(sample, 20);
  try {
    const result = await work();
    sample();
    return [result, peak.map((n, i) => n - start[i])];
  } finally {
    clearInterval(sampler);
  }
}

/** SIZE bytes made as they are pulled, 64 KiB at a time (a pattern that differs per chunk). */
function generated(hash) {
  let made = 0;
  return new ReadableStream({
    pull(controller) {
      if (made >= SIZE) return controller.close();
      const chunk = new Uint8Array(64 * 1024).fill((made / 65536) & 255);
      chunk[0] = made / MIB;
      hash.update(chunk);
      made += chunk.length;
      controller.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
}

test('a 1 GiB upload from a ReadableStream and its streamed download stay under partSize × concurrency + 64 MiB (the upload + fetch\'s copies)', { timeout: 600_000 }, async () => {
  const s3 = new S3Client({ region: 'us-east-1', endpoint: server.endpoint,
    credentials: { accessKeyId: server.accessKey, secretAccessKey: server.secretKey } });
  const bucket = bucketName('memory');
  await s3.createBucket({ bucket });
  const sent = createHash('sha256');

  const [result, uploadGrowth] = await peakGrowth(() => s3.upload({ bucket, key: 'gib', body: generated(sent),
    partSize: PART, concurrency: CONCURRENCY }));
  assert.equal(result.parts.length, Math.ceil(SIZE / PART));

  const received = createHash('sha256');
  const [bytes, downloadGrowth] = await peakGrowth(async () => {
    let n = 0;
    for await (const chunk of (await s3.getObject({ bucket, key: 'gib' })).body) {
      received.update(chunk);
      n += chunk.length;
    }
    return n;
  });
  assert.equal(bytes, SIZE);
  assert.equal(received.digest('hex'), sent.digest('hex'));
  const mib = (n) => `${(n / MIB).toFixed(0)} MiB`;
  console.log(`# peak growth held / resident: upload ${uploadGrowth.map(mib).join(' / ')}, download ${downloadGrowth.map(mib).join(' / ')} (allowed ${mib(ALLOWED)} held, + ${mib(FETCH_COPIES)} for the upload)`);
  assert.ok(uploadGrowth[0] < ALLOWED + FETCH_COPIES,
    `the upload held ${mib(uploadGrowth[0])} more (allowed ${mib(ALLOWED)} + ${mib(FETCH_COPIES)} of fetch's copies)`);
  assert.ok(downloadGrowth[0] < ALLOWED, `the download held ${mib(downloadGrowth[0])} more (allowed ${mib(ALLOWED)})`);
});

// A 1 GiB upload from a generated stream, then its streamed download, through each way a Node
// program would do it (issue 16): livery-s3's `upload()` and `getObject`, @aws-sdk/lib-storage's
// `Upload` and client-s3's GetObject, and plain fetch with presigned URLs (the parts and the GET
// signed by livery-s3, the bytes sent and read by fetch alone). Each client runs in a fresh
// process, its RSS sampled from a worker thread (as put-memory.mjs does), so neither another
// client's garbage nor its warm-up counts:
//   node --expose-gc bench/managed-upload.mjs <client>
// with the server in LIVERY_BENCH_ENDPOINT, _ACCESS_KEY, _SECRET_KEY and _BUCKET.
// Every client uploads the same 8 MiB parts, 4 at a time. The bytes are checked both ways: a
// SHA-256 of what the stream gave against one of what the download read.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { asFreshProcess, check, inFreshProcess, ok, rounds, table } from './harness.mjs';
import { sampler } from './put-memory.mjs';

const CLIENTS = ['livery-s3', '@aws-sdk/lib-storage', 'fetch + presigned URLs'];
const SIZE = 1 << 30, PART = 8 << 20, CONCURRENCY = 4, CHUNK = 1 << 20, REGION = 'us-east-1';
const MiB = (n) => (n / (1 << 20)).toFixed(0);

/** SIZE bytes, CHUNK at a time, each chunk different (Garage stores equal blocks once), and
 * their hash once the last is taken. */
function generated() {
  const base = Buffer.alloc(CHUNK);
  for (let i = 0; i < CHUNK; i++) base[i] = (i * 2654435761) >>> 24;
  const hash = createHash('sha256');
  let sent = 0;
  return {
    next() {
      if (sent >= SIZE) return undefined;
      const chunk = Buffer.from(base);
      chunk.writeUInt32LE(sent / CHUNK, 0);
      sent += CHUNK;
      hash.update(chunk);
      return chunk;
    },
    digest: () => hash.digest('hex'),
  };
}

const webStream = (source) => new ReadableStream({
  pull(controller) {
    const chunk = source.next();
    if (chunk) controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
    else controller.close();
  },
}, { highWaterMark: 0 });

/** The hash of a download, read chunk by chunk and kept nowhere. */
async function digestOf(chunks) {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of chunks) {
    hash.update(chunk);
    size += chunk.length;
  }
  check(size === SIZE, `the download gave ${size} bytes, not ${SIZE}`);
  return hash.digest('hex');
}

/** `{ upload(key, source), download(key) → hash }` for one client. */
async function client(name, { endpoint, accessKeyId, secretAccessKey, bucket }) {
  const credentials = { accessKeyId, secretAccessKey };
  const { S3Client } = await import('../pkg/index.node.js');
  const livery = new S3Client({ region: REGION, endpoint, credentials });
  if (name === 'livery-s3') {
    return {
      upload: (key, source) => livery.upload({ bucket, key, body: webStream(source), contentLength: SIZE,
        partSize: PART, concurrency: CONCURRENCY }),
      download: async (key) => digestOf((await livery.getObject({ bucket, key })).body),
    };
  }
  if (name === '@aws-sdk/lib-storage') {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    const { S3Client: Sdk, GetObjectCommand } = await import('@aws-sdk/client-s3');
    const { Upload } = await import('@aws-sdk/lib-storage');
    // Checksums only when S3 requires them: otherwise the SDK adds a CRC32 of every part.
    const sdk = new Sdk({ region: REGION, endpoint, forcePathStyle: true, credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
    return {
      upload: (Key, source) => new Upload({ client: sdk, partSize: PART, queueSize: CONCURRENCY,
        params: { Bucket: bucket, Key, Body: Readable.from({ [Symbol.iterator]: () => ({ next: () => {
          const value = source.next();
          return { value, done: !value };
        } }) }) } }).done(),
      download: async (Key) => digestOf((await sdk.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body),
    };
  }
  if (name === 'fetch + presigned URLs') {
    // A server would sign; here livery-s3 signs in the same process, and fetch does the rest.
    return {
      async upload(key, source) {
        const { uploadId } = await livery.createMultipartUpload({ bucket, key });
        const parts = [];
        let partNumber = 0;
        const next = () => {
          const chunks = [];
          for (let size = 0; size < PART;) {
            const chunk = source.next();
            if (!chunk) break;
            chunks.push(chunk);
            size += chunk.length;
          }
          return chunks.length ? [++partNumber, Buffer.concat(chunks)] : undefined;
        };
        await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
          for (let part = next(); part; part = next()) {
            const [n, body] = part;
            const url = await livery.presign({ operation: 'uploadPart', bucket, key, uploadId, partNumber: n });
            const answer = await ok(await fetch(url, { method: 'PUT', body }));
            parts.push({ partNumber: n, etag: answer.headers.get('etag') });
          }
        }));
        parts.sort((a, b) => a.partNumber - b.partNumber);
        await livery.completeMultipartUpload({ bucket, key, uploadId, parts });
      },
      download: async (key) => digestOf((await ok(await fetch(await livery.presign({ bucket, key })))).body),
    };
  }
  throw new Error(`unknown client ${name}`);
}

/** Child: one upload and one download; prints `{ upload, download }`, each `{ ms, before, peak }`
 * (RSS in bytes after a full GC, and at its highest while it ran). */
async function child(name, server) {
  const c = await client(name, server);
  const key = `managed-upload/${name.replace(/\W+/g, '-')}`;
  const source = generated();
  const rss = await sampler();
  global.gc?.();
  const before = process.memoryUsage.rss();
  await rss.start();
  let t = performance.now();
  await c.upload(key, source);
  const upload = { ms: performance.now() - t, peak: await rss.stop() };
  const sent = source.digest();
  const again = await sampler();
  global.gc?.();
  const settled = process.memoryUsage.rss();
  await again.start();
  t = performance.now();
  const read = await c.download(key);
  const download = { ms: performance.now() - t, peak: await again.stop() };
  check(read === sent, 'the download is not what the upload sent');
  console.log(JSON.stringify({ upload: { ...upload, before }, download: { ...download, before: settled } }));
}

/** Parent: one fresh process per client (each moves 2 GiB), then the table. */
export async function managedUpload(server, bucket, names = CLIENTS) {
  const clients = names.map((name) => ({ name }));
  const failed = await rounds(clients, 1, async (c) => {
    c.run = await inFreshProcess(import.meta.url, c.name, server, bucket);
  });
  const rate = (ms) => ((SIZE / (1 << 20)) / (ms / 1000)).toFixed(0);
  table(`1 GiB upload from a generated stream (${PART >> 20} MiB parts, ${CONCURRENCY} at a time), then its streamed`
    + ' download: MiB/s, and the RSS each adds at its peak over the process after a full GC (MiB; a fresh process per client)',
  ['upload MiB/s', 'upload +RSS', 'download MiB/s', 'download +RSS'],
  clients.map((c) => {
    if (failed.has(c)) return [c.name, failed.get(c)];
    const { upload, download } = c.run;
    return [c.name, rate(upload.ms), MiB(upload.peak - upload.before), rate(download.ms), MiB(download.peak - download.before)];
  }));
}

await asFreshProcess(import.meta.url, child);

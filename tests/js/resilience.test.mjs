// Resilience through the npm package in Node: resumed downloads, retries and region redirects
// over the wire, and a soak of mixed operations through the fault proxy (tests/js/
// fault-proxy.mjs) in front of s3s-fs, the signature-verifying server. `make test` runs a short
// soak; `make soak` the full one (SOAK_OPERATIONS=2000).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { S3Client, S3Error } from '../../pkg/index.node.js';
import { startServer, bucketName } from '../../scripts/local-s3.mjs';
import { startFaultProxy, FAULTS } from './fault-proxy.mjs';
import { failure, listen } from './helpers.mjs';

let s3sFs;
before(async () => {
  s3sFs = await startServer('s3s-fs');
});
after(async () => {
  await s3sFs?.stop();
});

const keysOf = (server) => ({ accessKeyId: server.accessKey, secretAccessKey: server.secretKey });

/**
 * Serves one object with an ETag. The bytes `cuts` lists are where successive answers stop
 * (the connection is cut after that many bytes of their body); ranged GETs are honoured and
 * recorded with their If-Match.
 */
async function objectServer(bytes, cuts, etag = '"v1"') {
  const requests = [];
  const server = await listen((req, res, n) => {
    req.resume();
    requests.push({ range: req.headers.range, ifMatch: req.headers['if-match'] });
    if (req.headers['if-match'] && req.headers['if-match'] !== etag) {
      res.writeHead(412, { 'content-type': 'application/xml' });
      return res.end('<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>');
    }
    const from = Number(/^bytes=(\d+)-/.exec(req.headers.range ?? '')?.[1] ?? 0);
    const rest = bytes.subarray(from);
    const headers = { etag, 'content-length': String(rest.length), 'content-type': 'application/octet-stream' };
    if (req.headers.range) headers['content-range'] = `bytes ${from}-${bytes.length - 1}/${bytes.length}`;
    res.writeHead(req.headers.range ? 206 : 200, headers);
    const cut = cuts[n];
    if (cut === undefined) return res.end(rest);
    res.write(rest.subarray(0, cut));
    setTimeout(() => res.socket.destroy(), 20);
  });
  return { ...server, requests };
}

test('a download cut off twice mid-body arrives whole and byte-identical, resumed with ranged GETs pinned to the ETag', async () => {
  const bytes = randomBytes(300_000);
  const server = await objectServer(bytes, [100_000, 50_000]);
  try {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: server.endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const object = await s3.getObject({ bucket: 'bucket', key: 'k' });
    const read = Buffer.from(await object.bytes());
    assert.equal(read.length, bytes.length);
    assert.ok(read.equals(bytes), 'the bytes differ');
    assert.deepEqual(server.requests, [
      { range: undefined, ifMatch: undefined },
      { range: 'bytes=100000-', ifMatch: '"v1"' },
      { range: 'bytes=150000-', ifMatch: '"v1"' },
    ]);
  } finally {
    await server.close();
  }
});

test('a ranged download cut off resumes within its range', async () => {
  const bytes = randomBytes(100_000);
  const server = await objectServer(bytes, [undefined, 10_000]);
  try {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: server.endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    await (await s3.getObject({ bucket: 'bucket', key: 'k' })).bytes();
    const object = await s3.getObject({ bucket: 'bucket', key: 'k', range: { start: 40_000 } });
    const read = Buffer.from(await object.bytes());
    assert.ok(read.equals(bytes.subarray(40_000)), 'the bytes differ');
    assert.equal(server.requests[2].range, 'bytes=50000-99999');
  } finally {
    await server.close();
  }
});

test('a download whose object changed while resuming fails with PreconditionFailed, never mixing two objects', async () => {
  const bytes = randomBytes(50_000);
  let etag = '"v1"';
  const requests = [];
  const server = await listen((req, res, n) => {
    req.resume();
    requests.push(req.headers['if-match']);
    if (n === 0) {
      res.writeHead(200, { etag, 'content-length': String(bytes.length) });
      res.write(bytes.subarray(0, 10_000));
      etag = '"v2"'; // overwritten meanwhile
      return setTimeout(() => res.socket.destroy(), 20);
    }
    res.writeHead(412, { 'content-type': 'application/xml' });
    res.end('<Error><Code>PreconditionFailed</Code><Message>m</Message></Error>');
  });
  try {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: server.endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const object = await s3.getObject({ bucket: 'bucket', key: 'k' });
    const e = await object.bytes().then(() => null, (error) => error);
    assert.ok(e instanceof S3Error, `ended with ${e}`);
    assert.deepEqual([e.kind, e.code, e.status], ['service', 'PreconditionFailed', 412]);
    assert.deepEqual(requests, [undefined, '"v1"']);
  } finally {
    await server.close();
  }
});

test('a server that answers the resuming GET with the whole object (ignoring Range) gets a network S3Error, never repeated bytes', async () => {
  const bytes = randomBytes(50_000);
  const server = await listen((req, res, n) => {
    req.resume();
    res.writeHead(200, { etag: '"v1"', 'content-length': String(bytes.length) });
    if (n > 0) return res.end(bytes);
    res.write(bytes.subarray(0, 10_000));
    setTimeout(() => res.socket.destroy(), 20);
  });
  try {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: server.endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const object = await s3.getObject({ bucket: 'bucket', key: 'k' });
    const e = await object.bytes().then(() => null, (error) => error);
    assert.ok(e instanceof S3Error, `ended with ${e}`);
    assert.equal(e.kind, 'network');
    assert.match(e.message, /did not resume it from byte 10000/);
  } finally {
    await server.close();
  }
});

test('with retry: false a cut-off download is not resumed and fails with a network S3Error', async () => {
  const server = await objectServer(randomBytes(50_000), [1000]);
  try {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: server.endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, retry: false });
    const object = await s3.getObject({ bucket: 'bucket', key: 'k' });
    const e = await object.bytes().then(() => null, (error) => error);
    assert.ok(e instanceof S3Error, `ended with ${e}`);
    assert.deepEqual([e.kind, e.retryable], ['network', true]);
    assert.match(e.message, /cut off/);
    assert.equal(server.requests.length, 1);
  } finally {
    await server.close();
  }
});

test('a 503 SlowDown with Retry-After: 1 is retried after at least a second, re-signed with a later x-amz-date; S3Error.attempts counts a failure that stays', async () => {
  const dates = [];
  const server = await listen((req, res, n) => {
    req.resume();
    dates.push({ at: Date.now(), amzDate: req.headers['x-amz-date'] });
    if (n === 0 || n >= 2) {
      res.writeHead(503, { 'retry-after': '1', 'content-type': 'application/xml' });
      return res.end('<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>');
    }
    res.writeHead(200, { etag: '"e"' });
    res.end();
  });
  try {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: server.endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    await s3.putObject({ bucket: 'bucket', key: 'k', body: 'x' });
    assert.equal(dates.length, 2);
    assert.ok(dates[1].at - dates[0].at >= 1000, `retried after ${dates[1].at - dates[0].at} ms`);
    assert.notEqual(dates[1].amzDate, dates[0].amzDate, 'the retry was signed again');
    const quick = new S3Client({ region: 'us-east-1', endpoint: server.endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 10 } });
    const e = await failure(quick.putObject({ bucket: 'bucket', key: 'k', body: 'x' }));
    assert.deepEqual([e.code, e.status, e.attempts], ['SlowDown', 503, 2]);
  } finally {
    await server.close();
  }
});

test('a ReadableStream body is not retried (the first attempt consumed it) and the error says why', async () => {
  let requests = 0;
  const server = await listen((req, res) => {
    requests += 1;
    req.resume();
    req.on('end', () => {
      res.writeHead(500, { 'content-type': 'application/xml' });
      res.end('<Error><Code>InternalError</Code><Message>m</Message></Error>');
    });
  });
  try {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: server.endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const body = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('streamed')); c.close(); } });
    const e = await failure(s3.putObject({ bucket: 'bucket', key: 'k', body, contentLength: 8 }));
    assert.deepEqual([e.code, e.attempts], ['InternalError', 1]);
    assert.match(e.message, /not retried: its body was a stream/);
    assert.equal(requests, 1);
  } finally {
    await server.close();
  }
});

test('signal aborted while waiting to retry rejects with kind aborted before the next attempt', async () => {
  let requests = 0;
  const server = await listen((req, res) => {
    requests += 1;
    req.resume();
    res.writeHead(503, { 'retry-after': '5', 'content-type': 'application/xml' });
    res.end('<Error><Code>SlowDown</Code><Message>m</Message></Error>');
  });
  try {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: server.endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 200);
    const e = await failure(s3.headObject({ bucket: 'bucket', key: 'k', signal: controller.signal }));
    assert.equal(e.kind, 'aborted');
    assert.ok(Date.now() - started < 3000, 'the wait was cut short');
    assert.equal(requests, 1);
  } finally {
    await server.close();
  }
});

test('region redirects are followed: a 400 AuthorizationHeaderMalformed naming eu-west-1 in its body, and a HEAD naming it in x-amz-bucket-region; with followRegionRedirects: false the error names the region', async () => {
  const regions = [];
  const server = await listen((req, res) => {
    req.resume();
    const region = /Credential=[^/]+\/\d+\/([^/]+)\//.exec(req.headers.authorization ?? '')?.[1];
    regions.push(`${req.method} ${region}`);
    if (region === 'eu-west-1') {
      res.writeHead(req.method === 'DELETE' ? 204 : 200);
      return res.end();
    }
    res.writeHead(400, { 'content-type': 'application/xml', 'x-amz-bucket-region': req.method === 'HEAD' ? 'eu-west-1' : '' });
    res.end('<Error><Code>AuthorizationHeaderMalformed</Code><Message>the region is wrong</Message><Region>eu-west-1</Region></Error>');
  });
  try {
    const options = { region: 'us-east-1', endpoint: server.endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } };
    await new S3Client(options).deleteObject({ bucket: 'bucket', key: 'k' });
    await new S3Client(options).headBucket({ bucket: 'bucket' });
    assert.deepEqual(regions, ['DELETE us-east-1', 'DELETE eu-west-1', 'HEAD us-east-1', 'HEAD eu-west-1']);
    const e = await failure(new S3Client({ ...options, followRegionRedirects: false }).deleteObject({ bucket: 'bucket', key: 'k' }));
    assert.deepEqual([e.code, e.region, e.attempts], ['AuthorizationHeaderMalformed', 'eu-west-1', 1]);
  } finally {
    await server.close();
  }
});

// ---- the soak --------------------------------------------------------------------------------

const OPERATIONS = Number(process.env.SOAK_OPERATIONS ?? 400);

test(`soak: ${OPERATIONS} mixed operations through a proxy injecting faults into 10% of requests (s3s-fs): each succeeds or fails typed, every object reads back as written, no completion takes effect twice, retries wait and are re-signed`, { timeout: 600_000 }, async () => {
  const proxy = await startFaultProxy(s3sFs.endpoint, { rate: 0.1, seed: Number(process.env.SOAK_SEED ?? 7) });
  const s3 = new S3Client({ region: 'us-east-1', endpoint: proxy.endpoint, credentials: keysOf(s3sFs), retry: { maxAttempts: 4 } });
  const direct = new S3Client({ region: 'us-east-1', endpoint: s3sFs.endpoint, credentials: keysOf(s3sFs) });
  const bucket = bucketName('soak');
  await direct.createBucket({ bucket });
  // What each key holds, as far as the client knows: bytes, or `undefined` after a write whose
  // outcome is unknown (it failed after being sent).
  const model = new Map();
  const outcomes = { ok: 0, failed: {}, examples: [] };
  let current = '';
  const typed = (e) => {
    assert.ok(e instanceof S3Error, `not an S3Error: ${e?.stack ?? e}`);
    assert.ok(['service', 'network', 'timeout'].includes(e.kind), `${e.kind}: ${e.message}`);
    outcomes.failed[e.kind] = (outcomes.failed[e.kind] ?? 0) + 1;
    outcomes.examples.push(`${current}: ${e.code} after ${e.attempts} attempts: ${e.message}`.slice(0, 200));
  };
  const keys = Array.from({ length: 24 }, (_, i) => `soak/key-${i}`);
  // Consecutive operations mostly touch the same few keys, so reads find what was written.
  const pick = (i) => keys[Math.floor(i / 3) % keys.length];
  const known = (key) => model.has(key) && model.get(key) !== undefined;
  let completions = 0;

  const operations = [
    async (i) => { // put
      const key = pick(i);
      const bytes = randomBytes(1 + ((i * 131) % 20_000));
      try {
        await s3.putObject({ bucket, key, body: bytes });
        model.set(key, bytes);
      } catch (e) { typed(e); model.set(key, undefined); throw e; }
    },
    async (i) => { // get, whole or a range
      const key = pick(i);
      if (!known(key)) return;
      const bytes = model.get(key);
      const start = i % 3 === 0 ? (i * 17) % bytes.length : 0;
      const object = await s3.getObject({ bucket, key, ...(start ? { range: { start } } : {}) }).catch((e) => { typed(e); throw e; });
      const read = Buffer.from(await object.bytes().catch((e) => { typed(e); throw e; }));
      assert.ok(read.equals(bytes.subarray(start)), `${key} from ${start}: read back other bytes`);
    },
    async (i) => { // head
      const key = pick(i);
      if (!known(key)) return;
      const info = await s3.headObject({ bucket, key }).catch((e) => { typed(e); throw e; });
      assert.equal(info.contentLength, model.get(key).length, `${key}: size`);
    },
    async () => { // list
      const page = await s3.listObjects({ bucket, prefix: 'soak/' }).catch((e) => { typed(e); throw e; });
      const listed = new Set((page.contents ?? []).map((o) => o.key));
      for (const [key, bytes] of model) if (bytes !== undefined) assert.ok(listed.has(key), `${key} not listed`);
    },
    async (i) => { // copy
      const from = pick(i), to = pick(i + 1);
      if (!known(from)) return;
      try {
        await s3.copyObject({ bucket, key: to, sourceBucket: bucket, sourceKey: from });
        model.set(to, model.get(from));
      } catch (e) { typed(e); model.set(to, undefined); throw e; }
    },
    async (i) => { // delete
      const key = pick(i);
      try {
        await s3.deleteObject({ bucket, key });
        model.delete(key);
      } catch (e) { typed(e); model.set(key, undefined); throw e; }
    },
    async (i) => { // multipart: two parts, completed
      const key = `soak/multipart-${i}`;
      const parts = [randomBytes(5 << 20), randomBytes(1000 + i)];
      try {
        const { uploadId } = await s3.createMultipartUpload({ bucket, key });
        const etags = [];
        for (const [n, body] of parts.entries()) etags.push((await s3.uploadPart({ bucket, key, uploadId, partNumber: n + 1, body })).etag);
        const done = await s3.completeMultipartUpload({ bucket, key, uploadId, parts: etags.map((etag, n) => ({ partNumber: n + 1, etag })) });
        completions += 1;
        const head = await direct.headObject({ bucket, key });
        assert.equal(done.etag, head.etag, `${key}: the completion's ETag is the object's`);
        model.set(key, Buffer.concat(parts));
      } catch (e) { if (e instanceof assert.AssertionError) throw e; typed(e); model.set(key, undefined); throw e; }
    },
  ];
  const weights = [5, 6, 3, 2, 2, 2, 1];
  const schedule = weights.flatMap((w, op) => Array(w).fill(op));
  let next = 0;
  const worker = async () => {
    while (next < OPERATIONS) {
      const i = next++;
      try {
        current = ['put', 'get', 'head', 'list', 'copy', 'delete', 'multipart'][schedule[(i * 31) % schedule.length]];
        await operations[schedule[(i * 31) % schedule.length]](i);
        outcomes.ok += 1;
      } catch (e) {
        if (e instanceof assert.AssertionError) throw e;
      }
    }
  };
  // Operations share keys, so they run one at a time (concurrent calls are tested elsewhere).
  try {
    await worker();
  } finally {
    await proxy.close();
  }

  // Every object the client believes written reads back (directly, without faults) as written.
  for (const [key, bytes] of model) {
    if (bytes === undefined) continue;
    const read = Buffer.from(await (await direct.getObject({ bucket, key })).bytes());
    assert.ok(read.equals(bytes), `${key}: the stored bytes are not the written ones`);
  }
  // Faults were injected, retried after a wait, and re-signed.
  const injected = {};
  for (const entry of proxy.log) if (entry.fault !== 'none') injected[entry.fault] = (injected[entry.fault] ?? 0) + 1;
  assert.ok(Object.keys(injected).length >= Math.min(FAULTS.length, Math.floor(OPERATIONS / 80)), `faults injected: ${JSON.stringify(injected)}`);
  const slowDowns = proxy.log.flatMap((entry, i) => (entry.fault === 'slow-down' ? [[entry, proxy.log[i + 1]]] : []));
  for (const [first, retry] of slowDowns) {
    if (!retry || retry.url !== first.url || retry.method !== first.method) continue;
    assert.ok(retry.at - first.at >= 1000, `a retry after Retry-After: 1 came ${retry.at - first.at} ms later`);
    assert.notEqual(retry.amzDate, first.amzDate, 'the retry was not signed again');
  }
  const failures = Object.values(outcomes.failed).reduce((a, b) => a + b, 0);
  console.log(`# soak: ${OPERATIONS} operations, ${outcomes.ok} ok, failures by kind ${JSON.stringify(outcomes.failed)}, `
    + `${proxy.log.length} requests, faults injected ${JSON.stringify(injected)}, ${completions} multipart completions, `
    + `${[...model.values()].filter((b) => b !== undefined).length} objects verified`);
  assert.ok(failures <= Math.max(2, OPERATIONS / 100), `${failures} operations failed despite retries: ${outcomes.examples.join('; ')}`);
  if (process.env.SOAK_DEBUG) console.log(outcomes.examples.join('\n'));
  assert.ok(completions > 0, 'no multipart upload completed');
});

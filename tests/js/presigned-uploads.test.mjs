// The server half of presigned multipart uploads in Node (livery-s3/presigned-uploads): the
// server signs within its policy, a key-less fetch PUTs the parts as a browser would, the
// server completes. s3s-fs checks every presigned signature; moto shows an oversized upload
// was aborted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { S3Client, S3Error, PresignedUploads } from '../../pkg/index.node.js';
import { uploadByPresignedParts, S3Error as PartsError } from '../../pkg/presigned-parts.js';
import { startServer, bucketName, ACCESS_KEY, SECRET_KEY } from '../../scripts/local-s3.mjs';

let s3sFs;
let moto;
before(async () => {
  const started = await Promise.allSettled([startServer('s3s-fs'), startServer('moto')]);
  [s3sFs, moto] = started.map((s) => s.value);
  for (const s of started) if (s.status === 'rejected') throw s.reason;
});
after(async () => {
  await Promise.all([s3sFs?.stop(), moto?.stop()]);
});

const MIB = 1 << 20;
const client = (server) => new S3Client({ region: 'us-east-1', endpoint: server.endpoint,
  credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY } });
const policy = (bucket, maxSize) => ({ bucket, keyPrefix: 'uploads/user-42/', maxSize, partSize: 5 * MIB });

test('a key-less client PUTs parts to presigned URLs and the server completes (s3s-fs checks the signatures)', async () => {
  const s3 = client(s3sFs);
  const bucket = bucketName('presigned');
  await s3.createBucket({ bucket });
  const uploads = new PresignedUploads(s3, policy(bucket, 20 * MIB));
  const data = new Uint8Array(11 * MIB).map((_, i) => i % 247);
  const key = 'uploads/user-42/clip.bin';
  const started = await uploads.start({ key, size: data.length, contentType: 'application/x-clip' });
  assert.equal(started.partUrls.length, 3);
  // Each URL signs its part's length: s3s-fs, which checks signatures, refuses another (a
  // short body: s3s-fs answers before reading, and a long one would meet a closed connection).
  const shorter = await fetch(started.partUrls[2], { method: 'PUT', body: new Uint8Array(10) });
  assert.equal(shorter.status, 403, await shorter.text());
  const parts = [];
  for (const [i, url] of started.partUrls.entries()) {
    const answer = await fetch(url, { method: 'PUT', body: data.subarray(i * started.partSize, (i + 1) * started.partSize) });
    assert.equal(answer.status, 200, await answer.text());
    parts.push({ partNumber: i + 1, etag: answer.headers.get('etag') });
  }
  // What S3 has, in order: what a browser resuming after a reload would skip.
  assert.deepEqual((await uploads.parts({ key, uploadId: started.uploadId })).map((p) => [p.partNumber, p.size]),
    [[1, 5 * MIB], [2, 5 * MIB], [3, MIB]]);
  await uploads.complete({ key, uploadId: started.uploadId, parts });
  const object = await s3.getObject({ bucket, key });
  assert.deepEqual(new Uint8Array(await object.arrayBuffer()), data);
});

test('an upload over the policy size is aborted, and nothing outside the policy is signed', async () => {
  const s3 = client(moto);
  const bucket = bucketName('oversize');
  await s3.createBucket({ bucket });
  const uploads = new PresignedUploads(s3, policy(bucket, 6 * MIB));
  const key = 'uploads/user-42/big.bin';
  const started = await uploads.start({ key, size: 6 * MIB });
  for (const url of started.partUrls) {
    assert.equal((await fetch(url, { method: 'PUT', body: new Uint8Array(5 * MIB) })).status, 200);
  }
  await assert.rejects(uploads.complete({ key, uploadId: started.uploadId }), { kind: 'validation', message: /aborted/ });
  assert.deepEqual((await s3.listMultipartUploads({ bucket })).uploads ?? [], []);

  await assert.rejects(uploads.start({ key: 'uploads/user-7/x', size: 1 }), { kind: 'validation', message: /outside/ });
  await assert.rejects(uploads.start({ key: 'uploads/user-42/x', size: 7 * MIB }), { kind: 'validation' });
  // Part 3 of an upload of 6 MiB (two parts), and any part of an upload over the limit.
  await assert.rejects(uploads.partUrl({ key, uploadId: 'u', partNumber: 3, size: 6 * MIB }), { kind: 'validation', message: /outside an upload of 6291456 bytes/ });
  await assert.rejects(uploads.partUrl({ key, uploadId: 'u', partNumber: 1, size: 6 * MIB + 1 }), { kind: 'validation' });
  await assert.rejects(uploads.partUrl({ key, uploadId: 'u', partNumber: 1 }), { kind: 'validation', message: /size must be/ });
  await assert.rejects(uploads.abort({ key: 'elsewhere', uploadId: 'u' }), { kind: 'validation' });
  await assert.rejects(uploads.complete({ key, uploadId: 'u', parts: 'not a list' }), { kind: 'validation', message: /parts must be an array/ });
  assert.throws(() => new PresignedUploads(s3, { bucket, maxSize: 1, partSize: MIB }), { kind: 'validation' });
});

/** The page's side of the server API, as a page's fetch to its server would call it (here the
 * server half runs in-process); `log` records each call. */
function serverApi(uploads, log, key) {
  return {
    start: async ({ size }) => {
      log.push('start');
      return uploads.start({ key, size, contentType: 'application/x-clip' });
    },
    partUrl: async ({ key: k, uploadId, partNumber, size }) => {
      log.push(`partUrl ${partNumber}`);
      return uploads.partUrl({ key: k, uploadId, partNumber, size });
    },
    parts: async (which) => {
      log.push('parts');
      return uploads.parts(which);
    },
    complete: async (done) => {
      log.push('complete');
      return uploads.complete(done);
    },
    abort: async (which) => {
      log.push('abort');
      return uploads.abort(which);
    },
  };
}

test('a completed object over the policy size is deleted (its own version, in a versioned bucket), even when the listing said the parts were small (moto: no signed length holds a PUT)', async () => {
  // A listing that understates the sizes, on a server that checks no presigned signature (so
  // a part's signed length does not stop a longer PUT): what a server that lists no sizes and
  // checks little amounts to.
  const understating = async (url, init) => {
    const answer = await fetch(url, init);
    if (init?.method !== 'GET' || !new URL(url).searchParams.has('uploadId')) return answer;
    const xml = (await answer.text()).replace(/<Size>\d+<\/Size>/g, '<Size>1</Size>');
    return new Response(xml, { status: answer.status, headers: { 'content-type': 'application/xml' } });
  };
  const s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, fetch: understating,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY } });
  const bucket = bucketName('understated');
  await s3.createBucket({ bucket });
  // Versioned, with an earlier version of the key: the completion's own version is the one
  // measured and deleted, and the earlier one stays current, with no delete marker over it.
  await s3.putBucketVersioning({ bucket, status: 'Enabled' });
  const uploads = new PresignedUploads(s3, policy(bucket, 6 * MIB));
  const key = 'uploads/user-42/grown.bin';
  const earlier = await s3.putObject({ bucket, key, body: 'the earlier version' });
  const started = await uploads.start({ key, size: 5 * MIB });
  // Part 2 of an upload said to be 6 MiB: signed for 1 MiB, sent 5.
  const part2 = await uploads.partUrl({ key, uploadId: started.uploadId, partNumber: 2, size: 6 * MIB });
  const parts = [];
  for (const [i, url] of [started.partUrls[0], part2].entries()) {
    const answer = await fetch(url, { method: 'PUT', body: new Uint8Array(5 * MIB) });
    assert.equal(answer.status, 200);
    parts.push({ partNumber: i + 1, etag: answer.headers.get('etag') });
  }
  await assert.rejects(uploads.complete({ key, uploadId: started.uploadId, parts }),
    { kind: 'validation', message: /10485760 bytes, over the upload policy's 6291456: it was deleted/ });
  const current = await s3.headObject({ bucket, key });
  assert.equal(current.contentLength, 'the earlier version'.length);
  const versions = await s3.listObjectVersions({ bucket, prefix: key });
  assert.deepEqual((versions.versions ?? []).map((v) => v.versionId), [earlier.versionId]);
  assert.deepEqual(versions.deleteMarkers ?? [], []);
});

test('presigned parts: URLs from start() that expired before use are signed again by partUrl() and the upload completes (s3s-fs checks expiry)', async () => {
  const s3 = client(s3sFs);
  const bucket = bucketName('parts-expired');
  await s3.createBucket({ bucket });
  // start()'s URLs live 1 s; those partUrl() signs later live long enough for a loaded machine.
  const shortLived = new PresignedUploads(s3, { ...policy(bucket, 20 * MIB), expiresIn: 1 });
  const uploads = new PresignedUploads(s3, policy(bucket, 20 * MIB));
  const key = 'uploads/user-42/slow.bin';
  const log = [];
  const api = { ...serverApi(uploads, log, key), start: serverApi(shortLived, log, key).start };
  const data = new Uint8Array(6 * MIB).map((_, i) => i % 239);
  const result = await uploadByPresignedParts({ body: new Blob([data]), ...api, concurrency: 1,
    start: async (request) => {
      const started = await api.start(request);
      // The page is slow to begin: every URL start() gave has expired.
      await new Promise((resolve) => setTimeout(resolve, 2100));
      return started;
    } });
  assert.ok(result.etag);
  assert.deepEqual(log, ['start', 'partUrl 1', 'partUrl 2', 'complete']);
  assert.deepEqual(new Uint8Array(await (await s3.getObject({ bucket, key })).arrayBuffer()), data);
});

test('an upload policy is refused when it would allow more than it says: an unknown option, a prefix that is no folder, an expiry over 7 days', () => {
  const s3 = client(s3sFs);
  for (const [bad, message] of [
    [{ bucket: 'b', keyprefix: 'users/u/', maxSize: 1 }, /unknown option keyprefix/],
    [{ bucket: 'b', keyPrefix: 'users/4', maxSize: 1 }, /keyPrefix must end with "\/"/],
    [{ bucket: 'b', maxSize: 1, expiresIn: 604801 }, /expiresIn must be 1 s to 7 days/],
    [{ bucket: 'b', maxSize: 2 ** 53 - 1 }, /beyond S3's largest object/],
  ]) {
    assert.throws(() => new PresignedUploads(s3, bad), (e) => e.kind === 'validation' && message.test(e.message), JSON.stringify(bad));
  }
});

test('the browser half (livery-s3/presigned-parts, no wasm) uploads through presigned part URLs (s3s-fs checks them)', async () => {
  const s3 = client(s3sFs);
  const bucket = bucketName('parts');
  await s3.createBucket({ bucket });
  const uploads = new PresignedUploads(s3, policy(bucket, 20 * MIB));
  const data = new Uint8Array(11 * MIB + 5).map((_, i) => (i * 7) % 251);
  const log = [];
  const progress = [];
  const checkpoints = [];
  const result = await uploadByPresignedParts({ body: new Blob([data]), concurrency: 2,
    ...serverApi(uploads, log, 'uploads/user-42/page.bin'),
    onProgress: (p) => progress.push(p.loaded), onCheckpoint: (c) => checkpoints.push(c) });
  assert.deepEqual(log, ['start', 'complete'], 'start signed every part URL');
  assert.deepEqual(result.parts.map((p) => p.partNumber), [1, 2, 3]);
  assert.equal(progress.at(-1), data.length);
  assert.deepEqual(checkpoints.at(-1).parts.map((p) => p.size), [5 * MIB, 5 * MIB, MIB + 5]);
  assert.equal(checkpoints.at(-1).key, 'uploads/user-42/page.bin');
  const object = await s3.getObject({ bucket, key: 'uploads/user-42/page.bin' });
  assert.equal(object.contentType, 'application/x-clip');
  assert.deepEqual(new Uint8Array(await object.arrayBuffer()), data);
});

test('presigned parts: a page that died after one part resumes from its checkpoint; only the rest is signed and sent', async () => {
  const s3 = client(s3sFs);
  const bucket = bucketName('parts-resume');
  await s3.createBucket({ bucket });
  const uploads = new PresignedUploads(s3, policy(bucket, 20 * MIB));
  const data = new Uint8Array(12 * MIB).map((_, i) => (i * 13) % 241);
  const key = 'uploads/user-42/resumed.bin';
  const api = serverApi(uploads, [], key);
  // The first page: part 1 reaches S3, then the network is gone (parts 2 and 3 are signed for
  // a port where nothing listens) and the page dies before it can abort anything.
  let checkpoint;
  const died = await uploadByPresignedParts({ body: new Blob([data]), concurrency: 1, maxAttempts: 1,
    start: async (request) => ({ ...(await api.start(request)), partUrls: undefined }),
    partUrl: async (request) => (request.partNumber === 1 ? api.partUrl(request) : 'http://127.0.0.1:9/gone'),
    complete: api.complete, abort: async () => {}, onCheckpoint: (c) => { checkpoint = JSON.parse(JSON.stringify(c)); },
  }).then(() => 'finished', (e) => e.kind);
  assert.equal(died, 'network');
  assert.deepEqual(checkpoint.parts.map((p) => p.partNumber), [1]);

  // Another file under the same name (another size) is refused, never stitched into this upload.
  const other = await uploadByPresignedParts({ body: new Blob([data.subarray(1)]), resume: checkpoint, ...serverApi(uploads, [], key) })
    .catch((e) => e);
  assert.equal(other.kind, 'validation');
  assert.match(other.message, /checkpoint of another upload/);

  const log = [];
  const result = await uploadByPresignedParts({ body: new Blob([data]), resume: checkpoint, ...serverApi(uploads, log, key) });
  assert.deepEqual(log.sort(), ['complete', 'partUrl 2', 'partUrl 3', 'parts']);
  assert.equal(result.uploadId, checkpoint.uploadId);
  assert.deepEqual(new Uint8Array(await (await s3.getObject({ bucket, key })).arrayBuffer()), data);
});

test('presigned parts: cancelled while start() runs, the upload rejects as aborted and the started upload is aborted once, with no part URL asked for; so is one whose stream is the wrong length', async () => {
  const s3 = client(s3sFs);
  const bucket = bucketName('parts-cancel');
  await s3.createBucket({ bucket });
  const uploads = new PresignedUploads(s3, policy(bucket, 20 * MIB));
  const log = [];
  const api = serverApi(uploads, log, 'uploads/user-42/cancelled.bin');
  const cancel = new AbortController();
  const err = await uploadByPresignedParts({ body: new Blob([new Uint8Array(11 * MIB)]), ...api, signal: cancel.signal,
    start: async (request) => {
      const started = await api.start(request);
      cancel.abort();
      return started;
    } }).catch((e) => e);
  assert.equal(err.kind, 'aborted');
  assert.deepEqual(log, ['start', 'abort']);

  // A stream that ends short of its contentLength fails in upload() itself.
  log.length = 0;
  const short = new ReadableStream({ start(c) { c.enqueue(new Uint8Array(6 * MIB)); c.close(); } });
  const wrong = await uploadByPresignedParts({ body: short, contentLength: 11 * MIB, ...api }).catch((e) => e);
  assert.equal(wrong.kind, 'validation');
  assert.deepEqual(log, ['start', 'abort']);
});

test('presigned parts: a refused part fails with S3\'s code and the upload is aborted; object fields are the server\'s', async () => {
  const s3 = client(s3sFs);
  const bucket = bucketName('parts-refused');
  await s3.createBucket({ bucket });
  const uploads = new PresignedUploads(s3, policy(bucket, 20 * MIB));
  const log = [];
  const api = serverApi(uploads, log, 'uploads/user-42/tampered.bin');
  // A small part: s3s-fs refuses a bad signature before reading the body, and a large body
  // still being sent would then meet a closed connection instead of the answer.
  const err = await uploadByPresignedParts({ body: new Uint8Array(100_000), ...api,
    partUrl: undefined,
    start: async (request) => {
      const started = await api.start(request);
      return { ...started, partUrls: started.partUrls.map((url) => url.replace(/(X-Amz-Signature=)(.)/, (_, name, c) => name + (c === '0' ? '1' : '0'))) };
    } }).catch((e) => e);
  assert.equal(err.code, 'SignatureDoesNotMatch');
  assert.equal(err.status, 403);
  // Each entry bundles S3Error; instanceof accepts either's errors, and nothing else.
  assert.ok(err instanceof S3Error && err instanceof PartsError);
  const fromClient = await s3.headObject({ bucket, key: 'missing' }).catch((e) => e);
  assert.ok(fromClient instanceof PartsError && fromClient instanceof S3Error);
  assert.ok(!(new Error('plain') instanceof S3Error));
  assert.deepEqual(log, ['start', 'abort']);

  const refused = await uploadByPresignedParts({ body: 'x', ...api, contentType: 'text/plain' }).catch((e) => e);
  assert.equal(refused.kind, 'validation');
  assert.match(refused.message, /contentType is not an option here/);
  assert.deepEqual(log, ['start', 'abort'], 'nothing asked of the server');
});

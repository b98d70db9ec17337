// The package's managed upload (`upload()`, issue 16) against real servers: s3s-fs checks
// every signature; moto lists multipart uploads and their parts' ETags (s3s-fs cannot), so a
// test can see that none was left behind; Garage dates them (for abortIncompleteUploads).
// Faults are injected by wrapping fetch around the real server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { S3Client } from '../../pkg/index.node.js';
import { startServer, bucketName } from '../../scripts/local-s3.mjs';
import { failure } from './helpers.mjs';

const MIB = 2 ** 20;
const PART = 5 * MIB;

let s3sFs;
let moto;
let garage;
before(async () => {
  const started = await Promise.allSettled([startServer('s3s-fs'), startServer('moto'), startServer('garage')]);
  [s3sFs, moto, garage] = started.map((s) => s.value);
  for (const s of started) if (s.status === 'rejected') throw s.reason;
});
after(async () => {
  await Promise.all([s3sFs?.stop(), moto?.stop(), garage?.stop()]);
});

const client = (server, fetch) => new S3Client({ region: 'us-east-1', endpoint: server.endpoint, fetch,
  credentials: { accessKeyId: server.accessKey, secretAccessKey: server.secretKey }, retry: { baseDelayMs: 1 } });

async function bucketOn(s3, prefix) {
  const bucket = bucketName(prefix);
  await s3.createBucket({ bucket });
  return bucket;
}

/** Bytes that differ at every offset of a part, so a part sent twice or out of place shows. */
const data = (size) => {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >>> 13)) & 255;
  return bytes;
};
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** SHA-256 of an object, read as it streams. */
async function streamedHash(s3, bucket, key) {
  const hash = createHash('sha256');
  for await (const chunk of (await s3.getObject({ bucket, key })).body) hash.update(chunk);
  return hash.digest('hex');
}

/** A stream of `bytes` in chunks of odd sizes (so parts never line up with chunks). */
const streamOf = (bytes, chunk = 1_000_003) => {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, (at += chunk)));
    },
  });
};

/** The multipart uploads still open in a bucket (moto). */
const openUploads = async (s3, bucket) => (await s3.listMultipartUploads({ bucket })).uploads ?? [];

/** fetch wrapped to count each operation's requests (by method and query) and change answers. */
function watched(change = (request, answer) => answer) {
  const seen = [];
  const fetch = async (url, init) => {
    const u = new URL(url);
    const kind = `${init.method} ${[...u.searchParams.keys()].sort().join('&')}`;
    seen.push({ kind, partNumber: +u.searchParams.get('partNumber') || undefined });
    return change({ kind, url: u, init }, await globalThis.fetch(url, init));
  };
  return { fetch, seen, count: (kind) => seen.filter((s) => s.kind === kind).length };
}

const SIZES = [0, 1, PART, PART + 1, 3 * PART + 17];
const BODIES = {
  Blob: (bytes) => ({ body: new Blob([bytes]) }),
  ArrayBuffer: (bytes) => ({ body: bytes.slice().buffer }),
  'ReadableStream of known length': (bytes) => ({ body: streamOf(bytes), contentLength: bytes.length }),
  'ReadableStream of unknown length': (bytes) => ({ body: streamOf(bytes) }),
};

for (const [kind, make] of Object.entries(BODIES)) {
  test(`upload round trips ${SIZES.join(', ')} bytes from a ${kind} (one PUT up to partSize, parts above; s3s-fs)`, async () => {
    const watch = watched();
    const s3 = client(s3sFs, watch.fetch);
    const bucket = await bucketOn(s3, 'upload');
    for (const size of SIZES) {
      const bytes = data(size);
      const key = `round/${size}.bin`;
      const progress = [];
      const before = watch.seen.length;
      const result = await s3.upload({ bucket, key, ...make(bytes), partSize: PART, contentType: 'application/x-test',
        onProgress: (p) => progress.push(p) });
      const kinds = watch.seen.slice(before).map((s) => s.kind);
      const parts = Math.ceil(size / PART);
      if (parts <= 1) {
        assert.deepEqual(kinds, ['PUT '], `${size} bytes go as one PUT`);
        assert.equal(result.uploadId, undefined);
      } else {
        assert.deepEqual(kinds, ['POST uploads', ...Array(parts).fill('PUT partNumber&uploadId'), 'POST uploadId']);
        assert.deepEqual(result.parts.map((p) => [p.partNumber, p.size]),
          Array.from({ length: parts }, (_, i) => [i + 1, Math.min(PART, size - i * PART)]));
      }
      assert.ok(result.etag, 'an ETag');
      assert.equal(progress.at(-1).loaded, size);
      assert.equal(progress.at(-1).total, kind.endsWith('unknown length') ? undefined : size);
      for (let i = 1; i < progress.length; i++) assert.ok(progress[i].loaded > progress[i - 1].loaded);
      assert.equal(await streamedHash(s3, bucket, key), sha256(bytes), `${size} bytes`);
      assert.equal((await s3.headObject({ bucket, key })).contentType, 'application/x-test');
    }
  });
}

test('a multipart upload sends at most `concurrency` parts at once', async () => {
  let inFlight = 0;
  let most = 0;
  const s3 = client(s3sFs, async (url, init) => {
    const part = new URL(url).searchParams.has('partNumber');
    if (part) most = Math.max(most, ++inFlight);
    try {
      return await fetch(url, init);
    } finally {
      if (part) inFlight--;
    }
  });
  const bucket = await bucketOn(s3, 'concurrency');
  const bytes = data(6 * PART);
  await s3.upload({ bucket, key: 'k', body: bytes, partSize: PART, concurrency: 2 });
  assert.equal(most, 2);
  assert.equal(await streamedHash(s3, bucket, 'k'), sha256(bytes));
});

test('aborting the signal mid-upload rejects with kind "aborted" and leaves no multipart upload (moto)', async () => {
  const s3 = client(moto);
  const bucket = await bucketOn(s3, 'abort');
  const controller = new AbortController();
  const err = await failure(s3.upload({ bucket, key: 'k', body: new Blob([data(4 * PART)]), partSize: PART,
    concurrency: 1, signal: controller.signal, onProgress: () => controller.abort() }));
  assert.equal(err.kind, 'aborted');
  assert.deepEqual(await openUploads(s3, bucket), []);
  await assert.rejects(s3.headObject({ bucket, key: 'k' }), { code: 'NotFound' });
});

test('a part that fails for good aborts the multipart upload: none is left, nothing is stored (moto)', async () => {
  const watch = watched((request, answer) => (request.url.searchParams.get('partNumber') === '3'
    ? new Response('<Error><Code>AccessDenied</Code><Message>no</Message></Error>', { status: 403 }) : answer));
  const s3 = client(moto, watch.fetch);
  const bucket = await bucketOn(s3, 'fail');
  const err = await failure(s3.upload({ bucket, key: 'k', body: data(4 * PART), partSize: PART }));
  assert.equal(err.code, 'AccessDenied');
  // Sent, at least once: under the load of the whole suite the first was once seen retried.
  assert.ok(watch.count('DELETE uploadId') >= 1, 'AbortMultipartUpload sent');
  assert.deepEqual(await openUploads(s3, bucket), []);
});

test('an ETag hidden from the answer (CORS without ExposeHeaders: ETag) fails at once, naming the rule, and aborts', async () => {
  const watch = watched((request, answer) => {
    if (!request.url.searchParams.has('partNumber')) return answer;
    const headers = new Headers(answer.headers);
    headers.delete('etag');
    return new Response(answer.body, { status: answer.status, headers });
  });
  const s3 = client(moto, watch.fetch);
  const bucket = await bucketOn(s3, 'etag');
  const err = await failure(s3.upload({ bucket, key: 'k', body: data(2 * PART + 1), partSize: PART, concurrency: 1 }));
  assert.equal(err.code, 'MissingETag');
  assert.match(err.message, /ExposeHeaders: ETag/);
  assert.equal(watch.count('PUT partNumber&uploadId'), 1, 'no part after the first without an ETag');
  assert.equal(watch.count('POST uploadId'), 0, 'never completed');
  assert.deepEqual(await openUploads(s3, bucket), []);
});

test('resume: a checkpoint from an upload that died continues it; confirmed parts are not sent again (moto)', async () => {
  // The "page" dies after two parts: from then on its fetch fails, the abort included.
  let dead = false;
  const dying = client(moto, async (url, init) => {
    if (dead) throw new TypeError('fetch failed: the page is gone');
    return fetch(url, init);
  });
  const bucket = await bucketOn(dying, 'resume');
  const bytes = data(4 * PART + 3);
  let checkpoint;
  await failure(dying.upload({ bucket, key: 'big', body: new Blob([bytes]), partSize: PART, concurrency: 1,
    onCheckpoint: (c) => {
      checkpoint = JSON.parse(JSON.stringify(c));
      if (c.parts.length === 2) dead = true;
    } }));
  assert.deepEqual(checkpoint.parts.map((p) => p.partNumber), [1, 2]);
  assert.equal(checkpoint.size, bytes.length);

  const watch = watched();
  const s3 = client(moto, watch.fetch);
  const progress = [];
  const result = await s3.upload({ bucket, key: 'big', body: new Blob([bytes]), resume: checkpoint,
    onProgress: (p) => progress.push(p.loaded) });
  assert.deepEqual(watch.seen.filter((s) => s.partNumber).map((s) => s.partNumber).sort(), [3, 4, 5]);
  assert.equal(result.uploadId, checkpoint.uploadId);
  assert.equal(progress.at(-1), bytes.length);
  assert.equal(await streamedHash(s3, bucket, 'big'), sha256(bytes));
});

test('resume: a part S3 lists with another ETag than the checkpoint\'s was replaced since, and is sent again (moto)', async () => {
  // The page dies after two parts: from then on its fetch fails, the abort included.
  let dead = false;
  const dying = client(moto, async (url, init) => {
    if (dead) throw new TypeError('fetch failed: the page is gone');
    return fetch(url, init);
  });
  const s3 = client(moto);
  const bucket = await bucketOn(s3, 'replaced');
  const bytes = data(2 * PART + 3);
  let checkpoint;
  const counts = [];
  await failure(dying.upload({ bucket, key: 'k', body: new Blob([bytes]), partSize: PART, concurrency: 1,
    onCheckpoint: (c) => {
      checkpoint = JSON.parse(JSON.stringify(c));
      counts.push(c.parts.length);
      if (c.parts.length === 2) dead = true;
    } }));
  assert.deepEqual(counts, [0, 1, 2], 'a first checkpoint as soon as the upload exists');
  assert.deepEqual(checkpoint.parts.map((p) => p.partNumber), [1, 2]);
  // Another run sends another part 1 of the same size into the same upload.
  const other = data(PART).reverse();
  await s3.uploadPart({ bucket, key: 'k', uploadId: checkpoint.uploadId, partNumber: 1, body: other });

  const watch = watched();
  const resumed = client(moto, watch.fetch);
  await resumed.upload({ bucket, key: 'k', body: new Blob([bytes]), resume: checkpoint });
  assert.deepEqual(watch.seen.filter((s) => s.partNumber).map((s) => s.partNumber).sort(), [1, 3]);
  assert.equal(await streamedHash(s3, bucket, 'k'), sha256(bytes), 'the object is this body, not the other run\'s part');
});

test('a signal aborted before upload() is called sends nothing, reads nothing of a stream and rejects with kind "aborted"', async () => {
  const watch = watched();
  const s3 = client(s3sFs, watch.fetch);
  const bucket = await bucketOn(s3, 'preaborted');
  const before = watch.seen.length;
  let pulls = 0;
  const counted = new ReadableStream({ pull: (c) => c.enqueue(data(++pulls && MIB)) }, { highWaterMark: 0 });
  for (const body of [data(10), new Blob([data(3 * PART)]), counted]) {
    const err = await failure(s3.upload({ bucket, key: 'k', body, partSize: PART, signal: AbortSignal.abort() }));
    assert.equal(err.kind, 'aborted');
  }
  assert.equal(watch.seen.length, before, 'no request');
  assert.equal(pulls, 0, 'the stream was read');
});

test('a checkpoint of another key, part size or body size is refused before any request', async () => {
  const watch = watched();
  const s3 = client(s3sFs, watch.fetch);
  const checkpoint = { bucket: 'b', key: 'k', uploadId: 'u', partSize: PART, size: 2 * PART, parts: [] };
  const body = new Uint8Array(2 * PART);
  for (const resume of [{ ...checkpoint, key: 'other' }, { ...checkpoint, partSize: 6 * MIB }, { ...checkpoint, size: 1 }]) {
    const err = await failure(s3.upload({ bucket: 'b', key: 'k', body, resume }));
    assert.equal(err.kind, 'validation');
  }
  assert.equal(watch.seen.length, 0);
});

test('bad options are validation errors before any request', async () => {
  const watch = watched();
  const s3 = client(s3sFs, watch.fetch);
  const cases = [
    [{ partSize: MIB }, /partSize/],
    [{ partSize: 6 * 2 ** 30 }, /partSize/],
    [{ concurrency: 0 }, /concurrency/],
    [{ onProgress: 'yes' }, /onProgress/],
    [{ body: 42 }, /body must be/],
    [{ contentLength: -1 }, /contentLength/],
  ];
  for (const [options, message] of cases) {
    const err = await failure(s3.upload({ bucket: 'b', key: 'k', body: 'x', ...options }));
    assert.equal(err.kind, 'validation');
    assert.match(err.message, message);
  }
  assert.equal(watch.seen.length, 0);
});

test('a stream shorter than its contentLength fails and aborts; nothing is stored (moto)', async () => {
  const s3 = client(moto);
  const bucket = await bucketOn(s3, 'short');
  const err = await failure(s3.upload({ bucket, key: 'k', body: streamOf(data(2 * PART)), contentLength: 3 * PART,
    partSize: PART }));
  assert.equal(err.kind, 'validation');
  assert.match(err.message, /contentLength/);
  assert.deepEqual(await openUploads(s3, bucket), []);
  await assert.rejects(s3.headObject({ bucket, key: 'k' }), { code: 'NotFound' });
});

test('ifNoneMatch: "*" is checked by the single PUT and by the multipart completion (s3s-fs)', async () => {
  const s3 = client(s3sFs);
  const bucket = await bucketOn(s3, 'ifnonematch');
  await s3.putObject({ bucket, key: 'taken', body: 'first' });
  for (const size of [10, 2 * PART]) {
    const err = await failure(s3.upload({ bucket, key: 'taken', body: data(size), partSize: PART, ifNoneMatch: '*' }));
    assert.equal(err.code, 'PreconditionFailed', `${size} bytes`);
  }
  assert.equal(await (await s3.getObject({ bucket, key: 'taken' })).text(), 'first');
  await s3.upload({ bucket, key: 'free', body: data(2 * PART), partSize: PART, ifNoneMatch: '*' });
});

test('abortIncompleteUploads aborts the uploads under a prefix started before olderThan (Garage)', async () => {
  const s3 = client(garage);
  const bucket = await bucketOn(s3, 'stale');
  const a = await s3.createMultipartUpload({ bucket, key: 'tmp/a' });
  await s3.createMultipartUpload({ bucket, key: 'tmp/b' });
  const kept = await s3.createMultipartUpload({ bucket, key: 'keep/c' });
  assert.deepEqual(await s3.abortIncompleteUploads({ bucket, prefix: 'tmp/', olderThan: 3_600_000 }), []);
  const aborted = await s3.abortIncompleteUploads({ bucket, prefix: 'tmp/' });
  assert.deepEqual(aborted.map((u) => u.key).sort(), ['tmp/a', 'tmp/b']);
  assert.ok(aborted.some((u) => u.uploadId === a.uploadId));
  assert.deepEqual((await openUploads(s3, bucket)).map((u) => u.uploadId), [kept.uploadId]);
});

test('a stream that gives more than its contentLength, even at a part boundary, or chunks that are not bytes, is refused', async () => {
  const s3 = client(moto);
  const bucket = await bucketOn(s3, 'longer');
  // One byte past a contentLength of exactly one part: never a PUT of the first part alone.
  const longer = await failure(s3.upload({ bucket, key: 'k', body: streamOf(data(PART + 1)), contentLength: PART, partSize: PART }));
  assert.match(longer.message, /contentLength/);
  const strings = new ReadableStream({ start(c) { c.enqueue('text, not bytes'); c.close(); } });
  const notBytes = await failure(s3.upload({ bucket, key: 'k', body: strings }));
  assert.match(notBytes.message, /Uint8Array chunks/);
  const blob = await failure(s3.upload({ bucket, key: 'k', body: new Blob(['abc']), contentLength: 4 }));
  assert.match(blob.message, /contentLength is not the body's size/);
  await assert.rejects(s3.headObject({ bucket, key: 'k' }), { code: 'NotFound' });
  assert.deepEqual(await openUploads(s3, bucket), []);
});

test('an abort while every part waits on a stalled stream ends the upload at once, aborts it and cancels the stream', async () => {
  const s3 = client(moto);
  const bucket = await bucketOn(s3, 'stalled');
  let cancelled;
  let sent = 0;
  // Two parts' worth, then nothing: the stream never ends.
  const stalled = new ReadableStream({
    pull(c) {
      if (sent < 2 * PART) {
        c.enqueue(new Uint8Array(MIB));
        sent += MIB;
      } else {
        return new Promise(() => {});
      }
    },
    cancel(reason) { cancelled = reason ?? 'cancelled'; },
  }, { highWaterMark: 0 });
  const controller = new AbortController();
  const parts = [];
  const pending = s3.upload({ bucket, key: 'k', body: stalled, partSize: PART, signal: controller.signal,
    onProgress: (p) => parts.push(p.loaded) });
  while (parts.length < 1) await new Promise((resume) => setTimeout(resume, 20));
  controller.abort();
  const err = await failure(pending);
  assert.equal(err.kind, 'aborted');
  assert.ok(cancelled, 'the stream was cancelled');
  assert.deepEqual(await openUploads(s3, bucket), []);
});

test('resume refuses object fields (they were set when the upload started) and abortIncompleteUploads refuses unknown options', async () => {
  const watch = watched();
  const s3 = client(s3sFs, watch.fetch);
  const resume = { bucket: 'bkt', key: 'k', uploadId: 'u', partSize: PART, size: 2 * PART, parts: [] };
  const fields = await failure(s3.upload({ bucket: 'bkt', key: 'k', body: new Uint8Array(2 * PART), resume, contentType: 'text/plain' }));
  assert.match(fields.message, /resume takes no object fields: contentType/);
  const typo = await failure(s3.abortIncompleteUploads({ bucket: 'bkt', olderThanMs: 1000 }));
  assert.match(typo.message, /unknown option: olderThanMs/);
  assert.equal(watch.seen.length, 0);
});

test('a signal that is not an AbortSignal is a validation error, before any request', async () => {
  const watch = watched();
  const s3 = client(s3sFs, watch.fetch);
  const err = await failure(s3.upload({ bucket: 'bkt', key: 'k', body: 'x', signal: 'stop' }));
  assert.match(err.message, /signal must be an AbortSignal/);
  assert.equal(watch.seen.length, 0);
});

test('a ListParts or ListMultipartUploads that answers a page it had again fails instead of listing forever', { timeout: 30_000 }, async () => {
  const page = (root, inner) => new Response(`<${root}><IsTruncated>true</IsTruncated>${inner}</${root}>`,
    { status: 200, headers: { 'content-type': 'application/xml' } });
  let partPages = 0;
  let uploadPages = 0;
  // ListParts moves on twice (markers 1, 2), then answers marker 2 again; ListMultipartUploads
  // moves on to (a, 1), then (b, 2), then comes back to (a, 1): a cycle.
  const watch = watched(({ url, init }, answer) => {
    if (init.method !== 'GET') return answer;
    if (url.searchParams.has('uploadId')) {
      const next = Math.min(++partPages, 2);
      return page('ListPartsResult', `<NextPartNumberMarker>${next}</NextPartNumberMarker>` +
        `<Part><PartNumber>${next}</PartNumber><ETag>"e${next}"</ETag><Size>5242880</Size></Part>`);
    }
    if (url.searchParams.has('uploads')) {
      const [key, id] = uploadPages++ % 2 ? ['b', '2'] : ['a', '1'];
      return page('ListMultipartUploadsResult', `<NextKeyMarker>${key}</NextKeyMarker><NextUploadIdMarker>${id}</NextUploadIdMarker>`);
    }
    return answer;
  });
  const s3 = client(s3sFs, watch.fetch);
  const bucket = await bucketOn(s3, 'stuck');
  const { uploadId } = await s3.createMultipartUpload({ bucket, key: 'k' });
  const resume = { bucket, key: 'k', uploadId, partSize: PART, size: 3 * PART, parts: [] };
  const listing = await failure(s3.upload({ bucket, key: 'k', body: new Uint8Array(3 * PART), partSize: PART, resume }));
  assert.equal(listing.code, 'InvalidResponse', listing.message);
  assert.equal(listing.status, 200);
  assert.match(listing.message, /a page repeats/);
  assert.equal(partPages, 3, 'two pages that moved on, then the repeat');
  assert.equal(watch.count('PUT partNumber&uploadId'), 0, 'no part was sent');
  assert.equal(watch.count('DELETE uploadId'), 1, 'the resumed upload was aborted, as any failed one is');
  const cleanup = await failure(s3.abortIncompleteUploads({ bucket }));
  assert.equal(cleanup.code, 'InvalidResponse', cleanup.message);
  assert.equal(uploadPages, 3, 'pages (a, 1), (b, 2), then (a, 1) again');
});

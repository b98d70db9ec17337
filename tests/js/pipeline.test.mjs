// The request pipeline through the npm package in Node: cancellation (signal, timeoutMs), the
// fetch-compatible transport (duck-typed Responses, bodies passed through untouched, streamed
// answers), how answers are classified (200 with <Error>, oversized XML, a failed fetch),
// options that are refused rather than ignored, close(), date bounds, signer-owned headers,
// presigning any operation, and many concurrent calls on one client.
//
// Fetch doubles stand in where no real server can produce the situation; a tiny node:http
// server on 127.0.0.1:0 where what happens on the wire matters; s3s-fs (which verifies every
// signature) where a real store is needed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { S3Client, S3Error } from '../../pkg/index.node.js';
import { failure, listen } from './helpers.mjs';
import { startServer, bucketName, ACCESS_KEY, SECRET_KEY } from '../../scripts/local-s3.mjs';

const KEYS = { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY };
const KIB = 1 << 10;
const MIB = 1 << 20;
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

let s3sFs;
before(async () => {
  s3sFs = await startServer('s3s-fs');
});
after(async () => {
  await s3sFs?.stop();
});

/** A client whose requests go only through `fetch` (the endpoint is never reached otherwise). */
function clientWith(fetch, options = {}) {
  return new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: KEYS, fetch, ...options });
}

/** A fetch double that records each call (url, init) and answers with `respond(url, init)`. */
function fetchDouble(respond = () => new Response(null, { status: 200 })) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url: String(url), init });
    return respond(url, init);
  };
  return { fetch, calls };
}

/** The S3Error a synchronous call throws. */
function thrown(call) {
  try {
    call();
  } catch (e) {
    assert.ok(e instanceof S3Error, `not an S3Error: ${e?.stack ?? e}`);
    return e;
  }
  assert.fail('expected an S3Error to be thrown');
}

/** Rejects when `promise` has not settled within `ms` (so a hang fails instead of stalling). */
function within(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** `count` chunks of `size` bytes, each produced by a `pull`, counted in `source.pulls`. */
function countedStream(count, size, chunk = (i) => new Uint8Array(size).fill(i & 255)) {
  const source = { pulls: 0, delivered: 0, cancelled: false };
  source.stream = new ReadableStream({
    pull(controller) {
      source.pulls += 1;
      if (source.delivered === count) {
        controller.close();
        return;
      }
      controller.enqueue(chunk(source.delivered));
      source.delivered += 1;
    },
    cancel() {
      source.cancelled = true;
    },
  });
  return source;
}

const encode = (text) => new TextEncoder().encode(text);

// ---- signal and timeoutMs ------------------------------------------------------------------

test('signal aborted before the call: rejects with kind aborted and fetch is never called', async () => {
  const { fetch, calls } = fetchDouble();
  const s3 = clientWith(fetch);
  const e = await failure(s3.getObject({ bucket: 'bucket', key: 'k', signal: AbortSignal.abort() }));
  assert.deepEqual([e.kind, e.code, e.retryable], ['aborted', 'AbortError', false]);
  assert.equal(calls.length, 0);
  // The same call without the aborted signal does reach fetch.
  await s3.headObject({ bucket: 'bucket', key: 'k' });
  assert.equal(calls.length, 1);
});

test('signal aborted while the request is in flight: rejects with kind aborted and the server sees the connection closed', async () => {
  let received;
  const requestArrived = new Promise((done) => { received = done; });
  let connectionClosed;
  const closed = new Promise((done) => { connectionClosed = done; });
  // Reads the request and never answers.
  const server = await listen((req) => {
    req.resume();
    req.socket.on('close', connectionClosed);
    received(req);
  });
  try {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: server.endpoint, credentials: KEYS });
    const controller = new AbortController();
    const call = s3.getObject({ bucket: 'bucket', key: 'k', signal: controller.signal });
    const req = await within(requestArrived, 5000, 'the request reaching the server');
    assert.equal(req.url, '/bucket/k');
    await sleep(50);
    controller.abort();
    const e = await within(failure(call), 5000, 'the call rejecting after abort()');
    assert.deepEqual([e.kind, e.code, e.retryable], ['aborted', 'AbortError', false]);
    await within(closed, 5000, 'the server seeing the connection closed');
  } finally {
    await server.close();
  }
});

test('timeoutMs: 200 against a server that never answers rejects with kind timeout in under 5 s (one attempt)', async () => {
  let requests = 0;
  const server = await listen((req) => {
    requests += 1;
    req.resume();
  });
  try {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: server.endpoint, credentials: KEYS, timeoutMs: 200, retry: false });
    const started = performance.now();
    const e = await within(failure(s3.listBuckets()), 10_000, 'the timeout');
    const elapsed = performance.now() - started;
    assert.deepEqual([e.kind, e.code], ['timeout', 'TimeoutError']);
    assert.equal(e.retryable, true);
    assert.ok(elapsed < 5000, `took ${elapsed} ms`);
    assert.ok(elapsed >= 180, `timed out after ${elapsed} ms, before the 200 ms deadline`);
    assert.equal(requests, 1, 'the request did reach the server');
  } finally {
    await server.close();
  }
});

test('timeoutMs: 200 also covers an XML answer whose body stalls after the status and headers (listObjects rejects with kind timeout)', async () => {
  const server = await listen((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/xml' });
    res.write('<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult><Name>bucket</Name>'); // and no more
  });
  try {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: server.endpoint, credentials: KEYS, timeoutMs: 200 });
    const started = performance.now();
    const e = await within(failure(s3.listObjects({ bucket: 'bucket' })), 10_000, 'the timeout');
    assert.deepEqual([e.kind, e.code], ['timeout', 'TimeoutError']);
    assert.ok(performance.now() - started < 5000);
  } finally {
    await server.close();
  }
});

test('timeoutMs is for each piece of an XML answer: spaces for longer than it (S3 keeping a long completion alive), then the document, are read', async () => {
  const server = await listen(async (req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/xml' });
    for (let i = 0; i < 8; i++) {
      res.write(' ');
      await sleep(100);
    }
    res.end('<CompleteMultipartUploadResult><Key>k</Key><ETag>"e-2"</ETag></CompleteMultipartUploadResult>');
  });
  try {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: server.endpoint, credentials: KEYS, timeoutMs: 400 });
    const done = await s3.completeMultipartUpload({ bucket: 'bucket', key: 'k', uploadId: 'u', parts: [{ partNumber: 1, etag: '"a"' }] });
    assert.equal(done.etag, '"e-2"');
  } finally {
    await server.close();
  }
});

test('timeoutMs: 300 also covers an object body that stalls mid-stream: the read rejects with kind timeout and the download is closed', async () => {
  let closed;
  const connectionClosed = new Promise((done) => { closed = done; });
  const server = await listen((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '1000000' });
    res.write('first bytes');
    res.on('close', closed);
  });
  try {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: server.endpoint, credentials: KEYS, timeoutMs: 300 });
    const object = await within(s3.getObject({ bucket: 'bucket', key: 'k' }), 5000, 'getObject');
    const reader = object.body.getReader();
    const first = await within(reader.read(), 5000, 'the first bytes');
    assert.equal(new TextDecoder().decode(first.value), 'first bytes');
    const started = performance.now();
    const e = await within(reader.read().then(() => null, (error) => error), 5000, 'the stalled read');
    assert.ok(e instanceof S3Error, `the stalled read ended with ${e}`);
    assert.deepEqual([e.kind, e.code, e.retryable], ['timeout', 'TimeoutError', true]);
    assert.ok(performance.now() - started < 4000);
    await within(connectionClosed, 5000, 'the server to see the download closed');
  } finally {
    await server.close();
  }
});

test('an XML answer cut off mid-body (the connection closes early) rejects as a retryable network error that says so', async () => {
  const server = await listen((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/xml', 'content-length': '100000' });
    res.write('<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult><Name>bucket</Name>');
    setTimeout(() => res.socket.destroy(), 20);
  });
  try {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: server.endpoint, credentials: KEYS });
    const e = await within(failure(s3.listObjects({ bucket: 'bucket' })), 10_000, 'the cut-off body');
    assert.deepEqual([e.kind, e.retryable], ['network', true], e.message);
    assert.match(e.message, /cut off/);
  } finally {
    await server.close();
  }
});

test('signal aborted after getObject resolved errors the body stream being read with an S3Error of kind aborted and closes the connection', async () => {
  let connectionClosed;
  const closed = new Promise((done) => { connectionClosed = done; });
  // The first 1000 of 1 000 000 bytes, then nothing.
  const server = await listen((req, res) => {
    req.resume();
    req.socket.on('close', connectionClosed);
    res.writeHead(200, { 'content-length': '1000000' });
    res.write(Buffer.alloc(1000, 7));
  });
  try {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: server.endpoint, credentials: KEYS });
    const controller = new AbortController();
    const object = await within(s3.getObject({ bucket: 'bucket', key: 'k', signal: controller.signal }), 5000, 'getObject');
    const reader = object.body.getReader();
    const first = await within(reader.read(), 5000, 'the first chunk');
    assert.equal(first.value.length, 1000);
    const next = reader.read();
    next.catch(() => {});
    await sleep(50);
    controller.abort();
    await assert.rejects(within(next, 5000, 'the read after abort()'),
      (e) => e instanceof S3Error && e.kind === 'aborted' && e.code === 'AbortError');
    await within(closed, 5000, 'the server seeing the connection closed');
  } finally {
    await server.close();
  }
});

test('one signal shared by many getObject calls keeps no listener once their bodies are read or cancelled', async () => {
  const { getEventListeners } = await import('node:events');
  const { fetch } = fetchDouble(() => new Response('0123456789', { headers: { 'content-length': '10', etag: '"e"' } }));
  const s3 = clientWith(fetch);
  const controller = new AbortController();
  for (let i = 0; i < 20; i++) {
    const object = await s3.getObject({ bucket: 'bucket', key: 'k', signal: controller.signal });
    if (i % 2) assert.equal(await object.text(), '0123456789');
    else await object.body.cancel();
  }
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
});

test('a timeoutMs of 2^31 ms or more waits, instead of firing at once as setTimeout would', async () => {
  const { fetch } = fetchDouble(async () => {
    await sleep(30);
    return new Response(null, { status: 200 });
  });
  const s3 = clientWith(fetch, { timeoutMs: 2 ** 31 + 5 });
  await s3.headBucket({ bucket: 'bucket' });
});

test('an object stored gzip-encoded (fetch decodes it: fewer bytes than its Content-Length) reads whole, and is not resumed (s3s-fs)', async () => {
  const { gzipSync } = await import('node:zlib');
  const s3 = new S3Client({ region: 'us-east-1', endpoint: s3sFs.endpoint, credentials: KEYS });
  const bucket = bucketName('gzip');
  await s3.createBucket({ bucket });
  // Ten bytes that gzip makes thirty: the decoded body is shorter than what is stored.
  const stored = gzipSync('0123456789');
  assert.ok(stored.length > 10);
  await s3.putObject({ bucket, key: 'z', body: stored, contentEncoding: 'gzip' });
  const object = await s3.getObject({ bucket, key: 'z' });
  assert.equal(object.contentLength, stored.length);
  assert.equal(await object.text(), '0123456789');
});

test('a body cancelled while a read waits sends no ranged GET for the rest', async () => {
  let gets = 0;
  const { fetch } = fetchDouble(() => {
    gets += 1;
    let sent = false;
    const body = new ReadableStream({
      pull(controller) {
        if (!sent) {
          sent = true;
          controller.enqueue(new Uint8Array(10));
        }
        // …then nothing, until cancelled.
      },
    });
    return new Response(body, { headers: { 'content-length': '1000', etag: '"e"' } });
  });
  const object = await clientWith(fetch).getObject({ bucket: 'bucket', key: 'k' });
  const reader = object.body.getReader();
  await reader.read();
  const waiting = reader.read();
  await sleep(20);
  await reader.cancel();
  await waiting.catch(() => {});
  await sleep(50);
  assert.equal(gets, 1);
});

test('a resumed answer that runs past the first answer\'s last byte is refused, not passed on', async () => {
  let calls = 0;
  const { fetch } = fetchDouble((url, init) => {
    calls += 1;
    if (calls === 1) {
      // Bytes 0-99 asked for; 50 arrive, then the connection is cut.
      const body = new ReadableStream({
        pull(controller) {
          if (controller.sent) return controller.error(new TypeError('terminated'));
          controller.sent = true;
          controller.enqueue(new Uint8Array(50).fill(1));
        },
      });
      return new Response(body, { status: 206, headers: { 'content-length': '100', 'content-range': 'bytes 0-99/1000', etag: '"e"' } });
    }
    assert.equal(new Headers(init.headers).get('range'), 'bytes=50-99');
    return new Response(new Uint8Array(950), { status: 206, headers: { 'content-length': '950', 'content-range': 'bytes 50-999/1000', etag: '"e"' } });
  });
  const object = await clientWith(fetch).getObject({ bucket: 'bucket', key: 'k', range: { start: 0, end: 99 } });
  const e = await object.bytes().then(() => undefined, (error) => error);
  assert.ok(e instanceof S3Error, `not an S3Error: ${e}`);
  assert.equal(e.kind, 'network');
  assert.match(e.message, /did not resume it from byte 50/);
});

// ---- the fetch-compatible transport ----------------------------------------------------------

test('plain-object answers of a fetch double (not Response instances; headers as Headers or a Map): headObject, putObject, getObject (whose body reads the double\'s stream) and listObjects read their declared fields', async () => {
  const plain = (status, headers, body = new ReadableStream({ start: (c) => c.close() })) => ({ status, type: 'basic', headers, body });
  const objectBody = new ReadableStream({
    start(controller) {
      controller.enqueue(encode('plain '));
      controller.enqueue(encode('object'));
      controller.close();
    },
  });
  const listing = '<?xml version="1.0" encoding="UTF-8"?>\n'
    + '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>bucket</Name><Prefix>p/</Prefix>'
    + '<KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated><NextContinuationToken>next+token</NextContinuationToken>'
    + '<Contents><Key>p/a</Key><LastModified>2024-01-02T03:04:05.000Z</LastModified><ETag>"ea"</ETag><Size>10</Size><StorageClass>STANDARD</StorageClass></Contents>'
    + '<Contents><Key>p/b b</Key><LastModified>2024-01-02T03:04:06.000Z</LastModified><ETag>"eb"</ETag><Size>20</Size><StorageClass>STANDARD</StorageClass></Contents>'
    + '</ListBucketResult>';
  const answers = {
    HEAD: () => plain(200, new Map([
      ['content-length', '1234'], ['content-type', 'text/plain'], ['etag', '"e1"'],
      ['last-modified', 'Wed, 21 Oct 2015 07:28:00 GMT'], ['x-amz-meta-colour', 'blue'], ['x-amz-version-id', 'v1'],
    ])),
    PUT: () => plain(200, new Headers({ etag: '"e2"', 'x-amz-version-id': 'v2' })),
    GET: (url) => (new URL(url).searchParams.get('list-type') === '2'
      ? plain(200, new Headers({ 'content-type': 'application/xml' }), new ReadableStream({
        start(controller) {
          // In two pieces, split inside an element.
          const bytes = encode(listing);
          controller.enqueue(bytes.subarray(0, 200));
          controller.enqueue(bytes.subarray(200));
          controller.close();
        },
      }))
      : plain(200, new Map([['content-length', '12'], ['content-type', 'text/plain'], ['etag', '"e3"']]), objectBody)),
  };
  const { fetch, calls } = fetchDouble((url, init) => answers[init.method](url));
  const s3 = clientWith(fetch);

  const head = await s3.headObject({ bucket: 'bucket', key: 'k' });
  assert.equal(head.contentLength, 1234);
  assert.equal(head.contentType, 'text/plain');
  assert.equal(head.etag, '"e1"');
  assert.equal(head.lastModified.getTime(), Date.parse('2015-10-21T07:28:00Z'));
  assert.deepEqual(head.metadata, { colour: 'blue' });
  assert.equal(head.versionId, 'v1');

  assert.deepEqual(await s3.putObject({ bucket: 'bucket', key: 'k', body: 'x' }), { etag: '"e2"', versionId: 'v2' });

  const object = await s3.getObject({ bucket: 'bucket', key: 'k' });
  assert.deepEqual([object.status, object.contentLength, object.etag], [200, 12, '"e3"']);
  assert.ok(object.body instanceof ReadableStream);
  assert.equal(objectBody.locked, true, 'the double\'s body stream is what the object body reads');
  assert.equal(await object.text(), 'plain object');

  const page = await s3.listObjects({ bucket: 'bucket', prefix: 'p/', maxKeys: 2 });
  assert.equal(page.isTruncated, true);
  assert.equal(page.nextContinuationToken, 'next+token');
  assert.deepEqual(page.contents.map((o) => [o.key, o.size, o.etag, o.lastModified.toISOString()]), [
    ['p/a', 10, '"ea"', '2024-01-02T03:04:05.000Z'],
    ['p/b b', 20, '"eb"', '2024-01-02T03:04:06.000Z'],
  ]);
  assert.deepEqual(calls.map((c) => c.init.method), ['HEAD', 'PUT', 'GET', 'GET']);
});

test('a plain-object answer with an error status is read as a service error (code and request id from its body stream)', async () => {
  const { fetch } = fetchDouble(() => ({
    status: 404,
    type: 'basic',
    headers: new Map([['content-type', 'application/xml']]),
    body: new ReadableStream({
      start(controller) {
        controller.enqueue(encode('<Error><Code>NoSuchKey</Code><Message>gone</Message><RequestId>r404</RequestId></Error>'));
        controller.close();
      },
    }),
  }));
  const e = await failure(clientWith(fetch).getObject({ bucket: 'bucket', key: 'k' }));
  assert.deepEqual([e.kind, e.code, e.status, e.requestId], ['service', 'NoSuchKey', 404, 'r404']);
});

test('a Blob body reaches fetch as the same Blob (identity) and is never read by the client', async () => {
  let reads = 0;
  class WatchedBlob extends Blob {
    slice(...args) { reads += 1; return super.slice(...args); }
    arrayBuffer() { reads += 1; return super.arrayBuffer(); }
    stream() { reads += 1; return super.stream(); }
    text() { reads += 1; return super.text(); }
    bytes() { reads += 1; return super.bytes(); }
  }
  const blob = new WatchedBlob([new Uint8Array(3 * MIB).fill(7)], { type: 'application/x-test' });
  const { fetch, calls } = fetchDouble(() => new Response(null, { status: 200, headers: { etag: '"b"' } }));
  const result = await clientWith(fetch).putObject({ bucket: 'bucket', key: 'blob', body: blob });
  assert.equal(result.etag, '"b"');
  assert.equal(calls.length, 1);
  assert.equal(calls[0].init.method, 'PUT');
  assert.equal(calls[0].init.body, blob, 'init.body is not the Blob given');
  assert.equal(reads, 0, 'the client read the Blob');
  assert.equal(calls[0].init.headers['x-amz-content-sha256'], 'UNSIGNED-PAYLOAD');
});

test('a ReadableStream body reaches fetch as the same stream (identity), unread, with duplex: "half"', async () => {
  const stream = new ReadableStream({
    start(controller) {
      controller.enqueue(encode('streamed body'));
      controller.close();
    },
  });
  const { fetch, calls } = fetchDouble(() => new Response(null, { status: 200, headers: { etag: '"s"' } }));
  await clientWith(fetch).putObject({ bucket: 'bucket', key: 'stream', body: stream, contentLength: 13 });
  assert.equal(calls.length, 1);
  assert.equal(calls[0].init.body, stream, 'init.body is not the stream given');
  assert.equal(calls[0].init.duplex, 'half');
  assert.equal(calls[0].init.headers['content-length'], '13');
  assert.match(calls[0].init.headers.authorization, /SignedHeaders=content-length;/);
  assert.equal(stream.locked, false, 'the client took a reader of the stream');
  assert.equal(calls[0].init.headers['x-amz-content-sha256'], 'UNSIGNED-PAYLOAD');
});

test('getObject resolves before its body is read: a 100-chunk body has been pulled only a few times, then reads whole', async () => {
  const CHUNK = 64 * KIB;
  const chunk = (i) => new Uint8Array(CHUNK).map((_, j) => (i * 31 + j) & 255);
  const source = countedStream(100, CHUNK, chunk);
  const { fetch } = fetchDouble(() => new Response(source.stream, {
    status: 200, headers: { 'content-length': String(100 * CHUNK), etag: '"big"' },
  }));
  const object = await clientWith(fetch).getObject({ bucket: 'bucket', key: 'big' });
  assert.equal(object.contentLength, 100 * CHUNK);
  assert.ok(source.pulls <= 3, `${source.pulls} pulls before the body was read`);
  await sleep(50);
  assert.ok(source.pulls <= 3, `${source.pulls} pulls while nobody read the body`);

  const bytes = await object.bytes();
  assert.equal(bytes.length, 100 * CHUNK);
  for (let i = 0; i < 100; i++) {
    assert.ok(Buffer.from(bytes.subarray(i * CHUNK, (i + 1) * CHUNK)).equals(Buffer.from(chunk(i))), `chunk ${i} differs`);
  }
  assert.equal(source.delivered, 100);
});

// ---- classifying answers -----------------------------------------------------------------

test('completeMultipartUpload answered 200 with an <Error> document (InternalError) is retried, then rejects as that service error (status 200, request id r1) after three attempts', async () => {
  const seen = [];
  const server = await listen((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, body });
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code>'
        + '<Message>We encountered an internal error. Please try again.</Message><RequestId>r1</RequestId></Error>');
    });
  });
  try {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: server.endpoint, credentials: KEYS, retry: { baseDelayMs: 1 } });
    const e = await failure(s3.completeMultipartUpload({
      bucket: 'bucket', key: 'k', uploadId: 'up1', parts: [{ partNumber: 1, etag: '"p1"' }],
    }));
    assert.deepEqual([e.kind, e.code, e.status, e.requestId], ['service', 'InternalError', 200, 'r1']);
    assert.match(e.message, /We encountered an internal error/);
    assert.equal(seen.length, 3);
    assert.equal(e.attempts, 3, 'three requests were sent');
    assert.equal(seen[0].method, 'POST');
    assert.equal(new URL(seen[0].url, 'http://x').searchParams.get('uploadId'), 'up1');
    assert.match(seen[0].body, /<PartNumber>1<\/PartNumber>/);
  } finally {
    await server.close();
  }
});

test('completeMultipartUpload answered 200, then keep-alive whitespace, then an <Error> document rejects as a service error', async () => {
  // S3 sends the 200 at once and whitespace while it works, so the error comes after both.
  const server = await listen(async (req, res) => {
    req.resume();
    await new Promise((done) => req.on('end', done));
    res.writeHead(200, { 'content-type': 'application/xml' });
    res.write('\n');
    await sleep(20);
    res.write('  \n');
    await sleep(20);
    res.end('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code>'
      + '<Message>We encountered an internal error. Please try again.</Message><RequestId>r2</RequestId></Error>');
  });
  try {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: server.endpoint, credentials: KEYS });
    const e = await failure(s3.completeMultipartUpload({
      bucket: 'bucket', key: 'k', uploadId: 'up1', parts: [{ partNumber: 1, etag: '"p1"' }],
    }));
    assert.deepEqual([e.kind, e.code, e.status, e.requestId], ['service', 'InternalError', 200, 'r2']);
  } finally {
    await server.close();
  }
});

test('listObjects answered with a 17 MiB XML body rejects with ResponseTooLarge after reading about 16 MiB, and cancels the body', async () => {
  const CHUNK = 64 * KIB;
  // A valid listing: the same document small is read fine (below), so size alone is refused.
  const listing = (size) => {
    const head = encode('<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult><Name>bucket</Name><IsTruncated>false</IsTruncated>');
    const tail = encode('</ListBucketResult>');
    const entry = encode('<Contents><Key>k</Key><Size>1</Size></Contents>');
    const bytes = new Uint8Array(size).fill(0x20); // spaces between elements
    bytes.set(head);
    for (let at = head.length; at + entry.length <= size - tail.length; at += entry.length + 1) bytes.set(entry, at);
    bytes.set(tail, size - tail.length);
    return bytes;
  };
  const answerWith = (bytes) => {
    const source = countedStream(Math.ceil(bytes.length / CHUNK), CHUNK, (i) => bytes.subarray(i * CHUNK, (i + 1) * CHUNK));
    return { source, fetch: async () => new Response(source.stream, { status: 200, headers: { 'content-type': 'application/xml' } }) };
  };

  const small = answerWith(listing(256 * KIB));
  const page = await clientWith(small.fetch).listObjects({ bucket: 'bucket' });
  assert.ok(page.contents.length > 1000, `${page.contents.length} entries`);
  assert.equal(page.contents[0].key, 'k');

  const big = answerWith(listing(17 * MIB));
  const chunks = (17 * MIB) / CHUNK;
  const e = await failure(clientWith(big.fetch).listObjects({ bucket: 'bucket' }));
  assert.deepEqual([e.kind, e.code, e.status], ['service', 'ResponseTooLarge', 200]);
  assert.equal(e.retryable, false);
  // The cap is 16 MiB: reading stops at the chunk that passes it.
  assert.ok(big.source.delivered <= (16 * MIB) / CHUNK + 2, `${big.source.delivered} of ${chunks} chunks read`);
  assert.ok(big.source.delivered < chunks);
  assert.equal(big.source.cancelled, true, 'the rest of the body was not cancelled');
});

test('a fetch that rejects with TypeError("fetch failed") in Node is kind network, retryable (and retried: 3 attempts), with no CORS advice', async () => {
  const { fetch, calls } = fetchDouble(() => Promise.reject(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') })));
  const e = await failure(clientWith(fetch, { retry: { baseDelayMs: 1 } }).listBuckets());
  assert.equal(calls.length, 3);
  assert.equal(e.attempts, 3);
  assert.deepEqual([e.kind, e.code, e.retryable], ['network', 'NetworkError', true]);
  assert.match(e.message, /fetch failed/);
  assert.match(e.message, /ECONNREFUSED/, 'the cause is named');
  assert.doesNotMatch(e.message, /CORS/);
});

// ---- many calls on one client ---------------------------------------------------------------

test('64 concurrent putObject then 64 concurrent getObject on one client each get back their own bytes (s3s-fs)', async () => {
  const s3 = new S3Client({ region: 'us-east-1', endpoint: s3sFs.endpoint, credentials: KEYS });
  const bucket = bucketName('concurrent');
  await s3.createBucket({ bucket });
  // Different sizes and contents: a mix-up of bodies or answers shows.
  const bodyOf = (i) => new Uint8Array(1000 + i * 4099).map((_, j) => (i * 131 + j * 7 + (j >> 8)) & 255);
  const indexes = Array.from({ length: 64 }, (_, i) => i);
  const md5 = (bytes) => `"${createHash('md5').update(bytes).digest('hex')}"`;

  const puts = await Promise.all(indexes.map((i) => s3.putObject({ bucket, key: `obj/${i}`, body: bodyOf(i) })));
  puts.forEach((put, i) => assert.equal(put.etag, md5(bodyOf(i)), `etag of put ${i}`));

  const gets = await Promise.all(indexes.map(async (i) => {
    const object = await s3.getObject({ bucket, key: `obj/${i}` });
    return { object, bytes: await object.bytes() };
  }));
  gets.forEach(({ object, bytes }, i) => {
    const want = bodyOf(i);
    assert.equal(object.contentLength, want.length, `contentLength of ${i}`);
    assert.equal(object.etag, md5(want), `etag of get ${i}`);
    assert.ok(Buffer.from(bytes).equals(Buffer.from(want)), `object ${i} came back with other bytes`);
  });
});

// ---- options refused, not ignored ------------------------------------------------------------

test('only the options object\'s own enumerable properties are options, each read once', async () => {
  const { fetch, calls } = fetchDouble();
  const inherited = Object.create({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: KEYS });
  assert.match(thrown(() => new S3Client(inherited)).message, /region is required/);
  const s3 = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: KEYS, fetch });
  let reads = 0;
  const options = Object.defineProperty({ bucket: 'bucket' }, 'key', { get: () => (reads++, 'k'), enumerable: true });
  Object.defineProperty(options, 'versionId', { value: 'hidden', enumerable: false });
  await s3.headObject(options).catch(() => {});
  assert.equal(reads, 1, 'the key getter ran once');
  assert.equal(calls.length, 1);
  assert.ok(!calls[0].url.includes('hidden'), 'a non-enumerable property is no option');
  // A getObject's body is checked (and would be resumed) from the options as first read.
  let modeReads = 0;
  const getOptions = Object.defineProperty({ bucket: 'bucket', key: 'k' }, 'checksumMode',
    { get: () => (modeReads++, 'ENABLED'), enumerable: true });
  const object = await s3.getObject(getOptions);
  assert.equal(await object.text(), '');
  assert.equal(modeReads, 1, 'the checksumMode getter ran once');
});

test('bad circuitBreaker, endpoints, maxConcurrency and retry settings, and an unknown option are refused naming the option', () => {
  const { fetch, calls } = fetchDouble();
  const base = { region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: KEYS, fetch };
  const refused = [
    // The server build (this Node entry) has both; the browser build refuses them (runtimes test).
    ['failureThreshold', { circuitBreaker: { failureThreshold: 0 } }],
    ['failures', { circuitBreaker: { failures: 3 } }],
    ['endpoints', { endpoints: ['http://127.0.0.1:9', 'http://127.0.0.1:10'] }],
    ['endpoints', { endpoint: undefined, endpoints: [] }],
    ['maxConcurrency', { maxConcurrency: 0 }],
    ['maxConcurrency', { maxConcurrency: 2.5 }],
    ['maxConcurrency', { maxConcurrency: '4' }],
    ['regoin', { regoin: 'eu-west-1' }],
    ['maxAttempts', { retry: { maxAttempts: 0 } }],
    ['baseDelayMs', { retry: { baseDelayMs: 30000, maxDelayMs: 1000 } }],
    ['maxAttemps', { retry: { maxAttemps: 2 } }],
    ['retry', { retry: true }],
    ['followRegionRedirects', { followRegionRedirects: 'yes' }],
  ];
  for (const [name, options] of refused) {
    const e = thrown(() => new S3Client({ ...base, ...options }));
    assert.equal(e.kind, 'validation', `${name}: ${e.message}`);
    assert.equal(e.code, 'ValidationError');
    assert.ok(e.message.includes(name), `the message does not name ${name}: ${e.message}`);
  }
  const accepted = [
    {},
    { retry: false },
    { retry: { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 100 } },
    { followRegionRedirects: false },
    { maxConcurrency: 16 },
  ];
  for (const options of accepted) {
    assert.ok(new S3Client({ ...base, ...options }) instanceof S3Client);
  }
  assert.equal(calls.length, 0);
});

test('maxConcurrency: at most that many requests in flight, the rest sent in arrival order', async () => {
  let inFlight = 0;
  let most = 0;
  const order = [];
  const fetch = async (url) => {
    order.push(new URL(url).pathname);
    most = Math.max(most, ++inFlight);
    await new Promise((resolve) => setTimeout(resolve, 15));
    inFlight--;
    return new Response(null, { status: 200, headers: { etag: '"e"' } });
  };
  const s3 = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: KEYS, fetch, maxConcurrency: 2 });
  const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
  await Promise.all(keys.map((key) => s3.headObject({ bucket: 'bkt', key })));
  assert.equal(most, 2);
  assert.deepEqual(order, keys.map((key) => `/bkt/${key}`));
});

test('maxConcurrency: a call aborted while it waits for its turn rejects with kind aborted and is never sent', async () => {
  const sent = [];
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const fetch = async (url) => {
    sent.push(new URL(url).pathname);
    await held;
    return new Response(null, { status: 200 });
  };
  const s3 = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: KEYS, fetch, maxConcurrency: 1 });
  const first = s3.headObject({ bucket: 'bkt', key: 'first' });
  const controller = new AbortController();
  const waiting = s3.headObject({ bucket: 'bkt', key: 'waiting', signal: controller.signal });
  const next = s3.headObject({ bucket: 'bkt', key: 'after' });
  await new Promise((resolve) => setTimeout(resolve, 10));
  controller.abort();
  const e = await waiting.then(() => assert.fail('the aborted call resolved'), (error) => error);
  assert.equal(e.kind, 'aborted', e.message);
  release();
  await Promise.all([first, next]);
  assert.deepEqual(sent, ['/bkt/first', '/bkt/after'], 'the aborted call was sent, or held the turn');
});

test('an unknown operation option (versionID on deleteObject) is refused naming it, with no attempt, and nothing is sent', async () => {
  const { fetch, calls } = fetchDouble(() => new Response(null, { status: 204 }));
  const s3 = clientWith(fetch);
  const e = await failure(s3.deleteObject({ bucket: 'bucket', key: 'k', versionID: 'v1' }));
  assert.equal(e.kind, 'validation');
  assert.match(e.message, /\bversionID\b/);
  assert.equal(e.attempts, 0, 'refused before any attempt');
  assert.equal(calls.length, 0);
  // Spelled as declared, it is sent.
  await s3.deleteObject({ bucket: 'bucket', key: 'k', versionId: 'v1' });
  assert.equal(calls.length, 1);
  assert.equal(new URL(calls[0].url).searchParams.get('versionId'), 'v1');
});

test('an unknown key inside a list item (deleteObjects objects[0].Key) is refused naming it and the item, and nothing is sent', async () => {
  const deleted = '<DeleteResult><Deleted><Key>a</Key></Deleted></DeleteResult>';
  const { fetch, calls } = fetchDouble(() => new Response(deleted, { status: 200 }));
  const s3 = clientWith(fetch);
  for (const item of [{ Key: 'a' }, { key: 'a', Key: 'a' }]) {
    const e = await failure(s3.deleteObjects({ bucket: 'bucket', objects: [item] }));
    assert.equal(e.kind, 'validation', JSON.stringify(item));
    assert.match(e.message, /\bKey\b/, e.message);
    assert.match(e.message, /objects\[0\]/, e.message);
  }
  assert.equal(calls.length, 0);
  const result = await s3.deleteObjects({ bucket: 'bucket', objects: [{ key: 'a' }] });
  assert.deepEqual(result.deleted.map((d) => d.key), ['a']);
  assert.equal(calls.length, 1);
});

// ---- close() ---------------------------------------------------------------------------------

test('after close() every call and presign reject with kind validation and nothing is sent', async () => {
  const { fetch, calls } = fetchDouble();
  const s3 = clientWith(fetch);
  await s3.headObject({ bucket: 'bucket', key: 'k' });
  assert.equal(calls.length, 1);
  s3.close();
  for (const call of [
    () => s3.headObject({ bucket: 'bucket', key: 'k' }),
    () => s3.listBuckets(),
    () => s3.presign({ bucket: 'bucket', key: 'k' }),
  ]) {
    const e = await failure(call());
    assert.deepEqual([e.kind, e.code], ['validation', 'ValidationError']);
    assert.match(e.message, /closed/);
  }
  assert.equal(calls.length, 1);
  s3.close(); // a second close is harmless
});

test('s3[Symbol.dispose] is a function that closes the client', async () => {
  const { fetch, calls } = fetchDouble();
  const s3 = clientWith(fetch);
  assert.equal(typeof Symbol.dispose, 'symbol');
  assert.equal(typeof s3[Symbol.dispose], 'function');
  s3[Symbol.dispose]();
  const e = await failure(s3.headObject({ bucket: 'bucket', key: 'k' }));
  assert.equal(e.kind, 'validation');
  assert.match(e.message, /closed/);
  assert.equal(calls.length, 0);
});

// ---- dates ---------------------------------------------------------------------------------

test('ifModifiedSince outside 1970 to 9999 is refused before sending; the bounds 1970-01-01 and 9999-12-31T23:59:59Z go out', async () => {
  const { fetch, calls } = fetchDouble(() => new Response(null, { status: 200 }));
  const s3 = clientWith(fetch);
  const outside = [
    ['year 10000', new Date('+010000-01-01T00:00:00Z')],
    ['year 10000 in ms', Date.parse('+010000-01-01T00:00:00Z')],
    ['-1 ms as a Date', new Date(-1)],
    ['-1 ms', -1],
    ['1969-12-31T23:59:59Z', '1969-12-31T23:59:59Z'],
    ['1969-12-31T23:59:59Z as a Date', new Date('1969-12-31T23:59:59Z')],
  ];
  for (const [what, date] of outside) {
    const e = await failure(s3.headObject({ bucket: 'bucket', key: 'k', ifModifiedSince: date }));
    assert.equal(e.kind, 'validation', what);
    assert.match(e.message, /ifModifiedSince/, what);
  }
  assert.equal(calls.length, 0);

  const inside = [
    [new Date('9999-12-31T23:59:59Z'), 'Fri, 31 Dec 9999 23:59:59 GMT'],
    ['9999-12-31T23:59:59Z', 'Fri, 31 Dec 9999 23:59:59 GMT'],
    [new Date(0), 'Thu, 01 Jan 1970 00:00:00 GMT'],
    [0, 'Thu, 01 Jan 1970 00:00:00 GMT'],
  ];
  for (const [date, header] of inside) {
    calls.length = 0;
    await s3.headObject({ bucket: 'bucket', key: 'k', ifModifiedSince: date });
    assert.equal(calls.length, 1, String(date));
    assert.equal(calls[0].init.headers['if-modified-since'], header);
  }
});

// ---- presign -------------------------------------------------------------------------------

test('presign refuses the signer-owned headers authorization, x-amz-date, x-amz-content-sha256, x-amz-security-token and host in any case, and copy-source headers', async () => {
  const s3 = clientWith(fetchDouble().fetch);
  const variants = (name) => [name, name.toUpperCase(), name.replace(/(^|-)([a-z])/g, (_, dash, c) => dash + c.toUpperCase())];
  for (const own of ['authorization', 'x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token', 'host']) {
    for (const name of variants(own)) {
      for (const options of [
        { method: 'GET', bucket: 'bucket', key: 'k' },
        { operation: 'uploadPart', bucket: 'bucket', key: 'k', uploadId: 'u', partNumber: 1 },
      ]) {
        const e = await failure(s3.presign({ ...options, headers: { [name]: 'value' } }));
        assert.equal(e.kind, 'validation', `${name}: ${e.message}`);
        assert.ok(e.message.includes(own), `${name}: ${e.message}`);
      }
    }
  }
  // A copy source would make a presigned PUT copy any object the signer can read.
  for (const name of ['x-amz-copy-source', 'X-Amz-Copy-Source-Range', 'x-amz-copy-source-if-match']) {
    for (const options of [{ method: 'PUT', bucket: 'bucket', key: 'k' },
      { operation: 'uploadPart', bucket: 'bucket', key: 'k', uploadId: 'u', partNumber: 1 }]) {
      const e = await failure(s3.presign({ ...options, headers: { [name]: 'other-bucket/secret' } }));
      assert.equal(e.kind, 'validation', `${name}: ${e.message}`);
      assert.match(e.message, /would make the URL a copy/);
    }
  }
  // Another header is signed into the URL.
  const url = await s3.presign({ method: 'PUT', bucket: 'bucket', key: 'k', headers: { 'X-Amz-Meta-Colour': 'blue' } });
  assert.equal(new URL(url).searchParams.get('X-Amz-SignedHeaders'), 'host;x-amz-meta-colour');
});

test('presign({ operation: "uploadPart" }) gives a URL that uploads part 2 with a plain fetch PUT, which listParts then shows with its size and which completes the object (s3s-fs)', async () => {
  const s3 = new S3Client({ region: 'us-east-1', endpoint: s3sFs.endpoint, credentials: KEYS });
  const bucket = bucketName('presign-part');
  const key = 'parts/presigned part.bin';
  await s3.createBucket({ bucket });
  const { uploadId } = await s3.createMultipartUpload({ bucket, key });
  const url = await s3.presign({ operation: 'uploadPart', bucket, key, uploadId, partNumber: 2, expiresIn: 60 });
  const query = new URL(url).searchParams;
  assert.equal(query.get('partNumber'), '2');
  assert.equal(query.get('uploadId'), uploadId);
  assert.equal(query.get('X-Amz-Expires'), '60');

  const part = new Uint8Array(12_345).map((_, i) => (i * 17) & 255);
  const put = await fetch(url, { method: 'PUT', body: part });
  assert.equal(put.status, 200, await put.clone().text());
  const etag = put.headers.get('etag');
  await put.body?.cancel();
  assert.equal(etag, `"${createHash('md5').update(part).digest('hex')}"`);

  // (s3s-fs lists no ETag for a part.)
  const listed = await s3.listParts({ bucket, key, uploadId });
  assert.deepEqual(listed.parts.map((p) => [p.partNumber, p.size]), [[2, part.length]]);

  // The presigned part completes the object after a part 1 (s3s-fs wants parts from 1 on).
  const first = new Uint8Array(5 * MIB).fill(1);
  const part1 = await s3.uploadPart({ bucket, key, uploadId, partNumber: 1, body: first });
  await s3.completeMultipartUpload({ bucket, key, uploadId, parts: [{ partNumber: 1, etag: part1.etag }, { partNumber: 2, etag }] });
  const got = await (await s3.getObject({ bucket, key })).bytes();
  assert.equal(got.length, first.length + part.length);
  assert.ok(Buffer.from(got.subarray(first.length)).equals(Buffer.from(part)), 'the object does not end with the presigned part');
});

test('presign({ operation: "completeMultipartUpload" }) without parts gives a URL whose user sends the XML', async () => {
  const s3 = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: KEYS });
  const url = new URL(await s3.presign({ operation: 'completeMultipartUpload', bucket: 'bucket', key: 'k', uploadId: 'u1' }));
  assert.equal(url.pathname, '/bucket/k');
  assert.equal(url.searchParams.get('uploadId'), 'u1');
  assert.match(url.searchParams.get('X-Amz-Signature'), /^[0-9a-f]{64}$/);
});

test('a result holds what its type says it always has: flags false, lists empty, required numbers 0 when the answer leaves them out', async () => {
  const answers = {
    HEAD: () => new Response(null, { status: 200, headers: { 'content-length': '3' } }),
    GET: () => new Response('<ListBucketResult><Name>b</Name><IsTruncated>false</IsTruncated><Contents><Key>k</Key></Contents></ListBucketResult>',
      { status: 200, headers: { 'content-type': 'application/xml' } }),
  };
  const s3 = clientWith(async (url, init) => answers[init.method]());
  const head = await s3.headObject({ bucket: 'bucket', key: 'k' });
  assert.equal(head.deleteMarker, false);
  assert.deepEqual(head.metadata, {});
  const page = await s3.listObjects({ bucket: 'bucket' });
  assert.deepEqual(page.commonPrefixes, []);
  assert.equal(page.contents[0].size, 0);
  assert.equal(page.contents[0].key, 'k');
  assert.equal(page.keyCount, undefined, 'an optional number stays absent');
  answers.GET = () => new Response('<ListBucketResult><Name>b</Name><IsTruncated>false</IsTruncated></ListBucketResult>', { status: 200 });
  assert.deepEqual((await s3.listObjects({ bucket: 'bucket' })).contents, []);
});

test('a result keeps every kind of value wasm hands over: text in any script (astral characters, entities, an empty string), numbers past 2^32, dates to the millisecond, flags, records in list items, and a metadata map (a `__proto__` name an own property, a value S3 split into encoded words)', async () => {
  const key = 'emoji/😀🎉 日本 e\u0301 <&>';
  const xml = '<ListBucketResult><Name>b</Name><Prefix></Prefix><KeyCount>2</KeyCount><IsTruncated>true</IsTruncated>'
    + `<Contents><Key>${key.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')}</Key>`
    + '<LastModified>2026-12-02T06:00:00.123Z</LastModified><ETag>&quot;e1&quot;</ETag><Size>5000000000</Size>'
    + '<Owner><ID>𝔬wner</ID><DisplayName>Ü</DisplayName></Owner></Contents>'
    + '<Contents><Key>plain</Key><Size>0</Size></Contents>'
    + '<CommonPrefixes><Prefix>dir/😀/</Prefix></CommonPrefixes><NextContinuationToken>t/+=</NextContinuationToken></ListBucketResult>';
  const answers = {
    GET: () => new Response(xml, { status: 200, headers: { 'content-type': 'application/xml' } }),
    HEAD: () => new Response(null, { status: 200, headers: { 'content-length': '3', 'x-amz-meta-name': '=?UTF-8?B?8J+YgCBi?=',
      'x-amz-meta-plain': 'a b', 'x-amz-meta-__proto__': 'kept',
      'x-amz-meta-long': '=?UTF-8?Q?You_just_comp?= =?UTF-8?Q?leted_=E2=80=9Cit=E2=80=9D?=', 'last-modified': 'Wed, 02 Dec 2026 06:00:00 GMT', 'x-amz-delete-marker': 'true' } }),
  };
  const s3 = clientWith(async (url, init) => answers[init.method]());
  assert.deepEqual(await s3.listObjects({ bucket: 'bucket' }), {
    name: 'b', prefix: '', keyCount: 2, isTruncated: true, nextContinuationToken: 't/+=',
    contents: [
      { key, lastModified: new Date('2026-12-02T06:00:00.123Z'), etag: '"e1"', size: 5_000_000_000,
        owner: { id: '𝔬wner', displayName: 'Ü' } },
      { key: 'plain', size: 0 },
    ],
    commonPrefixes: [{ prefix: 'dir/😀/' }],
  });
  const head = await s3.headObject({ bucket: 'bucket', key: 'k' });
  assert.deepEqual(head.metadata, Object.fromEntries([['name', '😀 b'], ['plain', 'a b'], ['__proto__', 'kept'],
    ['long', 'You just completed \u201cit\u201d']]));
  assert.equal(Object.getPrototypeOf(head.metadata), Object.prototype);
  assert.equal(head.deleteMarker, true);
  assert.equal(head.contentLength, 3);
  assert.equal(+head.lastModified, Date.UTC(2026, 11, 2, 6));
});

test('presign with both method and operation is a validation error', async () => {
  const s3 = clientWith(fetchDouble().fetch);
  const e = await failure(s3.presign({ method: 'PUT', operation: 'uploadPart', bucket: 'bucket', key: 'k', uploadId: 'u', partNumber: 1 }));
  assert.equal(e.kind, 'validation');
  assert.match(e.message, /method/);
  assert.match(e.message, /operation/);
});

test('presign with a body (by method PUT, putObject or uploadPart) is a validation error', async () => {
  const s3 = clientWith(fetchDouble().fetch);
  for (const options of [
    { method: 'PUT', bucket: 'bucket', key: 'k', body: 'bytes' },
    { operation: 'putObject', bucket: 'bucket', key: 'k', body: new Uint8Array([1, 2, 3]) },
    { operation: 'uploadPart', bucket: 'bucket', key: 'k', uploadId: 'u', partNumber: 2, body: new Blob(['part']) },
  ]) {
    const e = await failure(s3.presign(options));
    assert.equal(e.kind, 'validation', JSON.stringify(options));
    assert.match(e.message, /body/, e.message);
  }
  // Without the body, each is a URL.
  assert.match(await s3.presign({ operation: 'uploadPart', bucket: 'bucket', key: 'k', uploadId: 'u', partNumber: 2 }), /X-Amz-Signature=/);
});

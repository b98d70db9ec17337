// The round trip every runtime runs through the package (imported by deno.mjs, worker.mjs and
// browser.mjs, each of which imports S3Client/S3Error as `livery-s3` the way its runtime resolves
// it). It returns plain data; runtimes.test.mjs asserts on it. No init call anywhere. Only what
// every runtime has is used (fetch, ReadableStream, Response, TextEncoder), so it runs in Node
// too (whose `navigator` arrived in Node 21).
export async function roundTrip({ S3Client, S3Error }, { endpoint, accessKeyId, secretAccessKey, bucket }) {
  const s3 = new S3Client({ region: 'us-east-1', endpoint, credentials: { accessKeyId, secretAccessKey } });
  const key = 'runtimes/héllo wörld+1.txt';
  const userAgent = globalThis.navigator?.userAgent ?? `Node.js/${globalThis.process?.versions?.node}`;
  const body = `livery-s3 in ${userAgent} ✓`;

  await s3.createBucket({ bucket });
  const put = await s3.putObject({ bucket, key, body, contentType: 'text/plain; charset=utf-8' });

  const object = await s3.getObject({ bucket, key });
  const get = {
    status: object.status,
    contentLength: object.contentLength,
    contentType: object.contentType,
    etag: object.etag,
    bodyIsStream: object.body instanceof ReadableStream,
    lastModifiedIsDate: object.lastModified instanceof Date,
    text: await object.text(),
  };

  // The body streams: getObject resolves before the body is read (the fetch below hands the
  // client the real answer's body through a stream that counts what was taken from it), and
  // reading it with a reader, chunk by chunk, gives back every byte.
  const streamedKey = 'runtimes/streamed.bin';
  const streamedBytes = new Uint8Array(4 * 1024 * 1024);
  for (let i = 0; i < streamedBytes.length; i++) streamedBytes[i] = (i * 31 + (i >>> 12)) & 255;
  await s3.putObject({ bucket, key: streamedKey, body: streamedBytes });
  let pulled = 0;
  const counting = new S3Client({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId, secretAccessKey },
    fetch: async (url, init) => {
      const response = await fetch(url, init);
      if (!response.body) return response;
      const upstream = response.body.getReader();
      const body = new ReadableStream({
        async pull(controller) {
          const { done, value } = await upstream.read();
          if (done) {
            controller.close();
          } else {
            pulled += value.byteLength;
            controller.enqueue(value);
          }
        },
        cancel: (reason) => upstream.cancel(reason),
      });
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    },
  });
  const streamedObject = await counting.getObject({ bucket, key: streamedKey });
  const pulledWhenResolved = pulled;
  const reader = streamedObject.body.getReader();
  let chunks = 0;
  let bytesRead = 0;
  let firstMismatch = -1;
  let chunksAreBytes = true;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks += 1;
    chunksAreBytes &&= value instanceof Uint8Array;
    for (let j = 0; j < value.length && firstMismatch < 0; j++) {
      if (value[j] !== streamedBytes[bytesRead + j]) firstMismatch = bytesRead + j;
    }
    bytesRead += value.length;
  }
  const streamed = {
    size: streamedBytes.length,
    contentLength: streamedObject.contentLength,
    bodyIsStream: streamedObject.body instanceof ReadableStream,
    pulledWhenResolved,
    chunks,
    chunksAreBytes,
    bytesRead,
    firstMismatch,
  };

  // A read after a write sees the write, even for an object the server says to cache for an
  // hour (browsers must not answer the second GET from their HTTP cache).
  const cachedKey = 'runtimes/cached.txt';
  await s3.putObject({ bucket, key: cachedKey, body: 'version 1', cacheControl: 'max-age=3600' });
  const firstRead = await (await s3.getObject({ bucket, key: cachedKey })).text();
  await s3.putObject({ bucket, key: cachedKey, body: 'version 2', cacheControl: 'max-age=3600' });
  const secondRead = await (await s3.getObject({ bucket, key: cachedKey })).text();

  const url = await s3.presign({ bucket, key, expiresIn: 60 });
  const response = await fetch(url);
  const presigned = { url, status: response.status, text: await response.text() };
  const tampered = await fetch(url.replace(/.$/, (c) => (c === '0' ? '1' : '0')));
  await tampered.body?.cancel();

  const missing = await s3.getObject({ bucket, key: 'runtimes/missing' }).then(
    () => null,
    (e) => ({
      isS3Error: e instanceof S3Error,
      isError: e instanceof Error,
      name: e?.name,
      code: e?.code,
      status: e?.status,
      kind: e?.kind,
      message: String(e?.message),
    }),
  );

  // The managed upload from each kind of body, at the sizes around a part's edges; each object
  // read back as a stream and compared by SHA-256.
  const PART = 5 * 1024 * 1024;
  const uploads = [];
  const digest = async (bytes) => [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].join();
  for (const size of [0, 1, PART, PART + 1, 3 * PART + 17]) {
    const bytes = streamedBytes.length >= size ? streamedBytes.slice(0, size) : new Uint8Array(size).map((_, i) => i * 7);
    const bodies = {
      Blob: { body: new Blob([bytes]) },
      ArrayBuffer: { body: bytes.slice().buffer },
      ReadableStream: { body: new Blob([bytes]).stream() },
      'ReadableStream of known length': { body: new Blob([bytes]).stream(), contentLength: size },
    };
    for (const [kind, { body, contentLength }] of Object.entries(bodies)) {
      const uploadKey = `runtimes/upload-${kind.replaceAll(' ', '-')}-${size}`;
      let loaded = -1;
      const done = await s3.upload({ bucket, key: uploadKey, body, contentLength, partSize: PART, onProgress: (p) => (loaded = p.loaded) });
      const back = new Uint8Array(await (await s3.getObject({ bucket, key: uploadKey })).arrayBuffer());
      uploads.push({ kind, size, loaded, parts: done.parts?.length, same: (await digest(back)) === (await digest(bytes)) });
    }
  }

  // presignPost is in the server build (Node, Deno, Workers), refused by the browser build.
  const postForm = await s3.presignPost({ bucket, key: 'runtimes/form.txt' }).then((f) => typeof f.fields.policy, (e) => e.kind);
  // So are the circuit breaker and endpoint balancing. Checksums are in every build: s3s-fs
  // checks them (and Content-MD5) against the bytes it receives.
  const checksum = await s3.putObject({ bucket, key: 'runtimes/summed.txt', body: 'summed', checksum: 'CRC32' })
    .then((r) => r.checksumCrc32, (e) => e.kind);
  // A Blob is hashed by slices in JS, through the wasm's hasher.
  const blobChecksum = await s3.putObject({ bucket, key: 'runtimes/summed.bin', body: new Blob(['sum', 'med']),
    checksum: 'CRC32C', contentMd5: true }).then((r) => r.checksumCrc32c, (e) => `${e.kind}: ${e.message}`);
  // Read back with checksumMode: checked as it streams (the wasm sums it).
  const checksumRead = await s3.getObject({ bucket, key: 'runtimes/summed.txt', checksumMode: 'ENABLED' })
    .then(async (o) => `${o.checksumCrc32} ${await o.text()}`, (e) => e.kind);
  // A ReadableStream body of known length: sent as a stream where fetch can give it a
  // Content-Length (Node, Workers), refused before any request where it cannot (browsers, Deno).
  const streamedPutKey = 'runtimes/streamed-put.txt';
  const streamedPutBody = new TextEncoder().encode(`streamed from ${userAgent}`);
  const streamedPut = await s3.putObject({
    bucket,
    key: streamedPutKey,
    contentLength: streamedPutBody.length,
    body: new ReadableStream({ start: (c) => { c.enqueue(streamedPutBody.subarray(0, 9)); c.enqueue(streamedPutBody.subarray(9)); c.close(); } }),
  }).then(async () => (await s3.getObject({ bucket, key: streamedPutKey })).text(), (e) => `${e.kind}: ${e.message}`);
  // Options whose reading throws, in this runtime's build of the wasm: a validation error, and
  // the client goes on working (a trap there would break every later call).
  const throwing = () => { throw new Error('a getter that throws'); };
  const hostile = [];
  for (const call of [() => s3.headObject(new Proxy({}, { ownKeys: throwing })),
    () => s3.presign({ bucket, key: 'k', signingDate: Object.defineProperty({}, 'x', { get: throwing, enumerable: true }) }),
    () => s3.listObjects({ bucket, maxKeys: 2 ** 53, prefix: '\uD800' })]) {
    hostile.push(await call().then(() => 'ok', (e) => `${e.kind}: ${e.message}`));
  }
  hostile.push(await s3.headObject({ bucket, key }).then((h) => h.contentLength, (e) => e.kind));
  // Balancing over two endpoints (the same server twice) behind a circuit breaker: both
  // builds have them.
  let breaker;
  try {
    const balanced = new S3Client({ region: 'us-east-1', endpoints: [endpoint, `${endpoint}/`],
      credentials: { accessKeyId, secretAccessKey }, circuitBreaker: { failureThreshold: 2, resetAfterMs: 1000 } });
    breaker = (await Promise.all([1, 2, 3].map(() => balanced.headObject({ bucket, key })))).map((h) => h.contentLength);
    balanced.close();
  } catch (e) {
    breaker = `${e.kind}: ${e.message}`;
  }

  return {
    userAgent,
    uploads,
    postForm,
    checksum,
    blobChecksum,
    checksumRead,
    breaker,
    hostile,
    streamedPut,
    key,
    body,
    bodyBytes: new TextEncoder().encode(body).length,
    put: { etag: put.etag },
    get,
    presigned,
    tamperedStatus: tampered.status,
    streamed,
    readsAfterWrites: [firstRead, secondRead],
    missing,
  };
}

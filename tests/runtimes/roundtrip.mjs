// The round trip every runtime runs through the package (imported by deno.mjs, worker.mjs and
// browser.mjs, each of which imports S3Client/S3Error as `livery-s3` the way its runtime resolves
// it). It returns plain data; runtimes.test.mjs asserts on it. No init call anywhere.
export async function roundTrip({ S3Client, S3Error }, { endpoint, accessKeyId, secretAccessKey, bucket }) {
  const s3 = new S3Client({ region: 'us-east-1', endpoint, credentials: { accessKeyId, secretAccessKey } });
  const key = 'runtimes/héllo wörld+1.txt';
  const body = `livery-s3 in ${navigator.userAgent} ✓`;

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

  return {
    userAgent: navigator.userAgent,
    key,
    body,
    bodyBytes: new TextEncoder().encode(body).length,
    put: { etag: put.etag },
    get,
    presigned,
    tamperedStatus: tampered.status,
    readsAfterWrites: [firstRead, secondRead],
    missing,
  };
}

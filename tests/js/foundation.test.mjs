// The first slice through the npm package in Node, against s3s-fs (which verifies signatures).
import { test, before, after } from 'node:test';
import { createServer } from 'node:http';
import assert from 'node:assert/strict';
import { S3Client, S3Error } from '../../pkg/index.node.js';
import { startServer, bucketName, ACCESS_KEY, SECRET_KEY } from '../../scripts/local-s3.mjs';

let server;
let s3;
before(async () => {
  server = await startServer('s3s-fs');
  s3 = new S3Client({
    region: 'us-east-1',
    endpoint: server.endpoint,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
  });
});
after(() => server.stop());

test('put, get (streamed), presign and fetch the presigned URL', async () => {
  const bucket = bucketName('js-slice');
  await s3.createBucket({ bucket });
  const key = 'dir/a b+c=d%e?f#g/ünï©ødé.txt';
  const payload = new Uint8Array(300_000).map((_, i) => (i * 7) % 251);
  const put = await s3.putObject({ bucket, key, body: payload, contentType: 'application/x-test', metadata: { colour: 'blue', note: 'café ☕' } });
  assert.match(put.etag, /^"[0-9a-f]{32}"$/);

  const object = await s3.getObject({ bucket, key });
  assert.equal(object.status, 200);
  assert.equal(object.contentLength, payload.length);
  assert.equal(object.contentType, 'application/x-test');
  assert.equal(object.etag, put.etag);
  assert.ok(object.lastModified instanceof Date);
  assert.deepEqual(object.metadata, { colour: 'blue', note: 'café ☕' });
  assert.ok(object.body instanceof ReadableStream);
  assert.deepEqual(await object.bytes(), payload);

  const gone = await s3.getObject({ bucket, key: 'missing' }).catch((e) => e);
  assert.ok(gone instanceof S3Error);
  assert.equal(gone.code, 'NoSuchKey');

  const url = await s3.presign({ bucket, key, expiresIn: 60 });
  const response = await fetch(url);
  assert.equal(response.status, 200);
  assert.deepEqual(new Uint8Array(await response.arrayBuffer()), payload);
  const tampered = url.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
  assert.equal((await fetch(tampered)).status, 403);
});

test('presigned PUT with a signed content type (browser direct upload)', async () => {
  const bucket = bucketName('js-upload');
  await s3.createBucket({ bucket });
  const url = await s3.presign({ method: 'PUT', bucket, key: 'uploads/photo 1.png', expiresIn: 300, headers: { 'Content-Type': 'image/png' } });
  assert.match(url, /X-Amz-SignedHeaders=content-type%3Bhost/);
  const wrongType = await fetch(url, { method: 'PUT', body: 'PNG bytes', headers: { 'content-type': 'text/plain' } });
  assert.equal(wrongType.status, 403);
  const upload = await fetch(url, { method: 'PUT', body: new Blob(['PNG bytes']), headers: { 'content-type': 'image/png' } });
  assert.equal(upload.status, 200);
  const object = await s3.getObject({ bucket, key: 'uploads/photo 1.png' });
  assert.equal(object.contentType, 'image/png');
  assert.equal(await object.text(), 'PNG bytes');
});

test('text bodies and the text() helper', async () => {
  const bucket = bucketName('js-text');
  await s3.createBucket({ bucket });
  await s3.putObject({ bucket, key: 'hello.txt', body: 'héllo wörld', contentMd5: true });
  const object = await s3.getObject({ bucket, key: 'hello.txt' });
  assert.equal(await object.text(), 'héllo wörld');
  assert.equal(object.contentLength, Buffer.byteLength('héllo wörld'));
});

test('errors are S3Errors with code, status and kind', async () => {
  const missing = await s3.getBucketLocation({ bucket: bucketName('none') }).catch((e) => e);
  assert.ok(missing instanceof S3Error && missing instanceof Error);
  assert.equal(missing.kind, 'service');
  assert.equal(missing.code, 'NoSuchBucket');
  assert.equal(missing.status, 404);

  const wrong = new S3Client({ region: 'us-east-1', endpoint: server.endpoint, credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: 'not-the-secret' } });
  const denied = await wrong.listBuckets().catch((e) => e);
  assert.equal(denied.code, 'SignatureDoesNotMatch');
  assert.equal(denied.status, 403);
  assert.ok(!JSON.stringify(denied).includes('not-the-secret') && !denied.message.includes('not-the-secret'));

  const invalid = await s3.putObject({ bucket: 'Bad_Bucket', key: 'k', body: 'x' }).catch((e) => e);
  assert.equal(invalid.kind, 'validation');
  assert.match(invalid.message, /bucket name/);

  assert.throws(() => new S3Client({ endpoint: server.endpoint }), (e) => e instanceof S3Error && e.kind === 'validation');
  const offline = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const network = await offline.listBuckets().catch((e) => e);
  assert.equal(network.kind, 'network');
  assert.equal(network.retryable, true);
});

test('redirects are not followed: the signed request stays with the endpoint', async () => {
  let visits = 0;
  const elsewhere = createServer((req, res) => { visits++; res.end(); });
  await new Promise((done) => elsewhere.listen(0, '127.0.0.1', done));
  const redirector = createServer((req, res) => {
    req.resume();
    res.writeHead(307, { location: `http://127.0.0.1:${elsewhere.address().port}/b/k`, 'x-amz-bucket-region': 'eu-west-1' }).end();
  });
  await new Promise((done) => redirector.listen(0, '127.0.0.1', done));
  try {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: `http://127.0.0.1:${redirector.address().port}`,
      credentials: { accessKeyId: 'AK', secretAccessKey: 'SK', sessionToken: 'TOKEN' } });
    const e = await s3.putObject({ bucket: 'bucket', key: 'k', body: 'body' }).catch((e) => e);
    assert.ok(e instanceof S3Error, String(e));
    assert.deepEqual([e.status, e.code, e.region], [307, 'TemporaryRedirect', 'eu-west-1']);
    assert.equal(visits, 0);
  } finally {
    redirector.close();
    elsewhere.close();
  }
});

test('presign matches the AWS documented example', async () => {
  const aws = new S3Client({
    region: 'us-east-1',
    endpoint: 'https://s3.amazonaws.com',
    addressing: 'virtual',
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  });
  const url = await aws.presign({ bucket: 'examplebucket', key: 'test.txt', expiresIn: 86400, signingDate: new Date('2013-05-24T00:00:00Z') });
  assert.equal(url, 'https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404');
});

// The server half of presigned multipart uploads in Node (livery-s3/presigned-uploads): the
// server signs within its policy, a key-less fetch PUTs the parts as a browser would, the
// server completes. s3s-fs checks every presigned signature; moto shows an oversized upload
// was aborted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { S3Client } from '../../pkg/index.node.js';
import { PresignedUploads } from '../../pkg/presigned-uploads.js';
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
  await assert.rejects(uploads.partUrl({ key, uploadId: 'u', partNumber: 3 }), { kind: 'validation' });
  await assert.rejects(uploads.abort({ key: 'elsewhere', uploadId: 'u' }), { kind: 'validation' });
  assert.throws(() => new PresignedUploads(s3, { bucket, maxSize: 1, partSize: MIB }), { kind: 'validation' });
});

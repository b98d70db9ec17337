// Opt-in checksums in the package (here in Node): computed over the body, sent as
// x-amz-checksum-*, and checked by the server. s3s-fs and Garage check CRC32 headers; Garage
// and moto answer each part's checksum, which the completion then lists.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { crc32, gzipSync } from 'node:zlib';
import { S3Client } from '../../pkg/index.node.js';
import { startServer, bucketName } from '../../scripts/local-s3.mjs';
import { failure } from './helpers.mjs';

let s3sFs;
let garage;
before(async () => {
  const started = await Promise.allSettled([startServer('s3s-fs'), startServer('garage')]);
  [s3sFs, garage] = started.map((s) => s.value);
  for (const s of started) if (s.status === 'rejected') throw s.reason;
});
after(async () => {
  await Promise.all([s3sFs?.stop(), garage?.stop()]);
});

const client = (server, fetch) => new S3Client({ region: 'us-east-1', endpoint: server.endpoint, fetch, retry: false,
  credentials: { accessKeyId: server.accessKey, secretAccessKey: server.secretKey } });
const be32 = (n) => Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]).toString('base64');

test('checksum: CRC32, CRC32C and SHA256 are computed over the body and stored by the server (s3s-fs)', async () => {
  const s3 = client(s3sFs);
  const bucket = bucketName('checksum');
  await s3.createBucket({ bucket });
  const body = new TextEncoder().encode('a body to check ✓'.repeat(1000));
  const put = await s3.putObject({ bucket, key: 'crc32', body: new Blob([body]), checksum: 'CRC32' });
  assert.equal(put.checksumCrc32, be32(crc32(body)));
  await s3.putObject({ bucket, key: 'crc32c', body, checksum: 'CRC32C' });
  await s3.putObject({ bucket, key: 'sha256', body, checksum: 'SHA256' });
  assert.deepEqual(new Uint8Array(await (await s3.getObject({ bucket, key: 'sha256' })).arrayBuffer()), body);
});

test('checksum: a body changed on the way is refused by the server (s3s-fs BadDigest; Garage InvalidDigest, nothing stored)', async () => {
  // The bytes change after the checksum was computed (the payload is unsigned, as every JS body).
  const tamper = (url, init) => fetch(url, init.method === 'PUT' ? { ...init, body: new TextEncoder().encode('tampered!') } : init);
  for (const [server, code] of [[s3sFs, 'BadDigest'], [garage, 'InvalidDigest']]) {
    const bucket = bucketName('tampered');
    await client(server).createBucket({ bucket });
    const err = await failure(client(server, tamper).putObject({ bucket, key: 'k', body: 'original', checksum: 'CRC32' }));
    assert.deepEqual([err.kind, err.code, err.status], ['service', code, 400]);
  }
  // Garage stores nothing (s3s-fs 0.14 answers BadDigest but keeps what it received).
  const bucket = bucketName('tampered');
  await client(garage).createBucket({ bucket });
  await failure(client(garage, tamper).putObject({ bucket, key: 'k', body: 'original', checksum: 'CRC32' }));
  await assert.rejects(client(garage).headObject({ bucket, key: 'k' }), { code: 'NotFound' });
});

test('upload() with checksum: every part carries its checksum and the completion lists them (Garage)', async () => {
  const s3 = client(garage);
  const bucket = bucketName('checksum-parts');
  await s3.createBucket({ bucket });
  const body = new Uint8Array(11 << 20).map((_, i) => i % 251);
  const done = await s3.upload({ bucket, key: 'big', body, partSize: 5 << 20, checksum: 'CRC32C' });
  assert.equal(done.parts.length, 3);
  for (const part of done.parts) assert.match(part.checksumCrc32c, /^[A-Za-z0-9+/]{6}==$/);
  assert.deepEqual(new Uint8Array(await (await s3.getObject({ bucket, key: 'big' })).arrayBuffer()), body);
});

test('upload() with checksum when CORS hides x-amz-checksum-* from the answers: each part names the checksum sent, and the completion passes (Garage)', async () => {
  // A browser whose CORS rules expose ETag only: the answers' checksum headers are gone.
  const hiding = async (url, init) => {
    const answer = await fetch(url, init);
    const headers = new Headers(answer.headers);
    for (const name of [...headers.keys()]) if (name.startsWith('x-amz-checksum-')) headers.delete(name);
    return new Response(answer.body, { status: answer.status, headers });
  };
  const s3 = client(garage, hiding);
  const bucket = bucketName('checksum-cors');
  await s3.createBucket({ bucket });
  const body = new Uint8Array(6 << 20).map((_, i) => i % 253);
  const done = await s3.upload({ bucket, key: 'big', body: new Blob([body]), partSize: 5 << 20, checksum: 'CRC32' });
  const crc = (bytes) => Buffer.from(Uint32Array.of(crc32(bytes)).buffer).reverse().toString('base64');
  assert.deepEqual(done.parts.map((p) => p.checksumCrc32), [crc(body.subarray(0, 5 << 20)), crc(body.subarray(5 << 20))]);
  assert.deepEqual(new Uint8Array(await (await s3.getObject({ bucket, key: 'big' })).arrayBuffer()), body);
});

test('checksum names only CRC32, CRC32C or SHA256; anything else is a validation error before any request', async () => {
  let sent = 0;
  const s3 = client(s3sFs, (url, init) => { sent++; return fetch(url, init); });
  for (const checksum of ['crc32', 'MD5', 'CRC64NVME', 1]) {
    assert.equal((await failure(s3.putObject({ bucket: 'bkt', key: 'k', body: 'x', checksum }))).kind, 'validation');
  }
  assert.equal(sent, 0);
});

test('getObject with checksumMode checks the body against its stored checksum as it streams; a changed body errors the stream (s3s-fs)', async () => {
  const bucket = bucketName('checksum-mode');
  await client(s3sFs).createBucket({ bucket });
  const body = new Uint8Array(300_000).map((_, i) => (i * 13) % 256);
  await client(s3sFs).putObject({ bucket, key: 'k', body, checksum: 'CRC32' });

  const object = await client(s3sFs).getObject({ bucket, key: 'k', checksumMode: 'ENABLED' });
  assert.equal(object.checksumCrc32, be32(crc32(body)));
  assert.deepEqual(await object.bytes(), body);

  // The same answer with one byte changed on the way (headers kept, length the same).
  const flip = async (url, init) => {
    const answer = await fetch(url, init);
    if (init.method !== 'GET' || !answer.ok) return answer;
    const bytes = new Uint8Array(await answer.arrayBuffer());
    bytes[1000] ^= 1;
    return new Response(bytes, { status: answer.status, headers: answer.headers });
  };
  const changed = await client(s3sFs, flip).getObject({ bucket, key: 'k', checksumMode: 'ENABLED' });
  const err = await failure(changed.bytes());
  assert.deepEqual([err.kind, err.code, err.status], ['service', 'InvalidResponse', 200]);
  assert.match(err.message, new RegExp(`does not match its x-amz-checksum-crc32 \\(\\S+, not ${be32(crc32(body)).replace(/[+/]/g, '\\$&')}\\)`));
  // Unasked, or for a range (whose bytes are not the object's), nothing is checked.
  assert.equal((await (await client(s3sFs, flip).getObject({ bucket, key: 'k' })).bytes()).length, body.length);
  const range = await client(s3sFs, flip).getObject({ bucket, key: 'k', checksumMode: 'ENABLED', range: { start: 0, end: 1999 } });
  assert.equal((await range.bytes()).length, 2000);
  // Stored gzipped: fetch hands over the decoded bytes, which the stored checksum does not
  // cover, so they are not checked (and not refused).
  await client(s3sFs).putObject({ bucket, key: 'gz', body: gzipSync(body), contentEncoding: 'gzip', checksum: 'CRC32' });
  const decoded = await client(s3sFs).getObject({ bucket, key: 'gz', checksumMode: 'ENABLED' });
  assert.equal(decoded.contentEncoding, 'gzip');
  assert.deepEqual(await decoded.bytes(), body);
});

test('upload() with checksum resumes from its checkpoint: the algorithm and each part\'s checksum carry over, and the completion names them all (Garage)', async () => {
  const bucket = bucketName('checksum-resume');
  await client(garage).createBucket({ bucket });
  const body = new Uint8Array(2 * (5 << 20) + 11).map((_, i) => (i * 3) % 253);
  // The first run dies as part 2's answer arrives: S3 holds parts 1 and 2, the checkpoint only
  // part 1 (the page was gone before it could save more). Its fetch fails from then on.
  let dead = false;
  const dying = client(garage, async (url, init) => {
    if (dead) throw new TypeError('fetch failed: gone');
    const answer = await fetch(url, init);
    if (new URL(url).searchParams.get('partNumber') === '2') {
      dead = true;
      throw new TypeError('fetch failed: gone');
    }
    return answer;
  });
  let checkpoint;
  await failure(dying.upload({ bucket, key: 'resumed', body, partSize: 5 << 20, concurrency: 1, checksum: 'CRC32C',
    onCheckpoint: (c) => { checkpoint = JSON.parse(JSON.stringify(c)); } }));
  assert.equal(checkpoint.checksum, 'CRC32C');
  assert.deepEqual(checkpoint.parts.map((p) => [p.partNumber, typeof p.checksumCrc32c]), [[1, 'string']]);
  assert.deepEqual((await client(garage).listParts({ bucket, key: 'resumed', uploadId: checkpoint.uploadId })).parts.map((p) => p.partNumber), [1, 2]);

  // Resumed without naming the algorithm again: part 3, and part 2 unless the listing gives
  // its checksum, go with CRC32C checksums, and the completion names one for every part.
  const sent = [];
  let completion;
  const s3 = client(garage, (url, init) => {
    const query = new URL(url).searchParams;
    if (query.has('partNumber')) sent.push([query.get('partNumber'), typeof init.headers['x-amz-checksum-crc32c']]);
    else if (query.has('uploadId') && init.method === 'POST') completion = new TextDecoder().decode(init.body);
    return fetch(url, init);
  });
  const done = await s3.upload({ bucket, key: 'resumed', body, resume: checkpoint });
  assert.ok(['2,string;3,string', '3,string'].includes(sent.map((p) => p.join()).join(';')), JSON.stringify(sent));
  assert.equal(completion.match(/<ChecksumCRC32C>[^<]+<\/ChecksumCRC32C>/g)?.length, 3, completion);
  assert.deepEqual(done.parts.map((p) => [p.partNumber, typeof p.checksumCrc32c]), [[1, 'string'], [2, 'string'], [3, 'string']]);
  assert.deepEqual(new Uint8Array(await (await s3.getObject({ bucket, key: 'resumed' })).arrayBuffer()), body);
});

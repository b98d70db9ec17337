// Options no caller should pass, given to every method of the package (wrong types, lone
// surrogates, NaN, BigInt, symbols, functions, proxies and getters that throw), and answers no
// S3 would give. Each call must settle with a result or an S3Error, and the client must still
// work afterwards: in wasm a panic is a trap, and a JS exception thrown through wasm frames can
// leave the client's state half-changed; either would break every later call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { S3Client, S3Error } from '../../pkg/index.node.js';

const KEYS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const NAMES = ['bucket', 'key', 'body', 'metadata', 'range', 'partNumber', 'uploadId', 'parts', 'objects', 'maxKeys',
  'prefix', 'expiresIn', 'method', 'operation', 'headers', 'signingDate', 'contentLength', 'contentMd5', 'checksum',
  'checksumMode', 'ifMatch', 'ifModifiedSince', 'versionId', 'sourceBucket', 'sourceKey', 'sourceRange', 'status',
  'delimiter', 'continuationToken', 'encodingType', 'signal', 'overrides', 'responseContentType', 'quiet'];
const throwing = () => { throw new Error('a getter that throws'); };
const VALUES = [undefined, null, NaN, Infinity, -1, 1.5, 2 ** 53, 0, 7, '', 'x', 'b'.repeat(70), '\uD800', 'a\u0000b',
  'bytes=0-9', 'bytes=9-1', [], [{}], [{ partNumber: NaN, etag: 1 }], [{ key: '\uD800' }], {}, { start: 5, end: 1 },
  { suffix: 0 }, { a: 1 }, { 'x-amz-date': 'now' }, new Date(NaN), new Date(0), true, () => {}, Symbol('s'), 10n,
  new Uint8Array(3), new Blob(['x']), Object.create(null), new Proxy({}, { ownKeys: throwing }),
  Object.defineProperty({}, 'start', { get: throwing, enumerable: true }), 'GET', 'CRC32', 'ENABLED'];

function* randomOptions(seed) {
  let s = seed;
  const next = (n) => {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    return (s >>> 0) % n;
  };
  for (;;) {
    const options = {};
    for (let i = next(6); i > 0; i--) options[NAMES[next(NAMES.length)]] = VALUES[next(VALUES.length)];
    if (next(4) === 0) options.bucket = 'bucket';
    if (next(4) === 0) options.key = 'key';
    yield next(8) === 0 ? VALUES[next(VALUES.length)] : options;
  }
}

test('no option, however hostile, breaks a call or the client', async () => {
  const sent = [];
  const fetch = async (url) => {
    sent.push(url);
    return new Response('<Error><Code>NoSuchKey</Code></Error>', { status: 404 });
  };
  const s3 = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: KEYS, fetch, retry: false });
  const methods = Object.getOwnPropertyNames(S3Client.prototype)
    .filter((m) => !['constructor', 'close', 'listObjectsAll', 'upload'].includes(m) && typeof s3[m] === 'function');
  assert.ok(methods.length > 20, `methods: ${methods}`);
  const options = randomOptions(0x9e3779b9);
  const kinds = {};
  for (let i = 0; i < 4000; i++) {
    const method = methods[i % methods.length];
    let outcome;
    try {
      await s3[method](options.next().value);
      outcome = 'ok';
    } catch (e) {
      assert.ok(e instanceof S3Error, `${method}: not an S3Error: ${e?.stack ?? e}`);
      outcome = e.kind;
    }
    kinds[outcome] = (kinds[outcome] ?? 0) + 1;
  }
  // Most were refused before any request, some were sent and answered 404, some signed.
  assert.ok(kinds.validation > 1000 && kinds.service > 50 && sent.length > 50, JSON.stringify(kinds));
  // The client still works: a presign and a request go through as before.
  assert.match(await s3.presign({ bucket: 'bucket', key: 'after' }), /^http:\/\/127\.0\.0\.1:9\/bucket\/after\?X-Amz-/);
  const err = await s3.headObject({ bucket: 'bucket', key: 'after' }).catch((e) => e);
  assert.equal(err.code, 'NoSuchKey');
  assert.ok(sent.at(-1).endsWith('/bucket/after'));
});

test('options whose reading throws are a validation error, from every method, presign and the constructor', async () => {
  const s3 = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: KEYS,
    fetch: async () => assert.fail('nothing may be sent') });
  const keys = new Proxy({}, { ownKeys: throwing });
  // Options are read once, by their own enumerable names: a getter runs for a name it has.
  const getter = new Proxy({ bucket: 'b', key: 'k' }, { get: throwing });
  for (const call of [() => s3.headObject(keys), () => s3.presign(keys), () => s3.getObject({ bucket: 'b', key: 'k', range: keys }),
    () => s3.putObject(getter)]) {
    const err = await call().catch((e) => e);
    assert.ok(err instanceof S3Error, String(err));
    assert.equal(err.kind, 'validation');
    assert.match(err.message, /could not be read: a getter that throws/);
  }
  assert.throws(() => new S3Client(getter), (e) => e instanceof S3Error && e.kind === 'validation');
});

test('no answer, however broken, breaks a call or the client', async () => {
  const PIECES = ['<', '>', '</', '/>', 'x', 'é', '\u0000', '&amp;', '&bogus;', '&#x110000;', '<![CDATA[', ']]>', '<!--',
    '<!DOCTYPE x>', '<?xml version="1.0"?>', '1', '-1', '18446744073709551616', 'true', 'url', '%zz', '%C3%A9', '+',
    '2026-13-45T99:99:99Z', '<ListBucketResult>', '</ListBucketResult>', '<Contents>', '</Contents>', '<Key>', '</Key>',
    '<Size>', '</Size>', '<IsTruncated>', '</IsTruncated>', '<EncodingType>', '</EncodingType>', '<Error>', '</Error>',
    '<Code>', '</Code>', '<Message>', '</Message>', '<CompleteMultipartUploadResult>', '<ETag>', '</ETag>',
    '<InitiateMultipartUploadResult>', '<UploadId>', '</UploadId>', '<Region>', '</Region>'];
  const HEADERS = [['etag', '"x"'], ['content-length', '-5'], ['content-length', 'abc'], ['content-range', 'bytes 9-1/2'],
    ['last-modified', 'yesterday'], ['x-amz-meta-m', '=?UTF-8?B?####?='], ['x-amz-meta-n', '=?UTF-8?Q?=ZZ?='],
    ['retry-after', '99999999999999999999'], ['date', 'Tue, 31 Feb 2026 25:61:61 GMT'], ['x-amz-bucket-region', 'evil.example'],
    ['x-amz-checksum-crc32', '!!'], ['x-amz-delete-marker', 'maybe'], ['content-type', '\u00ff']];
  let s = 0x2545f491;
  const next = (n) => {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    return (s >>> 0) % n;
  };
  const fetch = async () => {
    let body = '';
    for (let i = next(40); i > 0; i--) body += PIECES[next(PIECES.length)];
    const headers = new Headers();
    for (let i = next(4); i > 0; i--) {
      const [name, value] = HEADERS[next(HEADERS.length)];
      headers.set(name, value);
    }
    return new Response(next(5) === 0 ? new Uint8Array([0xff, 0xfe, 0x3c]) : body,
      { status: [200, 200, 200, 206, 301, 400, 404, 500][next(8)], headers });
  };
  const s3 = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: KEYS, fetch, retry: false });
  const calls = [
    () => s3.listObjects({ bucket: 'bucket' }),
    () => s3.listObjectVersions({ bucket: 'bucket' }),
    () => s3.listParts({ bucket: 'bucket', key: 'k', uploadId: 'u' }),
    () => s3.listMultipartUploads({ bucket: 'bucket' }),
    () => s3.listBuckets(),
    () => s3.headObject({ bucket: 'bucket', key: 'k' }),
    () => s3.getObject({ bucket: 'bucket', key: 'k' }).then((o) => o.text()),
    () => s3.putObject({ bucket: 'bucket', key: 'k', body: 'x' }),
    () => s3.createMultipartUpload({ bucket: 'bucket', key: 'k' }),
    () => s3.completeMultipartUpload({ bucket: 'bucket', key: 'k', uploadId: 'u', parts: [{ partNumber: 1, etag: '"e"' }] }),
    () => s3.deleteObjects({ bucket: 'bucket', objects: [{ key: 'k' }] }),
    () => s3.getBucketLocation({ bucket: 'bucket' }),
    () => s3.getBucketVersioning({ bucket: 'bucket' }),
    () => s3.copyObject({ bucket: 'bucket', key: 'k', sourceBucket: 'bucket', sourceKey: 's' }),
  ];
  const kinds = {};
  for (let i = 0; i < 3000; i++) {
    let outcome;
    try {
      await calls[i % calls.length]();
      outcome = 'ok';
    } catch (e) {
      assert.ok(e instanceof S3Error, `call ${i % calls.length}: not an S3Error: ${e?.stack ?? e}`);
      outcome = e.kind;
    }
    kinds[outcome] = (kinds[outcome] ?? 0) + 1;
  }
  // Broken answers are service errors (InvalidResponse or the status's), and some pass as odd values.
  assert.ok(kinds.service > 1000 && kinds.ok > 100, JSON.stringify(kinds));
  assert.match(await s3.presign({ bucket: 'bucket', key: 'after' }), /X-Amz-Signature=/);
});

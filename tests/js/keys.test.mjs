// Awkward keys round-trip exactly through the npm package in Node, mirroring tests/keys.rs:
// put -> list -> get -> presign + fetch -> copy -> delete -> head 404, on s3s-fs (which
// recomputes every signature from the encoded path) and on moto.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { S3Client, S3Error } from '../../pkg/index.node.js';
import { startServer, bucketName, ACCESS_KEY, SECRET_KEY } from '../../scripts/local-s3.mjs';

const utf8Length = (text) => new TextEncoder().encode(text).length;

/** Keys that a file-system-backed server (s3s-fs) cannot store as given: empty path segments
 * and a trailing slash mean nothing to a file system, and it answers 500 for a 1 KB key
 * (its temporary file names grow with the key). moto stores them exactly. */
function fsSafe(key) {
  return !key.includes('//') && !key.startsWith('/') && !key.endsWith('/') && !key.includes('\\') && utf8Length(key) < 512;
}

function awkwardKeys() {
  const keys = [
    'plain',
    'with space',
    'two  spaces',
    'plus+sign',
    'a+b+c',
    'equals=sign',
    'k=v&x=y',
    'percent%',
    'percent%20literal',
    'percent%2Fslash',
    '%2E%2E',
    'question?mark',
    'hash#tag',
    'amp&ersand',
    'semi;colon',
    'colon:name',
    'comma,name',
    'at@sign',
    'dollar$sign',
    'bang!',
    'star*',
    "quote'single",
    'quote"double',
    'paren(s)',
    'bracket[s]',
    'brace{s}',
    'caret^',
    'backtick`',
    'pipe|',
    'tilde~',
    'under_score',
    'dash-name',
    'dot.name',
    '..leading-dots',
    'trailing-dots..',
    'a./b',
    'a/.b/c',
    'unicode/ünïcödé',
    'emoji/😀🎉',
    'cjk/日本語のキー',
    'rtl/שלום',
    'combining/e\u0301',
    'nbsp\u00a0here',
    'tab\there',
    'lt<gt>',
    'nested//double',
    'trailing/slash/',
    '/leading-slash',
    'x//y//z',
    'back\\slash',
    'mixed +=%?#&;:@ é/ok',
  ];
  keys.push(`${'abcdefghi/'.repeat(100)}end`); // 1003 bytes
  return keys;
}

test('the key table is the one tests/keys.rs uses', () => {
  const keys = awkwardKeys();
  assert.equal(keys.length, 52);
  assert.equal(utf8Length(keys.at(-1)), 1003);
  assert.equal(keys.filter(fsSafe).length, 46);
  assert.deepEqual(keys.filter((k) => !fsSafe(k)), [
    'nested//double', 'trailing/slash/', '/leading-slash', 'x//y//z', 'back\\slash', keys.at(-1),
  ]);
});

async function roundTripEveryKey(kind) {
  const server = await startServer(kind);
  try {
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint: server.endpoint,
      credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
    });
    const bucket = bucketName('keys');
    await s3.createBucket({ bucket });
    const keys = awkwardKeys().filter((k) => kind === 'moto' || fsSafe(k));
    assert.ok(keys.length >= 40, `only ${keys.length} keys`);

    for (const key of keys) {
      const label = JSON.stringify(key);
      const body = `body of ${key}`;
      await s3.putObject({ bucket, key, body }).catch((e) => assert.fail(`put ${label}: ${e}`));

      // s3s-fs echoes encoding-type=url without encoding; moto encodes as S3 does.
      const list = { bucket, prefix: key, ...(kind === 's3s-fs' ? { encodingType: 'none' } : {}) };
      const listed = await s3.listObjects(list).catch((e) => assert.fail(`list ${label}: ${e}`));
      assert.ok(listed.contents.some((o) => o.key === key), `${label} not listed: ${JSON.stringify(listed.contents)}`);

      const got = await s3.getObject({ bucket, key }).catch((e) => assert.fail(`get ${label}: ${e}`));
      assert.equal(await got.text(), body, `get ${label}`);

      const url = await s3.presign({ method: 'GET', bucket, key });
      const response = await globalThis.fetch(url);
      assert.deepEqual([response.status, await response.text()], [200, body], `presigned ${label}: ${url}`);

      const copyKey = `${key}.copy`;
      await s3.copyObject({ bucket, key: copyKey, sourceBucket: bucket, sourceKey: key })
        .catch((e) => assert.fail(`copy ${label}: ${e}`));
      const copied = await s3.getObject({ bucket, key: copyKey });
      assert.equal(await copied.text(), body, `copy of ${label}`);

      for (const k of [key, copyKey]) {
        await s3.deleteObject({ bucket, key: k });
        const head = await s3.headObject({ bucket, key: k }).then(
          (info) => assert.fail(`${JSON.stringify(k)} still there: ${JSON.stringify(info)}`),
          (e) => e,
        );
        assert.ok(head instanceof S3Error, `${head}`);
        assert.equal(head.status, 404, `${JSON.stringify(k)} still there`);
      }
    }
  } finally {
    await server.stop();
  }
}

test('awkward keys on a signature-checking server (s3s-fs)', () => roundTripEveryKey('s3s-fs'));

test('awkward keys on moto with URL-encoded listings', () => roundTripEveryKey('moto'));

test('dot segments are refused before sending', async () => {
  const server = await startServer('s3s-fs');
  try {
    const sent = [];
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint: server.endpoint,
      credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
      fetch: (url, init) => {
        sent.push(String(url));
        return globalThis.fetch(url, init);
      },
    });
    for (const key of ['.', '..', 'a/./b', 'a/../b', './a', 'a/..']) {
      const err = await s3.putObject({ bucket: 'any-bucket', key, body: 'x' }).then(
        () => assert.fail(`${key} was accepted`),
        (e) => e,
      );
      assert.ok(err instanceof S3Error, `${key}: ${err}`);
      assert.equal(err.kind, 'validation', key);
      assert.match(err.message, /segment/, key);
    }
    assert.deepEqual(sent, [], 'nothing was sent');
  } finally {
    await server.stop();
  }
});

// Awkward keys round-trip exactly through the npm package in Node, mirroring tests/keys.rs:
// put -> list -> get -> presign + fetch -> copy -> delete -> head 404, on s3s-fs (which
// recomputes every signature from the encoded path) and on moto.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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

/** The body of tests/keys.rs's `fs_safe`, which `fsSafe` above mirrors (`key.len()` counts UTF-8 bytes). */
const RUST_FS_SAFE = `!key.contains("//") && !key.starts_with('/') && !key.ends_with('/') && !key.contains('\\\\') && key.len() < 512`;

const RUST_SOURCE = new URL('../keys.rs', import.meta.url);

/** One Rust string literal starting at `source[at]` (a `"`): its value and where it ends. */
function rustString(source, at) {
  let value = '';
  let i = at + 1;
  for (;;) {
    const c = source[i];
    if (c === undefined) throw new Error(`unterminated string at ${at}`);
    if (c === '"') return { value, end: i + 1 };
    if (c !== '\\') {
      value += c;
      i += 1;
      continue;
    }
    const escape = source[i + 1];
    const simple = { n: '\n', r: '\r', t: '\t', '\\': '\\', 0: '\0', "'": "'", '"': '"' }[escape];
    if (simple !== undefined) {
      value += simple;
      i += 2;
    } else if (escape === 'x' && /^[0-7][0-9a-fA-F]$/.test(source.slice(i + 2, i + 4))) {
      value += String.fromCharCode(parseInt(source.slice(i + 2, i + 4), 16));
      i += 4;
    } else if (escape === 'u' && /^\{[0-9a-fA-F]{1,6}\}/.test(source.slice(i + 2))) {
      const hex = source.slice(i + 3, source.indexOf('}', i));
      value += String.fromCodePoint(parseInt(hex, 16));
      i = source.indexOf('}', i) + 1;
    } else if (escape === '\n') {
      i += 2; // a line continuation skips the newline and the next line's leading whitespace
      while (/\s/.test(source[i])) i += 1;
    } else {
      throw new Error(`unknown escape \\${escape} in a string at ${at}`);
    }
  }
}

/**
 * tests/keys.rs's key table, read from its source: the string literals of the array in
 * `fn awkward_keys`, then each `keys.push(format!("{}TAIL", "UNIT".repeat(N)))`. Anything else
 * there (another kind of literal, another statement) is refused rather than skipped, so the two
 * tables cannot drift apart unnoticed.
 */
function rustKeyTable() {
  const source = readFileSync(RUST_SOURCE, 'utf8');
  const fn = source.match(/\nfn awkward_keys\(\) -> Vec<String> \{\n([\s\S]*?)\n\}\n/);
  assert.ok(fn, 'tests/keys.rs has no `fn awkward_keys() -> Vec<String>`');
  const table = fn[1].match(/^\s*let mut keys: Vec<String> = \[([\s\S]*?)\]\s*\.map\(String::from\)\s*\.to_vec\(\);/);
  assert.ok(table, 'awkward_keys in tests/keys.rs no longer starts with `let mut keys: Vec<String> = [ … ].map(String::from).to_vec();`');
  const keys = [];
  const literals = table[1];
  for (let i = 0; i < literals.length;) {
    if (/[\s,]/.test(literals[i])) {
      i += 1;
    } else if (literals.startsWith('//', i)) {
      i = literals.indexOf('\n', i) === -1 ? literals.length : literals.indexOf('\n', i);
    } else if (literals[i] === '"') {
      const { value, end } = rustString(literals, i);
      keys.push(value);
      i = end;
    } else {
      assert.fail(`cannot read the key table of tests/keys.rs at: ${literals.slice(i, i + 40)}`);
    }
  }
  for (const line of fn[1].slice(table[0].length).split('\n')) {
    const statement = line.replace(/\/\/.*$/, '').trim();
    if (statement === '' || statement === 'keys') continue;
    const push = statement.match(/^keys\.push\(format!\("\{\}([^"\\{}]*)", "([^"\\]*)"\.repeat\((\d+)\)\)\);$/);
    assert.ok(push, `cannot read this line of awkward_keys in tests/keys.rs: ${statement}`);
    keys.push(push[2].repeat(Number(push[3])) + push[1]);
  }
  return keys;
}

test('the key table and the s3s-fs filter are the ones tests/keys.rs uses (read from its source)', () => {
  const rust = rustKeyTable();
  assert.ok(rust.length >= 40, `only ${rust.length} keys read from tests/keys.rs`);
  assert.deepEqual(awkwardKeys(), rust, 'the key tables of tests/js/keys.test.mjs and tests/keys.rs differ');

  const fsSafeSource = readFileSync(RUST_SOURCE, 'utf8').match(/\nfn fs_safe\(key: &str\) -> bool \{\n([\s\S]*?)\n\}\n/);
  assert.ok(fsSafeSource, 'tests/keys.rs has no `fn fs_safe(key: &str) -> bool`');
  assert.equal(fsSafeSource[1].trim().replace(/\s+/g, ' '), RUST_FS_SAFE, 'fs_safe in tests/keys.rs changed: change fsSafe here to match');
  const keys = awkwardKeys();
  assert.equal(utf8Length(keys.at(-1)), 1003);
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

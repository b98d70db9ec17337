// Options no caller should pass, given to every method of the package (wrong types, lone
// surrogates, NaN, BigInt, symbols, functions, proxies and getters that throw), and answers no
// S3 would give. Each call must settle with a result or an S3Error, and the client must still
// work afterwards: in wasm a panic is a trap, and a JS exception thrown through wasm frames can
// leave the client's state half-changed; either would break every later call.
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { S3Client, S3Error } from '../../pkg/index.node.js';

// The wasm's own table of every operation's input fields (a copy tests/generated.rs keeps true).
const INPUTS = JSON.parse(readFileSync(new URL('./operation-inputs.json', import.meta.url), 'utf8'));

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

// Options built from the declarations themselves (every field of every operation by its type,
// nested lists and records, flat groups; now careful, now hostile), called and presigned
// through a fetch double that answers at random, with retries on (Retry-After of every
// kind): each call settles within seconds, and the client works after.
const KINDS = new Set(['validation', 'service', 'network', 'timeout', 'aborted', 'circuit-open', 'credentials']);
// LIVERY_FUZZ_CASES runs more for a deeper search; LIVERY_FUZZ_SEED replays one (or `random`).
const CASES = Number(process.env.LIVERY_FUZZ_CASES ?? 1500);

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function random(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (items) => items[Math.floor(next() * items.length)];
  return { next, pick, chance: (p) => next() < p };
}

const TEXTS = ['bucket-one', 'key/with space+plus=eq', 'a', '', '..', 'a/./b', '%2E', '☃/ü/😀', 'x'.repeat(1100),
  '\u0000', 'tab\there', 'line\nbreak', '\ud800', 'bytes=0-1', 'arn:aws:s3:::b', '<&>"\'', 'CRC32', 'SHA256', 'Enabled',
  'url', 'REPLACE', 'COPY', 'us-west-2', '"etag"', 'W/"weak"'];
const ODD = () => [undefined, null, 0, -1, 1.5, NaN, Infinity, 2 ** 64, 1n, Symbol('s'), true, {}, [], [,], () => 1,
  new Date(NaN), Object.create(null), new Proxy({}, { ownKeys: throwing })];

/** What a careful caller gives: calls made of these reach the fetch double and read its answers. */
const SENSIBLE_TEXT = { bucket: ['bucket-one'], sourceBucket: ['bucket-two'], checksum: ['CRC32', 'SHA256'], status: ['Enabled', 'Suspended'],
  metadataDirective: ['COPY', 'REPLACE'], encodingType: ['url'], checksumMode: ['ENABLED'], locationConstraint: ['eu-west-1'],
  storageClass: ['STANDARD'], acl: ['private'] };
const SENSIBLE = { t: ['key/with space+plus=eq', '☃/ü/😀', 'a'], i: [1, 2, 5, 1000], b: [true, false], d: [new Date(0), '2026-01-01T00:00:00Z'],
  m: [{ colour: 'blue' }], r: [{ start: 0, end: 9 }, { suffix: 5 }], B: ['text', new Uint8Array(3), new Blob(['blob'])] };

function valueOf(name, type, nested, r, hostile) {
  if (!hostile) {
    if (type === 'L') return Array.from({ length: 1 + Math.floor(r.next() * 3) }, () => fields(nested, r, hostile));
    if (type === 'R') return fields(nested, r, hostile);
    return r.pick(SENSIBLE_TEXT[name] ?? SENSIBLE[type]);
  }
  if (r.chance(0.15)) return r.pick(ODD());
  switch (type) {
    case 't': return r.pick(TEXTS);
    case 'i': return r.pick([0, 1, 2, 5, 1000, 1001, 10000, 10001, -1, 1.5, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, '5']);
    case 'b': return r.pick([true, false, 'true', 1]);
    case 'd': return r.pick([new Date(0), new Date(253402300799000), new Date(253402300800000), new Date(-1), '2026-01-01T00:00:00Z',
      'Tue, 01 Dec 2026 00:00:00 GMT', 'yesterday', 1e16, -1e15, 0]);
    case 'm': return r.pick([{}, { colour: 'blue' }, { 'bad name': 'x' }, { a: 1 }, { '': '' }, { a: 'line\nbreak' }, { a: '☃' },
      Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, 'v'.repeat(100)]))]);
    case 'r': return r.pick([{ start: 0, end: 9 }, { start: 5, end: 1 }, { suffix: 0 }, { suffix: 5 }, { start: 3 }, 'bytes=0-1',
      'bytes=0-1,2-3', 'bytes=-', { start: -1 }, { start: 2 ** 60 }, { start: 0, end: 1, extra: 1 }, {}]);
    case 'B': return r.pick(['text', '', new Uint8Array(3), new Blob(['blob']), new ArrayBuffer(2), new DataView(new ArrayBuffer(4)), 42, {},
      new ReadableStream({ pull(c) { c.enqueue(new Uint8Array(2)); c.close(); } })]);
    case 'L': return r.pick([[], 'not a list', [null], [,], new Array(1001).fill(0).map(() => fields(nested, r, hostile)),
      Array.from({ length: 1 + Math.floor(r.next() * 3) }, () => fields(nested, r, hostile))]);
    case 'R': return r.chance(0.8) ? fields(nested, r, hostile) : r.pick(ODD());
    default: throw new Error(`no generator for type ${type}`);
  }
}

/** Options for one declaration: each field given or left out, flat groups at the top level;
 * `hostile` options are mostly wrong, the others what a careful caller gives. */
function fields(declared, r, hostile, into = {}) {
  for (const [name, type, required, nested] of declared) {
    if (type === 'F') {
      fields(nested, r, hostile, into);
    } else if (required ? !hostile || r.chance(0.95) : r.chance(0.5)) {
      into[name] = valueOf(name, type, nested, r, hostile);
    }
  }
  if (hostile && r.chance(0.05)) into.notAnOption = 1;
  return into;
}

const XML = [
  '<?xml version="1.0"?><ListBucketResult><Name>b</Name><KeyCount>1</KeyCount><IsTruncated>false</IsTruncated><Contents><Key>a&amp;b</Key><Size>5</Size><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>&quot;x&quot;</ETag></Contents></ListBucketResult>',
  '<ListBucketResult><IsTruncated>maybe</IsTruncated><MaxKeys>-5</MaxKeys><Contents><Size>99999999999999999999999</Size><LastModified>soon</LastModified></Contents>',
  '<Error><Code>SlowDown</Code><Message>slow</Message><RequestId>r</RequestId></Error>',
  '<Error><Code>AuthorizationHeaderMalformed</Code><Region>eu-west-1</Region></Error>',
  '<Error><Code>ExpiredToken</Code></Error>',
  '<Error><Code>RequestTimeTooSkewed</Code></Error>',
  '<InitiateMultipartUploadResult><UploadId>u</UploadId></InitiateMultipartUploadResult>',
  '<CompleteMultipartUploadResult><ETag>"e-2"</ETag></CompleteMultipartUploadResult>',
  '<DeleteResult><Deleted><Key>k</Key></Deleted><Error><Key>j</Key><Code>AccessDenied</Code></Error></DeleteResult>',
  '<ListPartsResult><IsTruncated>true</IsTruncated><NextPartNumberMarker>99999999999</NextPartNumberMarker><Part><PartNumber>0</PartNumber><Size>-1</Size></Part></ListPartsResult>',
  '<LocationConstraint>&#xD800;</LocationConstraint>',
  '<VersioningConfiguration><Status>&#99999999;</Status></VersioningConfiguration>',
  '<a>'.repeat(5000),
  '<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
  '<x><![CDATA[unclosed',
  '\u0000\u0001binary',
  '',
];

function answerFor(r) {
  const status = r.pick([200, 200, 200, 204, 206, 301, 304, 307, 400, 403, 404, 409, 412, 416, 429, 500, 503]);
  const headers = new Headers();
  const maybe = (name, values) => { if (r.chance(0.5)) headers.set(name, r.pick(values)); };
  maybe('etag', ['"abc"', 'W/"weak"', 'no-quotes', '"', '']);
  maybe('content-length', ['0', '5', 'abc', '-1', '99999999999999999999']);
  maybe('content-range', ['bytes 0-4/5', 'bytes 9-1/2', 'bytes */5', 'nonsense']);
  maybe('last-modified', ['Tue, 01 Dec 2026 00:00:00 GMT', 'never', 'Sun, 31 Dec 9999 23:59:59 GMT']);
  maybe('date', ['Tue, 01 Dec 2026 00:00:00 GMT', 'Thu, 01 Jan 1970 00:00:00 GMT', 'now']);
  maybe('retry-after', ['0', '1', 'abc', '1e9', '-5']);
  maybe('x-amz-bucket-region', ['eu-west-1', 'not a region', '']);
  maybe('x-amz-version-id', ['v1', '']);
  maybe('x-amz-delete-marker', ['true', 'yes']);
  maybe('x-amz-meta-colour', ['blue', '=?UTF-8?B?4piD?=', '=?UTF-8?B?!!!?=']);
  maybe('x-amz-checksum-crc32', ['AAAAAA==', 'not base64']);
  maybe('x-amz-mp-parts-count', ['2', 'x']);
  const body = r.pick(XML);
  return status === 204 || status === 304 ? new Response(null, { status, headers }) : new Response(body, { status, headers });
}

/** Settles `promise` within `ms`, or says it hung. */
function settleWithin(promise, ms) {
  let timer;
  const hung = new Promise((resolve) => { timer = setTimeout(() => resolve({ hung: true }), ms); });
  return Promise.race([promise.then((value) => ({ value }), (error) => ({ error })), hung]).finally(() => clearTimeout(timer));
}

function checkOutcome(outcome, what) {
  assert.ok(!outcome.hung, `${what} did not settle within 10 s`);
  if ('error' in outcome) {
    const e = outcome.error;
    assert.ok(e instanceof S3Error, `${what} rejected with ${e?.constructor?.name}: ${e?.message ?? e}\n${e?.stack ?? ''}`);
    assert.ok(KINDS.has(e.kind), `${what}: unknown kind ${e.kind}`);
    assert.equal(typeof e.message, 'string');
  }
}

test(`${CASES} calls and presigns with options built from the declarations, against random answers with retries on: each settles within 10 s with a result or an S3Error, and the client works after`, async () => {
  // A fixed seed, so `make test` is the same run every time; LIVERY_FUZZ_SEED=random searches anew.
  const given = process.env.LIVERY_FUZZ_SEED;
  const seed = given === 'random' ? Date.now() % 1e9 : Number(given ?? 20261202);
  const r = random(seed);
  const s3 = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9000', credentials: KEYS,
    retry: { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 5 }, timeoutMs: 2000,
    fetch: async () => answer() });
  let answer = () => answerFor(r);
  const names = Object.keys(INPUTS);
  const settled = { value: 0, error: 0 };
  for (let i = 0; i < CASES; i++) {
    const name = r.pick(names);
    // Now and then the options are no object at all.
    const odd = r.chance(0.03);
    const options = odd ? r.pick(ODD()) : fields(INPUTS[name], r, r.chance(0.5));
    const what = `seed ${seed}, case ${i}: ${name}`;
    const outcome = await settleWithin(s3[name](options), 10_000);
    checkOutcome(outcome, what);
    settled['error' in outcome ? 'error' : 'value']++;
    if (outcome.value?.body) {
      // An object body: read it whole, or fail as an S3Error too.
      checkOutcome(await settleWithin(new Response(outcome.value.body).arrayBuffer(), 10_000), `${what} (its body)`);
    }
    const presigning = odd ? options : { operation: name, ...options, expiresIn: r.pick([1, 900, 0, 604801, undefined]) };
    const presigned = await settleWithin(s3.presign(presigning), 10_000);
    checkOutcome(presigned, `${what} (presign)`);
    if ('value' in presigned) assert.ok(new URL(presigned.value).searchParams.has('X-Amz-Signature'), what);
  }
  // Both ways out were taken, so neither the generators nor the answers are all of one kind.
  assert.ok(settled.value > CASES / 50 && settled.error > CASES / 50, JSON.stringify(settled));
  if (process.env.LIVERY_FUZZ_STATS) console.log(seed, settled);
  // No trap poisoned the instance: the same client signs and calls as before.
  answer = () => new Response(null, { status: 200, headers: { 'content-length': '3', etag: '"e"' } });
  assert.equal((await s3.headObject({ bucket: 'bucket-one', key: 'k' })).etag, '"e"');
  assert.match(await s3.presign({ bucket: 'bucket-one', key: 'k' }), /X-Amz-Signature=[0-9a-f]{64}$/);
});

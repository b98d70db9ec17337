// Hostile input at the JS boundary, without a server: every declared operation is called and
// presigned with options built at random from its declaration (right and wrong types, lone
// surrogates, control characters, NaN, BigInt, Symbols, holes, huge numbers, unknown keys),
// through a fetch double that answers at random (every status family, nonsense headers,
// truncated, malformed or hostile XML). Whatever happens, a call settles within seconds with a
// result or an S3Error of a known kind: never a TypeError, never a WebAssembly trap (a Rust
// panic), and the same client still works at the end. The seed is printed on failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { S3Client, S3Error } from '../../pkg/index.node.js';
import { INPUTS } from '../../pkg-template/operations.js';

const KINDS = new Set(['validation', 'service', 'network', 'timeout', 'aborted', 'circuit-open', 'credentials']);
// LIVERY_FUZZ_CASES runs more for a deeper search; LIVERY_FUZZ_SEED replays one.
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
  new Date(NaN), Object.create(null), new Proxy({}, { ownKeys: () => { throw new Error('no keys'); } })];

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

test(`${CASES} random calls and presigns of every operation, against random answers: each settles with a result or a typed S3Error, and the client still works`, async () => {
  const seed = Number(process.env.LIVERY_FUZZ_SEED ?? Date.now() % 1e9);
  const r = random(seed);
  const s3 = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9000',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
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

// Differential signing: the package's SigV4 against a second signer written here from AWS's
// pages alone (node:crypto's HMAC and SHA-256, nothing shared with the wasm), over thousands of
// random requests: awkward keys (reserved characters, percent signs, unicode, emoji), version
// ids, response overrides, session tokens, regions, endpoints (AWS's own included), path-style
// and virtual-hosted addressing.
// - Presigned URLs, signed at random dates, must be identical, byte for byte.
// - Requests the client sends (through a fetch double, signed with the clock) must carry the
//   signature that the second signer computes from what was sent, as a server would: the path
//   as sent, the query decoded and encoded again, the signed headers trimmed and lower-cased;
//   every x-amz-* header signed, the query sent in its canonical encoding and the payload hash
//   that of the body sent (or UNSIGNED-PAYLOAD).
// Rules: https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html and
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { S3Client } from '../../pkg/index.node.js';

const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();

/** UriEncode: every byte but A-Z a-z 0-9 - . _ ~ as %XX (upper-case), `/` kept in a path. */
function uriEncode(text, keepSlash) {
  let out = '';
  for (const byte of new TextEncoder().encode(text)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === '/') ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** `[name, value]` pairs (not encoded) as a canonical query string. */
const canonicalQuery = (pairs) => pairs.map(([k, v]) => [uriEncode(k, false), uriEncode(v, false)])
  .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
  .map(([k, v]) => `${k}=${v}`).join('&');

function signature({ secret, date, region, method, path, query, headers, signed, payload }) {
  const amzDate = date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const canonicalHeaders = signed.map((name) => `${name}:${headers[name].trim().replace(/ +/g, ' ')}\n`).join('');
  const request = [method, path, query, canonicalHeaders, signed.join(';'), payload].join('\n');
  const scope = `${day}/${region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(request)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), 's3'), 'aws4_request');
  return { signature: createHmac('sha256', key).update(toSign).digest('hex'), amzDate, scope };
}

/** A seeded generator, so a failure names a case that comes back. */
function random(seed) {
  let s = seed >>> 0 || 1;
  const next = (n) => {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    return (s >>> 0) % n;
  };
  const pick = (list) => list[next(list.length)];
  return { next, pick };
}

const KEY_PIECES = ['a', 'Z', '0', '-', '_', '.', '~', ' ', '  ', '+', '=', '%', '%2F', '%20', '&', '?', '#', ':', '@', ',',
  ';', '$', '!', '*', "'", '(', ')', '[', ']', '{', '}', '|', '^', '`', '"', '<', '>', '\\', 'é', 'ß', '日本', '😀', 'ǅ',
  '\u00a0', '/', 'dir/', 'x'];
const ENDPOINTS = [['http://127.0.0.1:9000', '127.0.0.1:9000'], ['https://s3.example.com', 's3.example.com'],
  ['http://Example.COM:80', 'example.com'], ['https://[::1]:8443', '[::1]:8443'], ['https://minio.local:443/', 'minio.local'],
  [undefined, undefined]];
const REGIONS = ['us-east-1', 'eu-west-3', 'ap-southeast-2', 'cn-north-1', 'garage'];
const OVERRIDES = [['responseContentType', 'response-content-type', 'text/plain; charset=utf-8'],
  ['responseContentDisposition', 'response-content-disposition', 'attachment; filename="r\u00e9sum\u00e9 (1).pdf"'],
  ['responseCacheControl', 'response-cache-control', 'no-cache, max-age=0'],
  ['responseContentLanguage', 'response-content-language', 'en-GB'],
  ['responseExpires', 'response-expires', 'Thu, 01 Dec 2094 16:00:00 GMT'],
  ['responseContentEncoding', 'response-content-encoding', 'gzip']];

function randomCase(r) {
  let key = '';
  for (let n = 1 + r.next(12); n > 0; n--) key += r.pick(KEY_PIECES);
  // A '.' or '..' segment is refused (fetch's URL parser would remove it): keep them out.
  key = key.split('/').map((segment) => (segment === '.' || segment === '..' ? `${segment}k` : segment)).join('/');
  const [endpoint, host] = r.pick(ENDPOINTS);
  const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let accessKeyId = 'AKIA';
  for (let i = 0; i < 16; i++) accessKeyId += r.pick(alnum);
  let secretAccessKey = '';
  for (let i = 0; i < 40; i++) secretAccessKey += r.pick(`${alnum}abcdefghijklmnopqrstuvwxyz/+`);
  const sessionToken = r.next(3) === 0 ? `FwoGZXIvYXdzE${r.next(1e9)}/+=token` : undefined;
  const region = r.pick(REGIONS);
  return {
    key, endpoint, accessKeyId, secretAccessKey, sessionToken, region,
    // No endpoint: AWS's regional one (China's regions have their own domain).
    host: host ?? `s3.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`,
    scheme: endpoint ? endpoint.slice(0, endpoint.indexOf(':')) : 'https',
    addressing: r.pick(['path', 'virtual']),
    bucket: r.pick(['bucket', 'my.dotted.bucket', 'b-1-2']),
    date: new Date(Date.UTC(2000 + r.next(99), r.next(12), 1 + r.next(28), r.next(24), r.next(60), r.next(60))),
    expiresIn: 1 + r.next(604800),
    versionId: r.next(3) === 0 ? r.pick(['null', '3/L4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo', 'v=1&x']) : undefined,
    method: r.pick(['GET', 'GET', 'PUT', 'HEAD', 'DELETE']),
    overrides: OVERRIDES.filter(() => r.next(4) === 0),
  };
}

const clientOf = (c, fetch) => new S3Client({ region: c.region, endpoint: c.endpoint, addressing: c.addressing, fetch,
  credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken } });

/** Where a request for the case's object goes: virtual-hosted puts the bucket in the host,
 * unless the host is an IP address or the bucket's dots would break an https wildcard
 * certificate (then path-style, as S3 advises). */
function locate(c, key = c.key) {
  const ip = /^(\[|[\d.]+(:|$))/.test(c.host);
  const virtual = c.addressing === 'virtual' && !ip && !(c.scheme === 'https' && c.bucket.includes('.'));
  // A bucket's own request (a listing; `key` null) has none: `/bucket`, or `/` in its host.
  const path = key === null ? '' : `/${uriEncode(key, true)}`;
  return virtual ? { host: `${c.bucket}.${c.host}`, path: path || '/' } : { host: c.host, path: `/${c.bucket}${path}` };
}

test('3,000 random presigned URLs are byte for byte those of an independent signer', async () => {
  const r = random(0x5eed);
  for (let i = 0; i < 3000; i++) {
    const c = randomCase(r);
    const overrides = c.method === 'GET' ? c.overrides : [];
    const versionId = c.method === 'PUT' ? undefined : c.versionId;
    const s3 = clientOf(c);
    const url = await s3.presign({ method: c.method, bucket: c.bucket, key: c.key, versionId,
      expiresIn: c.expiresIn, signingDate: c.date, ...Object.fromEntries(overrides.map(([option, , v]) => [option, v])) });
    s3.close();

    const day = c.date.toISOString().slice(0, 10).replace(/-/g, '');
    const amzDate = c.date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const pairs = [['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
      ['X-Amz-Credential', `${c.accessKeyId}/${day}/${c.region}/s3/aws4_request`], ['X-Amz-Date', amzDate],
      ['X-Amz-Expires', String(c.expiresIn)], ['X-Amz-SignedHeaders', 'host'],
      ...(c.sessionToken ? [['X-Amz-Security-Token', c.sessionToken]] : []),
      ...(versionId !== undefined ? [['versionId', versionId]] : []),
      ...overrides.map(([, name, v]) => [name, v])];
    const query = canonicalQuery(pairs);
    const { host, path } = locate(c);
    const { signature: sig } = signature({ secret: c.secretAccessKey, date: c.date, region: c.region, method: c.method,
      path, query, headers: { host }, signed: ['host'], payload: 'UNSIGNED-PAYLOAD' });
    assert.equal(url, `${c.scheme}://${host}${path}?${query}&X-Amz-Signature=${sig}`, `case ${i}: ${JSON.stringify(c)}`);
  }
});

test('1,500 random signed requests (put, head, delete, get, list, copy) carry the signature an independent verifier computes from what was sent', async () => {
  const r = random(0xc0ffee);
  let checked = 0;
  for (let i = 0; i < 1500; i++) {
    const c = randomCase(r);
    let sent;
    const fetch = async (url, init) => {
      sent = { url: new URL(url), method: init.method, body: init.body, headers: Object.fromEntries(Object.entries(init.headers)
        .map(([k, v]) => [k.toLowerCase(), v])) };
      return new Response(null, { status: 200, headers: { etag: '"e"' } });
    };
    const s3 = clientOf(c, fetch);
    const extra = Object.fromEntries(c.overrides.map(([option, , v]) => [option, v]));
    // Each call, and the key its request names.
    const calls = [
      () => s3.putObject({ bucket: c.bucket, key: c.key, body: c.key, contentType: 'text/plain;  charset=utf-8',
        metadata: { note: `  ${[...c.key].slice(0, 8).join('')} `, 'x-y': 'z' }, cacheControl: 'max-age=60' }),
      () => s3.headObject({ bucket: c.bucket, key: c.key, versionId: c.versionId, ifNoneMatch: '"abc"' }),
      () => s3.deleteObject({ bucket: c.bucket, key: c.key, versionId: c.versionId }),
      () => s3.getObject({ bucket: c.bucket, key: c.key, versionId: c.versionId, range: { start: 0, end: 9 }, ...extra }),
      // A query of the caller's text: the key as prefix and start, the version id as a token.
      () => s3.listObjects({ bucket: c.bucket, prefix: c.key, delimiter: '/', startAfter: c.key, maxKeys: 1 + r.next(1000),
        continuationToken: c.versionId, fetchOwner: r.next(2) === 0 }),
      // The source travels in a header (x-amz-copy-source), encoded like a path.
      () => s3.copyObject({ bucket: c.bucket, key: `${c.key}.copy`, sourceBucket: 'source-bucket', sourceKey: c.key,
        sourceVersionId: c.versionId }),
    ];
    const which = r.next(calls.length);
    const key = [c.key, c.key, c.key, c.key, null, `${c.key}.copy`][which];
    const outcome = await calls[which]().then(() => 'ok', (e) => `${e.kind}: ${e.message}`);
    s3.close();
    assert.ok(sent, `case ${i}: nothing was sent (${outcome}): ${JSON.stringify(c)}`);
    const auth = /^AWS4-HMAC-SHA256 Credential=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/
      .exec(sent.headers.authorization);
    assert.ok(auth, `case ${i}: ${sent.headers.authorization}`);
    const signed = auth[2].split(';');
    assert.deepEqual(signed, [...signed].sort(), `case ${i}: signed headers sorted`);
    for (const name of ['host', 'x-amz-date', 'x-amz-content-sha256']) assert.ok(signed.includes(name), `case ${i}: ${name} signed`);
    // S3 refuses a request with an unsigned x-amz-* header (HeadersNotSigned).
    for (const name of Object.keys(sent.headers).filter((n) => n.startsWith('x-amz-'))) {
      assert.ok(signed.includes(name), `case ${i}: ${name} sent unsigned`);
    }
    const payload = sent.headers['x-amz-content-sha256'];
    assert.ok(payload === 'UNSIGNED-PAYLOAD' || payload === sha256(sent.body ?? ''), `case ${i}: payload hash ${payload}`);
    if (c.sessionToken) assert.equal(sent.headers['x-amz-security-token'], c.sessionToken);
    // fetch sets Host itself: the verifier takes it from the URL, as the server sees it.
    const headers = { ...sent.headers, host: sent.url.host };
    const where = locate(c, key);
    assert.equal(headers.host, where.host, `case ${i}: host`);
    const raw = sent.url.search.slice(1);
    const pairs = raw ? raw.split('&').map((pair) => {
      const at = pair.includes('=') ? pair.indexOf('=') : pair.length;
      const [name, value] = [pair.slice(0, at), pair.slice(at + 1)];
      // Sent as signed: each name and value already in UriEncode's form (no `+` for a space).
      assert.equal(`${uriEncode(decodeURIComponent(name), false)}=${uriEncode(decodeURIComponent(value), false)}`,
        `${name}=${value}`, `case ${i}: query ${pair}`);
      return [decodeURIComponent(name), decodeURIComponent(value)];
    }) : [];
    // The client signs with its clock: the verifier takes the date the request carries.
    const carried = sent.headers['x-amz-date'];
    const when = new Date(`${carried.slice(0, 4)}-${carried.slice(4, 6)}-${carried.slice(6, 8)}T${carried.slice(9, 11)}:${carried.slice(11, 13)}:${carried.slice(13, 15)}Z`);
    const expected = signature({ secret: c.secretAccessKey, date: when, region: c.region, method: sent.method,
      path: sent.url.pathname, query: canonicalQuery(pairs), headers, signed, payload: sent.headers['x-amz-content-sha256'] });
    assert.equal(auth[1], `${c.accessKeyId}/${expected.scope}`, `case ${i}: credential scope`);
    assert.equal(auth[3], expected.signature, `case ${i}: ${JSON.stringify({ ...c, sent })}`);
    // The path as sent is the key encoded once, as signed (S3 does not normalise it).
    assert.equal(sent.url.pathname, where.path, `case ${i}: path`);
    checked++;
  }
  assert.equal(checked, 1500);
});

// The package's browser entry in headless Chromium against S3 endpoints on another origin than
// the page's: one that has no CORS at all (its preflight gets a 403, like a bucket without CORS
// rules), one that lets the preflight through but sends no Access-Control-Allow-Origin with its
// answers, and one that sends the CORS headers. The first two must reject with an S3Error of
// kind 'network', not retryable, whose message names CORS (src/transport/fetch.rs,
// Attempt::failed); the third must succeed with the same page and client, so the refusals come
// from CORS and not from a broken setup (and Node, which has no CORS, gets answers from the
// CORS-less one). Each endpoint is a tiny S3 stand-in on its own port
// (so its own origin) that records what reached it; it checks no signature.
// Tools: `make test-runtimes` installs them (playwright-core; Debian chromium).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { S3Client } from '../../pkg/index.node.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PKG = realpathSync(resolve(HERE, '../../pkg'));
// The file the exports map gives the `browser` condition (runtimes.test.mjs checks the whole
// resolution; here it only has to be the browser entry).
const BROWSER_ENTRY = JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8')).exports['.'].browser;
const CREDENTIALS = { accessKeyId: 'AKIACORSTEST00000001', secretAccessKey: 'cors/test/secret+key=0123456789abcdefghij' };
const BUCKET = 'cors-test';
const SEEDED = { key: 'cors/seeded.txt', body: 'an object the stand-in starts with\n' };
const CALL_DEADLINE_MS = 20_000; // per call in the page; the client's own attempt deadline is 10 s

const etagOf = (bytes) => `"${createHash('md5').update(bytes).digest('hex')}"`;

/**
 * A tiny S3 stand-in on 127.0.0.1: HEAD and PUT of objects kept in memory (path-style
 * /bucket/key), anything else 501. `cors` is what it does about CORS:
 *   'none'           no Access-Control-* header on any answer, and the preflight (OPTIONS) gets
 *                    403 AccessForbidden, as S3 answers for a bucket without CORS rules;
 *   'preflight-only' the preflight is allowed (origin, method and headers), but the answers
 *                    themselves carry no Access-Control-Allow-Origin;
 *   'full'           the preflight is allowed and every answer carries
 *                    Access-Control-Allow-Origin and exposes ETag.
 * `requests` records everything that reached it.
 */
async function startStubS3(cors) {
  const objects = new Map([[`/${BUCKET}/${SEEDED.key}`, Buffer.from(SEEDED.body)]]);
  const requests = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = decodeURIComponent(new URL(req.url, 'http://stub').pathname);
      const origin = req.headers.origin;
      requests.push({
        method: req.method,
        path,
        origin,
        signed: /^AWS4-HMAC-SHA256 Credential=/.test(req.headers.authorization ?? ''),
        preflightMethod: req.headers['access-control-request-method'],
        bodyBytes: body.length,
      });
      const corsHeaders = cors === 'full' && origin
        ? { 'access-control-allow-origin': origin, 'access-control-expose-headers': 'ETag, x-amz-request-id, x-amz-version-id', vary: 'Origin' }
        : {};
      const common = { 'x-amz-request-id': `stub-${requests.length}`, ...corsHeaders };

      if (req.method === 'OPTIONS') {
        if (cors === 'none') {
          return res.writeHead(403, { 'content-type': 'application/xml', ...common })
            .end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessForbidden</Code><Message>CORSResponse: CORS is not enabled for this bucket.</Message></Error>');
        }
        return res.writeHead(204, {
          'access-control-allow-origin': origin ?? '*',
          'access-control-allow-methods': 'GET, PUT, HEAD, DELETE, POST',
          'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '',
          'access-control-max-age': '0', // no preflight cache between calls
          vary: 'Origin',
        }).end();
      }
      if (req.method === 'PUT' && path.split('/').length > 2) {
        objects.set(path, body);
        return res.writeHead(200, { etag: etagOf(body), 'content-length': '0', ...common }).end();
      }
      if (req.method === 'HEAD') {
        const object = objects.get(path);
        if (!object) return res.writeHead(404, common).end();
        return res.writeHead(200, {
          'content-length': String(object.length),
          'content-type': 'text/plain',
          etag: etagOf(object),
          'last-modified': new Date(Date.UTC(2024, 0, 2, 3, 4, 5)).toUTCString(),
          ...common,
        }).end();
      }
      return res.writeHead(501, { 'content-type': 'application/xml', ...common })
        .end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>NotImplemented</Code><Message>not in the stand-in</Message></Error>');
    });
  });
  await new Promise((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    endpoint: `http://127.0.0.1:${server.address().port}`,
    requests,
    objects,
    async close() {
      server.closeAllConnections();
      await new Promise((closed) => server.close(closed));
    },
  };
}

const CONTENT_TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

/** The page's origin: /cors.html (with the import map), /cors.mjs and the package under /node_modules/livery-s3/. */
async function startSite() {
  const packagePrefix = '/node_modules/livery-s3/';
  const importMap = JSON.stringify({ imports: { 'livery-s3': packagePrefix + BROWSER_ENTRY.replace(/^\.\//, '') } });
  const site = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://site').pathname);
    if (path === '/favicon.ico') return res.writeHead(204).end(); // no 404 among the page's console errors
    const file = path.startsWith(packagePrefix) ? join(PKG, path.slice(packagePrefix.length))
      : ['/cors.html', '/cors.mjs'].includes(path) ? join(HERE, path.slice(1))
        : undefined;
    if (!file || (!file.startsWith(PKG + sep) && !file.startsWith(HERE + sep))) return res.writeHead(404).end();
    let body;
    try { body = readFileSync(file); } catch { return res.writeHead(404).end(); }
    if (file.endsWith('.html')) body = body.toString('utf8').replace('<!--importmap-->', `<script type="importmap">${importMap}</script>`);
    return res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
  });
  await new Promise((listening) => site.listen(0, '127.0.0.1', listening));
  return {
    origin: `http://127.0.0.1:${site.address().port}`,
    async close() {
      site.closeAllConnections();
      await new Promise((closed) => site.close(closed));
    },
  };
}

let site;
let profile;
let context;
let page;
let pageFailure;
const problems = []; // what the browser reported: console errors, failed requests, page errors
before(async () => {
  site = await startSite();
  profile = mkdtempSync(join(tmpdir(), 'livery-s3-cors-'));
  context = await launchChromium(profile);
  page = context.pages()[0] ?? await context.newPage();
  // An uncaught error (e.g. the module graph failing to load) ends any wait at once.
  let failed;
  pageFailure = new Promise((_, reject) => { failed = reject; });
  pageFailure.catch(() => {});
  page.on('pageerror', (e) => { problems.push(`pageerror: ${e.message}`); failed(new Error(`the page threw: ${e.message}`)); });
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
  await page.goto(`${site.origin}/cors.html`, { timeout: 30_000 });
  await Promise.race([pageFailure, page.waitForFunction(() => globalThis.pageReady === true, null, { timeout: 30_000 })])
    .catch((e) => { throw new Error(`the page did not load livery-s3: ${e.message}\n${problems.join('\n')}`); });
}, { timeout: 90_000 });
after(async () => {
  await context?.close();
  await site?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** One call made by the page with a fresh client; { result } or { error } (plain data). */
async function callInPage(endpoint, operation, options) {
  let timer;
  const overdue = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(
      `${operation} against ${endpoint} did not settle in the page within ${CALL_DEADLINE_MS / 1000} s\n${problems.join('\n')}`)), CALL_DEADLINE_MS);
  });
  try {
    return await Promise.race([
      page.evaluate((args) => globalThis.callS3(args), { endpoint, ...CREDENTIALS, operation, options }),
      overdue,
      pageFailure,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The S3Error a CORS refusal must become; `url` is the object's URL, which the message names. */
function assertCorsRefusal(outcome, url, what) {
  assert.ok(outcome.error, `${what} resolved instead of rejecting: ${JSON.stringify(outcome.result)}`);
  const { isS3Error, name, kind, code, status, retryable, message } = outcome.error;
  assert.deepEqual({ isS3Error, name, kind, code, status, retryable },
    { isS3Error: true, name: 'S3Error', kind: 'network', code: 'NetworkError', status: undefined, retryable: false },
    `${what}: ${message}`);
  assert.match(message, /\bCORS\b/, `${what}: the message does not name CORS`);
  assert.ok(message.includes(url), `${what}: the message does not name ${url}: ${message}`);
  assert.ok(!message.includes(CREDENTIALS.secretAccessKey), `${what}: the message holds the secret key`);
}

/** Chromium itself logged that it blocked `url` for CORS (the page cannot see why; the console can). */
async function assertBrowserBlocked(url, reason) {
  const deadline = Date.now() + 2_000; // console events may trail the rejection a little
  const blocked = () => problems.find((p) => p.startsWith('console: ') && p.includes(`'${url}'`) && p.includes('blocked by CORS policy'));
  while (!blocked() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.ok(blocked(), `Chromium logged no CORS block of ${url}:\n${problems.join('\n')}`);
  assert.match(blocked(), reason);
}

const methodsSeen = (stub) => stub.requests.map((r) => `${r.method} ${r.path}`);

test('Node (no CORS) gets answers from the stand-in that refuses CORS: headObject and putObject succeed, so only the browser\'s CORS check can refuse them', async () => {
  const stub = await startStubS3('none');
  try {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: stub.endpoint, credentials: CREDENTIALS, timeoutMs: 10_000 });
    const head = await s3.headObject({ bucket: BUCKET, key: SEEDED.key });
    assert.equal(head.contentLength, Buffer.byteLength(SEEDED.body));
    assert.equal(head.etag, etagOf(Buffer.from(SEEDED.body)));
    const put = await s3.putObject({ bucket: BUCKET, key: 'cors/from-node.txt', body: 'from node' });
    assert.equal(put.etag, etagOf(Buffer.from('from node')));
    assert.deepEqual(methodsSeen(stub), [`HEAD /${BUCKET}/${SEEDED.key}`, `PUT /${BUCKET}/cors/from-node.txt`]);
    assert.ok(stub.requests.every((r) => r.signed), 'a request was not signed');
  } finally {
    await stub.close();
  }
});

test('Chromium: headObject and putObject to an endpoint without CORS (preflight answered 403, no Access-Control-* headers) reject with S3Error kind "network", retryable false, message naming CORS; only the preflight is sent, once per call', { timeout: 60_000 }, async () => {
  const stub = await startStubS3('none');
  try {
    const headUrl = `${stub.endpoint}/${BUCKET}/${SEEDED.key}`;
    const head = await callInPage(stub.endpoint, 'headObject', { bucket: BUCKET, key: SEEDED.key });
    assertCorsRefusal(head, headUrl, 'headObject');
    await assertBrowserBlocked(headUrl, /preflight/);

    const putUrl = `${stub.endpoint}/${BUCKET}/cors/put.txt`;
    const put = await callInPage(stub.endpoint, 'putObject', { bucket: BUCKET, key: 'cors/put.txt', body: 'refused' });
    assertCorsRefusal(put, putUrl, 'putObject');
    await assertBrowserBlocked(putUrl, /preflight/);

    // The browser stopped at the preflight (one per call: not retried), from the page's origin,
    // asking for the methods the client uses; the requests themselves never left it.
    assert.deepEqual(stub.requests.map(({ method, path, origin, preflightMethod }) => ({ method, path, origin, preflightMethod })), [
      { method: 'OPTIONS', path: `/${BUCKET}/${SEEDED.key}`, origin: site.origin, preflightMethod: 'HEAD' },
      { method: 'OPTIONS', path: `/${BUCKET}/cors/put.txt`, origin: site.origin, preflightMethod: 'PUT' },
    ]);
    assert.ok(!stub.objects.has(`/${BUCKET}/cors/put.txt`));
  } finally {
    await stub.close();
  }
});

test('Chromium: headObject and putObject whose preflight passes but whose answers lack Access-Control-Allow-Origin reject with S3Error kind "network", retryable false, message naming CORS, though each request reached the endpoint once (the PUT was stored)', { timeout: 60_000 }, async () => {
  const stub = await startStubS3('preflight-only');
  try {
    const headUrl = `${stub.endpoint}/${BUCKET}/${SEEDED.key}`;
    const head = await callInPage(stub.endpoint, 'headObject', { bucket: BUCKET, key: SEEDED.key });
    assertCorsRefusal(head, headUrl, 'headObject');
    await assertBrowserBlocked(headUrl, /Access-Control-Allow-Origin/);

    const putUrl = `${stub.endpoint}/${BUCKET}/cors/put.txt`;
    const put = await callInPage(stub.endpoint, 'putObject', { bucket: BUCKET, key: 'cors/put.txt', body: 'stored, but unreadable' });
    assertCorsRefusal(put, putUrl, 'putObject');
    await assertBrowserBlocked(putUrl, /Access-Control-Allow-Origin/);

    assert.deepEqual(methodsSeen(stub), [
      `OPTIONS /${BUCKET}/${SEEDED.key}`, `HEAD /${BUCKET}/${SEEDED.key}`,
      `OPTIONS /${BUCKET}/cors/put.txt`, `PUT /${BUCKET}/cors/put.txt`,
    ]);
    assert.ok(stub.requests.filter((r) => r.method !== 'OPTIONS').every((r) => r.signed && r.origin === site.origin));
    // The write happened: the page only could not read the answer.
    assert.equal(stub.objects.get(`/${BUCKET}/cors/put.txt`)?.toString(), 'stored, but unreadable');
  } finally {
    await stub.close();
  }
});

test('Chromium: the same page and client succeed against an endpoint that sends the CORS headers (putObject returns the ETag, headObject reads it back)', { timeout: 60_000 }, async () => {
  const stub = await startStubS3('full');
  try {
    const body = 'allowed by CORS ✓';
    const put = await callInPage(stub.endpoint, 'putObject', { bucket: BUCKET, key: 'cors/put.txt', body });
    assert.equal(put.error, undefined, `putObject rejected: ${JSON.stringify(put.error)}\n${problems.join('\n')}`);
    assert.equal(put.result.etag, etagOf(Buffer.from(body)));

    const head = await callInPage(stub.endpoint, 'headObject', { bucket: BUCKET, key: 'cors/put.txt' });
    assert.equal(head.error, undefined, `headObject rejected: ${JSON.stringify(head.error)}\n${problems.join('\n')}`);
    assert.equal(head.result.contentLength, Buffer.byteLength(body));
    assert.equal(head.result.contentType, 'text/plain');
    assert.equal(head.result.etag, put.result.etag);

    assert.deepEqual(methodsSeen(stub), [
      `OPTIONS /${BUCKET}/cors/put.txt`, `PUT /${BUCKET}/cors/put.txt`,
      `OPTIONS /${BUCKET}/cors/put.txt`, `HEAD /${BUCKET}/cors/put.txt`,
    ]);
    assert.ok(stub.requests.filter((r) => r.method !== 'OPTIONS').every((r) => r.signed && r.origin === site.origin));
  } finally {
    await stub.close();
  }
});

// The npm package (pkg/) end to end in Node, Deno, workerd and headless Chromium, each through the entry
// that runtime resolves from the package's `exports` map, with no init call: createBucket,
// putObject (string), getObject + text(), a 4 MiB getObject whose body streams (read chunk by chunk
// with a reader), presign + a plain fetch of the URL, and an S3Error for a missing key, against
// s3s-fs (which verifies every signature). Each runtime runs roundtrip.mjs and reports plain
// data; the assertions are here, plus a read-back of the object from Node.
// Tools: `make test-runtimes` installs them (npm deno, workerd, playwright-core; Debian chromium).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { S3Client, S3Error } from '../../pkg/index.node.js';
import { startServer, bucketName, ACCESS_KEY, SECRET_KEY } from '../../scripts/local-s3.mjs';
import { roundTrip } from './roundtrip.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const PKG = realpathSync(join(ROOT, 'pkg'));
const BIN = join(ROOT, 'node_modules/.bin');
const pkgJson = JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8'));

// The conditions each toolchain resolves `exports` with (Deno's own resolver is exercised for
// real below; workerd has no resolver, so these are wrangler's/esbuild's; browsers have none,
// so these are a bundler's or an import-map generator's for the browser platform).
const WORKERD_CONDITIONS = ['workerd', 'worker', 'browser', 'import', 'default'];
const BROWSER_CONDITIONS = ['browser', 'import', 'default'];

/** Node's algorithm for a conditional export: the first key (in order) that is an active condition. */
function resolveExport(target, conditions) {
  if (typeof target === 'string') return target;
  if (target && typeof target === 'object' && !Array.isArray(target)) {
    for (const [key, value] of Object.entries(target)) {
      if (key === 'default' || conditions.includes(key)) {
        const found = resolveExport(value, conditions);
        if (found !== undefined) return found;
      }
    }
  }
  return undefined;
}
const entryFor = (conditions) => join(PKG, resolveExport(pkgJson.exports['.'], conditions));

const children = new Set();
/** Spawns a process that after() kills if a test left it running. */
function start(command, args, options) {
  const child = spawn(command, args, options);
  children.add(child);
  child.exited = new Promise((done) => child.on('close', (code, signal) => { children.delete(child); done({ code, signal }); }));
  return child;
}
async function stop(child) {
  if (child.exitCode === null && child.signalCode === null) child.kill();
  await child.exited;
}
function collect(stream) {
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => { text += chunk; });
  return () => text;
}

let server;
let nodeClient;
before(async () => {
  server = await startServer('s3s-fs');
  nodeClient = new S3Client({
    region: 'us-east-1',
    endpoint: server.endpoint,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
  });
});
after(async () => {
  await Promise.all([...children].map(stop));
  await server?.stop();
});

/** The assertions every runtime's round trip must pass. */
async function assertRoundTrip(result, { userAgent, endpoint, bucket }) {
  assert.equal(result.error, undefined, `the round trip threw: ${result.error}`);
  assert.match(result.userAgent, userAgent, 'ran in another runtime than expected');
  assert.equal(result.bodyBytes, Buffer.byteLength(result.body));
  assert.match(result.put.etag, /^"[0-9a-f]{32}"$/);
  assert.deepEqual(result.get, {
    status: 200,
    contentLength: result.bodyBytes,
    contentType: 'text/plain; charset=utf-8',
    etag: result.put.etag,
    bodyIsStream: true,
    lastModifiedIsDate: true,
    text: result.body,
  });
  // The object body streams: when getObject resolved, the client had taken at most a little
  // of the 4 MiB answer; a reader then gets every byte, in several chunks.
  const { streamed } = result;
  assert.ok(streamed, 'the round trip reported no streamed read');
  assert.deepEqual(
    [streamed.contentLength, streamed.bodyIsStream, streamed.chunksAreBytes, streamed.bytesRead, streamed.firstMismatch],
    [streamed.size, true, true, streamed.size, -1],
    JSON.stringify(streamed),
  );
  assert.ok(streamed.pulledWhenResolved < streamed.size / 2, `the body was read before getObject resolved: ${JSON.stringify(streamed)}`);
  assert.ok(streamed.chunks >= 2, `the body came in one piece: ${JSON.stringify(streamed)}`);
  assert.ok(result.presigned.url.startsWith(`${endpoint}/${bucket}/`), result.presigned.url);
  assert.match(result.presigned.url, /[?&]X-Amz-Signature=[0-9a-f]{64}(&|$)/);
  assert.equal(result.presigned.status, 200);
  assert.equal(result.presigned.text, result.body);
  assert.equal(result.tamperedStatus, 403, 'a presigned URL with a changed signature must be refused');
  assert.deepEqual(result.readsAfterWrites, ['version 1', 'version 2'], 'a read after a write returned the old object');
  assert.ok(result.missing, 'getObject of a missing key resolved instead of throwing');
  const { message, ...missing } = result.missing;
  assert.deepEqual(missing, { isS3Error: true, isError: true, name: 'S3Error', code: 'NoSuchKey', status: 404, kind: 'service' });
  assert.match(message, /NoSuchKey/);
  // upload() put every body back whole: one PUT up to a part, parts above.
  for (const u of result.uploads) {
    assert.deepEqual([u.loaded, u.parts, u.same], [u.size, u.size > 5 * 2 ** 20 ? Math.ceil(u.size / 5 / 2 ** 20) : undefined, true],
      JSON.stringify(u));
  }
  assert.equal(result.uploads.length, 20);
  const inBrowser = /HeadlessChrome/.test(result.userAgent);
  assert.equal(result.postForm, inBrowser ? 'validation' : 'string', 'presignPost: the server build only');
  assert.deepEqual(result.breaker, [1, 2, 3].map(() => result.bodyBytes), 'HEADs through endpoints and a circuit breaker');
  // CRC32 and CRC32C of "summed" (computed independently), as s3s-fs checked and stored them.
  assert.equal(result.checksum, '1lD8fQ==', 'checksum: CRC32 of a string body');
  assert.equal(result.blobChecksum, 'IUK9Qw==', 'checksum: CRC32C (and Content-MD5) of a Blob body');
  assert.equal(result.checksumRead, '1lD8fQ== summed', 'checksumMode: the body checked as it streams');
  assert.match(result.hostile[0], /^validation: .*could not be read: a getter that throws/, 'a proxy as the options');
  assert.match(result.hostile[1], /^validation: /, 'a getter in a nested option');
  assert.match(result.hostile[2], /^validation: /, 'a number past 2^53 and a lone surrogate');
  assert.equal(result.hostile[3], result.bodyBytes, 'the client works after them');
  // A ReadableStream body with its contentLength: stored where fetch streams it with that
  // length (Node, Workers), a validation error naming upload() where it cannot.
  if (inBrowser || /Deno/.test(result.userAgent)) {
    assert.match(result.streamedPut, /^validation: .*cannot send a (ReadableStream|stream body) with its length.*upload\(\) sends it in parts/);
  } else {
    assert.equal(result.streamedPut, `streamed from ${result.userAgent}`);
  }
  // What the runtime wrote is really on the server (read back through the Node entry).
  const readBack = await nodeClient.getObject({ bucket, key: result.key });
  assert.equal(await readBack.text(), result.body);
  assert.equal(readBack.etag, result.put.etag);
}

test('with a browser\'s conditions no export resolves to a server entry: livery-s3/presigned-uploads (keys, node:fs) resolves to nothing there, and to each server\'s entry on servers', () => {
  const servers = ['./index.node.js', './index.deno.js', './index.workerd.js'];
  for (const [subpath, target] of Object.entries(pkgJson.exports)) {
    const file = resolveExport(target, BROWSER_CONDITIONS);
    assert.ok(!servers.includes(file), `${subpath} resolves to ${file} for a browser`);
  }
  const uploads = pkgJson.exports['./presigned-uploads'];
  assert.equal(resolveExport(uploads, BROWSER_CONDITIONS), undefined);
  assert.equal(resolveExport(uploads, ['node', 'import', 'default']), './index.node.js');
  assert.equal(resolveExport(uploads, ['deno', 'import', 'default']), './index.deno.js');
  assert.equal(resolveExport(uploads, WORKERD_CONDITIONS), './index.workerd.js');
});

test('Node runs the same round trip through the package\'s Node entry', async () => {
  const bucket = bucketName('node');
  const result = await roundTrip({ S3Client, S3Error }, { endpoint: server.endpoint, accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY, bucket });
  await assertRoundTrip(result, { userAgent: /^Node\.js\/\d/, endpoint: server.endpoint, bucket });
});

test('Deno resolves livery-s3 through node_modules + exports ("deno") and round-trips without init', { timeout: 90_000 }, async () => {
  // A throwaway consumer project: package.json naming livery-s3 and node_modules/livery-s3 linked
  // to pkg/, as `npm install` leaves it. Deno resolves the bare specifier itself (no import map).
  const project = mkdtempSync(join(tmpdir(), 'livery-s3-deno-'));
  try {
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(PKG, join(project, 'node_modules', 'livery-s3'), 'dir');
    writeFileSync(join(project, 'package.json'),
      JSON.stringify({ private: true, type: 'module', dependencies: { 'livery-s3': pkgJson.version } }));
    for (const file of ['deno.mjs', 'roundtrip.mjs']) copyFileSync(join(HERE, file), join(project, file));

    const bucket = bucketName('deno');
    const deno = start('timeout', ['-k', '5', '60', join(BIN, 'deno'), 'run', '--no-prompt',
      // Only the server, and only the package (index.deno.js reads its wasm with Deno.readFile).
      `--allow-net=127.0.0.1:${server.port}`, `--allow-read=${PKG}`,
      'deno.mjs', server.endpoint, bucket, ACCESS_KEY, SECRET_KEY], {
      cwd: project,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DENO_DIR: join(project, '.deno-cache'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
    });
    const stdout = collect(deno.stdout);
    const stderr = collect(deno.stderr);
    const { code } = await deno.exited;
    assert.equal(code, 0, `deno exited with ${code} (124: timed out)\n${stderr()}`);
    const result = JSON.parse(stdout());
    assert.equal(result.resolved, pathToFileURL(entryFor(['deno', 'node', 'import', 'default'])).href);
    assert.equal(result.resolved, pathToFileURL(join(PKG, 'index.deno.js')).href);
    await assertRoundTrip(result, { userAgent: /^Deno\/\d/, endpoint: server.endpoint, bucket });
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
});

test('workerd runs the entry of the "workerd" condition with the wasm as a module, without init', { timeout: 90_000 }, async () => {
  // workerd.capnp names the modules as wrangler would upload them; it must embed the very file the
  // exports map gives wrangler's conditions.
  const config = readFileSync(join(HERE, 'workerd.capnp'), 'utf8');
  const embedded = config.match(/\(name = "livery-s3", esModule = embed "([^"]+)"\)/);
  assert.ok(embedded, 'workerd.capnp has no "livery-s3" module');
  assert.equal(resolve(HERE, embedded[1]), entryFor(WORKERD_CONDITIONS));
  assert.equal(entryFor(WORKERD_CONDITIONS), join(PKG, 'index.workerd.js'));

  // Port 0 in the config; workerd reports the port it got on the control descriptor (fd 3).
  const workerd = start(join(BIN, 'workerd'), ['serve', 'workerd.capnp', '--control-fd', '3'], {
    cwd: HERE,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    env: { ...process.env, S3_ENDPOINT: server.endpoint, S3_ACCESS_KEY: ACCESS_KEY, S3_SECRET_KEY: SECRET_KEY },
  });
  const logs = collect(workerd.stderr);
  collect(workerd.stdout);
  try {
    const port = await new Promise((resolvePort, reject) => {
      const timer = setTimeout(() => reject(new Error(`workerd did not listen within 30 s\n${logs()}`)), 30_000);
      let buffered = '';
      workerd.stdio[3].setEncoding('utf8');
      workerd.stdio[3].on('data', (chunk) => {
        buffered += chunk;
        for (const line of buffered.split('\n').slice(0, -1)) {
          let message;
          try { message = JSON.parse(line); } catch { continue; }
          if (message.event === 'listen' && message.socket === 'http') { clearTimeout(timer); resolvePort(message.port); }
        }
        buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
      });
      workerd.exited.then(({ code, signal }) => { clearTimeout(timer); reject(new Error(`workerd exited (${code ?? signal})\n${logs()}`)); });
    });
    const bucket = bucketName('workerd');
    const response = await fetch(`http://127.0.0.1:${port}/?bucket=${bucket}`, { signal: AbortSignal.timeout(30_000) });
    const result = await response.json();
    assert.equal(response.status, 200, `${result.error}\n${logs()}`);
    await assertRoundTrip(result, { userAgent: /^Cloudflare-Workers$/, endpoint: server.endpoint, bucket });
  } finally {
    await stop(workerd);
  }
});

const CONTENT_TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

/**
 * One origin for the page and S3: /__test/ serves the page, its scripts and the package (as
 * /__test/node_modules/livery-s3/); every other request goes to s3s-fs unchanged, Host header
 * included, so SigV4 over the host still verifies and the browser never needs CORS.
 */
async function startSite(s3Port, browserEntry) {
  const packagePrefix = '/__test/node_modules/livery-s3/';
  const importMap = JSON.stringify({ imports: { 'livery-s3': packagePrefix + browserEntry.slice(PKG.length + 1).split(sep).join('/') } });
  const served = [];
  const files = (path) => {
    if (path.startsWith(packagePrefix)) return join(PKG, path.slice(packagePrefix.length));
    if (['/__test/browser.html', '/__test/browser.mjs', '/__test/roundtrip.mjs'].includes(path)) return join(HERE, path.slice('/__test/'.length));
    return undefined;
  };
  const site = createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://site');
    if (pathname.startsWith('/__test/') || pathname === '/favicon.ico') {
      const file = files(decodeURIComponent(pathname));
      if (!file || (!file.startsWith(PKG + sep) && !file.startsWith(HERE + sep))) return res.writeHead(404).end();
      served.push(pathname);
      let body;
      try { body = readFileSync(file); } catch { return res.writeHead(404).end(); }
      if (file.endsWith('.html')) {
        body = body.toString('utf8').replace('<!--importmap-->', `<script type="importmap">${importMap}</script>`);
      }
      return res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
    }
    const upstream = httpRequest({ host: '127.0.0.1', port: s3Port, method: req.method, path: req.url, headers: req.rawHeaders }, (answer) => {
      res.writeHead(answer.statusCode, answer.statusMessage, answer.rawHeaders);
      answer.pipe(res);
    });
    upstream.on('error', (e) => (res.headersSent ? res.destroy(e) : res.writeHead(502).end(String(e))));
    req.pipe(upstream);
  });
  await new Promise((listening) => site.listen(0, '127.0.0.1', listening));
  return {
    origin: `http://127.0.0.1:${site.address().port}`,
    served,
    async close() {
      site.closeAllConnections();
      await new Promise((closed) => site.close(closed));
    },
  };
}

test('headless Chromium imports the "browser" entry and round-trips without init', { timeout: 120_000 }, async () => {
  const browserEntry = entryFor(BROWSER_CONDITIONS);
  assert.equal(browserEntry, join(PKG, 'index.browser.js'));
  const site = await startSite(server.port, browserEntry);
  const profile = mkdtempSync(join(tmpdir(), 'livery-s3-chromium-'));
  let context;
  try {
    context = await launchChromium(profile);
    const page = context.pages()[0] ?? await context.newPage();
    const problems = [];
    // An uncaught error (e.g. the module graph failing to load) ends the wait at once.
    let pageFailed;
    const failure = new Promise((_, reject) => { pageFailed = reject; });
    failure.catch(() => {});
    page.on('pageerror', (e) => { problems.push(`pageerror: ${e.message}`); pageFailed(new Error(e.message)); });
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));

    const bucket = bucketName('chromium');
    const query = new URLSearchParams({ bucket, accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY });
    await page.goto(`${site.origin}/__test/browser.html?${query}`, { timeout: 30_000 });
    await Promise.race([failure, page.waitForFunction(() => globalThis.roundTripResult !== undefined, null, { timeout: 30_000 })])
      .catch((e) => { throw new Error(`the page never started the round trip: ${e.message}\n${problems.join('\n')}`); });
    const result = await page.evaluate(() => globalThis.roundTripResult);
    await assertRoundTrip(result, { userAgent: /HeadlessChrome\/\d/, endpoint: site.origin, bucket });
    // The browser loaded exactly the browser entry and its wasm, no other entry.
    const pkgFiles = site.served.filter((p) => p.startsWith('/__test/node_modules/livery-s3/'));
    assert.ok(pkgFiles.includes('/__test/node_modules/livery-s3/index.browser.js'), pkgFiles.join());
    assert.ok(pkgFiles.includes('/__test/node_modules/livery-s3/wasm/livery_s3_bg.wasm'), pkgFiles.join());
    assert.deepEqual(pkgFiles.filter((p) => /\/index\.\w+\.js$/.test(p)), ['/__test/node_modules/livery-s3/index.browser.js']);
  } finally {
    await context?.close();
    await site.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

// The www/ demo in headless Chromium, in each of its modes: a user picks files and uploads
// them; the browser sends the bytes straight to S3. Presigned and POST form go to Garage, at
// another origin than the page's, under the CORS rules the demo sets (Garage checks every
// signature and enforces the POST policy's size cap); STS web identity goes to moto (the only
// local STS). Objects are read back from Node; a screenshot per mode is kept in
// target/www-screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from './chromium.mjs';
import { S3Client } from '../../pkg/index.node.js';
import { startServer } from '../../scripts/local-s3.mjs';
import { startSite } from '../../www/server.mjs';

/** Screenshots of the page, kept as test artifacts. */
const SCREENSHOTS = new URL('../../target/www-screenshots/', import.meta.url).pathname;
let garage;
let moto;
let site;
before(async () => {
  const started = await Promise.allSettled(['garage', 'moto'].map(startServer));
  [garage, moto] = started.map((s) => s.value);
  for (const s of started) if (s.status === 'rejected') throw s.reason;
  site = await startSite({ bucket: 'www-test', garage, moto });
});
after(async () => {
  await site?.stop();
  await Promise.all([garage, moto].map((s) => s?.stop()));
});

/** A test in a fresh Chromium profile: `body(page)`, then the browser is closed and its
 * profile removed. */
function inPage(name, body) {
  test(name, { timeout: 120_000 }, async () => {
    const profile = mkdtempSync(join(tmpdir(), 'livery-s3-www-'));
    const context = await launchChromium(profile);
    try {
      await body(context.pages()[0] ?? await context.newPage());
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
}

/** Resolves once the page says how an upload ended. */
const settled = (page) => page.waitForFunction(() => /^uploaded |error/.test(document.querySelector('#status').textContent
  + document.querySelector('#status').className), null, { timeout: 100_000 });

/** Resolves once the page has kept the checkpoint of `name`'s upload with its part 1 (the
 * request finishing is seen before the page's code has run on its answer). */
const checkpointed = (page, name) => page.waitForFunction((file) => Object.entries(localStorage)
  .some(([k, v]) => k.includes(file) && JSON.parse(v).parts?.some((p) => p.partNumber === 1)), name);

/** A client of the presigned modes' S3 (Garage), from Node. */
const direct = () => new S3Client({ region: 'us-east-1', endpoint: garage.endpoint, credentials: { accessKeyId: garage.accessKey, secretAccessKey: garage.secretKey } });

/** Picks `files` in the page in `mode`, uploads them and waits for the outcome. */
async function uploadInPage(page, mode, files) {
  await page.selectOption('#mode', mode);
  await page.setInputFiles('#file', files);
  await page.click('#upload');
  await settled(page);
  return page.textContent('#status');
}

async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

inPage('a file picked in the page is uploaded straight to S3 with a presigned PUT', async (page) => {
  const seen = [];
  const puts = [];
  page.on('response', async (r) => { if (r.url().endsWith('/api/presign')) seen.push(await r.text()); });
  page.on('request', (r) => { if (r.method() === 'PUT') puts.push(new URL(r.url()).origin); });
  await page.goto(`${site.origin}/`);
  const content = Buffer.from('a file from the browser: héllo ✓\n'.repeat(2000));
  await page.setInputFiles('#file', { name: 'notes wörld+1.txt', mimeType: 'text/plain', buffer: content });
  await page.click('#upload');
  await settled(page);
  const status = await page.textContent('#status');
  assert.match(status, /^uploaded uploads\/\d+-notes wörld\+1\.txt$/, status);
  assert.equal(await page.getAttribute('#progress', 'value'), '1');
  // Straight to Garage, another origin than the page's: its CORS rules let the page through.
  assert.notEqual(garage.endpoint, site.origin);
  assert.deepEqual(puts, [garage.endpoint]);

  // The link the page shows serves the file back.
  const href = await page.getAttribute('#link', 'href');
  const served = await page.evaluate(async (url) => (await fetch(url)).text(), href);
  assert.equal(served, content.toString());

  // Read back from S3 directly: bytes and the signed content type.
  const s3 = direct();
  const key = status.slice('uploaded '.length);
  const object = await s3.getObject({ bucket: 'www-test', key });
  assert.equal(object.contentType, 'text/plain');
  assert.deepEqual(Buffer.from(await object.bytes()), content);

  // The page only ever saw URLs, never a key.
  assert.equal(seen.length, 1);
  assert.ok(!seen[0].includes(garage.secretKey));
  await screenshot(page, 'www-presigned-put');
});

inPage('a large file goes by presigned parts: the server signs and completes, the page sends the slices', async (page) => {
  const calls = [];
  const partOrigins = new Set();
  page.on('request', (r) => {
    if (r.url().includes('/api/')) calls.push(new URL(r.url()).pathname);
    if (r.method() === 'PUT') partOrigins.add(new URL(r.url()).origin);
  });
  await page.goto(`${site.origin}/`);
  const content = Buffer.alloc(12 << 20);
  for (let i = 0; i < content.length; i++) content[i] = (i * 7) % 251;
  await page.setInputFiles('#file', { name: 'big.bin', mimeType: 'application/octet-stream', buffer: content });
  await page.click('#upload');
  await settled(page);
  const status = await page.textContent('#status');
  assert.match(status, /^uploaded uploads\/\d+-big\.bin in 3 parts$/, status);
  assert.equal(await page.getAttribute('#progress', 'value'), '1');
  assert.deepEqual(calls.filter((c) => !c.endsWith('/list')), ['/api/uploads/start', '/api/uploads/complete']);
  // Each part went to Garage across origins, and the page read its ETag (the CORS rule exposes it).
  assert.deepEqual([...partOrigins], [garage.endpoint]);

  const s3 = direct();
  const key = status.slice('uploaded '.length, status.indexOf(' in 3 parts'));
  const object = await s3.getObject({ bucket: 'www-test', key });
  assert.deepEqual(Buffer.from(await object.bytes()), content);

  // The page lists it with a download link, and deletes it.
  const item = page.locator('#files li', { hasText: key });
  assert.match(await item.textContent(), new RegExp(`${key.replace(/[.]/g, '\\.')} \\(${content.length} bytes\\)`));
  const downloaded = await page.evaluate(async (url) => (await fetch(url)).arrayBuffer().then((b) => b.byteLength),
    await item.locator('a').getAttribute('href'));
  assert.equal(downloaded, content.length);
  await item.locator('button').click();
  await page.waitForFunction((k) => ![...document.querySelectorAll('#files li')].some((li) => li.textContent.includes(k)), key);
  const gone = await s3.headObject({ bucket: 'www-test', key }).then(() => 'still there', (e) => e.code);
  assert.equal(gone, 'NotFound');
});

inPage('a reload mid-upload resumes from what S3 has: confirmed parts are not sent again', async (page) => {
  await page.goto(`${site.origin}/`);
  const content = Buffer.alloc(12 << 20);
  for (let i = 0; i < content.length; i++) content[i] = (i * 13) % 241;
  const file = { name: 'resumed.bin', mimeType: 'application/octet-stream', buffer: content };
  // The first run: part 1 goes through, the others hang until the page is reloaded.
  let firstDone;
  const first = new Promise((done) => { firstDone = done; });
  // Held requests are never let go (unrouting could release them into the second run's
  // uploads of the same parts): the route holds only while `holding`.
  let holding = true;
  await page.route(/partNumber=/, (route) => {
    if (holding && !route.request().url().includes('partNumber=1&')) return;
    route.continue();
  });
  page.on('requestfinished', (r) => { if (r.url().includes('partNumber=1&')) firstDone(); });
  await page.setInputFiles('#file', file);
  await page.click('#upload');
  await first;
  await checkpointed(page, 'resumed.bin');
  holding = false;
  await page.reload();

  const sent = [];
  page.on('request', (r) => { if (r.method() === 'PUT') sent.push(new URL(r.url()).searchParams.get('partNumber')); });
  await page.setInputFiles('#file', file);
  await page.click('#upload');
  await settled(page);
  const status = await page.textContent('#status');
  assert.match(status, /^uploaded uploads\/\d+-resumed\.bin in 3 parts$/, status);
  assert.deepEqual(sent.sort(), ['2', '3'], 'part 1 was not sent again');

  const s3 = direct();
  const key = status.slice('uploaded '.length, status.indexOf(' in 3 parts'));
  assert.deepEqual(Buffer.from(await (await s3.getObject({ bucket: 'www-test', key })).bytes()), content);
});

inPage('several files picked at once upload side by side, each with its own progress bar', async (page) => {
  await page.goto(`${site.origin}/`);
  const big = Buffer.alloc(11 << 20, 7);
  const picked = [
    { name: 'one.txt', mimeType: 'text/plain', buffer: Buffer.from('first file\n') },
    { name: 'two.txt', mimeType: 'text/plain', buffer: Buffer.from('second file\n'.repeat(500)) },
    { name: 'three.bin', mimeType: 'application/octet-stream', buffer: big },
  ];
  await page.setInputFiles('#file', picked);
  await page.click('#upload');
  await settled(page);
  assert.equal(await page.textContent('#status'), 'uploaded 3 files');
  const rows = await page.$$eval('#queue li', (items) => items.map((li) => ({
    text: li.textContent, value: li.querySelector('progress').value, max: li.querySelector('progress').max })));
  assert.deepEqual(rows.map((r) => r.text), ['one.txt  uploaded', 'two.txt  uploaded', 'three.bin  uploaded in 3 parts']);
  assert.deepEqual(rows.map((r) => r.value), picked.map((f) => f.buffer.length), 'every bar full');
  assert.deepEqual(rows.map((r) => r.max), picked.map((f) => f.buffer.length));
  await screenshot(page, 'www-presigned');

  // Each is in the bucket, whole.
  const s3 = direct();
  const listed = (await s3.listObjects({ bucket: 'www-test', prefix: 'uploads/' })).contents ?? [];
  for (const file of picked) {
    const object = listed.filter((o) => o.key.endsWith(`-${file.name}`)).at(-1);
    assert.ok(object, `${file.name} is listed`);
    assert.deepEqual(Buffer.from(await (await s3.getObject({ bucket: 'www-test', key: object.key })).bytes()), file.buffer);
  }
});

inPage('POST form mode: a file within the policy is stored; one over its 1 MiB cap is refused by S3 (Garage)', async (page) => {
  await page.goto(`${site.origin}/`);
  const small = { name: 'form.txt', mimeType: 'text/plain', buffer: Buffer.from('posted with a form\n'.repeat(1000)) };
  const status = await uploadInPage(page, 'post', [small]);
  assert.match(status, /^uploaded uploads\/\d+-form\.txt$/, status);
  const garageS3 = new S3Client({ region: 'us-east-1', endpoint: garage.endpoint,
    credentials: { accessKeyId: garage.accessKey, secretAccessKey: garage.secretKey } });
  const object = await garageS3.getObject({ bucket: 'www-post', key: status.slice('uploaded '.length) });
  assert.equal(object.contentType, 'text/plain');
  assert.deepEqual(Buffer.from(await object.bytes()), small.buffer);

  const big = { name: 'too-big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc((1 << 20) + 1, 1) };
  const refused = await uploadInPage(page, 'post', [big]);
  assert.equal(refused, 'S3 refused it: the form allows at most 1048576 bytes');
  assert.equal(await page.getAttribute('#status', 'class'), 'error');
  const stored = (await garageS3.listObjects({ bucket: 'www-post', prefix: 'uploads/' })).contents ?? [];
  assert.deepEqual(stored.filter((o) => o.key.endsWith('too-big.bin')), [], 'the file over the cap was not stored');
  await screenshot(page, 'www-post-form');
});

inPage('STS mode: the page trades a token for temporary keys and uploads a 1 MiB and a 20 MiB file with livery-s3 (moto)', async (page) => {
  const sts = [];
  const pkgFiles = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (r.method() === 'POST' && path === '/') sts.push(r.postData());
    if (path.startsWith('/livery-s3/')) pkgFiles.push(path);
  });
  // The chunk both browser entries import, by its hashed name.
  const loaded = () => pkgFiles.map((path) => (/^\/livery-s3\/shared-\w+\.js$/.test(path) ? 'shared chunk' : path)).sort();
  await page.goto(`${site.origin}/`);
  assert.deepEqual(loaded(), ['/livery-s3/presigned-parts.js', 'shared chunk'],
    'the presigned modes load the browser half of presigned parts only: no client, no wasm');
  const files = [
    { name: 'one-mib.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(1 << 20).map((_, i) => i % 253) },
    { name: 'twenty-mib.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(20 << 20).map((_, i) => (i * 3) % 251) },
  ];
  const status = await uploadInPage(page, 'sts', files);
  assert.equal(status, 'uploaded 2 files');
  const rows = await page.$$eval('#queue li', (items) => items.map((li) => li.textContent));
  assert.deepEqual(rows, ['one-mib.bin  uploaded', 'twenty-mib.bin  uploaded in 3 parts']);
  // One STS call for both files (the keys are cached), carrying the token, never a key.
  assert.equal(sts.length, 1);
  assert.match(sts[0], /Action=AssumeRoleWithWebIdentity/);
  assert.match(sts[0], /WebIdentityToken=demo\./);
  assert.deepEqual(loaded(), ['/livery-s3/index.browser.js', '/livery-s3/presigned-parts.js', '/livery-s3/wasm/livery_s3_bg.wasm', 'shared chunk'],
    'the STS mode adds the client and its wasm; the upload chunk both share is loaded once');

  const motoS3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const listed = (await motoS3.listObjects({ bucket: 'www-sts', prefix: 'uploads/' })).contents ?? [];
  for (const file of files) {
    const object = listed.find((o) => o.key.endsWith(`-${file.name}`));
    assert.ok(object, `${file.name} is in the bucket`);
    assert.deepEqual(Buffer.from(await (await motoS3.getObject({ bucket: 'www-sts', key: object.key })).bytes()), file.buffer);
  }
  await screenshot(page, 'www-sts');
});

inPage('STS mode: keys that near their expiry mid-upload are refreshed once, before the next request, and the upload goes on (moto)', async (page) => {
  const sts = [];
  const signedBy = {};
  page.on('request', async (r) => {
    const url = new URL(r.url());
    if (r.method() === 'POST' && url.pathname === '/') sts.push(r.postData());
    const key = /Credential=([^/]+)\//.exec((await r.allHeaders()).authorization ?? '')?.[1];
    const step = url.searchParams.has('partNumber') ? 'part' : url.searchParams.has('uploadId') && r.method() === 'POST' ? 'complete' : undefined;
    if (key && step && url.pathname.startsWith('/www-sts/')) signedBy[step] ??= key;
  });
  await page.goto(`${site.origin}/`);
  // The three parts are held in flight while the page's clock moves on to 56 minutes later:
  // moto's keys last an hour, and the client refreshes them in their last 5 minutes.
  const held = [];
  let allHeld;
  const three = new Promise((done) => { allHeld = done; });
  await page.route(/\/www-sts\/.*partNumber=/, (route) => {
    held.push(route);
    if (held.length === 3) allHeld();
  });
  await page.selectOption('#mode', 'sts');
  await page.setInputFiles('#file', { name: 'long.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(20 << 20, 7) });
  await page.click('#upload');
  await three;
  assert.equal(sts.length, 1);
  assert.match(await page.textContent('#keys'), /^temporary keys from STS: 1 exchange of a token/);
  await page.evaluate(() => {
    const now = Date.now;
    Date.now = () => now.call(Date) + 56 * 60_000;
  });
  for (const route of held) await route.continue();
  await settled(page);
  assert.match(await page.textContent('#status'), /^uploaded uploads\/\d+-long\.bin in 3 parts$/);
  // The completion, signed after the clock moved, waited for one new exchange and was signed
  // with the new keys.
  assert.equal(sts.length, 2);
  assert.ok(signedBy.part && signedBy.complete && signedBy.part !== signedBy.complete, JSON.stringify(signedBy));
  assert.match(await page.textContent('#keys'), /^temporary keys from STS: 2 exchanges of a token/);
  await screenshot(page, 'www-sts-refreshed');
});

inPage('presigned parts mode: Pause keeps the upload, Upload again resumes it without resending confirmed parts', async (page) => {
  await page.goto(`${site.origin}/`);
  const content = Buffer.alloc(12 << 20);
  for (let i = 0; i < content.length; i++) content[i] = (i * 5) % 239;
  const file = { name: 'paused.bin', mimeType: 'application/octet-stream', buffer: content };
  // Parts 2 and 3 are held until the pause cancels them; part 1 goes through.
  let firstDone;
  const first = new Promise((done) => { firstDone = done; });
  let holding = true;
  await page.route(/partNumber=[23]&/, (route) => (holding ? undefined : route.continue()));
  page.on('requestfinished', (r) => { if (r.url().includes('partNumber=1&')) firstDone(); });
  await page.selectOption('#mode', 'parts');
  await page.setInputFiles('#file', file);
  await page.click('#upload');
  await first;
  await checkpointed(page, 'paused.bin');
  await page.click('#pause');
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('paused'));
  assert.equal(await page.textContent('#queue li'), 'paused.bin  paused');
  holding = false;

  // The upload is still there, with part 1 (the checkpoint the page kept says which).
  const checkpoint = JSON.parse(await page.evaluate(() => localStorage.getItem(Object.keys(localStorage).find((k) => k.includes('paused.bin')))));
  const s3 = direct();
  const held = await s3.listParts({ bucket: 'www-test', key: checkpoint.key, uploadId: checkpoint.uploadId });
  assert.deepEqual(held.parts.map((p) => p.partNumber), [1]);

  const sent = [];
  page.on('request', (r) => { if (r.method() === 'PUT') sent.push(new URL(r.url()).searchParams.get('partNumber')); });
  await page.click('#upload');
  await settled(page);
  assert.equal(await page.textContent('#status'), `uploaded ${checkpoint.key} in 3 parts`);
  assert.deepEqual(sent.sort(), ['2', '3']);
  assert.deepEqual(Buffer.from(await (await s3.getObject({ bucket: 'www-test', key: checkpoint.key })).bytes()), content);
  await screenshot(page, 'www-presigned-parts-resumed');
});

inPage('files dropped on the page are uploaded at once', async (page) => {
  await page.goto(`${site.origin}/`);
  const dropped = await page.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['dropped on the page\n'], 'dropped.txt', { type: 'text/plain' }));
    transfer.items.add(new File([new Uint8Array(9 << 20).fill(3)], 'dropped.bin'));
    return transfer;
  });
  await page.dispatchEvent('#drop', 'drop', { dataTransfer: dropped });
  await settled(page);
  assert.equal(await page.textContent('#status'), 'uploaded 2 files');
  const rows = await page.$$eval('#queue li', (items) => items.map((li) => li.textContent));
  assert.deepEqual(rows, ['dropped.txt  uploaded', 'dropped.bin  uploaded in 2 parts']);
  const listed = (await direct().listObjects({ bucket: 'www-test', prefix: 'uploads/' })).contents ?? [];
  const text = listed.find((o) => o.key.endsWith('-dropped.txt'));
  assert.equal(await (await direct().getObject({ bucket: 'www-test', key: text.key })).text(), 'dropped on the page\n');
  assert.equal(listed.find((o) => o.key.endsWith('-dropped.bin'))?.size, 9 << 20);
});

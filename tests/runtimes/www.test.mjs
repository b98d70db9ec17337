// The www/ demo in headless Chromium: a user picks a file and uploads it; the server signs the
// PUT (or, for a large file, the parts of a multipart upload) with livery-s3 and the browser
// sends the bytes straight to s3s-fs (which checks every signature). The object is then read
// back from Node.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from './chromium.mjs';
import { S3Client } from '../../pkg/index.node.js';
import { startServer, ACCESS_KEY, SECRET_KEY } from '../../scripts/local-s3.mjs';
import { startSite } from '../../www/server.mjs';

let s3Server;
let site;
before(async () => {
  s3Server = await startServer('s3s-fs');
  site = await startSite({ s3Endpoint: s3Server.endpoint, accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY, bucket: 'www-test' });
});
after(async () => {
  await site?.stop();
  await s3Server?.stop();
});

test('a file picked in the page is uploaded straight to S3 with a presigned PUT', { timeout: 120_000 }, async () => {
  const profile = mkdtempSync(join(tmpdir(), 'livery-s3-www-'));
  const context = await launchChromium(profile);
  try {
    const page = context.pages()[0] ?? await context.newPage();
    const seen = [];
    page.on('response', async (r) => { if (r.url().endsWith('/api/presign')) seen.push(await r.text()); });
    await page.goto(`${site.origin}/`);
    const content = Buffer.from('a file from the browser: héllo ✓\n'.repeat(2000));
    await page.setInputFiles('#file', { name: 'notes wörld+1.txt', mimeType: 'text/plain', buffer: content });
    await page.click('#upload');
    await page.waitForFunction(() => /^uploaded |error/.test(document.querySelector('#status').textContent + document.querySelector('#status').className));
    const status = await page.textContent('#status');
    assert.match(status, /^uploaded uploads\/\d+-notes wörld\+1\.txt$/, status);
    assert.equal(await page.getAttribute('#progress', 'value'), '1');

    // The link the page shows serves the file back.
    const href = await page.getAttribute('#link', 'href');
    const served = await page.evaluate(async (url) => (await fetch(url)).text(), href);
    assert.equal(served, content.toString());

    // Read back from S3 directly: bytes and the signed content type.
    const s3 = new S3Client({ region: 'us-east-1', endpoint: s3Server.endpoint, credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY } });
    const key = status.slice('uploaded '.length);
    const object = await s3.getObject({ bucket: 'www-test', key });
    assert.equal(object.contentType, 'text/plain');
    assert.deepEqual(Buffer.from(await object.bytes()), content);

    // The page only ever saw URLs, never a key.
    assert.equal(seen.length, 1);
    assert.ok(!seen[0].includes(SECRET_KEY));
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test('a large file goes by presigned parts: the server signs and completes, the page sends the slices', { timeout: 120_000 }, async () => {
  const profile = mkdtempSync(join(tmpdir(), 'livery-s3-www-'));
  const context = await launchChromium(profile);
  try {
    const page = context.pages()[0] ?? await context.newPage();
    const calls = [];
    page.on('request', (r) => { if (r.url().includes('/api/')) calls.push(new URL(r.url()).pathname); });
    await page.goto(`${site.origin}/`);
    const content = Buffer.alloc(12 << 20);
    for (let i = 0; i < content.length; i++) content[i] = (i * 7) % 251;
    await page.setInputFiles('#file', { name: 'big.bin', mimeType: 'application/octet-stream', buffer: content });
    await page.click('#upload');
    await page.waitForFunction(() => /^uploaded |error/.test(document.querySelector('#status').textContent + document.querySelector('#status').className), null, { timeout: 100_000 });
    const status = await page.textContent('#status');
    assert.match(status, /^uploaded uploads\/\d+-big\.bin in 3 parts$/, status);
    assert.equal(await page.getAttribute('#progress', 'value'), '1');
    assert.deepEqual(calls.filter((c) => !c.endsWith('/list')), ['/api/uploads/start', '/api/uploads/complete']);

    const s3 = new S3Client({ region: 'us-east-1', endpoint: s3Server.endpoint, credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY } });
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
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test('a reload mid-upload resumes from what S3 has: confirmed parts are not sent again', { timeout: 120_000 }, async () => {
  const profile = mkdtempSync(join(tmpdir(), 'livery-s3-www-'));
  const context = await launchChromium(profile);
  try {
    const page = context.pages()[0] ?? await context.newPage();
    await page.goto(`${site.origin}/`);
    const content = Buffer.alloc(12 << 20);
    for (let i = 0; i < content.length; i++) content[i] = (i * 13) % 241;
    const file = { name: 'resumed.bin', mimeType: 'application/octet-stream', buffer: content };
    // The first run: part 1 goes through, the others hang until the page is reloaded.
    let firstDone;
    const first = new Promise((done) => { firstDone = done; });
    await page.route(/partNumber=/, (route) => {
      if (!route.request().url().includes('partNumber=1&')) return;
      route.continue();
    });
    page.on('requestfinished', (r) => { if (r.url().includes('partNumber=1&')) firstDone(); });
    await page.setInputFiles('#file', file);
    await page.click('#upload');
    await first;
    await page.unroute(/partNumber=/);
    await page.reload();

    const sent = [];
    page.on('request', (r) => { if (r.method() === 'PUT') sent.push(new URL(r.url()).searchParams.get('partNumber')); });
    await page.setInputFiles('#file', file);
    await page.click('#upload');
    await page.waitForFunction(() => /^uploaded |error/.test(document.querySelector('#status').textContent + document.querySelector('#status').className), null, { timeout: 100_000 });
    const status = await page.textContent('#status');
    assert.match(status, /^uploaded uploads\/\d+-resumed\.bin in 3 parts$/, status);
    assert.deepEqual(sent.sort(), ['2', '3'], 'part 1 was not sent again');

    const s3 = new S3Client({ region: 'us-east-1', endpoint: s3Server.endpoint, credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY } });
    const key = status.slice('uploaded '.length, status.indexOf(' in 3 parts'));
    assert.deepEqual(Buffer.from(await (await s3.getObject({ bucket: 'www-test', key })).bytes()), content);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

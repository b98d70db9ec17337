// The README's "Browser uploads" blocks, run as written: each ```js block of that section is
// read from README.md, its imports of livery-s3 pointed at the built package, and run in Node
// with the names the README leaves to the reader defined (`s3` a client with keys on Garage,
// `bucket`, `user`, `file`, `bar`, `roleArn`, `idToken`). The page halves run on Node's fetch,
// with the relative routes a page would call answered by the server half's `routes`. The STS
// block names no endpoint, as a page on AWS would not: its requests to AWS's STS and S3 hosts
// are sent to moto (which checks no signature). What each block stored is then read back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as node from '../../pkg/index.node.js';
import * as presignedParts from '../../pkg/presigned-parts.js';
import { startServer, bucketName } from '../../scripts/local-s3.mjs';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = README.slice(README.indexOf('### Browser uploads'), README.indexOf('#### The www/ page'));
const blocks = [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
const MODULES = { 'livery-s3': node, 'livery-s3/presigned-uploads': node, 'livery-s3/presigned-parts': presignedParts };
const AsyncFunction = (async () => {}).constructor;

/** Runs README blocks as one function body, their imports turned into reads of MODULES, with
 * `scope`'s names defined; resolves to the names listed in `results`. */
function run(code, scope, results) {
  const body = code.replace(/^import \{ ([^}]+) \} from '([^']+)';$/gm, (_, names, from) => {
    assert.ok(MODULES[from], `the README imports ${from}, which the package does not export`);
    return `const { ${names} } = MODULES[${JSON.stringify(from)}];`;
  });
  return new AsyncFunction('MODULES', ...Object.keys(scope), `${body}\nreturn { ${results.join(', ')} };`)(MODULES, ...Object.values(scope));
}

let garage;
let moto;
let s3;
const realFetch = globalThis.fetch;
before(async () => {
  const started = await Promise.allSettled(['garage', 'moto'].map(startServer));
  [garage, moto] = started.map((s) => s.value);
  for (const s of started) if (s.status === 'rejected') throw s.reason;
  s3 = new node.S3Client({ region: 'us-east-1', endpoint: garage.endpoint, credentials: { accessKeyId: garage.accessKey, secretAccessKey: garage.secretKey } });
});
after(async () => {
  globalThis.fetch = realFetch;
  await Promise.all([garage?.stop(), moto?.stop()]);
});

/** The names every block may use. */
async function scopeFor(file) {
  const bucket = bucketName('readme');
  await s3.createBucket({ bucket });
  const stored = new Map();
  return {
    s3, bucket, user: 'user-42', file, bar: { value: 0 },
    localStorage: { getItem: (k) => stored.get(k) ?? null, setItem: (k, v) => stored.set(k, String(v)) },
  };
}

const bytesOf = async (bucket, key) => new Uint8Array(await (await s3.getObject({ bucket, key })).arrayBuffer());
const content = (size, seed) => new Uint8Array(size).map((_, i) => (i * seed + (i >>> 10)) % 256);

test('the README has the four ways\' blocks: presigned PUT, POST form, multipart (server, page) and STS', () => {
  assert.equal(blocks.length, 5, blocks.join('\n----\n'));
});

test('README, presigned PUT: the signed URL takes the file with its signed content type (Garage)', async () => {
  const file = new File([content(70_000, 3)], 'notes.txt', { type: 'text/plain' });
  const scope = await scopeFor(file);
  const { key } = await run(blocks[0], scope, ['key']);
  assert.equal(key, 'users/user-42/notes.txt');
  const object = await s3.getObject({ bucket: scope.bucket, key });
  assert.equal(object.contentType, 'text/plain');
  assert.deepEqual(new Uint8Array(await object.arrayBuffer()), new Uint8Array(await file.arrayBuffer()));
});

test('README, POST form: the form posts the file under the user\'s prefix, and S3 refuses a file of another type (Garage)', async () => {
  const file = new File([content(50_000, 5)], 'photo.png', { type: 'image/png' });
  const scope = await scopeFor(file);
  await run(blocks[1], scope, ['url']);
  assert.deepEqual(await bytesOf(scope.bucket, 'users/user-42/photo.png'), new Uint8Array(await file.arrayBuffer()));
  // The same block with a file of another type is refused by the policy (a 4xx, or Garage cuts
  // the connection before the body is in), and nothing is stored.
  const text = new File(['not an image'], 'notes.txt', { type: 'text/plain' });
  await assert.rejects(run(`${blocks[1]}\nconst answer = await fetch(url, { method: 'POST', body: form });\nif (!answer.ok) throw new Error(String(answer.status));`,
    { ...scope, file: text }, []), /^Error: 4\d\d$|fetch failed/);
  await assert.rejects(s3.headObject({ bucket: scope.bucket, key: 'users/user-42/notes.txt' }), { code: 'NotFound' });
});

test('README, presigned multipart: the page sends the parts through the server\'s routes, and the server completes it (Garage)', async () => {
  const file = new File([content(11 << 20, 7)], 'video.bin');
  const scope = await scopeFor(file);
  // What a page's fetch does with a relative path: it reaches the server, here its routes.
  let routes;
  globalThis.fetch = async (url, init) => {
    if (typeof url === 'string' && url.startsWith('/')) return Response.json(await routes[url](JSON.parse(init.body)) ?? {});
    return realFetch(url, init);
  };
  try {
    const server = await run(blocks[2], scope, ['routes', 'uploads']);
    routes = server.routes;
    const { done } = await run(blocks[3], scope, ['done']);
    assert.equal(done.parts.length, 2);
    assert.equal(scope.bar.value, 1);
    assert.equal(scope.localStorage.getItem('video.bin') !== null, true);
  } finally {
    globalThis.fetch = realFetch;
  }
  assert.deepEqual(await bytesOf(scope.bucket, 'users/user-42/video.bin'), new Uint8Array(await file.arrayBuffer()));
});

test('README, STS web identity: the page trades the token for keys and uploads with them (moto, standing in for AWS)', async () => {
  const file = new File([content(9 << 20, 11)], 'scan.pdf', { type: 'application/pdf' });
  const scope = await scopeFor(file);
  const onMoto = new node.S3Client({ region: 'eu-west-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  await onMoto.createBucket({ bucket: scope.bucket });
  const sent = [];
  globalThis.fetch = (url, init) => {
    const aws = new URL(url instanceof Request ? url.url : url);
    assert.match(aws.host, /^(sts|s3)\.eu-west-1\.amazonaws\.com$/);
    sent.push(`${aws.host.split('.')[0]} ${init?.method ?? url.method}`);
    const local = `${moto.endpoint}${aws.pathname}${aws.search}`;
    return url instanceof Request ? realFetch(new Request(local, url)) : realFetch(local, init);
  };
  try {
    // The page has no client of its own but the one the block makes.
    const { s3: _, ...page } = scope;
    await run(blocks[4], { ...page, roleArn: 'arn:aws:iam::123456789012:role/uploads', idToken: async () => 'an.openid.token' }, []);
  } finally {
    globalThis.fetch = realFetch;
  }
  assert.equal(sent[0], 'sts POST');
  assert.equal(sent.filter((s) => s === 'sts POST').length, 1);
  assert.equal(scope.bar.value, 1);
  const object = await onMoto.getObject({ bucket: scope.bucket, key: 'users/user-42/scan.pdf' });
  assert.deepEqual(new Uint8Array(await object.arrayBuffer()), new Uint8Array(await file.arrayBuffer()));
});

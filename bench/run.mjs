// Benchmarks (`make bench`): livery-s3 side by side with its peers, all measured in this one
// process against a local Garage, so the figures compare clients, not machines or days.
// Clients take turns within every measure (a different order each round), so a burst of load
// on the machine is spread over all of them rather than landing on one. Every result is
// checked (a GET returns the bytes that were PUT, a listing the keys that exist, a presigned
// URL fetches the object): a client that is fast but wrong gets an error, never a figure.
import { execFileSync, execFile } from 'node:child_process';
import { randomBytes, randomFillSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { S3Client as Livery } from '../pkg/index.node.js';
import { S3Client, PutObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { AwsClient } from 'aws4fetch';
import { S3mini } from 's3mini';
import * as esbuild from 'esbuild';
import { startServer } from '../scripts/local-s3.mjs';
import { Unsupported, check, now, ok, rounds, same, table } from './harness.mjs';
import { putMemory } from './put-memory.mjs';
import { managedUpload } from './managed-upload.mjs';
import { sigv4 } from './sigv4.mjs';
import { listingCpu } from './listing-cpu.mjs';

const SMALL = 1024, N_SMALL = 300, IN_FLIGHT = 16, N_CONCURRENT = 1000;
const LARGE = 64 << 20, LARGE_RUNS = 3, N_LIST = 1000, N_PRESIGN = 10_000;
const REGION = 'us-east-1';
const here = new URL('.', import.meta.url).pathname;
const version = (dir) => JSON.parse(readFileSync(join(here, dir, 'package.json'))).version;
// The SDK warns once that it will need Node 22 from 2027: noise in a table of figures.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** The four clients behind one shape; each method does what a user of that client would write. */
function makeClients({ endpoint, accessKey: accessKeyId, secretKey: secretAccessKey }, bucket) {
  const credentials = { accessKeyId, secretAccessKey };
  const livery = new Livery({ region: REGION, endpoint, credentials });
  // Checksums only when S3 requires them: otherwise the SDK adds a CRC32 of every body.
  const sdk = new S3Client({ region: REGION, endpoint, forcePathStyle: true, credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  const aws = new AwsClient({ ...credentials, service: 's3', region: REGION });
  const url = (key, query = '') => `${endpoint}/${bucket}/${key}${query}`;
  const mini = new S3mini({ ...credentials, endpoint: `${endpoint}/${bucket}`, region: REGION });
  return [
    { name: 'livery-s3', version: version('../pkg'),
      put: (key, body) => livery.putObject({ bucket, key, body }),
      get: async (key) => (await livery.getObject({ bucket, key })).bytes(),
      head: async (key) => (await livery.headObject({ bucket, key })).contentLength,
      stream: async (key) => (await livery.getObject({ bucket, key })).body,
      list: async (prefix) => {
        const page = await livery.listObjects({ bucket, prefix, maxKeys: 1000 });
        return { keys: page.contents.map((o) => o.key), truncated: page.isTruncated };
      },
      presign: (key) => livery.presign({ method: 'GET', bucket, key, expiresIn: 3600 }) },
    { name: '@aws-sdk/client-s3', version: version('node_modules/@aws-sdk/client-s3'),
      put: (Key, Body) => sdk.send(new PutObjectCommand({ Bucket: bucket, Key, Body })),
      get: async (Key) => (await sdk.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body.transformToByteArray(),
      head: async (Key) => (await sdk.send(new HeadObjectCommand({ Bucket: bucket, Key }))).ContentLength,
      stream: async (Key) => (await sdk.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body,
      list: async (Prefix) => {
        const page = await sdk.send(new ListObjectsV2Command({ Bucket: bucket, Prefix, MaxKeys: 1000 }));
        return { keys: (page.Contents ?? []).map((o) => o.Key), truncated: page.IsTruncated };
      },
      presign: (Key) => getSignedUrl(sdk, new GetObjectCommand({ Bucket: bucket, Key }), { expiresIn: 3600 }) },
    { name: 'aws4fetch', version: version('node_modules/aws4fetch'),
      put: async (key, body) => (await ok(await aws.fetch(url(key), { method: 'PUT', body }))).arrayBuffer(),
      get: async (key) => new Uint8Array(await (await ok(await aws.fetch(url(key)))).arrayBuffer()),
      head: async (key) => Number((await ok(await aws.fetch(url(key), { method: 'HEAD' }))).headers.get('content-length')),
      stream: async (key) => (await ok(await aws.fetch(url(key)))).body,
      // aws4fetch only signs: the XML is the user's to parse (here a regex, the least one can do).
      list: async (prefix) => {
        const xml = await (await ok(await aws.fetch(`${endpoint}/${bucket}?list-type=2&max-keys=1000&prefix=${prefix}`))).text();
        return { keys: [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]), truncated: xml.includes('<IsTruncated>true') };
      },
      presign: async (key) => (await aws.sign(url(key, '?X-Amz-Expires=3600'), { aws: { signQuery: true } })).url },
    { name: 's3mini', version: version('node_modules/s3mini'),
      put: (key, body) => mini.putObject(key, body),
      get: async (key) => new Uint8Array(await mini.getObjectArrayBuffer(key)),
      head: (key) => mini.getContentLength(key),
      stream: async (key) => (await mini.getObjectResponse(key)).body,
      list: async (prefix) => {
        const page = await mini.listObjectsPaged('/', prefix, 1000);
        return { keys: page.objects.map((o) => o.Key), truncated: !!page.nextContinuationToken };
      },
      presign: (key) => mini.getPresignedUrl('GET', key, 3600) },
  ];
}

// Reads a body chunk by chunk, comparing each with what was PUT (memcmp: a few ms for
// 64 MiB), and holds none of it: the way an application pipes a download to a file.
async function drain(body, expected) {
  let offset = 0;
  for await (const chunk of body) {
    check(same(chunk, expected.subarray(offset, offset + chunk.byteLength)), `wrong bytes at ${offset}`);
    offset += chunk.byteLength;
  }
  check(offset === expected.length, `${offset} bytes instead of ${expected.length}`);
}

/** N sequential calls of `op` per client, in 5 rounds: ops/s and latency percentiles. */
async function sequential(clients, n, op) {
  const lat = new Map(clients.map((c) => [c, []]));
  const per = n / 5;
  const failed = await rounds(clients, 5, async (c, r) => {
    for (let i = r * per; i < (r + 1) * per; i++) {
      const t = now();
      await op(c, i);
      lat.get(c).push(now() - t);
    }
  });
  return new Map(clients.map((c) => {
    if (failed.has(c)) return [c, [failed.get(c)]];
    const ms = lat.get(c).sort((a, b) => a - b);
    const pct = (p) => ms[Math.ceil(p * ms.length) - 1].toFixed(2);
    return [c, [(1000 * ms.length / ms.reduce((a, b) => a + b)).toFixed(0), pct(0.5), pct(0.99)]];
  }));
}

/** What each client sends as x-amz-content-sha256 on a PUT: it explains PUT throughput. */
async function payloadHashes(server, bucket) {
  const seen = [];
  const capture = createServer((req, res) => {
    seen.push([req.headers['x-amz-content-sha256'], Object.keys(req.headers).find((h) => h.startsWith('x-amz-checksum-'))]);
    req.resume().on('end', () => res.writeHead(200, { etag: '"0"', 'content-length': 0 }).end());
  });
  await new Promise((resolve) => capture.listen(0, '127.0.0.1', resolve));
  const clients = makeClients({ ...server, endpoint: `http://127.0.0.1:${capture.address().port}` }, bucket);
  const result = new Map();
  for (const c of clients) {
    try {
      await c.put('probe', new Uint8Array(SMALL));
      const [hash, checksum] = seen.pop();
      result.set(c.name, `${/^[0-9a-f]{64}$/.test(hash) ? 'SHA-256 of body' : hash}${checksum ? ` + ${checksum}` : ''}`);
    } catch (e) {
      result.set(c.name, `unknown (${e.message})`);
    }
  }
  capture.close();
  return result;
}

/** A minimal browser program per client ("put + get"), bundled and minified as an app would be. */
async function sizes(clients) {
  const dir = mkdtempSync(join(tmpdir(), 'livery-s3-bench-'));
  // Resolve `livery-s3` through the package's own exports map, as a bundler in an app does.
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(join(here, '../pkg'), join(dir, 'node_modules/livery-s3'));
  const creds = `{ accessKeyId: 'AK', secretAccessKey: 'SK' }`;
  const programs = {
    'livery-s3': `import { S3Client } from 'livery-s3';
      const s3 = new S3Client({ region: 'us-east-1', endpoint: location.origin, credentials: ${creds} });
      await s3.putObject({ bucket: 'bucket', key: 'k', body: 'hello' });
      console.log(await (await s3.getObject({ bucket: 'bucket', key: 'k' })).text());`,
    '@aws-sdk/client-s3': `import { S3Client, PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
      const s3 = new S3Client({ region: 'us-east-1', endpoint: location.origin, forcePathStyle: true, credentials: ${creds} });
      await s3.send(new PutObjectCommand({ Bucket: 'bucket', Key: 'k', Body: 'hello' }));
      console.log(await (await s3.send(new GetObjectCommand({ Bucket: 'bucket', Key: 'k' }))).Body.transformToString());`,
    aws4fetch: `import { AwsClient } from 'aws4fetch';
      const aws = new AwsClient({ ...${creds}, service: 's3', region: 'us-east-1' });
      await aws.fetch(location.origin + '/bucket/k', { method: 'PUT', body: 'hello' });
      console.log(await (await aws.fetch(location.origin + '/bucket/k')).text());`,
    s3mini: `import { S3mini } from 's3mini';
      const s3 = new S3mini({ ...${creds}, endpoint: location.origin + '/bucket', region: 'us-east-1' });
      await s3.putObject('k', 'hello');
      console.log(await s3.getObject('k'));`,
  };
  const kib = (n) => (n / 1024).toFixed(1);
  const rows = [];
  for (const c of clients) {
    try {
      const out = await esbuild.build({
        stdin: { contents: programs[c.name], resolveDir: dir }, nodePaths: [join(here, 'node_modules')],
        bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent',
      });
      const js = out.outputFiles[0].contents;
      const wasm = c.name === 'livery-s3' ? readFileSync(join(here, '../pkg/wasm/livery_s3_bg.wasm')) : new Uint8Array();
      const gz = (b) => (b.length ? gzipSync(b, { level: 9 }).length : 0);
      rows.push([c.name, kib(js.length), kib(gz(js)), wasm.length ? kib(wasm.length) : '-', wasm.length ? kib(gz(wasm)) : '-',
        kib(js.length + wasm.length), kib(gz(js) + gz(wasm))]);
    } catch (e) {
      rows.push([c.name, { cell: 'n/a', why: `does not bundle for the browser: ${e.errors?.[0]?.text ?? e.message}` }]);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  return rows;
}

/**
 * Child mode (`--rss NAME ENDPOINT ACCESS SECRET BUCKET`): one 64 MiB PUT, then a streamed GET,
 * alone in a fresh process; the OS's high-water mark of RSS read after each.
 */
async function rssChild([name, endpoint, accessKey, secretKey, bucket]) {
  const client = makeClients({ endpoint, accessKey, secretKey }, bucket).find((c) => c.name === name);
  const data = randomBytes(LARGE);
  const peak = () => process.resourceUsage().maxRSS * 1024;
  const idle = process.memoryUsage().rss;
  await client.put(`rss/${name}`, data);
  const afterPut = peak();
  await drain(await client.stream(`rss/${name}`), data);
  console.log(JSON.stringify({ idle, afterPut, afterGet: peak() }));
}

async function main() {
  const garage = execFileSync('garage', ['--version']).toString().match(/\d+\.\d+\.\d+/)?.[0];
  const server = await startServer('garage');
  const bucket = 'bench';
  try {
    const clients = makeClients(server, bucket);
    const livery = new Livery({ region: REGION, endpoint: server.endpoint,
      credentials: { accessKeyId: server.accessKey, secretAccessKey: server.secretKey } });
    await livery.createBucket({ bucket });
    const mib = (bytes, ms) => (bytes / (1 << 20) / (ms / 1000)).toFixed(0);
    console.log(`S3 clients on Node ${process.version} (${process.platform} ${process.arch}, ${cpus().length} CPUs)`
      + ` against Garage ${garage} (one node, sqlite, 127.0.0.1), all in one process`);
    console.log(`clients: ${clients.map((c) => `${c.name} ${c.version}`).join(', ')}`);
    console.log(`small: ${SMALL} B objects, ${N_SMALL} sequential ops per client; concurrent: ${N_CONCURRENT} GETs,`
      + ` ${IN_FLIGHT} in flight; large: ${LARGE >> 20} MiB, best of ${LARGE_RUNS}; listing: ${N_LIST} keys,`
      + ` pages of 1000; presign: ${N_PRESIGN} GET URLs; then SigV4 signing alone, and the memory of one PUT`);

    // Random bodies, one per key and client, so a GET can only pass with the bytes its PUT sent.
    const small = new Map(clients.map((c) => [c, Array.from({ length: N_SMALL }, () => randomBytes(SMALL))]));
    const large = Buffer.allocUnsafe(LARGE);
    const key = (c, i) => `small/${c.name.replace(/\W/g, '')}/${i}`;
    const getOk = async (c, i) => check(same(await c.get(key(c, i)), small.get(c)[i]), `GET ${key(c, i)}: wrong bytes`);

    // Warm-up: JIT, connection pools, the wasm instance; nothing here is measured.
    const warm = await rounds(clients, 1, async (c) => {
      for (let i = 0; i < 30; i++) { await c.put(key(c, i), small.get(c)[i]); await getOk(c, i); await c.head(key(c, i)); }
      randomFillSync(large, 0, 8 << 20);
      await c.put('warm', large.subarray(0, 8 << 20));
      await drain(await c.stream('warm'), large.subarray(0, 8 << 20));
      for (let i = 0; i < 200 && c.presign; i++) await c.presign('warm');
    });
    for (const [c, { why }] of warm) console.log(`warm-up: ${c.name} ${why}`);

    const put = await sequential(clients, N_SMALL, (c, i) => c.put(key(c, i), small.get(c)[i]));
    const get = await sequential(clients, N_SMALL, getOk);
    const head = await sequential(clients, N_SMALL, async (c, i) => check((await c.head(key(c, i))) === SMALL, 'HEAD: wrong size'));
    table(`small objects (${SMALL} B, ${N_SMALL} sequential ops each; latency in ms)`,
      ['PUT ops/s', 'p50', 'p99', 'GET ops/s', 'p50', 'p99', 'HEAD ops/s', 'p50', 'p99'],
      clients.map((c) => [c.name, ...put.get(c), ...get.get(c), ...head.get(c)]));

    // Concurrent GETs: IN_FLIGHT workers share one counter, over the keys PUT above.
    const concurrent = new Map(clients.map((c) => [c, 0]));
    const failedConcurrent = await rounds(clients, 4, async (c) => {
      let next = 0;
      const t = now();
      await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
        while (next < N_CONCURRENT / 4) await getOk(c, next++ % N_SMALL);
      }));
      concurrent.set(c, concurrent.get(c) + now() - t);
    });
    table(`concurrent GETs (${N_CONCURRENT} × ${SMALL} B, ${IN_FLIGHT} in flight)`, ['ops/s'],
      clients.map((c) => [c.name, failedConcurrent.get(c) ?? (1000 * N_CONCURRENT / concurrent.get(c)).toFixed(0)]));

    // Large: fresh random bytes before every PUT (outside the clock), so no client reads an
    // object that another one left behind, and Garage cannot deduplicate blocks.
    const best = new Map(clients.map((c) => [c, { put: Infinity, get: Infinity }]));
    const failedLarge = await rounds(clients, LARGE_RUNS, async (c) => {
      randomFillSync(large);
      let t = now();
      await c.put(`large/${c.name}`, large);
      best.get(c).put = Math.min(best.get(c).put, now() - t);
      t = now();
      await drain(await c.stream(`large/${c.name}`), large);
      best.get(c).get = Math.min(best.get(c).get, now() - t);
    });
    const hashes = await payloadHashes(server, bucket);
    table(`large object (${LARGE >> 20} MiB from a Buffer; GET streamed to a sink; MiB/s, best of ${LARGE_RUNS})`,
      ['PUT MiB/s', 'GET MiB/s', 'PUT payload signing (x-amz-content-sha256)'],
      clients.map((c) => [c.name, failedLarge.get(c) ?? mib(LARGE, best.get(c).put), mib(LARGE, best.get(c).get), hashes.get(c.name)]));

    // Peak RSS needs a process of its own per client (the OS keeps one high-water mark).
    const rss = [];
    for (const c of clients) {
      try {
        const { stdout } = await promisify(execFile)(process.execPath, [new URL(import.meta.url).pathname, '--rss',
          c.name, server.endpoint, server.accessKey, server.secretKey, bucket]);
        const { idle, afterPut, afterGet } = JSON.parse(stdout);
        rss.push([c.name, ...[idle, afterPut, afterGet].map((n) => (n / (1 << 20)).toFixed(0))]);
      } catch (e) {
        rss.push([c.name, { cell: 'failed', why: e.message.split('\n').find((l) => /Error/.test(l)) ?? e.message }]);
      }
    }
    table(`memory (RSS in MiB of a fresh process per client: idle holding the ${LARGE >> 20} MiB source,`
      + ' then the peak after one PUT and after one streamed GET; includes garbage not yet collected)',
    ['idle', 'peak after PUT', 'peak after GET'], rss);
    // The same PUT, its RSS sampled while it runs, from a baseline after a GC (put-memory.mjs).
    await putMemory(server, bucket);
    // 1 GiB through each client's managed upload and back (managed-upload.mjs).
    await managedUpload(server, bucket);

    // Listing: N_LIST empty objects, then one page of 1000 per client and round.
    const listKeys = Array.from({ length: N_LIST }, (_, i) => `list/${String(i).padStart(5, '0')}`);
    for (let i = 0; i < N_LIST; i += IN_FLIGHT) await Promise.all(listKeys.slice(i, i + IN_FLIGHT).map((k) => clients[0].put(k, '')));
    const pages = new Map(clients.map((c) => [c, []]));
    const failedList = await rounds(clients, 10, async (c) => {
      const t = now();
      const { keys, truncated } = await c.list('list/');
      pages.get(c).push(now() - t);
      check(!truncated && keys.join() === listKeys.join(), `listing: ${keys.length} keys, not the ${N_LIST} PUT`);
    });
    table(`listing (ListObjectsV2, one page of ${N_LIST} keys, 10 pages each)`, ['ms/page p50', 'best'],
      clients.map((c) => {
        if (failedList.has(c)) return [c.name, failedList.get(c)];
        const ms = pages.get(c).sort((a, b) => a - b);
        return [c.name + (c.name === 'aws4fetch' ? ' (regex over the XML)' : ''), ms[ms.length >> 1].toFixed(1), ms[0].toFixed(1)];
      }));
    await listingCpu();

    // Presigning: local work only; one URL per client is then fetched to prove it valid.
    const presign = new Map(clients.map((c) => [c, 0]));
    const failedPresign = await rounds(clients, 4, async (c) => {
      if (!c.presign) throw new Unsupported('the client has no presigned URLs');
      const t = now();
      for (let i = 0; i < N_PRESIGN / 4; i++) await c.presign(key(c, i % N_SMALL));
      presign.set(c, presign.get(c) + now() - t);
      const body = new Uint8Array(await (await ok(await fetch(await c.presign(key(c, 7))))).arrayBuffer());
      check(same(body, small.get(c)[7]), 'presigned URL fetched the wrong bytes');
    });
    table(`presign (${N_PRESIGN} GET URLs, expiring in 1 h)`, ['URLs/s'],
      clients.map((c) => [c.name, failedPresign.get(c) ?? (1000 * N_PRESIGN / presign.get(c)).toFixed(0)]));
    // The signing alone, livery-s3 against the signers inside its peers (sigv4.mjs).
    await sigv4(server, bucket, livery);

    table('size (a minimal browser "put + get" program, esbuild --bundle --minify --format=esm'
      + ' --platform=browser; KiB, gzip -9)', ['JS', 'JS gzip', 'wasm', 'wasm gzip', 'total', 'total gzip'],
    await sizes(clients));
  } finally {
    await server.stop();
  }
}

if (process.argv[2] === '--rss') await rssChild(process.argv.slice(3));
else await main();

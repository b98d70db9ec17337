// The server build's circuit breaker and endpoint balancing (Node), in front of s3s-fs (which
// checks every signature) through our fault-injecting proxies: each proxy is one "endpoint".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { S3Client } from '../../pkg/index.node.js';
import { startServer, bucketName } from '../../scripts/local-s3.mjs';
import { startFaultProxy } from './fault-proxy.mjs';
import { failure, listen } from './helpers.mjs';

let server;
let bucket;
before(async () => {
  server = await startServer('s3s-fs');
  bucket = bucketName('balance');
  await client({ endpoint: server.endpoint }).createBucket({ bucket });
});
after(async () => {
  await server?.stop();
});

function client(options) {
  return new S3Client({ region: 'us-east-1', credentials: { accessKeyId: server.accessKey, secretAccessKey: server.secretKey },
    ...options });
}

test('circuitBreaker: open after failureThreshold failures, fails fast without a request, a probe after resetAfterMs closes it', async () => {
  // The first two requests fail (500), the rest pass.
  const proxy = await startFaultProxy(server.endpoint, { script: (n) => (n < 2 ? 'internal-error' : undefined) });
  try {
    const s3 = client({ endpoint: proxy.endpoint, retry: false, circuitBreaker: { failureThreshold: 2, resetAfterMs: 300 } });
    for (let i = 0; i < 2; i++) assert.equal((await failure(s3.headBucket({ bucket }))).code, 'InternalError');
    const open = await failure(s3.headBucket({ bucket }));
    assert.equal(open.kind, 'circuit-open');
    assert.equal(open.attempts, 0);
    assert.equal(proxy.log.length, 2, 'no request while the circuit is open');
    await new Promise((resume) => setTimeout(resume, 350));
    await s3.headBucket({ bucket });
    await s3.headBucket({ bucket });
    assert.equal(proxy.log.length, 4);
  } finally {
    await proxy.close();
  }
});

test('endpoints: calls spread over every endpoint, and a dead one is retried around and, with the breaker, left out', async () => {
  const proxies = await Promise.all([startFaultProxy(server.endpoint, { rate: 0 }), startFaultProxy(server.endpoint, { rate: 0 })]);
  try {
    const spread = client({ endpoints: proxies.map((p) => p.endpoint) });
    await Promise.all(Array.from({ length: 20 }, () => spread.headBucket({ bucket })));
    for (const proxy of proxies) assert.ok(proxy.log.length >= 5, `an endpoint took ${proxy.log.length} of 20 calls`);

    // A dead endpoint (it drops every connection): its attempt fails, the retry goes to the
    // other endpoint, and once its circuit is open no call tries it any more.
    let deadHits = 0;
    const dead = await listen((req) => {
      deadHits++;
      req.socket.destroy();
    });
    try {
      const before = proxies[0].log.length;
      const s3 = client({ endpoints: [dead.endpoint, proxies[0].endpoint], circuitBreaker: { failureThreshold: 1, resetAfterMs: 60_000 },
        retry: { baseDelayMs: 1 } });
      const results = [];
      for (let i = 0; i < 10; i++) results.push(await s3.headBucket({ bucket }).then(() => 'ok', (e) => e.kind));
      assert.deepEqual(results, Array(10).fill('ok'));
      assert.equal(proxies[0].log.length - before, 10, 'each call answered by the live endpoint once');
      assert.equal(deadHits, 1, 'the dead endpoint was tried once, then left out');
    } finally {
      await dead.close();
    }
  } finally {
    await Promise.all(proxies.map((p) => p.close()));
  }
});

test('endpoints and circuitBreaker are checked: a bad list or setting is a validation error', () => {
  // A hole is no URL: `[, url]` must not shrink to `[url]`, nor `new Array(2)` to AWS's endpoint.
  for (const options of [{ endpoints: [] }, { endpoints: 'http://x' }, { endpoints: [42] }, { endpoints: [, 'http://a'] },
    { endpoints: new Array(2) },
    { endpoints: ['http://a'], endpoint: 'http://b' }, { circuitBreaker: { failureThreshold: 0 } },
    { circuitBreaker: { failures: 3 } }]) {
    assert.throws(() => client({ endpoint: options.endpoints ? undefined : server.endpoint, ...options }), { kind: 'validation' },
      JSON.stringify(options));
  }
});

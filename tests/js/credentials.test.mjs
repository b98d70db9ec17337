// Credentials through the npm package in Node: web identity against moto's real STS and then
// S3 with the session credentials, an STS refusal typed, the cache (one refresh for 100
// calls at expiry, failure then recovery, ExpiredToken refreshed once), anonymous reads of a
// public object, validation before any request, and no secret in what a client or its errors
// show.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { S3Client } from '../../pkg/index.node.js';
import { failure, listen } from './helpers.mjs';
import { startServer, bucketName, ACCESS_KEY, SECRET_KEY } from '../../scripts/local-s3.mjs';

let moto;
before(async () => {
  moto = await startServer('moto');
});
after(async () => {
  await moto?.stop();
});

const ROLE = 'arn:aws:iam::123456789012:role/livery-test';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fetch double that answers every request with `answer(request)` (200 and no body by
 * default) and records the Authorization header of each. */
function recording(answer = () => new Response(null, { status: 200 })) {
  const seen = [];
  const fetch = async (url, init) => {
    const request = new Request(url, init);
    seen.push(request.headers.get('authorization'));
    return answer(request);
  };
  return { seen, fetch };
}

const keyOf = (authorization) => /Credential=([^/]+)\//.exec(authorization ?? '')?.[1];

test('web identity: moto STS credentials sign S3 calls, and the token is asked for once', async () => {
  let tokens = 0;
  const sent = [];
  const s3 = new S3Client({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    fetch: (url, init) => (sent.push(new Headers(init.headers)), fetch(url, init)),
    credentials: { webIdentity: { roleArn: ROLE, token: async () => (tokens++, 'eyJhbGciOiJub25lIn0.e30.'),
      stsEndpoint: moto.endpoint, roleSessionName: 'livery-js', durationSeconds: 900 } },
  });
  const bucket = bucketName('sts');
  await s3.createBucket({ bucket });
  await s3.putObject({ bucket, key: 'k', body: 'signed with a session' });
  assert.equal(await (await s3.getObject({ bucket, key: 'k' })).text(), 'signed with a session');
  assert.equal(tokens, 1);
  // moto checks no signature: what reached it is checked here. The STS call is unsigned;
  // every S3 call carries the session token and STS's temporary key id.
  assert.equal(sent.length, 4);
  assert.ok(!sent[0].has('authorization'));
  for (const headers of sent.slice(1)) {
    assert.ok(headers.get('x-amz-security-token')?.length > 20);
    assert.match(keyOf(headers.get('authorization')), /^ASIA/);
  }
});

test('an STS refusal is a credentials error with the STS code, status and request id; S3 gets nothing', async () => {
  let forms = [];
  const sts = await listen((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      forms.push(new URLSearchParams(body));
      res.writeHead(400, { 'x-amzn-requestid': 'header-id' });
      res.end('<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>Token is expired</Message>'
        + '</Error><RequestId>sts-req-7</RequestId></ErrorResponse>');
    });
  });
  const s3Requests = recording();
  try {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', fetch: async (url, init) => (
      url.startsWith(sts.endpoint) ? fetch(url, init) : s3Requests.fetch(url, init)),
      credentials: { webIdentity: { roleArn: ROLE, token: 'secret+token=', stsEndpoint: sts.endpoint } } });
    const e = await failure(s3.listBuckets());
    assert.deepEqual([e.kind, e.code, e.status, e.requestId], ['credentials', 'InvalidIdentityToken', 400, 'sts-req-7']);
    assert.match(e.message, /Token is expired/);
    assert.ok(!e.message.includes('secret+token'), e.message);
    assert.deepEqual(s3Requests.seen, []);
    assert.equal(forms[0].get('Action'), 'AssumeRoleWithWebIdentity');
    assert.equal(forms[0].get('WebIdentityToken'), 'secret+token=');
    assert.match(forms[0].get('RoleSessionName'), /^livery-s3-[0-9a-f]+$/);
  } finally {
    await sts.close();
  }
});

test('a hundred calls when the credentials expire cause one refresh', async () => {
  const { seen, fetch } = recording();
  let calls = 0;
  const credentials = async () => {
    const n = ++calls;
    await sleep(30);
    // The first credentials live 400 ms; the next an hour.
    return { accessKeyId: `AKID${n}`, secretAccessKey: 's', sessionToken: `t${n}`,
      expiration: new Date(Date.now() + (n === 1 ? 400 : 3_600_000)) };
  };
  const s3 = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', fetch, credentials });
  await s3.headBucket({ bucket: 'bkt' });
  await sleep(450);
  await Promise.all(Array.from({ length: 100 }, () => s3.headBucket({ bucket: 'bkt' })));
  assert.equal(calls, 2);
  assert.deepEqual(seen.map(keyOf), ['AKID1', ...Array(100).fill('AKID2')]);
});

test('a failed refresh is a credentials error, and the next call tries again', async () => {
  const { seen, fetch } = recording();
  let calls = 0;
  const credentials = async () => {
    if (++calls === 1) throw new Error('the identity service is down');
    return { accessKeyId: 'AKIDBACK', secretAccessKey: 's' };
  };
  const s3 = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', fetch, credentials });
  const e = await failure(s3.headBucket({ bucket: 'bkt' }));
  assert.equal(e.kind, 'credentials');
  assert.match(e.message, /the identity service is down/);
  assert.equal(e.attempts, 1);
  await s3.headBucket({ bucket: 'bkt' });
  assert.deepEqual(seen.map(keyOf), ['AKIDBACK']);
  const odd = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', fetch,
    credentials: async () => ({ accessKeyId: 7 }) });
  assert.equal((await failure(odd.headBucket({ bucket: 'bkt' }))).kind, 'credentials');
});

test('keys the signer would refuse (a space in the id, an empty or numeric session token) fail like a failed refresh, and good ones are kept', async () => {
  const { seen, fetch } = recording();
  const given = [{ accessKeyId: 'AKIDGOOD', secretAccessKey: 's', expiration: new Date(Date.now() + 400) },
    { accessKeyId: 'AKID BAD', secretAccessKey: 's', expiration: new Date(Date.now() + 3_600_000) },
    { accessKeyId: 'AKIDBAD', secretAccessKey: 's', sessionToken: 7 },
    { accessKeyId: 'AKIDBAD', secretAccessKey: 's', sessionToken: '' }];
  let calls = 0;
  const s3 = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', fetch, refreshCredentialsMs: 300,
    credentials: async () => given[Math.min(calls++, given.length - 1)] });
  await s3.headBucket({ bucket: 'bkt' });
  // In the refresh window (from 200 ms): the refresh gives the bad keys, the good ones sign.
  await sleep(250);
  await s3.headBucket({ bucket: 'bkt' });
  assert.equal(calls, 2, 'the refresh was tried');
  assert.deepEqual(seen.map(keyOf), ['AKIDGOOD', 'AKIDGOOD']);
  for (const bad of given.slice(2)) {
    const s = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', fetch, credentials: async () => bad });
    const e = await failure(s.headBucket({ bucket: 'bkt' }));
    assert.equal(e.kind, 'credentials', String(bad.sessionToken));
  }
  assert.equal(seen.length, 2, 'nothing was signed with the bad keys');
});

test('web identity credentials are counted from STS\'s own Date: a local clock two hours ahead still uses them', async () => {
  const { mock } = await import('node:test');
  const hour = 3_600_000;
  const stsNow = Date.now();
  const { seen, fetch } = recording((request) => {
    if (request.method !== 'POST') return new Response(null, { status: 200 });
    const expiration = new Date(stsNow + hour).toISOString();
    return new Response(`<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>
<AccessKeyId>ASIASTS</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>tok</SessionToken>
<Expiration>${expiration}</Expiration></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>`,
    { headers: { date: new Date(stsNow).toUTCString() } });
  });
  mock.timers.enable({ apis: ['Date'], now: stsNow + 2 * hour });
  try {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', fetch,
      credentials: { webIdentity: { roleArn: ROLE, token: 'jwt', stsEndpoint: 'http://127.0.0.1:9' } } });
    await s3.headBucket({ bucket: 'bkt' });
  } finally {
    mock.timers.reset();
  }
  assert.deepEqual(seen.map(keyOf), [undefined, 'ASIASTS']);
});

test('a credentials function that never settles fails the calls waiting on it after 60 s, and the next call asks again', async () => {
  const { mock } = await import('node:test');
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    let calls = 0;
    const s3 = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', fetch: recording().fetch,
      credentials: () => (++calls === 1 ? new Promise(() => {}) : { accessKeyId: 'AKIDLATER', secretAccessKey: 's' }) });
    const waiting = [s3.headBucket({ bucket: 'bkt' }), s3.headBucket({ bucket: 'bkt' })];
    await Promise.resolve();
    mock.timers.tick(60_000);
    for (const e of await Promise.all(waiting.map(failure))) {
      assert.equal(e.kind, 'credentials');
      assert.match(e.message, /did not arrive within 60 s/);
    }
    await s3.headBucket({ bucket: 'bkt' });
    assert.equal(calls, 2);
  } finally {
    mock.timers.reset();
  }
});

test('refreshCredentialsMs with static or anonymous credentials is refused: nothing would be refreshed', () => {
  for (const credentials of [{ accessKeyId: 'a', secretAccessKey: 'b' }, 'anonymous']) {
    assert.throws(() => new S3Client({ region: 'us-east-1', credentials, refreshCredentialsMs: 1000 }),
      (e) => e.kind === 'validation' && /refreshCredentialsMs/.test(e.message));
  }
});

test('ExpiredToken from S3 refreshes the credentials once and retries once', async () => {
  const expired = '<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>';
  const { seen, fetch } = recording((request) => (keyOf(request.headers.get('authorization')) === 'AKID1'
    ? new Response(expired, { status: 400 }) : new Response(null, { status: 200 })));
  let calls = 0;
  const s3 = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', fetch,
    credentials: async () => ({ accessKeyId: `AKID${++calls}`, secretAccessKey: 's', sessionToken: 't' }) });
  await s3.putObject({ bucket: 'bkt', key: 'k', body: 'x' });
  assert.equal(calls, 2);
  assert.deepEqual(seen.map(keyOf), ['AKID1', 'AKID2']);
});

test('anonymous clients read public objects unsigned and are refused private ones', async () => {
  const owner = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY } });
  const bucket = bucketName('anon');
  await owner.createBucket({ bucket });
  await owner.putObject({ bucket, key: 'open.txt', body: 'for everyone', acl: 'public-read' });
  await owner.putObject({ bucket, key: 'closed.txt', body: 'owner only' });
  const sent = [];
  const anonymous = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, credentials: 'anonymous',
    fetch: (url, init) => (sent.push(new Headers(init.headers)), fetch(url, init)) });
  assert.equal(await (await anonymous.getObject({ bucket, key: 'open.txt' })).text(), 'for everyone');
  assert.equal((await failure(anonymous.getObject({ bucket, key: 'closed.txt' }))).status, 403);
  assert.ok(sent.every((h) => !h.has('authorization') && !h.has('x-amz-date')));
  assert.equal((await failure(anonymous.presign({ bucket, key: 'open.txt' }))).kind, 'credentials');
});

test('bad credential options are validation errors before any request', async () => {
  const make = (credentials) => () => new S3Client({ region: 'us-east-1', credentials });
  const web = (extra) => make({ webIdentity: { roleArn: ROLE, token: 't', ...extra } });
  assert.throws(web({ roleArn: 'role/x' }), { kind: 'validation', message: /roleArn must be a role ARN/ });
  assert.throws(web({ durationSeconds: 60 }), { kind: 'validation', message: /durationSeconds must be 900 to 43200/ });
  assert.throws(web({ roleSessionName: 'has space' }), { kind: 'validation', message: /roleSessionName/ });
  assert.throws(web({ token: 7 }), { kind: 'validation', message: /token must be a string or an async function/ });
  assert.throws(web({ stsEndpoint: 'sts.example.com' }), { kind: 'validation', message: /stsEndpoint/ });
  assert.throws(web({ audience: 'x' }), { kind: 'validation', message: /webIdentity.audience is not an option/ });
  assert.throws(make({ webIdentity: { roleArn: ROLE, token: 't' }, accessKeyId: 'a' }), { kind: 'validation' });
  assert.throws(make('public'), { kind: 'validation' });
  assert.throws(make(undefined), { kind: 'credentials', message: /anonymous/ });
});

test('no secret shows in a client, its errors or its presigned URLs', async () => {
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRET';
  const token = 'FQoGZXIvYXdzEBYaDSESSIONTOKEN';
  const { fetch } = recording(() => new Response('<Error><Code>AccessDenied</Code></Error>', { status: 403 }));
  const clients = [
    new S3Client({ region: 'us-east-1', fetch, credentials: { accessKeyId: 'AKIDSWEEP', secretAccessKey: secret, sessionToken: token } }),
    new S3Client({ region: 'us-east-1', fetch, credentials: async () => ({ accessKeyId: 'AKIDSWEEP', secretAccessKey: secret, sessionToken: token }) }),
    new S3Client({ region: 'us-east-1', fetch, credentials: { webIdentity: { roleArn: ROLE, token, stsEndpoint: 'http://127.0.0.1:9' } } }),
  ];
  for (const s3 of clients) {
    const e = await failure(s3.headBucket({ bucket: 'bkt' }));
    for (const shown of [inspect(s3, { showHidden: true, depth: 9 }), JSON.stringify(s3), String(s3), e.message, e.stack, inspect(e)]) {
      assert.ok(!shown.includes(secret) && !shown.includes(token), shown);
    }
  }
  const url = await clients[0].presign({ bucket: 'bkt', key: 'k' });
  assert.ok(!url.includes(secret));
});

test('a call started from inside a credentials function runs as a task of its own', async () => {
  const { seen, fetch } = recording();
  const other = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', fetch,
    credentials: { accessKeyId: 'AKIDINNER', secretAccessKey: 's' } });
  let inner;
  const s3 = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', fetch, credentials: () => {
    // Runs while wasm polls the outer call: the inner call starts and runs its first step then.
    inner = other.headBucket({ bucket: 'inner' });
    return { accessKeyId: 'AKIDOUTER', secretAccessKey: 's' };
  } });
  const outer = await s3.headBucket({ bucket: 'outer' });
  assert.deepEqual([outer, await inner], [{}, {}]);
  assert.deepEqual(seen.map(keyOf).sort(), ['AKIDINNER', 'AKIDOUTER']);
});

test('a credentials function that once gives no keys is called again, not cached broken', async () => {
  const { seen, fetch } = recording();
  let calls = 0;
  const s3 = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', fetch,
    credentials: async () => (++calls === 1 ? { error: 'the API was down' } : { accessKeyId: 'AKIDLATER', secretAccessKey: 's' }) });
  const e = await failure(s3.headBucket({ bucket: 'bkt' }));
  assert.equal(e.kind, 'credentials');
  assert.match(e.message, /accessKeyId and secretAccessKey/);
  await s3.headBucket({ bucket: 'bkt' });
  assert.equal(calls, 2);
  assert.deepEqual(seen.map(keyOf), ['AKIDLATER']);
});

test('refreshCredentialsMs sets how long before expiry the credentials are refreshed', async () => {
  const counted = async (refreshCredentialsMs) => {
    const { fetch } = recording();
    let calls = 0;
    const s3 = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', fetch, refreshCredentialsMs,
      credentials: async () => ({ accessKeyId: `AKID${++calls}`, secretAccessKey: 's', expiration: Date.now() + 1000 }) });
    await s3.headBucket({ bucket: 'bkt' });
    await sleep(600);
    await s3.headBucket({ bucket: 'bkt' });
    return calls;
  };
  // By default (5 minutes, capped at half of these 1 s credentials) the second call refreshes;
  // with no window the credentials serve until they expire.
  assert.deepEqual([await counted(undefined), await counted(0)], [2, 1]);
  assert.throws(() => new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 's' },
    refreshCredentialsMs: -1 }), { kind: 'validation', message: /refreshCredentialsMs/ });
});

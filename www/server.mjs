// The www/ demo: direct browser upload, in three modes.
// - presigned (a bucket on Garage, which checks every signature): the server holds the keys
//   and signs with livery-s3 one PUT for a small file, or the parts of a multipart upload for
//   a large one (livery-s3/presigned-uploads, within a policy);
// - POST form (bucket www-post on Garage, which enforces POST policies): the server signs a
//   form with presignPost that caps the file at 1 MiB;
// - STS (bucket www-sts on moto, the only local STS): the page gets a token from a demo
//   identity provider here, exchanges it with STS for temporary keys (AssumeRoleWithWebIdentity)
//   and uploads with the package itself (S3Client.upload), refreshing the keys as they expire.
// The browser sends the bytes straight to S3 in every mode.
//
//   node www/server.mjs        starts Garage and moto on 127.0.0.1 and serves the page (Ctrl-C stops all)
//
// The presigned and POST modes go from the page to Garage, another origin, as they would to
// S3: this script sets both Garage buckets' CORS rules for the page's origin (PutBucketCors),
// exposing the ETag the page reads from each part's answer. moto's preflights ignore CORS
// rules, so the STS mode reaches moto through this server, at the page's own origin: every
// request it does not serve itself is passed on unchanged (Host header included, so SigV4
// verifies), and a POST to / is STS.
import { createServer, request as forward } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { S3Client, PresignedUploads } from '../pkg/index.node.js';
import { putBucketCors } from '../scripts/local-s3.mjs';

/** The parts large files are cut into (S3's smallest). */
const PART_SIZE = 5 << 20;
/** The POST form's cap on a file's size, which S3 enforces. */
const POST_MAX = 1 << 20;
/** The role the STS mode's web identity assumes (moto accepts any). */
const ROLE_ARN = 'arn:aws:iam::123456789012:role/www-demo';
const PAGE = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript'],
};
/** The package's browser files under /livery-s3/: presigned-parts.js (the browser half of
 * presigned multipart uploads, no wasm), index.browser.js (the client, for the STS mode, loaded
 * only in that mode), the chunk they share, and the wasm. */
const packageFile = (path) => {
  const file = /^\/livery-s3\/([\w.-]+\.js|wasm\/livery_s3_bg\.wasm)$/.exec(path)?.[1];
  return file && [`../pkg/${file}`, file.endsWith('.js') ? 'text/javascript' : 'application/wasm'];
};

/** Serves the demo on a free 127.0.0.1 port: the presigned modes in `bucket` and the POST form
 * on `garage`, STS on `moto` (each `{ endpoint, accessKey, secretKey }`, as scripts/local-s3.mjs
 * starts them). */
export async function startSite({ bucket, garage, moto }) {
  const upstream = new URL(moto.endpoint);
  // Garage, for the presigned and POST modes.
  const signer = new S3Client({ region: 'us-east-1', endpoint: garage.endpoint,
    credentials: { accessKeyId: garage.accessKey, secretAccessKey: garage.secretKey } });
  // The server's own view of the STS bucket (listing, deleting): moto takes any key.
  const stsSigner = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint,
    credentials: { accessKeyId: 'AKIAWWWDEMO', secretAccessKey: 'www-demo' } });
  const site = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const served = req.method === 'GET' && (PAGE[path] ?? packageFile(path));
    if (served) {
      const [file, type] = served;
      res.writeHead(200, { 'content-type': type }).end(readFileSync(new URL(file, import.meta.url)));
    } else if (req.method === 'POST' && path === '/api/presign') {
      presign(req, res);
    } else if (req.method === 'POST' && path.startsWith('/api/uploads/')) {
      parts(path.slice('/api/uploads/'.length), req, res);
    } else if (req.method === 'POST' && path === '/api/post-form') {
      postForm(req, res);
    } else if (req.method === 'POST' && path === '/api/demo-token') {
      // A demo identity provider: a real one (Google, Cognito, your OIDC) signs a JWT for the
      // signed-in user; moto's STS takes any token.
      res.writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ roleArn: ROLE_ARN, token: `demo.${Buffer.from(JSON.stringify({ sub: 'www-user', t: Date.now() })).toString('base64url')}.sig` }));
    } else {
      // The STS mode's requests (STS itself, and bucket www-sts) go on to moto.
      const passed = forward({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => { res.writeHead(answer.statusCode, answer.headers); answer.pipe(res); });
      passed.on('error', (e) => res.writeHead(502).end(e.message));
      req.pipe(passed);
    }
  });

  async function presign(req, res) {
    try {
      const { name, type, size } = JSON.parse(await text(req));
      if (typeof name !== 'string' || !name || typeof size !== 'number' || size > 100 << 20) {
        return res.writeHead(400).end('send { name, type, size } for a file of at most 100 MiB');
      }
      const key = `uploads/${Date.now()}-${name.replaceAll('/', '_')}`;
      const contentType = typeof type === 'string' && type ? type : 'application/octet-stream';
      // The content type is signed: the browser must send exactly this one.
      const putUrl = await signer.presign({ method: 'PUT', bucket, key, expiresIn: 300, headers: { 'content-type': contentType } });
      const getUrl = await signer.presign({ bucket, key, expiresIn: 3600, responseContentDisposition: 'inline' });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ key, contentType, putUrl, getUrl }));
    } catch (e) {
      res.writeHead(400).end(e.message);
    }
  }

  // A POST form for one file: its key and content type fixed, its size capped by S3.
  async function postForm(req, res) {
    try {
      const { name, type } = JSON.parse(await text(req));
      const key = `uploads/${Date.now()}-${String(name).replaceAll('/', '_')}`;
      const form = await signer.presignPost({ bucket: 'www-post', key, contentLengthRange: [0, POST_MAX],
        contentType: typeof type === 'string' && type ? type : 'application/octet-stream',
        fields: { success_action_status: '201' }, expiresIn: 300 });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ key, max: POST_MAX, ...form }));
    } catch (e) {
      res.writeHead(400).end(e.message);
    }
  }

  // Large files: a multipart upload whose part URLs the server signs (`start`), which the
  // browser fills and the server then completes or aborts. The policy bounds what is signed.
  let uploads;
  async function parts(step, req, res) {
    try {
      const { name, type, size, key, uploadId, partNumber, parts, bucket: where = bucket } = JSON.parse(await text(req));
      let answer;
      if (step === 'start') {
        const file = `uploads/${Date.now()}-${String(name).replaceAll('/', '_')}`;
        answer = await uploads.start({ key: file, size, contentType: typeof type === 'string' && type ? type : undefined });
      } else if (step === 'part-url') {
        // A fresh URL for one part (a resumed upload's URLs from before may have expired).
        answer = { url: await uploads.partUrl({ key, uploadId, partNumber, size }) };
      } else if (step === 'parts') {
        // After a reload: the parts S3 already has.
        answer = (await uploads.parts({ key, uploadId })).map(({ partNumber: n, size: bytes, etag }) => ({ partNumber: n, size: bytes, etag }));
      } else if (step === 'complete') {
        await uploads.complete({ key, uploadId, parts });
        answer = { key, getUrl: await signer.presign({ bucket, key, expiresIn: 3600, responseContentDisposition: 'inline' }) };
      } else if (step === 'abort') {
        answer = await uploads.abort({ key, uploadId });
      } else if (step === 'list') {
        // What was uploaded in every mode, each with a presigned GET to download it.
        answer = [];
        for (const [listed, s3] of [[bucket, signer], ['www-post', signer], ['www-sts', stsSigner]]) {
          const page = await s3.listObjects({ bucket: listed, prefix: 'uploads/' });
          answer.push(...await Promise.all((page.contents ?? []).map(async (o) => ({ bucket: listed, key: o.key, size: o.size,
            getUrl: await s3.presign({ bucket: listed, key: o.key, expiresIn: 600, responseContentDisposition: 'attachment' }) }))));
        }
      } else if (step === 'delete') {
        // Only what this page uploads may be deleted through it.
        const s3 = { [bucket]: signer, 'www-post': signer, 'www-sts': stsSigner }[where];
        if (!s3 || typeof key !== 'string' || !key.startsWith('uploads/')) return res.writeHead(400).end('not an upload');
        answer = await s3.deleteObject({ bucket: where, key });
      } else {
        return res.writeHead(404).end();
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer ?? {}));
    } catch (e) {
      res.writeHead(400).end(e.message);
    }
  }

  await new Promise((done) => site.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${site.address().port}`;
  for (const [s3, name] of [[signer, bucket], [signer, 'www-post'], [stsSigner, 'www-sts']]) {
    await s3.createBucket({ bucket: name }).catch((e) => { if (e.status !== 409) throw e; });
  }
  // What the page may do in the Garage buckets from its origin: PUT files and parts, POST
  // forms, GET downloads; and read the ETag of each answer (a part's ETag completes the upload).
  for (const name of [bucket, 'www-post']) {
    await putBucketCors(garage, name, [{ origins: [origin], methods: ['GET', 'PUT', 'POST', 'HEAD'], headers: ['*'], expose: ['ETag'], maxAgeSeconds: 600 }]);
  }
  uploads = new PresignedUploads(signer, { bucket, keyPrefix: 'uploads/', maxSize: 1 << 30, partSize: PART_SIZE });
  return { origin, stop: () => new Promise((done) => { site.closeAllConnections(); site.close(done); }) };
}

function text(req) {
  return new Promise((done, fail) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c) => { body += c; }).on('end', () => done(body)).on('error', fail);
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { startServer } = await import('../scripts/local-s3.mjs');
  const servers = await Promise.all(['garage', 'moto'].map(startServer));
  const [garage, moto] = servers;
  const site = await startSite({ bucket: 'www-demo', garage, moto });
  console.log(`open ${site.origin}/ (S3: Garage ${garage.endpoint} with CORS rules for this page, moto ${moto.endpoint}); Ctrl-C stops`);
  process.on('SIGINT', async () => { await site.stop(); await Promise.all(servers.map((s) => s.stop())); process.exit(0); });
}

// The www/ demo: direct browser upload with presigned URLs. The server holds the keys and
// signs with livery-s3: one PUT for a small file, or the parts of a multipart upload for a
// large one (livery-s3/presigned-uploads, within a policy); the browser sends the bytes
// straight to S3.
//
//   node www/server.mjs        starts s3s-fs on 127.0.0.1 and serves the page (Ctrl-C stops both)
//
// The page and S3 share one origin: /, /app.js and /api/presign are served here and every other
// request is passed to the S3 server unchanged (Host header included, so SigV4 verifies). A
// real deployment points the browser at S3 directly and sets the bucket's CORS rules instead.
import { createServer, request as forward } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { S3Client } from '../pkg/index.node.js';
import { PresignedUploads } from '../pkg/presigned-uploads.js';

/** The parts large files are cut into (S3's smallest). */
const PART_SIZE = 5 << 20;
const PAGE = { '/': ['index.html', 'text/html; charset=utf-8'], '/app.js': ['app.js', 'text/javascript'] };

/** Serves the demo for `s3` (an endpoint and its keys) on a free 127.0.0.1 port. */
export async function startSite({ s3Endpoint, accessKeyId, secretAccessKey, bucket }) {
  const target = new URL(s3Endpoint);
  let signer;
  const site = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (req.method === 'GET' && PAGE[path]) {
      const [file, type] = PAGE[path];
      res.writeHead(200, { 'content-type': type }).end(readFileSync(new URL(file, import.meta.url)));
    } else if (req.method === 'POST' && path === '/api/presign') {
      presign(req, res);
    } else if (req.method === 'POST' && path.startsWith('/api/uploads/')) {
      parts(path.slice('/api/uploads/'.length), req, res);
    } else {
      const upstream = forward({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => { res.writeHead(answer.statusCode, answer.headers); answer.pipe(res); });
      upstream.on('error', (e) => res.writeHead(502).end(e.message));
      req.pipe(upstream);
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

  // Large files: a multipart upload whose part URLs the server signs (`start`), which the
  // browser fills and the server then completes or aborts. The policy bounds what is signed.
  let uploads;
  async function parts(step, req, res) {
    try {
      const { name, type, size, key, uploadId, parts } = JSON.parse(await text(req));
      let answer;
      if (step === 'start') {
        const file = `uploads/${Date.now()}-${String(name).replaceAll('/', '_')}`;
        answer = await uploads.start({ key: file, size, contentType: typeof type === 'string' && type ? type : undefined });
      } else if (step === 'resume') {
        // After a reload: the parts S3 already has, and fresh URLs for every part.
        const confirmed = (await uploads.parts({ key, uploadId })).map(({ partNumber, size, etag }) => ({ partNumber, size, etag }));
        const partUrls = [];
        for (let partNumber = 1; partNumber <= Math.max(1, Math.ceil(size / PART_SIZE)); partNumber++) {
          partUrls.push(await uploads.partUrl({ key, uploadId, partNumber }));
        }
        answer = { confirmed, partUrls };
      } else if (step === 'complete') {
        await uploads.complete({ key, uploadId, parts });
        answer = { key, getUrl: await signer.presign({ bucket, key, expiresIn: 3600, responseContentDisposition: 'inline' }) };
      } else if (step === 'abort') {
        answer = await uploads.abort({ key, uploadId });
      } else if (step === 'list') {
        // What was uploaded, each with a presigned GET to download it.
        const page = await signer.listObjects({ bucket, prefix: 'uploads/' });
        answer = await Promise.all((page.contents ?? []).map(async (o) => ({ key: o.key, size: o.size,
          getUrl: await signer.presign({ bucket, key: o.key, expiresIn: 600, responseContentDisposition: 'attachment' }) })));
      } else if (step === 'delete') {
        // Only what this page uploads may be deleted through it.
        if (typeof key !== 'string' || !key.startsWith('uploads/')) return res.writeHead(400).end('not an upload');
        answer = await signer.deleteObject({ bucket, key });
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
  // URLs are signed for the page's origin, which is where the browser sends them.
  signer = new S3Client({ region: 'us-east-1', endpoint: origin, credentials: { accessKeyId, secretAccessKey } });
  await signer.createBucket({ bucket }).catch((e) => { if (e.status !== 409) throw e; });
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
  const { startServer, ACCESS_KEY, SECRET_KEY } = await import('../scripts/local-s3.mjs');
  const s3 = await startServer('s3s-fs');
  const site = await startSite({ s3Endpoint: s3.endpoint, accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY, bucket: 'www-demo' });
  console.log(`open ${site.origin}/ (S3: ${s3.endpoint}); Ctrl-C stops`);
  process.on('SIGINT', async () => { await site.stop(); await s3.stop(); process.exit(0); });
}

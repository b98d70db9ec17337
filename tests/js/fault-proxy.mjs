// A fault-injecting HTTP proxy of our own, between the client and a real S3 server on
// 127.0.0.1. Each request draws from a seeded generator: with probability `rate` it suffers one
// fault, otherwise it is forwarded untouched (Host included: the signature covers it). Every
// request is logged with its fault, its x-amz-date and signature, and when it arrived.
import { createServer, request as forward } from 'node:http';

/** The faults, each as likely as the others. */
export const FAULTS = [
  'slow-down',          // 503 SlowDown with Retry-After: 1, not forwarded
  'internal-error',     // 500 InternalError, not forwarded
  'reset-before',       // the connection is dropped before forwarding
  'reset-after',        // forwarded (it takes effect), then dropped: the answer is lost
  'truncated',          // forwarded; the answer's body is cut off halfway
  'error-200',          // a 200 whose body is an <Error> (InternalError), not forwarded; only
                        // where S3 does this (CompleteMultipartUpload, CopyObject, UploadPartCopy)
  'delay',              // forwarded after 100 to 300 ms
];

/** A small seeded generator (mulberry32): the same seed injects the same faults. */
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const errorXml = (code, message) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>proxy</RequestId></Error>`;

/** Starts the proxy in front of `target` (`http://127.0.0.1:port`); `rate` from 0 to 1, or a
 * `script` that names the fault of the nth request (from 0; `undefined`: none). */
export async function startFaultProxy(target, { rate = 0.1, seed = 1, faults = FAULTS, script } = {}) {
  const random = generator(seed);
  const upstream = new URL(target);
  const log = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const canError200 = (req.method === 'POST' && req.url.includes('uploadId=')) || 'x-amz-copy-source' in req.headers;
      const possible = canError200 ? faults : faults.filter((f) => f !== 'error-200');
      const drawn = random() < rate ? possible[Math.floor(random() * possible.length)] : 'none';
      const fault = script ? script(log.length) ?? 'none' : drawn;
      const auth = req.headers.authorization ?? '';
      log.push({
        at: Date.now(), method: req.method, url: req.url, fault,
        amzDate: req.headers['x-amz-date'], signature: auth.slice(auth.indexOf('Signature=') + 10),
      });
      const body = Buffer.concat(chunks);
      const send = (status, headers, text) => {
        res.writeHead(status, { 'content-type': 'application/xml', date: new Date().toUTCString(), ...headers });
        res.end(text);
      };
      switch (fault) {
        case 'slow-down': return send(503, { 'retry-after': '1' }, errorXml('SlowDown', 'Please reduce your request rate.'));
        case 'internal-error': return send(500, {}, errorXml('InternalError', 'We encountered an internal error.'));
        case 'error-200': return send(200, {}, errorXml('InternalError', 'We encountered an internal error.'));
        case 'reset-before': return req.socket.destroy();
        default: break;
      }
      const pass = () => {
        const out = forward({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
          const parts = [];
          answer.on('data', (chunk) => parts.push(chunk));
          answer.on('end', () => {
            const whole = Buffer.concat(parts);
            if (fault === 'reset-after') return req.socket.destroy();
            const headers = { ...answer.headers };
            if (req.method !== 'HEAD') {
              // The whole body was read here; it goes out with its length (truncated or not).
              delete headers['transfer-encoding'];
              headers['content-length'] = String(whole.length);
            }
            res.writeHead(answer.statusCode, headers);
            if (fault === 'truncated' && whole.length > 1) {
              res.write(whole.subarray(0, whole.length >> 1));
              // Let the half reach the client, then cut the connection.
              setTimeout(() => req.socket.destroy(), 20);
              return;
            }
            res.end(whole);
          });
        });
        out.on('error', () => req.socket.destroy());
        out.end(body);
      };
      if (fault === 'delay') setTimeout(pass, 100 + Math.floor(random() * 200));
      else pass();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${server.address().port}`,
    log,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}

// The browser half of an upload by presigned parts (`livery-s3/presigned-parts`): your server
// starts the multipart upload and signs its part URLs (PresignedUploads, the server half), the
// page PUTs the parts to them and the server completes or aborts. No key and no wasm reach the
// page: this module is the managed upload of upload.js (same part cutting, concurrency,
// progress, checkpoints, resume and abort on failure) over fetch and the server's answers.
import { upload } from './upload.js';
import { S3Error, aborted, invalid } from './errors.js';

export { S3Error };

const RETRYABLE = [429, 500, 502, 503, 504];

/** One PUT of a part, retried (network errors, 429 and 5xx) up to `attempts` times with
 * full-jitter backoff (at most 2 s); resolves to the ETag S3 answered (`null` when CORS hides it). */
async function putPart(url, body, signal, attempts) {
  for (let attempt = 1; ; attempt++) {
    let failure;
    try {
      const answer = await fetch(url, { method: 'PUT', body, signal });
      if (answer.ok) {
        // Read to its (empty) end: a cancelled body shows as a failed request in devtools.
        await answer.arrayBuffer();
        return answer.headers.get('etag');
      }
      const text = await answer.text();
      const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? `HTTP${answer.status}`;
      failure = new S3Error({ kind: 'service', code, status: answer.status, attempts: attempt,
        retryable: RETRYABLE.includes(answer.status), message: `${code} (HTTP ${answer.status}): ${/<Message>([^<]*)/.exec(text)?.[1] ?? text}` });
    } catch (e) {
      if (signal.aborted) throw aborted(attempt);
      failure = new S3Error({ kind: 'network', code: 'NetworkError', retryable: true, attempts: attempt,
        message: `network error: ${e?.message} (from a page, this is most often the bucket's CORS rules)` });
    }
    if (!failure.retryable || attempt >= attempts) throw failure;
    // The wait ends early when the upload is aborted (or paused).
    await new Promise((resume) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resume();
      };
      const timer = setTimeout(done, Math.random() * Math.min(2000, 100 * 2 ** attempt));
      signal.addEventListener('abort', done);
    });
    if (signal.aborted) throw aborted(attempt);
  }
}

/** Uploads `body` through the server's presigned part URLs; see presigned-parts.d.ts. */
export async function uploadByPresignedParts(options) {
  const { body, contentLength, start, partUrl, parts, complete, abort, resume, maxAttempts = 3, ...rest } = options ?? {};
  for (const name of Object.keys(rest)) {
    if (!['concurrency', 'onProgress', 'onCheckpoint', 'signal'].includes(name)) {
      throw invalid(`${name} is not an option here: the server sets the object's fields when it starts the upload`);
    }
  }
  for (const [name, f] of Object.entries({ start, complete, abort })) {
    if (typeof f !== 'function') throw invalid(`${name} must be a function that asks your server`);
  }
  if (resume && typeof parts !== 'function') throw invalid('resuming needs parts(), which asks your server for the parts S3 has');
  if (resume && typeof partUrl !== 'function') throw invalid('resuming needs partUrl(), which asks your server to sign a part');
  if (!(Number.isInteger(maxAttempts) && maxAttempts >= 1 && maxAttempts <= 10)) throw invalid('maxAttempts must be 1 to 10');
  const size = contentLength ?? body?.size ?? body?.byteLength ?? (typeof body === 'string' ? new TextEncoder().encode(body).length : undefined);
  const started = resume ?? { bucket: '', ...(await start({ size })), size, parts: [] };
  const { key, uploadId, partSize, partUrls } = started;
  const which = { key, uploadId };
  let abortAsked;
  const server = {
    listParts: async () => ({ parts: resume ? await parts(which) : [] }),
    uploadPart: ({ partNumber, body: part, signal }) => {
      const given = partUrls?.[partNumber - 1];
      const put = async (url) => ({
        etag: await putPart(url ?? await partUrl({ ...which, partNumber, size: started.size }), part, signal, maxAttempts),
      });
      // start()'s URLs can expire before a long upload reaches them: one refused (403, or a
      // connection the server closed on a refused body) is signed again by partUrl(), when the
      // page has it, and sent once more.
      return put(given).catch((e) => {
        if (!(e.status === 403 || e.kind === 'network') || !given || typeof partUrl !== 'function') throw e;
        return put();
      });
    },
    // async: the page's functions may answer without a promise, or with nothing.
    completeMultipartUpload: async ({ parts: done }) => (await complete({ ...which, parts: done })) ?? {},
    // Asked once, whichever failure comes first.
    abortMultipartUpload: async () => {
      if (!abortAsked) {
        abortAsked = true;
        await abort(which);
      }
    },
  };
  // The checkpoint keeps no part URLs: they expire, and a resumed upload asks partUrl() anew.
  // Its size is the one the upload started with: another body is refused, never mixed in.
  try {
    if (!partUrls && typeof partUrl !== 'function') throw invalid('partUrl() must sign a part when start() gives no partUrls');
    return await upload(server, { ...rest, body, contentLength, bucket: '', key, partSize,
      resume: { bucket: '', key, uploadId, partSize, size: started.size, parts: started.parts } });
  } catch (e) {
    // What failed before upload() could (options refused against the server's part size, a
    // stream that cannot be read) must not leave the upload start() made behind either.
    if (!resume) await server.abortMultipartUpload().catch(() => {});
    throw e;
  }
}

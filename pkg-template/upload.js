// The managed upload (DESIGN §2 `upload()`): one putObject when the body fits in one part, a
// multipart upload otherwise. Parts are cut without reading the body whole: a Blob by `slice`
// (never `blob.stream()`), a buffer by `subarray` (no copy), a ReadableStream read only as
// parts free up. Each part goes through the client's own pipeline (retries, signing, its
// AbortSignal); src/upload.rs is the same for Rust callers.
import { S3Error, aborted, invalid } from './errors.js';

const MIB = 2 ** 20;
const MAX_PARTS = 10000;

const isCount = (n, min, max) => Number.isSafeInteger(n) && n >= min && n <= max;
/** Refuses every option left in `rest`: none may be silently ignored. */
const refuse = (rest, why = 'unknown option') => {
  for (const name in rest) if (rest[name] !== undefined) throw invalid(`${why}: ${name}`);
};

/** Parts of the body, in order, each `[partNumber, body, size]`; `undefined` after the last.
 * `size` is the body's size when known. A stream is read one part at a time, and one chunk
 * ahead, so a body that ends exactly at a part's end is known to have ended; `cancel` lets go
 * of it (a pending read then ends the upload as aborted). */
function partsOf(body, partSize, size) {
  if (typeof body === 'string') body = new TextEncoder().encode(body);
  if (body instanceof ArrayBuffer) body = new Uint8Array(body);
  const cut = ArrayBuffer.isView(body) ? new Uint8Array(body.buffer, body.byteOffset, body.byteLength)
    : typeof Blob === 'function' && body instanceof Blob ? body : undefined;
  let next = 1;
  let offset = 0;
  let reading;
  if (cut) {
    if (size !== undefined && size !== (cut.size ?? cut.length)) throw invalid('contentLength is not the body\'s size');
    size = cut.size ?? cut.length;
    return [size, () => {
      if (offset >= size && next > 1) return;
      const end = Math.min(offset + partSize, size);
      const part = [next++, cut.subarray?.(offset, end) ?? cut.slice(offset, end), end - offset];
      offset += partSize;
      return part;
    }];
  }
  if (typeof body?.getReader !== 'function') {
    throw invalid('body must be a string, ArrayBuffer, typed array, Blob/File or ReadableStream');
  }
  const reader = body.getReader();
  let chunk = new Uint8Array(0);
  let ended = false;
  let cancelled = false;
  // Reads are chained: parts come off the stream one at a time, in order.
  const read = async () => {
    if (ended && !chunk.length && next > 1) return;
    const part = new Uint8Array(partSize);
    let filled = 0;
    for (;;) {
      const take = chunk.subarray(0, partSize - filled);
      part.set(take, filled);
      filled += take.length;
      chunk = chunk.subarray(take.length);
      if (ended || chunk.length) break;
      const { done, value } = await reader.read();
      if (cancelled) throw aborted();
      if (done) ended = true;
      else if (ArrayBuffer.isView(value)) chunk = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      else throw invalid('a ReadableStream body must give Uint8Array chunks');
    }
    offset += filled;
    if (offset + chunk.length > size || (ended && !chunk.length && offset < size)) {
      throw invalid(`the stream's length is not its contentLength of ${size}`);
    }
    return [next++, part.subarray(0, filled), filled];
  };
  // The chain holds no part once it is read (a part is let go as soon as it is sent), nor a
  // failure: the worker that met it fails the whole upload.
  reading = Promise.resolve();
  return [size, () => {
    const part = reading.then(read);
    reading = part.then(() => {}, () => {});
    return part;
  }, () => ended && !chunk.length, () => {
    cancelled = true;
    reader.cancel().catch(() => {});
  }];
}

/** `s3.upload(options)`: see index.d.ts. */
export async function upload(s3, options) {
  const { body, contentLength, partSize: asked, concurrency = 4, onProgress, onCheckpoint, resume,
    contentMd5, ifMatch, ifNoneMatch, ...fields } = options ?? {};
  const { bucket, key, signal, ...objectFields } = fields;
  // The object's fields were set when the upload started; here they would do nothing.
  if (resume) refuse(objectFields, 'resume takes no object fields');
  if (contentLength != null && !isCount(contentLength, 0, 5 * 2 ** 40)) {
    throw invalid('contentLength must be a whole number of bytes, up to 5 TiB');
  }
  const partSize = resume?.partSize ?? asked ?? Math.max(8 * MIB, Math.ceil((contentLength ?? body?.size
    ?? body?.byteLength ?? body?.length ?? 0) / MAX_PARTS / MIB) * MIB);
  if (!isCount(partSize, 5 * MIB, 5 * 2 ** 30)) throw invalid('partSize must be 5 MiB to 5 GiB');
  if (!isCount(concurrency, 1, 64)) throw invalid('concurrency must be 1 to 64');
  for (const [name, f] of Object.entries({ onProgress, onCheckpoint })) {
    if (f != null && typeof f !== 'function') throw invalid(`${name} must be a function`);
  }
  const [size, nextPart, ended, cancel] = partsOf(body, partSize, contentLength ?? undefined);
  if (size > partSize * MAX_PARTS) throw invalid(`the body needs more than ${MAX_PARTS} parts of ${partSize} bytes`);
  if (resume && (resume.bucket !== bucket || resume.key !== key || typeof resume.uploadId !== 'string'
    || (asked ?? partSize) !== resume.partSize || resume.size !== size || !Array.isArray(resume.parts))) {
    throw invalid('resume is the checkpoint of another upload (bucket, key, partSize or size)');
  }
  let loaded = 0;
  const progress = (n) => onProgress?.({ loaded: (loaded += n), total: size });

  // The caller's abort, or a part that failed for good, stops every part and lets go of a stream.
  const failed = new AbortController();
  const stop = () => {
    failed.abort();
    cancel?.();
  };
  signal?.addEventListener?.('abort', stop);
  // A resumed upload is the caller's to end from the start: an abort or failure ends it too.
  let which = resume && { bucket, key, uploadId: resume.uploadId };
  try {
    // A signal aborted before the call (or while presigned-parts' start() ran) sends nothing.
    if (signal?.aborted) throw aborted();
    let first = resume ? undefined : await nextPart();
    if (first && (size ?? (ended() ? first[2] : Infinity)) <= partSize) {
      const put = await s3.putObject({ ...fields, body: first[1], contentMd5, ifMatch, ifNoneMatch });
      progress(first[2]);
      return { etag: put.etag, versionId: put.versionId };
    }
    const { uploadId } = resume ?? await s3.createMultipartUpload(fields);
    which = { bucket, key, uploadId };
    // The upload's checksum algorithm, which a resume takes from its checkpoint.
    const checksum = resume ? resume.checksum : fields.checksum;
    // A first checkpoint as soon as the upload exists: one cut off before its first part can
    // still be resumed or aborted.
    if (!resume) onCheckpoint?.({ bucket, key, uploadId, partSize, size, checksum, parts: [] });
    const saved = new Map((resume?.parts ?? []).map((p) => [p.partNumber, p]));
    const parts = new Map();
    if (resume) {
      // What S3 holds is what counts: the checkpoint may be older or newer than the last part.
      // What the listing leaves out comes from the checkpoint: ETags (s3s-fs lists none) and
      // checksums (only AWS lists them). A part without the upload's checksum is sent again:
      // the completion could not name it.
      // A part listed with another ETag than the checkpoint's was replaced since: sent again.
      for (const { lastModified, ...listed } of await listAllParts(s3, which, signal)) {
        const checkpointed = saved.get(listed.partNumber);
        const part = { ...checkpointed, ...listed };
        const unquoted = (etag) => etag?.replaceAll('"', '');
        if ((!checksum || part[checksumField(checksum)]) && !(checkpointed?.etag && listed.etag
          && unquoted(checkpointed.etag) !== unquoted(listed.etag))) parts.set(part.partNumber, part);
      }
    }
    const sent = [];
    const send = async () => {
      while (!failed.signal.aborted) {
        // Each part is held only by its own turn of the loop, until it is sent.
        const part = first ?? await nextPart();
        first = undefined;
        if (!part) return;
        const [partNumber, partBody, partBytes] = part;
        if (partNumber > MAX_PARTS) throw invalid(`the body needs more than ${MAX_PARTS} parts of ${partSize} bytes`);
        // What completes the part: its ETag and, with `checksum`, its checksum.
        let done = parts.get(partNumber)?.size === partBytes ? parts.get(partNumber) : {};
        if (!done.etag) {
          done = await s3.uploadPart({ ...which, partNumber, body: partBody, contentMd5, checksum,
            signal: failed.signal });
          if (!done.etag) {
            throw new S3Error({ kind: 'service', code: 'MissingETag', attempts: 1, message: `part ${partNumber} was `
              + 'answered without a readable ETag: a browser needs the bucket\'s CORS rules to expose it (ExposeHeaders: ETag)' });
          }
        }
        // A part that lands after the upload failed is no progress of it (it is being aborted).
        if (failed.signal.aborted) return;
        sent.push({ partNumber, size: partBytes, ...done });
        sent.sort((a, b) => a.partNumber - b.partNumber);
        progress(partBytes);
        onCheckpoint?.({ bucket, key, uploadId, partSize, size, checksum, parts: sent.slice() });
      }
    };
    // Every part settles before the upload is completed or aborted: a part still in flight
    // could otherwise be stored after the abort.
    let failure;
    await Promise.all(Array.from({ length: concurrency }, () => send().catch((e) => {
      failure ??= e;
      stop();
    })));
    if (failure) throw failure;
    if (signal?.aborted) throw aborted();
    // Not given the caller's signal: once every part is sent, an abort could only tell of a
    // failure while S3 completes the object anyway.
    const done = await s3.completeMultipartUpload({ ...which, parts: sent.map(({ size, ...part }) => part),
      ifMatch, ifNoneMatch });
    return { etag: done.etag, versionId: done.versionId, uploadId, parts: sent };
  } catch (e) {
    // Every failure and abort ends the multipart upload: no parts are left stored (and billed).
    if (which) await s3.abortMultipartUpload(which).catch(() => {});
    throw e;
  } finally {
    signal?.removeEventListener?.('abort', stop);
    cancel?.();
  }
}

/** The result field that holds a checksum of `algorithm` (`CRC32C` → `checksumCrc32c`). */
export const checksumField = (algorithm) => `checksum${algorithm[0]}${algorithm.slice(1).toLowerCase()}`;

/** A listing whose next page is one it had (a broken or hostile server): it would never end. */
const stuck = () => new S3Error({ kind: 'service', code: 'InvalidResponse', status: 200,
  message: 'invalid response: a page repeats' });

/** Every part S3 holds of `upload` (`{ bucket, key, uploadId }`), ListParts page by page. */
export async function listAllParts(s3, upload, signal) {
  const parts = [];
  for (let partNumberMarker; ;) {
    const page = await s3.listParts({ ...upload, partNumberMarker, signal });
    parts.push(...(page.parts ?? []));
    if (!page.isTruncated || !page.nextPartNumberMarker) return parts;
    // Part numbers end at 10,000: a marker that does not grow, or grows past it, never ends.
    if (page.nextPartNumberMarker <= partNumberMarker || page.nextPartNumberMarker > MAX_PARTS) throw stuck();
    partNumberMarker = page.nextPartNumberMarker;
  }
}

/** `s3.abortIncompleteUploads(options)`: see index.d.ts. */
export async function abortIncompleteUploads(s3, options) {
  const { bucket, prefix, olderThan = 0, signal, ...rest } = options ?? {};
  refuse(rest);
  if (!isCount(olderThan, 0, Number.MAX_SAFE_INTEGER)) throw invalid('olderThan must be a whole number of milliseconds');
  const done = [];
  const before = Date.now() - olderThan;
  // The markers asked with so far: a page that names them again would start a cycle.
  const seen = new Set();
  for (let keyMarker, uploadIdMarker; ;) {
    const page = await s3.listMultipartUploads({ bucket, prefix, keyMarker, uploadIdMarker, signal });
    // An upload without a start date is never taken for an old one.
    for (const { key, uploadId, initiated } of page.uploads ?? []) {
      if (initiated <= before) {
        await s3.abortMultipartUpload({ bucket, key, uploadId, signal });
        done.push({ key, uploadId });
      }
    }
    const { nextKeyMarker, nextUploadIdMarker } = page;
    if (!page.isTruncated || !nextKeyMarker) return done;
    if (seen.size === seen.add(`${nextKeyMarker}\0${nextUploadIdMarker}`).size) throw stuck();
    [keyMarker, uploadIdMarker] = [nextKeyMarker, nextUploadIdMarker];
  }
}

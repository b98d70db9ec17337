// The server half of a browser upload by presigned parts (Node, Deno, Workers): the server
// holds the keys, starts the multipart upload, hands the browser one URL per part and
// completes or aborts it; no key reaches the page. It signs only within its policy (one
// bucket, keys under one folder, a size limit), so it cannot be made to sign arbitrary
// requests. Each part URL signs its part's length (`content-length`), which a server that checks
// signatures holds the PUT to, so the parts together are never over the policy's size. For
// servers that check less, `complete` checks the sizes S3 received (ListParts) and aborts an
// upload over the limit, then checks the completed object's own size and deletes one over it
// (a part sent again after the listing, a server that lists no sizes). src/presigned_upload.rs is the
// same for Rust. Bundled into the server entries only (index.node/deno/workerd.js, which the
// subpath `livery-s3/presigned-uploads` resolves to): browsers never load it.
import { invalid } from './errors.js';
import { listAllParts } from './upload.js';
import { optionsReader, TEXT, WHOLE } from './options.js';

const MIB = 1 << 20;
const MAX_PARTS = 10000;

export class PresignedUploads {
  #s3;
  #policy;

  /** `policy`: `{ bucket, keyPrefix = '', maxSize, partSize = 8 MiB, expiresIn = 900 }`; an
   * option it does not know is refused (a misspelt `keyPrefix` must not allow every key). */
  constructor(s3, policy) {
    const read = optionsReader(policy ?? {}, 'the upload policy');
    const bucket = read('bucket', TEXT, true);
    const keyPrefix = read('keyPrefix', TEXT) ?? '';
    const maxSize = read('maxSize', WHOLE, true);
    let partSize = read('partSize', WHOLE) ?? 8 * MIB;
    const expiresIn = read('expiresIn', WHOLE) ?? 900;
    read.rest();
    if (!bucket) throw invalid('the upload policy needs a bucket');
    // A folder: `users/4` would take in `users/42/…` too.
    if (keyPrefix && !keyPrefix.endsWith('/')) throw invalid('keyPrefix must end with "/" (or be empty, for any key)');
    if (partSize < 5 * MIB || partSize > 5 * 2 ** 30) throw invalid('partSize must be 5 MiB to 5 GiB');
    partSize = Math.max(partSize, Math.ceil(maxSize / MAX_PARTS));
    if (partSize > 5 * 2 ** 30) throw invalid('maxSize is beyond S3\'s largest object (10,000 parts of 5 GiB)');
    if (!(expiresIn >= 1 && expiresIn <= 604800)) throw invalid('expiresIn must be 1 s to 7 days');
    this.#s3 = s3;
    this.#policy = { bucket, keyPrefix, maxSize, partSize, expiresIn };
  }

  #check(key) {
    if (typeof key !== 'string' || !key.startsWith(this.#policy.keyPrefix)) {
      throw invalid(`key "${key}" is outside the upload policy's prefix "${this.#policy.keyPrefix}"`);
    }
  }

  #checkSize(size) {
    if (!(Number.isSafeInteger(size) && size >= 0 && size <= this.#policy.maxSize)) {
      throw invalid(`size must be a whole number of bytes up to the upload policy's ${this.#policy.maxSize}`);
    }
  }

  #parts(size) {
    return Math.max(1, Math.ceil(size / this.#policy.partSize));
  }

  /** Starts an upload of `size` bytes to `key` (with any createMultipartUpload fields:
   * contentType, metadata, …) and signs its part URLs: `{ key, uploadId, partSize, partUrls }`,
   * part `n` going to `partUrls[n - 1]`. */
  async start({ key, size, ...fields }) {
    this.#check(key);
    this.#checkSize(size);
    const { bucket, partSize } = this.#policy;
    const { uploadId } = await this.#s3.createMultipartUpload({ ...fields, bucket, key });
    const partUrls = [];
    try {
      for (let partNumber = 1; partNumber <= this.#parts(size); partNumber++) {
        partUrls.push(await this.#sign(key, uploadId, partNumber, size));
      }
    } catch (e) {
      // No upload is left behind (and billed) for URLs that could not be made.
      await this.abort({ key, uploadId }).catch(() => {});
      throw e;
    }
    return { key, uploadId, partSize, partUrls };
  }

  /** One part's URL, on demand: part `partNumber` of an upload of `size` bytes (the size
   * `start` was given), signed for that part's length as `start` signs it. */
  async partUrl({ key, uploadId, partNumber, size }) {
    this.#check(key);
    this.#checkSize(size);
    if (!(Number.isInteger(partNumber) && partNumber >= 1 && partNumber <= this.#parts(size))) {
      throw invalid(`part ${partNumber} is outside an upload of ${size} bytes in parts of ${this.#policy.partSize}`);
    }
    return this.#sign(key, uploadId, partNumber, size);
  }

  /** Part `partNumber`'s URL, signed for its length in an upload of `size` bytes: a server
   * that checks signatures refuses a PUT of any other length. */
  #sign(key, uploadId, partNumber, size) {
    const { bucket, expiresIn, partSize } = this.#policy;
    const contentLength = Math.min(partSize, size - (partNumber - 1) * partSize);
    return this.#s3.presign({ operation: 'uploadPart', bucket, key, uploadId, partNumber, contentLength, expiresIn });
  }

  /** Every part S3 has of an upload (`[{ partNumber, size, etag, lastModified }]`, in order):
   * what a browser resuming after a reload must not send again. */
  async parts({ key, uploadId }) {
    this.#check(key);
    const parts = await listAllParts(this.#s3, { bucket: this.#policy.bucket, key, uploadId });
    // Some servers list parts out of order; S3 wants them ascending.
    return parts.sort((a, b) => a.partNumber - b.partNumber);
  }

  /** Completes an upload with the parts S3 has: sizes from ListParts (never the browser's
   * word), ETags from ListParts too, or from `parts` (`[{ partNumber, etag }]`, what the browser
   * saw) where a server lists none. One over the size limit is aborted instead. */
  async complete({ key, uploadId, parts: reported }) {
    this.#check(key);
    reported ??= [];
    if (!Array.isArray(reported)) throw invalid('parts must be an array of { partNumber, etag }');
    const { bucket, maxSize } = this.#policy;
    const stored = await this.parts({ key, uploadId });
    const size = stored.reduce((sum, p) => sum + p.size, 0);
    if (!stored.length || size > maxSize) {
      await this.abort({ key, uploadId });
      throw invalid(`the upload holds ${size} bytes in ${stored.length} parts, outside the upload policy's ${maxSize} bytes: it was aborted`);
    }
    const parts = stored.map(({ partNumber, etag }) => {
      etag ??= reported.find((r) => r?.partNumber === partNumber)?.etag;
      if (!etag) throw invalid(`part ${partNumber} has no ETag: give the one its upload answered`);
      return { partNumber, etag };
    });
    const done = await this.#s3.completeMultipartUpload({ bucket, key, uploadId, parts });
    // What S3 assembled, by the object's own size: a part sent again through its URL after the
    // listing, or a listing without sizes, cannot carry an object past the limit. In a
    // versioned bucket the version this completion made is the one measured (another upload to
    // the key may have landed since) and the one deleted (not hidden behind a delete marker).
    // The current object is asked first: naming a version needs s3:GetObjectVersion, which a
    // signing role may not have, so only a newer version in between makes it ask by version.
    // ("null" is what an unversioned bucket's object is called: no version to name.)
    const versionId = done.versionId === 'null' ? undefined : done.versionId;
    const made = { bucket, key, versionId };
    let head = await this.#s3.headObject({ bucket, key });
    if (versionId && head.versionId !== versionId) head = await this.#s3.headObject(made);
    const assembled = head.contentLength ?? Infinity;
    if (assembled > maxSize) {
      await this.#s3.deleteObject(made);
      throw invalid(`the completed object holds ${assembled} bytes, over the upload policy's ${maxSize}: it was deleted`);
    }
    return done;
  }

  /** Aborts an upload (the browser gave up, or its user left). */
  async abort({ key, uploadId }) {
    this.#check(key);
    await this.#s3.abortMultipartUpload({ bucket: this.#policy.bucket, key, uploadId });
  }
}

// The public JS API: S3Client and S3Error over the wasm core. Only glue lives here; every
// request is built, signed, sent and parsed in wasm.
import { WasmS3Client } from './wasm/livery_s3.js';

/** Every failure of an operation: `.kind` says what went wrong, `.code` is S3's error code. */
export class S3Error extends Error {
  constructor(info) {
    super(info.message);
    this.name = 'S3Error';
    this.kind = info.kind;
    this.code = info.code;
    this.status = info.status;
    this.requestId = info.requestId;
    this.region = info.region;
    this.retryable = info.retryable;
  }
}

// wasm rejects with plain objects carrying `kind`; anything else passes through.
function toS3Error(e) {
  return e && typeof e === 'object' && !(e instanceof Error) && typeof e.kind === 'string' ? new S3Error(e) : e;
}

async function call(promise) {
  try {
    return await promise;
  } catch (e) {
    throw toS3Error(e);
  }
}

/** Adds the Response-style helpers to a streamed object body. */
function withBodyHelpers(result) {
  const read = () => new Response(result.body);
  result.text = () => read().text();
  result.arrayBuffer = () => read().arrayBuffer();
  result.bytes = async () => new Uint8Array(await read().arrayBuffer());
  return result;
}

export class S3Client {
  #wasm;

  constructor(options) {
    try {
      this.#wasm = new WasmS3Client(options);
    } catch (e) {
      throw toS3Error(e);
    }
  }

  // Objects
  putObject(options) { return call(this.#wasm.putObject(options)); }
  async getObject(options) { return withBodyHelpers(await call(this.#wasm.getObject(options))); }
  headObject(options) { return call(this.#wasm.headObject(options)); }
  deleteObject(options) { return call(this.#wasm.deleteObject(options)); }
  copyObject(options) { return call(this.#wasm.copyObject(options)); }
  deleteObjects(options) { return call(this.#wasm.deleteObjects(options)); }
  presign(options) { return call(this.#wasm.presign(options)); }
  // Buckets
  listBuckets() { return call(this.#wasm.listBuckets()); }
  createBucket(options) { return call(this.#wasm.createBucket(options)); }
  deleteBucket(options) { return call(this.#wasm.deleteBucket(options)); }
  headBucket(options) { return call(this.#wasm.headBucket(options)); }
  getBucketLocation(options) { return call(this.#wasm.getBucketLocation(options)); }
  // Listing
  listObjects(options) { return call(this.#wasm.listObjects(options)); }
  /** Every object, page by page (each page is one ListObjectsV2 call, made as you iterate). */
  async *listObjectsAll(options) {
    let continuationToken = options?.continuationToken;
    for (;;) {
      const page = await this.listObjects({ ...options, continuationToken });
      yield* page.contents;
      if (!page.isTruncated) return;
      continuationToken = page.nextContinuationToken;
      if (!continuationToken) {
        throw new S3Error({ kind: 'service', code: 'InvalidResponse', status: 200, retryable: false,
          message: 'a truncated listing page has no NextContinuationToken' });
      }
    }
  }
  // Versioning
  getBucketVersioning(options) { return call(this.#wasm.getBucketVersioning(options)); }
  putBucketVersioning(options) { return call(this.#wasm.putBucketVersioning(options)); }
  listObjectVersions(options) { return call(this.#wasm.listObjectVersions(options)); }
  // Multipart
  createMultipartUpload(options) { return call(this.#wasm.createMultipartUpload(options)); }
  uploadPart(options) { return call(this.#wasm.uploadPart(options)); }
  uploadPartCopy(options) { return call(this.#wasm.uploadPartCopy(options)); }
  completeMultipartUpload(options) { return call(this.#wasm.completeMultipartUpload(options)); }
  abortMultipartUpload(options) { return call(this.#wasm.abortMultipartUpload(options)); }
  listParts(options) { return call(this.#wasm.listParts(options)); }
  listMultipartUploads(options) { return call(this.#wasm.listMultipartUploads(options)); }
}

// Type test for pkg-template/index.d.ts (`make test-types`): compiled with tsc, never run.
// Every method is called with realistic options and every result field is read into a typed
// variable. The option and result types come from operations.d.ts, which tests/generated.rs
// regenerates from the Rust declarations and fails on any difference: a field renamed or
// retyped in Rust breaks that test, and this file then shows what users' code meets.
import { S3Client, S3Error } from 'livery-s3';
import type { ErrorKind, ObjectSummary, Owner, UploadCheckpoint } from 'livery-s3';
import { PresignedUploads } from 'livery-s3/presigned-uploads';
import { uploadByPresignedParts, S3Error as PartsError } from 'livery-s3/presigned-parts';

const s3 = new S3Client({
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:9000',
  addressing: 'path',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' },
  fetch: globalThis.fetch,
});
new S3Client({ region: 'eu-west-1', addressing: 'virtual', credentials: { accessKeyId: 'a', secretAccessKey: 's' } });
new S3Client({
  region: 'us-east-1',
  credentials: { accessKeyId: 'a', secretAccessKey: 's' },
  timeoutMs: 5000,
  retry: { maxAttempts: 5, baseDelayMs: 50, maxDelayMs: 2000 },
  followRegionRedirects: false,
});
new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 's' }, retry: false });
new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 's' }, maxConcurrency: 4 });
// The server build's options (a browser refuses them at run time).
new S3Client({
  region: 'us-east-1',
  credentials: { accessKeyId: 'a', secretAccessKey: 's' },
  endpoints: ['http://10.0.0.1:9000', 'http://10.0.0.2:9000'],
  circuitBreaker: { failureThreshold: 5, resetAfterMs: 30000 },
});
new S3Client({
  region: 'us-east-1',
  credentials: { accessKeyId: 'a', secretAccessKey: 's' },
  // @ts-expect-error endpoints is a list
  endpoints: 'http://10.0.0.1:9000',
});
new S3Client({
  region: 'us-east-1',
  credentials: { accessKeyId: 'a', secretAccessKey: 's' },
  // @ts-expect-error maxConcurrency is a number
  maxConcurrency: '4',
});
new S3Client({ region: 'us-east-1', credentials: 'anonymous' });
new S3Client({ region: 'us-east-1', credentials: async () => ({ accessKeyId: 'a', secretAccessKey: 's' }), refreshCredentialsMs: 60_000 });
new S3Client({
  region: 'us-east-1',
  credentials: async () => ({ accessKeyId: 'a', secretAccessKey: 's', sessionToken: 't', expiration: new Date() }),
});
new S3Client({
  region: 'us-east-1',
  credentials: { webIdentity: { roleArn: 'arn:aws:iam::1:role/r', token: async () => 'jwt', durationSeconds: 900 } },
});
// @ts-expect-error "anonymous" is the only string
new S3Client({ region: 'us-east-1', credentials: 'public' });
// @ts-expect-error webIdentity needs a roleArn
new S3Client({ region: 'us-east-1', credentials: { webIdentity: { token: 'jwt' } } });
// @ts-expect-error retry takes false or its settings
new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 's' }, retry: true });
const made = new S3Error({ message: 'm', kind: 'service', code: 'NoSuchKey', status: 404, retryable: false });
// @ts-expect-error S3Error takes its info object, not a message
new S3Error('just a message');
void made;

function owner(o: Owner | undefined): void {
  const id: string | undefined = o?.id;
  const displayName: string | undefined = o?.displayName;
  void [id, displayName];
}

async function objects(): Promise<void> {
  const put = await s3.putObject({
    bucket: 'b',
    key: 'docs/a.txt',
    body: 'hello',
    contentType: 'text/plain',
    cacheControl: 'max-age=60',
    contentDisposition: 'attachment',
    contentEncoding: 'identity',
    contentLanguage: 'en',
    expires: new Date(),
    storageClass: 'STANDARD',
    acl: 'private',
    metadata: { author: 'zoë' },
    contentMd5: true,
    ifNoneMatch: '*',
  });
  const putEtag: string | undefined = put.etag;
  const putVersion: string | undefined = put.versionId;
  await s3.putObject({ bucket: 'b', key: 'bin', body: new Uint8Array([1, 2]), ifMatch: '"e"', expires: 0 });
  await s3.putObject({ bucket: 'b', key: 'blob', body: new Blob(['x']), expires: '2030-01-01T00:00:00Z' });
  await s3.putObject({ bucket: 'b', key: 'buf', body: new ArrayBuffer(4) });
  await s3.putObject({ bucket: 'b', key: 'stream', body: new Blob(['x']).stream() });
  await s3.putObject({ bucket: 'b', key: 'empty' });

  const got = await s3.getObject({
    bucket: 'b',
    key: 'docs/a.txt',
    versionId: 'v1',
    range: { start: 0, end: 99 },
    ifMatch: '"e"',
    ifNoneMatch: '"f"',
    ifModifiedSince: new Date(0),
    ifUnmodifiedSince: Date.now(),
    responseContentType: 'text/plain',
    responseContentLanguage: 'en',
    responseExpires: 'Thu, 01 Dec 1994 16:00:00 GMT',
    responseCacheControl: 'no-cache',
    responseContentDisposition: 'inline',
    responseContentEncoding: 'identity',
  });
  const status: number = got.status;
  const body: ReadableStream<Uint8Array> = got.body;
  const text: string = await got.text();
  const bytes: Uint8Array = await got.bytes();
  const buffer: ArrayBuffer = await got.arrayBuffer();
  const contentLength: number | undefined = got.contentLength;
  const contentType: string | undefined = got.contentType;
  const etag: string | undefined = got.etag;
  const lastModified: Date | undefined = got.lastModified;
  const metadata: Record<string, string> = got.metadata;
  const versionId: string | undefined = got.versionId;
  const contentRange: string | undefined = got.contentRange;
  const cacheControl: string | undefined = got.cacheControl;
  const contentDisposition: string | undefined = got.contentDisposition;
  const contentEncoding: string | undefined = got.contentEncoding;
  const contentLanguage: string | undefined = got.contentLanguage;
  const expires: Date | undefined = got.expires;
  const storageClass: string | undefined = got.storageClass;
  const deleteMarker: boolean | undefined = got.deleteMarker;
  const acceptRanges: string | undefined = got.acceptRanges;
  await s3.getObject({ bucket: 'b', key: 'k', range: { start: 100 } });
  await s3.getObject({ bucket: 'b', key: 'k', range: { suffix: 10 } });
  await s3.getObject({ bucket: 'b', key: 'k', range: 'bytes=0-9', partNumber: 2 });

  const head = await s3.headObject({ bucket: 'b', key: 'k', versionId: 'v1', partNumber: 1, ifNoneMatch: '"e"' });
  const headLength: number | undefined = head.contentLength;
  const headMetadata: Record<string, string> = head.metadata;
  const headModified: Date | undefined = head.lastModified;
  await s3.headObject({ bucket: 'b', key: 'k', range: { start: 0, end: 0 }, ifModifiedSince: '2020-01-01T00:00:00Z' });

  const deleted = await s3.deleteObject({ bucket: 'b', key: 'k', versionId: 'v1' });
  const deletedVersion: string | undefined = deleted.versionId;
  const deletedMarker: boolean | undefined = deleted.deleteMarker;

  const copied = await s3.copyObject({
    bucket: 'b',
    key: 'copy.txt',
    sourceBucket: 'src',
    sourceKey: 'docs/a.txt',
    sourceVersionId: 'v1',
    copySourceIfMatch: '"e"',
    copySourceIfNoneMatch: '"f"',
    copySourceIfModifiedSince: new Date(0),
    copySourceIfUnmodifiedSince: 1_700_000_000_000,
    metadataDirective: 'REPLACE',
    contentType: 'text/markdown',
    metadata: { copied: 'yes' },
    storageClass: 'STANDARD_IA',
  });
  const copyEtag: string | undefined = copied.etag;
  const copyModified: Date | undefined = copied.lastModified;
  const copyVersion: string | undefined = copied.versionId;
  const copySourceVersion: string | undefined = copied.copySourceVersionId;

  const batch = await s3.deleteObjects({ bucket: 'b', objects: [{ key: 'a' }, { key: 'b', versionId: 'v2' }], quiet: false });
  for (const d of batch.deleted) {
    const key: string = d.key;
    const v: string | undefined = d.versionId;
    const marker: boolean | undefined = d.deleteMarker;
    const markerVersion: string | undefined = d.deleteMarkerVersionId;
    void [key, v, marker, markerVersion];
  }
  for (const e of batch.errors) {
    const key: string | undefined = e.key;
    const v: string | undefined = e.versionId;
    const code: string = e.code;
    const message: string | undefined = e.message;
    void [key, v, code, message];
  }

  const url: string = await s3.presign({
    method: 'PUT',
    bucket: 'b',
    key: 'upload.bin',
    expiresIn: 3600,
    headers: { 'content-type': 'application/octet-stream' },
    signingDate: new Date('2013-05-24T00:00:00Z'),
  });
  const getUrl: string = await s3.presign({
    bucket: 'b',
    key: 'k',
    method: 'get',
    versionId: 'v1',
    responseContentDisposition: 'attachment; filename="k"',
    signingDate: 1_369_353_600_000,
  });
  const bucketUrl: string = await s3.presign({ operation: 'listObjects', bucket: 'b', prefix: 'p/', signingDate: '20130524T000000Z' });
  const partUrl: string = await s3.presign({ operation: 'uploadPart', bucket: 'b', key: 'k', uploadId: 'u', partNumber: 3 });
  void partUrl;

  void [putEtag, putVersion, status, body, text, bytes, buffer, contentLength, contentType, etag, lastModified];
  void [metadata, versionId, contentRange, cacheControl, contentDisposition, contentEncoding, contentLanguage];
  void [expires, storageClass, deleteMarker, acceptRanges, headLength, headMetadata, headModified];
  void [deletedVersion, deletedMarker, copyEtag, copyModified, copyVersion, copySourceVersion, url, getUrl, bucketUrl];
}

async function buckets(): Promise<void> {
  const list = await s3.listBuckets();
  for (const b of list.buckets) {
    const name: string = b.name;
    const created: Date | undefined = b.creationDate;
    void [name, created];
  }
  owner(list.owner);

  const created = await s3.createBucket({ bucket: 'b', locationConstraint: 'eu-west-1', acl: 'private' });
  const location: string | undefined = created.location;
  const nothing: void = await s3.deleteBucket({ bucket: 'b' });
  const head = await s3.headBucket({ bucket: 'b' });
  const headRegion: string | undefined = head.region;
  const where = await s3.getBucketLocation({ bucket: 'b' });
  const region: string = where.region;
  void [location, nothing, headRegion, region];
}

async function listing(): Promise<void> {
  const page = await s3.listObjects({
    bucket: 'b',
    prefix: 'docs/',
    delimiter: '/',
    maxKeys: 100,
    continuationToken: 'token',
    startAfter: 'docs/a',
    fetchOwner: true,
    encodingType: 'url',
  });
  const name: string | undefined = page.name;
  const prefix: string | undefined = page.prefix;
  const delimiter: string | undefined = page.delimiter;
  const maxKeys: number | undefined = page.maxKeys;
  const keyCount: number | undefined = page.keyCount;
  const isTruncated: boolean = page.isTruncated;
  const token: string | undefined = page.continuationToken;
  const next: string | undefined = page.nextContinuationToken;
  const startAfter: string | undefined = page.startAfter;
  const prefixes: string[] = page.commonPrefixes.map((p) => p.prefix);
  const summaries: ObjectSummary[] = page.contents;
  for (const o of page.contents) {
    const key: string = o.key;
    const modified: Date | undefined = o.lastModified;
    const etag: string | undefined = o.etag;
    const size: number = o.size;
    const storageClass: string | undefined = o.storageClass;
    owner(o.owner);
    void [key, modified, etag, size, storageClass];
  }

  const all: AsyncIterable<ObjectSummary> = s3.listObjectsAll({ bucket: 'b', prefix: 'docs/', encodingType: 'none' });
  let total = 0;
  for await (const o of all) {
    const size: number = o.size;
    total += size;
  }
  void [name, prefix, delimiter, maxKeys, keyCount, isTruncated, token, next, startAfter, prefixes, summaries, total];
}

async function managedUpload(file: Blob, stream: ReadableStream<Uint8Array>): Promise<void> {
  let saved: UploadCheckpoint | undefined;
  const done = await s3.upload({
    bucket: 'b',
    key: 'videos/clip.mp4',
    body: file,
    contentType: 'video/mp4',
    metadata: { owner: 'u1' },
    partSize: 16 * 2 ** 20,
    concurrency: 6,
    ifNoneMatch: '*',
    signal: AbortSignal.timeout(60_000),
    onProgress: ({ loaded, total }) => void [loaded.toFixed(), total?.toFixed()],
    onCheckpoint: (c) => { saved = c; },
  });
  const etag: string | undefined = done.etag;
  const parts: number | undefined = done.parts?.length;
  const uploadId: string | undefined = done.uploadId;
  if (saved) {
    const partNumbers: number[] = saved.parts.map((p) => p.partNumber);
    await s3.upload({ bucket: 'b', key: 'videos/clip.mp4', body: file, resume: saved });
    void partNumbers;
  }
  await s3.upload({ bucket: 'b', key: 'logs/today', body: stream, contentLength: 1024 });
  // @ts-expect-error a body is required
  await s3.upload({ bucket: 'b', key: 'k' });
  // @ts-expect-error onProgress is a function
  await s3.upload({ bucket: 'b', key: 'k', body: file, onProgress: true });
  const aborted: { key: string; uploadId: string }[] = await s3.abortIncompleteUploads({ bucket: 'b', prefix: 'videos/', olderThan: 86_400_000 });
  void [etag, parts, uploadId, aborted];
}

async function versioning(): Promise<void> {
  const v = await s3.getBucketVersioning({ bucket: 'b' });
  const status: string | undefined = v.status;
  const mfaDelete: string | undefined = v.mfaDelete;
  const put: void = await s3.putBucketVersioning({ bucket: 'b', status: 'Enabled' });
  await s3.putBucketVersioning({ bucket: 'b', status: 'Suspended' });

  const page = await s3.listObjectVersions({
    bucket: 'b',
    prefix: 'k',
    delimiter: '/',
    maxKeys: 50,
    keyMarker: 'k',
    versionIdMarker: 'v1',
    encodingType: 'url',
  });
  const name: string | undefined = page.name;
  const prefix: string | undefined = page.prefix;
  const delimiter: string | undefined = page.delimiter;
  const maxKeys: number | undefined = page.maxKeys;
  const isTruncated: boolean = page.isTruncated;
  const keyMarker: string | undefined = page.keyMarker;
  const versionIdMarker: string | undefined = page.versionIdMarker;
  const nextKeyMarker: string | undefined = page.nextKeyMarker;
  const nextVersionIdMarker: string | undefined = page.nextVersionIdMarker;
  const prefixes: string[] = page.commonPrefixes.map((p) => p.prefix);
  for (const ver of page.versions) {
    const key: string = ver.key;
    const versionId: string | undefined = ver.versionId;
    const isLatest: boolean = ver.isLatest;
    const modified: Date | undefined = ver.lastModified;
    const etag: string | undefined = ver.etag;
    const size: number = ver.size;
    const storageClass: string | undefined = ver.storageClass;
    owner(ver.owner);
    void [key, versionId, isLatest, modified, etag, size, storageClass];
  }
  for (const m of page.deleteMarkers) {
    const key: string = m.key;
    const versionId: string | undefined = m.versionId;
    const isLatest: boolean = m.isLatest;
    const modified: Date | undefined = m.lastModified;
    owner(m.owner);
    void [key, versionId, isLatest, modified];
  }
  void [status, mfaDelete, put, name, prefix, delimiter, maxKeys, isTruncated, keyMarker, versionIdMarker];
  void [nextKeyMarker, nextVersionIdMarker, prefixes];
}

async function multipart(): Promise<void> {
  const created = await s3.createMultipartUpload({
    bucket: 'b',
    key: 'big.bin',
    contentType: 'application/octet-stream',
    metadata: { origin: 'test' },
    storageClass: 'STANDARD',
  });
  const uploadId: string = created.uploadId;
  const createdBucket: string | undefined = created.bucket;
  const createdKey: string | undefined = created.key;

  const part = await s3.uploadPart({
    bucket: 'b',
    key: 'big.bin',
    uploadId,
    partNumber: 1,
    body: new Uint8Array(5 * 1024 * 1024),
    contentMd5: true,
  });
  const partEtag: string | undefined = part.etag;

  const copied = await s3.uploadPartCopy({
    bucket: 'b',
    key: 'big.bin',
    uploadId,
    partNumber: 2,
    sourceBucket: 'src',
    sourceKey: 'other.bin',
    sourceVersionId: 'v1',
    copySourceIfMatch: '"e"',
    copySourceIfUnmodifiedSince: new Date(),
    sourceRange: { start: 0, end: 5 * 1024 * 1024 - 1 },
  });
  const copyEtag: string | undefined = copied.etag;
  const copyModified: Date | undefined = copied.lastModified;

  const done = await s3.completeMultipartUpload({
    bucket: 'b',
    key: 'big.bin',
    uploadId,
    parts: [
      { partNumber: 1, etag: partEtag ?? '' },
      { partNumber: 2, etag: copyEtag ?? '' },
    ],
  });
  const location: string | undefined = done.location;
  const doneBucket: string | undefined = done.bucket;
  const doneKey: string | undefined = done.key;
  const doneEtag: string | undefined = done.etag;
  const doneVersion: string | undefined = done.versionId;

  const aborted: void = await s3.abortMultipartUpload({ bucket: 'b', key: 'big.bin', uploadId });

  const parts = await s3.listParts({ bucket: 'b', key: 'big.bin', uploadId, maxParts: 100, partNumberMarker: 1 });
  const partsBucket: string | undefined = parts.bucket;
  const partsKey: string | undefined = parts.key;
  const partsUploadId: string | undefined = parts.uploadId;
  const partNumberMarker: number | undefined = parts.partNumberMarker;
  const nextPartNumberMarker: number | undefined = parts.nextPartNumberMarker;
  const maxParts: number | undefined = parts.maxParts;
  const partsTruncated: boolean = parts.isTruncated;
  const partsStorageClass: string | undefined = parts.storageClass;
  owner(parts.owner);
  for (const p of parts.parts) {
    const partNumber: number = p.partNumber;
    const modified: Date | undefined = p.lastModified;
    const etag: string | undefined = p.etag;
    const size: number = p.size;
    void [partNumber, modified, etag, size];
  }

  const uploads = await s3.listMultipartUploads({
    bucket: 'b',
    prefix: 'big',
    delimiter: '/',
    maxUploads: 10,
    keyMarker: 'big.bin',
    uploadIdMarker: uploadId,
    encodingType: 'url',
  });
  const uploadsBucket: string | undefined = uploads.bucket;
  const uploadsPrefix: string | undefined = uploads.prefix;
  const uploadsDelimiter: string | undefined = uploads.delimiter;
  const keyMarker: string | undefined = uploads.keyMarker;
  const uploadIdMarker: string | undefined = uploads.uploadIdMarker;
  const nextKeyMarker: string | undefined = uploads.nextKeyMarker;
  const nextUploadIdMarker: string | undefined = uploads.nextUploadIdMarker;
  const maxUploads: number | undefined = uploads.maxUploads;
  const uploadsTruncated: boolean = uploads.isTruncated;
  const prefixes: string[] = uploads.commonPrefixes.map((p) => p.prefix);
  for (const u of uploads.uploads) {
    const key: string = u.key;
    const id: string = u.uploadId;
    const initiated: Date | undefined = u.initiated;
    const storageClass: string | undefined = u.storageClass;
    owner(u.owner);
    void [key, id, initiated, storageClass];
  }
  void [createdBucket, createdKey, copyModified, location, doneBucket, doneKey, doneEtag, doneVersion, aborted];
  void [partsBucket, partsKey, partsUploadId, partNumberMarker, nextPartNumberMarker, maxParts, partsTruncated];
  void [partsStorageClass, uploadsBucket, uploadsPrefix, uploadsDelimiter, keyMarker, uploadIdMarker];
  void [nextKeyMarker, nextUploadIdMarker, maxUploads, uploadsTruncated, prefixes];
}

async function errors(): Promise<void> {
  try {
    await s3.headObject({ bucket: 'b', key: 'missing' });
  } catch (e) {
    if (e instanceof S3Error) {
      const kind: ErrorKind = e.kind;
      const code: string = e.code;
      const status: number | undefined = e.status;
      const requestId: string | undefined = e.requestId;
      const region: string | undefined = e.region;
      const retryable: boolean = e.retryable;
      const message: string = e.message;
      const name: 'S3Error' = e.name;
      void [kind, code, status, requestId, region, retryable, message, name];
    }
  }
}

// Wrong options are rejected.
function rejected(): void {
  // @ts-expect-error: bucket is required
  void s3.getObject({ key: 'k' });
  // @ts-expect-error: bucket is required
  void s3.listObjects({ prefix: 'p' });
  // @ts-expect-error: a range is { start, end? }, { suffix } or "bytes=…"
  void s3.getObject({ bucket: 'b', key: 'k', range: { from: 0, to: 9 } });
  // @ts-expect-error: a raw range must start with "bytes="
  void s3.getObject({ bucket: 'b', key: 'k', range: '0-9' });
  // @ts-expect-error: addressing is "path" or "virtual"
  new S3Client({ region: 'us-east-1', addressing: 'subdomain', credentials: { accessKeyId: 'a', secretAccessKey: 's' } });
  // @ts-expect-error: versioning status is Enabled or Suspended
  void s3.putBucketVersioning({ bucket: 'b', status: 'On' });
  // @ts-expect-error: metadataDirective is COPY or REPLACE
  void s3.copyObject({ bucket: 'b', key: 'k', sourceBucket: 's', sourceKey: 'k', metadataDirective: 'MERGE' });
  // @ts-expect-error: uploadPart needs a partNumber
  void s3.uploadPart({ bucket: 'b', key: 'k', uploadId: 'u', body: 'x' });
  // @ts-expect-error: a body is a string, buffer, Blob or ReadableStream
  void s3.putObject({ bucket: 'b', key: 'k', body: 42 });
  // @ts-expect-error: deleteBucket resolves to nothing
  void s3.deleteBucket({ bucket: 'b' }).then((r) => r.location);
}

void [objects, buckets, listing, managedUpload, versioning, multipart, errors, rejected];

// Every operation takes an AbortSignal; a client can be closed, or disposed with `using`.
async function cancellation(s3: S3Client) {
  const controller = new AbortController();
  await s3.headObject({ bucket: 'b', key: 'k', signal: controller.signal });
  await s3.listBuckets({ signal: AbortSignal.timeout(1000) });
  // @ts-expect-error options are checked: an unknown option does not compile
  await s3.deleteObject({ bucket: 'b', key: 'k', versionID: 'v' });
  s3.close();
  {
    using scoped = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 's' } });
    await scoped.headBucket({ bucket: 'b' });
  }
}
void cancellation;

// The server half of presigned multipart uploads (livery-s3/presigned-uploads).
async function signForBrowsers(s3: S3Client): Promise<void> {
  const uploads = new PresignedUploads(s3, { bucket: 'b', keyPrefix: 'u/1/', maxSize: 1 << 30 });
  const started = await uploads.start({ key: 'u/1/a.bin', size: 12 << 20, contentType: 'video/mp4' });
  const urls: string[] = started.partUrls;
  const one: string = await uploads.partUrl({ key: started.key, uploadId: started.uploadId, partNumber: 2, size: 12 << 20 });
  const stored: number[] = (await uploads.parts({ key: started.key, uploadId: started.uploadId })).map((p) => p.size);
  const done = await uploads.complete({ key: started.key, uploadId: started.uploadId, parts: [{ partNumber: 1, etag: '"e"' }] });
  const etag: string | undefined = done.etag;
  await uploads.abort({ key: started.key, uploadId: started.uploadId });
  // @ts-expect-error the policy needs a size limit
  new PresignedUploads(s3, { bucket: 'b' });
  void [urls, one, etag, stored];
}
void signForBrowsers;

// A presigned POST form (the server build).
async function postForm(s3: S3Client): Promise<void> {
  const { url, fields } = await s3.presignPost({
    bucket: 'b', keyPrefix: 'u/1/', contentLengthRange: [1, 10 << 20], contentTypePrefix: 'image/',
    fields: { success_action_status: '201' }, conditions: [['starts-with', '$x-amz-meta-tag', 'album-']], expiresIn: 600,
  });
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  // @ts-expect-error the range is [min, max]
  await s3.presignPost({ bucket: 'b', key: 'k', contentLengthRange: [1] });
  void url;
}
void postForm;

// The browser half (livery-s3/presigned-parts): the page asks its server, which runs the above.
async function sendFromPage(file: File, saved: UploadCheckpoint | undefined): Promise<void> {
  const post = async <T>(path: string, body: unknown): Promise<T> => (await fetch(path, { method: 'POST', body: JSON.stringify(body) })).json() as Promise<T>;
  const done = await uploadByPresignedParts({
    body: file,
    start: ({ size }) => post('/start', { size }),
    partUrl: async (part) => post<{ url: string }>('/part-url', part).then((a) => a.url),
    parts: (upload) => post('/parts', upload),
    complete: (upload) => post('/complete', upload),
    abort: (upload) => post('/abort', upload),
    onProgress: ({ loaded }) => void loaded,
    onCheckpoint: (c: UploadCheckpoint) => void c.uploadId,
    resume: saved,
  });
  const parts: number | undefined = done.parts?.length;
  // @ts-expect-error the object's fields are the server's to set
  await uploadByPresignedParts({ body: file, start: () => post('/start', {}), complete: () => post('/c', {}), abort: () => post('/a', {}), contentType: 'text/plain' });
  const isError: boolean = new Error() instanceof PartsError;
  void [parts, isError];
}
void sendFromPage;

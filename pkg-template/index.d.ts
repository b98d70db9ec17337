// Types of the livery-s3 JS API. Option and result names follow the S3 API in lowerCamelCase.
// Result fields marked `?` are absent (undefined) when S3 does not send them.

export type ErrorKind = 'service' | 'validation' | 'network' | 'timeout' | 'aborted' | 'circuit-open' | 'credentials';

export interface S3ErrorInfo {
  message: string;
  kind: ErrorKind;
  code: string;
  status?: number;
  requestId?: string;
  region?: string;
  retryable: boolean;
}

export class S3Error extends Error {
  constructor(info: S3ErrorInfo);
  readonly name: 'S3Error';
  readonly kind: ErrorKind;
  /** S3's error code (`NoSuchKey`, `NotModified`, `PreconditionFailed`, …), or `ValidationError`, `NetworkError`, … */
  readonly code: string;
  readonly status?: number;
  readonly requestId?: string;
  /** The region S3 names in the error, when it names one. */
  readonly region?: string;
  readonly retryable: boolean;
}

// ---- Client ----

export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface S3ClientOptions {
  region: string;
  /** `http(s)://host[:port]`; AWS's regional endpoint by default. */
  endpoint?: string;
  /** `"path"` (default) or `"virtual"` (bucket in the host name). */
  addressing?: 'path' | 'virtual';
  credentials: StaticCredentials;
  /** The transport; `globalThis.fetch` by default. */
  fetch?: typeof fetch;
  /** Accepted, not yet acted on: no request is retried yet. */
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number } | false;
  /** Accepted, not yet acted on. */
  circuitBreaker?: { failureThreshold?: number; resetAfterMs?: number };
  /** Accepted, not yet acted on. */
  maxConcurrency?: number;
  /** Accepted, not yet acted on: requests go to `endpoint`. */
  endpoints?: string[];
  /** Accepted, not yet acted on: redirects are returned as errors (never followed). */
  followRegionRedirects?: boolean;
}

// ---- Shared shapes ----

/** A `Date`, an ISO 8601 or HTTP date string, or milliseconds since 1970. */
export type DateInput = Date | string | number;

/** Passed to fetch as it is; read (in chunks) only for `contentMd5`. */
export type Body = string | ArrayBuffer | ArrayBufferView | Blob | ReadableStream<Uint8Array>;

/** `{ start, end }` (inclusive), `{ start }` to the end, `{ suffix: n }` for the last n bytes, or `"bytes=…"`. */
export type ByteRange = { start: number; end?: number } | { suffix: number } | `bytes=${string}`;

/** The owner of a bucket, object or upload. */
export interface Owner {
  id?: string;
  displayName?: string;
}

/** A "directory" a listing with a `delimiter` rolled keys up into. */
export interface CommonPrefix {
  prefix: string;
}

/** Listings URL-encode keys on the wire and decode them; `"none"` for servers that mishandle it. */
export type EncodingType = 'url' | 'none';

/** System headers and user metadata written with an object. */
export interface WriteHeaders {
  contentType?: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  expires?: DateInput;
  /** `STANDARD`, `STANDARD_IA`, `GLACIER`, … */
  storageClass?: string;
  /** A canned ACL (`private`, `public-read`, …). */
  acl?: string;
  /** User metadata (`x-amz-meta-*`, 2 KB in all); non-ASCII values are carried as RFC 2047 words. */
  metadata?: Record<string, string>;
}

/** Unmet conditions reject with `NotModified` (304) or `PreconditionFailed` (412). */
export interface ReadConditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: DateInput;
  ifUnmodifiedSince?: DateInput;
}

/** Headers S3 answers a GET with, whatever was stored. */
export interface ResponseOverrides {
  responseContentType?: string;
  responseContentLanguage?: string;
  responseExpires?: string;
  responseCacheControl?: string;
  responseContentDisposition?: string;
  responseContentEncoding?: string;
}

/** The object a copy reads; unmet conditions reject with `PreconditionFailed`. */
export interface CopySource {
  sourceBucket: string;
  sourceKey: string;
  sourceVersionId?: string;
  copySourceIfMatch?: string;
  copySourceIfNoneMatch?: string;
  copySourceIfModifiedSince?: DateInput;
  copySourceIfUnmodifiedSince?: DateInput;
}

export interface BucketOptions {
  bucket: string;
}

export interface ObjectOptions extends BucketOptions {
  /** Any text up to 1024 UTF-8 bytes, except `.` or `..` path segments. */
  key: string;
}

// ---- Objects ----

export interface PutObjectOptions extends ObjectOptions, WriteHeaders {
  body?: Body;
  /** Compute and send Content-MD5, so S3 refuses a body changed on the way (not for ReadableStream). */
  contentMd5?: boolean;
  /** `"*"`: create only, never overwrite. */
  ifNoneMatch?: string;
  /** Replace only the version with this ETag. */
  ifMatch?: string;
}

export interface PutObjectResult {
  etag?: string;
  versionId?: string;
}

export interface GetObjectOptions extends ObjectOptions, ReadConditions, ResponseOverrides {
  versionId?: string;
  range?: ByteRange;
  /** Read one part (1 to 10000) of a multipart object. */
  partNumber?: number;
}

/** What HeadObject and GetObject say about an object. */
export interface ObjectInfo {
  contentLength?: number;
  contentType?: string;
  etag?: string;
  lastModified?: Date;
  /** User metadata (`x-amz-meta-*`), names lower-cased. */
  metadata: Record<string, string>;
  versionId?: string;
  contentRange?: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  expires?: Date;
  storageClass?: string;
  /** Present (true) only when the version is a delete marker. */
  deleteMarker?: boolean;
  acceptRanges?: string;
}

export interface GetObjectResult extends ObjectInfo {
  /** 206 for a range, 200 otherwise. */
  status: number;
  /** The object, streamed: never held whole in memory. */
  body: ReadableStream<Uint8Array>;
  text(): Promise<string>;
  bytes(): Promise<Uint8Array>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface HeadObjectOptions extends ObjectOptions, ReadConditions {
  versionId?: string;
  range?: ByteRange;
  partNumber?: number;
}

export interface DeleteObjectOptions extends ObjectOptions {
  /** Delete this version for good; without it a versioned bucket adds a delete marker. */
  versionId?: string;
}

export interface DeleteObjectResult {
  versionId?: string;
  /** Present (true) only when a delete marker was created or removed. */
  deleteMarker?: boolean;
}

export interface CopyObjectOptions extends ObjectOptions, CopySource, WriteHeaders {
  /** `COPY` (default) keeps the source's metadata; headers or metadata need `REPLACE`. */
  metadataDirective?: 'COPY' | 'REPLACE';
}

export interface CopyObjectResult {
  etag?: string;
  lastModified?: Date;
  versionId?: string;
  copySourceVersionId?: string;
}

export interface ObjectIdentifier {
  key: string;
  versionId?: string;
}

export interface DeleteObjectsOptions extends BucketOptions {
  /** 1 to 1000 objects per call. */
  objects: ObjectIdentifier[];
  /** Report only failures (`deleted` comes back empty). */
  quiet?: boolean;
}

export interface DeletedObject {
  key: string;
  versionId?: string;
  /** Present (true) only when a delete marker was created or removed. */
  deleteMarker?: boolean;
  deleteMarkerVersionId?: string;
}

export interface DeleteObjectsError {
  key: string;
  versionId?: string;
  /** S3's code for this key (`AccessDenied`, …). */
  code: string;
  message: string;
}

/** Per-key results: a key that failed is in `errors`; the call itself succeeded. */
export interface DeleteObjectsResult {
  deleted: DeletedObject[];
  errors: DeleteObjectsError[];
}

export type HttpMethod = 'GET' | 'PUT' | 'HEAD' | 'DELETE' | 'POST';

export interface PresignOptions extends ResponseOverrides {
  /** `GET` by default; case-insensitive. */
  method?: HttpMethod | Lowercase<HttpMethod>;
  bucket: string;
  /** Omit for a bucket-level URL. */
  key?: string;
  /** Seconds, 1 to 604800 (7 days); 900 by default. */
  expiresIn?: number;
  versionId?: string;
  /** Headers the URL's user must send as given (e.g. `content-type` for a PUT); they are signed. */
  headers?: Record<string, string>;
  /** Sign as of this instant instead of now (reproducible URLs). */
  signingDate?: DateInput;
}

// ---- Buckets ----

export interface BucketSummary {
  name: string;
  creationDate?: Date;
}

export interface ListBucketsResult {
  buckets: BucketSummary[];
  owner?: Owner;
}

export interface CreateBucketOptions extends BucketOptions {
  /** The bucket's region; the client's region by default. */
  locationConstraint?: string;
  /** A canned ACL (`private`, `public-read`, …). */
  acl?: string;
}

export interface CreateBucketResult {
  location?: string;
}

export interface HeadBucketResult {
  /** `x-amz-bucket-region`, when the server sends it. */
  region?: string;
}

export interface GetBucketLocationResult {
  /** Normalised: empty is `us-east-1`, `EU` is `eu-west-1`. */
  region: string;
}

// ---- Listing ----

export interface ListObjectsOptions extends BucketOptions {
  prefix?: string;
  delimiter?: string;
  /** 1 to 1000 per page. */
  maxKeys?: number;
  /** The previous page's `nextContinuationToken`. */
  continuationToken?: string;
  /** List keys after this one. */
  startAfter?: string;
  /** Include each object's `owner`. */
  fetchOwner?: boolean;
  encodingType?: EncodingType;
}

export interface ObjectSummary {
  key: string;
  lastModified?: Date;
  etag?: string;
  size: number;
  storageClass?: string;
  owner?: Owner;
}

/** One page of ListObjectsV2. */
export interface ListObjectsResult {
  name?: string;
  prefix?: string;
  delimiter?: string;
  maxKeys?: number;
  keyCount?: number;
  isTruncated: boolean;
  continuationToken?: string;
  /** Pass as `continuationToken` for the next page. */
  nextContinuationToken?: string;
  startAfter?: string;
  contents: ObjectSummary[];
  commonPrefixes: CommonPrefix[];
}

// ---- Versioning ----

export interface GetBucketVersioningResult {
  /** `Enabled` or `Suspended`; absent for a bucket that never had versioning. */
  status?: string;
  mfaDelete?: string;
}

export interface PutBucketVersioningOptions extends BucketOptions {
  status: 'Enabled' | 'Suspended';
}

export interface ListObjectVersionsOptions extends BucketOptions {
  prefix?: string;
  delimiter?: string;
  /** 1 to 1000 per page. */
  maxKeys?: number;
  /** The previous page's `nextKeyMarker`. */
  keyMarker?: string;
  /** The previous page's `nextVersionIdMarker` (needs `keyMarker`). */
  versionIdMarker?: string;
  encodingType?: EncodingType;
}

export interface ObjectVersion {
  key: string;
  versionId?: string;
  isLatest: boolean;
  lastModified?: Date;
  etag?: string;
  size: number;
  storageClass?: string;
  owner?: Owner;
}

export interface DeleteMarkerEntry {
  key: string;
  versionId?: string;
  isLatest: boolean;
  lastModified?: Date;
  owner?: Owner;
}

/** One page of ListObjectVersions. */
export interface ListObjectVersionsResult {
  name?: string;
  prefix?: string;
  delimiter?: string;
  maxKeys?: number;
  isTruncated: boolean;
  keyMarker?: string;
  versionIdMarker?: string;
  nextKeyMarker?: string;
  nextVersionIdMarker?: string;
  versions: ObjectVersion[];
  deleteMarkers: DeleteMarkerEntry[];
  commonPrefixes: CommonPrefix[];
}

// ---- Multipart ----

export interface CreateMultipartUploadOptions extends ObjectOptions, WriteHeaders {}

export interface CreateMultipartUploadResult {
  bucket?: string;
  key?: string;
  uploadId: string;
}

export interface UploadOptions extends ObjectOptions {
  uploadId: string;
  /** 1 to 10000. */
  partNumber: number;
}

export interface UploadPartOptions extends UploadOptions {
  /** All parts but the last must be at least 5 MiB. */
  body?: Body;
  /** Compute and send Content-MD5 (not for ReadableStream). */
  contentMd5?: boolean;
}

export interface UploadPartResult {
  /** Give it back in `completeMultipartUpload`'s `parts`. */
  etag?: string;
}

export interface UploadPartCopyOptions extends UploadOptions, CopySource {
  /** Bytes `start` to `end` (inclusive) of the source; the whole object by default. */
  sourceRange?: { start: number; end: number };
}

export interface UploadPartCopyResult {
  etag?: string;
  lastModified?: Date;
}

export interface CompletedPart {
  partNumber: number;
  etag: string;
}

export interface CompleteMultipartUploadOptions extends ObjectOptions {
  uploadId: string;
  /** Every part, in ascending `partNumber` order, with the ETag its upload returned. */
  parts: CompletedPart[];
}

export interface CompleteMultipartUploadResult {
  location?: string;
  bucket?: string;
  key?: string;
  etag?: string;
  versionId?: string;
}

export interface AbortMultipartUploadOptions extends ObjectOptions {
  uploadId: string;
}

export interface ListPartsOptions extends ObjectOptions {
  uploadId: string;
  /** 1 to 1000 per page. */
  maxParts?: number;
  /** The previous page's `nextPartNumberMarker`. */
  partNumberMarker?: number;
}

export interface Part {
  partNumber: number;
  lastModified?: Date;
  etag?: string;
  size: number;
}

/** One page of an upload's parts. */
export interface ListPartsResult {
  bucket?: string;
  key?: string;
  uploadId?: string;
  partNumberMarker?: number;
  nextPartNumberMarker?: number;
  maxParts?: number;
  isTruncated: boolean;
  storageClass?: string;
  owner?: Owner;
  parts: Part[];
}

export interface ListMultipartUploadsOptions extends BucketOptions {
  prefix?: string;
  delimiter?: string;
  /** 1 to 1000 per page. */
  maxUploads?: number;
  /** The previous page's `nextKeyMarker`. */
  keyMarker?: string;
  /** The previous page's `nextUploadIdMarker` (needs `keyMarker`). */
  uploadIdMarker?: string;
  encodingType?: EncodingType;
}

export interface MultipartUpload {
  key: string;
  uploadId: string;
  initiated?: Date;
  storageClass?: string;
  owner?: Owner;
}

/** One page of the uploads in progress. */
export interface ListMultipartUploadsResult {
  bucket?: string;
  prefix?: string;
  delimiter?: string;
  keyMarker?: string;
  uploadIdMarker?: string;
  nextKeyMarker?: string;
  nextUploadIdMarker?: string;
  maxUploads?: number;
  isTruncated: boolean;
  uploads: MultipartUpload[];
  commonPrefixes: CommonPrefix[];
}

// ---- The client ----

/** Every method rejects with an `S3Error`; bad options are a `validation` error before any request. */
export class S3Client {
  constructor(options: S3ClientOptions);

  /** PutObject: uploads one object in a single request. */
  putObject(options: PutObjectOptions): Promise<PutObjectResult>;
  /** GetObject: the body streams; `range` answers 206. */
  getObject(options: GetObjectOptions): Promise<GetObjectResult>;
  /** HeadObject: an object's headers and metadata without its body. */
  headObject(options: HeadObjectOptions): Promise<ObjectInfo>;
  /** DeleteObject: succeeds for a key that does not exist. */
  deleteObject(options: DeleteObjectOptions): Promise<DeleteObjectResult>;
  /** CopyObject: server-side copy (up to 5 GB; larger ones need uploadPartCopy). */
  copyObject(options: CopyObjectOptions): Promise<CopyObjectResult>;
  /** DeleteObjects: up to 1000 keys in one request, each with its own result. */
  deleteObjects(options: DeleteObjectsOptions): Promise<DeleteObjectsResult>;
  /** A presigned URL (query-string SigV4), made locally without a request. */
  presign(options: PresignOptions): Promise<string>;

  /** ListBuckets: every bucket the credentials own. */
  listBuckets(): Promise<ListBucketsResult>;
  /** CreateBucket: in `locationConstraint`, or the client's region. */
  createBucket(options: CreateBucketOptions): Promise<CreateBucketResult>;
  /** DeleteBucket: the bucket must be empty. */
  deleteBucket(options: BucketOptions): Promise<void>;
  /** HeadBucket: resolves if the bucket exists and is accessible (`NotFound`, `Forbidden` otherwise). */
  headBucket(options: BucketOptions): Promise<HeadBucketResult>;
  /** GetBucketLocation: the bucket's region. */
  getBucketLocation(options: BucketOptions): Promise<GetBucketLocationResult>;

  /** ListObjectsV2: one page (up to 1000 objects). */
  listObjects(options: ListObjectsOptions): Promise<ListObjectsResult>;
  /** Every object, page by page (each page is one ListObjectsV2 call, made as you iterate). */
  listObjectsAll(options: ListObjectsOptions): AsyncIterable<ObjectSummary>;

  /** GetBucketVersioning: `status` is absent if versioning was never enabled. */
  getBucketVersioning(options: BucketOptions): Promise<GetBucketVersioningResult>;
  /** PutBucketVersioning: a versioned bucket cannot return to unversioned, only `Suspended`. */
  putBucketVersioning(options: PutBucketVersioningOptions): Promise<void>;
  /** ListObjectVersions: one page of versions and delete markers. */
  listObjectVersions(options: ListObjectVersionsOptions): Promise<ListObjectVersionsResult>;

  /** CreateMultipartUpload: starts an upload; headers and metadata are set here. */
  createMultipartUpload(options: CreateMultipartUploadOptions): Promise<CreateMultipartUploadResult>;
  /** UploadPart: one part of an upload. */
  uploadPart(options: UploadPartOptions): Promise<UploadPartResult>;
  /** UploadPartCopy: one part copied server-side from (a range of) an object. */
  uploadPartCopy(options: UploadPartCopyOptions): Promise<UploadPartCopyResult>;
  /** CompleteMultipartUpload: assembles the parts into the object. */
  completeMultipartUpload(options: CompleteMultipartUploadOptions): Promise<CompleteMultipartUploadResult>;
  /** AbortMultipartUpload: discards the upload and its parts. */
  abortMultipartUpload(options: AbortMultipartUploadOptions): Promise<void>;
  /** ListParts: one page of an upload's parts. */
  listParts(options: ListPartsOptions): Promise<ListPartsResult>;
  /** ListMultipartUploads: one page of the uploads in progress. */
  listMultipartUploads(options: ListMultipartUploadsOptions): Promise<ListMultipartUploadsResult>;
}

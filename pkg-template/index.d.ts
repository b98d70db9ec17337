// Types of the livery-s3 JS API. Option and result names follow the S3 API in lowerCamelCase.

export type ErrorKind = 'service' | 'validation' | 'network' | 'timeout' | 'aborted' | 'circuit-open' | 'credentials';

export class S3Error extends Error {
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
}

export type Body = string | ArrayBuffer | ArrayBufferView | Blob | ReadableStream<Uint8Array>;

export type ByteRange = { start: number; end?: number } | { suffix: number } | `bytes=${string}`;

export interface WriteHeaders {
  contentType?: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  expires?: Date | string;
  storageClass?: string;
  /** A canned ACL (`private`, `public-read`, …). */
  acl?: string;
  /** User metadata (`x-amz-meta-*`); non-ASCII values are carried as RFC 2047 words. */
  metadata?: Record<string, string>;
}

export interface ReadConditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: Date | string;
  ifUnmodifiedSince?: Date | string;
}

export interface ResponseOverrides {
  responseContentType?: string;
  responseContentLanguage?: string;
  responseExpires?: string;
  responseCacheControl?: string;
  responseContentDisposition?: string;
  responseContentEncoding?: string;
}

export interface PutObjectOptions extends WriteHeaders {
  bucket: string;
  key: string;
  body?: Body;
  /** Compute and send Content-MD5 (the body is read in chunks; not for ReadableStream). */
  contentMd5?: boolean;
  /** `"*"`: create only. */
  ifNoneMatch?: string;
  ifMatch?: string;
}

export interface PutObjectResult {
  etag?: string;
  versionId?: string;
}

export interface GetObjectOptions extends ReadConditions, ResponseOverrides {
  bucket: string;
  key: string;
  versionId?: string;
  range?: ByteRange;
  partNumber?: number;
}

export interface ObjectInfo {
  contentLength?: number;
  contentType?: string;
  etag?: string;
  lastModified?: Date;
  metadata: Record<string, string>;
  versionId?: string;
  contentRange?: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  expires?: string;
  storageClass?: string;
  deleteMarker?: boolean;
  acceptRanges?: string;
}

export interface GetObjectResult extends ObjectInfo {
  /** 206 for a range. */
  status: number;
  /** The object, streamed: never held whole in memory. */
  body: ReadableStream<Uint8Array>;
  text(): Promise<string>;
  bytes(): Promise<Uint8Array>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface HeadObjectOptions extends ReadConditions {
  bucket: string;
  key: string;
  versionId?: string;
  range?: ByteRange;
  partNumber?: number;
}

export interface DeleteObjectOptions {
  bucket: string;
  key: string;
  versionId?: string;
}

export interface DeleteObjectResult {
  versionId?: string;
  deleteMarker?: boolean;
}

export interface BucketOptions {
  bucket: string;
}

export interface CreateBucketOptions extends BucketOptions {
  /** The bucket's region; the client's region by default. */
  locationConstraint?: string;
  acl?: string;
}

export interface ListBucketsResult {
  buckets: { name: string; creationDate?: Date }[];
  owner?: { id?: string; displayName?: string };
}

export interface PresignOptions extends ResponseOverrides {
  method?: 'GET' | 'PUT' | 'HEAD' | 'DELETE' | 'POST';
  bucket: string;
  key?: string;
  /** Seconds, 1 to 604800; 900 by default. */
  expiresIn?: number;
  versionId?: string;
  /** Headers the URL's user must send as given; they are signed. */
  headers?: Record<string, string>;
  /** Sign as of this instant instead of now. */
  signingDate?: Date | string | number;
}

export class S3Client {
  constructor(options: S3ClientOptions);
  putObject(options: PutObjectOptions): Promise<PutObjectResult>;
  getObject(options: GetObjectOptions): Promise<GetObjectResult>;
  headObject(options: HeadObjectOptions): Promise<ObjectInfo>;
  deleteObject(options: DeleteObjectOptions): Promise<DeleteObjectResult>;
  listBuckets(): Promise<ListBucketsResult>;
  createBucket(options: CreateBucketOptions): Promise<{ location?: string }>;
  deleteBucket(options: BucketOptions): Promise<{}>;
  headBucket(options: BucketOptions): Promise<{ region?: string }>;
  getBucketLocation(options: BucketOptions): Promise<{ region: string }>;
  /** A presigned URL (query-string SigV4). */
  presign(options: PresignOptions): Promise<string>;
}

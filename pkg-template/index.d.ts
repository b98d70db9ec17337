// Types of the livery-s3 JS API. Every operation's options and result are generated from the
// Rust declarations into operations.d.ts (tests/generated.rs fails when they differ), so they
// cannot drift from the wasm. Result fields marked `?` are absent when S3 does not send them.
import type { Operations, GetObjectOptions, PutObjectOptions, ListObjectsOptions, ListObjectsResult } from './operations.js';
export type * from './operations.js';

export type ErrorKind = 'service' | 'validation' | 'network' | 'timeout' | 'aborted' | 'circuit-open' | 'credentials';

export interface S3ErrorInfo {
  message: string;
  kind: ErrorKind;
  code: string;
  status?: number;
  requestId?: string;
  region?: string;
  retryable: boolean;
  attempts?: number;
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
  /** How many attempts the call made: 0 when it was refused before any request. */
  readonly attempts: number;
}

export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** What a credentials function resolves to. Without `expiration` the keys are kept until S3 answers `ExpiredToken`. */
export interface TemporaryCredentials extends StaticCredentials {
  /** When they stop working: they are refreshed (one call at a time) 5 minutes before, or at half their life when shorter. */
  expiration?: DateInput;
}

/** STS `AssumeRoleWithWebIdentity`: an OpenID Connect token exchanged for temporary credentials, refreshed before they expire. */
export interface WebIdentityOptions {
  /** `arn:aws:iam::ACCOUNT:role/NAME`. */
  roleArn: string;
  /** The identity token, or a function giving a current one (called at each refresh). */
  token: string | (() => string | Promise<string>);
  /** 2 to 64 of `[\w+=,.@-]`; `livery-s3-` and random hex digits by default. */
  roleSessionName?: string;
  /** 900 to 43200; STS's default (3600) when absent. */
  durationSeconds?: number;
  /** `http(s)://host[:port]`; `https://sts.REGION.amazonaws.com` by default. */
  stsEndpoint?: string;
}

/** Static keys; `"anonymous"` (unsigned requests, for public buckets; presign is refused); a function resolving to temporary credentials; or web identity. A function (or web identity's token function) that has not settled within 60 s fails the calls waiting on it, and the next call asks again. */
export type CredentialsOption =
  | StaticCredentials
  | 'anonymous'
  | (() => TemporaryCredentials | Promise<TemporaryCredentials>)
  | { webIdentity: WebIdentityOptions };

/** Unknown options are refused with a `validation` error, never ignored. */
export interface S3ClientOptions {
  region: string;
  /** `http(s)://host[:port]`; AWS's regional endpoint by default. */
  endpoint?: string;
  /** `"path"` (default) or `"virtual"` (bucket in the host name; path style still for a dotted bucket over https and for an IP-address endpoint). */
  addressing?: 'path' | 'virtual';
  credentials: CredentialsOption;
  /** How long before their `expiration` temporary credentials (a function's, web identity's) are refreshed: 300000 (5 minutes) by default; at half their life when that is shorter. Refused with static or anonymous credentials. */
  refreshCredentialsMs?: number;
  /** The transport: any fetch-compatible function; `globalThis.fetch` by default. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** How long a call waits for bytes: for its answer (status, headers, an XML or error body; an upload gets its body's time at 64 KiB/s on top) and for each read of an object body. 30000 by default, 0 for no limit. */
  timeoutMs?: number;
  /** Retries of failed attempts (on by default: 3 attempts, backoff from 100 ms with full jitter, `Retry-After` honoured up to 20 s); `false` for one attempt per call. */
  retry?: false | RetryOptions;
  /** Follow a bucket's region redirect (sign again for the region S3 names, once, and remember it); `true` by default. */
  followRegionRedirects?: boolean;
  /** At most this many requests in flight across the client, each until its answer's status and headers arrive (no cap by default); the others wait in arrival order, and their `signal` takes them out of the queue. */
  maxConcurrency?: number;
  /** A circuit breaker per endpoint (off unless given). After `failureThreshold` (5) consecutive failures that retrying could fix, calls fail at once with kind `circuit-open`, no request sent; after `resetAfterMs` (30000) one probe is let through, and its success closes the circuit. */
  circuitBreaker?: { failureThreshold?: number; resetAfterMs?: number };
  /** Instead of `endpoint`: several endpoints serving the same buckets. Attempts go to the one with the fewest in flight, a retry to another one, and with `circuitBreaker` an endpoint whose circuit is open is skipped. */
  endpoints?: string[];
}

export interface RetryOptions {
  /** Attempts in all, the first included (1 or more; 3 by default). */
  maxAttempts?: number;
  /** The cap of the first retry's wait, doubled for each later one (100 by default). */
  baseDelayMs?: number;
  /** No wait is longer, `Retry-After` included (20000 by default). */
  maxDelayMs?: number;
}

/** A `Date`, an ISO 8601 or HTTP date string, or milliseconds since 1970 (years 1970 to 9999). */
export type DateInput = Date | string | number;

/** Passed to fetch as it is; read (in chunks) only for `contentMd5`. */
export type Body = string | ArrayBuffer | ArrayBufferView | Blob | ReadableStream<Uint8Array>;

/** `{ start, end }` (inclusive), `{ start }` to the end, `{ suffix: n }` for the last n bytes, or `"bytes=…"`. */
export type ByteRange = { start: number; end?: number } | { suffix: number } | `bytes=${string}`;

/** GetObject's body: a stream, read at most once, with Response-style helpers. */
export interface StreamedBody {
  body: ReadableStream<Uint8Array>;
  text(): Promise<string>;
  bytes(): Promise<Uint8Array>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export type ObjectSummary = ListObjectsResult['contents'][number];
export type Owner = NonNullable<ObjectSummary['owner']>;

export type HttpMethod = 'GET' | 'PUT' | 'HEAD' | 'DELETE';

interface PresignSigning {
  /** Seconds, 1 to 604800 (7 days); 900 by default. */
  expiresIn?: number;
  /** Headers the URL's user must send as given; they are signed. */
  headers?: Record<string, string>;
  /** Sign as of this instant instead of now (reproducible URLs). */
  signingDate?: DateInput;
}

/** A presigned URL of an object by method (GET takes getObject's options, PUT putObject's without a body, …), or of any operation by name. */
export type PresignOptions =
  | (PresignSigning & { method?: HttpMethod | Lowercase<HttpMethod>; operation?: never } & Omit<GetObjectOptions, 'signal'>
      & Partial<Omit<PutObjectOptions, 'signal' | 'body' | 'contentMd5'>>)
  | (PresignSigning & { operation: keyof Operations; method?: never; [option: string]: unknown });

/** Where a multipart upload stands: JSON-serialisable, given to `upload({ resume })` to continue it. */
export interface UploadCheckpoint {
  bucket: string;
  key: string;
  uploadId: string;
  partSize: number;
  /** The body's size in bytes, when known (a ReadableStream without `contentLength` has none). */
  size?: number;
  /** The upload's `checksum` algorithm, which a resumed upload goes on with. */
  checksum?: 'CRC32' | 'CRC32C' | 'SHA256';
  /** The parts S3 confirmed so far, in ascending order, each with its checksum when the upload has one. */
  parts: { partNumber: number; etag: string; size: number; checksumCrc32?: string; checksumCrc32c?: string; checksumSha256?: string }[];
}

/** putObject's options (headers, metadata, storage class, ACL, conditions, contentMd5) and the upload's own. */
export interface UploadOptions extends Omit<PutObjectOptions, 'body'> {
  /** A Blob/File is cut by `slice` and a buffer by `subarray`, never read whole; a ReadableStream is read one part at a time. */
  body: Body;
  /** The size of a ReadableStream body, when known: it sizes the parts and is checked against what the stream gives. */
  contentLength?: number;
  /** Bytes per part, 5 MiB to 5 GiB; 8 MiB by default, grown so a known size fits in 10,000 parts (so a stream of unknown size may be up to 78 GiB by default). */
  partSize?: number;
  /** Parts in flight, 1 to 64; 4 by default. Memory held is about partSize × (concurrency + 1) for a stream, nothing extra for a Blob or buffer. */
  concurrency?: number;
  /** After each part S3 confirmed (and after the single PUT); `loaded` never goes back. */
  onProgress?: (progress: { loaded: number; total?: number }) => void;
  /** Once the multipart upload exists (with no parts), then after each part S3 confirmed: keep it (e.g. in localStorage) to resume after a reload. */
  onCheckpoint?: (checkpoint: UploadCheckpoint) => void;
  /** Continue this upload: the same bucket, key and body; parts S3 lists with the right size (and the checkpoint's ETag, when it has one) are not sent again. */
  resume?: UploadCheckpoint;
}

/** What `upload` made. `uploadId` and `parts` only for a multipart upload. */
export interface UploadResult {
  etag?: string;
  versionId?: string;
  uploadId?: string;
  parts?: UploadCheckpoint['parts'];
}

/** What a presigned POST form allows (`presignPost`). */
export interface PresignPostOptions {
  bucket: string;
  /** The object's key, exactly… */
  key?: string;
  /** …or a folder ending in `/` (`users/42/`: `users/4` would take in `users/42/…` too): the form's key is then `${keyPrefix}${filename}` (S3 fills in the file's name), and the page may set any key under it. */
  keyPrefix?: string;
  /** Seconds the form can be used, 1 to 604800; 900 by default. */
  expiresIn?: number;
  /** The smallest and largest file, in bytes: S3 refuses a file outside it (the only way to cap a browser upload's size). */
  contentLengthRange?: [min: number, max: number];
  /** The Content-Type the form must post, exactly (it is added to the fields)… */
  contentType?: string;
  /** …or how it must start (`image/`); the page sets the field. */
  contentTypePrefix?: string;
  /** More form fields, posted as they are and required exactly (`acl`, `x-amz-meta-*`, `success_action_status`, …). */
  fields?: Record<string, string>;
  /** More conditions on fields the page chooses, in the policy's own form. */
  conditions?: ['eq' | 'starts-with', `$${string}`, string][];
  /** Sign as of this instant instead of now (reproducible forms). */
  signingDate?: DateInput;
}

/** Every method rejects with an `S3Error`; bad options are a `validation` error before any request. Checksums are opt-in: `checksum` on putObject, uploadPart, createMultipartUpload and `upload()` (with `checksumCrc32`, `checksumCrc32c`, `checksumSha256` in their results), and getObject's `checksumMode: 'ENABLED'`, which checks the body against its stored checksum as it streams. The server build (Node, Deno, Workers) also has `presignPost`; a browser refuses it with a `validation` error. */
export class S3Client {
  constructor(options: S3ClientOptions);
  /** A presigned URL (query-string SigV4), made locally without a request. */
  presign(options: PresignOptions): Promise<string>;
  /** A presigned POST form: post `fields`, then the file as `file`, to `url` (a plain HTML form or `FormData`). The server build only (Node, Deno, Workers): in a browser it rejects with a `validation` error. R2 does not implement POST Object. */
  presignPost(options: PresignPostOptions): Promise<{ url: string; fields: Record<string, string> }>;
  /** The managed upload: one PUT when the body fits in one part, parallel parts otherwise. On any failure or abort (`signal`) the multipart upload is aborted, so no parts are left stored; once every part is sent, the completion is not cancelled. */
  upload(options: UploadOptions): Promise<UploadResult>;
  /** Aborts the multipart uploads under `prefix` started `olderThan` milliseconds ago or earlier (0 by default: all). */
  abortIncompleteUploads(options: { bucket: string; prefix?: string; olderThan?: number; signal?: AbortSignal }): Promise<{ key: string; uploadId: string }[]>;
  /** Every object, page by page (each page is one ListObjectsV2 call, made as you iterate). */
  listObjectsAll(options: ListObjectsOptions): AsyncIterable<ObjectSummary>;
  /** Frees the client's wasm memory; later calls fail. */
  close(): void;
  /** `using s3 = new S3Client(…)` closes it at the end of the scope (TypeScript lib `esnext.disposable`). */
  [Symbol.dispose](): void;
}
export interface S3Client extends Operations {}

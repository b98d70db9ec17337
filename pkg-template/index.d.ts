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

/** Static keys; `"anonymous"` (unsigned requests, for public buckets; presign is refused); a function resolving to temporary credentials; or web identity. */
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
  /** `"path"` (default) or `"virtual"` (bucket in the host name). */
  addressing?: 'path' | 'virtual';
  credentials: CredentialsOption;
  /** How long before their `expiration` temporary credentials (a function's, web identity's) are refreshed: 300000 (5 minutes) by default; at half their life when that is shorter. */
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

/** Every method rejects with an `S3Error`; bad options are a `validation` error before any request. */
export class S3Client {
  constructor(options: S3ClientOptions);
  /** A presigned URL (query-string SigV4), made locally without a request. */
  presign(options: PresignOptions): Promise<string>;
  /** Every object, page by page (each page is one ListObjectsV2 call, made as you iterate). */
  listObjectsAll(options: ListObjectsOptions): AsyncIterable<ObjectSummary>;
  /** Frees the client's wasm memory; later calls fail. */
  close(): void;
  /** `using s3 = new S3Client(…)` closes it at the end of the scope (TypeScript lib `esnext.disposable`). */
  [Symbol.dispose](): void;
}
export interface S3Client extends Operations {}

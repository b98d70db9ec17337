import type { Body, UploadCheckpoint, UploadResult } from 'livery-s3';

/** The same class as livery-s3's (each entry bundles it; `instanceof` accepts either's errors). */
export { S3Error } from 'livery-s3';

/** What the server's start gives: PresignedUploads.start's answer, passed on as it is. */
export interface StartedByServer {
  key: string;
  uploadId: string;
  partSize: number;
  /** Part `n` is PUT to `partUrls[n - 1]`; without them, `partUrl` signs each part. */
  partUrls?: string[];
}

type Upload = { key: string; uploadId: string };

export interface PresignedPartsOptions {
  /** A Blob/File is cut by `slice`, a buffer by `subarray`; a ReadableStream is read one part at a time. */
  body: Body;
  /** The size of a ReadableStream body, when known. */
  contentLength?: number;
  /** Asks your server to start the multipart upload (it decides the key, the part size and the object's fields). */
  start(request: { size?: number }): Promise<StartedByServer>;
  /** Asks your server to sign part `partNumber` of an upload of `size` bytes (needed when resuming, or when start gives no partUrls; also asked for a part whose URL from start failed: refused, e.g. expired, or cut off). */
  partUrl?(request: Upload & { partNumber: number; size: number }): Promise<string>;
  /** Asks your server which parts S3 has (PresignedUploads.parts); needed to resume. */
  parts?(request: Upload): Promise<{ partNumber: number; size: number; etag?: string }[]>;
  /** Asks your server to complete the upload from the parts sent. */
  complete(request: Upload & { parts: { partNumber: number; etag: string }[] }): Promise<{ etag?: string; versionId?: string }>;
  /** Asks your server to abort the upload: called once, on any failure or abort before every part is sent (to pause instead, skip the call when your own signal aborted). */
  abort(request: Upload): unknown;
  /** Parts in flight, 1 to 64; 4 by default. */
  concurrency?: number;
  /** Tries per part PUT (network errors, 429 and 5xx are retried); 3 by default. */
  maxAttempts?: number;
  onProgress?: (progress: { loaded: number; total?: number }) => void;
  /** After each part S3 confirmed: keep it (e.g. in localStorage) to resume after a reload. */
  onCheckpoint?: (checkpoint: UploadCheckpoint) => void;
  /** Continue this upload (its checkpoint): the parts S3 lists with the checkpoint's ETag are not sent again. */
  resume?: UploadCheckpoint;
  signal?: AbortSignal;
}

/** The managed upload over your server's presigned part URLs: no keys and no wasm in the page. */
export declare function uploadByPresignedParts(options: PresignedPartsOptions): Promise<UploadResult>;

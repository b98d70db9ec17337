import type { S3Client, CompleteMultipartUploadResult, CreateMultipartUploadOptions, ListPartsResult } from 'livery-s3';

/** What a PresignedUploads may sign; an option it does not know is refused. */
export interface UploadPolicy {
  bucket: string;
  /** Every key must start with it: a folder ending in `/` (`uploads/user-42/`, so `uploads/user-4` cannot take in `uploads/user-42/…`); empty allows any key. */
  keyPrefix?: string;
  /** The largest object, in bytes. */
  maxSize: number;
  /** Bytes per part, 5 MiB to 5 GiB (8 MiB by default); grown when maxSize needs more than 10,000 parts. */
  partSize?: number;
  /** Seconds each part URL lives, 1 to 604800 (900 by default). */
  expiresIn?: number;
}

export interface StartedUpload {
  key: string;
  uploadId: string;
  partSize: number;
  /** Part `n` is PUT to `partUrls[n - 1]`; each URL signs its part's length (a server that checks signatures refuses any other). */
  partUrls: string[];
}

/** The server half of a browser upload by presigned parts; only what the policy allows is signed. */
export declare class PresignedUploads {
  constructor(s3: S3Client, policy: UploadPolicy);
  start(options: Omit<CreateMultipartUploadOptions, 'bucket'> & { size: number }): Promise<StartedUpload>;
  /** Part `partNumber` of an upload of `size` bytes (the size `start` was given), signed for that part's length like `partUrls`. */
  partUrl(options: { key: string; uploadId: string; partNumber: number; size: number }): Promise<string>;
  /** Every part S3 has of the upload, in order: what a resuming browser must not send again. */
  parts(options: { key: string; uploadId: string }): Promise<ListPartsResult['parts']>;
  /** Completes with the parts S3 holds (sizes from ListParts); over maxSize the upload is aborted, and a completed object over it (a part sent again after the listing) is deleted. */
  complete(options: { key: string; uploadId: string; parts?: { partNumber: number; etag: string }[] }): Promise<CompleteMultipartUploadResult>;
  abort(options: { key: string; uploadId: string }): Promise<void>;
}

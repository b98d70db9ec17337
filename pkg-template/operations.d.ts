// Generated from src/operations/catalog.rs by tests/generated.rs (LIVERY_WRITE_GENERATED=1 cargo test --test generated): do not edit.
import type { Body, ByteRange, DateInput, StreamedBody } from './index.js';

/** Every operation also takes `signal`, an AbortSignal that cancels it. */
export interface CallOptions {
  signal?: AbortSignal;
}

export interface PutObjectOptions extends CallOptions {
  bucket: string;
  key: string;
  body?: Body;
  contentLength?: number;
  contentType?: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  expires?: DateInput;
  storageClass?: string;
  acl?: string;
  metadata?: Record<string, string>;
  contentMd5?: boolean;
  ifNoneMatch?: string;
  ifMatch?: string;
  checksum?: 'CRC32' | 'CRC32C' | 'SHA256';
}

export interface PutObjectResult {
  etag?: string;
  versionId?: string;
  checksumCrc32?: string;
  checksumCrc32c?: string;
  checksumSha256?: string;
}

export interface GetObjectOptions extends CallOptions {
  bucket: string;
  key: string;
  versionId?: string;
  range?: ByteRange;
  partNumber?: number;
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: DateInput;
  ifUnmodifiedSince?: DateInput;
  responseContentType?: string;
  responseContentLanguage?: string;
  responseExpires?: string;
  responseCacheControl?: string;
  responseContentDisposition?: string;
  responseContentEncoding?: string;
  checksumMode?: 'ENABLED';
}

export interface GetObjectResult {
  status: number;
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
  expires?: Date;
  storageClass?: string;
  deleteMarker: boolean;
  acceptRanges?: string;
  checksumCrc32?: string;
  checksumCrc32c?: string;
  checksumSha256?: string;
}

export interface HeadObjectOptions extends CallOptions {
  bucket: string;
  key: string;
  versionId?: string;
  range?: ByteRange;
  partNumber?: number;
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: DateInput;
  ifUnmodifiedSince?: DateInput;
}

export interface HeadObjectResult {
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
  expires?: Date;
  storageClass?: string;
  deleteMarker: boolean;
  acceptRanges?: string;
  checksumCrc32?: string;
  checksumCrc32c?: string;
  checksumSha256?: string;
}

export interface DeleteObjectOptions extends CallOptions {
  bucket: string;
  key: string;
  versionId?: string;
}

export interface DeleteObjectResult {
  versionId?: string;
  deleteMarker: boolean;
}

export interface CopyObjectOptions extends CallOptions {
  bucket: string;
  key: string;
  sourceBucket: string;
  sourceKey: string;
  sourceVersionId?: string;
  copySourceIfMatch?: string;
  copySourceIfNoneMatch?: string;
  copySourceIfModifiedSince?: DateInput;
  copySourceIfUnmodifiedSince?: DateInput;
  metadataDirective?: 'COPY' | 'REPLACE';
  contentType?: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  expires?: DateInput;
  storageClass?: string;
  acl?: string;
  metadata?: Record<string, string>;
}

export interface CopyObjectResult {
  etag?: string;
  lastModified?: Date;
  versionId?: string;
  copySourceVersionId?: string;
}

export interface DeleteObjectsOptions extends CallOptions {
  bucket: string;
  objects?: Array<{
    key: string;
    versionId?: string;
  }>;
  quiet?: boolean;
}

export interface DeleteObjectsResult {
  deleted: Array<{
    key: string;
    versionId?: string;
    deleteMarker: boolean;
    deleteMarkerVersionId?: string;
  }>;
  errors: Array<{
    key?: string;
    versionId?: string;
    code: string;
    message?: string;
  }>;
}

export interface ListBucketsOptions extends CallOptions {
}

export interface ListBucketsResult {
  buckets: Array<{
    name: string;
    creationDate?: Date;
  }>;
  owner?: {
    id?: string;
    displayName?: string;
  };
}

export interface CreateBucketOptions extends CallOptions {
  bucket: string;
  locationConstraint?: string;
  acl?: string;
}

export interface CreateBucketResult {
  location?: string;
}

export interface DeleteBucketOptions extends CallOptions {
  bucket: string;
}

export interface DeleteBucketResult {
}

export interface HeadBucketOptions extends CallOptions {
  bucket: string;
}

export interface HeadBucketResult {
  region?: string;
}

export interface GetBucketLocationOptions extends CallOptions {
  bucket: string;
}

export interface GetBucketLocationResult {
  region: string;
}

export interface ListObjectsOptions extends CallOptions {
  bucket: string;
  prefix?: string;
  delimiter?: string;
  maxKeys?: number;
  continuationToken?: string;
  startAfter?: string;
  fetchOwner?: boolean;
  encodingType?: 'url' | 'none';
}

export interface ListObjectsResult {
  name?: string;
  prefix?: string;
  delimiter?: string;
  maxKeys?: number;
  keyCount?: number;
  isTruncated: boolean;
  continuationToken?: string;
  nextContinuationToken?: string;
  startAfter?: string;
  contents: Array<{
    key: string;
    lastModified?: Date;
    etag?: string;
    size: number;
    storageClass?: string;
    owner?: {
      id?: string;
      displayName?: string;
    };
  }>;
  commonPrefixes: Array<{
    prefix: string;
  }>;
}

export interface GetBucketVersioningOptions extends CallOptions {
  bucket: string;
}

export interface GetBucketVersioningResult {
  status?: string;
  mfaDelete?: string;
}

export interface PutBucketVersioningOptions extends CallOptions {
  bucket: string;
  status: 'Enabled' | 'Suspended';
}

export interface PutBucketVersioningResult {
}

export interface ListObjectVersionsOptions extends CallOptions {
  bucket: string;
  prefix?: string;
  delimiter?: string;
  maxKeys?: number;
  keyMarker?: string;
  versionIdMarker?: string;
  encodingType?: 'url' | 'none';
}

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
  versions: Array<{
    key: string;
    versionId?: string;
    isLatest: boolean;
    lastModified?: Date;
    etag?: string;
    size: number;
    storageClass?: string;
    owner?: {
      id?: string;
      displayName?: string;
    };
  }>;
  deleteMarkers: Array<{
    key: string;
    versionId?: string;
    isLatest: boolean;
    lastModified?: Date;
    owner?: {
      id?: string;
      displayName?: string;
    };
  }>;
  commonPrefixes: Array<{
    prefix: string;
  }>;
}

export interface CreateMultipartUploadOptions extends CallOptions {
  bucket: string;
  key: string;
  contentType?: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  expires?: DateInput;
  storageClass?: string;
  acl?: string;
  metadata?: Record<string, string>;
  checksum?: 'CRC32' | 'CRC32C' | 'SHA256';
}

export interface CreateMultipartUploadResult {
  bucket?: string;
  key?: string;
  uploadId: string;
}

export interface UploadPartOptions extends CallOptions {
  bucket: string;
  key: string;
  uploadId: string;
  partNumber: number;
  body?: Body;
  contentLength?: number;
  contentMd5?: boolean;
  checksum?: 'CRC32' | 'CRC32C' | 'SHA256';
}

export interface UploadPartResult {
  etag?: string;
  checksumCrc32?: string;
  checksumCrc32c?: string;
  checksumSha256?: string;
}

export interface UploadPartCopyOptions extends CallOptions {
  bucket: string;
  key: string;
  uploadId: string;
  partNumber: number;
  sourceBucket: string;
  sourceKey: string;
  sourceVersionId?: string;
  copySourceIfMatch?: string;
  copySourceIfNoneMatch?: string;
  copySourceIfModifiedSince?: DateInput;
  copySourceIfUnmodifiedSince?: DateInput;
  sourceRange?: ByteRange;
}

export interface UploadPartCopyResult {
  etag?: string;
  lastModified?: Date;
}

export interface CompleteMultipartUploadOptions extends CallOptions {
  bucket: string;
  key: string;
  uploadId: string;
  parts?: Array<{
    partNumber: number;
    etag: string;
    checksumCrc32?: string;
    checksumCrc32c?: string;
    checksumSha256?: string;
  }>;
  ifNoneMatch?: string;
  ifMatch?: string;
}

export interface CompleteMultipartUploadResult {
  location?: string;
  bucket?: string;
  key?: string;
  etag?: string;
  versionId?: string;
}

export interface AbortMultipartUploadOptions extends CallOptions {
  bucket: string;
  key: string;
  uploadId: string;
}

export interface AbortMultipartUploadResult {
}

export interface ListPartsOptions extends CallOptions {
  bucket: string;
  key: string;
  uploadId: string;
  maxParts?: number;
  partNumberMarker?: number;
}

export interface ListPartsResult {
  bucket?: string;
  key?: string;
  uploadId?: string;
  partNumberMarker?: number;
  nextPartNumberMarker?: number;
  maxParts?: number;
  isTruncated: boolean;
  storageClass?: string;
  owner?: {
    id?: string;
    displayName?: string;
  };
  parts: Array<{
    partNumber: number;
    lastModified?: Date;
    etag?: string;
    size: number;
    checksumCrc32?: string;
    checksumCrc32c?: string;
    checksumSha256?: string;
  }>;
}

export interface ListMultipartUploadsOptions extends CallOptions {
  bucket: string;
  prefix?: string;
  delimiter?: string;
  maxUploads?: number;
  keyMarker?: string;
  uploadIdMarker?: string;
  encodingType?: 'url' | 'none';
}

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
  uploads: Array<{
    key: string;
    uploadId: string;
    initiated?: Date;
    storageClass?: string;
    owner?: {
      id?: string;
      displayName?: string;
    };
  }>;
  commonPrefixes: Array<{
    prefix: string;
  }>;
}

/** One method per S3 operation, each taking its options object. */
export interface Operations {
  putObject(options: PutObjectOptions): Promise<PutObjectResult>;
  getObject(options: GetObjectOptions): Promise<GetObjectResult & StreamedBody>;
  headObject(options: HeadObjectOptions): Promise<HeadObjectResult>;
  deleteObject(options: DeleteObjectOptions): Promise<DeleteObjectResult>;
  copyObject(options: CopyObjectOptions): Promise<CopyObjectResult>;
  deleteObjects(options: DeleteObjectsOptions): Promise<DeleteObjectsResult>;
  listBuckets(options?: ListBucketsOptions): Promise<ListBucketsResult>;
  createBucket(options: CreateBucketOptions): Promise<CreateBucketResult>;
  deleteBucket(options: DeleteBucketOptions): Promise<void>;
  headBucket(options: HeadBucketOptions): Promise<HeadBucketResult>;
  getBucketLocation(options: GetBucketLocationOptions): Promise<GetBucketLocationResult>;
  listObjects(options: ListObjectsOptions): Promise<ListObjectsResult>;
  getBucketVersioning(options: GetBucketVersioningOptions): Promise<GetBucketVersioningResult>;
  putBucketVersioning(options: PutBucketVersioningOptions): Promise<void>;
  listObjectVersions(options: ListObjectVersionsOptions): Promise<ListObjectVersionsResult>;
  createMultipartUpload(options: CreateMultipartUploadOptions): Promise<CreateMultipartUploadResult>;
  uploadPart(options: UploadPartOptions): Promise<UploadPartResult>;
  uploadPartCopy(options: UploadPartCopyOptions): Promise<UploadPartCopyResult>;
  completeMultipartUpload(options: CompleteMultipartUploadOptions): Promise<CompleteMultipartUploadResult>;
  abortMultipartUpload(options: AbortMultipartUploadOptions): Promise<void>;
  listParts(options: ListPartsOptions): Promise<ListPartsResult>;
  listMultipartUploads(options: ListMultipartUploadsOptions): Promise<ListMultipartUploadsResult>;
}

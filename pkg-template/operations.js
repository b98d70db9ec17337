// Generated from src/operations/catalog.rs by tests/generated.rs (LIVERY_WRITE_GENERATED=1 cargo test --test generated): do not edit.
// Every operation, with its input fields (options.js, `readFields`).
export const INPUTS = {
  putObject: [['bucket', 't', 1], ['key', 't', 1], ['body', 'B'], ['contentLength', 'i'], ['headers', 'F', 0, [['contentType', 't'], ['cacheControl', 't'], ['contentDisposition', 't'], ['contentEncoding', 't'], ['contentLanguage', 't'], ['expires', 'd'], ['storageClass', 't'], ['acl', 't'], ['metadata', 'm']]], ['contentMd5', 'b'], ['ifNoneMatch', 't'], ['ifMatch', 't'], ['checksum', 't']],
  getObject: [['bucket', 't', 1], ['key', 't', 1], ['versionId', 't'], ['range', 'r'], ['partNumber', 'i'], ['conditions', 'F', 0, [['ifMatch', 't'], ['ifNoneMatch', 't'], ['ifModifiedSince', 'd'], ['ifUnmodifiedSince', 'd']]], ['overrides', 'F', 0, [['responseContentType', 't'], ['responseContentLanguage', 't'], ['responseExpires', 't'], ['responseCacheControl', 't'], ['responseContentDisposition', 't'], ['responseContentEncoding', 't']]], ['checksumMode', 't']],
  headObject: [['bucket', 't', 1], ['key', 't', 1], ['versionId', 't'], ['range', 'r'], ['partNumber', 'i'], ['conditions', 'F', 0, [['ifMatch', 't'], ['ifNoneMatch', 't'], ['ifModifiedSince', 'd'], ['ifUnmodifiedSince', 'd']]]],
  deleteObject: [['bucket', 't', 1], ['key', 't', 1], ['versionId', 't']],
  copyObject: [['bucket', 't', 1], ['key', 't', 1], ['source', 'F', 0, [['sourceBucket', 't', 1], ['sourceKey', 't', 1], ['sourceVersionId', 't'], ['copySourceIfMatch', 't'], ['copySourceIfNoneMatch', 't'], ['copySourceIfModifiedSince', 'd'], ['copySourceIfUnmodifiedSince', 'd']]], ['metadataDirective', 't'], ['headers', 'F', 0, [['contentType', 't'], ['cacheControl', 't'], ['contentDisposition', 't'], ['contentEncoding', 't'], ['contentLanguage', 't'], ['expires', 'd'], ['storageClass', 't'], ['acl', 't'], ['metadata', 'm']]]],
  deleteObjects: [['bucket', 't', 1], ['objects', 'L', 0, [['key', 't', 1], ['versionId', 't']]], ['quiet', 'b']],
  listBuckets: [],
  createBucket: [['bucket', 't', 1], ['locationConstraint', 't'], ['acl', 't']],
  deleteBucket: [['bucket', 't', 1]],
  headBucket: [['bucket', 't', 1]],
  getBucketLocation: [['bucket', 't', 1]],
  listObjects: [['bucket', 't', 1], ['prefix', 't'], ['delimiter', 't'], ['maxKeys', 'i'], ['continuationToken', 't'], ['startAfter', 't'], ['fetchOwner', 'b'], ['encodingType', 't']],
  getBucketVersioning: [['bucket', 't', 1]],
  putBucketVersioning: [['bucket', 't', 1], ['status', 't', 1]],
  listObjectVersions: [['bucket', 't', 1], ['prefix', 't'], ['delimiter', 't'], ['maxKeys', 'i'], ['keyMarker', 't'], ['versionIdMarker', 't'], ['encodingType', 't']],
  createMultipartUpload: [['bucket', 't', 1], ['key', 't', 1], ['headers', 'F', 0, [['contentType', 't'], ['cacheControl', 't'], ['contentDisposition', 't'], ['contentEncoding', 't'], ['contentLanguage', 't'], ['expires', 'd'], ['storageClass', 't'], ['acl', 't'], ['metadata', 'm']]], ['checksum', 't']],
  uploadPart: [['bucket', 't', 1], ['key', 't', 1], ['uploadId', 't', 1], ['partNumber', 'i', 1], ['body', 'B'], ['contentLength', 'i'], ['contentMd5', 'b'], ['checksum', 't']],
  uploadPartCopy: [['bucket', 't', 1], ['key', 't', 1], ['uploadId', 't', 1], ['partNumber', 'i', 1], ['source', 'F', 0, [['sourceBucket', 't', 1], ['sourceKey', 't', 1], ['sourceVersionId', 't'], ['copySourceIfMatch', 't'], ['copySourceIfNoneMatch', 't'], ['copySourceIfModifiedSince', 'd'], ['copySourceIfUnmodifiedSince', 'd']]], ['sourceRange', 'r']],
  completeMultipartUpload: [['bucket', 't', 1], ['key', 't', 1], ['uploadId', 't', 1], ['parts', 'L', 0, [['partNumber', 'i', 1], ['etag', 't', 1], ['checksumCrc32', 't'], ['checksumCrc32c', 't'], ['checksumSha256', 't']]], ['ifNoneMatch', 't'], ['ifMatch', 't']],
  abortMultipartUpload: [['bucket', 't', 1], ['key', 't', 1], ['uploadId', 't', 1]],
  listParts: [['bucket', 't', 1], ['key', 't', 1], ['uploadId', 't', 1], ['maxParts', 'i'], ['partNumberMarker', 'i']],
  listMultipartUploads: [['bucket', 't', 1], ['prefix', 't'], ['delimiter', 't'], ['maxUploads', 'i'], ['keyMarker', 't'], ['uploadIdMarker', 't'], ['encodingType', 't']],
};
// Where each result holds dates (milliseconds in the JSON; `*` is every item of a list).
export const DATES = {
  getObject: [['lastModified'], ['expires']],
  headObject: [['lastModified'], ['expires']],
  copyObject: [['lastModified']],
  listBuckets: [['buckets', '*', 'creationDate']],
  listObjects: [['contents', '*', 'lastModified']],
  listObjectVersions: [['versions', '*', 'lastModified'], ['deleteMarkers', '*', 'lastModified']],
  uploadPartCopy: [['lastModified']],
  listParts: [['parts', '*', 'lastModified']],
  listMultipartUploads: [['uploads', '*', 'initiated']],
};

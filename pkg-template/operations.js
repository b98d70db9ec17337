// Generated from src/operations/catalog.rs by tests/generated.rs (LIVERY_WRITE_GENERATED=1 cargo test --test generated): do not edit.
export const OPERATIONS = ['putObject', 'getObject', 'headObject', 'deleteObject', 'copyObject', 'deleteObjects', 'listBuckets', 'createBucket', 'deleteBucket', 'headBucket', 'getBucketLocation', 'listObjects', 'getBucketVersioning', 'putBucketVersioning', 'listObjectVersions', 'createMultipartUpload', 'uploadPart', 'uploadPartCopy', 'completeMultipartUpload', 'abortMultipartUpload', 'listParts', 'listMultipartUploads'];
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

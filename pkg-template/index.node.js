// Node: the server build of the wasm is read from disk and compiled synchronously at import.
import { readFileSync } from 'node:fs';
import { initSync } from './wasm-server/livery_s3.js';
initSync({ module: readFileSync(new URL('./wasm-server/livery_s3_bg.wasm', import.meta.url)) });
export { S3Client, S3Error } from './client.js';
export { PresignedUploads } from './presigned-uploads.js';

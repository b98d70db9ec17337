// Deno: the server build of the wasm is read next to this file (needs read access to the package).
import { initSync } from './wasm-server/livery_s3.js';
initSync({ module: await Deno.readFile(new URL('./wasm-server/livery_s3_bg.wasm', import.meta.url)) });
export { S3Client, S3Error } from './client.js';
export { PresignedUploads } from './presigned-uploads.js';

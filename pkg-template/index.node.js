// Node: the wasm is read from disk and compiled synchronously at import.
import { readFileSync } from 'node:fs';
import { initSync } from './wasm/livery_s3.js';
initSync({ module: readFileSync(new URL('./wasm/livery_s3_bg.wasm', import.meta.url)) });
export { S3Client, S3Error } from './client.js';

// Deno: the wasm is read next to this file (needs read access to the package).
import { initSync } from './wasm/livery_s3.js';
initSync({ module: await Deno.readFile(new URL('./wasm/livery_s3_bg.wasm', import.meta.url)) });
export { S3Client, S3Error } from './client.js';

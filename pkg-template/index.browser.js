// Browsers and bundlers: the wasm is fetched next to this file, before the module resolves.
import init from './wasm/livery_s3.js';
await init({ module_or_path: new URL('./wasm/livery_s3_bg.wasm', import.meta.url) });
export { S3Client, S3Error } from './client.js';

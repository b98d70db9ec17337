// Browsers and bundlers: the wasm is fetched next to this file, before the module resolves.
import init from './wasm/livery_s3.js';
import { bypassHttpCache } from './transport.js';
await init({ module_or_path: new URL('./wasm/livery_s3_bg.wasm', import.meta.url) });
// Signed GETs of one key share a URL: the browser's cache must not answer a read after a write.
bypassHttpCache();
export { S3Client, S3Error } from './client.js';

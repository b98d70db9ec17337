// Browsers and bundlers: the wasm is fetched next to this file and compiled before the module
// resolves. Compiled from its bytes rather than streamed: the streaming compile refuses a
// server that does not label .wasm `application/wasm`, and wasm-bindgen's fallback for that
// weighs more than the difference (127 KB compile in a few ms).
import { initSync } from './wasm/livery_s3.js';
import { bypassHttpCache } from './transport.js';
import { useDeclarations } from './client.js';
const answer = await fetch(new URL('./wasm/livery_s3_bg.wasm', import.meta.url));
if (!answer.ok) throw new Error(`livery-s3: fetching its wasm answered ${answer.status}`);
initSync({ module: await WebAssembly.compile(await answer.arrayBuffer()) });
useDeclarations();
// Signed GETs of one key share a URL: the browser's cache must not answer a read after a write.
bypassHttpCache();
export { S3Client, S3Error } from './client.js';

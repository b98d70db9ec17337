// Deno: the server build of the wasm is read next to this file (needs read access to the package).
import { initSync } from './wasm-server/livery_s3.js';
import { presignPostWith, useDeclarations } from './client.js';
import { postArguments } from './presign-post.js';
initSync({ module: await Deno.readFile(new URL('./wasm-server/livery_s3_bg.wasm', import.meta.url)) });
useDeclarations();
// Only servers sign POST policies: their entries bring presignPost's option reader.
presignPostWith(postArguments);
export { S3Client, S3Error } from './client.js';
export { PresignedUploads } from './presigned-uploads.js';

// Node: the server build of the wasm is read from disk and compiled synchronously at import.
import { readFileSync } from 'node:fs';
import { initSync } from './wasm-server/livery_s3.js';
import { streamBodiesWith } from './transport.js';
import { presignPostWith, useDeclarations } from './client.js';
import { postArguments } from './presign-post.js';
initSync({ module: readFileSync(new URL('./wasm-server/livery_s3_bg.wasm', import.meta.url)) });
useDeclarations();
// Node's fetch sends a stream with the Content-Length header it is given.
streamBodiesWith((stream) => stream);
// Only servers sign POST policies: their entries bring presignPost's option reader.
presignPostWith(postArguments);
export { S3Client, S3Error } from './client.js';
export { PresignedUploads } from './presigned-uploads.js';

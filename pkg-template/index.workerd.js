// Cloudflare Workers (workerd): the wasm is imported as a compiled WebAssembly.Module, as
// wrangler and workerd bundle it; no fetch, no fs.
import { initSync } from './wasm-server/livery_s3.js';
import { streamBodiesWith } from './transport.js';
import wasmModule from './wasm-server/livery_s3_bg.wasm';
import { presignPostWith, useDeclarations } from './client.js';
import { postArguments } from './presign-post.js';
initSync({ module: wasmModule });
useDeclarations();
// Workers send a stream with a length through a FixedLengthStream.
streamBodiesWith((stream, length) => stream.pipeThrough(new FixedLengthStream(length)));
// Only servers sign POST policies: their entries bring presignPost's option reader.
presignPostWith(postArguments);
export { S3Client, S3Error } from './client.js';
export { PresignedUploads } from './presigned-uploads.js';

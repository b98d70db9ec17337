// Object bodies checked against the checksum their answer named (`checksumMode: 'ENABLED'`), as
// they stream: getObject's part in JS (src/client/methods.rs does the same natively). Each
// chunk passes through the wasm's checksum on its way to the reader; at the end a mismatch
// errors the stream. A range, a part, a composite checksum (`…-N`, of a multipart object's
// parts rather than its bytes) or an object stored with a Content-Encoding (fetch decodes it,
// and the checksum is of the stored bytes) is not checked.
import { Checksum } from '#wasm';
import { S3Error } from './errors.js';
import { checksumField } from './upload.js';

/** The `checksum` algorithms (src/checksum.rs `NAMES`). */
export const ALGORITHMS = ['CRC32', 'CRC32C', 'SHA256'];

/** `body`, checked when `options` asked for it and `result` names a whole-object checksum. */
export function checkedBody(body, result, options) {
  if (options?.checksumMode == null || options.range != null || options.partNumber != null
    || (result.contentEncoding && result.contentEncoding !== 'identity')) return body;
  const algorithm = ALGORITHMS.find((name) => result[checksumField(name)] && !result[checksumField(name)].includes('-'));
  if (!algorithm) return body;
  const field = checksumField(algorithm);
  const sum = new Checksum(algorithm);
  return body.pipeThrough(new TransformStream({
    transform(chunk, controller) {
      sum.update(chunk);
      controller.enqueue(chunk);
    },
    flush(controller) {
      const got = sum.finish();
      if (got !== result[field]) {
        controller.error(new S3Error({ kind: 'service', code: 'InvalidResponse', status: 200, attempts: 1,
          message: `invalid response: the object's body does not match its x-amz-checksum-${algorithm.toLowerCase()} (${got}, not ${result[field]})` }));
      }
    },
  }));
}

// Deno: `livery-s3` resolves like any installed npm package (node_modules + the package's
// `exports` map, `deno` condition). runtimes.test.mjs runs this inside a throwaway consumer
// project whose node_modules/livery-s3 links to pkg/, with --allow-net for the server and
// --allow-read for the package (index.deno.js reads the wasm with Deno.readFile).
// Usage: deno run --allow-net=HOST:PORT --allow-read=PKG deno.mjs ENDPOINT BUCKET ACCESS_KEY SECRET_KEY
import { S3Client, S3Error } from 'livery-s3';
import { roundTrip } from './roundtrip.mjs';

const [endpoint, bucket, accessKeyId, secretAccessKey] = Deno.args;
const resolved = import.meta.resolve('livery-s3');
try {
  const result = await roundTrip({ S3Client, S3Error }, { endpoint, bucket, accessKeyId, secretAccessKey });
  console.log(JSON.stringify({ resolved, ...result }));
} catch (e) {
  console.log(JSON.stringify({ resolved, error: String(e?.stack ?? e), code: e?.code, kind: e?.kind }));
}

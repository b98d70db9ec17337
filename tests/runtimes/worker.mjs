// workerd: a module worker that imports the package as `livery-s3` (workerd.capnp embeds the
// file the `workerd` condition of the exports map picks, with the wasm as a `wasm` module) and
// answers every request with the round trip's result as JSON. The bucket comes from ?bucket=.
import { S3Client, S3Error } from 'livery-s3';
import { roundTrip } from './roundtrip.mjs';

export default {
  async fetch(request, env) {
    const bucket = new URL(request.url).searchParams.get('bucket');
    try {
      const result = await roundTrip({ S3Client, S3Error }, {
        endpoint: env.S3_ENDPOINT,
        accessKeyId: env.S3_ACCESS_KEY,
        secretAccessKey: env.S3_SECRET_KEY,
        bucket,
      });
      return Response.json(result);
    } catch (e) {
      return Response.json({ error: String(e?.stack ?? e), code: e?.code, kind: e?.kind }, { status: 500 });
    }
  },
};

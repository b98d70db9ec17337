// Chromium: the page's import map points `livery-s3` at the package's browser entry. The page
// is served from the same origin as the S3 endpoint (the test server proxies S3 requests), so
// no CORS is involved. The result lands in globalThis.roundTripResult and on the page.
import { S3Client, S3Error } from 'livery-s3';
import { roundTrip } from './roundtrip.mjs';

const params = new URLSearchParams(location.search);
globalThis.roundTripResult = roundTrip({ S3Client, S3Error }, {
  endpoint: location.origin,
  bucket: params.get('bucket'),
  accessKeyId: params.get('accessKeyId'),
  secretAccessKey: params.get('secretAccessKey'),
}).catch((e) => ({ error: String(e?.stack ?? e), code: e?.code, kind: e?.kind }));
globalThis.roundTripResult.then((result) => {
  document.getElementById('result').textContent = JSON.stringify(result, null, 2);
});

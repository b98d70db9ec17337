// Chromium, for cors.test.mjs: the page imports the package's browser entry (through the import
// map) and exposes globalThis.callS3, which makes one call with a fresh client against the
// endpoint it is given (another origin than the page's) and reports plain data, the error included.
import { S3Client, S3Error } from 'livery-s3';

globalThis.callS3 = async ({ endpoint, accessKeyId, secretAccessKey, operation, options }) => {
  // The attempt deadline turns a hung request into a 'timeout' error the test can report.
  const s3 = new S3Client({ region: 'us-east-1', endpoint, credentials: { accessKeyId, secretAccessKey }, timeoutMs: 10_000 });
  try {
    const result = await s3[operation](options);
    return { result: JSON.parse(JSON.stringify(result)) };
  } catch (e) {
    return {
      error: {
        isS3Error: e instanceof S3Error,
        name: e?.name,
        kind: e?.kind,
        code: e?.code,
        status: e?.status,
        retryable: e?.retryable,
        message: String(e?.message ?? e),
      },
    };
  } finally {
    s3.close();
  }
};
globalThis.pageReady = true;

// `make demo`: a round trip through the npm package against a local s3s-fs, which checks
// every signature.
import { S3Client, S3Error } from '../pkg/index.node.js';
import { startServer, ACCESS_KEY, SECRET_KEY } from '../scripts/local-s3.mjs';

const step = (text) => console.log(`\x1b[1m-> ${text}\x1b[0m`);
const server = await startServer('s3s-fs');
try {
  step(`started s3s-fs on ${server.endpoint}`);
  const s3 = new S3Client({
    region: 'us-east-1',
    endpoint: server.endpoint,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
  });
  const bucket = 'livery-demo';
  const key = 'greetings/hello wörld+1.txt';

  step(`createBucket ${bucket}`);
  await s3.createBucket({ bucket });

  step(`putObject ${key}`);
  const put = await s3.putObject({ bucket, key, body: 'Hello from livery-s3!', contentType: 'text/plain', metadata: { lang: 'en' } });
  console.log('   etag', put.etag);

  step(`getObject ${key}`);
  const object = await s3.getObject({ bucket, key });
  console.log(`   ${object.contentLength} bytes, ${object.contentType}, metadata ${JSON.stringify(object.metadata)}`);
  console.log(`   body: ${await object.text()}`);

  step('presign a GET for 60 s');
  const url = await s3.presign({ bucket, key, expiresIn: 60 });
  console.log(`   ${url}`);

  step('fetch the presigned URL with no credentials');
  const response = await fetch(url);
  console.log(`   HTTP ${response.status}: ${await response.text()}`);
  if (!response.ok) throw new Error('presigned fetch failed');

  step('a wrong secret is refused by the server');
  const intruder = new S3Client({ region: 'us-east-1', endpoint: server.endpoint, credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: 'wrong' } });
  const refused = await intruder.getObject({ bucket, key }).catch((e) => e);
  if (!(refused instanceof S3Error)) throw new Error('a wrong signature was accepted');
  console.log(`   S3Error ${refused.code} (HTTP ${refused.status}, kind ${refused.kind})`);

  step('round trip OK');
} finally {
  await server.stop();
}

// presignPost in the package's server build, against Garage, which checks POST policies
// (s3s-fs and moto do not): a form within the policy is stored, a file over its
// content-length-range is refused, and bad options never reach the signer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { S3Client } from '../../pkg/index.node.js';
import { startServer, bucketName } from '../../scripts/local-s3.mjs';
import { failure } from './helpers.mjs';

let garage;
before(async () => {
  garage = await startServer('garage');
});
after(async () => {
  await garage?.stop();
});

const client = () => new S3Client({ region: 'us-east-1', endpoint: garage.endpoint,
  credentials: { accessKeyId: garage.accessKey, secretAccessKey: garage.secretKey } });

/** Posts `file` with the form's fields, as a browser's FormData would; resolves to the status,
 * or to 'refused' when the server cut the connection (Garage's answer to an oversized body). */
async function post({ url, fields }, file, extra = {}) {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...fields, ...extra })) form.append(name, value);
  form.append('file', file);
  try {
    const answer = await fetch(url, { method: 'POST', body: form });
    await answer.arrayBuffer();
    return answer.status;
  } catch {
    return 'refused';
  }
}

test('a presigned POST form within its policy is stored; a file over content-length-range is refused (Garage)', async () => {
  const s3 = client();
  const bucket = bucketName('post');
  await s3.createBucket({ bucket });
  const form = await s3.presignPost({ bucket, keyPrefix: 'uploads/', contentLengthRange: [1, 1024],
    contentType: 'text/plain', fields: { success_action_status: '201' }, expiresIn: 300 });
  assert.equal(form.url, `${garage.endpoint}/${bucket}`);
  assert.equal(form.fields.key, 'uploads/${filename}');
  assert.match(form.fields['x-amz-credential'], new RegExp(`^${garage.accessKey}/\\d{8}/us-east-1/s3/aws4_request$`));

  assert.equal(await post(form, new File(['hello from a form'], 'note.txt', { type: 'text/plain' })), 201);
  const object = await s3.getObject({ bucket, key: 'uploads/note.txt' });
  assert.equal(await object.text(), 'hello from a form');
  assert.equal(object.contentType, 'text/plain');

  const big = await post(form, new File([new Uint8Array(4096)], 'big.txt', { type: 'text/plain' }));
  assert.ok(big === 'refused' || big >= 400, `an oversized file was answered ${big}`);
  await assert.rejects(s3.headObject({ bucket, key: 'uploads/big.txt' }), { code: 'NotFound' });

  // A key outside the prefix breaks the policy (AWS answers 403; Garage 400, or it closes the
  // connection before reading the body).
  const outside = await post(form, new File(['x'], 'x.txt', { type: 'text/plain' }), { key: 'elsewhere/x.txt' });
  assert.ok(outside === 'refused' || (outside >= 400 && outside < 500), `a key outside the prefix was answered ${outside}`);
  await assert.rejects(s3.headObject({ bucket, key: 'elsewhere/x.txt' }), { code: 'NotFound' });
});

test('presignPost checks what each option holds, holes and odd values included', async () => {
  const s3 = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
  const base = { bucket: 'b-ok', key: 'k' };
  const sparse = [, 5]; // eslint-disable-line no-sparse-arrays
  const cases = [
    [undefined, /bucket is required/],
    [{ ...base, expiresIn: -1 }, /expiresIn must be a whole number/],
    [{ ...base, contentLengthRange: sparse }, /contentLengthRange must be \[min, max\]/],
    [{ ...base, contentLengthRange: [1, 2n] }, /contentLengthRange must be \[min, max\]/],
    [{ ...base, contentType: 'a', contentTypePrefix: 'b' }, /contentType or contentTypePrefix, not both/],
    [{ ...base, fields: ['x'] }, /fields must be an object/],
    [{ ...base, fields: { acl: 1 } }, /acl must be a string \(in fields\)/],
    [{ ...base, conditions: 'eq' }, /conditions must be/],
    [{ ...base, conditions: [, ['eq', '$a', 'b']] }, /conditions must be/], // eslint-disable-line no-sparse-arrays
    [{ ...base, conditions: [['eq', 'a', 'b']] }, /conditions must be/],
    [{ ...base, conditions: [['eq', '$a', 5]] }, /conditions must be/],
    [{ ...base, signingDate: new Date(NaN) }, /signingDate must be a valid Date/],
    [{ ...base, signingDate: -1 }, /signingDate must be a date from 1970 to 9999/],
  ];
  for (const [options, message] of cases) {
    const err = await failure(s3.presignPost(options));
    assert.equal(err.kind, 'validation', `${err.message} for ${String(options && Object.keys(options))}`);
    assert.match(err.message, message);
  }
  // What passes is signed as given: the range's bounds, a prefix condition, a date.
  const form = await s3.presignPost({ ...base, contentLengthRange: [1, 10], conditions: [['starts-with', '$x-amz-meta-tag', 'a']],
    signingDate: Date.UTC(2030, 0, 2) });
  const policy = JSON.parse(Buffer.from(form.fields.policy, 'base64').toString());
  const ranged = policy.conditions.filter((c) => Array.isArray(c) && c[0] !== 'eq').map((c) => JSON.stringify(c)).sort();
  assert.deepEqual(ranged, ['["content-length-range",1,10]', '["starts-with","$x-amz-meta-tag","a"]']);
  assert.match(form.fields['x-amz-date'], /^20300102T000000Z$/);
});

test('presignPost refuses bad options before signing', async () => {
  const s3 = client();
  const cases = [
    [{ bucket: 'b-ok', key: 'k', keyPrefix: 'p/' }, /key or keyPrefix, not both/],
    [{ bucket: 'b-ok' }, /key \(or keyPrefix\) is required/],
    [{ bucket: 'b-ok', key: 'k', contentLengthRange: [10, 1] }, /min <= max/],
    [{ bucket: 'b-ok', key: 'k', contentLengthRange: [1] }, /contentLengthRange/],
    [{ bucket: 'b-ok', key: 'k', conditions: [['gt', '$size', '1']] }, /conditions/],
    [{ bucket: 'b-ok', key: 'k', fields: { policy: 'mine' } }, /signer's/],
    [{ bucket: 'b-ok', key: 'k', expiresIn: 10 ** 7 }, /expiresIn/],
    [{ bucket: 'b-ok', key: 'k', acl: 'public-read' }, /unknown option acl/],
    // A folder only: `users/4` would take in `users/42/…`, and '' every key.
    [{ bucket: 'b-ok', keyPrefix: 'users/4' }, /keyPrefix must be a folder/],
    [{ bucket: 'b-ok', keyPrefix: '' }, /keyPrefix must be a folder/],
    [{ bucket: 'b-ok', key: '' }, /key must not be empty/],
  ];
  for (const [options, message] of cases) {
    const err = await failure(s3.presignPost(options));
    assert.equal(err.kind, 'validation', JSON.stringify(options));
    assert.match(err.message, message);
  }
  const anonymous = new S3Client({ region: 'us-east-1', endpoint: garage.endpoint, credentials: 'anonymous' });
  assert.equal((await failure(anonymous.presignPost({ bucket: 'b-ok', key: 'k' }))).kind, 'credentials');
});

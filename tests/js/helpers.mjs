// Helpers shared by the package's Node tests.
import assert from 'node:assert/strict';
import { S3Error } from '../../pkg/index.node.js';

/** The S3Error a promise rejects with (fails the test if it resolves or throws anything else). */
export async function failure(promise) {
  let value;
  try {
    value = await promise;
  } catch (e) {
    assert.ok(e instanceof S3Error, `not an S3Error: ${e?.stack ?? e}`);
    assert.ok(e instanceof Error);
    return e;
  }
  assert.fail(`expected an S3Error, got ${JSON.stringify(value)}`);
}

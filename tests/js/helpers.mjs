// Helpers shared by the package's Node tests.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
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

/** A node:http server on 127.0.0.1:0 that hands each request, numbered from 0, to
 * `handler(req, res, n)`; close() also ends connections left open. */
export async function listen(handler) {
  let n = 0;
  const server = createServer((req, res) => handler(req, res, n++));
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return {
    endpoint: `http://127.0.0.1:${server.address().port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}

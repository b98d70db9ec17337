// Real S3 servers on 127.0.0.1 for the JS tests and the demo: a free port, a fresh directory,
// stopped by the caller (`await server.stop()`).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, openSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ACCESS_KEY = 'AKIALIVERYTEST0000001';
export const SECRET_KEY = 'livery/test/secret+key=0123456789abcdefghij';

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port, child, name) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    const open = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`${name} did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** kind: 's3s-fs' (verifies every signature) or 'moto' (versioning, STS). */
export async function startServer(kind) {
  const dir = mkdtempSync(join(tmpdir(), 'livery-s3-js-'));
  const port = await freePort();
  const [command, args] = kind === 's3s-fs'
    ? ['s3s-fs', ['--host', '127.0.0.1', '--port', `${port}`, '--access-key', ACCESS_KEY,
        '--secret-key', SECRET_KEY, '--domain', `localhost:${port}`, dir]]
    : ['moto_server', ['-H', '127.0.0.1', '-p', `${port}`]];
  const log = openSync(join(dir, 'server.log'), 'w');
  const child = spawn(command, args, { cwd: dir, stdio: ['ignore', log, log] });
  child.on('error', (e) => { throw new Error(`cannot start ${kind} (run make test, which installs it): ${e.message}`); });
  await waitForPort(port, child, kind);
  return {
    kind,
    port,
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill();
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', resolve)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
export const bucketName = (prefix) => `${prefix}-${process.pid}-${counter++}`;

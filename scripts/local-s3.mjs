// Real S3 servers on 127.0.0.1 for the JS tests, the demo and the benchmarks: a free port, a
// fresh directory, stopped by the caller (`await server.stop()`). Each server object carries
// the credentials it accepts (`accessKey`, `secretKey`).
import { execFile, spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, openSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const ACCESS_KEY = 'AKIALIVERYTEST0000001';
export const SECRET_KEY = 'livery/test/secret+key=0123456789abcdefghij';
// Garage only takes keys of its own shape: `GK` + 24 hex digits, and 64 hex digits.
export const GARAGE_ACCESS_KEY = 'GK1a2b3c4d5e6f7a8b9c0d1e2f';
export const GARAGE_SECRET_KEY = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Ports handed out by this process so far. */
let portsTaken = 0;

/** A free port below the kernel's ephemeral range (32768 and up on Linux), different for each
 * server this process starts (tests/common/mod.rs does the same). A port `listen(0)` handed
 * out is ephemeral: between its release and the server's bind, a server started by another
 * test file, or an outgoing connection, can take it (seen once in CI: two Garages on one RPC
 * port). */
async function freePort() {
  for (;;) {
    const port = 20_000 + ((process.pid * 37 + portsTaken++) % 12_000);
    const server = createServer();
    const free = await new Promise((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (free) {
      await new Promise((resolve) => server.close(resolve));
      return port;
    }
  }
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
    await sleep(50);
  }
}

/** Garage's config (as tests/common/mod.rs): one node on loopback, sqlite, all under `dir`. */
async function garageConfig(dir, s3Port) {
  const path = join(dir, 'garage.toml');
  const rpcPort = await freePort();
  writeFileSync(path, `metadata_dir = "${dir}/meta"
data_dir = "${dir}/data"
db_engine = "sqlite"
replication_factor = 1
rpc_bind_addr = "127.0.0.1:${rpcPort}"
rpc_public_addr = "127.0.0.1:${rpcPort}"
rpc_secret = "${'5'.repeat(64)}"
[s3_api]
s3_region = "us-east-1"
api_bind_addr = "127.0.0.1:${s3Port}"
root_domain = ".localhost"
[admin]
api_bind_addr = "127.0.0.1:${await freePort()}"
admin_token = "${'7'.repeat(32)}"
`, { mode: 0o600 }); // Garage refuses a configuration holding secrets that others can read.
  return path;
}

/** A one-node layout and the fixed test key, as `garage` commands; then waits for S3 to work. */
async function setUpGarage(config, endpoint, child) {
  const garage = (...args) => promisify(execFile)('garage', args, { env: { ...process.env, GARAGE_CONFIG_FILE: config } });
  const deadline = Date.now() + 30_000;
  let node;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`garage exited with ${child.exitCode}`);
    try {
      node = (await garage('node', 'id', '-q')).stdout;
      break;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`garage did not start: ${e.stderr ?? e.message}`);
      await sleep(100);
    }
  }
  await garage('layout', 'assign', '-z', 'dc1', '-c', '1G', node.trim().split('@')[0]);
  await garage('layout', 'apply', '--version', '1');
  await garage('key', 'import', '--yes', '-n', 'test-key', GARAGE_ACCESS_KEY, GARAGE_SECRET_KEY);
  await garage('key', 'allow', '--create-bucket', 'test-key');
  // Right after the layout is applied Garage may answer 503 for a moment: wait for a signed
  // ListBuckets to succeed, so the first real request of a caller does not fail.
  for (;;) {
    const status = await listBucketsStatus(endpoint).catch(() => 0);
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`garage S3 API still answers ${status}`);
    await sleep(50);
  }
}

/** A signed ListBuckets' status: Garage is ready once it answers 200. */
async function listBucketsStatus(endpoint) {
  const response = await signedFetch({ endpoint, accessKey: GARAGE_ACCESS_KEY, secretKey: GARAGE_SECRET_KEY }, 'GET', '/');
  await response.arrayBuffer();
  return response.status;
}

/**
 * A header-signed SigV4 request with node:crypto, for what the servers need set up that the
 * package has no operation for (a bucket's CORS rules) and for Garage's readiness probe. Kept
 * apart from the package on purpose: set-up must not depend on the code under test. `path` is
 * `/` or `/bucket`, `query` a canonical query string (`cors=`), `body` a string.
 */
async function signedFetch(server, method, path, query = '', body = '', headers = {}) {
  const url = new URL(server.endpoint);
  const date = new Date().toISOString().replace(/[-:]|\.\d{3}/g, ''); // 20240101T000000Z
  const scope = `${date.slice(0, 8)}/us-east-1/s3/aws4_request`;
  const sha256 = (data) => createHash('sha256').update(data).digest('hex');
  const all = { ...headers, host: url.host, 'x-amz-content-sha256': sha256(body), 'x-amz-date': date };
  const names = Object.keys(all).sort();
  const canonical = [method, path, query, ...names.map((n) => `${n}:${all[n]}`), '', names.join(';'), sha256(body)].join('\n');
  const hmac = (key, data) => createHmac('sha256', key).update(data).digest();
  let key = `AWS4${server.secretKey}`;
  for (const part of scope.split('/')) key = hmac(key, part);
  const signature = hmac(key, `AWS4-HMAC-SHA256\n${date}\n${scope}\n${sha256(canonical)}`).toString('hex');
  delete all.host;
  return fetch(`${server.endpoint}${path}${query ? `?${query}` : ''}`, { method, body: body || undefined, headers: {
    ...all,
    authorization: `AWS4-HMAC-SHA256 Credential=${server.accessKey}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  } });
}

/**
 * Sets a bucket's CORS rules (PutBucketCors): `rules` of `{ origins, methods, headers, expose,
 * maxAgeSeconds }`. Of the servers here only Garage honours them in preflights
 * (../shared/S3-SERVERS.md).
 */
export async function putBucketCors(server, bucket, rules) {
  const each = (tag, values = []) => values.map((v) => `<${tag}>${v}</${tag}>`).join('');
  const xml = `<CORSConfiguration>${rules.map((r) => `<CORSRule>${each('AllowedOrigin', r.origins)}${each('AllowedMethod', r.methods)}`
    + `${each('AllowedHeader', r.headers)}${each('ExposeHeader', r.expose)}${each('MaxAgeSeconds', r.maxAgeSeconds == null ? [] : [r.maxAgeSeconds])}</CORSRule>`).join('')}</CORSConfiguration>`;
  const md5 = createHash('md5').update(xml).digest('base64');
  const answer = await signedFetch(server, 'PUT', `/${bucket}`, 'cors=', xml, { 'content-md5': md5 });
  if (!answer.ok) throw new Error(`PutBucketCors on ${server.kind} answered ${answer.status}: ${await answer.text()}`);
}

/**
 * kind: 's3s-fs' (verifies every signature), 'moto' (versioning, STS) or 'garage' (a real
 * store on disk: the server for benchmarks).
 */
export async function startServer(kind) {
  if (!['s3s-fs', 'moto', 'garage'].includes(kind)) throw new Error(`unknown server kind ${kind}`);
  const dir = mkdtempSync(join(tmpdir(), 'livery-s3-js-'));
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const garage = kind === 'garage';
  const config = garage ? await garageConfig(dir, port) : undefined;
  const [command, args] = {
    's3s-fs': ['s3s-fs', ['--host', '127.0.0.1', '--port', `${port}`, '--access-key', ACCESS_KEY,
      '--secret-key', SECRET_KEY, '--domain', `localhost:${port}`, dir]],
    moto: ['moto_server', ['-H', '127.0.0.1', '-p', `${port}`]],
    garage: ['garage', ['server']],
  }[kind];
  const log = openSync(join(dir, 'server.log'), 'w');
  const env = garage ? { ...process.env, GARAGE_CONFIG_FILE: config } : process.env;
  const child = spawn(command, args, { cwd: dir, env, stdio: ['ignore', log, log] });
  child.on('error', (e) => { throw new Error(`cannot start ${kind} (run make test, which installs it): ${e.message}`); });
  // If the caller dies without stopping it (an uncaught error, a closed pipe), do not leave
  // the server running.
  const kill = () => { child.kill(); rmSync(dir, { recursive: true, force: true, maxRetries: 3 }); };
  process.once('exit', kill);
  const stop = async () => {
    process.off('exit', kill);
    child.kill();
    await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', resolve)));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, child, kind);
    if (garage) await setUpGarage(config, endpoint, child);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    kind,
    port,
    endpoint,
    accessKey: garage ? GARAGE_ACCESS_KEY : ACCESS_KEY,
    secretKey: garage ? GARAGE_SECRET_KEY : SECRET_KEY,
    stop,
  };
}

let counter = 0;
export const bucketName = (prefix) => `${prefix}-${process.pid}-${counter++}`;

// SigV4 micro-benchmarks: the signing alone, no request in the clock. livery-s3 against
// @smithy/signature-v4 (the signer inside @aws-sdk/client-s3) with two SHA-256s, and aws4fetch.
// Every signer gets the same inputs (credentials, region, URL, date). Before any timing, each
// signer's output for one probe object is sent to the server and must fetch that object's
// bytes (a signer the server refuses gets no figure), and the signatures are compared: equal
// inputs should give equal signatures, and a difference is printed as a warning.
import { Sha256 } from '@aws-crypto/sha256-js';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { AwsClient } from 'aws4fetch';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Unsupported, Wrong, check, now, ok, rounds, same, table, times } from './harness.mjs';

const REGION = 'us-east-1';
// Per signer and measure: ROUNDS timed rounds of N_SIGN / ROUNDS calls, after one more
// (uncounted) round that warms up the JIT. Keys cycle over N_KEYS so nothing is memoized.
const N_SIGN = 20_000, ROUNDS = 4, N_KEYS = 100;
const PAYLOAD_HEADER = 'x-amz-content-sha256';
// What @aws-sdk/client-s3 sends as x-amz-content-sha256 on a GET: the SHA-256 of no body.
// Given as a header to every signer, so none hashes a body and all sign the same headers.
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const version = (name) => JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, import.meta.url))).version;
const amzDate = (date) => date.toISOString().replace(/[-:]|\.\d{3}/g, ''); // 20240101T000000Z
const escape = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * The URL of an HttpRequest from smithy, built as getSignedUrl's formatUrl (@aws-sdk/core)
 * builds it: keys sorted, RFC 3986 escapes. A user of SignatureV4 wants a URL, so it is timed.
 */
function formatUrl({ protocol, hostname, port, path, query }) {
  const search = Object.keys(query).sort().map((k) => `${escape(k)}=${escape(query[k])}`).join('&');
  return `${protocol}//${hostname}${port ? `:${port}` : ''}${path}${search ? `?${search}` : ''}`;
}

/** smithy's SignatureV4 with one SHA-256 implementation (a constructor: `new sha256(secret?)`). */
function smithy(name, sha256, { credentials, endpoint, bucket }) {
  // Configured as @aws-sdk/client-s3 configures it: S3 signs the path as sent, not escaped twice.
  const signer = new SignatureV4({ credentials, region: REGION, service: 's3', sha256, uriEscapePath: false });
  const { protocol, hostname, port, host } = new URL(endpoint);
  const request = (key, payloadHash) => ({ method: 'GET', protocol, hostname, port: port ? Number(port) : undefined,
    path: `/${bucket}/${key}`, query: {}, headers: { host, [PAYLOAD_HEADER]: payloadHash } });
  // A presigned S3 URL signs UNSIGNED-PAYLOAD, which smithy reads from this header.
  // getSignedUrl moves the header into the query; kept out of the query and of the signed
  // headers instead, it leaves the canonical request that livery-s3 and aws4fetch sign, so
  // the signatures can be compared.
  const payloadHeader = new Set([PAYLOAD_HEADER]);
  return {
    name,
    sign: (key, signingDate) => signer.sign(request(key, EMPTY_SHA256), { signingDate }),
    presign: async (key, signingDate) => formatUrl(await signer.presign(request(key, 'UNSIGNED-PAYLOAD'),
      { signingDate, expiresIn: 3600, unhoistableHeaders: payloadHeader, unsignableHeaders: payloadHeader })),
  };
}

/**
 * The signers, each with `sign(key, date)` (a header-signed GET, in the shape the library
 * returns) and `presign(key, date)` (a GET URL string, valid 1 h). `livery` may be null (the
 * package not built): its row is then left out.
 */
function signers({ endpoint, accessKey, secretKey }, bucket, livery) {
  const credentials = { accessKeyId: accessKey, secretAccessKey: secretKey };
  const aws = new AwsClient({ ...credentials, service: 's3', region: REGION });
  const url = (key) => `${endpoint}/${bucket}/${key}`;
  return [
    livery && { name: 'livery-s3',
      // No public call signs headers only: livery signs inside each request. Timing a full
      // headObject instead would measure the network and the server, not the signing.
      sign: null,
      presign: (key, signingDate) => livery.presign({ method: 'GET', bucket, key, expiresIn: 3600, signingDate }) },
    // The pure-JS SHA-256: what the SDK falls back to where there is no native crypto.
    smithy('smithy + sha256-js', Sha256, { credentials, endpoint, bucket }),
    // node:crypto's createHash/createHmac: how @aws-sdk/client-s3 hashes on Node.
    smithy('smithy + node:crypto', Hash.bind(null, 'sha256'), { credentials, endpoint, bucket }),
    { name: 'aws4fetch',
      sign: (key, date) => aws.sign(url(key), { headers: { [PAYLOAD_HEADER]: EMPTY_SHA256 }, aws: { datetime: amzDate(date) } }),
      presign: async (key, date) => (await aws.sign(`${url(key)}?X-Amz-Expires=3600`,
        { aws: { signQuery: true, datetime: amzDate(date) } })).url },
  ].filter(Boolean);
}

/** fetch's arguments for a signed request: aws4fetch's is a Request, smithy's an HttpRequest, a presigned one a URL. */
function fetchArgs(signed) {
  if (typeof signed === 'string' || signed instanceof Request) return [signed];
  const { host: _, ...headers } = signed.headers; // fetch sets host itself, from the URL
  return [formatUrl(signed), { method: signed.method, headers }];
}

/** Lower-case headers of a signed request, host included (as signed). */
function headersOf(signed) {
  if (!(signed instanceof Request)) return Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { ...Object.fromEntries(signed.headers), host: new URL(signed.url).host };
}

/** The signature of a signed request or a presigned URL, and what it signed (to explain a difference). */
function signatureOf(signed) {
  if (typeof signed === 'string') {
    const params = new URL(signed).searchParams;
    return { signature: params.get('X-Amz-Signature'),
      inputs: [...params].filter(([k]) => k !== 'X-Amz-Signature').map(([k, v]) => `${k}=${v}`).sort() };
  }
  const headers = headersOf(signed);
  const auth = headers.authorization ?? '';
  const names = auth.match(/SignedHeaders=([^,]*)/)?.[1].split(';') ?? [];
  return { signature: auth.match(/Signature=([0-9a-f]+)/)?.[1],
    inputs: [auth.match(/Credential=[^,]*/)?.[0], ...names.map((n) => `${n}: ${headers[n]}`)] };
}

/** Warnings for signers whose signature differs from the first one's, with what they signed differently. */
function disagreements(signatures) {
  if (signatures.size < 2) return [];
  const [[first, reference], ...others] = [...signatures];
  const differ = others.filter(([, s]) => s.signature !== reference.signature);
  if (!differ.length) return [`signatures: all ${signatures.size} signers give the same signature for the same request and date`];
  return differ.map(([s, { signature, inputs }]) => {
    const only = (a, b) => a.filter((x) => !b.includes(x)).join(' ') || '(none)';
    return `warning: ${s.name}'s signature ${signature?.slice(0, 12)}… differs from ${first.name}'s`
      + ` ${reference.signature?.slice(0, 12)}…; signed only by ${s.name}: ${only(inputs, reference.inputs)};`
      + ` only by ${first.name}: ${only(reference.inputs, inputs)}`;
  });
}

/**
 * Signs the probe once per signer and sends it: the server must return the probe's bytes.
 * Returns the signers that failed (no figure for them) and remarks on the signatures.
 */
async function verify(all, op, probe, date) {
  const signatures = new Map();
  const failed = await rounds(all, 1, async (s) => {
    if (!s[op]) throw new Unsupported('no public call signs headers only (livery-s3 signs inside each request; '
      + 'a full headObject would time the network, not the signing)');
    const signed = await s[op](probe.key, date);
    const response = await fetch(...fetchArgs(signed));
    if (!response.ok) throw new Wrong(`the server refused the ${op} output: HTTP ${response.status} ${(await response.text()).slice(0, 150)}`);
    check(same(new Uint8Array(await response.arrayBuffer()), probe.bytes), `${op}: fetched the wrong bytes`);
    signatures.set(s, signatureOf(signed));
  });
  return { failed, remarks: disagreements(signatures) };
}

/** Calls per second of `s[op]`, signers taking turns round by round. */
async function callsPerSecond(timed, op, date) {
  const keys = Array.from({ length: N_KEYS }, (_, i) => `sigv4/object-${i}`);
  const ms = new Map(timed.map((s) => [s, 0]));
  const failed = await rounds(timed, ROUNDS + 1, async (s, r) => {
    const t = now();
    for (let i = 0; i < N_SIGN / ROUNDS; i++) await s[op](keys[i % N_KEYS], date);
    if (r > 0) ms.set(s, ms.get(s) + now() - t);
  });
  return new Map(timed.map((s) => [s, failed.get(s) ?? 1000 * N_SIGN / ms.get(s)]));
}

/** One measure (`sign` or `presign`): verified first, then timed; `{ why }` for a signer that failed. */
async function measure(all, op, probe, date) {
  const { failed, remarks } = await verify(all, op, probe, date);
  const rates = await callsPerSecond(all.filter((s) => !failed.has(s)), op, date);
  return { rate: (s) => failed.get(s) ?? rates.get(s), remarks };
}

/** An object for the signed requests to fetch: 1 KiB of random bytes, PUT with aws4fetch. */
async function putProbe({ endpoint, accessKey, secretKey }, bucket) {
  const probe = { key: 'sigv4/probe', bytes: randomBytes(1024) };
  const aws = new AwsClient({ accessKeyId: accessKey, secretAccessKey: secretKey, service: 's3', region: REGION });
  await (await ok(await aws.fetch(`${endpoint}/${bucket}/${probe.key}`, { method: 'PUT', body: probe.bytes }))).arrayBuffer();
  return probe;
}

const perSecond = (n) => (typeof n === 'number' ? n.toFixed(0) : n);
const thousands = (n) => `${(n / 1000).toFixed(1)}k/s`;

/** Measures and prints the two SigV4 tables. `livery` is an S3Client of livery-s3, or null. */
export async function sigv4(server, bucket, livery) {
  const all = signers(server, bucket, livery);
  const probe = await putProbe(server, bucket);
  // One date for every signer and call; taken now so that the server accepts the probes.
  const date = new Date(Math.floor(Date.now() / 1000) * 1000);
  const versions = `@smithy/signature-v4 ${version('@smithy/signature-v4')}, @aws-crypto/sha256-js ${version('@aws-crypto/sha256-js')},`
    + ` @smithy/hash-node ${version('@smithy/hash-node')}, aws4fetch ${version('aws4fetch')}`;

  const sign = await measure(all, 'sign', probe, date);
  table(`SigV4 header signing (a GET with host + x-amz-content-sha256 + x-amz-date, ${N_SIGN} per signer, no request sent;`
    + ` ${versions})`, ['signed/s'], all.map((s) => [s.name, perSecond(sign.rate(s))]), sign.remarks);

  const presign = await measure(all, 'presign', probe, date);
  const liveryRate = all[0]?.name === 'livery-s3' ? presign.rate(all[0]) : undefined;
  const peers = all.filter((s) => s.name !== 'livery-s3' && typeof presign.rate(s) === 'number');
  const summary = typeof liveryRate === 'number'
    ? [`presign: livery-s3 ${thousands(liveryRate)}, ${peers.map((s) => `${s.name} ${thousands(presign.rate(s))} (${times(liveryRate, presign.rate(s))})`).join(', ')}`]
    : [];
  table(`SigV4 presign (a GET URL valid 1 h, string out, ${N_SIGN} per signer; livery-s3 through s3.presign)`,
    ['URLs/s', 'livery ÷ this'], all.map((s) => [s.name, perSecond(presign.rate(s)), times(liveryRate, presign.rate(s))]),
    [...presign.remarks, ...summary]);
}

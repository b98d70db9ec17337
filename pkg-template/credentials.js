// Temporary credentials for the wasm signer (src/js/credentials.rs): the user's async function
// or STS web identity, cached here until shortly before they expire, with one refresh at a
// time (a shared promise): 100 calls at expiry cause one refresh. src/credentials/cache.rs is
// the same cache for Rust callers; in JS a promise does its job in a few hundred bytes.
import { readStsAnswer } from '#wasm';
import { invalid } from './errors.js';
import { nested, TEXT } from './options.js';
import { timer } from './transport.js';
import { fromTape } from './tape.js';

/** After a failed refresh while the old credentials still work, the next try waits this long. */
const RETRY_FAILED_REFRESH_MS = 10_000;
/** One call to STS may take this long. */
const STS_TIMEOUT_MS = 15_000;
/** A credentials function (or token function) that has not settled by then fails: one that
 * never does must not hold every call behind it forever. */
const FETCH_TIMEOUT_MS = 60_000;
const KEYS = ['accessKeyId', 'secretAccessKey', 'sessionToken'];
const WEB_IDENTITY_OPTIONS = ['roleArn', 'token', 'roleSessionName', 'durationSeconds', 'stsEndpoint'];

// What a failed refresh rejects with, for wasm to type (src/transport/fetch.rs, `failure`).
const failed = (message, refusal) => ({ kind: 'credentials', message, ...refusal });

/** The `credentials` option as wasm takes it (src/js/credentials.rs): "anonymous" as it is,
 * static keys as `[accessKeyId, secretAccessKey, sessionToken]`, a function or
 * `{ webIdentity }` as a cached function resolving to
 * `[accessKeyId, secretAccessKey, sessionToken, expirationMs]`. */
export function credentialsOption(credentials, region, transport, refreshWindowMs) {
  if (refreshWindowMs !== undefined && typeof credentials !== 'function' && credentials?.webIdentity === undefined) {
    throw invalid('refreshCredentialsMs is for credentials that expire: a function or webIdentity');
  }
  const cached = (fetchKeys) => cache(fetchKeys, refreshWindowMs ?? 300_000);
  if (typeof credentials === 'function') {
    return cached(async () => {
      let c;
      try {
        c = await credentials();
      } catch (e) {
        throw failed(`credentials() failed: ${e?.message ?? e}`);
      }
      const expiration = c?.expiration == null ? undefined : new Date(c.expiration).getTime();
      if (Number.isNaN(expiration)) throw failed('credentials().expiration must be a Date, date string or milliseconds');
      return [c?.accessKeyId, c?.secretAccessKey, c?.sessionToken, expiration];
    });
  }
  // None (wasm says how to give them) or "anonymous" as they are.
  if (credentials == null || credentials === 'anonymous') return credentials ?? undefined;
  if (credentials.webIdentity === undefined) {
    // The key id and secret are required; the session token is not.
    return nested(credentials, 'credentials', (read) => KEYS.map((name, i) => read(name, TEXT, i < 2)));
  }
  const w = credentials.webIdentity ?? {};
  if (Object.keys(credentials).length > 1) throw invalid('credentials with webIdentity takes nothing else');
  for (const name of Object.keys(w)) {
    if (!WEB_IDENTITY_OPTIONS.includes(name)) throw invalid(`webIdentity.${name} is not an option`);
  }
  if (!(typeof w.roleArn === 'string' && w.roleArn.startsWith('arn:'))) {
    throw invalid('webIdentity.roleArn must be a role ARN (arn:aws:iam::…:role/…)');
  }
  if (!['string', 'function'].includes(typeof w.token)) {
    throw invalid('webIdentity.token must be a string or an async function');
  }
  if (w.roleSessionName != null && !/^[\w+=,.@-]{2,64}$/.test(w.roleSessionName)) {
    throw invalid('webIdentity.roleSessionName must be 2 to 64 letters, digits or _+=,.@-');
  }
  const seconds = w.durationSeconds;
  if (seconds != null && !(Number.isInteger(seconds) && seconds >= 900 && seconds <= 43200)) {
    throw invalid('webIdentity.durationSeconds must be 900 to 43200');
  }
  if (w.stsEndpoint != null && !/^https?:\/\/[^/?#@\\\s]+\/?$/i.test(w.stsEndpoint)) {
    throw invalid('webIdentity.stsEndpoint must be scheme://host[:port]');
  }
  const url = w.stsEndpoint?.replace(/\/?$/, '/')
    ?? `https://sts.${region}.amazonaws.com${String(region).startsWith('cn-') ? '.cn' : ''}/`;
  return cached(() => assumeRoleWithWebIdentity(w, url, transport));
}

/** STS AssumeRoleWithWebIdentity: an unsigned form POST (no CORS preflight in a browser) through
 * the client's transport, its answer read by wasm's XML reader. A refusal keeps STS's code,
 * status and request id. */
async function assumeRoleWithWebIdentity(w, url, transport) {
  let token = w.token;
  try {
    if (typeof token === 'function') token = await token();
  } catch (e) {
    throw failed(`webIdentity.token() failed: ${e?.message ?? e}`);
  }
  if (typeof token !== 'string' || !token.trim()) throw failed('webIdentity.token gave no token');
  const form = new URLSearchParams({
    Action: 'AssumeRoleWithWebIdentity',
    Version: '2011-06-15',
    RoleArn: w.roleArn,
    RoleSessionName: w.roleSessionName ?? `livery-s3-${Math.random().toString(16).slice(2)}`,
    WebIdentityToken: token.trim(),
  });
  if (w.durationSeconds) form.set('DurationSeconds', w.durationSeconds);
  let answer, text;
  try {
    answer = await transport.send('POST', url, 'content-type:application/x-www-form-urlencoded', `${form}`,
      undefined, STS_TIMEOUT_MS);
    text = new TextDecoder().decode(await transport.read(answer, 65536));
  } catch (e) {
    throw failed(`web identity: STS at ${url} failed: ${e?.message}`);
  }
  const { credentials: c, error, requestId } = fromTape(readStsAnswer(text));
  if (answer.status > 299 || !(c?.accessKeyId && c.secretAccessKey && c.sessionToken && c.expiration)) {
    throw failed(error?.message || 'the answer holds no credentials', {
      code: error?.code || (answer.status > 299 ? `HTTP${answer.status}` : 'InvalidResponse'),
      status: answer.status,
      requestId: requestId || /^x-amzn-requestid:(.*)$/m.exec(answer.headers)?.[1],
    });
  }
  // Counted from the answer's own Date: a local clock that is off (a browser's, by hours) must
  // not make fresh credentials look expired, or last past their end.
  const serverNow = Date.parse(/^date:(.*)$/m.exec(answer.headers)?.[1]);
  const expiration = c.expiration.getTime();
  return [c.accessKeyId, c.secretAccessKey, c.sessionToken,
    serverNow > 0 ? Date.now() + expiration - serverNow : expiration];
}

/** Text a header can carry as it is (what wasm checks before signing). */
const visible = (text) => typeof text === 'string' && /^[!-~]+$/.test(text);

/** `fetchKeys` behind the cache, refreshing `windowMs` before expiry (at half the keys' life
 * when that is shorter). `get()` gives the keys; `get(accessKeyId)` drops them if they
 * are those (S3 called them expired), so the next `get()` fetches new ones. */
function cache(fetchKeys, windowMs) {
  let keys, expiresAt, refreshAt, pending;
  let quietUntil = 0;
  return (stale) => {
    if (stale !== undefined) {
      if (keys?.[0] === stale) keys = undefined;
      return;
    }
    const now = Date.now();
    // Keys without an expiration never expire (NaN comparisons are false).
    if (keys && !(now >= expiresAt) && (!(now >= refreshAt) || pending || now < quietUntil)) return keys;
    if (pending) return pending;
    let limit;
    const late = new Promise((_, reject) => {
      limit = timer(() => reject(failed('the credentials did not arrive within 60 s')), FETCH_TIMEOUT_MS);
    });
    return pending = Promise.race([fetchKeys(), late]).finally(() => clearTimeout(limit)).then((fresh) => {
      // Unusable keys fail like the source did: still-valid old ones are kept.
      if (!visible(fresh[0]) || typeof fresh[1] !== 'string' || !fresh[1] || !(fresh[2] == null || visible(fresh[2]))) {
        throw failed('credentials() must give accessKeyId and secretAccessKey (and any sessionToken) as strings without spaces');
      }
      if (fresh[3] <= Date.now()) {
        throw failed(`the credentials provider gave credentials that expired at ${new Date(fresh[3]).toISOString()}`);
      }
      return fresh;
    }).then((fresh) => {
      const left = fresh[3] - Date.now();
      [keys, expiresAt, refreshAt] = [fresh, fresh[3], fresh[3] - Math.min(windowMs, left / 2)];
      return keys;
    }, (e) => {
      // Still-valid keys outlive a failed refresh; the next try waits a little. Whatever
      // failed, wasm must see a credentials failure (not a network one, which it would retry).
      if (!(keys && Date.now() < expiresAt)) throw e?.kind === 'credentials' ? e : failed(`the credentials could not be obtained: ${e?.message ?? e}`);
      quietUntil = Date.now() + RETRY_FAILED_REFRESH_MS;
      return keys;
    }).finally(() => {
      pending = undefined;
    });
  };
}

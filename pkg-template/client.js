// The public JS API: S3Client and S3Error over the wasm core. Only glue lives here: every
// request is built, signed, sent and read in wasm through one type-erased `call`, and the
// method list and each operation's fields come from the operation declarations the wasm
// holds.
import { WasmS3Client, Checksum, resume, operationInputs } from '#wasm';
import { fromTape } from './tape.js';
import { fetchTransport, releases, timer } from './transport.js';
import { credentialsOption } from './credentials.js';
import { S3Error, toS3Error, invalid, aborted as abortedBy } from './errors.js';
import { upload, abortIncompleteUploads, checksumField } from './upload.js';
import { checkedBody, ALGORITHMS } from './checksum.js';
import { optionsReader, readFields, nested, ANY, TEXT, WHOLE, BOOL } from './options.js';

export { S3Error };

/** Every operation's input fields as `readFields` (options.js) takes them, from the
 * declarations the wasm holds (src/operations/js_inputs.rs, `operationInputs` in its exports). */
let INPUTS = {};
/** Makes an operation a method of S3Client (set in its static block, which can reach `#call`). */
let defineMethod;

/** Called by each entry once its wasm is instantiated: every operation becomes a method. */
export function useDeclarations() {
  INPUTS = JSON.parse(operationInputs());
  for (const name in INPUTS) defineMethod(name);
}

/** What wasm says of a call made without the digests its JS body needs (src/body.rs,
 * `JsBody::digest`): `#send` then hashes the body and makes the call again. */
const NO_DIGESTS = 'no digest of the body was given with the call';

/**
 * The digests of a request body that S3 checks (`MD5` for `contentMd5`, a `checksum`'s
 * algorithm), base64 by algorithm, computed here where the body lives, in one pass: a MiB at a
 * time through wasm's hashers, a Blob by `slice` (never read whole), a buffer through views, a
 * string encoded once. A ReadableStream (or anything else) is not read: wasm refuses the call.
 */
async function digests(body, algorithms) {
  if (typeof body === 'string') body = new TextEncoder().encode(body);
  const blob = typeof Blob === 'function' && body instanceof Blob;
  if (!algorithms.length || !(blob || body instanceof ArrayBuffer || ArrayBuffer.isView(body))) return {};
  const sums = algorithms.map((algorithm) => new Checksum(algorithm));
  const size = blob ? body.size : body.byteLength;
  for (let at = 0; at < size; at += 2 ** 20) {
    const end = Math.min(at + 2 ** 20, size);
    let piece;
    try {
      piece = blob ? new Uint8Array(await body.slice(at, end).arrayBuffer())
        : new Uint8Array(body.buffer ?? body, (body.byteOffset ?? 0) + at, end - at);
    } catch (e) {
      throw invalid(`reading the body failed: ${e?.message ?? e}`);
    }
    for (const sum of sums) sum.update(piece);
  }
  return Object.fromEntries(algorithms.map((algorithm, i) => [algorithm, sums[i].finish()]));
}

/**
 * Runs a wasm task (src/js/task.rs): each time it waits on a promise it hands the promise
 * back, and its outcome resumes it; once done it returns its result (never a promise) or
 * throws its error (still in wasm's array shape). The first step runs now, so a request is on
 * its way (or a presign done) when this returns.
 */
function run(task) {
  const step = (value, ok) => {
    const next = resume(task, value, ok);
    return typeof next?.then === 'function' ? next.then((v) => step(v, true), (e) => step(e, false)) : next;
  };
  try {
    return Promise.resolve(step(undefined, true));
  } catch (e) {
    // A task that ends in its first step throws its error here (a validation error, or the
    // missing digests `#send` waits for); any step may also meet a bug that throws.
    return Promise.reject(unreadable(e));
  }
}

/** A result from its tape. A checksum the answer did not show (a browser's CORS rules may
 * hide `x-amz-checksum-*`) is the one sent, which S3 checked the body against: a multipart
 * completion must name each part's. */
function parse(tape, sums) {
  const result = fromTape(tape);
  for (const algorithm in sums) if (algorithm !== 'MD5') result[checksumField(algorithm)] ??= sums[algorithm];
  return result;
}

/**
 * The object body as one stream. A read that brings nothing for `idleMs` fails with a `timeout`
 * S3Error (DESIGN: "no bytes for this long = timeout"). A read that fails otherwise than by the
 * caller's abort (the connection cut, a stall, an answer shorter than its Content-Length)
 * continues with a ranged GET of the rest, pinned with If-Match to the first answer's ETag, up
 * to `resumes` times: the reader sees one uninterrupted stream, or an S3Error. Reads pass
 * through one at a time (no read-ahead); cancelling cancels the download.
 */
function objectBody(first, result, idleMs, resumes, fetchRest) {
  let body = first;
  let reader = first.getReader();
  let received = 0;
  let cancelled = false;
  // Each answer's attempt is let go of once its body is done with (transport.js).
  const release = () => releases.get(body)?.();
  // Where this answer's bytes sit in the object: from its Content-Range, or all of it.
  const span = /^bytes (\d+)-(\d+)\//.exec(result.contentRange ?? '');
  const start = span ? +span[1] : 0;
  // fetch decodes a stored Content-Encoding (gzip): the bytes read are not the bytes stored, so
  // they are neither checked against Content-Length nor resumed from. Nor is a weak ETag
  // (`W/"…"`) resumed from: If-Match never matches one.
  const decoded = !!result.contentEncoding && result.contentEncoding !== 'identity';
  if (decoded || result.etag?.startsWith('W/')) resumes = 0;
  const read = () => {
    if (!(idleMs > 0)) return reader.read();
    let idle;
    const stalled = new Promise((_, fail) => {
      idle = timer(() => fail(new S3Error({ kind: 'timeout', code: 'TimeoutError', retryable: true,
        attempts: 1, message: `timed out: no bytes of the object's body for ${idleMs} ms` })), idleMs);
    });
    return Promise.race([reader.read(), stalled]).finally(() => clearTimeout(idle));
  };
  return new ReadableStream({
    async pull(controller) {
      for (;;) {
        let failure;
        try {
          const { done, value } = await read();
          if (cancelled) return;
          if (!done) {
            received += value.length;
            return controller.enqueue(value);
          }
          release();
          if (decoded || !(received < result.contentLength)) return controller.close();
          failure = new Error(`the answer ended after ${received} of ${result.contentLength} bytes`);
        } catch (e) {
          if (cancelled) return;
          failure = e;
        }
        reader.cancel(failure).catch(() => {});
        release();
        const aborted = failure?.name === 'AbortError' || failure?.kind === 'aborted';
        if (aborted || resumes-- <= 0 || !result.etag || (result.contentRange && !span)) {
          return controller.error(failure instanceof S3Error ? failure : aborted ? abortedBy(1, `aborted: ${failure?.message}`)
            : new S3Error({ kind: 'network', code: 'NetworkError', retryable: true, attempts: 1,
              message: `network error: the object's body was cut off: ${failure?.message ?? failure}` }));
        }
        try {
          // An answer that runs past the first answer's last byte is refused.
          body = await fetchRest({ start: start + received, end: span ? +span[2] : undefined }, result.etag,
            span ? +span[2] : result.contentLength - 1);
        } catch (e) {
          return controller.error(toS3Error(e));
        }
        reader = body.getReader();
        // Cancelled while the rest was asked for: it is let go of too.
        if (cancelled) return reader.cancel().then(release, release);
      }
    },
    cancel: (reason) => {
      cancelled = true;
      release();
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}

/** Adds the Response-style helpers to a streamed object body. */
function withBody(result, body) {
  const read = () => new Response(body);
  result.body = body;
  result.text = () => read().text();
  result.arrayBuffer = () => read().arrayBuffer();
  result.bytes = async () => new Uint8Array(await read().arrayBuffer());
  return result;
}

const rethrow = (e) => {
  throw toS3Error(e);
};

/** presignPost's option reader (presign-post.js), which the server entries hand over with
 * `presignPostWith`: the browser build signs no POST policy and downloads no reader for one.
 * The entries call it themselves: package.json declares side effects in them only, so a
 * bundler drops a module that would register itself on import. */
let postArguments;
export function presignPostWith(reader) {
  postArguments = reader;
}

/** The object operation each method presigns (`presign({ method })`). */
const PRESIGNED_BY_METHOD = { GET: 'getObject', PUT: 'putObject', HEAD: 'headObject', DELETE: 'deleteObject' };
/** `presign`'s own options, besides its operation's (as wasm's `presign` takes them). */
const PRESIGN_FIELDS = [['expiresIn', 'i'], ['headers', 'm'], ['signingDate', 'd']];

const closed = () => invalid('this S3Client was closed');

/** What reading the caller's options threw: our own errors as they are, a wasm trap (a bug,
 * never the caller's fault) as it is, and anything else (a getter or a proxy that throws) a
 * validation error. */
const unreadable = (e) => {
  const error = toS3Error(e);
  return error instanceof S3Error || error instanceof WebAssembly.RuntimeError ? error
    : invalid(`the options could not be read: ${e?.message ?? e}`);
};

/** The client's options read and checked, as wasm's constructor takes them: its settings
 * (src/js/mod.rs, `WasmClient::build`: reading them there cost 1.6 KiB of the browser
 * download), its credentials (credentials.js) and its transport (transport.js). What needs the
 * whole configuration (a region's name, an endpoint's URL, retry delays that fit together) is
 * checked by wasm. */
function clientArguments(options) {
  const read = optionsReader(options);
  const region = read('region', TEXT);
  if (region === undefined) throw invalid('region is required');
  const addressing = read('addressing', TEXT) ?? 'path';
  if (addressing !== 'path' && addressing !== 'virtual') throw invalid(`addressing "${addressing}" is not "path" or "virtual"`);
  const endpoint = read('endpoint', TEXT);
  const endpoints = read('endpoints', (v) => (Array.isArray(v) && v.length && [...v].every((url) => !TEXT(url)) ? ''
    : 'an array of one or more URLs'));
  if (endpoint !== undefined && endpoints) throw invalid('give endpoint or endpoints, not both');
  const numbers = (object, path, names) => nested(object, path, (r) => names.map((name) => r(name, WHOLE)));
  const retry = read('retry', ANY);
  const retrySettings = numbers(retry === false ? { maxAttempts: 1 } : retry ?? {}, 'retry',
    ['maxAttempts', 'baseDelayMs', 'maxDelayMs']);
  const breaker = read('circuitBreaker', ANY);
  const breakerSettings = numbers(breaker ?? {}, 'circuitBreaker', ['failureThreshold', 'resetAfterMs']);
  const transport = fetchTransport(read('fetch', (v) => (typeof v === 'function' ? '' : 'a function')),
    read('maxConcurrency', (v) => (Number.isSafeInteger(v) && v > 0 ? '' : 'a whole number of 1 or more')));
  // The endpoints as checked (spread), whatever the array's own iterator or indices hold.
  const settings = [region, endpoints ? [...endpoints] : endpoint === undefined ? [] : [endpoint], addressing === 'virtual',
    read('timeoutMs', WHOLE), ...retrySettings, read('followRegionRedirects', BOOL) ?? true, breaker !== undefined,
    ...breakerSettings];
  const credentials = credentialsOption(read('credentials', ANY), region, transport, read('refreshCredentialsMs', WHOLE));
  read.rest();
  return [settings, credentials, transport];
}

export class S3Client {
  #wasm;
  #idleMs;

  constructor(options) {
    try {
      this.#wasm = new WasmS3Client(...clientArguments(options));
    } catch (e) {
      throw unreadable(e);
    }
    // The client's own timeout (its default included), 0 for none.
    this.#idleMs = this.#wasm.timeoutMs;
  }

  async #call(name, options) {
    // A getObject's body may be resumed and checked later from its options: they are read once,
    // here, as the reader reads them (own enumerable properties), and a getter is not asked again.
    if (name === 'getObject' && options && typeof options === 'object' && !Array.isArray(options)) {
      try {
        options = Object.fromEntries(Object.entries(options));
      } catch (e) {
        throw unreadable(e);
      }
    }
    const [answer, sums] = await this.#send(name, options);
    const result = parse(answer, sums);
    if (!answer[2]) return result;
    // The rest of a cut-off body: the same GET, from the next byte, of the same object. An
    // answer that does not start there (a server ignoring Range sends the whole object) would
    // repeat bytes: it is refused.
    const fetchRest = async (range, ifMatch, last) => {
      const [answer] = await this.#send(name, { ...options, range, ifMatch });
      const stream = answer[2];
      // To the first answer's last byte, when it told its length.
      const to = Number.isFinite(last) ? `${last}/` : '';
      if (fromTape(answer).contentRange?.startsWith(`bytes ${range.start}-${to}`)) return stream;
      stream.cancel().catch(() => {});
      throw new S3Error({ kind: 'network', code: 'NetworkError', retryable: true, attempts: 1,
        message: `network error: the object's body was cut off, and the server did not resume it from byte ${range.start}` });
    };
    // A part (partNumber) cannot be asked for by range: it is not resumed.
    const resumes = options?.partNumber == null ? this.#wasm.maxAttempts - 1 : 0;
    return withBody(result, checkedBody(objectBody(answer[2], result, this.#idleMs, resumes, fetchRest), result, options));
  }

  async #send(name, options) {
    if (!this.#wasm) throw closed();
    let values, signal, body, algorithms;
    try {
      options ??= {};
      const read = optionsReader(options);
      // An AbortSignal, or anything that behaves like one (a polyfill's).
      signal = read('signal', (v) => ('aborted' in Object(v) && typeof v.addEventListener === 'function' ? ''
        : 'an AbortSignal'));
      values = readFields(INPUTS[name], read, true);
      read.rest();
      // Only what wasm would act on: a misspelt algorithm is refused there, unread. The values
      // as read (a getter is not asked again).
      const checksum = read.value('checksum');
      algorithms = [read.value('contentMd5') === true && 'MD5', ALGORITHMS.includes(checksum) && checksum].filter(Boolean);
      body = read.value('body');
    } catch (e) {
      throw unreadable(e);
    }
    try {
      let sums;
      if (algorithms.length) {
        // A body is hashed only for a call that passes the checks made before sending (names,
        // numbers, lengths, headers): made without the digests, the call stops where it would
        // need them, before any request (a 5 GiB Blob given with `partNumber: 0` is not read at
        // all). A call whose body needs no digest from JS (none given) is simply sent.
        try {
          return [await run(this.#wasm.call(name, values, signal, undefined))];
        } catch (e) {
          const error = toS3Error(e);
          if (error?.kind !== 'validation' || error.message !== `invalid input: ${NO_DIGESTS}`) throw e;
        }
        sums = await digests(body, algorithms);
        // The client may have been closed while the body was read.
        if (!this.#wasm) throw closed();
      }
      return [await run(this.#wasm.call(name, values, signal, sums)), sums];
    } catch (e) {
      throw toS3Error(e);
    }
  }

  static {
    defineMethod = (name) => {
      this.prototype[name] = function (options) { return this.#call(name, options); };
    };
  }

  presign(options) {
    let args;
    try {
      const read = optionsReader(options ?? {});
      const method = read('method', TEXT);
      let operation = read('operation', TEXT);
      if (method !== undefined && operation !== undefined) throw invalid('presign takes method or operation, not both');
      if (operation === undefined) {
        const upper = (method ?? 'GET').toUpperCase();
        operation = PRESIGNED_BY_METHOD[upper];
        if (!operation) {
          throw invalid(upper === 'POST' ? 'a POST is presigned by naming its operation'
            : `method "${method}" is not GET, PUT, HEAD, DELETE or POST`);
        }
      }
      if (!Object.hasOwn(INPUTS, operation)) throw invalid(`no operation ${operation}`);
      args = [operation, readFields(INPUTS[operation], read), ...readFields(PRESIGN_FIELDS, read)];
      read.rest();
    } catch (e) {
      return Promise.reject(unreadable(e));
    }
    return this.#sign('presign', args);
  }

  /** A presigned POST form, `{ url, fields }`: only the server build (Node, Deno, Workers) has it. */
  presignPost(options) {
    let args;
    try {
      args = postArguments?.(options);
    } catch (e) {
      return Promise.reject(unreadable(e));
    }
    return this.#sign('presignPost', [args]).then(JSON.parse);
  }

  // Not an async function: a presign settles at once, and each extra await is a tick.
  #sign(name, args) {
    if (!this.#wasm) return Promise.reject(closed());
    if (!this.#wasm[name]) return Promise.reject(invalid(`${name} signs on servers; the browser build leaves it out`));
    return run(this.#wasm[name](...args)).catch(rethrow);
  }

  /** The managed upload: one PUT when small, parallel parts otherwise (upload.js). */
  upload(options) {
    return upload(this, options);
  }

  /** Aborts the multipart uploads under `prefix` started `olderThan` ms ago or earlier. */
  abortIncompleteUploads(options) {
    return abortIncompleteUploads(this, options);
  }

  /** Every object, page by page (each page is one ListObjectsV2 call, made as you iterate). */
  async *listObjectsAll(options) {
    let continuationToken = options?.continuationToken;
    for (;;) {
      const page = await this.listObjects({ ...options, continuationToken });
      yield* page.contents ?? [];
      if (!page.isTruncated) return;
      continuationToken = page.nextContinuationToken;
      if (!continuationToken) {
        throw new S3Error({ kind: 'service', code: 'InvalidResponse', status: 200, retryable: false,
          message: 'a truncated listing page has no NextContinuationToken' });
      }
    }
  }

  /** Frees the client's wasm memory now (the garbage collector does it otherwise, where the
   * runtime has a FinalizationRegistry). Later calls fail with a validation error. */
  close() {
    this.#wasm?.free();
    this.#wasm = undefined;
  }

  [Symbol.dispose ?? Symbol.for('Symbol.dispose')]() {
    this.close();
  }
}

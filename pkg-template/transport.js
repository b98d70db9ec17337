// The wasm client's HTTP transport: fetch, driven from wasm (src/transport/fetch.rs) through
// three calls. It lives in JS because every fetch, AbortController, timer and stream call made
// from wasm costs glue on both sides; here it is a few hundred bytes.
//
// Each attempt has its own AbortController: the caller's AbortSignal and the attempt's
// deadline both abort it, and which one fired decides whether the failure is `aborted` or
// `timeout`. Failures reject with `{ kind, message }` for wasm to type.

let noStore = false;

/** Makes every fetch skip the HTTP cache (`cache: "no-store"`): signed GETs of one key share a
 * URL, so a browser's cache would answer a read after a write with the old object. Only the
 * browser entry point calls it (workerd refuses the option on older compatibility dates). */
export function bypassHttpCache() {
  noStore = true;
}

const fail = (kind, message) => Promise.reject({ kind, message });
/** setTimeout fires at once for 2^31 ms or more: a longer wait is as good as forever. */
export const timer = (run, ms) => setTimeout(run, Math.min(ms, 2 ** 31 - 1));
/** How to let go of a streamed answer's attempt (its deadline and the caller's signal), by
 * its body: client.js calls it once the body has ended, failed or been cancelled. */
export const releases = new WeakMap();
const NOT_A_RESPONSE = new TypeError('fetch resolved to something that is not a Response');
/** Why a wait (for a retry, or a turn under maxConcurrency) ended early. */
const waitAborted = { kind: 'aborted', message: 'the signal was aborted while the call waited' };

/** How this runtime's fetch sends a ReadableStream body with the Content-Length S3 needs, as
 * its entry point says: Node's as it is (given the header), Workers' through a
 * FixedLengthStream. Unset where it cannot: browsers stream request bodies only over HTTP/2
 * and without a length, Deno only chunked (../shared/TOOLCHAIN.md). */
let withLength;
export function streamBodiesWith(wrap) {
  withLength = wrap;
}

/** Browsers report a CORS refusal as a bare network error, on purpose: for a request to
 * another origin from a page or worker it is by far the likeliest cause. */
function crossOriginInBrowser(url) {
  const inBrowser = typeof document === 'object' || typeof importScripts === 'function';
  const origin = globalThis.location?.origin;
  return inBrowser && !(origin && url.startsWith(origin + '/'));
}

class Attempt {
  constructor(signal, timeoutMs) {
    this.controller = new AbortController();
    this.signal = signal ?? undefined;
    if (this.signal) {
      // `abort()` without the event: the listener's argument must not become the reason.
      this.forward = () => this.controller.abort();
      this.signal.addEventListener('abort', this.forward);
      // Aborted while the call waited for its turn: no event will come.
      if (this.signal.aborted) this.forward();
    }
    this.ms = timeoutMs;
    this.arm();
  }

  /** (Re)starts the deadline: for the answer's head, then for each piece of its body. */
  arm() {
    clearTimeout(this.timer);
    if (this.ms > 0) {
      const reason = new Error(`no bytes within ${this.ms} ms`);
      reason.name = 'TimeoutError';
      this.timer = timer(() => this.controller.abort(reason), this.ms);
    }
  }

  /** Stops the deadline and unlinks the caller's signal. */
  end() {
    clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this.forward);
  }

  /** Classifies a rejected fetch (`url` given) or body read: the caller's abort, the
   * deadline, or the network (connection refused, DNS, TLS, a cut body, CORS). */
  failed(e, url) {
    this.end();
    const text = `${e?.message ?? 'fetch failed'}${e?.cause?.message ? ` (${e.cause.message})` : ''}`;
    if (this.signal?.aborted) return fail('aborted', text);
    if (this.controller.signal.aborted || e?.name === 'TimeoutError') return fail('timeout', text);
    if (e?.name === 'AbortError') return fail('aborted', text);
    if (!url) return fail('network', `the answer's body was cut off: ${text}`);
    if (crossOriginInBrowser(url)) {
      return fail('cors', `${text}: no readable answer from ${url} (it may have reached the server). In a browser `
        + 'this is most often CORS: the bucket\'s rules must allow this origin, method and headers, and expose ETag');
    }
    return fail('network', text);
  }
}

/** A transport over `fetch` (the caller's, or `globalThis.fetch` looked up at each call, so a
 * polyfill or test double installed later is used). Responses are read by duck typing:
 * undici's, a polyfill's or a test double's work too.
 *
 * With `maxConcurrency`, at most that many requests are in flight, each until its answer's
 * status and headers arrive; the others wait in arrival order, and the caller's signal takes
 * a waiting one out of the queue (src/layers/limit.rs is the same cap for Rust callers). */
export function fetchTransport(fetch, maxConcurrency = Infinity) {
  let inFlight = 0;
  const waiting = [];
  // A free slot is taken at once (no promise, no wait on the common path); a full queue waits.
  const turn = (signal) => (inFlight < maxConcurrency ? void inFlight++ : new Promise((resolve, reject) => {
    const leave = () => {
      waiting.splice(waiting.indexOf(go), 1);
      reject(waitAborted);
    };
    const go = () => resolve(signal?.removeEventListener('abort', leave));
    waiting.push(go);
    signal?.addEventListener('abort', leave, { once: true });
  }));
  const done = () => (waiting.length ? waiting.shift()() : inFlight--);
  return {
    streamsBodies: !!withLength,
    /** Sends one request (its headers as `name:value` lines); resolves to
     * `{ status, headers: "name:value\n…", response, attempt }`. */
    async send(method, url, headerLines, body, signal, timeoutMs) {
      if (signal?.aborted) return fail('aborted', 'the signal was aborted before the request was sent');
      const send = fetch ?? globalThis.fetch;
      if (typeof send !== 'function') return fail('network', 'globalThis.fetch is not available; pass the `fetch` option');
      const headers = {};
      for (const line of headerLines.split('\n')) {
        const at = line.indexOf(':');
        if (at > 0) headers[line.slice(0, at)] = line.slice(at + 1);
      }
      const queued = turn(signal);
      if (queued) await queued;
      const attempt = new Attempt(signal, timeoutMs);
      let response, lines = '';
      // Everything that can throw once the turn is taken is inside: a body that cannot be sent
      // (a locked stream) or an answer that cannot be read must still give the turn back.
      try {
        // redirect "manual": a redirect would replay the signed request (session token and body
        // included) to whatever host the answer names; the 3xx comes back to the client instead.
        const init = { method, headers, redirect: 'manual', signal: attempt.controller.signal };
        if (noStore) init.cache = 'no-store';
        if (body !== undefined) {
          // Deno sends an empty Blob without Content-Length (S3 answers 411); empty bytes have one.
          init.body = body.size === 0 ? new Uint8Array(0) : body;
          if (body instanceof ReadableStream) {
            // Node refuses a streamed request body without it.
            init.duplex = 'half';
            init.body = withLength(body, +headers['content-length']);
          }
        }
        // Node's fetch copies a buffer body twice when given (url, init) and once when given a
        // Request made from them (a 64 MiB PUT: +128 MiB resident against +64 MiB). Only for
        // the global fetch: a caller's function gets the (url, init) it may inspect.
        const buffer = body instanceof ArrayBuffer || ArrayBuffer.isView(body);
        response = await (!fetch && buffer && typeof Request === 'function'
          ? send(new Request(url, init)) : send(url, init));
        if (!response || typeof response !== 'object') throw NOT_A_RESPONSE;
        for (const [name, value] of response.headers ?? []) lines += `${name}:${value}\n`;
      } catch (e) {
        Promise.resolve(response?.body?.cancel?.()).catch(() => {});
        // The caller's fetch answered wrongly: no network failure, and no CORS advice.
        if (e === NOT_A_RESPONSE) {
          attempt.end();
          return fail('network', e.message);
        }
        return attempt.failed(e, url);
      } finally {
        done();
      }
      if (response.type === 'opaqueredirect') {
        // Browsers hide a manual redirect's status and headers.
        attempt.end();
        return fail('redirect', 'a redirect, not followed: it would send the signed request elsewhere');
      }
      return { status: response.status | 0, headers: lines, response, attempt };
    },

    /** Up to `limit` bytes of the body and one more if there are more (the rest is cancelled);
     * each piece must come within the deadline (S3 may send spaces for minutes before a long
     * CopyObject's document). */
    async read(answer, limit) {
      const { response, attempt } = answer;
      const chunks = [];
      let size = 0, reader;
      try {
        reader = response.body?.getReader();
        while (reader && size <= limit) {
          const { done, value } = await reader.read();
          if (done) break;
          chunks.push(value);
          size += value.length;
          attempt.arm();
        }
      } catch (e) {
        return attempt.failed(e);
      }
      if (size > limit) reader.cancel().catch(() => {});
      attempt.end();
      const bytes = new Uint8Array(Math.min(size, limit + 1));
      let at = 0;
      for (const chunk of chunks) {
        const part = chunk.subarray(0, bytes.length - at);
        bytes.set(part, at);
        at += part.length;
      }
      return bytes;
    },

    /** Waits `ms` before a retry; the caller's signal ends the wait (`aborted`). */
    sleep(ms, signal) {
      return new Promise((resolve, reject) => {
        const stop = () => {
          clearTimeout(wait);
          reject(waitAborted);
        };
        const wait = timer(() => {
          signal?.removeEventListener('abort', stop);
          resolve();
        }, ms);
        if (signal?.aborted) stop();
        else signal?.addEventListener('abort', stop, { once: true });
      });
    },

    /** The body as a stream, for the caller to read. The deadline stops (a download takes as
     * long as it takes; client.js watches each read); the caller's signal still aborts it
     * until client.js lets go of the attempt (`releases`). */
    stream(answer) {
      const { attempt, response } = answer;
      clearTimeout(attempt.timer);
      const body = response.body ?? new Response(new Uint8Array(0)).body;
      releases.set(body, () => attempt.end());
      return body;
    },
  };
}

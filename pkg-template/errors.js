// S3Error, the one error the package throws, and the shapes it is made from.

/** Every failure of an operation: `.kind` says what went wrong, `.code` is S3's error code. */
export class S3Error extends Error {
  constructor(info) {
    super(info.message);
    this.name = 'S3Error';
    this.kind = info.kind;
    this.code = info.code;
    this.status = info.status;
    this.requestId = info.requestId;
    this.region = info.region;
    this.retryable = !!info.retryable;
    this.attempts = info.attempts ?? 0;
  }

  // The main entry and livery-s3/presigned-parts each bundle this class: either one's
  // `instanceof` knows the other's errors.
  static [Symbol.hasInstance](error) {
    return error instanceof Error && error.name === 'S3Error';
  }
}

// wasm rejects with an S3Error's fields in an array (js/convert.rs); anything else passes.
export const toS3Error = (e) => {
  if (!Array.isArray(e)) return e;
  const [message, kind, code, retryable, attempts, status, requestId, region] = e;
  return new S3Error({ message, kind, code, retryable, attempts, status, requestId, region });
};

/** A call or upload ended by its signal (`attempts`: the tries of the request it stopped, if any). */
export const aborted = (attempts, message = 'the upload was aborted') => new S3Error({ kind: 'aborted', code: 'AbortError',
  attempts, message });

/** Bad input, refused before any request. */
export const invalid = (why) => new S3Error({ kind: 'validation', code: 'ValidationError', message: `invalid input: ${why}` });

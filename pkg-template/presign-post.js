// presignPost's options, read and checked in JS as every other option is (options.js); wasm
// takes plain values (src/js/post.rs). Only the server entries (Node, Deno, Workers) load this:
// only their wasm signs POST policies, and a browser downloads none of it.
import { invalid } from './errors.js';
import { optionsReader, readFields, TEXT, WHOLE, ANY } from './options.js';

const CONDITIONS = 'conditions must be [["eq" or "starts-with", "$field", text], …]';
/** The options read as every operation's are (`readFields`): a map as [name, value] pairs, a
 * date as milliseconds or text. */
const FIELDS = [['bucket', 't', 1], ['expiresIn', 'i'], ['fields', 'm'], ['signingDate', 'd']];

/** `exact` given as it is, or `prefix` as a `starts-with` match: `[text, isPrefix]`; not both. */
function oneOf(read, exact, prefix) {
  const [text, start] = [read(exact, TEXT), read(prefix, TEXT)];
  if (text !== undefined && start !== undefined) throw invalid(`give ${exact} or ${prefix}, not both`);
  return [text ?? start, start !== undefined];
}

/** The options as wasm's `presignPost` takes them: `[bucket, key, keyIsPrefix, expiresIn,
 * [min, max], contentType, contentTypeIsPrefix, fields as [name, value] pairs, conditions as
 * [field, text, isPrefix], signingDate (milliseconds or text)]`, `undefined` where not given. */
export function postArguments(options) {
  const read = optionsReader(options ?? {});
  const [bucket, expiresIn, fields = [], signingDate] = readFields(FIELDS, read);
  const key = oneOf(read, 'key', 'keyPrefix');
  const contentType = oneOf(read, 'contentType', 'contentTypePrefix');
  const range = read('contentLengthRange', ANY);
  const conditions = read('conditions', ANY) ?? [];
  read.rest();
  if (key[0] === undefined) throw invalid('key (or keyPrefix) is required');
  // Read once, into a copy: wasm reads the numbers that were checked.
  const bounds = Array.isArray(range) ? Array.from(range) : [];
  if (range !== undefined && !(bounds.length === 2 && bounds.every((n) => !WHOLE(n)))) {
    throw invalid('contentLengthRange must be [min, max] in bytes');
  }
  if (!Array.isArray(conditions)) throw invalid(CONDITIONS);
  // `Array.from`, not `map`: a hole is an item too, and refused.
  return [bucket, ...key, expiresIn, range === undefined ? undefined : bounds, ...contentType, fields, Array.from(conditions, condition), signingDate];
}

/** A condition in the policy's own form, `["eq" | "starts-with", "$field", text]`. */
function condition(item) {
  const [op, field, text] = Array.isArray(item) && item.length === 3 ? item : [];
  if (!['eq', 'starts-with'].includes(op) || typeof field !== 'string' || !field.startsWith('$') || TEXT(text) || TEXT(field)) {
    throw invalid(CONDITIONS);
  }
  return [field.slice(1), text, op === 'starts-with'];
}

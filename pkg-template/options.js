// Reading the caller's option objects in JS: wasm gets plain values (see client.js).
import { invalid } from './errors.js';

// What an option must be: each check gives what was expected when a value is not that.
export const TEXT = (v) => (typeof v !== 'string' ? 'a string' : /\p{Cs}/u.test(v) ? 'text without lone UTF-16 surrogates' : '');
export const WHOLE = (v) => (Number.isSafeInteger(v) && v >= 0 ? '' : 'a whole number of 0 or more');
export const BOOL = (v) => (typeof v === 'boolean' ? '' : 'true or false');
/** Any value: checked where it is used. */
export const ANY = () => '';

/** A reader of an options object's own enumerable properties (read once): `read(name, check,
 * required)` gives an option's value, `undefined` when absent (`undefined` or `null`), or
 * throws a validation error naming it and where it is; `read.rest()` then refuses any option
 * that was not read (one the client would not act on is never ignored), and after that a
 * required one that was absent. */
export function optionsReader(options, path = 'options') {
  const within = path === 'options' ? '' : ` (in ${path})`;
  if (typeof options !== 'object' || !options || Array.isArray(options)) throw invalid(`${path} must be an object`);
  // The entries and their names side by side, not a Map and a Set: this runs for every call
  // and presign, and a few names are found faster by a scan than by building a hash table.
  const entries = Object.entries(options);
  const names = entries.map((entry) => entry[0]);
  const unread = names.slice();
  let missing;
  const read = (name, check, required) => {
    const at = names.indexOf(name);
    let value;
    if (at >= 0) {
      value = entries[at][1] ?? undefined;
      unread[at] = undefined;
    }
    if (value === undefined && required) missing ??= name;
    const expected = value === undefined ? '' : check(value);
    if (expected) throw invalid(`${name} must be ${expected}${within}`);
    return value;
  };
  /** An option's value as read, without checking it. */
  read.value = (name) => entries[names.indexOf(name)]?.[1];
  read.rest = () => {
    for (const [at, name] of unread.entries()) {
      if (name !== undefined && entries[at][1] !== undefined) throw invalid(`unknown option ${name}${within}`);
    }
    if (missing) throw invalid(`${missing} is required${within}`);
  };
  return read;
}

/** What each type of input field must be (the letters of the wasm's table of input fields,
 * src/operations/js_inputs.rs). */
const CHECKS = {
  t: TEXT,
  i: WHOLE,
  b: BOOL,
  d: (v) => (typeof v === 'string' || Number.isFinite(v instanceof Date ? v.getTime() : v) ? ''
    : 'a valid Date, date string or number of milliseconds'),
  m: (v) => (typeof v === 'object' && !Array.isArray(v) ? '' : 'an object'),
  r: (v) => (typeof v === 'string' || (typeof v === 'object' && !Array.isArray(v)) ? '' : 'an object'),
  B: ANY,
  R: ANY,
  L: (v) => (Array.isArray(v) ? '' : 'an array'),
};

/** The fields of an object read into the form wasm's reader takes (src/js/values.rs,
 * `from_js`): an array in declaration order, `undefined` where absent; a flat group (`F`, read
 * from the same object; `undefined` when none of it is given) or a record as a nested array, a list as an array of them, a map as
 * `[name, value]` pairs, a range as `"bytes=…"` or `[start, end, suffix]`, a date as
 * milliseconds or a date string; `call` for a call's options rather than a presign's. The
 * types are checked here; wasm checks the rest (a date
 * string's form and a date's range, a range's parts, a body's kind, and the declarations'
 * checks: part numbers, page sizes, …). */
export function readFields(fields, read, call) {
  // Indexing, not destructuring: this runs for every declared field of every call.
  return fields.map((field) => {
    const name = field[0], type = field[1], required = field[2], inner = field[3];
    if (type === 'F') {
      // A group given none of its fields is one absent value: wasm reads one item, not each.
      const group = readFields(inner, read, call);
      return group.every((value) => value === undefined) ? undefined : group;
    }
    const value = read(name, CHECKS[type], required);
    // A list given as null is an empty one, and so is one not given to a call, which sends its
    // body (the lists that make one must have items: wasm refuses an empty one). A presigned
    // URL's user sends the body: presigning leaves it out.
    if (value === undefined) return type === 'L' && (call || read.value(name) === null) ? [] : value;
    if (type === 'd') return value instanceof Date ? value.getTime() : value;
    if (type === 'm') {
      return Object.entries(value).map(([key, text]) => {
        if (TEXT(text)) throw invalid(`${key} must be ${TEXT(text)} (in ${name})`);
        return [key, text];
      });
    }
    if (type === 'r' && typeof value === 'object') return nested(value, name, (r) => ['start', 'end', 'suffix'].map((n) => r(n, WHOLE)));
    if (type === 'R') return nested(value, name, (r) => readFields(inner, r, call));
    // `Array.from`, not `map`: a hole is an item too (`undefined`, refused as not an object).
    if (type === 'L') return Array.from(value, (item, i) => nested(item, `${name}[${i}]`, (r) => readFields(inner, r, call)));
    return value;
  });
}

/** An object read with `readAll(read)`; then anything it holds that was not read is refused. */
export function nested(object, path, readAll) {
  const read = optionsReader(object, path);
  const values = readAll(read);
  read.rest();
  return values;
}

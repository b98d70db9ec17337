// Reading the caller's option objects in JS: wasm gets plain values (see client.js).
import { invalid } from './errors.js';

// What an option must be: each check gives what was expected when a value is not that.
export const TEXT = (v) => (typeof v !== 'string' ? 'a string' : /\p{Cs}/u.test(v) ? 'text without lone UTF-16 surrogates' : '');
export const WHOLE = (v) => (Number.isSafeInteger(v) && v >= 0 ? '' : 'a whole number of 0 or more');
export const BOOL = (v) => (typeof v === 'boolean' ? '' : 'true or false');
/** Any value: checked where it is used. */
export const ANY = () => '';

/** A reader of an options object: `read(name, check)` gives an option's value, `undefined`
 * when absent, or throws a validation error naming it and where it is; `read.rest()` then
 * refuses any option that was not read (one the client would not act on is never ignored). */
export function optionsReader(options, path = 'options') {
  const within = path === 'options' ? '' : ` (in ${path})`;
  if (typeof options !== 'object' || !options || Array.isArray(options)) throw invalid(`${path} must be an object`);
  const known = [];
  const read = (name, check) => {
    known.push(name);
    const value = options[name] ?? undefined;
    const expected = value === undefined ? '' : check(value);
    if (expected) throw invalid(`${name} must be ${expected}${within}`);
    return value;
  };
  read.rest = () => {
    for (const [name, value] of Object.entries(options)) {
      if (value !== undefined && !known.includes(name)) throw invalid(`unknown option ${name}${within}`);
    }
  };
  return read;
}

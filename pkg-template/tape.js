// Results out of wasm, built here from its description of them.

/**
 * A result from wasm's description of it (src/js/values.rs, `Tape`): `text`, its strings one
 * after another, and the bytes of f64s saying what to build: a record is members up to a -1, a
 * member `id * 8 + tag` (a new id brings its name's length), then by tag: 0 text (its length),
 * 1 a number, 2 a date, 3 false, 4 true, 5 a record, 6 a list of records (its length first),
 * 7 a map (its length, then each name's and text's length).
 */
export function fromTape([text, bytes]) {
  const ops = new Float64Array(bytes.buffer);
  const names = [];
  let o = 0;
  let t = 0;
  const string = () => text.slice(t, t += ops[o++]);
  const record = () => {
    const result = {};
    for (let head; (head = ops[o++]) >= 0;) {
      if (head >> 3 === names.length) names.push(string());
      const name = names[head >> 3];
      switch (head & 7) {
        case 0: result[name] = string(); break;
        case 1: result[name] = ops[o++]; break;
        case 2: result[name] = new Date(ops[o++]); break;
        case 5: result[name] = record(); break;
        case 6: {
          const list = result[name] = [];
          for (let n = ops[o++]; n--;) list.push(record());
          break;
        }
        case 7: {
          // As own properties, `__proto__` too (an assignment would set the prototype).
          const pairs = [];
          for (let n = ops[o++]; n--;) pairs.push([string(), string()]);
          result[name] = Object.fromEntries(pairs);
          break;
        }
        default: result[name] = head % 8 > 3;
      }
    }
    return result;
  };
  return record();
}

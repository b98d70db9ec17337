// Renames wasm-bindgen's glue to match a wasm whose import and export names wasm-opt minified
// (`--minify-imports-and-exports-and-modules`, which prints the mapping as JSON). The names
// wasm-bindgen generates carry 16-hex-digit hashes and appear in both files; short names save
// about 3 KiB gzip of the browser download.
//   node scripts/minify-wasm-names.mjs <mapping.json> <glue.js>
import { readFileSync, writeFileSync } from "node:fs";

const [mappingPath, gluePath] = process.argv.slice(2);
const mapping = JSON.parse(readFileSync(mappingPath, "utf8"));
let glue = readFileSync(gluePath, "utf8");

const modules = new Set(mapping.imports.map(([module]) => module));
if (modules.size !== 1) throw new Error(`expected one import module, found ${[...modules]}`);
const [module] = modules;
// wasm-opt renames the only module to "a".
const replace = (pattern, to) => {
  const before = glue;
  glue = glue.replace(pattern, to);
  if (glue === before) throw new Error(`the glue does not mention ${pattern}`);
};
replace(JSON.stringify(module) + ":", '"a":');
for (const [, from, to] of mapping.imports) replace(new RegExp(`\\b${from}(?=:)`, "g"), JSON.stringify(to));
for (const [from, to] of mapping.exports) {
  // Exports the glue never calls (the abort hooks) need no renaming.
  if (glue.includes(`wasm.${from}`)) replace(new RegExp(`\\bwasm\\.${from}\\b`, "g"), `wasm[${JSON.stringify(to)}]`);
}
for (const [, from] of mapping.imports) {
  if (glue.includes(from)) throw new Error(`the glue still mentions ${from}`);
}
// Every entry calls `initSync({ module })`: the deprecated positional form, and the warning
// that goes with it, need not be downloaded.
replace(/if \(Object\.getPrototypeOf\(module\) === Object\.prototype\) \{\s*\(\{module\} = module\)\s*\} else \{\s*console\.warn\('[^']*'\)\s*\}/,
  '({module} = module);');
// `instanceof` of a global every supported runtime has (ArrayBuffer, Blob, Date,
// ReadableStream, Uint8Array) cannot throw: the try/catch around each is dead weight.
replace(/let result;\s*try \{\s*result = (arg0 instanceof (?:ArrayBuffer|Blob|Date|ReadableStream|Uint8Array));\s*\} catch \(_\) \{\s*result = false;\s*\}\s*const ret = result;\s*return ret;/g,
  'return $1;');
// TextEncoder.encodeInto is in every supported runtime (browsers since 2020, Node 12, Deno,
// workerd): its fallback is never used.
replace(/if \(!\('encodeInto' in cachedTextEncoder\)\) \{\s*cachedTextEncoder\.encodeInto = function \(arg, view\) \{[^}]*\{[^}]*\};\s*\};\s*\}/, '');
writeFileSync(gluePath, glue);

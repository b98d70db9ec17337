// Frees the functions that only the wasm's function table keeps alive and no call can reach.
//   node scripts/drop-uncallable-table-entries.mjs <wasm> [wasm-opt feature flags…]
//
// wasm-bindgen's descriptors put an invoker per closure signature of js-sys into the table
// (and two of its adapters), whether or not the crate ever makes such a closure; it makes none.
// The table is not exported and only `call_indirect` reads it, so an entry whose signature no
// `call_indirect` in code reachable from the exports uses can never be called. Each such entry
// is pointed at an entry that can (its slot keeps its index), and wasm-opt, run next, removes
// what only those entries referenced: 127 bytes gzip of the browser's wasm (README, Size).
// Anything else reading the table (an export, `table.get`, `ref.func`, a second element
// segment), or a call in a form the script does not read, stops the build rather than being
// guessed at.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [wasm, ...features] = process.argv.slice(2);
const tools = join(import.meta.dirname, '..', 'node_modules', '.bin');
const dir = mkdtempSync(join(tmpdir(), 'livery-table-'));
const fail = (why) => {
  rmSync(dir, { recursive: true });
  console.error(`drop-uncallable-table-entries: ${why}`);
  process.exit(1);
};

// Without the names section every function and type is `$<number>` in the text.
execFileSync(join(tools, 'wasm-opt'), [...features, '--strip-debug', wasm, '-o', join(dir, 'in.wasm')]);
let text = execFileSync(join(tools, 'wasm-dis'), [join(dir, 'in.wasm')], { maxBuffer: 1 << 28 }).toString();

const tables = [...text.matchAll(/^ \(table (\$\d+) \d+(?: \d+)? funcref\)$/gm)].map((m) => m[1]);
if (tables.length !== 1) fail(`expected one function table, found ${tables.length}`);
const table = tables[0];
const segments = [...text.matchAll(/^ \(elem .*$/gm)];
if (segments.length !== 1) fail(`expected one element segment, found ${segments.length}`);
const readsTable = new RegExp(`\\(export "[^"]*" \\(table \\${table}\\)\\)|\\(table\\.\\w+ \\${table}\\b|\\bref\\.func\\b|\\bcall_ref\\b`);
if (readsTable.test(text)) fail(`the function table ${table} is read by more than call_indirect`);

// A signature as `params -> results`, from a type or from a function's header.
const signature = (header) => {
  const of = (kind) => [...header.matchAll(new RegExp(`\\(${kind} ([^()]*)\\)`, 'g'))]
    .flatMap((m) => m[1].split(' ').filter((word) => word && !word.startsWith('$')));
  return `${of('param').join(' ')} -> ${of('result').join(' ')}`;
};
const types = new Map([...text.matchAll(/^ \(type (\$\d+) \(func(.*)\)\)$/gm)].map((m) => [m[1], signature(m[2])]));
// Each function: its signature, the functions it calls and the signatures it calls indirectly.
const functions = new Map();
for (const m of text.matchAll(/^ \(import "[^"]*" "[^"]*" \(func (\$[\w$]+)(.*)$/gm)) {
  functions.set(m[1], { signature: signature(m[2]), calls: [], indirect: [] });
}
const bodies = text.split(/^(?= \(func )/m).slice(1);
for (const body of bodies) {
  const [, name, header] = /^ \(func (\$[\w$]+)(.*)$/m.exec(body);
  functions.set(name, {
    signature: signature(header),
    calls: [...body.matchAll(/\((?:return_)?call (\$[\w$]+)/g)].map((m) => m[1]),
    indirect: [...body.matchAll(/\((?:return_)?call_indirect (?:\$\d+ )?\(type (\$\d+)\)/g)].map((m) => types.get(m[1])),
  });
}
// Every call and function export of the text must have been read: one missed would leave
// entries it can reach taken for uncallable.
const count = (pattern) => (text.match(pattern) ?? []).length;
const read = [...functions.values()];
if (count(/\((?:return_)?call_indirect\b/g) !== read.reduce((n, f) => n + f.indirect.length, 0)
  || count(/\((?:return_)?call\b(?!_)/g) !== read.reduce((n, f) => n + f.calls.length, 0)
  || read.some((f) => f.indirect.includes(undefined))) {
  fail('a call or call_indirect is not of the form this script reads');
}
const [segment] = segments;
const parsed = /^( \(elem \$\d+ (?:\(table (\$\d+)\) )?\(i32\.const \d+\) func )([^()]*)\)$/.exec(segment[0]);
if (!parsed || (parsed[2] ?? table) !== table) fail('the element segment is not of the form this script reads');
const entries = parsed[3].split(' ');
for (const name of entries) if (!functions.has(name)) fail(`table entry ${name} is no function of the module`);

// What can run: from the exports and the start function, every function called directly, and
// every table entry whose signature a call_indirect in what can run uses, until nothing new.
const live = new Set([...text.matchAll(/^ \((?:export "[^"]*" \(func|start) (\$[\w$]+)\)/gm)].map((m) => m[1]));
if (live.size !== count(/^ \((?:export "[^"]*" \(func|start) /gm)) fail('an export is not of the form this script reads');
const callable = new Set();
for (let grew = true; grew; ) {
  grew = false;
  for (const name of [...live]) {
    const { calls, indirect } = functions.get(name);
    for (const callee of calls) if (!live.has(callee)) live.add(callee), (grew = true);
    for (const called of indirect) if (!callable.has(called)) callable.add(called), (grew = true);
  }
  for (const name of entries) {
    if (!live.has(name) && callable.has(functions.get(name).signature)) live.add(name), (grew = true);
  }
}
if (callable.size === 0) fail('no call_indirect found: the text form is not what this script reads');
const isCallable = (name) => callable.has(functions.get(name).signature);
const standIn = entries.find(isCallable);
if (!standIn) fail('no table entry can be called: nothing to point the others at');
const kept = entries.map((name) => (isCallable(name) ? name : standIn));
const dropped = entries.filter((name, at) => kept[at] !== name).length;
text = text.replace(segment[0], `${parsed[1]}${kept.join(' ')})`);
writeFileSync(join(dir, 'out.wat'), text);
execFileSync(join(tools, 'wasm-as'), [...features, join(dir, 'out.wat'), '-o', wasm]);
rmSync(dir, { recursive: true });
console.log(`    ${dropped} of ${entries.length} table entries cannot be called; pointed at one that can`);

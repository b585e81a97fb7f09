import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

/**
 * The rooms of src/ (DESIGN.md, issue #11): which top-level folder may import which. Dependencies
 * point one way: core ← kernels ← io ← features/metrics/learn ← evaluate/drift/tune ←
 * operators/pipeline ← cli/tui/serve. synth (seeded generators) sits beside io: core only; so
 * does registry (model versions on disk), which operators' loadPipeline reads.
 * A new top-level folder fails the test until it is placed here.
 */
const BELOW_EVALUATE = ['core', 'kernels', 'io', 'features', 'metrics', 'learn'];
const BELOW_OPERATORS = ['core', 'kernels', 'io', 'synth', 'registry', 'features', 'metrics', 'learn', 'evaluate', 'drift', 'trees', 'tune'];
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  core: [],
  kernels: ['core'],
  io: ['core'],
  synth: ['core'],
  registry: ['core'],
  features: ['core', 'kernels', 'io'],
  metrics: ['core', 'kernels', 'io'],
  learn: ['core', 'kernels', 'io'],
  evaluate: BELOW_EVALUATE,
  drift: BELOW_EVALUATE,
  // Trees take ADWIN from drift (the Hoeffding Adaptive Tree and the ARF watch errors per node and per tree).
  trees: [...BELOW_EVALUATE, 'drift'],
  // A race is scored as the test-then-train engine scores (labeled rows only); offline search reuses its k-fold.
  tune: [...BELOW_EVALUATE, 'evaluate'],
  operators: BELOW_OPERATORS,
  pipeline: [...BELOW_OPERATORS, 'operators'],
  tui: [...BELOW_OPERATORS, 'operators', 'pipeline'],
  serve: [...BELOW_OPERATORS, 'operators', 'pipeline'],
  cli: [...BELOW_OPERATORS, 'operators', 'pipeline', 'tui', 'serve'],
  '(root)': [...BELOW_OPERATORS, 'operators', 'pipeline', 'tui', 'serve', 'cli'],
};

/** The rooms of pure logic: rxjs belongs to core's plumbing, operators, pipeline, cli and tui. */
const NO_RXJS = ['io', 'features', 'metrics', 'learn', 'evaluate', 'kernels', 'drift', 'trees', 'tune'];

const src = resolve(import.meta.dirname, '../src');

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? walk(p) : /\.tsx?$/.test(name) ? [p] : [];
    });
}

interface Import {
  file: string;
  line: number;
  spec: string;
}

/** Static imports and re-exports (multi-line ones too), side-effect imports and dynamic imports. */
const IMPORT = /\b(?:import|export)\s[^;'"`]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): Import[] {
  // Comments may quote code (`import { fromCsv } from 'sluice'`); blank them, keeping line breaks.
  const text = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/^\s*\/\/.*$/gm, '');
  return [...text.matchAll(IMPORT)].map((m) => ({
    file: relative(src, file).split(sep).join('/'),
    line: text.slice(0, m.index).split('\n').length,
    spec: (m[1] ?? m[2] ?? m[3])!,
  }));
}

/** 'io' for src/io/csv/CsvParser.ts, '(root)' for src/index.ts. */
const folderOf = (rel: string) => (rel.includes('/') ? rel.slice(0, rel.indexOf('/')) : '(root)');

const files = walk(src);
const imports = files.flatMap(importsOf);
/** Relative imports that leave their top-level folder, resolved against src/. */
const crossings = imports
  .filter((i) => i.spec.startsWith('.'))
  .flatMap((i) => {
    const target = relative(src, resolve(src, dirname(i.file), i.spec))
      .split(sep)
      .join('/');
    const from = folderOf(i.file),
      to = folderOf(target);
    return from === to ? [] : [{ ...i, from, to, target }];
  });
const where = (i: Import) => `src/${i.file}:${i.line} imports '${i.spec}'`;

test('the scan sees the imports it checks (operators import rxjs; cli imports the pipeline builder)', () => {
  assert.ok(files.length > 100, `${files.length} files under src/`);
  assert.ok(imports.some((i) => i.spec === 'rxjs' && folderOf(i.file) === 'operators'));
  assert.ok(crossings.some((c) => c.from === 'cli' && c.to === 'pipeline'));
  assert.ok(crossings.some((c) => c.file === 'io/csv/CsvParser.ts' && c.target === 'core/index.js'));
});

test('io, features, metrics, learn, evaluate, kernels (and drift, tune) do not import rxjs', () => {
  const bad = imports.filter((i) => NO_RXJS.includes(folderOf(i.file)) && /^rxjs(\/|$)/.test(i.spec));
  assert.equal(bad.map(where), []);
});

test("a relative import that leaves its folder ends at that folder's index.js (no deep imports)", () => {
  const bad = crossings.filter((c) => c.target.startsWith('..') || c.target !== `${c.to}/index.js`);
  assert.equal(bad.map(where), []);
});

test('every top-level folder of src/ is in the layering table, and imports only the folders it allows', () => {
  const folders = readdirSync(src).filter((n) => statSync(join(src, n)).isDirectory());
  assert.equal(
    folders.filter((f) => !(f in ALLOWED)),
    [],
    'folders missing from ALLOWED in test/layout.test.ts',
  );
  const bad = crossings.filter((c) => !(ALLOWED[c.from] ?? []).includes(c.to));
  assert.equal(
    bad.map((c) => `${where(c)}: ${c.from} may not import ${c.to}`),
    [],
  );
});

test('the layering table points one way (no cycle), core at the bottom', () => {
  assert.equal(ALLOWED.core, []);
  const state = new Map<string, 'open' | 'done'>();
  const visit = (f: string, path: string[]): void => {
    if (state.get(f) === 'done') return;
    assert.is.not(state.get(f), 'open', `cycle: ${[...path, f].join(' -> ')}`);
    state.set(f, 'open');
    for (const d of ALLOWED[f] ?? []) visit(d, [...path, f]);
    state.set(f, 'done');
  };
  for (const f of Object.keys(ALLOWED)) visit(f, []);
});

test.run();

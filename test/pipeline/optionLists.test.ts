import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../../src/cli/index.js';
import { DATETIME_PARTS, DatetimeParts, IMPUTE_STRATEGIES, Impute } from '../../src/features/index.js';
import { BACKEND_CHOICES, OPTIMIZER_KINDS } from '../../src/kernels/index.js';
import { createModel, LEARN_OPTIMIZERS, MODEL_KINDS, type ModelKind, type ModelOptions, resolveModelOptions } from '../../src/learn/index.js';
import { type KeySpec, SPEC_KEYS, STEP_KEYS, validateSpec } from '../../src/pipeline/index.js';

// Each check asks both sides about the same candidates: every value either side lists, plus
// near misses. A value one side takes and the other refuses fails the check, in either direction.
// validateSpec also runs the modules' own checks, so each test also holds the values the key table
// offers (and docs/spec.md lists) to the module.

const dir = mkdtempSync(join(tmpdir(), 'sluice-options-'));
const csv = join(dir, 'tiny.csv');
// flag (boolean) for the binary kinds, amount (number) for linear, cls (3 categories) for softmax.
writeFileSync(
  csv,
  'x1,x2,flag,amount,cls\n' +
    Array.from({ length: 60 }, (_, i) => {
      const a = ((i * 37) % 60) / 60,
        b = ((i * 11) % 60) / 60;
      return `${a},${b},${a + b > 1},${2 * a - b},${'abc'[Math.floor(a * 3)]}`;
    }).join('\n') +
    '\n',
);
const TARGET: Record<ModelKind, string> = {
  linear: 'amount',
  logistic: 'flag',
  softmax: 'cls',
  svm: 'flag',
  passiveAggressive: 'flag',
  mlp: 'flag',
  // The tree kinds take every task: one of each.
  hoeffding: 'flag',
  hat: 'amount',
  arf: 'cls',
  forest: 'flag',
};

const enumOf = (k: KeySpec | undefined): readonly string[] => (k?.type === 'string' ? (k.enum ?? []) : k?.type === 'list' ? enumOf(k.items) : []);
const modelKey = SPEC_KEYS.keys.model!;
const specKinds = modelKey.type === 'variant' ? Object.keys(modelKey.variants) : [];
const specOption = (kind: string, key: string): KeySpec | undefined => {
  const v = modelKey.type === 'variant' ? modelKey.variants[kind] : undefined;
  return v?.type === 'object' ? v.keys[key] : undefined;
};
const union = (...lists: ReadonlyArray<readonly string[]>): string[] => [...new Set(lists.flat())];

const specAccepts = (raw: Record<string, unknown>): string[] => validateSpec({ source: { csv: 'a.csv' }, target: 'y', ...raw }).map((e) => e.message);
const moduleAccepts = (f: () => unknown): boolean => {
  try {
    f();
    return true;
  } catch {
    return false;
  }
};
/** A softmax needs its class count, which a run learns from the data. */
const withClasses = (kind: string): Partial<ModelOptions> => (kind === 'softmax' ? { classes: 3 } : {});

async function train(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [],
    err: string[] = [];
  const code = await runCli(['train', csv, '--backend', 'cpu', '--no-tui', '--quiet', ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('every model kind learn lists is a spec model, and createModel builds it; the spec offers no other', async () => {
  for (const kind of union(MODEL_KINDS, specKinds, ['tree', 'passive-aggressive', 'Logistic'])) {
    const inLearn = moduleAccepts(() => resolveModelOptions({ kind: kind as ModelKind, ...withClasses(kind) }));
    assert.is(specAccepts({ model: kind }).length === 0, inLearn, `model: ${kind}: ${specAccepts({ model: kind }).join('; ')}`);
    assert.is(specAccepts({ model: { [kind]: {} } }).length === 0, inLearn, `model: { ${kind}: {} }`);
    if (!inLearn) continue;
    const m = await createModel({ kind: kind as ModelKind, ...withClasses(kind), backend: 'cpu' });
    assert.is(m.kind, kind);
    await m.dispose();
  }
  assert.ok(MODEL_KINDS.includes('passiveAggressive'));
});

test('sluice train --model takes every kind createModel builds and trains it; others are refused at the flag', async () => {
  for (const kind of MODEL_KINDS) {
    const save = join(dir, `model-${kind}`);
    const r = await train(['--target', TARGET[kind], '--model', kind, '--save', save, '--json']);
    assert.is(r.code, 0, `--model ${kind}: ${r.err}`);
    assert.is(JSON.parse(r.out).rows.trained, 60);
    assert.is(JSON.parse(readFileSync(join(save, 'pipeline.json'), 'utf8')).model.kind, kind);
  }
  const r = await train(['--target', 'flag', '--model', 'tree']);
  assert.is(r.code, 2);
  assert.match(r.err, /--model: expected one of linear\|logistic\|softmax\|svm\|passiveAggressive\|mlp\|hoeffding\|hat\|arf\|forest, got "tree"/);
});

test('the optimizers a model takes are those the spec and --optimizer take, kind by kind', async () => {
  const bogus = ['lbfgs', 'Adam', 'adamw'];
  for (const kind of MODEL_KINDS) {
    for (const optimizer of union(LEARN_OPTIMIZERS, OPTIMIZER_KINDS, enumOf(specOption(kind, 'optimizer')), bogus)) {
      const inLearn = moduleAccepts(() => resolveModelOptions({ kind, optimizer: optimizer as ModelOptions['optimizer'], ...withClasses(kind) }));
      const problems = specAccepts({ model: { [kind]: { optimizer } } });
      assert.is(problems.length === 0, inLearn, `model.${kind}.optimizer: ${optimizer}: ${problems.join('; ')}`);
    }
    for (const optimizer of enumOf(specOption(kind, 'optimizer'))) {
      assert.ok(
        MODEL_KINDS.some((k) => moduleAccepts(() => resolveModelOptions({ kind: k, optimizer: optimizer as ModelOptions['optimizer'], ...withClasses(k) }))),
        `the spec offers optimizer ${optimizer}, no model takes it`,
      );
    }
  }
  // The flag, up to the data: an unknown --target is found in the first batch, after every flag
  // and the spec were accepted, and before any model is built.
  for (const kind of ['logistic', 'softmax', 'passiveAggressive'] as const) {
    for (const optimizer of union(LEARN_OPTIMIZERS, bogus)) {
      const inLearn = moduleAccepts(() => resolveModelOptions({ kind, optimizer: optimizer as ModelOptions['optimizer'], ...withClasses(kind) }));
      const r = await train(['--target', 'nope', '--model', kind, '--optimizer', optimizer]);
      assert.is(r.code, 2, r.err);
      assert.is(/unknown column "nope"/.test(r.err), inLearn, `--model ${kind} --optimizer ${optimizer}: ${r.err.split('\n')[0]}`);
    }
  }
});

test('the backends a model takes are those the spec and --backend take', async () => {
  const offered = enumOf(SPEC_KEYS.keys.training?.type === 'object' ? SPEC_KEYS.keys.training.keys.backend : undefined);
  for (const backend of offered)
    assert.ok(
      moduleAccepts(() => resolveModelOptions({ kind: 'logistic', backend: backend as ModelOptions['backend'] })),
      `the spec offers backend ${backend}`,
    );
  for (const backend of union(BACKEND_CHOICES, offered, ['tpu', 'GPU', 'wasm'])) {
    const inLearn = moduleAccepts(() => resolveModelOptions({ kind: 'logistic', backend: backend as ModelOptions['backend'] }));
    assert.is(specAccepts({ model: 'logistic', training: { backend } }).length === 0, inLearn, `training.backend: ${backend}`);
    const out: string[] = [],
      err: string[] = [];
    // `--backend` alone, up to the data (no backend is created for an unknown target).
    await runCli(['train', csv, '--target', 'nope', '--backend', backend, '--no-tui', '--quiet'], { out: (l) => out.push(l), err: (l) => err.push(l) });
    assert.is(/unknown column "nope"/.test(err.join('\n')), inLearn, `--backend ${backend}: ${err[0]}`);
  }
});

test('the impute strategies Impute takes are those the spec takes, per column and for a list', () => {
  const spec = STEP_KEYS.impute!.keys;
  const column = spec.columns?.type === 'union' ? spec.columns.variants.find((v) => v.type === 'map') : undefined;
  const perColumnKey = column?.type === 'map' && column.values.type === 'union' ? column.values.variants : [];
  const offered = union(enumOf(spec.strategy), ...perColumnKey.map((v) => (v.type === 'object' ? enumOf(v.keys.strategy) : enumOf(v))));
  assert.ok(offered.length >= IMPUTE_STRATEGIES.length);
  for (const strategy of offered)
    assert.ok(
      moduleAccepts(() => new Impute({ columns: { x: { strategy: strategy as 'mean', value: 0 } } })),
      `the spec offers strategy ${strategy}`,
    );
  for (const strategy of union(IMPUTE_STRATEGIES, offered, ['avg', 'zero', 'Mean', 'ffill'])) {
    const inModule = moduleAccepts(() => new Impute({ columns: { x: { strategy: strategy as 'mean', value: 0 } } }));
    const perColumn = specAccepts({ steps: [{ impute: { columns: { x: { strategy, value: 0 } } } }] });
    const asList = specAccepts({ steps: [{ impute: { columns: ['x'], strategy, value: 0 } }] });
    assert.is(perColumn.length === 0, inModule, `impute.columns.x.strategy: ${strategy}: ${perColumn.join('; ')}`);
    assert.is(asList.length === 0, inModule, `impute.strategy: ${strategy}: ${asList.join('; ')}`);
  }
});

test('the datetime parts DatetimeParts takes are those the spec takes', () => {
  const offered = enumOf(STEP_KEYS.datetime!.keys.parts);
  for (const part of offered)
    assert.ok(
      moduleAccepts(() => new DatetimeParts({ column: 'd', parts: [part as 'hour'] })),
      `the spec offers part ${part}`,
    );
  for (const part of union(DATETIME_PARTS, offered, ['day', 'weekday', 'second', 'Hour'])) {
    const inModule = moduleAccepts(() => new DatetimeParts({ column: 'd', parts: [part as 'hour'] }));
    const problems = specAccepts({ steps: [{ datetime: { column: 'd', parts: [part] } }] });
    assert.is(problems.length === 0, inModule, `datetime.parts: ${part}: ${problems.join('; ')}`);
  }
});

test('docs/cli.md lists the same models, optimizers and backends as the flags take', () => {
  const doc = readFileSync(join(import.meta.dirname, '../../docs/cli.md'), 'utf8');
  const listed = (flag: string) => doc.match(new RegExp(`\`--${flag} ([\\w|\\\\]+)\``))?.[1]?.split('\\|') ?? [];
  assert.equal(listed('model'), [...MODEL_KINDS]);
  assert.equal(listed('optimizer'), [...LEARN_OPTIMIZERS]);
  assert.equal(listed('backend'), [...BACKEND_CHOICES]);
});

test('model options that another kind owns are refused under the spec, with the key path', () => {
  assert.equal(specAccepts({ model: { passiveAggressive: { variant: 'PA-II', C: 0.5, epsilon: 0.2 } } }), []);
  assert.match(specAccepts({ model: { logistic: { hidden: [3] } } }).join('\n'), /^model\.logistic\.hidden: not an option of logistic \(it applies to mlp\)$/);
  assert.match(specAccepts({ model: { passiveAggressive: { lr: 0.1 } } }).join('\n'), /^model\.passiveAggressive\.lr: not an option of passiveAggressive/);
  assert.match(specAccepts({ model: { mlp: { optimizer: 'ftrl' } } }).join('\n'), /^model\.mlp\.optimizer: ftrl is not an optimizer of a mlp model/);
  assert.match(
    specAccepts({ model: 'passiveAggressive', training: { batchSize: 8 } }).join('\n'),
    /^training\.batchSize: passiveAggressive updates once per row/,
  );
  assert.match(specAccepts({ model: { logistic: { momentum: 1 } } }).join('\n'), /^model\.logistic\.momentum: must be in \[0, 1\)/);
});

test.run();

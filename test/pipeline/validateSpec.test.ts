import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSpec, SpecErrors, validateSpec } from '../../src/pipeline/index.js';

function problems(text: string): string[] {
  try {
    parseSpec(text, 's.yaml');
  } catch (e) {
    if (e instanceof SpecErrors) return e.problems.map((p) => p.message);
    throw e;
  }
  return [];
}

test('a valid spec has no problems, YAML or JSON', () => {
  const yaml =
    'source: { csv: a.csv, badRows: fail }\ntarget: delay > 15\nsteps:\n  - impute: { columns: [distance], strategy: median }\n  - standardize: [distance]\nmodel: { logistic: { lr: 0.1 } }\n';
  assert.equal(problems(yaml), []);
  const json = JSON.stringify({ source: { synthetic: { sea: { function: 2 } }, maxRows: 10 }, target: 'class', model: 'logistic' });
  assert.equal(problems(json), []);
});

test('source.parseThread: true, false or auto, and only beside csv', () => {
  for (const v of ['true', 'false', 'auto']) assert.equal(problems(`source: { csv: a.csv, parseThread: ${v} }\ntarget: y\nmodel: logistic\n`), [], v);
  const bad = problems('source: { csv: a.csv, parseThread: sometimes }\ntarget: y\nmodel: logistic\n');
  assert.is(bad.length, 1, bad.join('\n'));
  assert.match(bad[0]!, /^source\.parseThread: /);
  const notCsv = problems('source: { arrow: a.arrow, parseThread: true }\ntarget: y\nmodel: logistic\n');
  assert.is(notCsv.length, 1, notCsv.join('\n'));
  assert.match(notCsv[0]!, /parseThread/);
});

test('every problem is reported with its key path, line and did-you-mean', () => {
  const text = [
    'source: { csv: a.csv, badRow: skip }', // 1
    'target: delay > 15',
    'steps:',
    '  - impute: { columns: [distance], strategy: avg }', // 4
    '  - standardise: [distance]', // 5
    '  - oneHot: { columns: [origin], maxCategories: 0 }', // 6
    'model: { logistc: {} }', // 7
    'training: { backend: gpu }', // 8
    'evaluation: { metrics: [roc_auc] }', // 9
  ].join('\n');
  const p = problems(text);
  assert.is(p.length, 7, p.join('\n'));
  // The list of source keys grows; its start and the location are what this checks.
  assert.ok(
    p.some(
      (m) =>
        m.startsWith('source.badRow: unknown key; did you mean "badRows"? (expected one of csv, arrow, parquet, ') && m.endsWith(', parseThread) (s.yaml:1)'),
    ),
    p[0],
  );
  assert.ok(p.includes('steps[0].impute.strategy: expected one of mean|median|mode|constant|previous, got "avg" (s.yaml:4)'));
  assert.ok(p.some((m) => m.startsWith('steps[1].standardise: unknown step "standardise"; did you mean "standardize"?') && m.endsWith('(s.yaml:5)')));
  assert.ok(p.includes('steps[2].oneHot.maxCategories: expected an integer ≥ 1, got 0 (s.yaml:6)'));
  assert.ok(p.some((m) => m.startsWith('model.logistc: unknown kind "logistc"; did you mean "logistic"?')));
  assert.ok(p.some((m) => m.startsWith('training.backend: expected one of auto|cpu|webgpu|gpujs, got "gpu"')));
  assert.ok(p.some((m) => m.startsWith('evaluation.metrics[0]:') && m.includes('did you mean "rocAuc"?') && m.endsWith('(s.yaml:9)')));
});

test('problems only the pieces can judge: expressions, generator options, step checks, combinations', () => {
  const p = validateSpec({
    source: { synthetic: { sea: { function: 7 } }, delimiter: ';' },
    target: 'delay >',
    steps: [{ derive: { name: 'x', expression: 'a +* b' } }, { clip: { columns: ['a'], lower: 0.9, upper: 0.1 } }],
    training: { epochs: 3 },
    output: { save: true },
  }).map((e) => e.path);
  assert.ok(p.includes('source.synthetic.sea.function'), p.join(', '));
  assert.ok(p.includes('source.delimiter'), 'delimiter is not an option of a synthetic source');
  assert.ok(p.includes('target'));
  assert.ok(
    p.some((x) => x.startsWith('steps[0].derive')),
    p.join(', '),
  );
  assert.ok(
    p.some((x) => x.startsWith('steps[1].clip')),
    p.join(', '),
  );
  assert.ok(p.includes('training.epochs'));
  assert.ok(p.includes('output.save'));
});

test("imputeStandardize (the quick path's fused numeric step) is a spec step: list shorthand, log1p among its columns", () => {
  const ok = (steps: unknown[]) => validateSpec({ source: { csv: 'a.csv' }, target: 'y', steps }).map((e) => e.message);
  assert.equal(ok([{ imputeStandardize: ['a', 'b'] }]), []);
  assert.equal(ok([{ imputeStandardize: { columns: ['a', 'b'], log1p: ['b'] } }]), []);
  assert.ok(ok([{ imputeStandardize: { log1p: ['b'] } }]).some((m) => m.startsWith('steps[0].imputeStandardize.columns: required key is missing')));
  assert.ok(ok([{ imputeStandardize: { columns: ['a'], log1p: ['z'] } }]).some((m) => m.startsWith('steps[0].imputeStandardize.log1p')));
});

test('source needs exactly one kind; required keys; YAML syntax errors', () => {
  assert.ok(problems('source: { csv: a.csv, arrow: b.arrow }').some((m) => m.startsWith('source: expected exactly one of')));
  assert.ok(problems('target: x').some((m) => m.startsWith('source: required key is missing')));
  assert.ok(problems('source: { csv: a.csv\n').some((m) => m.startsWith('(syntax):')));
  assert.ok(problems('source: { tcp: { host: h } }').some((m) => m.startsWith('source.tcp: expected exactly one of listen')));
});

test('case 6: reconnect rules are found by the checker (sluice run --check), not only when the run starts', () => {
  assert.ok(
    problems('source: { tcp: { listen: 9000 }, reconnect: true }').some((m) => m.startsWith('source.reconnect: a tcp server (listen) does not reconnect')),
  );
  assert.ok(problems('source: { websocket: "ws://h:1", backoff: 50 }').some((m) => m.startsWith('source.backoff: applies only with reconnect: true')));
  assert.ok(problems('source: { tcp: { connect: "h:1" }, maxRetries: 3 }').some((m) => m.startsWith('source.maxRetries: applies only with reconnect')));
  assert.equal(problems('source: { tcp: { connect: "h:1" }, reconnect: true, backoff: 50, maxRetries: 3 }'), []);
});

test('case 7: __proto__, constructor and prototype are refused as keys at any level, with their key paths', () => {
  const text = [
    '__proto__: { maxRows: 7 }', // 1
    'source: { synthetic: { sea: { __proto__: { function: 2 } } }, constructor: 1 }', // 2
    'target: class',
    'steps:',
    '  - validate: { types: { prototype: number } }', // 5
    '  - impute: { columns: [a], strategy: constant, value: { constructor: 1 } }', // 6
    '  - { __proto__: { x: 1 } }', // 7
    'model: { logistic: { prototype: 1 } }', // 8
  ].join('\n');
  const p = problems(text);
  assert.equal(
    p.map((m) => m.slice(0, m.indexOf(': '))),
    [
      '__proto__',
      'source.synthetic.sea.__proto__',
      'source.constructor',
      'steps[0].validate.types.prototype',
      'steps[1].impute.value.constructor',
      'steps[2].__proto__',
      'model.logistic.prototype',
    ],
    p.join('\n'),
  );
  for (const m of p)
    assert.match(
      m,
      /: "(__proto__|constructor|prototype)" cannot be a key \(__proto__, constructor, prototype are refused: they reach JavaScript prototypes\) \(s\.yaml:\d\)$/,
    );
  assert.is(({} as Record<string, unknown>).maxRows, undefined);
});

test('case 7: keys are looked up as own properties: toString, valueOf and hasOwnProperty are unknown keys', () => {
  const p = problems('source: { csv: a.csv, toString: 1 }\ntarget: y\nmodel: { logistic: { valueOf: 2 } }\ntraining: { hasOwnProperty: 3 }\n');
  assert.equal(
    p.map((m) => m.slice(0, m.indexOf(': '))),
    ['source.toString', 'model.logistic.valueOf', 'training.hasOwnProperty'],
    p.join('\n'),
  );
  for (const m of p) assert.match(m, /: unknown key/);
  // A required key inherited from a prototype is still missing.
  const inherited = validateSpec(Object.assign(Object.create({ source: { csv: 'a.csv' } }), { target: 'y' })).map((e) => e.message);
  assert.ok(inherited.includes('source: required key is missing'), inherited.join('\n'));
});

test.run();

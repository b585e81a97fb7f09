import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SpecError } from '../../src/core/index.js';
import { defaultSearchSpace, resolveSearchSpace, resolveTuneOptions } from '../../src/tune/index.js';

test('plain values are fixed; lists and range objects are domains, in the order written', () => {
  const [s] = resolveSearchSpace({
    kind: 'logistic',
    lr: { logUniform: [0.01, 1] },
    l2: [0, 1e-4],
    hidden: [[32], [16, 8]],
    epsilon: { uniform: [0, 1] },
    n: { int: [1, 4] },
  });
  assert.equal(s!.fixed, { kind: 'logistic' });
  assert.equal(
    s!.domains.map(([k, d]) => [k, d.type]),
    [
      ['lr', 'logUniform'],
      ['l2', 'choice'],
      ['hidden', 'choice'],
      ['epsilon', 'uniform'],
      ['n', 'int'],
    ],
  );
  assert.equal(s!.domains[2]![1], { type: 'choice', values: [[32], [16, 8]] });
});

test('a list of families stays a list; errors name the family and key', () => {
  assert.is(resolveSearchSpace([{ kind: 'logistic' }, { kind: 'svm' }]).length, 2);
  const bad: Array<[unknown, RegExp]> = [
    [[], /tune\.space: needs at least one family/],
    [[{ lr: { logUniform: [0, 1] } }], /tune\.space\[0\]\.lr: logUniform needs a positive low end/],
    [{ lr: { uniform: [2, 1] } }, /tune\.space\.lr: uniform: low 2 is above high 1/],
    [{ n: { int: [1.5, 3] } }, /tune\.space\.n: int takes two integers/],
    [{ l2: [] }, /tune\.space\.l2: a choice needs at least one value/],
    [{ seed: [1, 2] }, /tune\.space\.seed: every candidate of a race shares seed/],
    [[{ kind: 'logistic' }, 3], /tune\.space\[1\]: a family is an object/],
  ];
  for (const [space, re] of bad) {
    try {
      resolveSearchSpace(space as never);
      assert.unreachable(JSON.stringify(space));
    } catch (e) {
      assert.instance(e, SpecError);
      assert.match((e as Error).message, re);
    }
  }
});

test('default spaces by task and kind; kinds without one are refused with the way out', () => {
  assert.is(defaultSearchSpace('binary')[0]!.kind, 'logistic');
  assert.is(defaultSearchSpace('multiclass')[0]!.kind, 'softmax');
  assert.is(defaultSearchSpace('regression')[1]!.optimizer, 'ftrl');
  assert.is(defaultSearchSpace('binary', 'mlp')[0]!.kind, 'mlp');
  assert.throws(() => defaultSearchSpace('binary', 'arf'), /no default search space for arf models: give one/);
});

test('tune options: defaults, budget sets the candidates, bad values name their key', () => {
  assert.equal(resolveTuneOptions({}), { budget: 4, candidates: 16, space: null, rung: 256, confidence: 0.99, seed: 1, batched: true });
  assert.is(resolveTuneOptions(true).candidates, 16);
  assert.is(resolveTuneOptions({ budget: 5 }).candidates, 32);
  assert.is(resolveTuneOptions({ budget: 5, candidates: 3 }).candidates, 3);
  assert.throws(() => resolveTuneOptions({ budget: 0.5 }), /tune\.budget: must be a number from 1 to 10/);
  assert.throws(() => resolveTuneOptions({ candidates: 2.5 }), /tune\.candidates: must be an integer/);
  assert.throws(() => resolveTuneOptions({ confidence: 0.3 }), /tune\.confidence/);
  assert.throws(() => resolveTuneOptions({ rungs: 3 } as never), /tune\.rungs: unknown tuning option/);
});

test.run();

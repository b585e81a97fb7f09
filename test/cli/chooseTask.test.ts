import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chooseTask, MAX_AUTO_CLASSES } from '../../src/cli/chooseTask.js';
import { Batch, type ColumnType, Schema, SpecError } from '../../src/core/index.js';

const col = (ys: unknown[], type: ColumnType) => {
  const b = Batch.fromRows(
    ys.map((y) => ({ y })),
    Schema.from({ y: type }),
  );
  return [b.column('y'), b.length] as const;
};
const choose = (ys: unknown[], type: ColumnType, o: Partial<Parameters<typeof chooseTask>[2]> = {}) => {
  const [c, n] = col(ys, type);
  return chooseTask(c, n, { column: 'y', ...o });
};
const repeat = <T>(xs: T[], times: number) => Array.from({ length: times }, () => xs).flat();

test('integer 0/1 labels are a binary task with 1 positive; the class order does not depend on row order', () => {
  for (const ys of [repeat([0, 1, 1, 0], 5), repeat([1, 0, 0, 1], 5)]) {
    const c = choose(ys, 'integer');
    assert.is(c.task, 'binary');
    assert.equal(c.classes, ['0', '1']);
    assert.is(c.positive, '1');
    assert.is(c.positiveRule, 'last in order');
    assert.is(c.targetScale, null);
  }
});

test('integer-valued number targets with few distinct values are classes, sorted ascending (0..9 digits, 1..3 wine)', () => {
  const digits = choose(repeat([9, 3, 0, 1, 2, 4, 5, 6, 7, 8], 3), 'number');
  assert.is(digits.task, 'multiclass');
  assert.equal(digits.classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.is(digits.positive, null);
  assert.match(digits.reason, /10 distinct values/);
  const wine = choose(repeat([3, 1, 2], 4), 'integer');
  assert.equal(wine.classes, ['1', '2', '3']);
  const signs = choose(repeat([1, -1], 4), 'integer');
  assert.equal([signs.task, signs.classes, signs.positive], ['binary', ['-1', '1'], '1']);
});

test('many distinct integers, too few rows per value, or real values are regression with the target scale', () => {
  const many = choose(
    Array.from({ length: 100 }, (_, i) => i % (MAX_AUTO_CLASSES + 1)),
    'integer',
  );
  assert.is(many.task, 'regression');
  assert.match(many.reason, /a quantity/);
  // 5 rows, 5 values: a short sample of a quantity, not 5 classes.
  assert.is(choose([10, 20, 30, 40, 50], 'integer').task, 'regression');
  const real = choose([150, 152.5, 148, 160, null, Number.NaN], 'number');
  assert.is(real.task, 'regression');
  assert.is(real.classes, null);
  const ys = [150, 152.5, 148, 160];
  const mean = ys.reduce((a, b) => a + b) / 4;
  const std = Math.sqrt(ys.reduce((a, b) => a + (b - mean) ** 2, 0) / 4);
  assert.ok(Math.abs(real.targetScale!.mean - mean) < 1e-9);
  assert.ok(Math.abs(real.targetScale!.std - std) < 1e-9);
  // A constant target keeps std 1 (no division by zero).
  assert.equal(choose([7, 7, 7], 'number', { task: 'regression' }).targetScale, { mean: 7, std: 1 });
});

test('--task and the model kind override the inference', () => {
  assert.is(choose(repeat([0, 1], 10), 'integer', { task: 'regression' }).task, 'regression');
  assert.is(choose(repeat([0, 1], 10), 'integer', { model: 'linear' }).task, 'regression');
  const forced = choose([10, 20, 30, 40, 50], 'integer', { task: 'classification' });
  assert.equal([forced.task, forced.classes], ['multiclass', ['10', '20', '30', '40', '50']]);
  assert.is(choose([1, 2, 3, 4, 5, 6], 'integer', { model: 'logistic' }).task, 'multiclass');
  assert.is(choose(['a', 'b'], 'category', { model: 'softmax' }).task, 'multiclass');
  const counted = choose([0, 1, 1], 'integer', { task: 'classification', classes: 4 });
  assert.equal(counted.classes, ['0', '1', '2', '3']);
});

test('real-valued labels under classification and regression of categories are SpecErrors naming the key', () => {
  try {
    chooseTask(...col([0, 1.5], 'number'), { column: 'y', task: 'classification', taskPath: '--task', lines: [2, 3] });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, SpecError);
    assert.match((e as Error).message, /^--task: .*real value 1.5 \(line 3\)/);
  }
  assert.throws(
    () => choose(['a', 'b'], 'category', { task: 'regression', taskPath: '--task' }),
    /--task: regression needs a numeric target, but "y" is a category/,
  );
});

test('category labels sort by code point; the positive class is the later one unless the other reads as negative', () => {
  const ab = choose(['malignant', 'benign', 'benign'], 'category');
  assert.equal([ab.classes, ab.positive], [['benign', 'malignant'], 'malignant']);
  const spam = choose(['spam', 'ham'], 'category');
  assert.equal([spam.classes, spam.positive, spam.positiveRule], [['ham', 'spam'], 'spam', 'negative word']);
  // "churn" sorts before "no churn", but "no …" names the absence: churn is positive.
  const churn = choose(['no churn', 'churn'], 'category');
  assert.equal([churn.classes, churn.positive, churn.positiveRule], [['no churn', 'churn'], 'churn', 'negative word']);
  const yes = choose(['yes', 'no'], 'category');
  assert.is(yes.positive, 'yes');
  const upper = choose(['b', 'B', 'a'], 'category');
  assert.equal(upper.classes, ['B', 'a', 'b']);
  const bool = choose([true, false], 'boolean');
  assert.equal([bool.classes, bool.positive], [['false', 'true'], 'true']);
});

test('--positive picks the positive class (numbers in any spelling, booleans as words); an unknown one names the classes', () => {
  const c = choose(repeat([0, 1], 5), 'integer', { positive: '0' });
  assert.equal([c.classes, c.positive, c.positiveRule], [['1', '0'], '0', 'option']);
  assert.is(choose(repeat([0, 1], 5), 'integer', { positive: '1.0' }).positive, '1');
  assert.equal(choose(['spam', 'ham'], 'category', { positive: 'ham' }).classes, ['spam', 'ham']);
  assert.equal(choose([true, false], 'boolean', { positive: 'no' }).classes, ['true', 'false']);
  try {
    choose(['spam', 'ham'], 'category', { positive: 'junk', positivePath: '--positive' });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, SpecError);
    assert.match((e as Error).message, /^--positive: "junk" is not a class of target "y"; the classes seen in the first 2 rows are "ham", "spam"/);
  }
  assert.throws(
    () => choose(repeat([0, 1, 2], 3), 'integer', { positive: '1' }),
    /positive: a positive class applies to a binary task; target "y" has 3 classes/,
  );
});

test('a first batch with one 0/1 value stays binary; missing labels are ignored', () => {
  const c = choose([1, 1, null, 1], 'integer', { task: 'classification' });
  assert.equal([c.task, c.classes, c.positive], ['binary', ['0', '1'], '1']);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BadInputError, Batch, Schema } from '../../../src/core/index.js';
import { compileExpression, ExpressionError } from '../../../src/features/index.js';

const schema = Schema.from({ delay: 'number', distance: 'integer', origin: 'category', date: 'datetime', ok: 'boolean' });
const b = Batch.fromRows(
  [
    { delay: 20, distance: 100, origin: 'SEA', date: '2024-03-09T13:45:00Z', ok: true },
    { delay: 5, distance: 0, origin: 'LAX', date: '2023-12-31T23:59:59Z', ok: false },
    { delay: null, distance: null, origin: null, date: null, ok: null },
    { delay: Infinity, distance: 3, origin: '', date: '2024-01-01T00:00:00Z', ok: true },
    { delay: NaN, distance: 7, origin: 'SEA', date: '2024-01-01T00:00:00Z', ok: false },
  ],
  schema,
);
const ev = (src: string) => compileExpression(src).evaluate(b);
const vals = (src: string) => {
  const c = ev(src);
  return b
    .withColumn('r', c)
    .toRows()
    .map((r) => r.r);
};

test('comparisons give boolean columns; missing and non-finite inputs give missing', () => {
  assert.is(ev('delay > 15').type, 'boolean');
  assert.equal(vals('delay > 15'), [true, false, null, null, null]);
  assert.equal(vals('isMissing(delay)'), [false, false, true, true, true]);
  assert.equal(vals('distance == 0'), [false, true, null, false, false]);
});

test('arithmetic and functions', () => {
  assert.is(ev('log1p(distance)').type, 'number');
  assert.equal(vals('log1p(distance)'), [Math.log1p(100), 0, null, Math.log1p(3), Math.log1p(7)]);
  assert.equal(vals('distance / 2 + 1 * 3 - -1'), [54, 4, null, 5.5, 7.5]);
  assert.equal(vals('distance % 3'), [1, 0, null, 0, 1]);
  assert.equal(vals('log(distance)'), [Math.log(100), null, null, Math.log(3), Math.log(7)], 'log(0) = -Infinity → missing');
  assert.equal(vals('1 / distance'), [0.01, null, null, 1 / 3, 1 / 7], 'x/0 → missing');
  assert.equal(vals('max(distance, 5, 2)'), [100, 5, null, 5, 7]);
  assert.equal(vals('min(distance, 5)'), [5, 0, null, 3, 5]);
  assert.equal(vals('round(2.5) + floor(-1.5) + ceil(1.2) + abs(-3) + sqrt(16) + exp(0)'), Array(5).fill(3 - 2 + 2 + 3 + 4 + 1));
  assert.equal(vals('if(distance > 5, distance, -1)'), [100, -1, null, -1, 7]);
  assert.equal(vals('ok + 1'), [2, 1, null, 2, 1]);
});

test('date parts in UTC', () => {
  assert.equal(vals('hour(date)'), [13, 23, null, 0, 0]);
  assert.equal(vals('dayOfWeek(date)'), [6, 0, null, 1, 1]);
  assert.equal(vals('dayOfMonth(date)'), [9, 31, null, 1, 1]);
  assert.equal(vals('month(date)'), [3, 12, null, 1, 1]);
  assert.equal(vals('year(date)'), [2024, 2023, null, 2024, 2024]);
});

test('string equality with category columns, empty string, unseen value', () => {
  assert.equal(vals('origin == "SEA"'), [true, false, null, false, true]);
  assert.equal(vals('origin != "SEA"'), [false, true, null, true, false]);
  assert.equal(vals('"SEA" == origin and distance > 50'), [true, false, null, false, false]);
  assert.equal(vals('origin == ""'), [false, false, null, true, false]);
  assert.equal(vals('origin == "NOWHERE"'), [false, false, null, false, false]);
});

test('Kleene and/or with missing; not', () => {
  assert.equal(vals('delay > 15 or distance > 5'), [true, false, null, null, true]);
  assert.equal(vals('delay > 15 and distance > 5'), [true, false, null, false, null]);
  assert.equal(vals('not ok'), [false, true, null, false, true]);
});

test('type errors point at the character; nonFinite: error raises BadInputError', () => {
  const at = (src: string, col: number, re: RegExp) =>
    assert.throws(
      () => compileExpression(src).evaluate(b),
      (e: unknown) => e instanceof ExpressionError && e.column === col && re.test(e.reason),
    );
  at('delay + nope', 9, /unknown column "nope"/);
  at('origin + 1', 1, /category column/);
  at('origin > "A"', 1, /category column/);
  at('log(1, 2)', 1, /takes 1 argument/);
  at('"a" == 1', 8, /compared with a string/);
  assert.throws(
    () => compileExpression('sin(delay)'),
    (e: unknown) => e instanceof ExpressionError && e.column === 1 && /unknown function "sin"/.test(e.reason),
  );
  assert.throws(
    () => compileExpression('delay * 2', { nonFinite: 'error' }).evaluate(b),
    (e: unknown) => e instanceof BadInputError && e.reason === 'non-finite' && /"delay"/.test(e.message),
  );
  assert.equal(compileExpression('delay + distance').columns, ['delay', 'distance']);
});

test('constants: one compiled expression over batches of different lengths; a constant result is never shared', () => {
  const e = compileExpression('distance * 2 + 1 > 10');
  const b2 = b.slice(0, 2);
  assert.equal(
    b
      .withColumn('r', e.evaluate(b))
      .toRows()
      .map((r) => r.r),
    [true, false, null, false, true],
  );
  assert.equal(
    b2
      .withColumn('r', e.evaluate(b2))
      .toRows()
      .map((r) => r.r),
    [true, false],
  );
  assert.equal(
    b
      .withColumn('r', e.evaluate(b))
      .toRows()
      .map((r) => r.r),
    [true, false, null, false, true],
  );
  const k = compileExpression('3');
  const c1 = k.evaluate(b),
    c2 = k.evaluate(b);
  assert.is(c1.type, 'number');
  assert.ok(c1.values !== c2.values, 'each batch gets its own array');
  (c1.values as Float64Array)[0] = 99;
  assert.equal(Array.from(k.evaluate(b).values), [3, 3, 3, 3, 3]);
});

test('a bare column reference does not alias the input array', () => {
  const clean = Batch.fromRows([{ x: 1 }, { x: 2 }], Schema.from({ x: 'number' }));
  const c = compileExpression('x').evaluate(clean);
  const src = clean.column('x');
  if (src.type !== 'number') throw new Error('number');
  assert.ok(c.values !== src.values);
});

test('an integer column compared with a number (fast path) gives what the general path gives on the same values as numbers', () => {
  const ints: Array<number | null> = [];
  for (let i = 0; i < 300; i++) ints.push(i % 17 === 0 ? null : ((i * 7919) % 61) - 30);
  const rows = ints.map((v) => ({ i: v, f: v }));
  for (const withMissing of [true, false]) {
    const data = Batch.fromRows(withMissing ? rows : rows.filter((r) => r.i !== null), Schema.from({ i: 'integer', f: 'number' }));
    for (const op of ['<', '<=', '>', '>=', '==', '!=']) {
      for (const [l, r] of [
        ['{c}', '3'],
        ['-4', '{c}'],
        ['{c}', '2.5'],
      ]) {
        const expr = (c: string) => `${l!.replace('{c}', c)} ${op} ${r!.replace('{c}', c)}`;
        const fast = compileExpression(expr('i')).evaluate(data),
          general = compileExpression(expr('f')).evaluate(data);
        assert.is(fast.type, 'boolean');
        assert.equal(fast, general, expr('i'));
        assert.is(fast.validity === null, !withMissing, `${expr('i')}: a bitmap only when a value is missing`);
      }
    }
  }
});

test.run();

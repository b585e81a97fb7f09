import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Impute, Scaler, Vectorize } from '../../src/features/index.js';
import { BadRows, Batch, Schema, SPLIT_COLUMN } from '../../src/index.js';

const schema = Schema.from({ x: 'number', c: 'category' });

test('mean, median, mode, constant with NaN/Infinity as missing and an indicator', () => {
  const b = Batch.fromRows(
    [
      { x: 1, c: 'a' },
      { x: null, c: 'b' },
      { x: 3, c: 'a' },
      { x: NaN, c: null },
      { x: 8, c: '' },
      { x: -Infinity, c: 'a' },
    ],
    schema,
  );
  const mean = new Impute({ columns: { x: { strategy: 'mean', indicator: true } } });
  mean.learn(b);
  const out = mean.apply(b);
  assert.equal(
    out.toRows().map((r) => r.x),
    [1, 4, 3, 4, 8, 4],
  );
  assert.equal(
    out.toRows().map((r) => r.x_missing),
    [false, true, false, true, false, true],
  );
  const med = new Impute({ columns: { x: 'median' } });
  med.learn(b);
  assert.is(med.fillValue('x'), 3);
  const mode = new Impute({ columns: { c: 'mode' } });
  mode.learn(b);
  assert.equal(
    mode
      .apply(b)
      .toRows()
      .map((r) => r.c),
    ['a', 'b', 'a', 'a', '', 'a'],
  );
  const k = new Impute({ columns: { c: { strategy: 'constant', value: 'unknown' }, x: { strategy: 'constant', value: -1 } } });
  assert.equal(
    k
      .apply(b)
      .toRows()
      .map((r) => [r.x, r.c]),
    [
      [1, 'a'],
      [-1, 'b'],
      [3, 'a'],
      [-1, 'unknown'],
      [8, ''],
      [-1, 'a'],
    ],
  );
});

test('previous carries the last training value across batches', () => {
  const t = new Impute({ columns: { x: 'previous', c: 'previous' } });
  const b1 = Batch.fromRows(
    [
      { x: 1, c: 'p' },
      { x: null, c: null },
      { x: 2, c: 'q' },
    ],
    schema,
  );
  const b2 = Batch.fromRows(
    [
      { x: null, c: null },
      { x: 5, c: 'r' },
      { x: null, c: null },
    ],
    schema,
  );
  t.learn(b1);
  assert.equal(t.apply(b1).toRows(), [
    { x: 1, c: 'p' },
    { x: 1, c: 'p' },
    { x: 2, c: 'q' },
  ]);
  t.learn(b2);
  assert.equal(t.apply(b2).toRows(), [
    { x: 2, c: 'q' },
    { x: 5, c: 'r' },
    { x: 5, c: 'r' },
  ]);
  const first = new Impute({ columns: { x: 'previous' } });
  assert.is(first.apply(Batch.fromRows([{ x: null }], Schema.from({ x: 'number' }))).value('x', 0), null, 'nothing learned: stays missing');
});

test('learns from training rows only', () => {
  const s = Schema.from({ x: 'number', [SPLIT_COLUMN]: 'integer' });
  const b = Batch.fromRows(
    [
      { x: 1, [SPLIT_COLUMN]: 0 },
      { x: 3, [SPLIT_COLUMN]: 0 },
      { x: 1000, [SPLIT_COLUMN]: 1 },
      { x: null, [SPLIT_COLUMN]: 2 },
    ],
    s,
  );
  const t = new Impute({ columns: { x: 'mean' } });
  t.learn(b);
  assert.is(t.fillValue('x'), 2);
  assert.is(t.apply(b).value('x', 3), 2);
});

test('nonFinite error: throws with the line, or skips under a bad-row policy', () => {
  const b0 = Batch.fromRows([{ x: 1 }, { x: Infinity }, { x: 2 }], Schema.from({ x: 'number' }));
  const b = new Batch(b0.schema, b0.columns, 3, b0.rowIds, new Float64Array([2, 3, 4]));
  const t = new Impute({ columns: { x: 'mean' }, nonFinite: 'error' });
  t.learn(b);
  assert.is(t.fillValue('x'), 1.5);
  assert.throws(() => t.apply(b), /impute:3:1: column "x" value "Infinity": non-finite/);
  t.badRows = new BadRows('impute', { badRows: 'skip' });
  const out = t.apply(b);
  assert.equal(out.toRows(), [{ x: 1 }, { x: 2 }]);
  assert.equal(t.badRows.account(), { read: 3, passed: 2, skipped: 1, skippedByReason: { 'non-finite': 1 } });
});

test('options are checked, state round-trips through JSON', () => {
  assert.throws(() => new Impute({ columns: { x: 'avg' as never } }), /impute\.x: expected one of mean\|median\|mode\|constant\|previous, got "avg"/);
  assert.throws(() => new Impute({ columns: { x: { strategy: 'constant' } } }), /impute\.x\.value/);
  const b = Batch.fromRows(
    [
      { x: 4, c: 'z' },
      { x: null, c: null },
      { x: 6, c: 'z' },
    ],
    schema,
  );
  const t = new Impute({ columns: { x: 'median', c: 'mode' }, indicator: true });
  t.learn(b);
  const r = Impute.fromJSON(JSON.parse(JSON.stringify(t.toJSON())));
  assert.equal(r.apply(b).toRows(), t.apply(b).toRows());
  assert.throws(() => new Impute({ columns: { c: 'mean' } }).learn(b), /needs a numeric column/);
});

test('clean columns pass through (integers become numbers for mean); an all-present bitmap gives the same output', () => {
  const s2 = Schema.from({ x: 'number', k: 'integer', d: 'datetime' });
  const b = Batch.fromRows(
    [
      { x: 1.5, k: 3, d: 1e12 },
      { x: -2, k: 7, d: 2e12 },
      { x: 0, k: 3, d: 3e12 },
    ],
    s2,
  );
  const t = new Impute({ columns: { x: 'mean', k: 'mean', d: 'previous' } });
  t.learn(b);
  const out = t.apply(b);
  const x = out.column('x'),
    k = out.column('k'),
    d = out.column('d');
  if (x.type !== 'number' || k.type !== 'number' || d.type !== 'datetime') throw new Error('unexpected types');
  assert.ok(x.values === (b.column('x') as { values: Float64Array }).values, 'clean number column shared, not copied');
  assert.ok(d.values === (b.column('d') as { values: Float64Array }).values);
  assert.equal([...k.values], [3, 7, 3]);
  assert.is(k.validity, null);
  const mode = new Impute({ columns: { k: 'mode' } });
  mode.learn(b);
  assert.ok((mode.apply(b).column('k') as { values: Int32Array }).values === (b.column('k') as { values: Int32Array }).values);
  // The same values behind an all-present bitmap go through the filling path: same output.
  const xc = b.column('x') as { type: 'number'; values: Float64Array; validity: Uint8Array | null };
  const bits = b.withColumn('x', { type: 'number', values: xc.values, validity: new Uint8Array([0b111]) });
  const t2 = new Impute({ columns: { x: 'mean', k: 'mean', d: 'previous' } });
  t2.learn(bits);
  assert.equal(t2.toJSON(), t.toJSON());
  const out2 = t2.apply(bits);
  assert.equal(out2.toRows(), out.toRows());
  assert.is(out2.column('x').validity, null);
});

test('a shared clean column is not written by later steps; a read cached by learn serves only that batch', () => {
  const s2 = Schema.from({ x: 'number', y: 'number' });
  const b = Batch.fromRows(
    [
      { x: 1, y: 1 },
      { x: 2, y: null },
      { x: 4, y: 3 },
    ],
    s2,
  );
  const before = [...(b.column('x') as { values: Float64Array }).values];
  const imp = new Impute({ columns: { x: 'mean', y: 'mean' } });
  imp.learn(b);
  const filled = imp.apply(b);
  const sc = new Scaler({ columns: ['x', 'y'] });
  sc.learn(filled);
  const scaled = sc.apply(filled);
  const v = new Vectorize({ target: 'y' });
  v.learn(scaled);
  v.apply(scaled);
  assert.equal([...(b.column('x') as { values: Float64Array }).values], before, 'input untouched by scale and vectorize');
  assert.equal([...(filled.column('x') as { values: Float64Array }).values], before);
  assert.equal(
    filled.toRows().map((r) => r.y),
    [1, 2, 3],
  );
  // learn(b) then apply(other): other's own missing rows are filled, not b's.
  const other = Batch.fromRows(
    [
      { x: 1, y: null },
      { x: 1, y: 5 },
      { x: 1, y: null },
    ],
    s2,
  );
  assert.equal(
    imp
      .apply(other)
      .toRows()
      .map((r) => r.y),
    [2, 5, 2],
  );
  // With a split column learn masks its read, so apply reads again: validation values stay.
  const sp = Schema.from({ y: 'number', [SPLIT_COLUMN]: 'integer' });
  const m = Batch.fromRows(
    [
      { y: 1, [SPLIT_COLUMN]: 0 },
      { y: 1000, [SPLIT_COLUMN]: 1 },
      { y: null, [SPLIT_COLUMN]: 0 },
      { y: 3, [SPLIT_COLUMN]: 0 },
    ],
    sp,
  );
  const t = new Impute({ columns: { y: 'mean' } });
  t.learn(m);
  assert.equal(
    t
      .apply(m)
      .toRows()
      .map((r) => r.y),
    [1, 1000, 2, 3],
  );
});

test('many integer columns through impute (mean) then standardize: each column its own values, with a missing one among them', () => {
  const cols = ['a', 'b', 'c', 'd', 'e'];
  const rows = [0, 1, 2, 3].map((r) => Object.fromEntries(cols.map((c, k) => [c, c === 'c' && r === 1 ? null : (r + 1) * (k + 1)])));
  const b = Batch.fromRows(rows, Schema.from(Object.fromEntries(cols.map((c) => [c, 'integer' as const]))));
  const imp = new Impute({ columns: Object.fromEntries(cols.map((c) => [c, 'mean' as const])) });
  imp.learn(b);
  const filled = imp.apply(b);
  assert.equal(
    filled.schema.fields.map((f) => f.type),
    cols.map(() => 'number'),
  );
  assert.equal(filled.toRows()[1], { a: 2, b: 4, c: 8, d: 8, e: 10 }, 'c is missing there: the mean of 3, 9 and 12');
  const sc = new Scaler({ columns: cols });
  sc.learn(filled);
  const out = sc.apply(filled).toRows();
  // Every column but c is (k+1)·(1, 2, 3, 4): standardized to the same four values.
  const z = [-3, -1, 1, 3].map((v) => v / Math.sqrt(5));
  for (const c of ['a', 'b', 'd', 'e'])
    assert.equal(
      out.map((r) => Math.round((r[c] as number) * 1e12) / 1e12),
      z.map((v) => Math.round(v * 1e12) / 1e12),
      c,
    );
  assert.is(out[1]!.c, (8 - 8) / sc.params('c').scale);
  assert.equal([...(b.column('a') as { values: Int32Array }).values], [1, 2, 3, 4], 'input untouched');
});

test.run();

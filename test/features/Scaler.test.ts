import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Scaler } from '../../src/features/index.js';
import { Batch, Schema, SPLIT_COLUMN } from '../../src/index.js';

const s = Schema.from({ x: 'number' });
const rows = (xs: Array<number | null>) =>
  Batch.fromRows(
    xs.map((x) => ({ x })),
    s,
  );

test('standard, minmax, maxabs and robust on hand-computed fixtures', () => {
  const b = rows([2, 4, 4, 4, 5, 5, 7, 9, null, NaN]);
  const std = new Scaler({ columns: ['x'] });
  std.learn(b);
  assert.equal(
    std
      .apply(b)
      .toRows()
      .map((r) => r.x),
    [-1.5, -0.5, -0.5, -0.5, 0, 0, 1, 2, null, null],
  );
  const mm = new Scaler({ columns: ['x'], method: 'minmax' });
  mm.learn(b);
  assert.equal(
    mm
      .apply(rows([2, 9, 5.5]))
      .toRows()
      .map((r) => r.x),
    [0, 1, 0.5],
  );
  const ma = new Scaler({ columns: ['x'], method: 'maxabs' });
  ma.learn(rows([-10, 5]));
  assert.equal(
    ma
      .apply(rows([-10, 5, 20]))
      .toRows()
      .map((r) => r.x),
    [-1, 0.5, 2],
  );
  const rb = new Scaler({ columns: ['x'], method: 'robust' });
  rb.learn(rows([1, 2, 3, 4, 5, 6, 7, 8, 100]));
  // median 5, q25 = 3, q75 = 7 (exact below the sketch's compaction size) → (x - 5) / 4
  assert.equal(rb.params('x'), { center: 5, scale: 4 });
  const flat = new Scaler({ columns: ['x'] });
  flat.learn(rows([3, 3, 3]));
  assert.equal(
    flat
      .apply(rows([3, 4]))
      .toRows()
      .map((r) => r.x),
    [0, 1],
    'zero spread divides by 1',
  );
});

test('learns from training rows only', () => {
  const sch = Schema.from({ x: 'number', [SPLIT_COLUMN]: 'integer' });
  const b = Batch.fromRows(
    [
      { x: 1, [SPLIT_COLUMN]: 0 },
      { x: 3, [SPLIT_COLUMN]: 0 },
      { x: 1e6, [SPLIT_COLUMN]: 1 },
      { x: -1e6, [SPLIT_COLUMN]: 2 },
    ],
    sch,
  );
  const t = new Scaler({ columns: ['x'] });
  t.learn(b);
  assert.equal(t.params('x'), { center: 2, scale: 1 });
});

test('standard scaling stays exact over 10^8 rows with a 1e9 offset', () => {
  // 100 batches of 10^6 rows: offset + (i % 10) - 4.5, so mean = offset, variance = 8.25.
  const n = 1_000_000,
    off = 1e9;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = off + (i % 10) - 4.5;
  const b = new Batch(s, [{ type: 'number', values, validity: null }], n);
  const t = new Scaler({ columns: ['x'] });
  for (let k = 0; k < 100; k++) t.learn(b);
  const { center, scale } = t.params('x');
  assert.ok(Math.abs(center - off) < 1e-6, `mean off by ${center - off}`);
  assert.ok(Math.abs(scale - Math.sqrt(8.25)) < 1e-9, `std ${scale}`);
  const y = t.apply(rows([off + 0.5])).value('x', 0) as number;
  assert.ok(Math.abs(y - 0.5 / Math.sqrt(8.25)) < 1e-6);
});

test('nonFinite error, option errors and JSON round trip', () => {
  const t = new Scaler({ columns: ['x'], method: 'robust', nonFinite: 'error' });
  const b = rows([1, 2, 3, Infinity]);
  t.learn(b);
  assert.throws(() => t.apply(b), /non-finite/);
  assert.throws(() => new Scaler({ columns: ['x'], method: 'zscore' as never }), /scale\.method: expected one of standard\|minmax\|maxabs\|robust/);
  assert.throws(() => new Scaler({ columns: [] }), /scale\.columns/);
  const r = Scaler.fromJSON(JSON.parse(JSON.stringify(t.toJSON())));
  assert.equal(r.params('x'), t.params('x'));
  assert.throws(() => new Scaler({ columns: ['c'] }).learn(Batch.fromRows([{ c: 'a' }])), /scale needs a numeric column, got category/);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ColumnStats } from '../../src/features/index.js';
import { Batch, Schema } from '../../src/index.js';

const schema = Schema.from({ x: 'number', c: 'category' });

test('count, missing, non-finite, moments, quantiles, histogram and top categories', () => {
  const s = new ColumnStats({ bins: 4 });
  s.update(
    Batch.fromRows(
      [
        { x: 1, c: 'a' },
        { x: null, c: 'b' },
        { x: 3, c: 'a' },
        { x: NaN, c: null },
        { x: 5, c: 'a' },
        { x: Infinity, c: 'b' },
      ],
      schema,
    ),
  );
  const x = s.summary('x')!;
  assert.equal([x.count, x.missing, x.nonFinite, x.mean, x.min, x.max, x.p50], [6, 1, 2, 3, 1, 5, 3]);
  assert.ok(Math.abs(x.std! - Math.sqrt(8 / 3)) < 1e-12);
  assert.equal(
    x.histogram!.counts.reduce((a, b) => a + b, 0),
    3,
  );
  const c = s.summary('c')!;
  assert.equal([c.count, c.missing], [6, 1]);
  assert.equal(
    c.top!.map((t) => [t.value, t.count]),
    [
      ['a', 3],
      ['b', 2],
    ],
  );
  assert.ok(x.quantileError! > 0 && x.quantileError! < 0.02);
});

test('merge equals one pass; JSON round trip', () => {
  const rows = Array.from({ length: 500 }, (_, i) => ({ x: i % 37, c: `k${i % 5}` }));
  const whole = new ColumnStats();
  whole.update(Batch.fromRows(rows, schema));
  const a = new ColumnStats(),
    b = new ColumnStats();
  a.update(Batch.fromRows(rows.slice(0, 200), schema));
  b.update(Batch.fromRows(rows.slice(200), schema));
  a.merge(b);
  const sw = whole.summary('x')!,
    sa = a.summary('x')!;
  assert.equal([sa.count, sa.min, sa.max, sa.p50], [sw.count, sw.min, sw.max, sw.p50]);
  assert.ok(Math.abs(sa.mean! - sw.mean!) < 1e-12 && Math.abs(sa.std! - sw.std!) < 1e-12);
  assert.equal(a.summary('c')!.top, whole.summary('c')!.top);
  const r = ColumnStats.fromJSON(JSON.parse(JSON.stringify(whole.toJSON())));
  assert.equal(r.summaries(), whole.summaries());
});

test('case 9: a high-cardinality column reports top values by guaranteed count, with their error bound and the floor', () => {
  // 'hot' occurs 300 times among 6,000 rows of 3,000 rare values: a 64-counter sketch cannot be exact.
  const rows: Array<{ x: number; c: string }> = [];
  for (let i = 0; i < 6000; i++) rows.push({ x: i, c: i % 20 === 7 ? 'hot' : `v${(i * 7919) % 3000}` });
  const truth = new Map<string, number>();
  for (const r of rows) truth.set(r.c, (truth.get(r.c) ?? 0) + 1);
  const s = new ColumnStats({ topCapacity: 64 });
  for (let i = 0; i < rows.length; i += 500) s.update(Batch.fromRows(rows.slice(i, i + 500), schema));
  const c = s.summary('c')!;
  assert.is(c.topExact, false);
  assert.ok(c.topFloor! > 0);
  assert.is(c.top![0]!.value, 'hot');
  for (const t of c.top!) {
    const real = truth.get(t.value)!;
    assert.ok(t.count - t.error <= real && real <= t.count, `${t.value}: ${t.count - t.error}–${t.count}, true ${real}`);
  }
  const lower = c.top!.map((t) => t.count - t.error);
  assert.equal(
    lower,
    [...lower].sort((a, b) => b - a),
  );
  // A column that fits is exact, floor 0; numeric columns have neither.
  const few = new ColumnStats({ topCapacity: 64 });
  few.update(
    Batch.fromRows(
      rows.slice(0, 40).map((r, i) => ({ ...r, c: `k${i % 5}` })),
      schema,
    ),
  );
  assert.equal([few.summary('c')!.topExact, few.summary('c')!.topFloor, few.summary('x')!.topExact], [true, 0, null]);
  assert.throws(() => new ColumnStats({ topCapacity: 0 }), /capacity/);
});

test.run();

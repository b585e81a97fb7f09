import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Batch, type Column, Schema, SpecError } from '../../src/core/index.js';
import { OneHot, SPLIT_COLUMN } from '../../src/features/index.js';

const schema = Schema.from({ c: 'category' });
const rows = (vals: Array<string | null>) =>
  Batch.fromRows(
    vals.map((c) => ({ c })),
    schema,
  );

test('hand-computed encoding: vocabulary order, cap, other bucket, missing and empty string', () => {
  const t = new OneHot(['c'], { maxCategories: 2 });
  const b = rows(['SEA', 'LAX', 'SEA', 'JFK', null, '']);
  t.learn(b);
  assert.equal(t.categories('c'), ['SEA', 'LAX']);
  const out = t.apply(b);
  const col = out.column('c');
  if (col.type !== 'vector') throw new Error('expected vector');
  assert.is(col.width, 3);
  assert.equal(col.names, ['SEA', 'LAX', '<other>']);
  // SEA→0, LAX→1, SEA→0, JFK→other(2), missing→nothing, ""→other(2) (cap reached)
  assert.equal([...col.indptr], [0, 1, 2, 3, 4, 4, 5]);
  assert.equal([...col.indices], [0, 1, 0, 2, 2]);
  assert.equal([...col.values], [1, 1, 1, 1, 1]);
  assert.equal(out.value('c', 4), {});
});

test('empty string is an ordinary category; other: false gives zeros for unseen values', () => {
  const t = new OneHot(['c'], { maxCategories: 5, other: false });
  t.learn(rows(['', 'a']));
  const col = t.apply(rows(['a', '', 'zzz'])).column('c');
  if (col.type !== 'vector') throw new Error('expected vector');
  assert.is(col.width, 5);
  assert.equal([...col.indptr], [0, 1, 2, 2]);
  assert.equal([...col.indices], [1, 0]);
  assert.is(col.names![2], '#2');
});

test('vocabulary grows online across batches and with new dictionaries; width stays fixed', () => {
  const t = new OneHot(['c'], { maxCategories: 3 });
  const b1 = rows(['x']);
  t.learn(b1);
  const b2 = rows(['y', 'x']); // different dictionary: y has code 0 here
  assert.equal(t.apply(b2).value('c', 0), { 3: 1 }, 'unseen before learning → other');
  t.learn(b2);
  assert.equal(t.apply(b2).value('c', 0), { 1: 1 });
  assert.equal(t.apply(b2).value('c', 1), { 0: 1 });
});

test('learns from training rows only (no leak from validation/test rows)', () => {
  const s = Schema.from({ c: 'category', [SPLIT_COLUMN]: 'integer' });
  const b = Batch.fromRows(
    [
      { c: 'a', [SPLIT_COLUMN]: 0 },
      { c: 'val', [SPLIT_COLUMN]: 1 },
      { c: 'test', [SPLIT_COLUMN]: 2 },
      { c: 'b', [SPLIT_COLUMN]: 0 },
    ],
    s,
  );
  const t = new OneHot(['c'], { maxCategories: 10 });
  t.learn(b);
  assert.equal(t.categories('c'), ['a', 'b']);
  assert.equal(t.apply(b).value('c', 1), { 10: 1 }, 'a validation-only category is "other"');
});

test('integer and boolean columns, toJSON/fromJSON round trip, option errors', () => {
  const b = Batch.fromRows(
    [
      { n: 3, f: true },
      { n: 7, f: false },
      { n: 3, f: null },
    ],
    Schema.from({ n: 'integer', f: 'boolean' }),
  );
  const t = new OneHot(['n', 'f'], { maxCategories: 4 });
  t.learn(b);
  const u = OneHot.fromJSON(JSON.parse(JSON.stringify(t.toJSON())));
  assert.equal(u.apply(b).toRows(), t.apply(b).toRows());
  assert.equal(u.categories('n'), ['3', '7']);
  assert.equal(t.apply(b).value('f', 2), {});
  assert.throws(
    () => new OneHot(['c'], { maxCategories: 0 }),
    (e: unknown) => e instanceof SpecError && e.path === 'oneHot.maxCategories',
  );
  assert.throws(
    () => new OneHot([]),
    (e: unknown) => e instanceof SpecError && e.path === 'oneHot.columns',
  );
  assert.throws(() => t.apply(Batch.fromRows([{ n: 1.5, f: true }], Schema.from({ n: 'number', f: 'boolean' }))), /category, text, integer or boolean/);
});

test('complete columns share indptr 0..n and the ones; the same rows with an all-present bitmap, or with a missing row, encode alike', () => {
  const s2 = Schema.from({ a: 'category', b: 'category' });
  const vals = [
    ['x', 'p'],
    ['y', 'q'],
    ['x', 'zz'],
    ['w', 'p'],
  ] as const;
  const b = Batch.fromRows(
    vals.map(([a, bb]) => ({ a, b: bb })),
    s2,
  );
  const t = new OneHot(['a', 'b'], { maxCategories: 2 });
  t.learn(b);
  const out = t.apply(b);
  const a = out.column('a'),
    bc = out.column('b');
  if (a.type !== 'vector' || bc.type !== 'vector') throw new Error('expected vectors');
  assert.equal([...a.indptr], [0, 1, 2, 3, 4]);
  assert.equal([...a.indices], [0, 1, 0, 2]); // w is past the cap: other
  assert.equal([...bc.indices], [0, 1, 2, 0]);
  assert.ok(a.indptr === bc.indptr && a.values === bc.values, 'one indptr and one values array for the batch');
  assert.equal([...a.values], [1, 1, 1, 1]);
  // An all-present bitmap takes the per-row path in the vocabulary: same encoding.
  const ac = b.column('a') as Extract<Column, { type: 'category' }>;
  const bits = b.withColumn('a', { ...ac, validity: new Uint8Array([0b1111]) });
  assert.equal(t.apply(bits).toRows(), out.toRows());
  // A missing row (general path) next to a complete column: only that column loses its row.
  const miss = b.withColumn('a', { ...ac, validity: new Uint8Array([0b1101]) });
  const m = t.apply(miss);
  const ma = m.column('a'),
    mb = m.column('b');
  if (ma.type !== 'vector' || mb.type !== 'vector') throw new Error('expected vectors');
  assert.equal([...ma.indptr], [0, 1, 1, 2, 3]);
  assert.equal([...ma.indices], [0, 0, 2]);
  assert.equal([...mb.indptr], [0, 1, 2, 3, 4]);
  assert.is(ma.values.length, 3);
});

test('other: false with values outside the vocabulary takes the general path', () => {
  const t = new OneHot(['c'], { maxCategories: 1, other: false });
  const b = rows(['a', 'b', 'a']);
  t.learn(b);
  const col = t.apply(b).column('c');
  if (col.type !== 'vector') throw new Error('expected vector');
  assert.equal([...col.indptr], [0, 1, 1, 2]);
  assert.equal([...col.indices], [0, 0]);
});

test('integer values: small ones through the value table, large and negative ones by key, alike across batches and restored states', () => {
  const schema = Schema.from({ n: 'integer' });
  const vals = [5, 4095, 4096, -3, 5, 100000, 4095, null, 7];
  const b = Batch.fromRows(
    vals.map((n) => ({ n })),
    schema,
  );
  const t = new OneHot(['n'], { maxCategories: 5 });
  t.learn(b);
  // Five slots: 7 (the sixth distinct value) goes to other.
  assert.equal(t.categories('n'), ['5', '4095', '4096', '-3', '100000']);
  const out = t
    .apply(b)
    .toRows()
    .map((r) => r.n);
  assert.equal(out, [{ 0: 1 }, { 1: 1 }, { 2: 1 }, { 3: 1 }, { 0: 1 }, { 4: 1 }, { 1: 1 }, {}, { 5: 1 }]);
  const u = OneHot.fromJSON(JSON.parse(JSON.stringify(t.toJSON())));
  assert.equal(u.apply(b).toRows(), t.apply(b).toRows());
  // Before the vocabulary is full, an unknown value may still join it later.
  const v = new OneHot(['n'], { maxCategories: 3 });
  v.learn(Batch.fromRows([{ n: 1 }], schema));
  assert.equal(v.apply(Batch.fromRows([{ n: 2 }], schema)).value('n', 0), { 3: 1 });
  v.learn(Batch.fromRows([{ n: 2 }], schema));
  assert.equal(v.apply(Batch.fromRows([{ n: 2 }], schema)).value('n', 0), { 1: 1 });
});

test('integer columns without a bitmap (the known-value loops of learn and ids) encode and learn as with an all-present bitmap (the per-row loops)', () => {
  const schema = Schema.from({ n: 'integer' });
  const make = (vals: number[], bitmap: boolean) => {
    const b = Batch.fromRows(
      vals.map((n) => ({ n })),
      schema,
    );
    const c = b.column('n') as Extract<Column, { type: 'integer' }>;
    return bitmap ? b.withColumn('n', { ...c, validity: new Uint8Array((vals.length + 7) >> 3).fill(0xff) }) : b;
  };
  // Known values first, then unknown ones mid-batch (small, large, negative), the cap reached, values past it.
  const batches = [
    [3, 1, 3, 3, 1],
    [1, 3, 2, 3, 9000, 1, -4],
    [2, 2, 1, 3, 5, 6, 7, 1, 8],
    [8, 1, 2, 3, 4095, 4096, 9000, -4, 0],
  ];
  for (const other of [true, false]) {
    const fast = new OneHot(['n'], { maxCategories: 6, other }),
      slow = new OneHot(['n'], { maxCategories: 6, other });
    for (const vals of batches) {
      const plain = make(vals, false),
        bits = make(vals, true);
      fast.learn(plain);
      slow.learn(bits);
      assert.equal(fast.categories('n'), slow.categories('n'));
      assert.equal(fast.apply(plain).toRows(), slow.apply(bits).toRows(), `${vals} other ${other}`);
    }
    assert.equal(fast.toJSON(), slow.toJSON());
  }
});

test('complete columns of batches of one length share one indptr and ones; another length gets its own, values unchanged', () => {
  const t = new OneHot(['c'], { maxCategories: 3 });
  const b1 = rows(['x', 'y', 'x']),
    b2 = rows(['y', 'z', 'w']),
    b3 = rows(['x', 'y']);
  t.learn(b1);
  t.learn(b2);
  const v = (b: Batch) => {
    const c = t.apply(b).column('c');
    if (c.type !== 'vector') throw new Error('expected a vector');
    return c;
  };
  const [c1, c2, c3] = [v(b1), v(b2), v(b3)];
  assert.ok(c1.indptr === c2.indptr && c1.values === c2.values);
  assert.ok(c3.indptr !== c1.indptr);
  assert.equal([...c1.indptr], [0, 1, 2, 3]);
  assert.equal([...c3.indptr], [0, 1, 2]);
  assert.equal([...c3.values], [1, 1]);
  assert.equal(t.apply(b1).toRows(), [{ c: { 0: 1 } }, { c: { 1: 1 } }, { c: { 0: 1 } }]);
  assert.equal(t.apply(b2).toRows(), [{ c: { 1: 1 } }, { c: { 2: 1 } }, { c: { 3: 1 } }]);
});

test.run();

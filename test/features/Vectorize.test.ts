import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BadRows, Telemetry } from '../../src/core/index.js';
import { Vectorize } from '../../src/features/index.js';
import { Batch, type Column, Schema, SPLIT_COLUMN } from '../../src/index.js';

function withVector(b: Batch, name: string, width: number, rows: Array<Array<[number, number]>>, names: string[] | null = null): Batch {
  const indptr = new Int32Array(rows.length + 1);
  const idx: number[] = [],
    val: number[] = [];
  rows.forEach((r, i) => {
    for (const [j, v] of r) {
      idx.push(j);
      val.push(v);
    }
    indptr[i + 1] = idx.length;
  });
  const col: Column = { type: 'vector', width, indptr, indices: Int32Array.from(idx), values: Float32Array.from(val), names, validity: null };
  return b.withColumn(name, col);
}

test('dense layout: numbers, booleans and a one-hot vector, category target as class indices', () => {
  const base = Batch.fromRows(
    [
      { a: 1.5, f: true, y: 'no' },
      { a: -2, f: false, y: 'yes' },
      { a: 0, f: true, y: 'no' },
    ],
    Schema.from({ a: 'number', f: 'boolean', y: 'category' }),
  );
  const b = withVector(base, 'city', 3, [[[0, 1]], [[2, 1]], [[1, 1]]], ['SEA', 'LAX', 'NYC']);
  const v = new Vectorize({ target: 'y' });
  v.learn(b);
  const m = v.apply(b);
  assert.is(m.kind, 'dense');
  assert.equal(m.featureNames, ['a', 'f', 'city=SEA', 'city=LAX', 'city=NYC']);
  assert.equal(Array.from(m.values), [1.5, 1, 1, 0, 0, -2, 0, 0, 0, 1, 0, 1, 0, 1, 0]);
  assert.equal(Array.from(m.targets!), [0, 1, 0]);
  assert.equal(v.classes, ['no', 'yes']);
  assert.equal(Array.from(m.rowIds!), [0, 1, 2]);
});

test('CSR when hashed slots dominate; rows agree with the dense form', () => {
  const base = Batch.fromRows([{ a: 2 }, { a: 0 }], Schema.from({ a: 'number' }));
  const b = withVector(base, 'h', 1024, [
    [
      [5, 1],
      [900, 2],
    ],
    [[7, -1]],
  ]);
  const v = new Vectorize();
  v.learn(b);
  const m = v.apply(b);
  assert.is(m.kind, 'csr');
  assert.is(m.cols, 1025);
  assert.equal(Array.from(m.indptr!), [0, 3, 4]);
  assert.equal(Array.from(m.indices!), [0, 6, 901, 8]);
  const d = new Vectorize({ output: 'dense' });
  d.learn(b);
  assert.equal(Array.from(d.apply(b).values), Array.from(m.toDense().values));
});

test('raw category/text/datetime columns name the encoder; missing features are bad rows', () => {
  const b = Batch.fromRows([{ a: 1, c: 'x' }], Schema.from({ a: 'number', c: 'category' }));
  assert.throws(() => new Vectorize().learn(b), /column "c": vectorize cannot take a raw category column: encode it first with oneHot/);
  const miss = Batch.fromRows([{ a: 1 }, { a: null }, { a: NaN }], Schema.from({ a: 'number' }));
  assert.throws(() => new Vectorize().apply(miss), /vectorize:0:1: column "a" value "": required/);
  const z = new Vectorize({ missing: 'zero' });
  assert.equal(Array.from(z.apply(miss).values), [1, 0, 0]);
});

test('layout is fixed by the learned batch; split column and drop are left out; labels learn from training rows only', () => {
  const s = Schema.from({ a: 'number', b: 'integer', w: 'number', y: 'category', [SPLIT_COLUMN]: 'integer' });
  const b = Batch.fromRows(
    [
      { a: 1, b: 2, w: 0.5, y: 'cat', [SPLIT_COLUMN]: 0 },
      { a: 3, b: 4, w: null, y: 'dog', [SPLIT_COLUMN]: 1 },
    ],
    s,
  );
  const v = new Vectorize({ target: 'y', weight: 'w', drop: ['b'] });
  v.learn(b);
  const m = v.apply(b);
  assert.equal(m.featureNames, ['a']);
  assert.equal(Array.from(m.weights!), [0.5, 0]);
  assert.equal(v.classes, ['cat']);
  assert.ok(Number.isNaN(m.targets![1]!), 'a label first seen in validation rows gets NaN');
  const serving = Batch.fromRows([{ extra: 9, a: 7 }], Schema.from({ extra: 'number', a: 'number' }));
  const r = Vectorize.fromJSON(JSON.parse(JSON.stringify(v.toJSON())));
  const sm = r.apply(serving);
  assert.equal(Array.from(sm.values), [7]);
  assert.is(sm.targets, null);
});

test('CSR over every slot kind matches the dense form: zeros and non-finite values not stored, indices ascending', () => {
  const n = 9;
  const a = Float64Array.from([0, 1.5, -0, NaN, Infinity, 2, -3, 1e-50, 4]);
  const base = new Batch(
    Schema.from({ a: 'number', k: 'integer', f: 'boolean' }),
    [
      { type: 'number', values: a, validity: null },
      { type: 'integer', values: Int32Array.from([0, 1, -2, 0, 3, 0, 7, 0, 1]), validity: null },
      { type: 'boolean', values: Uint8Array.from([1, 0, 1, 0, 1, 1, 0, 0, 1]), validity: null },
    ],
    n,
  );
  // Vector rows: empty, one entry, several entries, including a stored explicit zero.
  const rows: Array<Array<[number, number]>> = [
    [],
    [[0, 1]],
    [
      [1, 2],
      [3, 0.5],
    ],
    [],
    [[2, 0]],
    [
      [0, 1],
      [1, 1],
      [2, 1],
      [3, 1],
    ],
    [[3, -1]],
    [],
    [[1, 1]],
  ];
  const b = withVector(withVector(base, 'u', 4, rows), 'w', 70, rows.map((r) => r.map(([j, v]) => [j * 17, v] as [number, number])).reverse());
  for (const features of [
    ['u', 'a', 'k', 'w', 'f'],
    ['f', 'w', 'a', 'u', 'k'],
  ]) {
    const csr = new Vectorize({ features, output: 'csr', missing: 'zero' });
    const dense = new Vectorize({ features, output: 'dense', missing: 'zero' });
    csr.learn(b);
    dense.learn(b);
    const m = csr.apply(b),
      d = dense.apply(b);
    assert.is(m.kind, 'csr');
    assert.equal(Array.from(m.toDense().values), Array.from(d.values));
    const slot = (name: string) => csr.layout!.slots.find((s) => s.column === name)!.offset;
    for (let i = 0; i < n; i++) {
      const idx = Array.from(m.indices!.subarray(m.indptr![i]!, m.indptr![i + 1]!));
      for (let p = 1; p < idx.length; p++) assert.ok(idx[p]! > idx[p - 1]!, `row ${i} indices ascend`);
      // A dense slot is stored exactly when its value is non-zero and finite; vector entries always are.
      assert.is(idx.includes(slot('a')), a[i] !== 0 && Number.isFinite(a[i]!), `row ${i} a`);
      assert.is(idx.filter((j) => j >= slot('u') && j < slot('u') + 4).length, rows[i]!.length, `row ${i} u entries`);
    }
    // A batch after the layout is fixed reuses it (same offsets, a second call on the compiled loop).
    const again = csr.apply(b);
    assert.equal(Array.from(again.indices!), Array.from(m.indices!));
    assert.equal(Array.from(again.values), Array.from(m.values));
  }
});

test('CSR: one-entry-per-row vectors (one-hot), rebased indptr and general vectors give the same rows as the dense form', () => {
  const base = Batch.fromRows(
    [
      { a: 2, k: 0 },
      { a: 0, k: 3 },
      { a: -1.5, k: 7 },
      { a: 4, k: 0 },
    ],
    Schema.from({ a: 'number', k: 'integer' }),
  );
  // o: one entry per row (the fast path); g: rows with 0 and 2 entries (general path).
  let b = withVector(base, 'o', 100, [[[3, 1]], [[0, 1]], [[99, 1]], [[3, 1]]]);
  b = withVector(b, 'g', 50, [
    [
      [1, 0.5],
      [4, 2],
    ],
    [],
    [[0, 1]],
    [[49, -1]],
  ]);
  const v = new Vectorize({ output: 'csr' });
  v.learn(b);
  const m = v.apply(b);
  // a@0, k@1, o@2.., g@102..
  assert.equal(Array.from(m.indptr!), [0, 4, 6, 10, 13]);
  assert.equal(Array.from(m.indices!), [0, 5, 103, 106, 1, 2, 0, 1, 101, 102, 0, 5, 151]);
  const d = new Vectorize({ output: 'dense' });
  d.learn(b);
  assert.equal(Array.from(m.toDense().values), Array.from(d.apply(b).values));
  // The same one-hot rows behind an indptr that starts past unused entries: same output.
  const o = b.column('o') as Extract<Column, { type: 'vector' }>;
  const rebased: Column = {
    ...o,
    indptr: Int32Array.from(o.indptr, (p) => p + 2),
    indices: Int32Array.from([7, 7, ...o.indices]),
    values: Float32Array.from([9, 9, ...o.values]),
  };
  const m2 = v.apply(b.withColumn('o', rebased));
  assert.equal(Array.from(m2.indptr!), Array.from(m.indptr!));
  assert.equal(Array.from(m2.indices!), Array.from(m.indices!));
  assert.equal(Array.from(m2.values), Array.from(m.values));
});

test('CSR: a number column with an all-present bitmap gives the same output as without one', () => {
  const base = Batch.fromRows(
    [
      { a: 1.25, b: 0 },
      { a: 0, b: 2 },
      { a: -3, b: 1 },
    ],
    Schema.from({ a: 'number', b: 'integer' }),
  );
  const b = withVector(base, 'h', 80, [[[1, 1]], [[2, 1]], [[3, 1]]]);
  const a = b.column('a') as Extract<Column, { type: 'number' }>;
  const withBits = b.withColumn('a', { ...a, validity: new Uint8Array([0b111]) });
  const v = new Vectorize();
  v.learn(b);
  const m1 = v.apply(b),
    m2 = v.apply(withBits);
  assert.is(m1.kind, 'csr');
  assert.equal(
    [Array.from(m2.indptr!), Array.from(m2.indices!), Array.from(m2.values)],
    [Array.from(m1.indptr!), Array.from(m1.indices!), Array.from(m1.values)],
  );
});

test('CSR: a malformed vector indptr is a SchemaError, not a silently short matrix', () => {
  const base = Batch.fromRows([{ a: 1 }, { a: 2 }], Schema.from({ a: 'number' }));
  const bad: Column = {
    type: 'vector',
    width: 100,
    indptr: Int32Array.from([0, 2, 1]),
    indices: Int32Array.from([1, 2]),
    values: Float32Array.from([1, 1]),
    names: null,
    validity: null,
  };
  const v = new Vectorize({ output: 'csr' });
  const b = base.withColumn('h', bad);
  v.learn(b);
  assert.throws(() => v.apply(b), /malformed indptr/);
});

test('fixClasses: sorted labels map category, integer and boolean targets; later labels are not learned; the state keeps them', () => {
  const v = new Vectorize({ target: 'y' });
  v.fixClasses(['benign', 'malignant']);
  const b = Batch.fromRows(
    [
      { x: 1, y: 'malignant' },
      { x: 2, y: 'other' },
      { x: 3, y: 'benign' },
    ],
    Schema.from({ x: 'number', y: 'category' }),
  );
  v.learn(b);
  assert.equal(v.classes, ['benign', 'malignant']);
  assert.equal([...v.apply(b).targets!], [1, NaN, 0]);
  const again = Vectorize.fromJSON(JSON.parse(JSON.stringify(v.toJSON())));
  assert.equal([...again.apply(b).targets!], [1, NaN, 0]);
  again.learn(b);
  assert.equal(again.classes, ['benign', 'malignant']);

  const n = new Vectorize({ target: 'y' });
  n.fixClasses(['1', '2', '3']);
  const nb = Batch.fromRows(
    [
      { x: 1, y: 3 },
      { x: 1, y: 1 },
      { x: 1, y: 7 },
    ],
    Schema.from({ x: 'number', y: 'integer' }),
  );
  assert.equal([...n.apply(nb).targets!], [2, 0, NaN]);
  // A positive class chosen first: booleans map through the list too.
  const t = new Vectorize({ target: 'y' });
  t.fixClasses(['true', 'false']);
  const tb = Batch.fromRows(
    [
      { x: 1, y: true },
      { x: 1, y: false },
    ],
    Schema.from({ x: 'number', y: 'boolean' }),
  );
  assert.equal([...t.apply(tb).targets!], [0, 1]);
  // 0..k−1 in order is the identity: values pass as they are.
  const id = new Vectorize({ target: 'y' });
  id.fixClasses(['0', '1']);
  assert.equal(
    [
      ...id.apply(
        Batch.fromRows(
          [
            { x: 1, y: 1 },
            { x: 1, y: 0 },
          ],
          Schema.from({ x: 'number', y: 'integer' }),
        ),
      ).targets!,
    ],
    [1, 0],
  );
});

test('dense rows of many plain columns in row blocks: same values as row by row, books kept; non-finite values still rejected', () => {
  // 300 rows (more than one block of rows) of number, integer and boolean columns with no bitmap.
  const n = 300,
    names = ['a', 'b', 'c', 'd'];
  const a = Float64Array.from({ length: n }, (_, i) => i / 7 - 3),
    b = Int32Array.from({ length: n }, (_, i) => (i * 37) % 11),
    c = Uint8Array.from({ length: n }, (_, i) => i % 2),
    d = Float64Array.from({ length: n }, (_, i) => -i),
    y = Int32Array.from({ length: n }, (_, i) => i % 3);
  const columns: Column[] = [
    { type: 'number', values: a, validity: null },
    { type: 'integer', values: b, validity: null },
    { type: 'boolean', values: c, validity: null },
    { type: 'number', values: d, validity: null },
    { type: 'integer', values: y, validity: null },
  ];
  const batch = new Batch(Schema.from({ a: 'number', b: 'integer', c: 'boolean', d: 'number', y: 'integer' }), columns, n);
  const v = new Vectorize({ target: 'y' });
  v.badRows = new BadRows('vectorize', { badRows: 'skip', telemetry: new Telemetry() });
  v.learn(batch);
  const x = v.apply(batch);
  assert.is(x.kind, 'dense');
  assert.equal([x.rows, x.cols], [n, 4]);
  assert.equal(x.featureNames, names);
  for (let i = 0; i < n; i++) assert.equal(Array.from(x.values.subarray(i * 4, i * 4 + 4)), [Math.fround(a[i]!), b[i]!, c[i]!, d[i]!], `row ${i}`);
  assert.equal(Array.from(x.targets!), Array.from(y));
  assert.is(x.rowIds, batch.rowIds);
  assert.equal([v.badRows.read, v.badRows.skipped], [n, 0]);
  // A non-finite value in the last block: its row is rejected (skip), the others kept in order.
  const bad = Float64Array.from(d);
  bad[n - 2] = Number.POSITIVE_INFINITY;
  const x2 = v.apply(batch.withColumn('d', { type: 'number', values: bad, validity: null }));
  assert.is(x2.rows, n - 1);
  assert.equal(Array.from(x2.values.subarray((n - 2) * 4, (n - 1) * 4)), [Math.fround(a[n - 1]!), b[n - 1]!, c[n - 1]!, d[n - 1]!]);
  assert.equal([v.badRows.read, v.badRows.skipped, v.badRows.byReason['non-finite']], [2 * n, 1, 1]);
  // missing: zero keeps the row, with 0 for the value.
  const z = new Vectorize({ target: 'y', missing: 'zero' });
  const x3 = z.apply(batch.withColumn('d', { type: 'number', values: bad, validity: null }));
  assert.is(x3.rows, n);
  assert.is(x3.values[(n - 2) * 4 + 3], 0);
});

test('dense rows of runs of number columns (copied four at a time): same values as one by one; non-finite cells rejected, or 0 with missing: zero', () => {
  // 11 columns: 4 numbers, an integer, 5 numbers (a group of four and one left over), a boolean; 200 rows.
  const n = 200,
    types: Column['type'][] = ['number', 'number', 'number', 'number', 'integer', 'number', 'number', 'number', 'number', 'number', 'boolean'];
  const names = types.map((_, k) => `c${k}`);
  const columns = (bad: boolean): Column[] =>
    types.map((t, k) => {
      if (t === 'integer') return { type: 'integer', values: Int32Array.from({ length: n }, (_, i) => (i * 13) % 17), validity: null };
      if (t === 'boolean') return { type: 'boolean', values: Uint8Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0)), validity: null };
      const v = Float64Array.from({ length: n }, (_, i) => Math.sin(i * (k + 1)) * 10 ** (k % 3));
      // Non-finite cells in a group of four (first and last column of it) and in the column left over.
      if (bad && k === 0) v[5] = Number.NaN;
      if (bad && k === 8) v[150] = Number.NEGATIVE_INFINITY;
      if (bad && k === 9) v[199] = Number.POSITIVE_INFINITY;
      return { type: 'number', values: v, validity: null };
    });
  const schema = Schema.from(Object.fromEntries(names.map((c, k) => [c, types[k]!])));
  const expect = (cols: Column[], i: number) =>
    cols.map((c) => {
      const x = (c as { values: ArrayLike<number> }).values[i]!;
      return Number.isFinite(x) ? Math.fround(x) : 0;
    });
  const clean = columns(false);
  const v = new Vectorize();
  const x = v.apply(new Batch(schema, clean, n));
  assert.equal([x.kind, x.rows, x.cols], ['dense', n, types.length]);
  for (let i = 0; i < n; i++) assert.equal(Array.from(x.values.subarray(i * 11, (i + 1) * 11)), expect(clean, i), `row ${i}`);
  const dirty = columns(true);
  const z = new Vectorize({ missing: 'zero' }).apply(new Batch(schema, dirty, n));
  assert.is(z.rows, n);
  for (let i = 0; i < n; i++) assert.equal(Array.from(z.values.subarray(i * 11, (i + 1) * 11)), expect(dirty, i), `zero row ${i}`);
  const e = new Vectorize();
  e.badRows = new BadRows('vectorize', { badRows: 'skip', telemetry: new Telemetry() });
  const r = e.apply(new Batch(schema, dirty, n));
  assert.equal([r.rows, e.badRows.skipped], [n - 3, 3]);
  assert.equal(Array.from(r.values.subarray(5 * 11, 6 * 11)), expect(dirty, 6), 'row 6 follows row 4');
});

test('CSR: an indptr seen again (one-hot across batches) keeps its one-entry answer; another of the same length is checked afresh', () => {
  const base = Batch.fromRows([{ a: 1 }, { a: 2 }, { a: 3 }], Schema.from({ a: 'number' }));
  const identity = Int32Array.of(0, 1, 2, 3),
    ones = Float32Array.of(1, 1, 1);
  const col = (indptr: Int32Array, indices: number[]): Column => ({
    type: 'vector',
    width: 80,
    indptr,
    indices: Int32Array.from(indices),
    values: indptr === identity ? ones : new Float32Array(indptr[3]!).fill(1),
    names: null,
    validity: null,
  });
  const v = new Vectorize({ output: 'csr' }),
    fresh = () => new Vectorize({ output: 'csr' });
  const b1 = base.withColumn('o', col(identity, [5, 6, 7])),
    b2 = base.withColumn('o', col(identity, [9, 9, 1])),
    b3 = base.withColumn('o', col(Int32Array.of(0, 2, 2, 3), [4, 8, 2]));
  v.learn(b1);
  for (const b of [b1, b2, b3, b1]) {
    const want = fresh();
    want.learn(b);
    const m = v.apply(b),
      w = want.apply(b);
    assert.equal([Array.from(m.indptr!), Array.from(m.indices!), Array.from(m.values)], [Array.from(w.indptr!), Array.from(w.indices!), Array.from(w.values)]);
  }
  assert.equal(Array.from(v.apply(b3).indices!), [0, 5, 9, 0, 0, 3]);
});

test.run();

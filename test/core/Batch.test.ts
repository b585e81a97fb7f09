import * as arrow from 'apache-arrow';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Batch, batchFromArrow, batchToArrow, Schema, validity } from '../../src/core/index.js';

test('fromRows keeps values, types and missing cells', () => {
  const b = Batch.fromRows([
    { a: 1.5, c: 'x', f: true },
    { a: null, c: 'y', f: false },
    { a: -2, c: null, f: null },
  ]);
  assert.equal(
    b.schema.fields.map((f) => f.type),
    ['number', 'category', 'boolean'],
  );
  assert.equal(b.toRows(), [
    { a: 1.5, c: 'x', f: true },
    { a: null, c: 'y', f: false },
    { a: -2, c: null, f: null },
  ]);
  assert.is(validity.nullCount(b.column('a').validity, 3), 1);
});

test('withColumn, drop, select, rename, filter and slice keep rowIds aligned', () => {
  const b = Batch.fromRows([
    { a: 1, b: 'p' },
    { a: 2, b: 'q' },
    { a: 3, b: 'r' },
  ]);
  const c = b.withColumn('d', { type: 'number', values: new Float64Array([10, 20, 30]), validity: null });
  assert.equal(c.names, ['a', 'b', 'd']);
  assert.equal(c.drop(['a']).names, ['b', 'd']);
  assert.equal(c.select(['d', 'a']).names, ['d', 'a']);
  assert.equal(c.rename({ a: 'z' }).names, ['z', 'b', 'd']);
  const f = c.filter(new Uint8Array([1, 0, 1]));
  assert.equal(f.toRows(), [
    { a: 1, b: 'p', d: 10 },
    { a: 3, b: 'r', d: 30 },
  ]);
  assert.equal(Array.from(f.rowIds), [0, 2]);
  assert.equal(Array.from(c.slice(1).rowIds), [1, 2]);
  assert.throws(() => c.column('nope'), /column "nope": no such column/);
});

test('withColumns replaces and adds many columns at once, as withColumn one by one would', () => {
  const b = Batch.fromRows([
    { a: 1, b: 'p', c: 5 },
    { a: 2, b: 'q', c: 6 },
  ]);
  const x = { type: 'number', values: new Float64Array([7, 8]), validity: null } as const;
  const y = { type: 'boolean', values: new Uint8Array([1, 0]), validity: null } as const;
  const z = { type: 'number', values: new Float64Array([0.5, 0.25]), validity: null } as const;
  const entries = [
    { name: 'c', column: x },
    { name: 'c_missing', column: y, nullable: false },
    { name: 'a', column: z },
    { name: 'c_missing', column: y },
  ];
  const many = b.withColumns(entries);
  const one = entries.reduce((acc, e) => acc.withColumn(e.name, e.column, e.nullable), b);
  assert.equal(many.names, ['a', 'b', 'c', 'c_missing']);
  assert.equal(many.schema.fields, one.schema.fields);
  assert.equal(many.toRows(), one.toRows());
  assert.equal(many.toRows()[1], { a: 0.25, b: 'q', c: 8, c_missing: false });
  assert.is(many.rowIds, b.rowIds);
  assert.is(b.withColumns([]), b);
  assert.throws(
    () =>
      b.withColumns([
        { name: 'a', column: { type: 'number', values: new Float64Array(3), validity: null } },
        { name: 'c', column: x },
      ]),
    /column "a": column has 3 values, batch has 2 rows/,
  );
});

test('withColumn checks the column it sets; a batch built next is checked whole', () => {
  const b = Batch.fromRows([{ a: 1 }, { a: 2 }]);
  assert.throws(() => b.withColumn('x', { type: 'number', values: new Float64Array(3), validity: null }), /column "x": column has 3 values, batch has 2 rows/);
  assert.throws(() => b.withColumn('a', { type: 'number', values: new Float64Array(1), validity: null }), /column "a": column has 1 values, batch has 2 rows/);
  const ok = b.withColumn('a', { type: 'number', values: new Float64Array([5, 6]), validity: null });
  assert.equal(ok.toRows(), [{ a: 5 }, { a: 6 }]);
  // A plain construction after a withColumn checks every column again.
  const s = Schema.from({ p: 'number', q: 'number' });
  assert.throws(
    () =>
      new Batch(
        s,
        [
          { type: 'number', values: new Float64Array(2), validity: null },
          { type: 'number', values: new Float64Array(5), validity: null },
        ],
        2,
      ),
    /column "q": column has 5 values, batch has 2 rows/,
  );
});

test('Arrow round trip keeps every type, missing values and dictionary strings', () => {
  const schema = Schema.from({ n: 'number', i: 'integer', b: 'boolean', c: 'category', d: 'datetime' });
  const b = Batch.fromRows(
    [
      { n: 1.25, i: 7, b: true, c: 'SEA', d: Date.UTC(2024, 0, 2, 3, 4, 5) },
      { n: null, i: null, b: false, c: null, d: null },
      { n: -3, i: -1, b: null, c: 'LAX', d: 0 },
    ],
    schema,
  );
  const rb = batchToArrow(b);
  assert.is(rb.numRows, 3);
  const back = batchFromArrow(rb);
  assert.equal(back.toRows(), b.toRows());
  // zero-copy: the number column's values are the same memory
  assert.ok(
    back.column('n').type === 'number' &&
      (back.column('n') as { values: Float64Array }).values.buffer === (b.column('n') as { values: Float64Array }).values.buffer,
  );
});

test('batchFromArrow reads sliced record batches and every time unit correctly', () => {
  const t0 = Date.UTC(1969, 11, 31, 23, 0, 0);
  const table = arrow.tableFromArrays({
    f: Float64Array.from({ length: 10 }, (_, i) => i + 0.5),
    i: Int32Array.from({ length: 10 }, (_, i) => i * 10),
    big: BigInt64Array.from({ length: 10 }, (_, i) => BigInt(i) * 5000000000n),
  });
  const sliced = table.batches[0]!.slice(3, 7);
  const b = batchFromArrow(sliced);
  assert.equal(
    b.toRows(),
    [3, 4, 5, 6].map((i) => ({ f: i + 0.5, i: i * 10, big: i * 5000000000 })),
  );
  for (const [type, scale] of [
    [new arrow.TimestampSecond(), 1000],
    [new arrow.TimestampMillisecond(), 1],
    [new arrow.TimestampMicrosecond(), 1e-3],
    [new arrow.TimestampNanosecond(), 1e-6],
  ] as const) {
    const raw = BigInt64Array.from([BigInt(Math.round(t0 / scale)), BigInt(Math.round((t0 + 86_400_000) / scale))]);
    const data = arrow.makeData({ type, length: 2, nullCount: 0, data: raw as never });
    const rb = new arrow.RecordBatch({ d: data });
    assert.equal(
      batchFromArrow(rb)
        .toRows()
        .map((r) => r.d),
      [t0, t0 + 86_400_000],
      String(type),
    );
  }
});

test.run();

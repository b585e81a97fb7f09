import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BatchBuilder, ColumnBuilder, inferSchema, Schema, StringDictionary, validity } from '../../src/core/index.js';

test('ColumnBuilder grows past its capacity and records missing values', () => {
  const b = new ColumnBuilder('number', 2);
  for (let i = 0; i < 10; i++) i % 3 === 0 ? b.appendNull() : b.appendNumber(i);
  const c = b.finish();
  assert.is(c.type, 'number');
  if (c.type !== 'number') return;
  assert.is(c.values.length, 10);
  assert.is(validity.nullCount(c.validity, 10), 4);
  assert.is(c.values[4], 4);
  assert.ok(Number.isNaN(c.values[3]!));
  assert.is(b.length, 0, 'finish resets the builder');
});

test('ColumnBuilder parses by type and names the failure', () => {
  const n = new ColumnBuilder('integer');
  assert.is(n.appendRaw('12'), null);
  assert.is(n.appendRaw('1.5'), 'type');
  assert.is(n.appendRaw('x'), 'number');
  assert.is(n.appendRaw('3000000000'), 'type');
  const d = new ColumnBuilder('datetime');
  assert.is(d.appendRaw('2020-01-01'), null);
  assert.is(d.appendRaw('2020-02-31'), 'date');
  const bo = new ColumnBuilder('boolean');
  assert.is(bo.appendRaw('true'), null);
  assert.is(bo.appendRaw('maybe'), 'type');
});

test('case 4: a widening integer builder turns number on 12.5, 2767891499 or -3e9, keeping earlier values and missing ones', () => {
  for (const big of ['12.5', '2767891499', '-3e9']) {
    const b = new ColumnBuilder('integer', 2, undefined, { widen: true });
    assert.is(b.appendRaw('1'), null);
    b.appendNull();
    assert.is(b.appendValue(3), null);
    assert.is(b.type, 'integer');
    assert.is(b.appendRaw(big), null, big);
    assert.is(b.type, 'number');
    assert.is(b.appendRaw('x'), 'number', 'not a number at all is still a failure');
    assert.is(b.appendValue(true), 'type');
    assert.is(b.appendValue(4), null);
    const c = b.finish();
    assert.ok(c.type === 'number' && c.values instanceof Float64Array);
    if (c.type !== 'number') return;
    assert.equal(
      [...c.values].map((v) => (Number.isNaN(v) ? null : v)),
      [1, null, 3, +big, 4],
    );
    assert.is(validity.nullCount(c.validity, 5), 1);
    assert.is(b.type, 'number', 'the next batch is number too');
  }
  const json = new ColumnBuilder('integer', 4, undefined, { widen: true });
  assert.is(json.appendValue(2767891499), null);
  assert.is(json.type, 'number');
});

test('category builders keep one dictionary across batches; text starts afresh', () => {
  const dict = new StringDictionary();
  const c = new ColumnBuilder('category', 4, dict);
  c.appendString('a');
  c.appendString('b');
  const first = c.finish();
  c.appendString('b');
  c.appendString('c');
  const second = c.finish();
  assert.ok(first.type === 'category' && second.type === 'category');
  if (first.type !== 'category' || second.type !== 'category') return;
  assert.is(first.dictionary, second.dictionary);
  assert.equal(Array.from(second.codes), [1, 2]);
  const t = new ColumnBuilder('text');
  t.appendString('hello world');
  const t1 = t.finish();
  t.appendString('other');
  const t2 = t.finish();
  assert.ok(t1.type === 'text' && t2.type === 'text' && t1.dictionary !== t2.dictionary);
});

test('BatchBuilder rolls back a row that fails part-way and reports the field', () => {
  const schema = new Schema([
    { name: 'a', type: 'number', nullable: true },
    { name: 'b', type: 'integer', nullable: false },
    { name: 'c', type: 'category', nullable: true },
  ]);
  const bb = new BatchBuilder(schema);
  assert.is(bb.appendRaw(['1.5', '2', 'x'], 0, 2), null);
  assert.equal(bb.appendRaw(['2.5', 'oops', 'y'], 1, 3), { reason: 'number', field: 1 });
  assert.equal(bb.appendRaw(['3.5', '', 'z'], 2, 4), { reason: 'required', field: 1 });
  assert.is(bb.appendRaw(['NA', '4', null], 3, 5), null);
  assert.equal(bb.appendObject({ a: 1, b: 'nope', c: 'q' }, 4, 6), { reason: 'number', field: 1 });
  assert.equal(bb.appendObject({ a: 'x', b: 1 }, 5, 7), { reason: 'number', field: 0 });
  assert.is(bb.appendObject({ a: 7, b: 8, c: true }, 6, 8), null);
  const batch = bb.finish();
  assert.equal(batch.toRows(), [
    { a: 1.5, b: 2, c: 'x' },
    { a: null, b: 4, c: null },
    { a: 7, b: 8, c: 'true' },
  ]);
  assert.equal(Array.from(batch.rowIds), [0, 3, 6]);
  assert.equal(Array.from(batch.lines!), [2, 5, 8]);
});

test('inferSchema picks the narrowest type each column fits', () => {
  const s = inferSchema(
    ['b', 'i', 'n', 'd', 'c', 't', 'e'],
    [
      ['true', '1', '1.5', '2024-01-01', 'SEA', 'the quick brown fox jumps over it', ''],
      ['false', '-7', '2', '2024-01-02T10:00:00Z', 'LAX', 'another long sentence with spaces in it', 'NA'],
      [null, '', 'NaN', '', 'SEA', 'and a third long sentence of free text', ''],
    ],
  );
  assert.equal(
    s.fields.map((f) => f.type),
    ['boolean', 'integer', 'number', 'datetime', 'category', 'text', 'category'],
  );
  const forced = inferSchema(['i'], [['1']], { types: { i: 'category' } });
  assert.is(forced.field('i').type, 'category');
});

test('Schema rejects duplicates and unknown types, and names missing columns', () => {
  assert.throws(
    () =>
      new Schema([
        { name: 'a', type: 'number', nullable: true },
        { name: 'a', type: 'number', nullable: true },
      ]),
    /column "a": duplicate/,
  );
  assert.throws(() => Schema.from({ a: 'float' as never }), /unknown type "float"/);
  assert.throws(() => Schema.from({ a: 'number' }).field('b'), /column "b": no such column; columns are a/);
  const s = Schema.from({ a: 'number' });
  assert.ok(Schema.fromJSON(s.toJSON()).equals(s));
});

test.run();

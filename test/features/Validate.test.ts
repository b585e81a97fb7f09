import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Validate } from '../../src/features/index.js';
import { BadRows, Batch, Schema } from '../../src/index.js';

function withLines(b: Batch): Batch {
  return new Batch(
    b.schema,
    b.columns,
    b.length,
    b.rowIds,
    Float64Array.from(b.rowIds, (r) => r + 2),
  );
}

const raw = withLines(
  Batch.fromRows(
    [
      { id: 'a', age: '31', city: 'SEA', when: '2024-01-02' },
      { id: 'b', age: 'x1', city: 'SEA', when: '2024-01-03' }, // type
      { id: null, age: '40', city: 'LAX', when: '2024-01-04' }, // required
      { id: 'd', age: '150', city: 'SEA', when: '2024-01-05' }, // range
      { id: 'e', age: '20', city: 'NYC', when: '2024-01-06' }, // category
      { id: 'f', age: 'NaN', city: 'SEA', when: '2024-01-07' }, // non-finite
      { id: '', age: '', city: '', when: '1999-01-01' }, // required (empty id), range (when)
      { id: 'h', age: null, city: 'LAX', when: '2024-02-01' },
    ],
    Schema.from({ id: 'category', age: 'category', city: 'category', when: 'category' }),
  ),
);

const spec = {
  types: { age: 'number', when: 'datetime' } as const,
  ranges: { age: { min: 0, max: 120 }, when: { min: '2020-01-01' } },
  categories: { city: ['SEA', 'LAX'] },
  required: ['id'],
};

test('skip drops bad rows, counts each once by its first reason, casts declared types', () => {
  const books = new BadRows('validate', { badRows: 'skip' });
  const v = new Validate({ ...spec, badRows: books });
  const out = v.apply(raw);
  assert.equal(out.toRows(), [
    { id: 'a', age: 31, city: 'SEA', when: Date.UTC(2024, 0, 2) },
    { id: 'h', age: null, city: 'LAX', when: Date.UTC(2024, 1, 1) },
  ]);
  assert.equal(Array.from(out.lines!), [2, 9]);
  assert.equal(books.account(), { read: 8, passed: 2, skipped: 6, skippedByReason: { type: 1, required: 2, range: 1, category: 1, 'non-finite': 1 } });
});

test('fail (or no policy) throws at the source line and column', () => {
  const v = new Validate({ ...spec, badRows: new BadRows('flights.csv', { badRows: 'fail' }) });
  assert.throws(() => v.apply(raw), /flights\.csv:3:2: column "age" value "x1": type/);
  const bare = new Validate({ required: ['id'] });
  assert.throws(() => bare.apply(raw), /validate:4:1: column "id"/);
});

test('nonFinite missing turns NaN/Infinity into missing values', () => {
  const b = Batch.fromRows([{ x: 1 }, { x: Infinity }, { x: NaN }], Schema.from({ x: 'number' }));
  assert.equal(
    new Validate({ nonFinite: 'missing' })
      .apply(b)
      .toRows()
      .map((r) => r.x),
    [1, null, null],
  );
  assert.throws(() => new Validate().apply(b), /non-finite/);
});

test('options and schema problems are named', () => {
  assert.throws(() => new Validate({ types: { x: 'float' as never } }), /validate\.types\.x: expected one of/);
  assert.throws(() => new Validate({ ranges: { x: { min: 5, max: 1 } } }), /validate\.ranges\.x/);
  assert.throws(() => new Validate({ required: ['nope'] }).apply(raw), /column "nope"/);
  const v = new Validate(spec);
  assert.equal(Validate.fromJSON(JSON.parse(JSON.stringify(v.toJSON()))).toJSON(), v.toJSON());
});

test.run();

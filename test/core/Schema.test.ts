import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Schema, SchemaError } from '../../src/core/index.js';

test('with: a replaced field keeps its position and every lookup; an added one goes last; the original is unchanged', () => {
  const s = Schema.from({ a: 'integer', b: 'category', c: 'number' });
  const r = s.with({ name: 'b', type: 'number', nullable: false });
  assert.equal(r.names, ['a', 'b', 'c']);
  assert.equal(r.field('b'), { name: 'b', type: 'number', nullable: false });
  assert.equal([r.indexOf('a'), r.indexOf('b'), r.indexOf('c'), r.indexOf('z')], [0, 1, 2, -1]);
  assert.is(s.field('b').type, 'category');
  // Chained replacements and then an addition, as transforms do column by column.
  const t = r
    .with({ name: 'a', type: 'number', nullable: true })
    .with({ name: 'd', type: 'boolean', nullable: true })
    .with({ name: 'c', type: 'integer', nullable: true });
  assert.equal(t.names, ['a', 'b', 'c', 'd']);
  assert.equal(
    t.fields.map((f) => f.type),
    ['number', 'number', 'integer', 'boolean'],
  );
  assert.equal([t.indexOf('d'), t.has('c'), r.has('d')], [3, true, false]);
  assert.equal(t.without(['b']).names, ['a', 'c', 'd']);
  assert.is(t.without(['b']).indexOf('d'), 2);
});

test('with: an unknown type is refused, and the next schema built is checked as usual', () => {
  const s = Schema.from({ a: 'integer' });
  assert.throws(
    () => s.with({ name: 'a', type: 'decimal' as never, nullable: true }),
    (e: unknown) => e instanceof SchemaError && /unknown type "decimal"/.test((e as Error).message),
  );
  assert.throws(
    () =>
      new Schema([
        { name: 'x', type: 'number', nullable: true },
        { name: 'x', type: 'number', nullable: true },
      ]),
    /duplicate column name/,
  );
});

test.run();

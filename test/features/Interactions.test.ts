import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DropColumns, Interactions, RenameColumns, SelectColumns } from '../../src/features/index.js';
import { Batch, Schema } from '../../src/index.js';

const b = Batch.fromRows(
  [
    { a: 2, b: 3, c: true },
    { a: null, b: 4, c: false },
    { a: NaN, b: 1, c: true },
  ],
  Schema.from({ a: 'number', b: 'integer', c: 'boolean' }),
);

test('chosen pairs and all degree-2 products', () => {
  const p = new Interactions({ pairs: [['a', 'b']] }).apply(b);
  assert.equal(
    p.toRows().map((r) => r['a*b']),
    [6, null, null],
  );
  const all = new Interactions({ columns: ['a', 'b', 'c'], squares: true }).apply(b);
  assert.equal(all.names.slice(3), ['a*a', 'a*b', 'a*c', 'b*b', 'b*c', 'c*c']);
  assert.equal(all.toRows()[1]!['b*c'], 0);
  assert.equal(all.toRows()[0]!['b*b'], 9);
  assert.throws(() => new Interactions({ pairs: [['a', 'b']], nonFinite: 'error' }).apply(b), /non-finite/);
  assert.throws(() => new Interactions({ columns: ['a'] }), /interactions: give pairs/);
  assert.throws(() => new Interactions({ pairs: [['a'] as never] }), /interactions\.pairs\[0\]/);
});

test('select, drop and rename', () => {
  assert.equal(new SelectColumns(['c', 'a']).apply(b).names, ['c', 'a']);
  assert.equal(new DropColumns(['a']).apply(b).names, ['b', 'c']);
  assert.equal(new RenameColumns({ a: 'x' }).apply(b).names, ['x', 'b', 'c']);
  assert.throws(() => new DropColumns(['zz']).apply(b), /column "zz"/);
  assert.throws(() => new SelectColumns([]), /select: expected a non-empty list/);
  const r = RenameColumns.fromJSON(JSON.parse(JSON.stringify(new RenameColumns({ a: 'x' }).toJSON())));
  assert.equal(r.apply(b).names, ['x', 'b', 'c']);
});

test.run();

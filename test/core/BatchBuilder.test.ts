import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BatchBuilder, Schema } from '../../src/core/index.js';

const schema = Schema.from({ id: 'integer', n: 'integer', c: 'category' });

test('case 4: an inferred integer column widens to number on a larger or fractional value; earlier rows kept, later batches number', () => {
  const bb = new BatchBuilder(schema, { capacity: 2, widen: true });
  assert.is(bb.appendObject({ id: 1, n: 10, c: 'a' }, 0, 1), null);
  assert.is(bb.appendObject({ id: 2, n: null, c: 'b' }, 1, 2), null);
  assert.is(bb.schema, schema, 'no widening, no new schema');
  assert.is(bb.appendObject({ id: 3, n: 2767891499, c: 'c' }, 2, 3), null);
  assert.is(bb.schema.field('n').type, 'number');
  assert.is(bb.schema.field('id').type, 'integer');
  assert.is(bb.appendRaw(['4', '12.5', 'd'], 3, 4), null);
  const first = bb.finish();
  assert.is(first.schema.field('n').type, 'number');
  assert.equal(
    first.toRows().map((r) => r.n),
    [10, null, 2767891499, 12.5],
  );
  assert.is(bb.appendRaw(['5', '-3e9', 'e'], 4, 5), null);
  const second = bb.finish();
  assert.is(second.schema.field('n').type, 'number');
  assert.equal(
    second.toRows().map((r) => r.n),
    [-3e9],
  );
});

test('case 4: a row rolled back for another field undoes the widening it caused; declared columns stay strict', () => {
  const strict = new Schema([
    { name: 'id', type: 'integer', nullable: true },
    { name: 'n', type: 'integer', nullable: true },
    { name: 'c', type: 'category', nullable: false },
  ]);
  const bb = new BatchBuilder(strict, { widen: ['n'] });
  assert.is(bb.appendRaw(['1', '2', 'a'], 0), null);
  assert.equal(bb.appendRaw(['2', '9.5', null], 1), { reason: 'required', field: 2 });
  assert.is(bb.schema.field('n').type, 'integer');
  assert.equal(bb.appendRaw(['2.5', '3', 'b'], 2), { reason: 'type', field: 0 }, 'id is not in `widen`');
  assert.is(bb.appendRaw(['3', '4', 'c'], 3), null);
  const b = bb.finish();
  assert.is(b.schema.field('n').type, 'integer');
  assert.equal(b.toRows(), [
    { id: 1, n: 2, c: 'a' },
    { id: 3, n: 4, c: 'c' },
  ]);
  const c = b.column('n');
  assert.ok(c.type === 'integer' && c.values instanceof Int32Array);
});

test.run();

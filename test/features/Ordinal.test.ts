import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Batch, Schema } from '../../src/core/index.js';
import { Ordinal, SPLIT_COLUMN } from '../../src/features/index.js';

test('codes by first appearance; unseen → unknown; missing stays missing; empty string is a value', () => {
  const s = Schema.from({ c: 'category' });
  const t = new Ordinal(['c'], { unknown: -7 });
  t.learn(Batch.fromRows([{ c: 'b' }, { c: '' }, { c: 'b' }, { c: null }, { c: 'a' }], s));
  const out = t.apply(Batch.fromRows([{ c: 'a' }, { c: 'b' }, { c: '' }, { c: 'new' }, { c: null }], s));
  assert.is(out.schema.field('c').type, 'integer');
  assert.equal(
    out.toRows().map((r) => r.c),
    [2, 0, 1, -7, null],
  );
});

test('training rows only, and JSON round trip', () => {
  const s = Schema.from({ c: 'category', [SPLIT_COLUMN]: 'integer' });
  const b = Batch.fromRows(
    [
      { c: 'v', [SPLIT_COLUMN]: 1 },
      { c: 't', [SPLIT_COLUMN]: 0 },
    ],
    s,
  );
  const t = new Ordinal(['c'], { maxCategories: 1 });
  t.learn(b);
  assert.equal(
    t
      .apply(b)
      .toRows()
      .map((r) => r.c),
    [-1, 0],
  );
  const u = Ordinal.fromJSON(JSON.parse(JSON.stringify(t.toJSON())));
  assert.equal(u.apply(b).toRows(), t.apply(b).toRows());
});

test.run();

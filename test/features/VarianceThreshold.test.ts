import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BadInputError, Batch, Schema } from '../../src/core/index.js';
import { SPLIT_COLUMN, VarianceThreshold } from '../../src/features/index.js';

const s = Schema.from({ a: 'number', b: 'number', c: 'integer', [SPLIT_COLUMN]: 'integer' });

test('hand-computed variances; freeze after N training rows; validation rows ignored; NaN/Inf missing', () => {
  const t = new VarianceThreshold(['a', 'b', 'c'], { threshold: 0.5, freezeAfter: 4 });
  const b1 = Batch.fromRows(
    [
      { a: 1, b: 5, c: 1, [SPLIT_COLUMN]: 0 },
      { a: 2, b: 5, c: 1, [SPLIT_COLUMN]: 0 },
      { a: 100, b: -100, c: 99, [SPLIT_COLUMN]: 1 },
      { a: 3, b: Infinity, c: 2, [SPLIT_COLUMN]: 0 },
    ],
    s,
  );
  t.learn(b1);
  assert.is(t.dropped, null, 'three training rows: not frozen yet');
  assert.equal(t.apply(b1).names, b1.names);
  const b2 = Batch.fromRows([{ a: 4, b: null, c: 1, [SPLIT_COLUMN]: 0 }], s);
  t.learn(b2);
  const v = t.variances();
  // a: 1,2,3,4 → 5/3; b: 5,5 → 0; c: 1,1,2,1 → 0.25
  assert.ok(Math.abs(v.a! - 5 / 3) < 1e-12 && v.b === 0 && Math.abs(v.c! - 0.25) < 1e-12);
  assert.equal(t.dropped, ['b', 'c']);
  assert.equal(t.apply(b2).names, ['a', SPLIT_COLUMN]);
  const u = VarianceThreshold.fromJSON(JSON.parse(JSON.stringify(t.toJSON())));
  assert.equal(u.apply(b2).names, ['a', SPLIT_COLUMN]);
  assert.throws(
    () => new VarianceThreshold(['b'], { nonFinite: 'error' }).learn(b1),
    (e: unknown) => e instanceof BadInputError,
  );
});

test.run();

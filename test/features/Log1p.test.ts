import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Log1p, transformRegistry } from '../../src/features/index.js';
import { Batch, Schema } from '../../src/index.js';

test('log1p: sign(x)·ln(1+|x|) in place; missing stays missing; state round-trips', () => {
  const b = Batch.fromRows([{ a: 0 }, { a: Math.E - 1 }, { a: null }, { a: -(Math.E - 1) }, { a: NaN }], Schema.from({ a: 'number' }));
  const t = new Log1p(['a']);
  const out = t
    .apply(b)
    .toRows()
    .map((r) => r.a);
  assert.equal(out.slice(0, 4), [0, 1, null, -1]);
  assert.is(out[4], null);
  const again = transformRegistry.fromJSON(JSON.parse(JSON.stringify(t.toJSON())));
  assert.equal(again.apply(b).toRows()[1]!.a, 1);
  assert.throws(() => new Log1p([]), /log1p.columns/);
  assert.throws(() => new Log1p(['c']).apply(Batch.fromRows([{ c: 'x' }], Schema.from({ c: 'category' }))), /log1p needs a numeric column/);
});

test.run();

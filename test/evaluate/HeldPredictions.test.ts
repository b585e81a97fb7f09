import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FeatureMatrix } from '../../src/core/index.js';
import { HeldPredictions } from '../../src/evaluate/index.js';

test('HeldPredictions joins by row id whatever the id order, and is bounded by what it holds', () => {
  const h = new HeldPredictions(2);
  const ids = [10, 3, 7, 1, 22];
  const m = (rows: number[]) =>
    FeatureMatrix.dense(rows.length, 1, new Float32Array(rows), { targets: new Float32Array(rows.map((r) => r % 2)), rowIds: Float64Array.from(rows) });
  const preds = (rows: number[]) => Float32Array.from(rows.flatMap((r) => [r, -r]));
  h.hold(m(ids.slice(0, 3)), preds(ids.slice(0, 3)), 0, 0);
  h.hold(m(ids.slice(3)), preds(ids.slice(3)), 3, 0);
  assert.is(h.size, 5);
  const first = h.release(2, -Infinity)!;
  assert.equal(Array.from(first.matrix.rowIds!), [10, 3]);
  assert.equal(Array.from(first.predictions), [10, -10, 3, -3]);
  assert.is(h.size, 3);
  const rest = h.release(Infinity, Infinity)!;
  assert.equal(Array.from(rest.matrix.rowIds!), [7, 1, 22]);
  assert.equal(Array.from(rest.predictions), [7, -7, 1, -1, 22, -22]);
  assert.is(h.size, 0);
  assert.is(h.release(Infinity, Infinity), null);
  h.hold(m([5]), preds([5]), 5, 0);
  assert.throws(() => h.hold(m([5]), preds([5]), 6, 0), /row id 5 is already waiting/);
});

test.run();

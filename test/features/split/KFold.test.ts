import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Batch, Schema, SpecError } from '../../../src/core/index.js';
import { FOLD_COLUMN, KFold, rowKeyHashes } from '../../../src/features/index.js';

test('fold = floor(k · hash / 2^32), stable per key, roughly even', () => {
  const n = 20_000;
  const b = Batch.fromRows(
    Array.from({ length: n }, (_, i) => ({ id: i % 5000 })),
    Schema.from({ id: 'integer' }),
  );
  const kf = new KFold(5, { key: 'id', seed: 2 });
  const folds = kf.apply(b).column(FOLD_COLUMN);
  if (folds.type !== 'integer') throw new Error('integer');
  const h = rowKeyHashes(b, 'id', (2 ^ 0x5bd1e995) | 0);
  const counts = [0, 0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    assert.is(folds.values[i], Math.floor((h[i]! / 2 ** 32) * 5));
    if (i >= 5000) assert.is(folds.values[i], folds.values[i - 5000], 'same key, same fold');
    counts[folds.values[i]!]!++;
  }
  for (const c of counts) assert.ok(Math.abs(c / n - 0.2) < 0.03, JSON.stringify(counts));
  assert.equal(
    KFold.fromJSON(JSON.parse(JSON.stringify(kf.toJSON())))
      .apply(b)
      .toRows(),
    kf.apply(b).toRows(),
  );
  assert.throws(
    () => new KFold(1),
    (e: unknown) => e instanceof SpecError && e.path === 'kfold.k',
  );
});

test.run();

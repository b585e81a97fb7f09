import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Batch, Rng, Schema } from '../../src/core/index.js';
import { SPLIT_COLUMN, TopKCorrelation } from '../../src/features/index.js';

test('keeps the k most correlated columns (|r|), from training rows only', () => {
  const rng = new Rng(3);
  const rows = [];
  for (let i = 0; i < 400; i++) {
    const y = rng.normal();
    const split = i % 4 === 3 ? 1 : 0;
    // `leak` tracks y only on validation rows: a leaky selector would pick it.
    rows.push({
      y,
      strong: -2 * y + 0.1 * rng.normal(),
      weak: y + 3 * rng.normal(),
      noise: rng.normal(),
      leak: split ? y : rng.normal(),
      c: 1,
      [SPLIT_COLUMN]: split,
    });
  }
  const b = Batch.fromRows(
    rows,
    Schema.from({ y: 'number', strong: 'number', weak: 'number', noise: 'number', leak: 'number', c: 'number', [SPLIT_COLUMN]: 'integer' }),
  );
  const t = new TopKCorrelation(['noise', 'weak', 'leak', 'strong', 'c'], { target: 'y', k: 2, freezeAfter: 300 });
  t.learn(b);
  assert.equal(t.selected, ['strong', 'weak']);
  assert.is(t.correlations().c, 0);
  assert.equal(t.apply(b).names, ['y', 'strong', 'weak', SPLIT_COLUMN]);
});

test('hand-computed r on a tiny exact case; missing pairs skipped', () => {
  const b = Batch.fromRows(
    [
      { x: 1, y: 2 },
      { x: 2, y: 4 },
      { x: 3, y: null },
      { x: 3, y: 5 },
    ],
    Schema.from({ x: 'number', y: 'number' }),
  );
  const t = new TopKCorrelation(['x'], { target: 'y', k: 1, freezeAfter: 10 });
  t.learn(b);
  // pairs (1,2) (2,4) (3,5): r = cov/(sx sy) = 1.5 / sqrt(1 * 2.3333) over n-1 normalisation
  assert.ok(Math.abs(t.correlations().x! - 1.5 / Math.sqrt(1 * (7 / 3))) < 1e-12);
  const u = TopKCorrelation.fromJSON(JSON.parse(JSON.stringify(t.toJSON())));
  assert.equal(u.correlations(), t.correlations());
});

test.run();

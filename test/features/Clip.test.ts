import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Clip } from '../../src/features/index.js';
import { Batch, Schema, SPLIT_COLUMN } from '../../src/index.js';

const s = Schema.from({ x: 'number' });
const rows = (xs: Array<number | null>) =>
  Batch.fromRows(
    xs.map((x) => ({ x })),
    s,
  );

test('z-score bounds from training moments', () => {
  const t = new Clip({ columns: ['x'], z: 1 });
  t.learn(rows([2, 4, 4, 4, 5, 5, 7, 9])); // mean 5, std 2 → [3, 7]
  assert.equal(t.bounds('x'), { lo: 3, hi: 7 });
  assert.equal(
    t
      .apply(rows([0, 5, 100, null, Infinity]))
      .toRows()
      .map((r) => r.x),
    [3, 5, 7, null, null],
  );
});

test('quantile bounds; training rows only; nothing learned passes through', () => {
  const sch = Schema.from({ x: 'number', [SPLIT_COLUMN]: 'integer' });
  const b = Batch.fromRows([...Array.from({ length: 101 }, (_, i) => ({ x: i, [SPLIT_COLUMN]: 0 })), { x: 1e9, [SPLIT_COLUMN]: 1 }], sch);
  const t = new Clip({ columns: ['x'], method: 'quantile', lower: 0.1, upper: 0.9 });
  t.learn(b);
  assert.equal(t.bounds('x'), { lo: 10, hi: 90 });
  assert.is(t.apply(b).value('x', 101), 90);
  assert.is(new Clip({ columns: ['x'] }).apply(rows([1e12])).value('x', 0), 1e12);
  assert.throws(() => new Clip({ columns: ['x'], upper: 0.01, lower: 0.5 }), /clip\.upper/);
  assert.throws(() => new Clip({ columns: ['x'], nonFinite: 'drop' as never }), /clip\.nonFinite: expected one of missing\|error/);
  const r = Clip.fromJSON(JSON.parse(JSON.stringify(t.toJSON())));
  assert.equal(r.bounds('x'), t.bounds('x'));
});

test.run();

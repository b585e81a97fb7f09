import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Batch, Schema } from '../../src/core/index.js';
import { labelRejects } from '../../src/features/index.js';

test('case 1: missing, NaN and infinite labels are rejected as `label` for regression', () => {
  const b = Batch.fromRows([{ y: 1.5 }, { y: null }, { y: NaN }, { y: -Infinity }, { y: 3 }], Schema.from({ y: 'number' }));
  const r = labelRejects(b, 'y', 'regression', 1);
  assert.equal(
    r.map((x) => [x.row, x.reason]),
    [
      [1, 'label'],
      [2, 'label'],
      [3, 'label'],
    ],
  );
  assert.match(r[1]!.detail, /NaN/);
});

test('case 1: classification labels must be class indices in 0..classes-1', () => {
  const b = Batch.fromRows([{ y: 0 }, { y: 1 }, { y: 2 }, { y: -1 }, { y: null }], Schema.from({ y: 'integer' }));
  assert.equal(
    labelRejects(b, 'y', 'classification', 2).map((x) => x.row),
    [2, 3, 4],
  );
  assert.equal(
    labelRejects(b, 'y', 'classification', 3).map((x) => x.row),
    [3, 4],
  );
  const f = Batch.fromRows([{ y: 0.5 }, { y: 1 }], Schema.from({ y: 'number' }));
  assert.equal(
    labelRejects(f, 'y', 'classification', 2).map((x) => [x.row, x.value]),
    [[0, '0.5']],
  );
});

test('case 1: category and boolean labels are checked for presence only', () => {
  const c = Batch.fromRows([{ y: 'a' }, { y: null }, { y: 'b' }], Schema.from({ y: 'category' }));
  assert.equal(
    labelRejects(c, 'y', 'classification', 2).map((x) => x.row),
    [1],
  );
  const t = Batch.fromRows([{ y: true }, { y: null }], Schema.from({ y: 'boolean' }));
  assert.equal(
    labelRejects(t, 'y', 'classification', 2).map((x) => x.row),
    [1],
  );
});

test('with the classes fixed by the first batch, other labels are rejected, naming the classes', () => {
  const c = Batch.fromRows([{ y: 'ham' }, { y: 'junk' }, { y: 'spam' }, { y: null }], Schema.from({ y: 'category' }));
  const r = labelRejects(c, 'y', 'classification', 2, ['ham', 'spam']);
  assert.equal(
    r.map((x) => [x.row, x.value]),
    [
      [1, 'junk'],
      [3, ''],
    ],
  );
  assert.match(r[0]!.detail, /not one of the classes fixed by the first batch \("ham", "spam"\)/);
  const n = Batch.fromRows([{ y: 1 }, { y: 2 }, { y: 3 }, { y: 0 }], Schema.from({ y: 'integer' }));
  assert.equal(
    labelRejects(n, 'y', 'classification', 3, ['1', '2', '3']).map((x) => x.row),
    [3],
  );
  // Regression ignores them.
  assert.equal(labelRejects(n, 'y', 'regression', 1, ['1']), []);
});

test('missing labels are found wherever they fall among whole bytes of the validity bitmap (full bytes skipped), and in a last partial byte', () => {
  for (const n of [8, 21, 64, 67]) {
    const missing = new Set([3, 9, 16, 17, n - 1].filter((i) => i < n));
    const rows = Array.from({ length: n }, (_, i) => ({ y: missing.has(i) ? null : i % 2 === 0 }));
    const b = Batch.fromRows(rows, Schema.from({ y: 'boolean' }));
    assert.equal(
      labelRejects(b, 'y', 'classification', 2).map((x) => x.row),
      [...missing].sort((a, c) => a - c),
      `n ${n}`,
    );
    const none = Batch.fromRows(
      rows.map((_, i) => ({ y: i % 3 === 0 })),
      Schema.from({ y: 'boolean' }),
    );
    assert.equal(labelRejects(none, 'y', 'classification', 2), []);
  }
});

test.run();

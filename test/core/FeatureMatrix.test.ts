import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FeatureMatrix } from '../../src/core/index.js';

test('dense and CSR agree entry by entry, and CSR densifies (summing duplicates)', () => {
  const d = FeatureMatrix.dense(2, 3, new Float32Array([1, 0, 2, 0, 3, 0]), { targets: new Float32Array([0, 1]) });
  const s = FeatureMatrix.csr(2, 3, new Int32Array([0, 2, 4]), new Int32Array([0, 2, 1, 1]), new Float32Array([1, 2, 1, 2]), {
    targets: new Float32Array([0, 1]),
  });
  for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) if (!(i === 1 && j === 1)) assert.is(s.get(i, j), d.get(i, j));
  assert.equal(Array.from(s.toDense().values), [1, 0, 2, 0, 3, 0]);
  assert.is(s.nnz, 4);
});

test('sliceRows keeps targets, weights and ids aligned for both layouts', () => {
  const d = FeatureMatrix.dense(3, 2, new Float32Array([1, 2, 3, 4, 5, 6]), {
    targets: new Float32Array([7, 8, 9]),
    weights: new Float32Array([1, 2, 3]),
    rowIds: new Float64Array([10, 11, 12]),
  });
  const ds = d.sliceRows(1, 3);
  assert.equal(Array.from(ds.values), [3, 4, 5, 6]);
  assert.equal(Array.from(ds.targets!), [8, 9]);
  assert.equal(Array.from(ds.weights!), [2, 3]);
  assert.equal(Array.from(ds.rowIds!), [11, 12]);
  const s = FeatureMatrix.csr(3, 4, new Int32Array([0, 1, 3, 4]), new Int32Array([0, 1, 3, 2]), new Float32Array([1, 2, 3, 4]));
  const ss = s.sliceRows(1, 3);
  assert.equal(Array.from(ss.indptr!), [0, 2, 3]);
  assert.equal(Array.from(ss.indices!), [1, 3, 2]);
  assert.is(ss.get(1, 2), 4);
});

test('shape mismatches are errors that give the shape', () => {
  assert.throws(() => FeatureMatrix.dense(2, 2, new Float32Array(3)), /\[2x2\] needs 4 values, got 3/);
  assert.throws(() => FeatureMatrix.dense(2, 1, new Float32Array(2), { targets: new Float32Array(3) }), /3 targets for 2 rows/);
  assert.throws(() => FeatureMatrix.csr(2, 2, new Int32Array([0, 1]), new Int32Array(1), new Float32Array(1)), /indptr has 2 entries, needs 3/);
});

test.run();

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

test('toJSON/fromJSON give back every value bit for bit, dense and CSR, with targets, weights and row ids', () => {
  const d = FeatureMatrix.dense(2, 3, Float32Array.from([0.1, -2.5e-8, 3, Math.PI, 1e30, -0]), {
    targets: Float32Array.from([1, Number.NaN]),
    weights: Float32Array.from([0.5, 2]),
    rowIds: Float64Array.from([7, 2 ** 40]),
    featureNames: ['a', 'b', 'c'],
  });
  const d2 = FeatureMatrix.fromJSON(JSON.parse(JSON.stringify(d.toJSON())));
  assert.equal(Array.from(d2.values), Array.from(d.values));
  assert.ok(Object.is(d2.values[5], -0));
  assert.ok(Number.isNaN(d2.targets![1]));
  assert.equal(Array.from(d2.rowIds!), [7, 2 ** 40]);
  assert.equal(d2.featureNames, ['a', 'b', 'c']);
  // A CSR view past the start of its arrays keeps only its own rows.
  const c = FeatureMatrix.csr(3, 1 << 18, Int32Array.from([0, 2, 2, 3]), Int32Array.from([5, 262143, 9]), Float32Array.from([1.5, -1, 0.25])).sliceRows(1, 3);
  const c2 = FeatureMatrix.fromJSON(JSON.parse(JSON.stringify(c.toJSON())));
  assert.is(c2.kind, 'csr');
  assert.equal([c2.rows, c2.cols, c2.nnz], [2, 1 << 18, 1]);
  assert.is(c2.get(1, 9), 0.25);
  assert.is(c2.targets, null);
  assert.throws(() => FeatureMatrix.fromJSON({ ...c.toJSON(), kind: 'coo' as 'csr', indptr: null }), /not a matrix state/);
});

test.run();

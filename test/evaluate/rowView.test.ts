import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FeatureMatrix } from '../../src/core/index.js';
import { rowView } from '../../src/evaluate/index.js';

const plain = (m: FeatureMatrix) => ({
  kind: m.kind,
  rows: m.rows,
  values: Array.from(m.kind === 'dense' ? m.values : m.values.subarray(0, m.nnz)),
  indptr: m.indptr ? Array.from(m.indptr) : null,
  indices: m.indices ? Array.from(m.indices.subarray(0, m.nnz)) : null,
  targets: Array.from(m.targets ?? []),
  weights: Array.from(m.weights ?? []),
  rowIds: Array.from(m.rowIds ?? []),
});

test('rowView equals sliceRows for dense and CSR matrices, shares memory, and is the matrix itself for every row', () => {
  const extras = { targets: Float32Array.of(0, 1, 0, 1), weights: Float32Array.of(1, 2, 3, 4), rowIds: Float64Array.of(10, 11, 12, 13) };
  const dense = FeatureMatrix.dense(4, 2, Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8), extras);
  const csr = FeatureMatrix.csr(4, 5, Int32Array.of(0, 1, 1, 3, 4), Int32Array.of(4, 0, 2, 3), Float32Array.of(1, 2, 3, 4), extras);
  for (const m of [dense, csr]) {
    for (const [s, e] of [
      [0, 2],
      [1, 3],
      [2, 4],
      [3, 3],
    ] as const)
      assert.equal(plain(rowView(m, s, e)), plain(m.sliceRows(s, e)), `${m.kind} [${s}, ${e})`);
    assert.is(rowView(m, 0, 4), m);
    assert.is(rowView(m, 1, 3).values.buffer, m.values.buffer);
  }
  assert.throws(() => rowView(dense, 2, 5), /rows \[2, 5\) outside the 4 rows/);
});

test("rowView into a given indptr equals rowView, takes that array as the view's indptr, and refuses one of another length", () => {
  const csr = FeatureMatrix.csr(4, 5, Int32Array.of(0, 1, 1, 3, 4), Int32Array.of(4, 0, 2, 3), Float32Array.of(1, 2, 3, 4), {
    targets: Float32Array.of(0, 1, 0, 1),
  });
  const room = new Int32Array(10).fill(-7);
  const into = room.subarray(2, 5);
  const v = rowView(csr, 1, 3, into);
  assert.equal(plain(v), plain(rowView(csr, 1, 3)));
  assert.is(v.indptr, into);
  assert.equal(Array.from(room), [-7, -7, 0, 0, 2, -7, -7, -7, -7, -7]);
  assert.throws(() => rowView(csr, 1, 3, new Int32Array(4)), /indptr of 3 entries/);
});

test.run();

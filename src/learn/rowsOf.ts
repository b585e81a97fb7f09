import { FeatureMatrix } from '../core/index.js';

/** Rows [start, end) of x: views of a dense matrix's arrays (models only read them), a copy of a CSR one (its indptr is rebased). */
export function rowsOf(x: FeatureMatrix, start: number, end: number): FeatureMatrix {
  if (x.kind !== 'dense') return x.sliceRows(start, end);
  const s = Math.max(0, start),
    e = Math.min(x.rows, end);
  return FeatureMatrix.dense(e - s, x.cols, x.values.subarray(s * x.cols, e * x.cols), {
    targets: x.targets?.subarray(s, e) ?? null,
    weights: x.weights?.subarray(s, e) ?? null,
    rowIds: x.rowIds?.subarray(s, e) ?? null,
    featureNames: x.featureNames,
  });
}

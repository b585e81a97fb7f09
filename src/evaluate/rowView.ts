import { FeatureMatrix, SchemaError } from '../core/index.js';

/**
 * Rows [start, end) of `m` without copying its values: subarrays of values, targets, weights and
 * row ids (CSR gets a fresh indptr of end − start + 1 entries, rebased to 0: written into `indptr`
 * when given, an array of that length nothing else writes). `m` itself when the range is every
 * row. The view shares memory with `m`: for reading (sliceRows copies instead).
 */
export function rowView(m: FeatureMatrix, start: number, end: number, into?: Int32Array): FeatureMatrix {
  if (start === 0 && end === m.rows) return m;
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= m.rows))
    throw new SchemaError(`rowView: rows [${start}, ${end}) outside the ${m.rows} rows of the matrix`);
  const extras = {
    targets: m.targets?.subarray(start, end) ?? null,
    weights: m.weights?.subarray(start, end) ?? null,
    rowIds: m.rowIds?.subarray(start, end) ?? null,
    featureNames: m.featureNames,
  };
  if (m.kind === 'dense') return FeatureMatrix.dense(end - start, m.cols, m.values.subarray(start * m.cols, end * m.cols), extras);
  const ip = m.indptr!,
    p0 = ip[start]!,
    p1 = ip[end]!;
  if (into !== undefined && into.length !== end - start + 1)
    throw new SchemaError(`rowView: an indptr of ${end - start + 1} entries is needed, got ${into.length}`);
  const indptr = into ?? new Int32Array(end - start + 1);
  for (let i = 0; i < indptr.length; i++) indptr[i] = ip[start + i]! - p0;
  return FeatureMatrix.csr(end - start, m.cols, indptr, m.indices!.subarray(p0, p1), m.values.subarray(p0, p1), extras);
}

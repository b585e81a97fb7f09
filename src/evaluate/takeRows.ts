import { FeatureMatrix, SchemaError } from '../core/index.js';

/**
 * The rows of `parts` (read as one matrix, top to bottom) at `rows`, in that order, copied into one
 * FeatureMatrix with their targets, weights and row ids. Every part must have the same kind and width
 * (the layout vectorize fixed); the shuffle buffer and the row routing of the evaluators gather with it.
 */
export function takeRows(parts: FeatureMatrix | readonly FeatureMatrix[], rows: ArrayLike<number>): FeatureMatrix {
  const list = Array.isArray(parts) ? (parts as readonly FeatureMatrix[]) : [parts as FeatureMatrix];
  if (list.length === 0) throw new SchemaError('takeRows: no matrices to take rows from');
  const first = list[0]!;
  const { kind, cols } = first;
  // Row r of the whole lives in part `owner[r]` at local row `r - base[owner]`.
  const base = new Int32Array(list.length + 1);
  for (let k = 0; k < list.length; k++) {
    const p = list[k]!;
    if (p.kind !== kind || p.cols !== cols)
      throw new SchemaError(`takeRows: part ${k} is ${p.kind} [${p.rows}x${p.cols}], part 0 is ${kind} [${first.rows}x${cols}]`);
    base[k + 1] = base[k]! + p.rows;
  }
  const total = base[list.length]!;
  const n = rows.length;
  const locate = (r: number): number => {
    if (!(r >= 0 && r < total) || !Number.isInteger(r)) throw new SchemaError(`takeRows: row ${r} outside [0, ${total})`);
    let lo = 0,
      hi = list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (base[mid]! <= r) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const owner = new Int32Array(n),
    local = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    const k = locate(r);
    owner[i] = k;
    local[i] = r - base[k]!;
  }
  const hasTargets = list.every((p) => p.targets),
    hasWeights = list.every((p) => p.weights),
    hasIds = list.every((p) => p.rowIds);
  const targets = hasTargets ? new Float32Array(n) : null,
    weights = hasWeights ? new Float32Array(n) : null,
    rowIds = hasIds ? new Float64Array(n) : null;
  for (let i = 0; i < n; i++) {
    const p = list[owner[i]!]!,
      j = local[i]!;
    if (targets) targets[i] = p.targets![j]!;
    if (weights) weights[i] = p.weights![j]!;
    if (rowIds) rowIds[i] = p.rowIds![j]!;
  }
  const extras = { targets, weights, rowIds, featureNames: first.featureNames };
  if (kind === 'dense') {
    const out = new Float32Array(n * cols);
    for (let i = 0; i < n; i++) {
      const j = local[i]!;
      out.set(list[owner[i]!]!.values.subarray(j * cols, (j + 1) * cols), i * cols);
    }
    return FeatureMatrix.dense(n, cols, out, extras);
  }
  const indptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const p = list[owner[i]!]!,
      j = local[i]!;
    indptr[i + 1] = indptr[i]! + p.indptr![j + 1]! - p.indptr![j]!;
  }
  const indices = new Int32Array(indptr[n]!),
    values = new Float32Array(indptr[n]!);
  for (let i = 0; i < n; i++) {
    const p = list[owner[i]!]!,
      j = local[i]!;
    const s = p.indptr![j]!,
      e = p.indptr![j + 1]!;
    indices.set(p.indices!.subarray(s, e), indptr[i]!);
    values.set(p.values.subarray(s, e), indptr[i]!);
  }
  return FeatureMatrix.csr(n, cols, indptr, indices, values, extras);
}

import { KernelError } from '../../core/index.js';
import type { ScaleOptions } from '../Backend.js';

/**
 * C (rows×n) = alpha·A·B + beta·C, A in CSR (rows×k), B dense row-major k×n. With beta = 0
 * C is not read (BLAS convention: stale NaN in C does not leak). Column indices are checked.
 */
export function spmmCpu(
  indptr: Int32Array,
  indices: Int32Array,
  values: Float32Array,
  b: Float32Array,
  c: Float32Array,
  rows: number,
  k: number,
  n: number,
  o?: ScaleOptions,
): void {
  checkCsr('spmm', indptr, indices, values, rows, k, { b: [b.length], c: [c.length] });
  if (b.length < k * n || c.length < rows * n) {
    throw new KernelError('spmm', { a: [rows, k], b: [b.length], c: [c.length], n: [n] }, `b must hold k×n = ${k * n} and c rows×n = ${rows * n} elements`);
  }
  const alpha = o?.alpha ?? 1,
    beta = o?.beta ?? 0;
  const acc = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    acc.fill(0);
    for (let p = indptr[r]!, end = indptr[r + 1]!; p < end; p++) {
      const v = values[p]!,
        base = indices[p]! * n;
      for (let j = 0; j < n; j++) acc[j]! += v * b[base + j]!;
    }
    const off = r * n;
    for (let j = 0; j < n; j++) c[off + j] = beta === 0 ? alpha * acc[j]! : alpha * acc[j]! + beta * c[off + j]!;
  }
}

/** CSR shape checks (indptr monotone from 0, indices in [0, k)); O(nnz), like the product. */
function checkCsr(
  kernel: string,
  indptr: Int32Array,
  indices: Int32Array,
  values: Float32Array,
  rows: number,
  k: number,
  extra: Record<string, number[]>,
): void {
  const shapes = { indptr: [indptr.length], indices: [indices.length], values: [values.length], a: [rows, k], ...extra };
  if (indptr.length < rows + 1) throw new KernelError(kernel, shapes, `indptr needs rows + 1 = ${rows + 1} entries`);
  const nnz = indptr[rows]!;
  if (indptr[0] !== 0 || nnz > indices.length || nnz > values.length)
    throw new KernelError(kernel, shapes, `indptr must start at 0 and end within indices/values (nnz ${nnz})`);
  for (let r = 0; r < rows; r++) if (indptr[r + 1]! < indptr[r]!) throw new KernelError(kernel, shapes, `indptr decreases at row ${r}`);
  for (let p = 0; p < nnz; p++) {
    const j = indices[p]!;
    if (j < 0 || j >= k) throw new KernelError(kernel, shapes, `column index ${j} at position ${p} is outside [0, ${k})`);
  }
}

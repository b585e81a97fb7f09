import { KernelError } from '../../core/index.js';
import type { ScaleOptions } from '../Backend.js';

/**
 * OUT (k×n) = alpha·Aᵀ·G + beta·OUT, A in CSR (rows×k), G dense row-major rows×n: the weight
 * gradient of a sparse layer. With beta = 0 OUT is not read.
 */
export function spmmTCpu(
  indptr: Int32Array,
  indices: Int32Array,
  values: Float32Array,
  g: Float32Array,
  out: Float32Array,
  rows: number,
  k: number,
  n: number,
  o?: ScaleOptions,
): void {
  checkCsr('spmmT', indptr, indices, values, rows, k, { g: [g.length], out: [out.length] });
  if (g.length < rows * n || out.length < k * n) {
    throw new KernelError(
      'spmmT',
      { a: [rows, k], g: [g.length], out: [out.length], n: [n] },
      `g must hold rows×n = ${rows * n} and out k×n = ${k * n} elements`,
    );
  }
  const alpha = o?.alpha ?? 1,
    beta = o?.beta ?? 0;
  // Scale first, then scatter-add: no k×n scratch (k is the hashed width, often 2^18+).
  if (beta === 0) out.fill(0, 0, k * n);
  else if (beta !== 1) for (let i = 0; i < k * n; i++) out[i]! *= beta;
  for (let r = 0; r < rows; r++) {
    const goff = r * n;
    for (let p = indptr[r]!, end = indptr[r + 1]!; p < end; p++) {
      const v = alpha * values[p]!,
        base = indices[p]! * n;
      for (let j = 0; j < n; j++) out[base + j]! += v * g[goff + j]!;
    }
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

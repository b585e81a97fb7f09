import type { GemmOptions } from '../Backend.js';

/**
 * Reference GEMM: C = alpha·op(A)·op(B) + beta·C, row-major, plain triple loop with a float64
 * accumulator. The truth every other GEMM is compared with; also the naive baseline in bench.
 * beta = 0 means C is not read (it may hold NaN), as in BLAS.
 */
export function gemmCpu(a: Float32Array, b: Float32Array, c: Float32Array, o: GemmOptions): void {
  const { m, n, k } = o;
  const alpha = o.alpha ?? 1;
  const beta = o.beta ?? 0;
  const ta = o.transA ?? false;
  const tb = o.transB ?? false;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const av = ta ? a[p * m + i]! : a[i * k + p]!;
        const bv = tb ? b[j * k + p]! : b[p * n + j]!;
        s += av * bv;
      }
      c[i * n + j] = beta === 0 ? alpha * s : alpha * s + beta * c[i * n + j]!;
    }
  }
}

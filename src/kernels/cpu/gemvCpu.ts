import type { GemmOptions } from '../Backend.js';

/**
 * The n = 1 case of GEMM (a linear model's forward pass and weight gradient): padding it to a
 * SIMD micro-tile would waste 7 of 8 lanes, so it gets its own loops, both walking A contiguously.
 * op(B) is k×1 in either layout. Same semantics as gemmCpu (float64 accumulation).
 */
export function gemvCpu(a: Float32Array, b: Float32Array, c: Float32Array, o: GemmOptions): void {
  const { m, k } = o;
  const alpha = o.alpha ?? 1,
    beta = o.beta ?? 0;
  if (o.transA) {
    // c = Aᵀ·b with A stored k×m: accumulate rows of A scaled by b[p].
    const acc = new Float64Array(m);
    for (let p = 0; p < k; p++) {
      const bv = b[p]!,
        row = p * m;
      for (let i = 0; i < m; i++) acc[i] = acc[i]! + a[row + i]! * bv;
    }
    for (let i = 0; i < m; i++) c[i] = beta === 0 ? alpha * acc[i]! : alpha * acc[i]! + beta * c[i]!;
    return;
  }
  for (let i = 0; i < m; i++) {
    const row = i * k;
    let s = 0;
    for (let p = 0; p < k; p++) s += a[row + p]! * b[p]!;
    c[i] = beta === 0 ? alpha * s : alpha * s + beta * c[i]!;
  }
}

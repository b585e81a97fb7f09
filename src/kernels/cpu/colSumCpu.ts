import type { ScaleOptions } from '../Backend.js';

/**
 * out[c] = alpha·Σ_r x[r, c] + beta·out[c] (beta = 0: out is not read). Each column is summed in
 * f64 over r in order; four columns at a time in locals (an f64 accumulator array cost a load and
 * a store per element: ~2.5× slower here), the same sums.
 */
export function colSumCpu(x: Float32Array, out: Float32Array, rows: number, cols: number, o: ScaleOptions = {}): void {
  const alpha = o.alpha ?? 1;
  const beta = o.beta ?? 0;
  const put = (c: number, s: number) => {
    out[c] = beta === 0 ? alpha * s : alpha * s + beta * out[c]!;
  };
  let c = 0;
  for (; c + 4 <= cols; c += 4) {
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    for (let r = 0, i = c; r < rows; r++, i += cols) {
      s0 += x[i]!;
      s1 += x[i + 1]!;
      s2 += x[i + 2]!;
      s3 += x[i + 3]!;
    }
    put(c, s0);
    put(c + 1, s1);
    put(c + 2, s2);
    put(c + 3, s3);
  }
  for (; c < cols; c++) {
    let s = 0;
    for (let r = 0, i = c; r < rows; r++, i += cols) s += x[i]!;
    put(c, s);
  }
}

import type { ScaleOptions } from '../Backend.js';

/** out[c] = alpha·Σ_r x[r, c] + beta·out[c] (beta = 0: out is not read). */
export function colSumCpu(x: Float32Array, out: Float32Array, rows: number, cols: number, o: ScaleOptions = {}): void {
  const alpha = o.alpha ?? 1;
  const beta = o.beta ?? 0;
  const acc = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const off = r * cols;
    for (let c = 0; c < cols; c++) acc[c] = acc[c]! + x[off + c]!;
  }
  for (let c = 0; c < cols; c++) out[c] = beta === 0 ? alpha * acc[c]! : alpha * acc[c]! + beta * out[c]!;
}

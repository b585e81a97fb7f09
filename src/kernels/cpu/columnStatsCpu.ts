import { KernelError } from '../../core/index.js';

/**
 * Column reductions of a row-major rows×cols matrix, NaN counted as missing. `out` is 6×cols,
 * rows of: count, sum, mean, M2 (Σ(x − mean)²), min, max. A column with no value gets
 * count 0, sum 0, M2 0 and NaN for mean, min and max. Welford's update in f64, so the M2 of
 * large-offset data stays exact where Σx² − n·mean² would cancel.
 */
export function columnStatsCpu(x: Float32Array, out: Float32Array, rows: number, cols: number): void {
  if (!(rows >= 0 && cols >= 0) || x.length < rows * cols || out.length < 6 * cols) {
    throw new KernelError('columnStats', { x: [x.length], out: [out.length], rowsCols: [rows, cols] }, 'x must hold rows×cols and out 6×cols elements');
  }
  for (let c = 0; c < cols; c++) {
    let count = 0,
      sum = 0,
      mean = 0,
      m2 = 0,
      min = Infinity,
      max = -Infinity;
    for (let r = 0, i = c; r < rows; r++, i += cols) {
      const v = x[i]!;
      if (v !== v) continue;
      count++;
      sum += v;
      const d = v - mean;
      mean += d / count;
      m2 += d * (v - mean);
      if (v < min) min = v;
      if (v > max) max = v;
    }
    out[c] = count;
    out[cols + c] = sum;
    out[2 * cols + c] = count > 0 ? mean : NaN;
    out[3 * cols + c] = m2;
    out[4 * cols + c] = count > 0 ? min : NaN;
    out[5 * cols + c] = count > 0 ? max : NaN;
  }
}

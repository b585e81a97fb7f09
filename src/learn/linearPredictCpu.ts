const f32 = Math.fround;

/**
 * LinearModel's `predict` of dense rows (a one-output linear model), in one loop per row instead of
 * gemv + biasAdd + activate over backend tensors: out[o + r] = f(z_r), z_r = f32(f32(x_r·w) + b),
 * the dot product accumulated in float64 in column order and every intermediate rounded to f32
 * where the kernels store it, so the result is bit-identical to that kernel sequence.
 * Rows [r0, r0 + rows) of the row-major x (cols wide); `sigmoid` is activateCpu's overflow-safe form.
 */
export function linearPredictCpu(
  x: Float32Array,
  r0: number,
  rows: number,
  cols: number,
  w: Float32Array,
  b: number,
  act: 'sigmoid' | 'identity',
  out: Float32Array,
  o: number,
): void {
  const sigmoid = act === 'sigmoid';
  for (let r = 0, xo = r0 * cols; r < rows; r++, xo += cols) {
    let dot = 0;
    for (let p = 0; p < cols; p++) dot += x[xo + p]! * w[p]!;
    const z = f32(f32(dot) + b);
    if (sigmoid) {
      const e = Math.exp(z >= 0 ? -z : z);
      out[o + r] = z >= 0 ? 1 / (1 + e) : e / (1 + e);
    } else out[o + r] = z;
  }
}

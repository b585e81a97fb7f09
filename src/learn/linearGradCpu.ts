const f32 = Math.fround;

/**
 * LinearModel's gradient of one dense mini-batch for a one-output linear model (logistic,
 * hinge or squared loss): forward dot product, fused loss and gradient, and the weight and bias
 * gradients in one pass over the rows [r0, r0 + rows) of x, instead of gemv + biasAdd + lossGrad +
 * colSum + gemvᵀ + colSum over backend tensors (a dozen calls, each checking shapes, for 4-wide rows).
 * Same arithmetic in the same order as those kernels: float64 accumulation, every value the
 * kernels store rounded to f32 where they store it, so gradW, gradB and the loss sum are
 * bit-identical to the kernel sequence (test/learn/cpuFastPaths.test.ts).
 *   z_r = f32(f32(x_r·w) + b);  d_r = f32(scale·w_r·∂ℓ/∂z);  gradW = f32(Σ_r x_r·d_r);  gradB = f32(Σ_r d_r)
 * `dBuf` is f32 scratch of at least rows (the d_r). The loss values themselves are not computed here
 * (a log1p per row, ~10 % of the loop, for a figure rarely read): z_r goes to zOut[r0 + r], from
 * which linearLossCpu gives the same loss sum when it is asked for.
 */
export function linearGradCpu(
  loss: 'logistic' | 'hinge' | 'squared',
  x: Float32Array,
  r0: number,
  rows: number,
  cols: number,
  targets: Float32Array,
  weights: Float32Array | null,
  scale: number,
  w: Float32Array,
  b: number,
  gradW: Float32Array,
  gradB: Float32Array,
  dBuf: Float32Array,
  zOut: Float32Array,
): void {
  let accB = 0;
  const kind = loss === 'logistic' ? 0 : loss === 'hinge' ? 1 : 2;
  for (let r = 0, xo = r0 * cols; r < rows; r++, xo += cols) {
    let dot = 0;
    for (let p = 0; p < cols; p++) dot += x[xo + p]! * w[p]!;
    const z = f32(f32(dot) + b);
    zOut[r0 + r] = z;
    const t = targets[r0 + r]!,
      g = scale * (weights ? weights[r]! : 1);
    let d: number;
    if (kind === 0) {
      // σ(z) − t as lossGradCpu computes it, from exp(−|z|).
      const e = Math.exp(z >= 0 ? -z : z);
      d = f32(g * ((z >= 0 ? 1 / (1 + e) : e / (1 + e)) - t));
    } else if (kind === 1) {
      const y = 2 * t - 1;
      d = y * z < 1 ? f32(-g * y) : 0;
    } else {
      d = f32(g * (z - t));
    }
    dBuf[r] = d;
    accB += d;
  }
  // Weight gradient column by column, four at a time in locals (a float64 array updated per row
  // was a store-to-load chain): each column still sums its rows in order, as gemvᵀ does.
  let p = 0;
  for (; p + 4 <= cols; p += 4) {
    let a0 = 0,
      a1 = 0,
      a2 = 0,
      a3 = 0;
    for (let r = 0, xo = r0 * cols + p; r < rows; r++, xo += cols) {
      const d = dBuf[r]!;
      a0 += x[xo]! * d;
      a1 += x[xo + 1]! * d;
      a2 += x[xo + 2]! * d;
      a3 += x[xo + 3]! * d;
    }
    gradW[p] = a0;
    gradW[p + 1] = a1;
    gradW[p + 2] = a2;
    gradW[p + 3] = a3;
  }
  for (; p < cols; p++) {
    let a = 0;
    for (let r = 0, xo = r0 * cols + p; r < rows; r++, xo += cols) a += x[xo]! * dBuf[r]!;
    gradW[p] = a;
  }
  gradB[0] = accB;
}

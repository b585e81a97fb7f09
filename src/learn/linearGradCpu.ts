const f32 = Math.fround;

/**
 * The cpu fast path of one mini-batch's gradient for a one-output dense linear model (logistic,
 * hinge or squared loss): forward dot product, fused loss and gradient, and the weight and bias
 * gradients in one pass over the rows [r0, r0 + rows) of x, instead of gemv + biasAdd + lossGrad +
 * colSum + gemvᵀ + colSum over backend tensors (a dozen calls, each checking shapes, for 4-wide rows).
 * Same arithmetic in the same order as those kernels: float64 accumulation, every value the
 * kernels store rounded to f32 where they store it, so gradW, gradB and the loss sum are
 * bit-identical to the kernel sequence (test/learn/linearFastPath.test.ts).
 *   z_r = f32(f32(x_r·w) + b);  d_r = f32(scale·w_r·∂ℓ/∂z);  gradW = f32(Σ_r x_r·d_r);  gradB = f32(Σ_r d_r)
 * `accW` is float64 scratch of at least cols. Returns Σ_r f32(w_r·ℓ_r) (what colSum sums for the mean loss).
 */
export function linearGradCpu(
  loss: 'logistic' | 'hinge' | 'squared', x: Float32Array, r0: number, rows: number, cols: number,
  targets: Float32Array, weights: Float32Array | null, scale: number, w: Float32Array, b: number,
  gradW: Float32Array, gradB: Float32Array, accW: Float64Array,
): number {
  accW.fill(0, 0, cols);
  let accB = 0, lossSum = 0;
  const kind = loss === 'logistic' ? 0 : loss === 'hinge' ? 1 : 2;
  for (let r = 0, xo = r0 * cols; r < rows; r++, xo += cols) {
    let dot = 0;
    for (let p = 0; p < cols; p++) dot += x[xo + p]! * w[p]!;
    const z = f32(f32(dot) + b);
    const t = targets[r0 + r]!, wr = weights ? weights[r]! : 1, g = scale * wr;
    let d: number;
    if (kind === 0) {
      // softplus(z) − t·z and σ(z) − t from one exp(−|z|) (lossGradCpu computes the same values).
      const e = Math.exp(z >= 0 ? -z : z);
      lossSum += f32(wr * (Math.max(z, 0) + Math.log1p(e) - t * z));
      d = f32(g * ((z >= 0 ? 1 / (1 + e) : e / (1 + e)) - t));
    } else if (kind === 1) {
      const y = 2 * t - 1, m = y * z;
      lossSum += f32(wr * Math.max(0, 1 - m));
      d = m < 1 ? f32(-g * y) : 0;
    } else {
      const dz = z - t;
      lossSum += f32(wr * (0.5 * dz * dz));
      d = f32(g * dz);
    }
    for (let p = 0; p < cols; p++) accW[p] = accW[p]! + x[xo + p]! * d;
    accB += d;
  }
  for (let p = 0; p < cols; p++) gradW[p] = accW[p]!;
  gradB[0] = accB;
  return lossSum;
}

/**
 * Σ_r f32(w_r·ℓ(z_r, t_r)) over rows [r0, r0 + rows): the loss sum lossGradCpu + colSum would
 * have produced for the raw outputs z that linearGradCpu recorded, with the same expressions
 * (logistic softplus(z) − t·z, hinge max(0, 1 − y·z), squared ½(z − t)²). `weights` is the batch's
 * row weights (indexed from 0), null for all 1.
 */
export function linearLossCpu(
  loss: 'logistic' | 'hinge' | 'squared',
  z: Float32Array,
  t: Float32Array,
  r0: number,
  rows: number,
  weights: Float32Array | null,
): number {
  const f32 = Math.fround;
  let sum = 0;
  for (let r = 0; r < rows; r++) {
    const v = z[r0 + r]!,
      tv = t[r0 + r]!,
      wr = weights ? weights[r]! : 1;
    if (loss === 'logistic') sum += f32(wr * (Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))) - tv * v));
    else if (loss === 'hinge') sum += f32(wr * Math.max(0, 1 - (2 * tv - 1) * v));
    else {
      const d = v - tv;
      sum += f32(wr * (0.5 * d * d));
    }
  }
  return sum;
}

import type { LossKind } from '../Backend.js';

/**
 * Logistic and softmax gradients smaller than this in magnitude are stored as 0. A confident
 * model's probabilities underflow (softmax of a 50-logit gap is 2e-22): such a gradient moves no
 * float32 weight (lr·g, or Adam's lr·m/(√s + eps) with eps 1e-8, is ~1e-13 or less, under the ulp
 * of any weight above 1e-6), but multiplied by the next layer's weights it lands among float32
 * subnormals, and on x86 every multiply that meets one in the weight-gradient GEMM takes a
 * microcode assist: an MLP learning an easy 10-class task with Adam fell from ~27k to ~7k rows/s
 * once its outputs got sure (2-4 % of the hidden layer's gradients subnormal).
 */
const GRAD_FLUSH = 2 ** -64;

/** x, or 0 when |x| < GRAD_FLUSH. */
function flush(x: number): number {
  return x < GRAD_FLUSH && x > -GRAD_FLUSH ? 0 : x;
}

/**
 * Fused loss value and gradient (semantics in Backend.lossGrad). targets may be float or int
 * codes; a softmax target that is not a class index in [0, cols) gives NaN loss and gradient
 * for that row, as on the GPU, so a bad label is visible instead of silently clamped. Logistic
 * and softmax gradients below 2^-64 in magnitude are 0 (see GRAD_FLUSH; the GPU twins, which do
 * not flush, differ from it by less than that).
 */
export function lossGradCpu(
  kind: LossKind,
  z: Float32Array,
  t: Float32Array | Int32Array,
  w: Float32Array | null,
  grad: Float32Array,
  loss: Float32Array,
  rows: number,
  cols: number,
  scale = 1,
): void {
  for (let r = 0; r < rows; r++) {
    const wr = w ? w[r]! : 1;
    const g = scale * wr;
    switch (kind) {
      case 'logistic': {
        const v = z[r]!,
          tv = t[r]!;
        // softplus(v) = max(v, 0) + log1p(exp(−|v|)): no overflow for large |v|.
        loss[r] = wr * (Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))) - tv * v);
        const s = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
        grad[r] = flush(g * (s - tv));
        break;
      }
      case 'hinge': {
        const v = z[r]!,
          y = 2 * t[r]! - 1;
        const m = y * v;
        loss[r] = wr * Math.max(0, 1 - m);
        grad[r] = m < 1 ? -g * y : 0;
        break;
      }
      case 'squared': {
        let l = 0;
        for (let c = 0; c < cols; c++) {
          const d = z[r * cols + c]! - t[r * cols + c]!;
          l += 0.5 * d * d;
          grad[r * cols + c] = g * d;
        }
        loss[r] = wr * l;
        break;
      }
      case 'softmax': {
        const o = r * cols;
        const tv = t[r]!;
        if (!(Number.isInteger(tv) && tv >= 0 && tv < cols)) {
          loss[r] = NaN;
          for (let c = 0; c < cols; c++) grad[o + c] = NaN;
          break;
        }
        let mx = -Infinity;
        for (let c = 0; c < cols; c++) mx = Math.max(mx, z[o + c]!);
        let s = 0;
        for (let c = 0; c < cols; c++) s += Math.exp(z[o + c]! - mx);
        const lse = mx + Math.log(s);
        loss[r] = wr * (lse - z[o + tv]!);
        for (let c = 0; c < cols; c++) grad[o + c] = flush(g * (Math.exp(z[o + c]! - lse) - (c === tv ? 1 : 0)));
        break;
      }
    }
  }
}

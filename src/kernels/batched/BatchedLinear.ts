import { KernelError } from '../../core/index.js';
import { type BatchedLinearOptions, type BatchedLoss, resolveBatchedLinearOptions } from './resolveBatchedLinearOptions.js';

export interface BatchedLinearState {
  models: number;
  features: number;
  outputs: number;
  loss: BatchedLoss;
  hyper: number[];
  w: number[];
  b: number[];
  lastLoss: number[];
}

/**
 * K linear models of one shape (d inputs → out outputs) trained side by side on the same
 * mini-batches, each with its own lr / l2 / l1: the CPU reference of BatchedLinearGpu, and the
 * engine for hyperparameter search without a GPU. It loops over the models.
 *
 * A step on rows×d inputs x and rows targets y, for every model m:
 *   z = x·W_m + b_m;  dz = ∂ℓ/∂z / rows  (ℓ as Backend.lossGrad: squared, logistic, softmax, hinge)
 *   W_m −= lr_m·(xᵀ·dz + l2_m·W_m), then W_m = prox_{lr_m·l1_m}(W_m);  b_m −= lr_m·Σ_r dz
 * Weights are K×d×out in one array (model-major), biases K×out; lastLoss[m] is model m's mean
 * loss on the last batch, measured before its update (a test-then-train score).
 */
export class BatchedLinear {
  readonly models: number;
  readonly features: number;
  readonly outputs: number;
  readonly loss: BatchedLoss;
  /** K×4: lr, l2, l1, 0. */
  readonly hyper: Float32Array;
  /** K×d×out, model-major. */
  readonly w: Float32Array;
  /** K×out. */
  readonly b: Float32Array;
  readonly lastLoss: Float32Array;

  constructor(options: BatchedLinearOptions) {
    const r = resolveBatchedLinearOptions(options);
    this.models = r.models;
    this.features = r.features;
    this.outputs = r.outputs;
    this.loss = r.loss;
    this.hyper = r.hyper;
    this.w = r.w;
    this.b = r.b;
    this.lastLoss = new Float32Array(r.models);
  }

  /** One SGD step of every model on x (rows×d, row-major) and targets y (rows). */
  step(x: Float32Array, y: Float32Array, rows: number): void {
    const { features: d, outputs: out, models } = this;
    if (!Number.isInteger(rows) || rows < 1 || x.length < rows * d || y.length < rows) {
      throw new KernelError('batchedLinear.step', { x: [x.length], y: [y.length], rowsFeatures: [rows, d] }, 'x must hold rows×features and y rows values');
    }
    checkTargets(this.loss, out, y, rows);
    const dz = new Float64Array(rows * out),
      z = new Float64Array(out);
    const inv = 1 / rows;
    for (let m = 0; m < models; m++) {
      const wo = m * d * out,
        bo = m * out;
      let lossSum = 0;
      for (let r = 0; r < rows; r++) {
        for (let o = 0; o < out; o++) {
          let s = this.b[bo + o]!;
          for (let j = 0; j < d; j++) s += x[r * d + j]! * this.w[wo + j * out + o]!;
          z[o] = s;
        }
        lossSum += lossAndGrad(this.loss, z, y[r]!, dz, r * out, inv);
      }
      this.lastLoss[m] = lossSum * inv;
      const lr = this.hyper[m * 4]!,
        l2 = this.hyper[m * 4 + 1]!,
        shrink = lr * this.hyper[m * 4 + 2]!;
      for (let j = 0; j < d; j++) {
        for (let o = 0; o < out; o++) {
          let g = 0;
          for (let r = 0; r < rows; r++) g += x[r * d + j]! * dz[r * out + o]!;
          const i = wo + j * out + o;
          const w = this.w[i]! - lr * (g + l2 * this.w[i]!);
          this.w[i] = shrink > 0 ? Math.sign(w) * Math.max(Math.abs(w) - shrink, 0) : w;
        }
      }
      for (let o = 0; o < out; o++) {
        let g = 0;
        for (let r = 0; r < rows; r++) g += dz[r * out + o]!;
        this.b[bo + o] = this.b[bo + o]! - lr * g;
      }
    }
  }

  /** Predictions (raw outputs z) of model m for rows×d inputs: rows×out. */
  predict(m: number, x: Float32Array, rows: number): Float32Array {
    const { features: d, outputs: out } = this;
    const res = new Float32Array(rows * out);
    for (let r = 0; r < rows; r++)
      for (let o = 0; o < out; o++) {
        let s = this.b[m * out + o]!;
        for (let j = 0; j < d; j++) s += x[r * d + j]! * this.w[m * d * out + j * out + o]!;
        res[r * out + o] = s;
      }
    return res;
  }

  /** Model m's weights (d×out) and bias (out), copied. */
  weights(m: number): { w: Float32Array; b: Float32Array } {
    const n = this.features * this.outputs;
    return { w: this.w.slice(m * n, (m + 1) * n), b: this.b.slice(m * this.outputs, (m + 1) * this.outputs) };
  }

  toJSON(): BatchedLinearState {
    return {
      models: this.models,
      features: this.features,
      outputs: this.outputs,
      loss: this.loss,
      hyper: Array.from(this.hyper),
      w: Array.from(this.w),
      b: Array.from(this.b),
      lastLoss: Array.from(this.lastLoss),
    };
  }

  static fromJSON(s: BatchedLinearState): BatchedLinear {
    const hyper = [];
    for (let m = 0; m < s.models; m++) hyper.push({ lr: s.hyper[m * 4]!, l2: s.hyper[m * 4 + 1]!, l1: s.hyper[m * 4 + 2]! });
    const bl = new BatchedLinear({ features: s.features, outputs: s.outputs, loss: s.loss, hyper });
    bl.w.set(s.w);
    bl.b.set(s.b);
    bl.lastLoss.set(s.lastLoss);
    return bl;
  }
}

/** Softmax targets must be class indices in [0, out); a bad one would poison a whole model. */
function checkTargets(kind: BatchedLoss, out: number, y: Float32Array, rows: number): void {
  if (kind !== 'softmax') return;
  for (let r = 0; r < rows; r++) {
    const t = y[r]!;
    if (!(Number.isInteger(t) && t >= 0 && t < out))
      throw new KernelError('batchedLinear.step', { y: [rows] }, `softmax target at row ${r} is ${t}, not a class index in [0, ${out})`);
  }
}

/** Writes inv·∂ℓ/∂z into dz[off..off+out) and returns ℓ (z holds the raw outputs of one row). */
function lossAndGrad(kind: BatchedLoss, z: Float64Array, t: number, dz: Float64Array, off: number, inv: number): number {
  switch (kind) {
    case 'squared': {
      let l = 0;
      for (let o = 0; o < z.length; o++) {
        const e = z[o]! - t;
        dz[off + o] = e * inv;
        l += 0.5 * e * e;
      }
      return l;
    }
    case 'logistic': {
      const v = z[0]!;
      dz[off] = (1 / (1 + Math.exp(-v)) - t) * inv;
      return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))) - t * v;
    }
    case 'hinge': {
      const s = 2 * t - 1,
        v = z[0]!;
      dz[off] = s * v < 1 ? -s * inv : 0;
      return Math.max(0, 1 - s * v);
    }
    case 'softmax': {
      let mx = -Infinity;
      for (let o = 0; o < z.length; o++) mx = Math.max(mx, z[o]!);
      let sum = 0;
      for (let o = 0; o < z.length; o++) sum += Math.exp(z[o]! - mx);
      const cls = Math.trunc(t);
      for (let o = 0; o < z.length; o++) dz[off + o] = (Math.exp(z[o]! - mx) / sum - (o === cls ? 1 : 0)) * inv;
      return Math.log(sum) + mx - z[cls]!;
    }
  }
}

import { type FeatureMatrix, SchemaError } from '../core/index.js';
import { checkTargets } from './checkTargets.js';
import type { Model, ModelKind, ModelState, Task } from './Model.js';
import type { ResolvedModelOptions } from './resolveModelOptions.js';
import { rowWeights } from './rowWeights.js';

/**
 * FTRL-Proximal (McMahan et al., "Ad Click Prediction", KDD 2013, Algorithm 1) for logistic and
 * linear models, per coordinate with α = lr, β = ftrlBeta, λ1 = l1, λ2 = l2:
 *   w_i = 0 when |z_i| ≤ λ1, else −(z_i − sgn(z_i)·λ1) / ((β + √n_i)/α + λ2)
 *   σ_i = (√(n_i + g_i²) − √n_i)/α;  z_i += g_i − σ_i·w_i;  n_i += g_i²
 * The bias is the coordinate after the last input (a constant feature 1).
 *
 * Runs on the host whatever backend is asked for: its state is two per-coordinate vectors touched
 * only at a row's non-zeros, and a weight is recomputed lazily from them, which a dense
 * GEMM-shaped kernel would turn into full passes over every coordinate per step.
 *
 * Mini-batches: one update per batch from the weighted mean gradient (batch size 1 is the
 * paper's per-row algorithm); every row of a batch is scored with the weights from before it.
 */
export class FtrlModel implements Model {
  readonly kind: ModelKind;
  readonly task: Task;
  readonly outputs = 1;
  readonly backendName = 'cpu';
  readonly adapter = 'host (FTRL-Proximal, per-coordinate state)';
  private _inputs: number | null;
  private _step = 0;
  private z = new Float64Array(0);
  private n = new Float64Array(0);
  private g = new Float64Array(0);
  private touched = new Int32Array(0);
  private mark = new Uint8Array(0);
  private loss = NaN;

  get batchSize(): number {
    return this.options.batchSize;
  }

  constructor(readonly options: ResolvedModelOptions) {
    if (options.kind !== 'logistic' && options.kind !== 'linear') throw new SchemaError(`FtrlModel runs logistic or linear models, not ${options.kind}`);
    this.kind = options.kind;
    this.task = options.task;
    this._inputs = options.inputs;
    if (this._inputs !== null) this.build(this._inputs);
  }

  get inputs(): number | null {
    return this._inputs;
  }
  get step(): number {
    return this._step;
  }

  private build(inputs: number): void {
    this._inputs = inputs;
    this.z = new Float64Array(inputs + 1);
    this.n = new Float64Array(inputs + 1);
    this.g = new Float64Array(inputs + 1);
    this.touched = new Int32Array(inputs + 1);
    this.mark = new Uint8Array(inputs + 1);
  }

  load(state: ModelState): void {
    const z = state.optimizer.z,
      n = state.optimizer.n;
    if (!z || !n || z.length !== state.inputs + 1 || n.length !== state.inputs + 1)
      throw new SchemaError(`FTRL model state needs optimizer z and n of ${state.inputs + 1} values`);
    this.build(state.inputs);
    this.z.set(z);
    this.n.set(n);
    this._step = state.step;
  }

  private weight(i: number): number {
    const o = this.options,
      z = this.z[i]!;
    if (Math.abs(z) <= o.l1) return 0;
    return -(z - Math.sign(z) * o.l1) / ((o.ftrlBeta + Math.sqrt(this.n[i]!)) / o.lr + o.l2);
  }

  private check(x: FeatureMatrix): void {
    if (this._inputs === null) this.build(x.cols);
    if (x.cols !== this._inputs) throw new SchemaError(`${this.kind} model takes ${this._inputs} input columns, got a FeatureMatrix [${x.rows}x${x.cols}]`);
  }

  private score(x: FeatureMatrix, r: number): number {
    let s = this.weight(this._inputs!);
    if (x.kind === 'dense') {
      const c = x.cols,
        off = r * c;
      for (let j = 0; j < c; j++) {
        const v = x.values[off + j]!;
        if (v !== 0) s += this.weight(j) * v;
      }
    } else {
      for (let p = x.indptr![r]!; p < x.indptr![r + 1]!; p++) s += this.weight(x.indices![p]!) * x.values[p]!;
    }
    return s;
  }

  async predict(x: FeatureMatrix): Promise<Float32Array> {
    this.check(x);
    const out = new Float32Array(x.rows);
    for (let r = 0; r < x.rows; r++) {
      const s = this.score(x, r);
      out[r] = this.task === 'binary' ? 1 / (1 + Math.exp(-s)) : s;
    }
    return out;
  }

  async learn(x: FeatureMatrix): Promise<void> {
    this.check(x);
    if (!x.targets) throw new SchemaError(`${this.kind} model: learn needs a FeatureMatrix with targets`);
    checkTargets(this.task, 1, x.targets, x.rowIds);
    const bs = this.options.batchSize;
    let lossSum = 0,
      batches = 0;
    for (let start = 0; start < x.rows; start += bs) {
      const l = this.update(x, start, Math.min(x.rows, start + bs));
      if (!Number.isNaN(l)) {
        lossSum += l;
        batches++;
      }
    }
    this.loss = batches ? lossSum / batches : NaN;
  }

  /** One update from rows [r0, r1); returns the batch's weighted mean loss (NaN when Σw = 0). */
  private update(x: FeatureMatrix, r0: number, r1: number): number {
    const o = this.options,
      t = x.targets!.subarray(r0, r1);
    const { weights, sum } = rowWeights(t, x.weights?.subarray(r0, r1) ?? null, o.classWeights, this.task);
    if (!(sum > 0)) return NaN;
    const g = this.g,
      mark = this.mark,
      touched = this.touched,
      bias = this._inputs!;
    let nt = 0,
      loss = 0;
    const touch = (i: number, v: number) => {
      if (!mark[i]) {
        mark[i] = 1;
        touched[nt++] = i;
      }
      g[i] = g[i]! + v;
    };
    for (let r = r0; r < r1; r++) {
      const wr = weights ? weights[r - r0]! : 1,
        y = t[r - r0]!,
        s = this.score(x, r);
      let d: number;
      if (this.task === 'binary') {
        d = (s >= 0 ? 1 / (1 + Math.exp(-s)) : Math.exp(s) / (1 + Math.exp(s))) - y;
        loss += wr * (Math.max(s, 0) + Math.log1p(Math.exp(-Math.abs(s))) - y * s);
      } else {
        d = s - y;
        loss += wr * 0.5 * d * d;
      }
      d *= wr / sum;
      if (d === 0) continue;
      touch(bias, d);
      if (x.kind === 'dense') {
        const off = r * x.cols;
        for (let j = 0; j < x.cols; j++) {
          const v = x.values[off + j]!;
          if (v !== 0) touch(j, d * v);
        }
      } else {
        for (let p = x.indptr![r]!; p < x.indptr![r + 1]!; p++) touch(x.indices![p]!, d * x.values[p]!);
      }
    }
    let f = 1;
    if (o.clip > 0) {
      let sq = 0;
      for (let k = 0; k < nt; k++) sq += g[touched[k]!]! ** 2;
      if (Math.sqrt(sq) > o.clip) f = o.clip / Math.sqrt(sq);
    }
    for (let k = 0; k < nt; k++) {
      const i = touched[k]!,
        gi = g[i]! * f,
        ni = this.n[i]!;
      const sigma = (Math.sqrt(ni + gi * gi) - Math.sqrt(ni)) / o.lr;
      this.z[i] = this.z[i]! + gi - sigma * this.weight(i);
      this.n[i] = ni + gi * gi;
      g[i] = 0;
      mark[i] = 0;
    }
    this._step++;
    return loss / sum;
  }

  async lastLoss(): Promise<number> {
    return this.loss;
  }

  async state(): Promise<ModelState> {
    const inputs = this._inputs ?? 0,
      w = new Array<number>(inputs);
    for (let i = 0; i < inputs; i++) w[i] = this.weight(i);
    return {
      kind: this.kind,
      task: this.task,
      inputs,
      outputs: 1,
      options: { ...this.options, inputs: this._inputs },
      // w0/b0 are derived from z and n (for inspection and export); z and n are the state.
      params: { w0: w, b0: inputs ? [this.weight(inputs)] : [] },
      optimizer: { z: Array.from(this.z), n: Array.from(this.n) },
      step: this._step,
    };
  }

  async dispose(): Promise<void> {
    /* host memory only */
  }
}

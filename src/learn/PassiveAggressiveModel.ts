import { type FeatureMatrix, SchemaError } from '../core/index.js';
import { checkTargets } from './checkTargets.js';
import type { Model, ModelKind, ModelState, Task } from './Model.js';
import type { ResolvedModelOptions } from './resolveModelOptions.js';
import { rowWeights } from './rowWeights.js';

/**
 * Passive-aggressive learning (Crammer et al., JMLR 2006), binary classification (hinge loss,
 * y = ±1) and regression (ε-insensitive loss), one closed-form update per row:
 *   ℓ = max(0, 1 − y·s)  or  max(0, |y − s| − ε),  s = w·x + b,  q = ‖x‖² + 1 (the bias feature)
 *   PA: τ = ℓ/q;  PA-I: τ = min(C, ℓ/q);  PA-II: τ = ℓ/(q + 1/(2C))
 *   w += τ·d·x, b += τ·d   with d = y (classification) or sgn(y − s) (regression).
 * Sample and class weights scale C (PA-I, PA-II) or τ (PA), as scikit-learn does with C.
 *
 * Runs on the host whatever backend is asked for: the batch size is 1 by definition, and a
 * per-row dot product plus axpy is far below a kernel dispatch's cost. `predict` for binary
 * returns σ(s), monotone in the margin, not a calibrated probability.
 */
export class PassiveAggressiveModel implements Model {
  readonly kind: ModelKind = 'passiveAggressive';
  readonly task: Task;
  readonly outputs = 1;
  readonly backendName = 'cpu';
  readonly adapter = 'host (passive-aggressive, per-row closed form)';
  private _inputs: number | null;
  private _step = 0;
  private w = new Float64Array(0);
  private b = 0;
  private loss = NaN;

  get batchSize(): number {
    return this.options.batchSize;
  }

  constructor(readonly options: ResolvedModelOptions) {
    this.task = options.task;
    this._inputs = options.inputs;
    if (this._inputs !== null) this.w = new Float64Array(this._inputs);
  }

  get inputs(): number | null {
    return this._inputs;
  }
  get step(): number {
    return this._step;
  }

  load(state: ModelState): void {
    const w = state.params.w0,
      b = state.params.b0;
    if (!w || w.length !== state.inputs || !b || b.length !== 1)
      throw new SchemaError(`passive-aggressive state needs w0 of ${state.inputs} values and b0 of 1`);
    this._inputs = state.inputs;
    this.w = Float64Array.from(w);
    this.b = b[0]!;
    this._step = state.step;
  }

  private check(x: FeatureMatrix): void {
    if (this._inputs === null) {
      this._inputs = x.cols;
      this.w = new Float64Array(x.cols);
    }
    if (x.cols !== this._inputs)
      throw new SchemaError(`passiveAggressive model takes ${this._inputs} input columns, got a FeatureMatrix [${x.rows}x${x.cols}]`);
  }

  /** Score of row r and its squared norm (without the bias feature). */
  private score(x: FeatureMatrix, r: number): [number, number] {
    let s = this.b,
      q = 0;
    if (x.kind === 'dense') {
      const off = r * x.cols;
      for (let j = 0; j < x.cols; j++) {
        const v = x.values[off + j]!;
        s += this.w[j]! * v;
        q += v * v;
      }
    } else {
      for (let p = x.indptr![r]!; p < x.indptr![r + 1]!; p++) {
        const v = x.values[p]!;
        s += this.w[x.indices![p]!]! * v;
        q += v * v;
      }
    }
    return [s, q];
  }

  async predict(x: FeatureMatrix): Promise<Float32Array> {
    this.check(x);
    const out = new Float32Array(x.rows);
    for (let r = 0; r < x.rows; r++) {
      const s = this.score(x, r)[0];
      out[r] = this.task === 'binary' ? 1 / (1 + Math.exp(-s)) : s;
    }
    return out;
  }

  async learn(x: FeatureMatrix): Promise<void> {
    this.check(x);
    if (!x.targets) throw new SchemaError('passiveAggressive model: learn needs a FeatureMatrix with targets');
    checkTargets(this.task, 2, x.targets, x.rowIds);
    const o = this.options;
    const { weights } = rowWeights(x.targets, x.weights, o.classWeights, this.task);
    let lossSum = 0;
    for (let r = 0; r < x.rows; r++) {
      const wr = weights ? weights[r]! : 1;
      const [s, q0] = this.score(x, r),
        q = q0 + 1;
      let l: number, d: number;
      if (this.task === 'binary') {
        const y = x.targets[r]! >= 0.5 ? 1 : -1;
        l = Math.max(0, 1 - y * s);
        d = y;
      } else {
        const e = x.targets[r]! - s;
        l = Math.max(0, Math.abs(e) - o.epsilon);
        d = Math.sign(e);
      }
      lossSum += l;
      this._step++;
      if (l === 0 || wr === 0) continue;
      const C = o.C * wr;
      const tau = o.variant === 'PA' ? (wr * l) / q : o.variant === 'PA-I' ? Math.min(C, l / q) : l / (q + 1 / (2 * C));
      const a = tau * d;
      if (x.kind === 'dense') {
        const off = r * x.cols;
        for (let j = 0; j < x.cols; j++) this.w[j] = this.w[j]! + a * x.values[off + j]!;
      } else
        for (let p = x.indptr![r]!; p < x.indptr![r + 1]!; p++) {
          const j = x.indices![p]!;
          this.w[j] = this.w[j]! + a * x.values[p]!;
        }
      this.b += a;
    }
    this.loss = x.rows ? lossSum / x.rows : NaN;
  }

  async lastLoss(): Promise<number> {
    return this.loss;
  }

  async state(): Promise<ModelState> {
    return {
      kind: this.kind,
      task: this.task,
      inputs: this._inputs ?? 0,
      outputs: 1,
      options: { ...this.options, inputs: this._inputs },
      params: { w0: Array.from(this.w), b0: [this.b] },
      optimizer: {},
      step: this._step,
    };
  }

  async dispose(): Promise<void> {
    /* host memory only */
  }
}

import { type FeatureMatrix, SchemaError } from '../core/index.js';
import { type Backend, OPTIMIZER_STATE, type OptimizerHyper, type OptimizerKind, type Tensor } from '../kernels/index.js';
import { checkTargets } from './checkTargets.js';
import { linearGradCpu } from './linearGradCpu.js';
import { linearLossCpu } from './linearLossCpu.js';
import { linearPredictCpu } from './linearPredictCpu.js';
import type { Model, ModelKind, ModelState, Task } from './Model.js';
import type { ResolvedModelOptions } from './resolveModelOptions.js';
import { rowsOf } from './rowsOf.js';
import { rowWeights } from './rowWeights.js';
import { scheduledRate } from './scheduledRate.js';

/** Rows per predict pass over CSR input (bounds the scratch, as GradientModel's chunks do). */
const PREDICT_CHUNK = 4096;

type LinearLoss = 'logistic' | 'hinge' | 'squared';

/** One parameter buffer (w0: inputs×1, b0: 1) with its gradient and optimizer state: host arrays and the backend's tensors over them. */
interface Param {
  name: 'w0' | 'b0';
  value: Float32Array;
  grad: Float32Array;
  state: Float32Array[];
  tensors: { value: Tensor; grad: Tensor; state: Tensor[] };
}

/**
 * A one-output linear model (linear regression, logistic regression, linear SVM) trained by the
 * same mini-batch gradient descent as GradientModel, on a backend whose `wrap` shares memory
 * (capabilities.sharedWrap: the cpu). Its parameters, gradients and optimizer state are host
 * arrays wrapped once as tensors: a dense mini-batch is one loop (linearGradCpu) instead of a
 * dozen kernel calls, each checking shapes, for a row a few values wide; predict is one loop
 * (linearPredictCpu); the mean loss is computed only when `lastLoss()` asks (linearLossCpu).
 * CSR input, optimizer steps and clipping go through the backend's kernels (spmm, lossGrad, spmmT,
 * optimizerStep, ...), which update the host arrays in place.
 *
 * Same semantics and numbers as GradientModel on the cpu backend, bit for bit (predictions, weights,
 * optimizer state, losses: test/learn/cpuFastPaths), and the same state() format, so a saved model
 * loads into either. buildModel chooses it where `LinearModel.fits`.
 */
export class LinearModel implements Model {
  readonly kind: ModelKind;
  readonly task: Task;
  readonly outputs = 1;
  readonly backendName: string;
  readonly adapter: string;
  private _inputs: number | null;
  private _step = 0;
  private params: Param[] = [];
  private readonly lossKind: LinearLoss;
  /** Σ over this learn call's batches of each batch's mean loss (what GradientModel's lossAcc holds). */
  private lossAcc = new Float32Array(1);
  private lossAccT: Tensor | null = null;
  private sqNorm = new Float32Array(1);
  private sqNormT: Tensor | null = null;
  private lastBatches = 0;
  private disposed = false;
  /** Each row's output gradient d_r in a dense mini-batch (linearGradCpu's scratch). */
  private dBuf = new Float32Array(0);
  /** CSR scratch: raw outputs, their gradients, per-row losses. */
  private z = new Float32Array(0);
  private dz = new Float32Array(0);
  private loss = new Float32Array(0);
  /**
   * The dense path's mean loss, deferred to `lastLoss()`: the raw outputs and targets of the last
   * learn call and its mini-batches (rows, row weights, Σw). Null when lossAcc is current.
   */
  private deferredLoss: { batches: Array<{ start: number; end: number; weights: Float32Array | null; sum: number }> } | null = null;
  private lossZ = new Float32Array(0);
  private lossT = new Float32Array(0);

  /** Whether these options and this backend suit a LinearModel (else GradientModel runs them). */
  static fits(o: ResolvedModelOptions, backend: Backend): boolean {
    return (
      backend.capabilities.sharedWrap &&
      (o.kind === 'linear' || o.kind === 'logistic' || o.kind === 'svm') &&
      o.optimizer !== 'ftrl' &&
      o.outputs === 1 &&
      o.task !== 'multiclass'
    );
  }

  get batchSize(): number {
    return this.options.batchSize;
  }

  constructor(
    readonly options: ResolvedModelOptions,
    private readonly backend: Backend,
    private readonly ownsBackend: boolean,
  ) {
    if (!LinearModel.fits(options, backend)) {
      throw new SchemaError(
        `LinearModel runs one-output linear, logistic or svm models (not ftrl) on a backend whose wrap shares memory (cpu); got kind ${options.kind}, task ${options.task}, ${options.outputs} outputs, optimizer ${options.optimizer} on ${backend.name}`,
      );
    }
    this.kind = options.kind;
    this.task = options.task;
    this.backendName = backend.name;
    this.adapter = backend.adapter;
    this._inputs = options.inputs;
    this.lossKind = options.kind === 'svm' ? 'hinge' : options.task === 'binary' ? 'logistic' : 'squared';
    if (this._inputs !== null) this.build(this._inputs, null);
  }

  get inputs(): number | null {
    return this._inputs;
  }
  get step(): number {
    return this._step;
  }

  /** Allocates the parameters (zero, or from `saved`) and optimizer state, and wraps them as tensors. */
  private build(inputs: number, saved: ModelState | null): void {
    const b = this.backend,
      nState = OPTIMIZER_STATE[this.options.optimizer as OptimizerKind];
    this._inputs = inputs;
    for (const [name, shape] of [
      ['w0', [inputs, 1]],
      ['b0', [1]],
    ] as const) {
      const n = shape.reduce((a: number, c: number) => a * c, 1);
      let value: Float32Array;
      if (saved) {
        const v = saved.params[name];
        if (!v || v.length !== n) throw new SchemaError(`model state: parameter ${name} should hold ${shape.join('×')} values, has ${v?.length ?? 'none'}`);
        value = Float32Array.from(v);
      } else value = new Float32Array(n);
      const grad = new Float32Array(n);
      const state = Array.from({ length: nState }, (_, s) => {
        const v = saved?.optimizer[`${name}/${s}`];
        return v ? Float32Array.from(v) : new Float32Array(n);
      });
      this.params.push({
        name,
        value,
        grad,
        state,
        tensors: { value: b.wrap(value, shape), grad: b.wrap(grad, shape), state: state.map((s) => b.wrap(s, shape)) },
      });
    }
    this.lossAccT = b.wrap(this.lossAcc, [1]);
    if (this.options.clip > 0) this.sqNormT = b.wrap(this.sqNorm, [1]);
  }

  /** Restores a saved state onto this (fresh) model. */
  load(state: ModelState): void {
    if (state.inputs) {
      this.release();
      this.build(state.inputs, state);
    }
    this._step = state.step;
  }

  private checkInput(x: FeatureMatrix): void {
    if (this.disposed) throw new SchemaError(`${this.kind} model was disposed`);
    if (this._inputs === null) this.build(x.cols, null);
    if (x.cols !== this._inputs) throw new SchemaError(`${this.kind} model takes ${this._inputs} input columns, got a FeatureMatrix [${x.rows}x${x.cols}]`);
  }

  /** Raw outputs z = x·w + b of a CSR matrix into this.z, through the backend (spmm, biasAdd); returns the tensors to release. */
  private sparseForward(x: FeatureMatrix): { z: Tensor; csr: [Tensor, Tensor, Tensor] } {
    const b = this.backend,
      rows = x.rows,
      nnz = x.nnz;
    if (this.z.length < rows) {
      this.z = new Float32Array(rows);
      this.dz = new Float32Array(rows);
      this.loss = new Float32Array(rows);
    }
    const csr: [Tensor, Tensor, Tensor] = [b.wrap(x.indptr!, [rows + 1]), b.wrap(x.indices!.subarray(0, nnz), [nnz]), b.wrap(x.values.subarray(0, nnz), [nnz])];
    const z = b.wrap(this.z.subarray(0, rows), [rows, 1]);
    b.spmm(csr[0], csr[1], csr[2], this.params[0]!.tensors.value, z, rows, x.cols, 1);
    b.biasAdd(z, this.params[1]!.tensors.value, rows, 1);
    return { z, csr };
  }

  async predict(x: FeatureMatrix): Promise<Float32Array> {
    this.checkInput(x);
    const out = new Float32Array(x.rows),
      act = this.task === 'binary' ? 'sigmoid' : 'identity';
    if (x.kind === 'dense') {
      linearPredictCpu(x.values, 0, x.rows, x.cols, this.params[0]!.value, this.params[1]!.value[0]!, act, out, 0);
      return out;
    }
    const b = this.backend;
    for (let start = 0; start < x.rows; start += PREDICT_CHUNK) {
      const part = start === 0 && x.rows <= PREDICT_CHUNK ? x : rowsOf(x, start, start + PREDICT_CHUNK);
      if (part.rows === 0) continue;
      const { z, csr } = this.sparseForward(part);
      // The backend's wrap shares memory: the activation lands in out.
      const p = b.wrap(out.subarray(start, start + part.rows), [part.rows, 1]);
      b.activate(act, z, p);
      for (const t of [...csr, z, p]) b.release(t);
    }
    return out;
  }

  async learn(x: FeatureMatrix): Promise<void> {
    this.checkInput(x);
    if (!x.targets) throw new SchemaError(`${this.kind} model: learn needs a FeatureMatrix with targets`);
    checkTargets(this.task, this.outputs, x.targets, x.rowIds);
    const bs = this.options.batchSize,
      dense = x.kind === 'dense';
    this.lastBatches = 0;
    this.deferredLoss = null;
    if (dense) {
      if (this.lossZ.length < x.rows) {
        this.lossZ = new Float32Array(x.rows);
        this.lossT = new Float32Array(x.rows);
      }
      // The targets are copied: the caller may reuse its arrays before lastLoss() is asked.
      this.lossT.set(x.targets);
      this.deferredLoss = { batches: [] };
    }
    // All mini-batches run in this call; only clipping (a readback) awaits between them.
    for (let start = 0; start < x.rows; start += bs) {
      const end = Math.min(x.rows, start + bs);
      const ready = dense ? this.denseGrads(x, start, end) : this.sparseGrads(start === 0 && end === x.rows ? x : rowsOf(x, start, end));
      if (!ready) continue;
      if (this.options.clip > 0) await this.clipGradients();
      this.applyUpdate();
    }
    this.backend.flush();
  }

  /** Gradients of the dense rows [start, end) of x in one loop (linearGradCpu); false when the batch weighs nothing. */
  private denseGrads(x: FeatureMatrix, start: number, end: number): boolean {
    const t = x.targets!,
      [w, bias] = this.params as [Param, Param];
    const { weights, sum } = rowWeights(t.subarray(start, end), x.weights?.subarray(start, end) ?? null, this.options.classWeights, this.task);
    if (!(sum > 0)) return false;
    if (this.dBuf.length < end - start) this.dBuf = new Float32Array(this.options.batchSize);
    linearGradCpu(this.lossKind, x.values, start, end - start, x.cols, t, weights, 1 / sum, w.value, bias.value[0]!, w.grad, bias.grad, this.dBuf, this.lossZ);
    this.deferredLoss!.batches.push({ start, end, weights, sum });
    this.lastBatches++;
    return true;
  }

  /** Gradients of a CSR mini-batch through the backend's kernels (and its mean loss into lossAcc); false when it weighs nothing. */
  private sparseGrads(x: FeatureMatrix): boolean {
    const b = this.backend,
      rows = x.rows,
      [w, bias] = this.params as [Param, Param];
    const { weights, sum } = rowWeights(x.targets!, x.weights, this.options.classWeights, this.task);
    if (!(sum > 0)) return false;
    const { z, csr } = this.sparseForward(x);
    const tgt = b.wrap(x.targets!, [rows]),
      wt = weights ? b.wrap(weights, [rows]) : null;
    const dz = b.wrap(this.dz.subarray(0, rows), [rows, 1]),
      loss = b.wrap(this.loss.subarray(0, rows), [rows]);
    b.lossGrad(this.lossKind, z, tgt, wt, dz, loss, rows, 1, 1 / sum);
    b.colSum(loss, this.lossAccT!, rows, 1, { alpha: 1 / sum, beta: this.lastBatches === 0 ? 0 : 1 });
    this.lastBatches++;
    b.spmmT(csr[0], csr[1], csr[2], dz, w.tensors.grad, rows, x.cols, 1);
    b.colSum(dz, bias.tensors.grad, rows, 1);
    for (const t of [...csr, z, tgt, dz, loss]) b.release(t);
    if (wt) b.release(wt);
    return true;
  }

  /** One optimizer step of the weights (with L1/L2) and the bias. */
  private applyUpdate(): void {
    const o = this.options;
    this._step++;
    const h: OptimizerHyper = {
      lr: scheduledRate(o.lr, o.schedule, this._step),
      step: this._step,
      momentum: o.momentum,
      beta1: o.beta1,
      beta2: o.beta2,
      rho: o.rho,
      eps: o.eps,
    };
    const kind = o.optimizer as OptimizerKind;
    for (const p of this.params)
      this.backend.optimizerStep(kind, p.tensors.value, p.tensors.grad, p.tensors.state, p.name === 'w0' ? { ...h, l1: o.l1, l2: o.l2 } : h);
  }

  /** Global L2-norm clipping of both gradients, with GradientModel's kernels (1×k·k×1 GEMMs, a scaled colSum). */
  private async clipGradients(): Promise<void> {
    const b = this.backend;
    this.params.forEach((p, i) => b.gemm(p.tensors.grad, p.tensors.grad, this.sqNormT!, { m: 1, n: 1, k: p.grad.length, beta: i === 0 ? 0 : 1 }));
    const norm = Math.sqrt((await b.read(this.sqNormT!))[0]!);
    if (!(norm > this.options.clip)) return;
    const f = this.options.clip / norm;
    for (const p of this.params) b.colSum(p.tensors.grad, p.tensors.grad, 1, p.grad.length, { alpha: f });
  }

  async lastLoss(): Promise<number> {
    if (this.lastBatches === 0) return NaN;
    const d = this.deferredLoss;
    if (d) {
      // What colSum(loss, lossAcc, alpha 1/Σw, beta 0 then 1) would have stored batch by batch.
      let acc = 0;
      d.batches.forEach((bt, i) => {
        const s = linearLossCpu(this.lossKind, this.lossZ, this.lossT, bt.start, bt.end - bt.start, bt.weights);
        acc = Math.fround(i === 0 ? (1 / bt.sum) * s : (1 / bt.sum) * s + acc);
      });
      this.lossAcc[0] = acc;
      this.deferredLoss = null;
    }
    return this.lossAcc[0]! / this.lastBatches;
  }

  /** GradientModel's state format (kind, options, params w0/b0, optimizer `name/index`, step). */
  async state(): Promise<ModelState> {
    const params: Record<string, number[]> = {},
      optimizer: Record<string, number[]> = {};
    for (const p of this.params) {
      params[p.name] = Array.from(p.value);
      p.state.forEach((s, i) => {
        optimizer[`${p.name}/${i}`] = Array.from(s);
      });
    }
    return {
      kind: this.kind,
      task: this.task,
      inputs: this._inputs ?? 0,
      outputs: this.outputs,
      options: { ...this.options, inputs: this._inputs },
      params,
      optimizer,
      step: this._step,
    };
  }

  private release(): void {
    const b = this.backend;
    for (const p of this.params) for (const t of [p.tensors.value, p.tensors.grad, ...p.tensors.state]) b.release(t);
    for (const t of [this.lossAccT, this.sqNormT]) if (t) b.release(t);
    this.params = [];
    this.lossAccT = null;
    this.sqNormT = null;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.release();
    this.disposed = true;
    if (this.ownsBackend) await this.backend.dispose();
  }
}

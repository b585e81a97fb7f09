import { FeatureMatrix, Rng, SchemaError } from '../core/index.js';
import { type Activation, type Backend, type LossKind, OPTIMIZER_STATE, type OptimizerKind, type Tensor } from '../kernels/index.js';
import { checkTargets } from './checkTargets.js';
import type { Model, ModelKind, ModelState, Task } from './Model.js';
import type { ResolvedModelOptions } from './resolveModelOptions.js';
import { rowsOf } from './rowsOf.js';
import { rowWeights } from './rowWeights.js';
import { scheduledRate } from './scheduledRate.js';

/** Rows per forward pass in `predict` (bounds device memory for large inputs). */
const PREDICT_CHUNK = 4096;

interface Scratch {
  rows: number;
  /** acts[j] is layer j's output (rows × sizes[j+1]); the last one holds the raw scores z. */
  acts: Tensor[];
  /** dz[j]: gradient with respect to layer j's pre-activation (rows × sizes[j+1]). */
  dz: Tensor[];
  loss: Tensor;
}

/**
 * Linear, logistic, softmax, linear-SVM and MLP models: a stack of dense layers trained by
 * gradient descent on one compute backend. Weights, gradients and optimizer state stay on the
 * backend; a training step uploads the batch (features, targets, row weights), records forward,
 * fused loss+gradient, backward and one `optimizerStep` per parameter buffer, and submits them
 * as one command buffer on WebGPU with no readback. The per-batch mean loss is accumulated on
 * the device and read only when `lastLoss()` is asked.
 *
 * Mini-batch semantics: `learn(x)` cuts x into consecutive batches of `batchSize` rows (the last
 * may be shorter) and makes one update per batch from the weighted mean gradient
 *   g = Σ_r w_r ∇ℓ_r / Σ_r w_r,   w_r = sampleWeight_r · classWeight[y_r]
 * (lossGrad's scale = 1/Σw). L2 and L1 apply to weights, not biases. A batch whose weights sum
 * to zero makes no update.
 *
 * Clipping (`clip`) is by global L2 norm over all gradient buffers: the squared norms are reduced
 * on the device (1×k·k×1 GEMMs) and the single number is read back, so with clipping on each step
 * costs one 4-byte readback (the backend has no kernel that could apply a device-side scalar).
 *
 * A linear-SVM's `predict` returns σ(z), monotone in the margin (0.5 at the decision boundary), not
 * a calibrated probability.
 *
 * One path on every backend: batch rows, targets and weights go in through `wrap` (read in place
 * on the cpu, uploaded elsewhere); a dense layer's bias and hidden activation ride on its GEMM's
 * epilogue, and the activation's backward on the GEMM that propagates the gradient (the cpu folds
 * what it exactly can into the GEMM's pass, other backends run separate passes). With plain SGD (no L1, L2 or
 * clipping) on a backend whose capabilities say exactSgdGemm, each weight gradient GEMM applies the
 * update into the weights itself (alpha −lr, beta 1; see fuseSgd). All give bit-identical results
 * to the separate kernels (test/learn/cpuFastPaths). buildModel gives a one-output linear model on
 * a sharedWrap backend (the cpu) to LinearModel instead: one loop per mini-batch, same numbers.
 */
export class GradientModel implements Model {
  readonly kind: ModelKind;
  readonly task: Task;
  readonly outputs: number;
  readonly backendName: string;
  readonly adapter: string;
  private _inputs: number | null;
  private _step = 0;
  private sizes: number[] = [];
  private params: Tensor[] = [];
  private grads: Tensor[] = [];
  private opt: Tensor[][] = [];
  private lossAcc: Tensor | null = null;
  private sqNorm: Tensor | null = null;
  private lastBatches = 0;
  private scratch = new Map<number, Scratch>();
  private readonly lossKind: LossKind;
  private readonly hiddenAct: Activation;
  private disposed = false;
  /**
   * Plain SGD (no L1, L2, clipping) on a backend with capabilities.exactSgdGemm (the cpu's SIMD GEMM):
   * a weight gradient GEMM writes the update itself, W ← −lr·(Xᵀ·dZ) + 1·W (alpha −lr, beta 1),
   * skipping the gradient buffer and the update pass over it; bit-identical to gemm then optimizerStep.
   */
  private readonly fuseSgd: boolean;
  /** fused[j]: layer j's weights were updated by its gradient GEMM in the current step (applyUpdate skips them). */
  private fused: boolean[] = [];

  /**
   * Test-then-train on a host backend (capabilities.sharedWrap: the cpu), where kernels have run
   * when they return: each mini-batch's forward pass serves both its predictions and its gradient,
   * so the engine's predict-then-learn costs one forward, not two. Absent on other backends (their
   * predictions come back through an async read).
   */
  readonly testThenTrain?: (x: FeatureMatrix, out: Float32Array) => void;

  get batchSize(): number {
    return this.options.batchSize;
  }

  constructor(
    readonly options: ResolvedModelOptions,
    private readonly backend: Backend,
    private readonly ownsBackend: boolean,
  ) {
    if (options.optimizer === 'ftrl' || options.optimizer === 'normalized')
      throw new SchemaError(`GradientModel does not run ${options.optimizer} (a host optimizer: SparseLinearModel)`);
    this.kind = options.kind;
    this.task = options.task;
    this.outputs = options.outputs;
    this.backendName = backend.name;
    this.adapter = backend.adapter;
    this._inputs = options.inputs;
    this.lossKind = options.kind === 'svm' ? 'hinge' : options.task === 'binary' ? 'logistic' : options.task === 'multiclass' ? 'softmax' : 'squared';
    this.hiddenAct = options.activation;
    this.fuseSgd = backend.capabilities.exactSgdGemm && options.optimizer === 'sgd' && options.l1 === 0 && options.l2 === 0 && options.clip === 0;
    // Clipping reads the gradient norm back (async): such models predict, then learn.
    if (backend.capabilities.sharedWrap && options.clip === 0) this.testThenTrain = (x, out) => this.testThenTrainHost(x, out);
    if (this._inputs !== null) this.build(this._inputs, null);
  }

  get inputs(): number | null {
    return this._inputs;
  }
  get step(): number {
    return this._step;
  }

  /** Allocates parameters (initialised from the seed, or from `params`) and optimizer state. */
  private build(inputs: number, saved: ModelState | null): void {
    const o = this.options,
      b = this.backend;
    this._inputs = inputs;
    this.sizes = [inputs, ...(o.kind === 'mlp' ? o.hidden : []), this.outputs];
    const rng = new Rng(o.seed);
    const nState = OPTIMIZER_STATE[o.optimizer as OptimizerKind];
    for (let j = 0; j + 1 < this.sizes.length; j++) {
      const fanIn = this.sizes[j]!,
        fanOut = this.sizes[j + 1]!;
      for (const [name, shape] of [
        [`w${j}`, [fanIn, fanOut]],
        [`b${j}`, [fanOut]],
      ] as const) {
        let init: Float32Array;
        if (saved) {
          const v = saved.params[name];
          if (!v || v.length !== shape.reduce((a, c) => a * c, 1))
            throw new SchemaError(`model state: parameter ${name} should hold ${shape.join('×')} values, has ${v?.length ?? 'none'}`);
          init = Float32Array.from(v);
        } else {
          init = new Float32Array(shape.reduce((a, c) => a * c, 1));
          // Convex models start at zero; an MLP needs symmetry broken: He N(0, 2/fanIn) or Xavier N(0, 2/(fanIn+fanOut)).
          if (o.kind === 'mlp' && name.startsWith('w')) {
            const std = o.init === 'he' ? Math.sqrt(2 / fanIn) : Math.sqrt(2 / (fanIn + fanOut));
            for (let i = 0; i < init.length; i++) init[i] = rng.normal(0, std);
          }
        }
        // Weight matrices are read and updated by every step's GEMMs: resident where the backend can
        // (the cpu's wasm memory), and so are their gradients (written by a GEMM) and optimizer
        // state, so the cpu's update runs in wasm over them in place (optimizerStepWasm).
        const resident = name.startsWith('w') ? { resident: true } : undefined;
        const size = init.length;
        this.params.push(b.upload(init, shape, resident));
        this.grads.push(resident ? b.upload(new Float32Array(size), shape, resident) : b.zeros(shape));
        const states: Tensor[] = [];
        for (let s = 0; s < nState; s++) {
          const v = saved?.optimizer[`${name}/${s}`];
          states.push(v ? b.upload(Float32Array.from(v), shape, resident) : resident ? b.upload(new Float32Array(size), shape, resident) : b.zeros(shape));
        }
        this.opt.push(states);
      }
    }
    this.lossAcc = b.zeros([1]);
    if (o.clip > 0) this.sqNorm = b.zeros([1]);
  }

  /** Restores a saved state onto this (fresh) model. */
  load(state: ModelState): void {
    if (state.inputs) {
      this.release();
      this.build(state.inputs, state);
    }
    this._step = state.step;
  }

  private getScratch(rows: number): Scratch {
    let s = this.scratch.get(rows);
    if (s) return s;
    // Keep the full-batch shape and at most one other (a short last batch, a predict chunk).
    if (this.scratch.size >= 2)
      for (const [r, old] of this.scratch)
        if (r !== this.options.batchSize) {
          this.freeScratch(old);
          this.scratch.delete(r);
        }
    const b = this.backend,
      L = this.sizes.length - 1;
    s = {
      rows,
      acts: Array.from({ length: L }, (_, j) => b.zeros([rows, this.sizes[j + 1]!])),
      dz: Array.from({ length: L }, (_, j) => b.zeros([rows, this.sizes[j + 1]!])),
      loss: b.zeros([rows]),
    };
    this.scratch.set(rows, s);
    return s;
  }

  private freeScratch(s: Scratch): void {
    for (const t of [...s.acts, ...s.dz, s.loss]) this.backend.release(t);
  }

  private checkInput(x: FeatureMatrix): void {
    if (this.disposed) throw new SchemaError(`${this.kind} model was disposed`);
    if (this._inputs === null) this.build(x.cols, null);
    if (x.cols !== this._inputs) throw new SchemaError(`${this.kind} model takes ${this._inputs} input columns, got a FeatureMatrix [${x.rows}x${x.cols}]`);
  }

  /** Uploads x (dense or CSR) and records the forward pass; returns the uploaded tensors to release. */
  private forward(x: FeatureMatrix, s: Scratch): Tensor[] {
    const b = this.backend,
      rows = x.rows,
      L = this.sizes.length - 1;
    let uploads: Tensor[];
    if (x.kind === 'dense') uploads = [b.wrap(x.values, [rows, x.cols])];
    else {
      const nnz = x.nnz;
      uploads = [b.wrap(x.indptr!, [rows + 1]), b.wrap(x.indices!.subarray(0, nnz), [nnz]), b.wrap(x.values.subarray(0, nnz), [nnz])];
    }
    for (let j = 0; j < L; j++) {
      const nIn = this.sizes[j]!,
        nOut = this.sizes[j + 1]!,
        act = s.acts[j]!,
        hidden = j < L - 1;
      const bias = this.params[2 * j + 1]!;
      if (j > 0 || x.kind === 'dense') {
        const input = j === 0 ? uploads[0]! : s.acts[j - 1]!;
        b.gemm(input, this.params[2 * j]!, act, { m: rows, n: nOut, k: nIn, epilogue: { bias, act: hidden ? this.hiddenAct : undefined } });
        continue;
      }
      b.spmm(uploads[0]!, uploads[1]!, uploads[2]!, this.params[0]!, act, rows, x.cols, nOut);
      b.biasAdd(act, bias, rows, nOut);
      if (hidden) b.activate(this.hiddenAct, act, act);
    }
    return uploads;
  }

  /** Writes the output activation of the forward pass in `s` (rows of `p`) into `p`. */
  private outputsOf(s: Scratch, p: Tensor, rows: number): void {
    const z = s.acts[this.sizes.length - 2]!;
    if (this.task === 'multiclass') this.backend.softmax(z, p, rows, this.outputs);
    else this.backend.activate(this.task === 'binary' ? 'sigmoid' : 'identity', z, p);
  }

  /**
   * See testThenTrain. Per mini-batch: one forward; its outputs go to `out`; then, when every
   * target is finite, the gradient continues from that same forward (the numbers are those of
   * predict then learn: same kernels on the same weights). A mini-batch with missing targets
   * learns its labeled rows through `learn`'s path.
   */
  private testThenTrainHost(x: FeatureMatrix, out: Float32Array): void {
    this.checkInput(x);
    if (!x.targets) throw new SchemaError(`${this.kind} model: testThenTrain needs a FeatureMatrix with targets`);
    if (out.length < x.rows * this.outputs)
      throw new SchemaError(`${this.kind} model: testThenTrain needs room for ${x.rows}×${this.outputs} predictions, got ${out.length}`);
    const b = this.backend,
      bs = this.options.batchSize,
      o = this.outputs;
    this.lastBatches = 0;
    for (let start = 0; start < x.rows; start += bs) {
      const end = Math.min(x.rows, start + bs);
      const part = start === 0 && end === x.rows ? x : rowsOf(x, start, end);
      const rows = part.rows;
      const s = this.getScratch(rows);
      const uploads = this.forward(part, s);
      const p = b.wrap(out.subarray(start * o, end * o), [rows, o]);
      this.outputsOf(s, p, rows);
      b.release(p);
      const t = part.targets!;
      let labeled = 0;
      for (let i = 0; i < rows; i++) if (t[i]! - t[i]! === 0) labeled++;
      if (labeled === rows) {
        checkTargets(this.task, o, t, part.rowIds);
        if (this.graphGrads(part, uploads)) this.applyUpdate();
        continue;
      }
      for (const u of uploads) b.release(u);
      if (labeled === 0) continue;
      const keep = new Int32Array(labeled);
      for (let i = 0, k = 0; i < rows; i++) if (t[i]! - t[i]! === 0) keep[k++] = i;
      const sub = rowsAt(part, keep);
      checkTargets(this.task, o, sub.targets!, sub.rowIds);
      if (this.graphGrads(sub)) this.applyUpdate();
    }
  }

  async predict(x: FeatureMatrix): Promise<Float32Array> {
    this.checkInput(x);
    const out = new Float32Array(x.rows * this.outputs);
    const b = this.backend,
      L = this.sizes.length - 1;
    for (let start = 0; start < x.rows; start += PREDICT_CHUNK) {
      const part = start === 0 && x.rows <= PREDICT_CHUNK ? x : rowsOf(x, start, start + PREDICT_CHUNK);
      if (part.rows === 0) continue;
      const s = this.getScratch(part.rows);
      const uploads = this.forward(part, s);
      const p = s.dz[L - 1]!;
      this.outputsOf(s, p, part.rows);
      for (const t of uploads) b.release(t);
      out.set(await b.read(p), start * this.outputs);
    }
    return out;
  }

  async learn(x: FeatureMatrix): Promise<void> {
    this.checkInput(x);
    if (!x.targets) throw new SchemaError(`${this.kind} model: learn needs a FeatureMatrix with targets`);
    checkTargets(this.task, this.outputs, x.targets, x.rowIds);
    const bs = this.options.batchSize;
    this.lastBatches = 0;
    // All mini-batches run in this call; only clipping (a readback) awaits between them.
    for (let start = 0; start < x.rows; start += bs) {
      const end = Math.min(x.rows, start + bs);
      if (!this.graphGrads(start === 0 && end === x.rows ? x : rowsOf(x, start, end))) continue;
      if (this.options.clip > 0) await this.clipGradients();
      this.applyUpdate();
    }
    // What this call recorded goes to the device as one submission (webgpu), without waiting.
    this.backend.flush();
  }

  /**
   * Forward, loss and backward of one mini-batch through the backend's kernels into grads; false
   * when the batch weighs nothing. `forwarded`: the uploads of a forward pass of x just run in the
   * scratch of its row count (testThenTrain), released here either way.
   */
  private graphGrads(x: FeatureMatrix, forwarded?: Tensor[]): boolean {
    const o = this.options,
      b = this.backend,
      rows = x.rows,
      L = this.sizes.length - 1;
    const { weights, sum } = rowWeights(x.targets!, x.weights, o.classWeights, this.task);
    if (!(sum > 0)) {
      for (const t of forwarded ?? []) b.release(t);
      return false;
    }
    const s = this.getScratch(rows);
    const uploads = forwarded ?? this.forward(x, s);
    // Softmax class indices go in as i32, what a GPU kernel wants (the cpu reads either).
    const tgt = this.lossKind === 'softmax' ? b.wrap(Int32Array.from(x.targets!), [rows]) : b.wrap(x.targets!, [rows]);
    const wt = weights ? b.wrap(weights, [rows]) : null;
    uploads.push(tgt);
    if (wt) uploads.push(wt);
    b.lossGrad(this.lossKind, s.acts[L - 1]!, tgt, wt, s.dz[L - 1]!, s.loss, rows, this.outputs, 1 / sum);
    // The batch's mean loss, summed on the device over this learn call's batches.
    b.colSum(s.loss, this.lossAcc!, rows, 1, { alpha: 1 / sum, beta: this.lastBatches === 0 ? 0 : 1 });
    this.lastBatches++;
    // The step's rate, as applyUpdate will compute it, for the fused weight updates.
    const lr = this.fuseSgd ? scheduledRate(o.lr, o.schedule, this._step + 1) : 0;
    for (let j = L - 1; j >= 0; j--) {
      const dz = s.dz[j]!,
        nIn = this.sizes[j]!,
        nOut = this.sizes[j + 1]!;
      const input = j === 0 ? uploads[0]! : s.acts[j - 1]!;
      // exactSgdGemm holds for n > 1 only (the cpu's gemv, n = 1, scales its f64 sum without rounding it to f32 first).
      const fuse = this.fuseSgd && nOut > 1 && (j > 0 || x.kind === 'dense');
      this.fused[j] = fuse;
      if (!fuse) {
        if (j > 0 || x.kind === 'dense') b.gemm(input, dz, this.grads[2 * j]!, { m: nIn, n: nOut, k: rows, transA: true });
        else b.spmmT(uploads[0]!, uploads[1]!, uploads[2]!, dz, this.grads[0]!, rows, nIn, nOut);
      }
      b.colSum(dz, this.grads[2 * j + 1]!, rows, nOut);
      // The previous layer's gradient through its activation, from the weights before this step's update.
      if (j > 0)
        b.gemm(dz, this.params[2 * j]!, s.dz[j - 1]!, { m: rows, n: nIn, k: nOut, transB: true, epilogue: { backward: this.hiddenAct, y: s.acts[j - 1]! } });
      if (fuse) b.gemm(input, dz, this.params[2 * j]!, { m: nIn, n: nOut, k: rows, transA: true, alpha: -lr, beta: 1 });
    }
    for (const t of uploads) b.release(t);
    return true;
  }

  /** One optimizer step of every parameter buffer from grads. */
  private applyUpdate(): void {
    const o = this.options,
      b = this.backend;
    this._step++;
    const h = {
      lr: scheduledRate(o.lr, o.schedule, this._step),
      step: this._step,
      momentum: o.momentum,
      beta1: o.beta1,
      beta2: o.beta2,
      rho: o.rho,
      eps: o.eps,
    };
    const kind = o.optimizer as OptimizerKind;
    for (let i = 0; i < this.params.length; i++) {
      const isWeight = i % 2 === 0;
      if (isWeight && this.fused[i >> 1]) continue;
      b.optimizerStep(kind, this.params[i]!, this.grads[i]!, this.opt[i]!, isWeight ? { ...h, l1: o.l1, l2: o.l2 } : h);
    }
    b.flush();
  }

  private async clipGradients(): Promise<void> {
    const b = this.backend;
    this.grads.forEach((g, i) => b.gemm(g, g, this.sqNorm!, { m: 1, n: 1, k: g.length, beta: i === 0 ? 0 : 1 }));
    const norm = Math.sqrt((await b.read(this.sqNorm!))[0]!);
    if (!(norm > this.options.clip)) return;
    const f = this.options.clip / norm;
    for (const g of this.grads) b.colSum(g, g, 1, g.length, { alpha: f });
  }

  async lastLoss(): Promise<number> {
    if (this.lastBatches === 0 || !this.lossAcc) return NaN;
    const n = this.lastBatches;
    return (await this.backend.read(this.lossAcc))[0]! / n;
  }

  async state(): Promise<ModelState> {
    const params: Record<string, number[]> = {},
      optimizer: Record<string, number[]> = {};
    for (let i = 0; i < this.params.length; i++) {
      const name = `${i % 2 === 0 ? 'w' : 'b'}${i >> 1}`;
      params[name] = Array.from(await this.backend.read(this.params[i]!));
      for (let s = 0; s < this.opt[i]!.length; s++) optimizer[`${name}/${s}`] = Array.from(await this.backend.read(this.opt[i]![s]!));
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
    for (const t of [...this.params, ...this.grads, ...this.opt.flat()]) b.release(t);
    if (this.lossAcc) b.release(this.lossAcc);
    if (this.sqNorm) b.release(this.sqNorm);
    for (const s of this.scratch.values()) this.freeScratch(s);
    this.params = [];
    this.grads = [];
    this.opt = [];
    this.lossAcc = null;
    this.sqNorm = null;
    this.scratch.clear();
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.release();
    this.disposed = true;
    if (this.ownsBackend) await this.backend.dispose();
  }
}

/** The rows of x at `keep` (ascending), copied with their targets, weights and row ids. */
function rowsAt(x: FeatureMatrix, keep: Int32Array): FeatureMatrix {
  const n = keep.length,
    cols = x.cols;
  const pick = <T extends Float32Array | Float64Array>(a: T | null): T | null => {
    if (!a) return null;
    const out = new (a.constructor as new (n: number) => T)(n);
    for (let i = 0; i < n; i++) out[i] = a[keep[i]!]!;
    return out;
  };
  const extras = { targets: pick(x.targets), weights: pick(x.weights), rowIds: pick(x.rowIds), featureNames: x.featureNames };
  if (x.kind === 'dense') {
    const out = new Float32Array(n * cols);
    for (let i = 0; i < n; i++) out.set(x.values.subarray(keep[i]! * cols, (keep[i]! + 1) * cols), i * cols);
    return FeatureMatrix.dense(n, cols, out, extras);
  }
  const ip = x.indptr!,
    indptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) indptr[i + 1] = indptr[i]! + ip[keep[i]! + 1]! - ip[keep[i]!]!;
  const indices = new Int32Array(indptr[n]!),
    values = new Float32Array(indptr[n]!);
  for (let i = 0; i < n; i++) {
    const a = ip[keep[i]!]!,
      e = ip[keep[i]! + 1]!;
    indices.set(x.indices!.subarray(a, e), indptr[i]!);
    values.set(x.values.subarray(a, e), indptr[i]!);
  }
  return FeatureMatrix.csr(n, cols, indptr, indices, values, extras);
}

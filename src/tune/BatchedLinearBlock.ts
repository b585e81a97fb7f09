import { type FeatureMatrix, KernelError, SchemaError, SpecError } from '../core/index.js';
import {
  type Backend,
  BatchedLinear,
  BatchedLinearGpu,
  type BatchedLinearOptions,
  type BatchedLoss,
  type CreateBackendOptions,
  createBackend,
  type GpuMemory,
  type Tensor,
  WebGpuBackend,
} from '../kernels/index.js';
import type { ModelState, ResolvedModelOptions, Task } from '../learn/index.js';

/** Options candidates of one block may differ in; every other resolved option must be equal. */
const FREE = new Set(['lr', 'l1', 'l2', 'seed']);
const KINDS = new Set(['linear', 'logistic', 'softmax', 'svm']);
// Prediction kernel: one invocation per (row, slot), the same grid as batched_linear.wgsl's forward.
const WG = 64;
const MAX_GROUPS = 65535;
const ACT = { identity: 0, sigmoid: 1, softmax: 2 } as const;

/**
 * Predictions of every model of a BatchedLinearGpu for one mini-batch, before its step:
 * p[((offset + r)·models + m)·outs + o] = act(x_r·W_m + b_m) (sigmoid, softmax or identity,
 * the models' output conventions). The batched kernel's forward overwrites z with the gradient,
 * so predictions need their own pass; they stay on the device until the call's one readback.
 */
const PREDICT_WGSL = /* wgsl */ `
override WG: u32 = 64;
override ACT: u32 = 0;
struct Dims { rows: u32, d: u32, outs: u32, models: u32, offset: u32, _a: u32, _b: u32, _c: u32 }
@group(0) @binding(0) var<uniform> dm: Dims;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read> b: array<f32>;
@group(0) @binding(4) var<storage, read_write> p: array<f32>;

@compute @workgroup_size(WG)
fn predict(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let m = gid.y;
  if (m >= dm.models) { return; }
  for (var r = gid.x; r < dm.rows; r += nw.x * WG) {
    let po = ((dm.offset + r) * dm.models + m) * dm.outs;
    for (var o = 0u; o < dm.outs; o++) {
      var s = 0.0;
      for (var j = 0u; j < dm.d; j++) { s += x[r * dm.d + j] * w[(m * dm.d + j) * dm.outs + o]; }
      p[po + o] = s + b[m * dm.outs + o];
    }
    if (ACT == 1u) {
      let v = p[po];
      let e = exp(-abs(v));
      p[po] = select(e / (1.0 + e), 1.0 / (1.0 + e), v >= 0.0);
    } else if (ACT == 2u) {
      var mx = p[po];
      for (var o = 1u; o < dm.outs; o++) { mx = max(mx, p[po + o]); }
      var sum = 0.0;
      for (var o = 0u; o < dm.outs; o++) { let e = exp(p[po + o] - mx); p[po + o] = e; sum += e; }
      let inv = 1.0 / sum;
      for (var o = 0u; o < dm.outs; o++) { p[po + o] = p[po + o] * inv; }
    }
  }
}
`;
const predictPipelines = new WeakMap<GPUDevice, Map<number, GPUComputePipeline>>();

export interface BatchedLinearBlockOptions {
  /** Run on this backend (cpu or webgpu) instead of creating one from the candidates' `backend`; the block does not dispose it. */
  device?: Backend;
  /** Options for createBackend when the block creates its backend. */
  backendOptions?: CreateBackendOptions;
}

/** The device half: the batched kernel, its weight tensors (for the prediction pass) and the block's scratch. */
interface GpuEngine {
  g: BatchedLinearGpu;
  w: Tensor;
  b: Tensor;
}

/**
 * K candidates of the linear kinds (linear, logistic, softmax, svm) trained by plain mini-batch
 * SGD (`optimizer: 'sgd'`) that differ only in lr, l1 and l2, trained side by side on the same
 * mini-batches: on the cpu by one BatchedLinear, on webgpu by one BatchedLinearGpu (one
 * dispatch per phase for all K, plus one prediction dispatch per mini-batch and one readback per
 * call). Each candidate does what `createModel(options)` alone does (LinearModel on the cpu,
 * GradientModel on webgpu) when it predicts and then learns each mini-batch's labeled rows:
 *   same start (zero weights and bias: the convex kinds ignore the seed),
 *   same step: g = mean over the labeled rows of ∂ℓ/∂z·x; w ← prox_{lr·l1}(w − lr·(g + l2·w));
 *   b ← b − lr·mean ∂ℓ/∂z (no L1/L2 on the bias); a mini-batch without labeled rows makes no step,
 *   same outputs (P(y=1) for logistic, σ(margin) for svm, class probabilities, values).
 * Not bit for bit: BatchedLinear accumulates in float64 where the models round to float32 between
 * kernels, and the GPU twins sum in other orders; equal to about 1e-6 relative (the tests' bound).
 *
 * Restrictions (`eligible`): no schedule or warm-up (the per-model rate is fixed in the kernel's
 * hyper buffer), no clipping (a global-norm readback per model), no class weights, backend cpu or
 * webgpu. Sample weights: rows of weight 0 are not learned, and the other learned rows of a
 * mini-batch must share one weight (the mean gradient is then the model's); differing weights throw
 * SchemaError, since the kernels take no per-row weights.
 *
 * Dropping: on the cpu the BatchedLinear is rebuilt at once without the dropped candidate. On
 * webgpu the dropped model keeps its slot (and its outputs are discarded) until the next pass, which
 * reads the weights back once and rebuilds the kernel with the live models only, so the work
 * follows the live count.
 */
export class BatchedLinearBlock {
  readonly kind: 'linear' | 'logistic' | 'softmax' | 'svm';
  readonly task: Task;
  /** Prediction columns per row and candidate: 1, or the class count for softmax. */
  readonly outputs: number;
  readonly batchSize: number;
  /** `cpu` or `webgpu`, and the adapter, for reports. */
  readonly backendName: string;
  readonly adapter: string;
  /**
   * The synchronous pass on the cpu (the host loop needs no readback), with testThenTrainAsync's
   * contract; absent on webgpu.
   */
  readonly testThenTrain?: (x: FeatureMatrix, out: Float32Array) => void;
  private readonly options: ResolvedModelOptions[];
  private readonly loss: BatchedLoss;
  private readonly act: number;
  private _inputs: number | null;
  private _step = 0;
  /** Candidate index of each slot of the engine; a dropped candidate's slot stays until the next compaction (webgpu). */
  private slots: number[];
  private readonly dropped: Uint8Array;
  private live: number;
  private cpu: BatchedLinear | null = null;
  private gpu: GpuEngine | null = null;
  // Scratch: one mini-batch densified, its labeled rows and their targets, on the host.
  private xb = new Float32Array(0);
  private xl = new Float32Array(0);
  private yl = new Float32Array(0);
  // Device scratch: a mini-batch's rows for the prediction pass, and the call's predictions (rows × slots × outputs).
  private xPred: Tensor | null = null;
  private preds: Tensor | null = null;
  private disposed = false;

  /** Whether a candidate with these options can race in a block (see the class comment). */
  static eligible(o: ResolvedModelOptions): boolean {
    return ineligible(o) === null;
  }

  /** Whether two option sets can share a block: both eligible, equal but for lr, l1, l2 and seed. */
  static fits(a: ResolvedModelOptions, b: ResolvedModelOptions): boolean {
    return ineligible(a) === null && ineligible(b) === null && differingKey(a, b) === null;
  }

  /** A block on the candidates' backend (created here and disposed with the block), or on `extra.device`. */
  static async create(options: ResolvedModelOptions[], extra: BatchedLinearBlockOptions = {}): Promise<BatchedLinearBlock> {
    checkCandidates(options);
    const backend = extra.device ?? (await createBackend(options[0]!.backend, extra.backendOptions));
    return new BatchedLinearBlock(options, backend, !extra.device);
  }

  constructor(
    options: ResolvedModelOptions[],
    private readonly backend: Backend,
    private readonly ownsBackend: boolean,
  ) {
    checkCandidates(options);
    if (backend.name !== 'cpu' && !(backend instanceof WebGpuBackend))
      throw new SpecError('backend', `a batched block of sgd candidates runs on the cpu or webgpu, not ${backend.name}`);
    const o = options[0]!;
    this.options = options.slice();
    this.kind = o.kind as BatchedLinearBlock['kind'];
    this.task = o.task;
    this.outputs = o.outputs;
    this.batchSize = o.batchSize;
    this.backendName = backend.name;
    this.adapter = backend.adapter;
    this.loss = o.kind === 'svm' ? 'hinge' : o.task === 'binary' ? 'logistic' : o.task === 'multiclass' ? 'softmax' : 'squared';
    this.act = o.task === 'binary' ? ACT.sigmoid : o.task === 'multiclass' ? ACT.softmax : ACT.identity;
    this.slots = options.map((_, k) => k);
    this.dropped = new Uint8Array(options.length);
    this.live = options.length;
    this._inputs = o.inputs;
    if (backend.name === 'cpu') this.testThenTrain = (x, out) => this.pass(x, out);
    if (this._inputs !== null) this.build(this._inputs);
  }

  /** Candidates still learning and predicting. */
  get alive(): number {
    return this.live;
  }
  /** Candidates given to the constructor (dropped ones included). */
  get candidates(): number {
    return this.options.length;
  }
  get inputs(): number | null {
    return this._inputs;
  }
  /** Updates made so far (the same for every live candidate: mini-batches with a labeled row). */
  get step(): number {
    return this._step;
  }

  isAlive(k: number): boolean {
    return Number.isInteger(k) && k >= 0 && k < this.options.length && this.dropped[k] === 0;
  }

  private hyper(slots: readonly number[]): BatchedLinearOptions {
    return {
      features: this._inputs!,
      outputs: this.outputs,
      loss: this.loss,
      hyper: slots.map((k) => ({ lr: this.options[k]!.lr, l2: this.options[k]!.l2, l1: this.options[k]!.l1 })),
    };
  }

  private build(inputs: number): void {
    this._inputs = inputs;
    if (this.backend instanceof WebGpuBackend) this.gpu = gpuEngine(this.backend, this.hyper(this.slots));
    else this.cpu = new BatchedLinear(this.hyper(this.slots));
  }

  private candidate(k: number, what: string): number {
    if (!Number.isInteger(k) || k < 0 || k >= this.options.length)
      throw new SpecError('tune', `${what}: candidate ${k} is not one of the block's ${this.options.length} (0..${this.options.length - 1})`);
    if (this.dropped[k]) throw new SpecError('tune', `${what}: candidate ${k} was dropped`);
    return this.slots.indexOf(k);
  }

  /** Candidate k stops learning and predicting (its outputs are NaN from now on). */
  drop(k: number): void {
    this.candidate(k, 'drop');
    this.dropped[k] = 1;
    this.live--;
    // The host arrays are rebuilt at once; the device's at the next pass (a readback).
    if (this.cpu) this.compactCpu();
  }

  private compactCpu(): void {
    const old = this.cpu!,
      keep = this.slots.filter((k) => !this.dropped[k]);
    if (keep.length === this.slots.length) return;
    const n = old.features * old.outputs,
      out = old.outputs;
    if (keep.length > 0) {
      const bl = new BatchedLinear(this.hyper(keep));
      keep.forEach((k, s) => {
        const from = this.slots.indexOf(k);
        bl.w.set(old.w.subarray(from * n, (from + 1) * n), s * n);
        bl.b.set(old.b.subarray(from * out, (from + 1) * out), s * out);
      });
      this.cpu = bl;
    }
    this.slots = keep;
  }

  private async compactGpu(): Promise<void> {
    const old = this.gpu!,
      keep = this.slots.filter((k) => !this.dropped[k]);
    if (keep.length === this.slots.length) return;
    const n = old.g.features * old.g.outputs,
      out = old.g.outputs;
    if (keep.length > 0) {
      const all = await old.g.allWeights();
      const w = new Float32Array(keep.length * n),
        b = new Float32Array(keep.length * out);
      keep.forEach((k, s) => {
        const from = this.slots.indexOf(k);
        w.set(all.w.subarray(from * n, (from + 1) * n), s * n);
        b.set(all.b.subarray(from * out, (from + 1) * out), s * out);
      });
      const next = gpuEngine(this.backend as WebGpuBackend, this.hyper(keep));
      this.backend.write(next.w, w);
      this.backend.write(next.b, b);
      this.gpu = next;
    }
    old.g.dispose();
    this.slots = keep;
  }

  /**
   * Model.testThenTrain for every candidate: `out` is rows × candidates × outputs (row-major; a
   * candidate keeps its constructor index). For each mini-batch of batchSize consecutive rows:
   * every live candidate's predictions from before it, then one SGD step of each on its labeled
   * rows (a NaN target is predicted, not learned). A trailing partial mini-batch is learned as it
   * is. Dropped candidates' outputs are NaN.
   */
  async testThenTrainAsync(x: FeatureMatrix, out: Float32Array): Promise<void> {
    if (!(this.backend instanceof WebGpuBackend)) return this.pass(x, out);
    if (this.gpu && this.slots.length > this.live) await this.compactGpu();
    await this.passGpu(x, out);
  }

  /** Checks x and out, builds the engine on the first batch; false when no candidate is left. */
  private begin(x: FeatureMatrix, out: Float32Array): boolean {
    if (this.disposed) throw new SchemaError(`batched ${this.kind} candidates: used after dispose()`);
    if (this._inputs === null) this.build(x.cols);
    if (x.cols !== this._inputs)
      throw new SchemaError(`batched ${this.kind} candidates take ${this._inputs} input columns, got a FeatureMatrix [${x.rows}x${x.cols}]`);
    const K = this.options.length,
      n = x.rows * K * this.outputs;
    if (out.length < n)
      throw new SchemaError(`batched ${this.kind} candidates: testThenTrain needs ${n} outputs (${x.rows} rows × ${K} × ${this.outputs}), got ${out.length}`);
    if (!x.targets) throw new SchemaError(`batched ${this.kind} candidates: testThenTrain needs a FeatureMatrix with targets`);
    this.checkRows(x);
    if (this.live < K) out.fill(NaN, 0, n);
    const bs = this.batchSize;
    if (this.xb.length < bs * x.cols) {
      this.xb = new Float32Array(bs * x.cols);
      this.xl = new Float32Array(bs * x.cols);
      this.yl = new Float32Array(bs);
    }
    return this.live > 0;
  }

  /**
   * Rejects, before anything is learned, a target the task cannot use (learn's checkTargets) and
   * sample weights the kernels cannot reproduce (see the class comment).
   */
  private checkRows(x: FeatureMatrix): void {
    const t = x.targets!,
      wt = x.weights,
      classes = this.outputs;
    let common = NaN;
    for (let r = 0; r < x.rows; r++) {
      if (r % this.batchSize === 0) common = NaN;
      const y = t[r]!;
      if (!(y - y === 0)) continue;
      const ok = this.task === 'binary' ? y >= 0 && y <= 1 : this.task === 'multiclass' ? Number.isInteger(y) && y >= 0 && y < classes : true;
      if (!ok) {
        const want = this.task === 'binary' ? 'a label in [0, 1]' : `a class index in [0, ${classes})`;
        throw new SchemaError(`${this.task} target of row ${r}${x.rowIds ? ` (rowId ${x.rowIds[r]})` : ''} is ${y}, expected ${want} (or NaN: not learned)`);
      }
      if (!wt) continue;
      const w = wt[r]!;
      if (!(w >= 0 && w < Infinity)) throw new SchemaError(`sample weight of row ${r} is ${w}, expected a finite non-negative number`);
      if (w === 0) continue;
      if (common !== common) common = w;
      else if (w !== common)
        throw new SchemaError(
          `batched sgd candidates: sample weight of row ${r} is ${w}, another learned row's of its mini-batch is ${common}; the batched kernels take one weight for all rows (train these candidates unbatched)`,
        );
    }
  }

  /**
   * Rows [s, e) of x as a dense row-major block (a view of dense x, else densified into xb), and
   * their learned rows (finite target, non-zero weight) packed into xl / yl; returns the count.
   */
  private miniBatch(x: FeatureMatrix, s: number, e: number): { rows: Float32Array; learned: Float32Array; n: number } {
    const d = x.cols,
      m = e - s;
    let rows: Float32Array;
    if (x.kind === 'dense') rows = x.values.subarray(s * d, e * d);
    else {
      rows = this.xb.subarray(0, m * d);
      rows.fill(0);
      const ip = x.indptr!,
        idx = x.indices!,
        v = x.values;
      // Duplicate column indices add up, as the models' spmm does.
      for (let r = 0; r < m; r++) for (let q = ip[s + r]!; q < ip[s + r + 1]!; q++) rows[r * d + idx[q]!]! += v[q]!;
    }
    const t = x.targets!,
      wt = x.weights;
    let n = 0,
      all = true;
    for (let r = 0; r < m; r++) {
      const y = t[s + r]!;
      if (y - y === 0 && !(wt && wt[s + r] === 0)) {
        this.yl[n++] = y;
      } else all = false;
    }
    if (all) return { rows, learned: rows, n };
    for (let r = 0, i = 0; r < m; r++) {
      const y = t[s + r]!;
      if (y - y === 0 && !(wt && wt[s + r] === 0)) this.xl.set(rows.subarray(r * d, (r + 1) * d), d * i++);
    }
    return { rows, learned: this.xl, n };
  }

  /** The host pass (cpu): predictions from BatchedLinear's weights, then its step. */
  private pass(x: FeatureMatrix, out: Float32Array): void {
    if (!this.begin(x, out)) return;
    const bl = this.cpu!,
      bs = this.batchSize,
      d = x.cols;
    for (let s = 0; s < x.rows; s += bs) {
      const e = Math.min(x.rows, s + bs),
        mb = this.miniBatch(x, s, e);
      this.predictHost(bl, mb.rows, e - s, out, s);
      if (mb.n > 0) {
        bl.step(mb.learned.subarray(0, mb.n * d), this.yl, mb.n);
        this._step++;
      }
    }
  }

  /**
   * Each live slot's outputs for `rows` dense rows into out (from row r0), as the models compute
   * them: z = f32(f32(x·w) + b) accumulated in float64 (linearPredictCpu), then sigmoid in its
   * overflow-safe form or softmaxCpu's max-subtracted softmax.
   */
  private predictHost(bl: BatchedLinear, x: Float32Array, rows: number, out: Float32Array, r0: number): void {
    const f32 = Math.fround,
      d = bl.features,
      O = bl.outputs,
      K = this.options.length,
      w = bl.w,
      bias = bl.b;
    const z = new Float64Array(O);
    this.slots.forEach((k, m) => {
      const wo = m * d * O;
      for (let r = 0; r < rows; r++) {
        const xo = r * d,
          po = ((r0 + r) * K + k) * O;
        for (let o = 0; o < O; o++) {
          let dot = 0;
          for (let j = 0; j < d; j++) dot += x[xo + j]! * w[wo + j * O + o]!;
          z[o] = f32(f32(dot) + bias[m * O + o]!);
        }
        if (this.act === ACT.sigmoid) {
          const v = z[0]!,
            ex = Math.exp(v >= 0 ? -v : v);
          out[po] = v >= 0 ? 1 / (1 + ex) : ex / (1 + ex);
        } else if (this.act === ACT.softmax) {
          let mx = -Infinity;
          for (let o = 0; o < O; o++) mx = Math.max(mx, z[o]!);
          let sum = 0;
          for (let o = 0; o < O; o++) {
            const ex = Math.exp(z[o]! - mx);
            out[po + o] = ex;
            sum += ex;
          }
          const inv = 1 / sum;
          for (let o = 0; o < O; o++) out[po + o] = out[po + o]! * inv;
        } else out[po] = z[0]!;
      }
    });
  }

  /** The device pass (webgpu): per mini-batch a prediction dispatch then the batched step, all recorded; one readback at the end. */
  private async passGpu(x: FeatureMatrix, out: Float32Array): Promise<void> {
    if (!this.begin(x, out)) return;
    const dev = this.backend as WebGpuBackend,
      ctx = dev.context,
      eng = this.gpu!,
      S = this.slots.length,
      O = this.outputs,
      K = this.options.length,
      bs = this.batchSize,
      d = x.cols;
    const need = x.rows * S * O;
    if (!this.preds || this.preds.length < need) {
      if (this.preds) dev.release(this.preds);
      this.preds = dev.zeros([Math.max(need, 2 * (this.preds?.length ?? 0))]);
    }
    if (!this.xPred || this.xPred.length < bs * d) {
      if (this.xPred) dev.release(this.xPred);
      this.xPred = dev.zeros([bs * d]);
    }
    const pipeline = predictPipeline(ctx.device, this.act);
    for (let s = 0; s < x.rows; s += bs) {
      const e = Math.min(x.rows, s + bs),
        mb = this.miniBatch(x, s, e);
      // Backend.write submits what was recorded before it, so the previous mini-batch's dispatches read their own rows.
      dev.write(this.xPred, mb.rows);
      const u = new ArrayBuffer(32),
        ui = new Uint32Array(u);
      ui[0] = e - s;
      ui[1] = d;
      ui[2] = O;
      ui[3] = S;
      ui[4] = s;
      ctx.dispatch(
        pipeline,
        [ctx.uniform(u), ctx.buffer(this.xPred), ctx.buffer(eng.w), ctx.buffer(eng.b), ctx.buffer(this.preds)],
        [Math.min(Math.ceil((e - s) / WG), MAX_GROUPS), S],
      );
      if (mb.n > 0) {
        eng.g.step(mb.learned.subarray(0, mb.n * d), this.yl, mb.n);
        this._step++;
      }
    }
    const p = (await dev.read(this.preds)) as Float32Array;
    this.slots.forEach((k, m) => {
      if (this.dropped[k]) return;
      for (let r = 0; r < x.rows; r++) for (let o = 0; o < O; o++) out[(r * K + k) * O + o] = p[(r * S + m) * O + o]!;
    });
  }

  /**
   * Candidate k's state: what `createModel(options[k])` alone (LinearModel or GradientModel) gives
   * after the same mini-batches (`modelFromState` rebuilds it, and it goes on learning as if alone).
   */
  async state(k: number): Promise<ModelState> {
    const slot = this.candidate(k, 'state');
    const params: Record<string, number[]> = {};
    if (this.cpu) {
      const { w, b } = this.cpu.weights(slot);
      params.w0 = Array.from(w);
      params.b0 = Array.from(b);
    } else if (this.gpu) {
      const { w, b } = await this.gpu.g.weights(slot);
      params.w0 = Array.from(w);
      params.b0 = Array.from(b);
    }
    return {
      kind: this.kind,
      task: this.task,
      inputs: this._inputs ?? 0,
      outputs: this.outputs,
      options: { ...this.options[k]!, inputs: this._inputs },
      params,
      // Plain SGD keeps no optimizer state.
      optimizer: {},
      step: this._step,
    };
  }

  /** Frees the device buffers (and the backend, when the block created it). */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.gpu?.g.dispose();
    for (const t of [this.xPred, this.preds]) if (t) this.backend.release(t);
    this.gpu = null;
    this.cpu = null;
    this.xPred = null;
    this.preds = null;
    if (this.ownsBackend) await this.backend.dispose();
  }
}

/** Throws SpecError naming the first candidate that cannot share a block with candidate 0. */
function checkCandidates(options: ResolvedModelOptions[]): void {
  if (!Array.isArray(options) || options.length < 1) throw new SpecError('tune', 'a batched block needs at least one candidate');
  for (let k = 0; k < options.length; k++) {
    const why = ineligible(options[k]!);
    if (why !== null) throw new SpecError('tune', `candidate ${k} cannot be batched: ${why}`);
    const key = differingKey(options[0]!, options[k]!);
    if (key !== null)
      throw new SpecError(
        'tune',
        `candidate ${k} differs from candidate 0 in ${key} (${JSON.stringify(options[k]![key as keyof ResolvedModelOptions])} vs ${JSON.stringify(options[0]![key as keyof ResolvedModelOptions])}): a block's candidates may differ in lr, l1, l2 and seed only`,
      );
  }
}

/** Why these options cannot run in a block (null: they can). */
function ineligible(o: ResolvedModelOptions): string | null {
  if (!o || typeof o !== 'object') return 'not resolved model options';
  if (!KINDS.has(o.kind)) return `kind ${o.kind} is not batched (linear, logistic, softmax and svm are)`;
  if (o.optimizer !== 'sgd') return `optimizer ${o.optimizer} is not batched (sgd is)`;
  if (o.schedule.kind !== 'constant' || (o.schedule.warmup ?? 0) > 0) return 'a learning-rate schedule is not batched (the kernels keep one rate per model)';
  if (o.clip > 0) return 'gradient clipping is not batched';
  if (o.classWeights !== null) return 'class weights are not batched';
  if (o.targetScale !== null) return 'a target scale is not batched';
  if (o.backend !== 'cpu' && o.backend !== 'webgpu') return `backend ${o.backend} is not batched (cpu and webgpu are)`;
  return null;
}

/** The first resolved option, other than lr, l1, l2 and seed, in which a and b differ (null: none). */
function differingKey(a: ResolvedModelOptions, b: ResolvedModelOptions): string | null {
  const ra = a as unknown as Record<string, unknown>,
    rb = b as unknown as Record<string, unknown>;
  for (const key of new Set([...Object.keys(ra), ...Object.keys(rb)])) {
    if (FREE.has(key)) continue;
    if (JSON.stringify(ra[key]) !== JSON.stringify(rb[key])) return key;
  }
  return null;
}

/**
 * A BatchedLinearGpu on a WebGPU backend, with its weight and bias tensors: the class keeps them
 * private, and the prediction pass must read them on the device. They are the tensors its
 * constructor uploads (weights K×d×out, biases K×out, all zero); the memory handed to it notes
 * each upload. A change in what it uploads throws KernelError here (and fails the tests).
 */
function gpuEngine(dev: WebGpuBackend, o: BatchedLinearOptions): GpuEngine {
  const uploads: Array<{ t: Tensor; shape: number[]; zero: boolean }> = [];
  const memory: GpuMemory = {
    zeros: (shape, dtype) => dev.zeros(shape, dtype),
    upload: (data, shape) => {
      const t = dev.upload(data, shape);
      uploads.push({ t, shape: [...shape], zero: data.every((v) => v === 0) });
      return t;
    },
    write: (t, data, off) => dev.write(t, data, off),
    read: (t) => dev.read(t),
    release: (t) => dev.release(t),
    sync: () => dev.sync(),
  };
  const g = new BatchedLinearGpu(memory, dev.context, o);
  const K = g.models,
    same = (s: number[], want: number[]) => s.length === want.length && s.every((v, i) => v === want[i]);
  const w = uploads.find((u) => same(u.shape, [K, g.features, g.outputs]) && u.zero);
  const b = uploads.find((u) => u !== w && same(u.shape, [K, g.outputs]) && u.zero);
  if (!w || !b) {
    g.dispose();
    throw new KernelError(
      'batchedLinearBlock',
      { w: [K, g.features, g.outputs], b: [K, g.outputs] },
      `BatchedLinearGpu did not upload zero weights and biases of these shapes (uploads: ${uploads.map((u) => `[${u.shape.join('x')}]`).join(' ')})`,
    );
  }
  return { g, w: w.t, b: b.t };
}

function predictPipeline(device: GPUDevice, act: number): GPUComputePipeline {
  let perDevice = predictPipelines.get(device);
  if (!perDevice) predictPipelines.set(device, (perDevice = new Map()));
  let p = perDevice.get(act);
  if (!p) {
    const module = device.createShaderModule({ code: PREDICT_WGSL });
    p = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'predict', constants: { WG, ACT: act } } });
    perDevice.set(act, p);
  }
  return p;
}

import { readFileSync } from 'node:fs';
import { KernelError } from '../../core/index.js';
import type { Backend } from '../Backend.js';
import type { GpuContext } from '../GpuContext.js';
import type { Tensor } from '../Tensor.js';
import { type BatchedLinearOptions, type BatchedLoss, resolveBatchedLinearOptions } from './resolveBatchedLinearOptions.js';

/** The memory half of a WebGPU Backend: what BatchedLinearGpu needs besides the GpuContext. */
export type GpuMemory = Pick<Backend, 'zeros' | 'upload' | 'write' | 'read' | 'release' | 'sync'>;

const WG = 64;
const MAX_GROUPS = 65535;
const LOSS_CODE: Record<BatchedLoss, number> = { squared: 0, logistic: 1, softmax: 2, hinge: 3 };
// The shader lives beside this class (not in webgpu/wgsl/), so pipelines are built and cached
// here per device rather than through GpuContext.pipeline.
const SHADER_URL = new URL('./batched_linear.wgsl', import.meta.url);
const modules = new WeakMap<GPUDevice, GPUShaderModule>();
const cache = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();

/**
 * K linear models of one shape trained on the same mini-batches on the GPU, each with its own
 * lr / l2 / l1: the batched hyperparameter-search engine. Same maths, options and layout as
 * the CPU reference BatchedLinear (K×d×out weights in one buffer, K×out biases).
 *
 * `step` uploads the batch and records two dispatches for all K models — forward+loss-gradient
 * (one invocation per row and model) and gradient+update (one per parameter) — with no
 * readback; `lastLoss()` / `weights()` read back asynchronously. Give it the memory functions
 * of a WebGPU backend and that backend's GpuContext (writes must be ordered after the
 * dispatches recorded before them, as Backend.write guarantees).
 */
export class BatchedLinearGpu {
  readonly models: number;
  readonly features: number;
  readonly outputs: number;
  readonly loss: BatchedLoss;
  private readonly w: Tensor;
  private readonly b: Tensor;
  private readonly hyper: Tensor;
  private readonly meanLoss: Tensor;
  private capacity = 0;
  private x: Tensor | null = null;
  private y: Tensor | null = null;
  private dz: Tensor | null = null;
  private rowLoss: Tensor | null = null;
  private disposed = false;

  constructor(
    private readonly memory: GpuMemory,
    private readonly ctx: GpuContext,
    options: BatchedLinearOptions,
  ) {
    const r = resolveBatchedLinearOptions(options);
    this.models = r.models;
    this.features = r.features;
    this.outputs = r.outputs;
    this.loss = r.loss;
    this.w = memory.upload(r.w, [r.models, r.features, r.outputs]);
    this.b = memory.upload(r.b, [r.models, r.outputs]);
    this.hyper = memory.upload(r.hyper, [r.models, 4]);
    this.meanLoss = memory.zeros([r.models]);
  }

  /** Records one SGD step of every model on x (rows×d) and targets y (rows). No readback. */
  step(x: Float32Array, y: Float32Array, rows: number): void {
    if (this.disposed) throw new KernelError('batchedLinear.step', {}, 'used after dispose()');
    const { features: d, outputs: out, models } = this;
    if (!Number.isInteger(rows) || rows < 1 || x.length < rows * d || y.length < rows) {
      throw new KernelError('batchedLinear.step', { x: [x.length], y: [y.length], rowsFeatures: [rows, d] }, 'x must hold rows×features and y rows values');
    }
    if (this.loss === 'softmax') {
      for (let r = 0; r < rows; r++) {
        const t = y[r]!;
        if (!(Number.isInteger(t) && t >= 0 && t < out))
          throw new KernelError('batchedLinear.step', { y: [rows] }, `softmax target at row ${r} is ${t}, not a class index in [0, ${out})`);
      }
    }
    this.ensure(rows);
    this.memory.write(this.x!, x.subarray(0, rows * d));
    this.memory.write(this.y!, y.subarray(0, rows));
    const u = new ArrayBuffer(32),
      ui = new Uint32Array(u),
      uf = new Float32Array(u);
    ui[0] = rows;
    ui[1] = d;
    ui[2] = out;
    ui[3] = models;
    uf[4] = 1 / rows;
    const uniform = this.ctx.uniform(u);
    const c = this.ctx;
    c.dispatch(
      this.pipeline('forward'),
      [uniform, c.buffer(this.x!), c.buffer(this.y!), c.buffer(this.w), c.buffer(this.b), c.buffer(this.dz!), c.buffer(this.rowLoss!)],
      [Math.min(Math.ceil(rows / WG), MAX_GROUPS), models],
    );
    const params = models * (d + 1) * out;
    c.dispatch(
      this.pipeline('update'),
      [
        uniform,
        c.buffer(this.x!),
        c.buffer(this.dz!),
        c.buffer(this.rowLoss!),
        c.buffer(this.hyper),
        c.buffer(this.w),
        c.buffer(this.b),
        c.buffer(this.meanLoss),
      ],
      [Math.min(Math.ceil(params / WG), MAX_GROUPS)],
    );
  }

  /** Each model's mean loss on the last batch, before its update. */
  async lastLoss(): Promise<Float32Array> {
    return (await this.memory.read(this.meanLoss)) as Float32Array;
  }

  /** All weights (K×d×out) and biases (K×out). */
  async allWeights(): Promise<{ w: Float32Array; b: Float32Array }> {
    return { w: (await this.memory.read(this.w)) as Float32Array, b: (await this.memory.read(this.b)) as Float32Array };
  }

  /** Model m's weights (d×out) and bias (out). */
  async weights(m: number): Promise<{ w: Float32Array; b: Float32Array }> {
    const all = await this.allWeights(),
      n = this.features * this.outputs;
    return { w: all.w.slice(m * n, (m + 1) * n), b: all.b.slice(m * this.outputs, (m + 1) * this.outputs) };
  }

  /** Releases every tensor this object holds. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const t of [this.w, this.b, this.hyper, this.meanLoss, this.x, this.y, this.dz, this.rowLoss]) if (t) this.memory.release(t);
  }

  /** Scratch sized for the largest batch seen; grown by doubling to avoid churn on a ragged last batch. */
  private ensure(rows: number): void {
    if (rows <= this.capacity) return;
    for (const t of [this.x, this.y, this.dz, this.rowLoss]) if (t) this.memory.release(t);
    const cap = Math.max(rows, this.capacity * 2);
    this.x = this.memory.zeros([cap, this.features]);
    this.y = this.memory.zeros([cap]);
    this.dz = this.memory.zeros([this.models, cap, this.outputs]);
    this.rowLoss = this.memory.zeros([this.models, cap]);
    this.capacity = cap;
  }

  private pipeline(entry: 'forward' | 'update'): GPUComputePipeline {
    let perDevice = cache.get(this.ctx.device);
    if (!perDevice) cache.set(this.ctx.device, (perDevice = new Map()));
    const key = `${entry}|${this.loss}`;
    let p = perDevice.get(key);
    if (!p) {
      let module = modules.get(this.ctx.device);
      if (!module) modules.set(this.ctx.device, (module = this.ctx.device.createShaderModule({ code: readFileSync(SHADER_URL, 'utf8') })));
      p = this.ctx.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: entry, constants: { WG, LOSS: LOSS_CODE[this.loss] } } });
      perDevice.set(key, p);
    }
    return p;
  }
}

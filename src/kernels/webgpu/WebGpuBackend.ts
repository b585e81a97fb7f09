import { KernelError } from '../../core/index.js';
import type { Activation, Backend, BackendCapabilities, GemmOptions, LossKind, OptimizerHyper, OptimizerKind, ScaleOptions } from '../Backend.js';
import { checkArgs } from '../checkArgs.js';
import type { DType, Tensor, TypedData } from '../Tensor.js';
import { activateBackwardGpu } from './activateBackwardGpu.js';
import { activateGpu } from './activateGpu.js';
import { biasAddGpu } from './biasAddGpu.js';
import { bufferUsage as U } from './bufferUsage.js';
import { colSumGpu } from './colSumGpu.js';
import { columnStatsGpu } from './columnStatsGpu.js';
import { gemmGpu } from './gemmGpu.js';
import { lossGradGpu } from './lossGradGpu.js';
import { optimizerStepGpu } from './optimizerStepGpu.js';
import { softmaxGpu } from './softmaxGpu.js';
import { spmmGpu } from './spmmGpu.js';
import { spmmTGpu } from './spmmTGpu.js';
import { WebGpuContext } from './WebGpuContext.js';
import { WebGpuTensor } from './WebGpuTensor.js';

const STORAGE = U.STORAGE | U.COPY_SRC | U.COPY_DST;

function dtypeOf(data: TypedData): DType {
  return data instanceof Float32Array ? 'f32' : data instanceof Int32Array ? 'i32' : 'u32';
}

/**
 * WebGPU backend (Dawn through the `webgpu` package). Kernel calls are recorded into one command
 * encoder; `sync()` submits and waits, `read()` submits and maps a staging copy. Create it with
 * createWebGpuBackend(); `context` is the GpuContext for kernel modules.
 */
export class WebGpuBackend implements Backend {
  readonly name = 'webgpu' as const;
  readonly context: WebGpuContext;
  /** wrap uploads a copy; the GEMM tiles do not round as the cpu's SIMD path does. */
  readonly capabilities: BackendCapabilities = { sharedWrap: false, exactSgdGemm: false };
  private nextId = 1;
  /** The `create()` result: held while the backend lives (Node stays alive while it is held). */
  private gpu: GPU | null;

  constructor(
    gpu: GPU,
    device: GPUDevice,
    readonly adapter: string,
    readonly isHardware: boolean,
  ) {
    this.gpu = gpu;
    this.context = new WebGpuContext(device);
  }

  private tensor(shape: readonly number[], dtype: DType, kernel: string): WebGpuTensor {
    for (const d of shape) if (!Number.isInteger(d) || d < 0) throw new KernelError(kernel, { shape }, 'shape must hold non-negative integers');
    const n = shape.reduce((a, b) => a * b, 1);
    const buffer = this.context.allocate(n * 4, STORAGE, kernel, shape);
    return new WebGpuTensor(this.nextId++, [...shape], dtype, buffer, this.context);
  }

  zeros(shape: readonly number[], dtype: DType = 'f32'): Tensor {
    const t = this.tensor(shape, dtype, 'zeros');
    this.context.clear(t.buffer, t.byteLength);
    return t;
  }

  upload(data: TypedData, shape: readonly number[]): Tensor {
    const t = this.tensor(shape, dtypeOf(data), 'upload');
    if (t.length !== data.length) {
      this.context.pool.release(t.buffer);
      throw new KernelError('upload', { shape }, `data has ${data.length} elements, shape needs ${t.length}`);
    }
    // A fresh pool buffer is not referenced by unsubmitted commands, so a queue write is in order.
    if (data.length) this.context.device.queue.writeBuffer(t.buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    return t;
  }

  /** An upload: device memory cannot alias the caller's array. */
  wrap(data: TypedData, shape: readonly number[]): Tensor {
    return this.upload(data, shape);
  }

  write(t: Tensor, data: TypedData, elementOffset = 0): void {
    const buf = this.context.buffer(t);
    this.context.alive('write');
    if (elementOffset < 0 || elementOffset + data.length > t.length)
      throw new KernelError('write', { t: t.shape }, `writing ${data.length} elements at ${elementOffset} overruns ${t.length}`);
    if (dtypeOf(data) !== t.dtype) throw new KernelError('write', { t: t.shape }, `data is ${dtypeOf(data)}, tensor is ${t.dtype}`);
    // Queue writes run before unsubmitted commands; submit those first so the write lands in call order.
    if (this.context.recorded > 0) this.context.flush();
    if (data.length) this.context.device.queue.writeBuffer(buf, elementOffset * 4, data.buffer, data.byteOffset, data.byteLength);
  }

  async read(t: Tensor): Promise<TypedData> {
    const buf = this.context.buffer(t);
    const bytes = await this.context.readBytes(buf, t.length * 4);
    return t.dtype === 'f32' ? new Float32Array(bytes) : t.dtype === 'i32' ? new Int32Array(bytes) : new Uint32Array(bytes);
  }

  release(t: Tensor): void {
    const buf = this.context.buffer(t);
    (t as WebGpuTensor).released = true;
    this.context.pool.release(buf);
  }

  /** Submits the recorded command buffer without waiting for it. */
  flush(): void {
    this.context.alive('flush');
    this.context.flush();
  }

  sync(): Promise<void> {
    return this.context.sync();
  }

  async dispose(): Promise<void> {
    if (!this.gpu) return;
    this.context.destroy();
    this.gpu = null;
  }

  /**
   * Runs a kernel whose outputs may share buffers with its inputs: WebGPU forbids binding one
   * buffer as both read-only and writable storage in a dispatch, so aliased outputs go to a
   * scratch tensor and are copied back afterwards.
   */
  private staged(kernel: string, inputs: readonly Tensor[], outputs: readonly Tensor[], run: (outs: Tensor[]) => void): void {
    const inBufs = new Set(inputs.map((t) => this.context.buffer(t)));
    const seen = new Set<GPUBuffer>();
    const scratch: Array<[Tensor, Tensor]> = [];
    const outs = outputs.map((o) => {
      const b = this.context.buffer(o);
      if (!inBufs.has(b) && !seen.has(b)) {
        seen.add(b);
        return o;
      }
      if (seen.has(b)) throw new KernelError(kernel, Object.fromEntries(outputs.map((t, i) => [`out${i}`, t.shape])), 'two outputs are the same tensor');
      const s = this.tensor(o.shape, o.dtype, kernel);
      scratch.push([s, o]);
      return s;
    });
    run(outs);
    for (const [s, o] of scratch) {
      this.context.copy((s as WebGpuTensor).buffer, this.context.buffer(o), o.length * 4);
      this.release(s);
    }
  }

  /** The epilogue runs as the separate kernels' passes after the product (see GemmEpilogue). */
  gemm(a: Tensor, b: Tensor, c: Tensor, o: GemmOptions): void {
    checkArgs.gemm(a, b, c, o);
    this.context.alive('gemm');
    const ep = o.epilogue;
    if (ep && 'backward' in ep) {
      // The product goes to a scratch tensor that activateBackward reads as dy while writing C:
      // one pass, where C in place would need activateBackward's own staging copy.
      const dy = this.tensor(c.shape, 'f32', 'gemm');
      if ((o.beta ?? 0) !== 0) this.context.copy(this.context.buffer(c), dy.buffer, c.length * 4);
      gemmGpu(this.context, a, b, dy, o);
      if (ep.backward === 'identity') this.context.copy(dy.buffer, this.context.buffer(c), c.length * 4);
      else activateBackwardGpu(this.context, ep.backward, ep.y, dy, c);
      this.release(dy);
      return;
    }
    this.staged('gemm', [a, b], [c], ([cc]) => {
      // beta ≠ 0 reads C: the scratch must start as a copy of it.
      if (cc !== c && (o.beta ?? 0) !== 0) this.context.copy(this.context.buffer(c), this.context.buffer(cc!), c.length * 4);
      gemmGpu(this.context, a, b, cc!, o);
    });
    if (ep?.bias) this.biasAdd(c, ep.bias, o.m, o.n);
    if (ep?.act && ep.act !== 'identity') activateGpu(this.context, ep.act, c, c);
  }

  biasAdd(x: Tensor, bias: Tensor, rows: number, cols: number): void {
    checkArgs.biasAdd(x, bias, rows, cols);
    this.context.alive('biasAdd');
    if (this.context.buffer(x) === this.context.buffer(bias))
      throw new KernelError('biasAdd', { x: x.shape, bias: bias.shape }, 'x and bias are the same tensor');
    biasAddGpu(this.context, x, bias, rows, cols);
  }

  colSum(x: Tensor, out: Tensor, rows: number, cols: number, o?: ScaleOptions): void {
    checkArgs.colSum(x, out, rows, cols);
    this.context.alive('colSum');
    this.staged('colSum', [x], [out], ([oo]) => {
      if (oo !== out && (o?.beta ?? 0) !== 0) this.context.copy(this.context.buffer(out), this.context.buffer(oo!), out.length * 4);
      colSumGpu(this.context, x, oo!, rows, cols, o);
    });
  }

  activate(kind: Activation, x: Tensor, y: Tensor): void {
    checkArgs.activate('activate', kind, x, y);
    this.context.alive('activate');
    activateGpu(this.context, kind, x, y);
  }

  activateBackward(kind: Activation, y: Tensor, dy: Tensor, dx: Tensor): void {
    checkArgs.activate('activateBackward', kind, y, dx, dy);
    this.context.alive('activateBackward');
    this.staged('activateBackward', [y, dy], [dx], ([d]) => activateBackwardGpu(this.context, kind, y, dy, d!));
  }

  softmax(x: Tensor, y: Tensor, rows: number, cols: number): void {
    checkArgs.softmax(x, y, rows, cols);
    this.context.alive('softmax');
    this.staged('softmax', [x], [y], ([yy]) => softmaxGpu(this.context, x, yy!, rows, cols));
  }

  lossGrad(kind: LossKind, z: Tensor, targets: Tensor, weights: Tensor | null, grad: Tensor, loss: Tensor, rows: number, cols: number, scale = 1): void {
    checkArgs.lossGrad(kind, z, targets, weights, grad, loss, rows, cols);
    this.context.alive('lossGrad');
    const inputs = weights ? [z, targets, weights] : [z, targets];
    this.staged(`lossGrad(${kind})`, inputs, [grad, loss], ([g, l]) => lossGradGpu(this.context, kind, z, targets, weights, g!, l!, rows, cols, scale));
  }

  optimizerStep(kind: OptimizerKind, param: Tensor, grad: Tensor, state: readonly Tensor[], h: OptimizerHyper): void {
    this.context.alive('optimizerStep');
    optimizerStepGpu(this.context, kind, param, grad, state, h);
  }

  columnStats(x: Tensor, out: Tensor, rows: number, cols: number): void {
    this.context.alive('columnStats');
    columnStatsGpu(this.context, x, out, rows, cols);
  }

  spmm(indptr: Tensor, indices: Tensor, values: Tensor, b: Tensor, c: Tensor, rows: number, k: number, n: number, o?: ScaleOptions): void {
    this.context.alive('spmm');
    spmmGpu(this.context, indptr, indices, values, b, c, rows, k, n, o);
  }

  spmmT(indptr: Tensor, indices: Tensor, values: Tensor, g: Tensor, out: Tensor, rows: number, k: number, n: number, o?: ScaleOptions): void {
    this.context.alive('spmmT');
    spmmTGpu(this.context, indptr, indices, values, g, out, rows, k, n, o);
  }
}

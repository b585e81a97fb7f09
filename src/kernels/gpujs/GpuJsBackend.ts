import { KernelError } from '../../core/index.js';
import type { Activation, Backend, BackendCapabilities, GemmOptions, LossKind, OptimizerHyper, OptimizerKind, ScaleOptions } from '../Backend.js';
import { OPTIMIZER_STATE } from '../Backend.js';
import { checkArgs } from '../checkArgs.js';
import { columnStatsCpu } from '../cpu/columnStatsCpu.js';
import { spmmCpu } from '../cpu/spmmCpu.js';
import { spmmTCpu } from '../cpu/spmmTCpu.js';
import type { DType, Tensor, TypedData } from '../Tensor.js';
import { GpuJsTensor } from './GpuJsTensor.js';
import { type GpuJsInstance, type GpuJsKernel, gpuJs } from './gpuJs.js';
import { type GpuJsKernelName, gpuJsKernelSources } from './gpuJsKernelSources.js';
import { installNavigatorGpu } from './installNavigatorGpu.js';

export interface GpuJsBackendOptions {
  /** webasm (default): WebAssembly SIMD on the CPU, synchronous. webgpu: WGSL through navigator.gpu (Dawn), asynchronous. */
  mode?: 'webasm' | 'webgpu';
}

const F = 'Float',
  I = 'Integer',
  A = 'Array';
const ARG_TYPES: Record<GpuJsKernelName, Record<string, string>> = {
  gemm: { a: A, b: A, c: A, m: I, n: I, k: I, ta: I, tb: I, alpha: F, beta: F },
  biasAdd: { x: A, bias: A, cols: I },
  colSum: { x: A, out: A, rows: I, cols: I, alpha: F, beta: F },
  activate: { x: A, kind: I },
  activateBackward: { y: A, dy: A, kind: I },
  softmax: { x: A, cols: I },
  lossGrad: { z: A, t: A, w: A, cols: I, kind: I, scale: F, hasW: I },
  loss: { z: A, t: A, w: A, cols: I, kind: I, hasW: I },
  optState: { w: A, g: A, s: A, kind: I, l2: F, mu: F, b1: F, b2: F, rho: F },
  optParam: { w: A, g: A, s0: A, s1: A, kind: I, lr: F, l2: F, l1: F, mu: F, eps: F, c1: F, c2: F },
};
const ACT: Record<Activation, number> = { identity: 0, relu: 1, sigmoid: 2, tanh: 3 };
const LOSS: Record<LossKind, number> = { logistic: 0, softmax: 1, squared: 2, hinge: 3 };
const STATE_KIND: Record<OptimizerKind, number[]> = { sgd: [], momentum: [0], nesterov: [0], adam: [1, 2], adagrad: [3], rmsprop: [4] };
const PARAM_KIND: Record<OptimizerKind, number> = { sgd: 0, momentum: 1, nesterov: 2, adam: 3, adagrad: 4, rmsprop: 4 };
const ONE = new Float32Array(1);

/**
 * The gpujs backend: kernels written once as gpu.js functions (gpuJsKernelSources) and run in
 * its webasm mode (WebAssembly f32x4 SIMD on the CPU) or webgpu mode (WGSL on navigator.gpu,
 * here Dawn — llvmpipe without a GPU). Tensors live in host memory; each call passes arrays in
 * and copies the output into the destination tensor.
 *
 * gpu.js runs gemm, biasAdd, colSum, activate, activateBackward, softmax, lossGrad and the six
 * optimizer updates (one pass per state buffer plus one for the parameter: gpu.js kernels
 * have a single output). columnStats, spmm and spmmT are NOT expressible in gpu.js — they need
 * a data-dependent reduction (NaN-skipping Welford merge) or sparse scatter/gather with
 * per-row loop bounds read from the data — and are delegated to the cpu reference functions.
 *
 * Kernel calls are queued in order: run at once in webasm mode, chained on a promise in
 * webgpu mode; `sync()` and `read()` wait for the chain and rethrow its first error.
 */
export class GpuJsBackend implements Backend {
  readonly name = 'gpujs' as const;
  readonly adapter: string;
  readonly isHardware = false;
  /** wrap copies: in webgpu mode kernels run later, on the promise chain, and would read the caller's array then. */
  readonly capabilities: BackendCapabilities = { sharedWrap: false, exactSgdGemm: false };
  readonly mode: 'webasm' | 'webgpu';
  private readonly gpu: GpuJsInstance;
  private readonly kernels = new Map<GpuJsKernelName, { k: GpuJsKernel; size: number }>();
  private readonly releaseNavigator: (() => Promise<void>) | null;
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;
  private failure: unknown = null;
  private nextId = 1;
  private disposed = false;

  constructor(options: GpuJsBackendOptions = {}) {
    this.mode = options.mode ?? 'webasm';
    if (this.mode !== 'webasm' && this.mode !== 'webgpu') throw new KernelError('gpujs', {}, `mode must be webasm or webgpu, got ${String(this.mode)}`);
    this.releaseNavigator = this.mode === 'webgpu' ? installNavigatorGpu() : null;
    this.gpu = new gpuJs.GPU({ mode: this.mode });
    this.adapter = this.mode === 'webasm' ? 'gpu.js webasm (WebAssembly SIMD, CPU)' : 'gpu.js webgpu (navigator.gpu: Dawn)';
  }

  // --- memory ---------------------------------------------------------------------------------
  zeros(shape: readonly number[], dtype: DType = 'f32'): Tensor {
    const n = shape.reduce((a, b) => a * b, 1);
    return new GpuJsTensor(this.nextId++, [...shape], dtype, dtype === 'f32' ? new Float32Array(n) : dtype === 'i32' ? new Int32Array(n) : new Uint32Array(n));
  }
  upload(data: TypedData, shape: readonly number[]): Tensor {
    if (shape.reduce((a, b) => a * b, 1) !== data.length)
      throw new KernelError('upload', { data: [data.length], shape: [...shape] }, 'shape does not match the data length');
    const dtype: DType = data instanceof Float32Array ? 'f32' : data instanceof Int32Array ? 'i32' : 'u32';
    return new GpuJsTensor(this.nextId++, [...shape], dtype, data.slice());
  }
  /** An upload (a copy): see capabilities. */
  wrap(data: TypedData, shape: readonly number[]): Tensor {
    return this.upload(data, shape);
  }
  write(t: Tensor, data: TypedData, elementOffset = 0): void {
    const d = this.data(t, 'write');
    if (elementOffset + data.length > d.length)
      throw new KernelError('write', { t: [...t.shape], data: [data.length] }, `offset ${elementOffset} + ${data.length} elements overruns the tensor`);
    const copy = data.slice();
    this.enqueue(() => {
      d.set(copy, elementOffset);
    });
  }
  async read(t: Tensor): Promise<TypedData> {
    const d = this.data(t, 'read');
    await this.sync();
    return d.slice();
  }
  release(t: Tensor): void {
    this.tensor(t, 'release').released = true;
  }
  /** Queued kernels already run on the promise chain: nothing to hand over. */
  flush(): void {}
  async sync(): Promise<void> {
    await this.tail;
    if (this.failure) {
      const f = this.failure;
      this.failure = null;
      throw f;
    }
  }
  async dispose(): Promise<void> {
    if (this.disposed) return;
    await this.tail.catch(() => undefined);
    this.disposed = true;
    for (const { k } of this.kernels.values()) k.destroy?.();
    await this.gpu.destroy();
    await this.releaseNavigator?.();
  }

  // --- dense math -----------------------------------------------------------------------------
  gemm(a: Tensor, b: Tensor, c: Tensor, o: GemmOptions): void {
    const { m, n, k } = o;
    if (a.length !== m * k || b.length !== k * n || c.length !== m * n)
      throw new KernelError('gemm', { a: [...a.shape], b: [...b.shape], c: [...c.shape], mnk: [m, n, k] }, 'a must be m×k, b k×n, c m×n (after op)');
    checkArgs.gemmEpilogue(a, b, c, o);
    const A_ = this.f32(a, 'gemm'),
      B_ = this.f32(b, 'gemm'),
      C_ = this.f32(c, 'gemm');
    this.run('gemm', C_, m * n, () => [A_, B_, C_, m, n, k, o.transA ? 1 : 0, o.transB ? 1 : 0, o.alpha ?? 1, o.beta ?? 0]);
    // The epilogue as the separate kernels, queued after the product (C in place: run copies each result in).
    const ep = o.epilogue;
    if (ep && 'backward' in ep) {
      if (ep.backward !== 'identity') this.activateBackward(ep.backward, ep.y, c, c);
    } else if (ep) {
      if (ep.bias) this.biasAdd(c, ep.bias, m, n);
      if (ep.act && ep.act !== 'identity') this.activate(ep.act, c, c);
    }
  }
  biasAdd(x: Tensor, bias: Tensor, rows: number, cols: number): void {
    if (x.length !== rows * cols || bias.length !== cols)
      throw new KernelError('biasAdd', { x: [...x.shape], bias: [...bias.shape], rowsCols: [rows, cols] }, 'x must be rows×cols and bias cols');
    const X = this.f32(x, 'biasAdd'),
      B_ = this.f32(bias, 'biasAdd');
    this.run('biasAdd', X, rows * cols, () => [X, B_, cols]);
  }
  colSum(x: Tensor, out: Tensor, rows: number, cols: number, o?: ScaleOptions): void {
    if (x.length !== rows * cols || out.length !== cols)
      throw new KernelError('colSum', { x: [...x.shape], out: [...out.shape], rowsCols: [rows, cols] }, 'x must be rows×cols and out cols');
    const X = this.f32(x, 'colSum'),
      O = this.f32(out, 'colSum');
    this.run('colSum', O, cols, () => [X, O, rows, cols, o?.alpha ?? 1, o?.beta ?? 0]);
  }
  activate(kind: Activation, x: Tensor, y: Tensor): void {
    if (x.length !== y.length || ACT[kind] === undefined)
      throw new KernelError('activate', { x: [...x.shape], y: [...y.shape] }, `x and y must match; kind ${kind}`);
    const X = this.f32(x, 'activate'),
      Y = this.f32(y, 'activate');
    this.run('activate', Y, X.length, () => [X, ACT[kind]]);
  }
  activateBackward(kind: Activation, y: Tensor, dy: Tensor, dx: Tensor): void {
    if (y.length !== dy.length || y.length !== dx.length || ACT[kind] === undefined)
      throw new KernelError('activateBackward', { y: [...y.shape], dy: [...dy.shape], dx: [...dx.shape] }, `shapes must match; kind ${kind}`);
    const Y = this.f32(y, 'activateBackward'),
      DY = this.f32(dy, 'activateBackward'),
      DX = this.f32(dx, 'activateBackward');
    this.run('activateBackward', DX, Y.length, () => [Y, DY, ACT[kind]]);
  }
  softmax(x: Tensor, y: Tensor, rows: number, cols: number): void {
    if (x.length !== rows * cols || y.length !== rows * cols)
      throw new KernelError('softmax', { x: [...x.shape], y: [...y.shape], rowsCols: [rows, cols] }, 'x and y must be rows×cols');
    const X = this.f32(x, 'softmax'),
      Y = this.f32(y, 'softmax');
    this.run('softmax', Y, rows * cols, () => [X, cols]);
  }
  lossGrad(kind: LossKind, z: Tensor, targets: Tensor, weights: Tensor | null, grad: Tensor, loss: Tensor, rows: number, cols: number, scale = 1): void {
    const shapes = { z: [...z.shape], targets: [...targets.shape], grad: [...grad.shape], loss: [...loss.shape], rowsCols: [rows, cols] };
    if (
      z.length !== rows * cols ||
      grad.length !== rows * cols ||
      targets.length !== (kind === 'squared' ? rows * cols : rows) ||
      loss.length !== rows ||
      (weights && weights.length !== rows) ||
      LOSS[kind] === undefined
    ) {
      throw new KernelError('lossGrad', shapes, 'z and grad rows×cols, targets rows (squared: rows×cols), weights and loss rows');
    }
    if ((kind === 'logistic' || kind === 'hinge') && cols !== 1) throw new KernelError('lossGrad', shapes, `${kind} has one column`);
    const Z = this.f32(z, 'lossGrad'),
      G = this.f32(grad, 'lossGrad'),
      L = this.f32(loss, 'lossGrad');
    const td = this.data(targets, 'lossGrad'),
      W = weights ? this.f32(weights, 'lossGrad') : ONE;
    if (kind === 'softmax')
      for (let r = 0; r < rows; r++)
        if (!(Number.isInteger(td[r]) && td[r]! >= 0 && td[r]! < cols))
          throw new KernelError('lossGrad', shapes, `softmax target at row ${r} is ${td[r]}, not a class index`);
    const T = td instanceof Float32Array ? td : Float32Array.from(td);
    this.run('lossGrad', G, rows * cols, () => [Z, T, W, cols, LOSS[kind], scale, weights ? 1 : 0]);
    this.run('loss', L, rows, () => [Z, T, W, cols, LOSS[kind], weights ? 1 : 0]);
  }

  // --- optimizers, statistics, sparse -------------------------------------------------------------
  optimizerStep(kind: OptimizerKind, param: Tensor, grad: Tensor, state: readonly Tensor[], h: OptimizerHyper): void {
    const n = param.length;
    if (OPTIMIZER_STATE[kind] === undefined || grad.length !== n || state.length !== OPTIMIZER_STATE[kind] || state.some((s) => s.length !== n)) {
      throw new KernelError(
        'optimizerStep',
        { param: [...param.shape], grad: [...grad.shape], ...Object.fromEntries(state.map((s, i) => [`state${i}`, [...s.shape]])) },
        `${kind} needs grad and ${OPTIMIZER_STATE[kind]} state tensor(s) shaped like the parameter`,
      );
    }
    if (kind === 'adam' && !(h.step >= 1)) throw new KernelError('optimizerStep', { param: [n] }, `adam needs a 1-based step, got ${h.step}`);
    const W = this.f32(param, 'optimizerStep'),
      G = this.f32(grad, 'optimizerStep'),
      S = state.map((s) => this.f32(s, 'optimizerStep'));
    const l2 = h.l2 ?? 0,
      mu = h.momentum ?? 0.9,
      b1 = h.beta1 ?? 0.9,
      b2 = h.beta2 ?? 0.999,
      rho = h.rho ?? 0.9;
    STATE_KIND[kind].forEach((sk, i) => this.run('optState', S[i]!, n, () => [W, G, S[i]!, sk, l2, mu, b1, b2, rho]));
    const c1 = kind === 'adam' ? 1 / (1 - b1 ** h.step) : 1,
      c2 = kind === 'adam' ? 1 / (1 - b2 ** h.step) : 1;
    this.run('optParam', W, n, () => [W, G, S[0] ?? W, S[1] ?? W, PARAM_KIND[kind], h.lr, l2, h.l1 ?? 0, mu, h.eps ?? 1e-8, c1, c2]);
  }
  /** Delegated to columnStatsCpu: see the class doc. */
  columnStats(x: Tensor, out: Tensor, rows: number, cols: number): void {
    const X = this.f32(x, 'columnStats'),
      O = this.f32(out, 'columnStats');
    this.enqueue(() => columnStatsCpu(X, O, rows, cols));
  }
  /** Delegated to spmmCpu: see the class doc. */
  spmm(indptr: Tensor, indices: Tensor, values: Tensor, b: Tensor, c: Tensor, rows: number, k: number, n: number, o?: ScaleOptions): void {
    const args = [this.i32(indptr, 'spmm'), this.i32(indices, 'spmm'), this.f32(values, 'spmm'), this.f32(b, 'spmm'), this.f32(c, 'spmm')] as const;
    this.enqueue(() => spmmCpu(...args, rows, k, n, o));
  }
  /** Delegated to spmmTCpu: see the class doc. */
  spmmT(indptr: Tensor, indices: Tensor, values: Tensor, g: Tensor, out: Tensor, rows: number, k: number, n: number, o?: ScaleOptions): void {
    const args = [this.i32(indptr, 'spmmT'), this.i32(indices, 'spmmT'), this.f32(values, 'spmmT'), this.f32(g, 'spmmT'), this.f32(out, 'spmmT')] as const;
    this.enqueue(() => spmmTCpu(...args, rows, k, n, o));
  }

  // --- internals ------------------------------------------------------------------------------
  /** Runs kernel `name` over `size` outputs and copies the result into `dst` (in queue order). */
  private run(name: GpuJsKernelName, dst: Float32Array, size: number, args: () => unknown[]): void {
    if (size === 0) return;
    this.enqueue(() => {
      const entry = this.kernel(name);
      if (entry.size !== size) {
        entry.k.setOutput([size]);
        entry.size = size;
      }
      const res = entry.k(...args());
      if (res instanceof Promise)
        return res.then((r: ArrayLike<number>) => {
          dst.set(r as Float32Array);
        });
      dst.set(res as Float32Array);
      return undefined;
    });
  }

  private kernel(name: GpuJsKernelName): { k: GpuJsKernel; size: number } {
    let e = this.kernels.get(name);
    if (!e) {
      const k = this.gpu.createKernel(gpuJsKernelSources[name], {
        output: [1],
        dynamicOutput: true,
        dynamicArguments: true,
        argumentTypes: ARG_TYPES[name],
        returnType: 'Number',
        tactic: 'precision',
      });
      this.kernels.set(name, (e = { k, size: 1 }));
    }
    return e;
  }

  private enqueue(step: () => void | Promise<void>): void {
    if (this.disposed) throw new KernelError('gpujs', {}, 'backend used after dispose()');
    if (this.mode === 'webasm' && this.pending === 0) {
      // Synchronous mode with nothing queued: run now (no microtask per kernel).
      try {
        void step();
      } catch (err) {
        this.failure ??= err;
      }
      return;
    }
    this.pending++;
    this.tail = this.tail.then(async () => {
      try {
        if (!this.failure) await step();
      } catch (err) {
        this.failure ??= err;
      } finally {
        this.pending--;
      }
    });
  }

  private tensor(t: Tensor, kernel: string): GpuJsTensor {
    if (!(t instanceof GpuJsTensor)) throw new KernelError(kernel, { t: [...t.shape] }, `tensor ${t.id} belongs to the ${t.backend} backend, not gpujs`);
    if (t.released) throw new KernelError(kernel, { t: [...t.shape] }, `tensor ${t.id} was released`);
    return t;
  }
  private data(t: Tensor, kernel: string): TypedData {
    return this.tensor(t, kernel).data;
  }
  private f32(t: Tensor, kernel: string): Float32Array {
    const d = this.data(t, kernel);
    if (!(d instanceof Float32Array)) throw new KernelError(kernel, { t: [...t.shape] }, `needs an f32 tensor, got ${t.dtype}`);
    return d;
  }
  private i32(t: Tensor, kernel: string): Int32Array {
    const d = this.data(t, kernel);
    if (!(d instanceof Int32Array)) throw new KernelError(kernel, { t: [...t.shape] }, `needs an i32 tensor, got ${t.dtype}`);
    return d;
  }
}

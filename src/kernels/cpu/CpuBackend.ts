import { availableParallelism } from 'node:os';
import { KernelError } from '../../core/index.js';
import type {
  Activation,
  Backend,
  BackendCapabilities,
  GemmOptions,
  LossKind,
  OptimizerHyper,
  OptimizerKind,
  ScaleOptions,
  UploadOptions,
} from '../Backend.js';
import { checkArgs } from '../checkArgs.js';
import type { DType, Tensor, TypedData } from '../Tensor.js';
import { activateBackwardCpu } from './activateBackwardCpu.js';
import { activateCpu } from './activateCpu.js';
import { biasAddCpu } from './biasAddCpu.js';
import { CpuTensor } from './CpuTensor.js';
import { colSumCpu } from './colSumCpu.js';
import { columnStatsCpu } from './columnStatsCpu.js';
import { GemmWorkerPool } from './GemmWorkerPool.js';
import { type GemmAfter, gemmAfterCpu } from './gemmAfterCpu.js';
import { gemmCpu } from './gemmCpu.js';
import { gemmFastCpu } from './gemmFastCpu.js';
import { gemmSimdAvailable } from './gemmSimdAvailable.js';
import { gemmSimdCpu } from './gemmSimdCpu.js';
import { loadWasmGemm } from './loadWasmGemm.js';
import { lossGradCpu } from './lossGradCpu.js';
import { optimizerStepCpu } from './optimizerStepCpu.js';
import { optimizerStepWasm } from './optimizerStepWasm.js';
import { softmaxCpu } from './softmaxCpu.js';
import { spmmCpu } from './spmmCpu.js';
import { spmmTCpu } from './spmmTCpu.js';

export interface CpuBackendOptions {
  /**
   * GEMM path. 'fast' (default): WebAssembly SIMD micro-kernel (blocked TypeScript where the
   * runtime lacks SIMD); 'blocked': cache-blocked TypeScript; 'reference': the plain triple loop.
   */
  gemm?: 'fast' | 'blocked' | 'reference';
  /**
   * Threads for the 'fast' GEMM, this one included (default: os.availableParallelism()). Above 1,
   * worker threads over shared wasm memory take blocks of large products; 1 keeps it single-threaded.
   */
  threads?: number;
  /** Multiply-adds (m·n·k) from which a GEMM is shared among threads (default 128³, measured; 0 in tests to force sharing). */
  gemmThreadMin?: number;
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function alloc(dtype: DType, n: number): TypedData {
  return dtype === 'f32' ? new Float32Array(n) : dtype === 'i32' ? new Int32Array(n) : new Uint32Array(n);
}

function dtypeOf(data: TypedData): DType {
  return data instanceof Float32Array ? 'f32' : data instanceof Int32Array ? 'i32' : 'u32';
}

/**
 * The reference backend: plain TypeScript on host typed arrays. Calls run at once, so sync() only
 * resolves. Its results define the semantics every other backend is tested against.
 */
export class CpuBackend implements Backend {
  readonly name = 'cpu' as const;
  readonly adapter: string;
  readonly isHardware = false;
  /** wrap shares the array; exactSgdGemm on the SIMD GEMM path only (see gemmPath). */
  readonly capabilities: BackendCapabilities;
  private nextId = 1;
  private disposed = false;
  /**
   * The GEMM path in use: 'simd' rounds every product to f32 before alpha/beta are applied in f64,
   * so gemm(…, { alpha: −lr, beta: 1 }) into W stores exactly what a gradient buffer followed by
   * optimizerStep('sgd') would (capabilities.exactSgdGemm: GradientModel's fused update relies on it),
   * and a bias epilogue can ride in the GEMM as C's initial rows (see gemm).
   */
  readonly gemmPath: 'simd' | 'blocked' | 'reference';
  private readonly gemmImpl: typeof gemmSimdCpu;
  private readonly gemmThreads: number;
  private readonly gemmThreadMin: number | undefined;
  // Started at the first GEMM large enough to share (workers cost ~30 ms and a few MiB each).
  private gemmPool: GemmWorkerPool | null = null;
  /** Live tensors of uploadResident, given back to the arena on release or dispose. */
  private readonly resident = new Set<CpuTensor>();

  constructor(options: CpuBackendOptions = {}) {
    const mode = options.gemm ?? 'fast';
    this.gemmImpl = mode === 'reference' ? gemmCpu : mode === 'blocked' ? gemmFastCpu : gemmSimdCpu;
    this.gemmPath = mode === 'fast' && gemmSimdAvailable() ? 'simd' : mode === 'reference' ? 'reference' : 'blocked';
    this.capabilities = { sharedWrap: true, exactSgdGemm: this.gemmPath === 'simd' };
    const threads = options.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1) throw new KernelError('gemm', {}, `threads must be a positive integer, got ${threads}`);
    this.gemmThreads = mode === 'fast' && loadWasmGemm()?.shared ? threads : 1;
    this.gemmThreadMin = options.gemmThreadMin;
    const simd = this.gemmThreads > 1 ? `WebAssembly SIMD GEMM, ${this.gemmThreads} threads` : 'WebAssembly SIMD GEMM';
    const what = mode === 'reference' ? 'reference GEMM' : mode === 'blocked' ? 'blocked GEMM' : gemmSimdAvailable() ? simd : 'blocked GEMM, no wasm SIMD';
    this.adapter = `TypeScript on ${process.arch} (${what})`;
  }

  /** The host array behind a tensor of this backend (no copy); for twins and tests. */
  data(t: Tensor, kernel = 'data'): TypedData {
    if (this.disposed) throw new KernelError(kernel, {}, 'the cpu backend was disposed');
    if (!(t instanceof CpuTensor)) throw new KernelError(kernel, { t: t.shape }, `tensor ${t.id} belongs to the ${t.backend} backend, not cpu`);
    if (t.released) throw new KernelError(kernel, { t: t.shape }, `tensor ${t.id} was released`);
    return t.data;
  }

  private f32(t: Tensor, kernel: string): Float32Array {
    const d = this.data(t, kernel);
    if (!(d instanceof Float32Array)) throw new KernelError(kernel, { t: t.shape }, `tensor ${t.id} is ${t.dtype}, expected f32`);
    return d;
  }

  private i32(t: Tensor, kernel: string): Int32Array {
    const d = this.data(t, kernel);
    if (!(d instanceof Int32Array)) throw new KernelError(kernel, { t: t.shape }, `tensor ${t.id} is ${t.dtype}, expected i32`);
    return d;
  }

  private check(shape: readonly number[], kernel: string): number {
    for (const d of shape) if (!Number.isInteger(d) || d < 0) throw new KernelError(kernel, { shape }, `shape must hold non-negative integers`);
    return product(shape);
  }

  zeros(shape: readonly number[], dtype: DType = 'f32'): Tensor {
    const n = this.check(shape, 'zeros');
    return new CpuTensor(this.nextId++, [...shape], dtype, alloc(dtype, n));
  }

  /** A copy of data; with `resident` (f32 only), in the GEMM's wasm memory where it fits (uploadResident). */
  upload(data: TypedData, shape: readonly number[], o?: UploadOptions): Tensor {
    if (o?.resident && data instanceof Float32Array) return this.uploadResident(data, shape);
    const n = this.check(shape, 'upload');
    if (n !== data.length) throw new KernelError('upload', { shape }, `data has ${data.length} elements, shape needs ${n}`);
    const dtype = dtypeOf(data);
    const copy = alloc(dtype, n);
    copy.set(data);
    return new CpuTensor(this.nextId++, [...shape], dtype, copy);
  }

  /**
   * A tensor over `data` itself, without upload's copy: for a batch the caller only reads through
   * kernels (a model's input rows, targets, row weights) and leaves alone while the tensor is used.
   * Kernels that write into it write into `data`.
   */
  wrap(data: TypedData, shape: readonly number[]): Tensor {
    const n = this.check(shape, 'wrap');
    if (n !== data.length) throw new KernelError('wrap', { shape }, `data has ${data.length} elements, shape needs ${n}`);
    return new CpuTensor(this.nextId++, shape, dtypeOf(data), data);
  }

  /**
   * Like upload for f32 data, but the tensor lives in the GEMM's wasm memory (WasmArena) when there
   * is one with room: GEMMs then read it, and write it as C, in place instead of copying it in and
   * out (for a model's weight matrices, read or updated by every step). Else a plain upload.
   */
  uploadResident(data: Float32Array, shape: readonly number[]): Tensor {
    const n = this.check(shape, 'uploadResident');
    if (n !== data.length) throw new KernelError('uploadResident', { shape }, `data has ${data.length} elements, shape needs ${n}`);
    const arena = this.gemmImpl === gemmSimdCpu && !this.disposed ? loadWasmGemm()?.arena : null;
    const view = arena?.alloc(n);
    if (!view) return this.upload(data, shape);
    view.set(data);
    const t = new CpuTensor(this.nextId++, [...shape], 'f32', view);
    this.resident.add(t);
    return t;
  }

  write(t: Tensor, data: TypedData, elementOffset = 0): void {
    const d = this.data(t, 'write');
    if (elementOffset < 0 || elementOffset + data.length > d.length)
      throw new KernelError('write', { t: t.shape }, `writing ${data.length} elements at ${elementOffset} overruns ${d.length}`);
    if (dtypeOf(data) !== t.dtype) throw new KernelError('write', { t: t.shape }, `data is ${dtypeOf(data)}, tensor is ${t.dtype}`);
    d.set(data, elementOffset);
  }

  async read(t: Tensor): Promise<TypedData> {
    return this.data(t, 'read').slice();
  }

  release(t: Tensor): void {
    this.data(t, 'release');
    (t as CpuTensor).released = true;
    if (this.resident.delete(t as CpuTensor)) loadWasmGemm()?.arena?.release((t as CpuTensor).data as Float32Array);
  }

  /** Calls run at once: nothing is queued. */
  flush(): void {}

  async sync(): Promise<void> {
    if (this.disposed) throw new KernelError('sync', {}, 'the cpu backend was disposed');
  }

  async dispose(): Promise<void> {
    for (const t of this.resident) {
      t.released = true;
      loadWasmGemm()?.arena?.release(t.data as Float32Array);
    }
    this.resident.clear();
    this.disposed = true;
    const pool = this.gemmPool;
    this.gemmPool = null;
    await pool?.dispose();
  }

  /**
   * Backend.gemm. The epilogue runs in the GEMM's pass where that gives the separate kernels' exact
   * result: a relu, or relu's backward, applied to C before it leaves the wasm SIMD kernel (gemmAfterCpu
   * on the other paths); a bias with alpha 1 and beta 0 on the SIMD path as C's initial rows with
   * beta 1, since that path stores f32(f32(A·B) + bias), what biasAdd stores after a plain GEMM (not
   * for n = 1: gemv does not round A·B to f32 first). Other activations, and a bias elsewhere, run
   * as the separate kernels after the product.
   */
  gemm(a: Tensor, b: Tensor, c: Tensor, o: GemmOptions): void {
    checkArgs.gemm(a, b, c, o);
    const A = this.f32(a, 'gemm'),
      B = this.f32(b, 'gemm'),
      C = this.f32(c, 'gemm');
    const ep = o.epilogue,
      mn = o.m * o.n;
    let post: GemmAfter | undefined,
      run = o,
      bias: Float32Array | null = null,
      act: Activation | null = null;
    let back: { kind: Activation; y: Float32Array } | null = null;
    if (ep && 'backward' in ep) {
      const y = this.f32(ep.y, 'gemm');
      if (ep.backward === 'relu') post = { act: 'reluBackward', y };
      else if (ep.backward !== 'identity') back = { kind: ep.backward, y };
    } else if (ep) {
      if (ep.bias) {
        const bv = this.f32(ep.bias, 'gemm');
        if (this.gemmPath === 'simd' && o.n > 1 && (o.alpha ?? 1) === 1 && (o.beta ?? 0) === 0) {
          for (let r = 0; r < o.m; r++) C.set(bv, r * o.n);
          run = { ...o, beta: 1 };
        } else bias = bv;
      }
      if (ep.act === 'relu' && !bias) post = { act: 'relu' };
      else if (ep.act && ep.act !== 'identity') act = ep.act;
    }
    if (this.gemmImpl === gemmSimdCpu) gemmSimdCpu(A, B, C, run, this.gemmThreads > 1 ? this.sharedGemm : undefined, this.gemmThreadMin, post);
    else {
      this.gemmImpl(A, B, C, run);
      if (post) gemmAfterCpu(post, C, 0, mn);
    }
    if (bias) biasAddCpu(C, bias, o.m, o.n);
    if (act) activateCpu(act, C, C);
    if (back) activateBackwardCpu(back.kind, back.y, C, C);
  }

  /** Work-sharing figures of the GEMM worker pool (null before the first GEMM large enough to start it). */
  get gemmThreadStats(): { readonly jobs: number; readonly tasks: number; readonly callerTasks: number; readonly declined: number } | null {
    return this.gemmPool ? { ...this.gemmPool.stats } : null;
  }

  private readonly sharedGemm = (): GemmWorkerPool | null => {
    if (!this.gemmPool && !this.disposed) this.gemmPool = new GemmWorkerPool(loadWasmGemm()!, this.gemmThreads - 1);
    return this.gemmPool;
  };

  biasAdd(x: Tensor, bias: Tensor, rows: number, cols: number): void {
    checkArgs.biasAdd(x, bias, rows, cols);
    biasAddCpu(this.f32(x, 'biasAdd'), this.f32(bias, 'biasAdd'), rows, cols);
  }

  colSum(x: Tensor, out: Tensor, rows: number, cols: number, o?: ScaleOptions): void {
    checkArgs.colSum(x, out, rows, cols);
    colSumCpu(this.f32(x, 'colSum'), this.f32(out, 'colSum'), rows, cols, o);
  }

  activate(kind: Activation, x: Tensor, y: Tensor): void {
    checkArgs.activate('activate', kind, x, y);
    activateCpu(kind, this.f32(x, 'activate'), this.f32(y, 'activate'));
  }

  activateBackward(kind: Activation, y: Tensor, dy: Tensor, dx: Tensor): void {
    checkArgs.activate('activateBackward', kind, y, dx, dy);
    activateBackwardCpu(kind, this.f32(y, 'activateBackward'), this.f32(dy, 'activateBackward'), this.f32(dx, 'activateBackward'));
  }

  softmax(x: Tensor, y: Tensor, rows: number, cols: number): void {
    checkArgs.softmax(x, y, rows, cols);
    softmaxCpu(this.f32(x, 'softmax'), this.f32(y, 'softmax'), rows, cols);
  }

  lossGrad(kind: LossKind, z: Tensor, targets: Tensor, weights: Tensor | null, grad: Tensor, loss: Tensor, rows: number, cols: number, scale = 1): void {
    checkArgs.lossGrad(kind, z, targets, weights, grad, loss, rows, cols);
    const k = 'lossGrad';
    lossGradCpu(
      kind,
      this.f32(z, k),
      this.data(targets, k) as Float32Array | Int32Array,
      weights ? this.f32(weights, k) : null,
      this.f32(grad, k),
      this.f32(loss, k),
      rows,
      cols,
      scale,
    );
  }

  optimizerStep(kind: OptimizerKind, param: Tensor, grad: Tensor, state: readonly Tensor[], h: OptimizerHyper): void {
    const k = 'optimizerStep';
    const p = this.f32(param, k),
      g = this.f32(grad, k),
      s = state.map((t) => this.f32(t, k));
    // Buffers resident in the wasm memory (a model's weight matrices) take the SIMD twin: same bits.
    if (this.gemmImpl === gemmSimdCpu && optimizerStepWasm(kind, p, g, s, h)) return;
    optimizerStepCpu(kind, p, g, s, h);
  }

  columnStats(x: Tensor, out: Tensor, rows: number, cols: number): void {
    columnStatsCpu(this.f32(x, 'columnStats'), this.f32(out, 'columnStats'), rows, cols);
  }

  spmm(indptr: Tensor, indices: Tensor, values: Tensor, b: Tensor, c: Tensor, rows: number, k: number, n: number, o?: ScaleOptions): void {
    const kn = 'spmm';
    spmmCpu(this.i32(indptr, kn), this.i32(indices, kn), this.f32(values, kn), this.f32(b, kn), this.f32(c, kn), rows, k, n, o);
  }

  spmmT(indptr: Tensor, indices: Tensor, values: Tensor, g: Tensor, out: Tensor, rows: number, k: number, n: number, o?: ScaleOptions): void {
    const kn = 'spmmT';
    spmmTCpu(this.i32(indptr, kn), this.i32(indices, kn), this.f32(values, kn), this.f32(g, kn), this.f32(out, kn), rows, k, n, o);
  }
}

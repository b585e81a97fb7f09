import type { BackendName } from './BACKEND_NAMES.js';
import type { OptimizerKind } from './OPTIMIZER_KINDS.js';
import type { DType, Tensor, TypedData } from './Tensor.js';

// Re-exported for the backends, which take their types from here.
export type { OptimizerKind } from './OPTIMIZER_KINDS.js';

export type Activation = 'identity' | 'relu' | 'sigmoid' | 'tanh';
export type LossKind = 'logistic' | 'softmax' | 'squared' | 'hinge';

/** Number of state tensors (each shaped like the parameter) per optimizer. */
export const OPTIMIZER_STATE: Readonly<Record<OptimizerKind, number>> = { sgd: 0, momentum: 1, nesterov: 1, adam: 2, adagrad: 1, rmsprop: 1 };

export interface OptimizerHyper {
  lr: number;
  /** L2 coefficient: g += l2·w before the update. */
  l2?: number;
  /** L1 coefficient, applied proximally after the update: w = sign(w)·max(|w| − lr·l1, 0). */
  l1?: number;
  /** momentum / nesterov (default 0.9). */
  momentum?: number;
  /** adam (defaults 0.9, 0.999). */
  beta1?: number;
  beta2?: number;
  /** rmsprop decay (default 0.9). */
  rho?: number;
  /** adam, adagrad, rmsprop (default 1e-8). */
  eps?: number;
  /** 1-based step count, for Adam's bias correction. */
  step: number;
}

export interface GemmOptions {
  /** op(A) is m×k, op(B) is k×n, C is m×n. */
  m: number;
  n: number;
  k: number;
  transA?: boolean;
  transB?: boolean;
  /** C = alpha·op(A)·op(B) + beta·C (defaults 1 and 0). */
  alpha?: number;
  beta?: number;
  /** Work on C in the same call, after alpha and beta (see GemmEpilogue). */
  epilogue?: GemmEpilogue;
}

/**
 * What a GEMM applies to C after alpha·op(A)·op(B) + beta·C: exactly the separate kernels, in
 * this order, but a backend may do it in the GEMM's own pass (the cpu's SIMD GEMM does).
 *   { bias, act }: biasAdd(C, bias) then activate(act, C, C): a dense layer's forward (either may be left out).
 *   { backward, y }: activateBackward(backward, y, C, C): C ← C·f'(y), y the forward output shaped like C.
 */
export type GemmEpilogue = { bias?: Tensor; act?: Activation } | { backward: Activation; y: Tensor };

/** What a backend guarantees beyond the interface, for callers choosing a faster path. */
export interface BackendCapabilities {
  /**
   * wrap() returns a tensor over the caller's array itself and kernels run at once: a kernel that
   * writes a wrapped tensor has written the array when the call returns (cpu). Else wrap uploads a copy.
   */
  readonly sharedWrap: boolean;
  /**
   * gemm(x, dz, w, { alpha: −lr, beta: 1 }) with n > 1 stores bit for bit what a gradient GEMM
   * followed by optimizerStep('sgd') stores (the cpu's SIMD GEMM rounds the product to f32 before
   * alpha and beta), so plain SGD may update weights inside the gradient GEMM.
   */
  readonly exactSgdGemm: boolean;
}

export interface UploadOptions {
  /**
   * A hint: the tensor is read and written by many GEMMs (a model's weights). The cpu backend keeps
   * such f32 data in its GEMM's wasm memory so products use it in place; others ignore the hint.
   */
  resident?: boolean;
}

export interface ScaleOptions {
  alpha?: number;
  beta?: number;
}

/**
 * One compute backend. Kernel calls are queued in call order (the cpu backend runs them at
 * once; webgpu records them into the current command encoder); `sync()` submits and waits.
 * Reads are async. Shapes are passed explicitly and checked; a bad call throws KernelError
 * naming the kernel and the shapes. Semantics are defined by the cpu backend: the reference.
 */
export interface Backend {
  readonly name: BackendName;
  /** Human-readable adapter description ("llvmpipe (LLVM 15.0.6, 256 bits)", "NVIDIA H100 ..."). */
  readonly adapter: string;
  /** True for a hardware GPU adapter (not llvmpipe / SwiftShader / CPU). */
  readonly isHardware: boolean;
  readonly capabilities: BackendCapabilities;

  // --- memory -----------------------------------------------------------------------------
  zeros(shape: readonly number[], dtype?: DType): Tensor;
  upload(data: TypedData, shape: readonly number[], o?: UploadOptions): Tensor;
  /**
   * A tensor over `data` for a call's inputs (batch rows, targets, row weights): the array itself
   * without a copy where the backend can (capabilities.sharedWrap: the cpu), else an upload. The
   * caller leaves `data` alone until it releases the tensor; a kernel writing the tensor writes
   * `data` only on a sharedWrap backend.
   */
  wrap(data: TypedData, shape: readonly number[]): Tensor;
  /** Overwrites elements starting at `elementOffset`. */
  write(t: Tensor, data: TypedData, elementOffset?: number): void;
  read(t: Tensor): Promise<TypedData>;
  release(t: Tensor): void;
  /**
   * Hands queued work to the device without waiting for it (webgpu: submits the recorded command
   * buffer), so a step runs while the caller prepares the next. No-op where calls run at once (cpu)
   * or are already running (gpujs). sync() waits.
   */
  flush(): void;
  /** Submits queued work and resolves when the device has finished it. */
  sync(): Promise<void>;
  /** Frees every buffer and the device. The backend is unusable afterwards. */
  dispose(): Promise<void>;

  // --- dense math ---------------------------------------------------------------------------
  /** C = alpha·op(A)·op(B) + beta·C, row-major, op = transpose when asked; then o.epilogue, if any. */
  gemm(a: Tensor, b: Tensor, c: Tensor, o: GemmOptions): void;
  /** x[r, c] += bias[c], in place. */
  biasAdd(x: Tensor, bias: Tensor, rows: number, cols: number): void;
  /** out[c] = alpha·Σ_r x[r, c] + beta·out[c]. */
  colSum(x: Tensor, out: Tensor, rows: number, cols: number, o?: ScaleOptions): void;
  /** y = f(x), elementwise (x and y may be the same tensor). */
  activate(kind: Activation, x: Tensor, y: Tensor): void;
  /** dx = dy · f'(x), with f' written in terms of the forward output y (relu: y > 0). */
  activateBackward(kind: Activation, y: Tensor, dy: Tensor, dx: Tensor): void;
  /** Row-wise softmax of a rows×cols matrix (max-subtracted). */
  softmax(x: Tensor, y: Tensor, rows: number, cols: number): void;
  /**
   * Fused loss value and gradient with respect to the raw outputs z (rows×cols).
   * targets (f32 or i32): rows values (0/1 for logistic and hinge, class index for softmax), or
   * rows·cols values for squared (one per output). A softmax label outside [0, cols) gives NaN for its row.
   * loss[r] = w_r·ℓ_r; grad[r, :] = scale·w_r·∂ℓ_r/∂z_r (scale is usually 1/rows: the mean).
   *   logistic (cols=1): ℓ = softplus(z) − t·z, ∂ = σ(z) − t
   *   softmax:           ℓ = −log softmax(z)_t, ∂ = softmax(z) − onehot(t)
   *   squared:           ℓ = ½(z − t)², ∂ = z − t
   *   hinge (cols=1):    y = 2t − 1, ℓ = max(0, 1 − y·z), ∂ = −y when y·z < 1 else 0
   */
  lossGrad(kind: LossKind, z: Tensor, targets: Tensor, weights: Tensor | null, grad: Tensor, loss: Tensor, rows: number, cols: number, scale?: number): void;

  // --- optimizers, statistics, sparse, batched (see OPTIMIZER_STATE) ------------------------
  /** One fused update of a parameter buffer from its gradient and state tensors. */
  optimizerStep(kind: OptimizerKind, param: Tensor, grad: Tensor, state: readonly Tensor[], h: OptimizerHyper): void;
  /**
   * Column reductions of a rows×cols matrix, ignoring NaN as missing. out is 6×cols, rows of:
   * count, sum, mean, M2 (sum of squared deviations from the mean), min, max.
   */
  columnStats(x: Tensor, out: Tensor, rows: number, cols: number): void;
  /** C (rows×n) = alpha·A·B + beta·C with A in CSR (indptr i32 rows+1, indices i32, values f32; rows×k), B dense k×n. */
  spmm(indptr: Tensor, indices: Tensor, values: Tensor, b: Tensor, c: Tensor, rows: number, k: number, n: number, o?: ScaleOptions): void;
  /** OUT (k×n) = alpha·Aᵀ·G + beta·OUT with A in CSR (rows×k), G dense rows×n: the weight gradient. */
  spmmT(indptr: Tensor, indices: Tensor, values: Tensor, g: Tensor, out: Tensor, rows: number, k: number, n: number, o?: ScaleOptions): void;
}

import type { BackendName } from './BACKEND_NAMES.js';

export type DType = 'f32' | 'i32' | 'u32';

export type TypedData = Float32Array | Int32Array | Uint32Array;

/**
 * A handle to memory owned by a Backend (host memory for cpu, a pooled GPUBuffer for webgpu).
 * Row-major. Only the backend that made it may use it; `release` returns it to the pool.
 */
export interface Tensor {
  readonly id: number;
  readonly backend: BackendName;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Element count (product of shape). */
  readonly length: number;
}

import type { DType, Tensor, TypedData } from '../Tensor.js';

/** A tensor of the gpujs backend: a host typed array (gpu.js moves data per kernel call). */
export class GpuJsTensor implements Tensor {
  readonly backend = 'gpujs' as const;
  readonly length: number;
  released = false;
  constructor(
    readonly id: number,
    readonly shape: readonly number[],
    readonly dtype: DType,
    readonly data: TypedData,
  ) {
    this.length = data.length;
  }
}

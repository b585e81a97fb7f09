import type { DType, Tensor, TypedData } from '../Tensor.js';

/** A tensor of the cpu backend: a typed array in host memory. */
export class CpuTensor implements Tensor {
  readonly backend = 'cpu' as const;
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

import type { DType, Tensor } from '../Tensor.js';

/** A tensor of the webgpu backend: a pooled storage buffer at least as large as its data. */
export class WebGpuTensor implements Tensor {
  readonly backend = 'webgpu' as const;
  readonly length: number;
  released = false;
  constructor(
    readonly id: number,
    readonly shape: readonly number[],
    readonly dtype: DType,
    readonly buffer: GPUBuffer,
    readonly owner: object,
  ) {
    this.length = shape.reduce((a, b) => a * b, 1);
  }

  get byteLength(): number {
    return this.length * 4;
  }
}

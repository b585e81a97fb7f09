import type { Tensor } from './Tensor.js';

/**
 * What a WGSL kernel module needs from the WebGPU backend. Kernel functions take this context,
 * record their dispatches into the shared encoder, and never submit or read back themselves.
 */
export interface GpuContext {
  readonly device: GPUDevice;
  /** The GPUBuffer behind a tensor of this backend (throws KernelError for a foreign tensor). */
  buffer(t: Tensor): GPUBuffer;
  /**
   * A compute pipeline from a `.wgsl` file in src/kernels/webgpu/wgsl/, cached by a key that
   * encodes the file, entry point and every override constant (workgroup sizes, tiles, flags).
   */
  pipeline(wgslFile: string, entryPoint: string, constants: Readonly<Record<string, number>>): GPUComputePipeline;
  /** A small uniform buffer holding `data`, pooled and reused after the next sync. */
  uniform(data: ArrayBuffer): GPUBuffer;
  /** Records one dispatch into the current command encoder. */
  dispatch(pipeline: GPUComputePipeline, bindings: readonly GPUBuffer[], workgroups: readonly [number, number?, number?]): void;
  /** Adapter limits granted to the device (workgroup size, shared memory). */
  readonly limits: GPUSupportedLimits;
}

export type { Tensor, DType, TypedData, BackendName } from './Tensor.js';
export { OPTIMIZER_STATE, type Backend, type Activation, type LossKind, type OptimizerKind, type OptimizerHyper, type GemmOptions, type ScaleOptions } from './Backend.js';
export type { GpuContext } from './GpuContext.js';
export { DeviceLostError } from './DeviceLostError.js';
export { OutOfMemoryError } from './OutOfMemoryError.js';
export { checkArgs } from './checkArgs.js';
export { createBackend, type BackendChoice, type CreateBackendOptions } from './createBackend.js';
export { CpuBackend, type CpuBackendOptions } from './cpu/index.js';
export { WebGpuBackend, createWebGpuBackend, isSoftwareAdapter, type WebGpuBackendOptions } from './webgpu/index.js';

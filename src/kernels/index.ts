export { BACKEND_CHOICES, type BackendChoice } from './BACKEND_CHOICES.js';
export { BACKEND_NAMES, type BackendName } from './BACKEND_NAMES.js';
export {
  type Activation,
  type Backend,
  type BackendCapabilities,
  type GemmEpilogue,
  type GemmOptions,
  type LossKind,
  OPTIMIZER_STATE,
  type OptimizerHyper,
  type ScaleOptions,
  type UploadOptions,
} from './Backend.js';
export * from './batched/index.js';
export { checkArgs } from './checkArgs.js';
export { CpuBackend, type CpuBackendOptions } from './cpu/index.js';
export { type CreateBackendOptions, createBackend } from './createBackend.js';
export { DeviceLostError } from './DeviceLostError.js';
export type { GpuContext } from './GpuContext.js';
export {
  type ColumnFunctionOptions,
  type ColumnKernel,
  type CpuPathReport,
  columnFunctionCpu,
  compileColumnFunction,
  createGpuJsBackend,
  GpuJsBackend,
  type GpuJsBackendOptions,
  type GpuJsMode,
  installNavigatorGpu,
  measureCpuPaths,
} from './gpujs/index.js';
export { OPTIMIZER_KINDS, type OptimizerKind } from './OPTIMIZER_KINDS.js';
export { OutOfMemoryError } from './OutOfMemoryError.js';
export type { DType, Tensor, TypedData } from './Tensor.js';
export { createWebGpuBackend, isSoftwareAdapter, WebGpuBackend, type WebGpuBackendOptions } from './webgpu/index.js';

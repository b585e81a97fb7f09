export type { Tensor, DType, TypedData, BackendName } from './Tensor.js';
export { OPTIMIZER_STATE, type Backend, type Activation, type LossKind, type OptimizerKind, type OptimizerHyper, type GemmOptions, type ScaleOptions } from './Backend.js';
export type { GpuContext } from './GpuContext.js';

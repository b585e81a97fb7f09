export { BatchedLinear, type BatchedLinearState } from './BatchedLinear.js';
export { BatchedLinearGpu, type GpuMemory } from './BatchedLinearGpu.js';
export { resolveBatchedLinearOptions, type BatchedLinearOptions, type BatchedLoss, type ModelHyper, type ResolvedBatchedLinear } from './resolveBatchedLinearOptions.js';

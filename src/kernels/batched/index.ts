export { BatchedLinear, type BatchedLinearState } from './BatchedLinear.js';
export { BatchedLinearGpu, type GpuMemory } from './BatchedLinearGpu.js';
export {
  type BatchedLinearOptions,
  type BatchedLoss,
  type ModelHyper,
  type ResolvedBatchedLinear,
  resolveBatchedLinearOptions,
} from './resolveBatchedLinearOptions.js';

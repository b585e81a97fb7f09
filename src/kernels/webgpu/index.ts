export { BufferPool } from './BufferPool.js';
export { createWebGpuBackend, type WebGpuBackendOptions } from './createWebGpuBackend.js';
export { dawnInstance } from './dawnInstance.js';
export { describeAdapter } from './describeAdapter.js';
export { isSoftwareAdapter } from './isSoftwareAdapter.js';
export { WebGpuBackend } from './WebGpuBackend.js';
export { WebGpuContext } from './WebGpuContext.js';
export { WebGpuTensor } from './WebGpuTensor.js';

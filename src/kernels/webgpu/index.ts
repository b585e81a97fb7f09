export { WebGpuBackend } from './WebGpuBackend.js';
export { WebGpuContext } from './WebGpuContext.js';
export { WebGpuTensor } from './WebGpuTensor.js';
export { createWebGpuBackend, type WebGpuBackendOptions } from './createWebGpuBackend.js';
export { isSoftwareAdapter } from './isSoftwareAdapter.js';
export { describeAdapter } from './describeAdapter.js';
export { BufferPool } from './BufferPool.js';
export { dawnInstance } from './dawnInstance.js';

import { GpuJsBackend, type GpuJsBackendOptions } from './GpuJsBackend.js';

/** Factory for createBackend('gpujs') and its `auto` measurement. */
export function createGpuJsBackend(options: GpuJsBackendOptions = {}): GpuJsBackend {
  return new GpuJsBackend(options);
}

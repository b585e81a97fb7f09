import pkg from 'gpu.js';

/** The slice of gpu.js 2.24 this folder uses, typed locally (its d.ts lacks the webasm/webgpu additions). */
export interface GpuJsKernel {
  (...args: unknown[]): unknown;
  setOutput(output: number[]): unknown;
  destroy?(removeCanvasReferences?: boolean): void;
  kernel?: { constructor: { name: string }; fallbackReason?: string | null };
}
export interface GpuJsInstance {
  createKernel(source: string | ((...args: never[]) => unknown), settings?: Record<string, unknown>): GpuJsKernel;
  addFunction(source: string, settings?: Record<string, unknown>): unknown;
  destroy(): Promise<void> | void;
}
export interface GpuJsModule {
  GPU: (new (settings?: { mode?: string }) => GpuJsInstance) & { isWebAssemblySupported?: boolean; isWebGPUAvailable(): Promise<boolean> };
  WebGPUContext: { destroy(): Promise<void> };
}

/** gpu.js, loaded once (CommonJS). */
export const gpuJs = pkg as unknown as GpuJsModule;

export { columnFunctionCpu } from './columnFunctionCpu.js';
export { type ColumnFunctionOptions, type ColumnKernel, compileColumnFunction, type GpuJsMode } from './compileColumnFunction.js';
export { createGpuJsBackend } from './createGpuJsBackend.js';
export { GpuJsBackend, type GpuJsBackendOptions } from './GpuJsBackend.js';
export { GpuJsTensor } from './GpuJsTensor.js';
export { installNavigatorGpu, type NavigatorGpuOptions } from './installNavigatorGpu.js';
export { type CpuPathReport, type MeasureCpuPathsOptions, measureCpuPaths, type PathTiming } from './measureCpuPaths.js';
export { type ParsedColumnFunction, parseColumnFunction } from './parseColumnFunction.js';

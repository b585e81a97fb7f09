export { GpuJsBackend, type GpuJsBackendOptions } from './GpuJsBackend.js';
export { GpuJsTensor } from './GpuJsTensor.js';
export { createGpuJsBackend } from './createGpuJsBackend.js';
export { compileColumnFunction, type ColumnKernel, type ColumnFunctionOptions, type GpuJsMode } from './compileColumnFunction.js';
export { columnFunctionCpu } from './columnFunctionCpu.js';
export { parseColumnFunction, type ParsedColumnFunction } from './parseColumnFunction.js';
export { installNavigatorGpu, type NavigatorGpuOptions } from './installNavigatorGpu.js';
export { measureCpuPaths, type CpuPathReport, type PathTiming, type MeasureCpuPathsOptions } from './measureCpuPaths.js';

// Public entry point: `import { fromCsv, standardize, ... } from 'sluice'`.
export * from './core/index.js';
export * from './kernels/index.js';
export * from './synth/index.js';
export * from './features/index.js';
export * from './metrics/index.js';
export * from './learn/index.js';
export * from './operators/index.js';

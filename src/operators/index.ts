// The RxJS face of sluice. Each concern keeps its own sub-folder and index.

// Loading the trees room registers the tree kinds with learn's createModel (progressive, learn, loadPipeline build them).
import '../trees/index.js';

export { type DetectDriftOptions, type DriftProgressiveReport, detectDrift } from './detectDrift.js';
export * from './learn/index.js';
export * from './saved/index.js';
export * from './sources/index.js';
export * from './synth/index.js';
export * from './transforms/index.js';

export type { Model, ModelKind, ModelState, Task } from './Model.js';
export { createModel } from './createModel.js';
export { modelFromState, type ModelFromStateOptions } from './modelFromState.js';
export { resolveModelOptions, type ModelOptions, type ResolvedModelOptions, type LearnOptimizer, type HiddenActivation, type OutputActivation } from './resolveModelOptions.js';
export { scheduledRate, type Schedule } from './scheduledRate.js';
export { GradientModel } from './GradientModel.js';
export { FtrlModel } from './FtrlModel.js';
export { PassiveAggressiveModel } from './PassiveAggressiveModel.js';
export { DivergenceWatch, type DivergenceWatchOptions, type DivergenceWatchState } from './DivergenceWatch.js';

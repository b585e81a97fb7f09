/**
 * The evaluation engines, with no RxJS: test-then-train (ProgressiveEvaluator, with label delay
 * through HeldPredictions), holdout and prequential k-fold, the shuffle buffer that replays epochs,
 * and the model-source helpers the operators share. The operators in operators/learn wrap these.
 */

export { checkModelSource } from './checkModelSource.js';
export { HeldPredictions, type Matured } from './HeldPredictions.js';
export { HoldoutEvaluator, type HoldoutOptions, type HoldoutReport, type HoldoutScores } from './HoldoutEvaluator.js';
export { isModel } from './isModel.js';
export { KFoldEvaluator, type KFoldReport, type PrequentialKFoldOptions } from './KFoldEvaluator.js';
export { labeledRows } from './labeledRows.js';
export type { ModelSource } from './ModelSource.js';
export { type LabelDelay, ProgressiveEvaluator, type ProgressiveOptions, type ProgressiveReport, type ProgressiveState } from './ProgressiveEvaluator.js';
export { predictionsOf } from './predictionsOf.js';
export { resolveModel } from './resolveModel.js';
export { type EpochChunk, ShuffleBuffer, type ShuffleBufferState } from './ShuffleBuffer.js';
export { takeRows } from './takeRows.js';

/**
 * The evaluation engines, with no RxJS: test-then-train (ProgressiveEvaluator, with label delay
 * through HeldPredictions), holdout and prequential k-fold, the shuffle buffer that replays epochs,
 * and the model-source helpers the operators share. The operators in operators/learn wrap these.
 */
export type { ModelSource } from './ModelSource.js';
export { checkModelSource } from './checkModelSource.js';
export { resolveModel } from './resolveModel.js';
export { isModel } from './isModel.js';
export { takeRows } from './takeRows.js';
export { labeledRows } from './labeledRows.js';
export { predictionsOf } from './predictionsOf.js';
export { ShuffleBuffer, type ShuffleBufferState, type EpochChunk } from './ShuffleBuffer.js';
export { ProgressiveEvaluator, type ProgressiveOptions, type ProgressiveReport, type ProgressiveState, type LabelDelay } from './ProgressiveEvaluator.js';
export { HeldPredictions, type Matured } from './HeldPredictions.js';
export { HoldoutEvaluator, type HoldoutOptions, type HoldoutReport, type HoldoutScores } from './HoldoutEvaluator.js';
export { KFoldEvaluator, type PrequentialKFoldOptions, type KFoldReport } from './KFoldEvaluator.js';

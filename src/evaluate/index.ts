/**
 * The evaluation engines, with no RxJS: the one test-then-train engine (TestThenTrain, with label
 * delay through HeldPredictions) and ProgressiveEvaluator over it, the held-out sample scored by a
 * final model (HeldOutSample), holdout and prequential k-fold, the shuffle buffer that replays
 * epochs, and the model-source helpers the operators share. The operators in operators/learn and
 * the CLI wrap these.
 */

export { checkModelSource } from './checkModelSource.js';
export { HeldOutSample, type HeldOutSampleState } from './HeldOutSample.js';
export { HeldPredictions, type Matured } from './HeldPredictions.js';
export { HoldoutEvaluator, type HoldoutOptions, type HoldoutReport, type HoldoutScores } from './HoldoutEvaluator.js';
export { isModel } from './isModel.js';
export { KFoldEvaluator, type KFoldReport, type PrequentialKFoldOptions } from './KFoldEvaluator.js';
export { labeledRows } from './labeledRows.js';
export type { ModelSource } from './ModelSource.js';
export { ProgressiveEvaluator, type ProgressiveOptions, type ProgressiveReport, type ProgressiveState } from './ProgressiveEvaluator.js';
export { predictionsOf } from './predictionsOf.js';
export { resolveModel } from './resolveModel.js';
export { rowView } from './rowView.js';
export { type EpochChunk, ShuffleBuffer, type ShuffleBufferState } from './ShuffleBuffer.js';
export {
  type ChunkHook,
  type LabelDelay,
  type ScoredChunk,
  type ScoredHook,
  TestThenTrain,
  type TestThenTrainOptions,
  type TestThenTrainState,
} from './TestThenTrain.js';
export { takeRows } from './takeRows.js';

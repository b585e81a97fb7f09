// Training and continuous evaluation: the operators and the pure objects under them.
export type { ModelSource } from './ModelSource.js';
export { learn, type LearnOptions, type LearnProgress } from './learn.js';
export { ShuffleBuffer, type ShuffleBufferState, type EpochChunk } from './ShuffleBuffer.js';
export { progressive, type ProgressiveOperatorOptions } from './progressive.js';
export { ProgressiveEvaluator, type ProgressiveOptions, type ProgressiveReport, type ProgressiveState, type LabelDelay } from './ProgressiveEvaluator.js';
export { HeldPredictions, type Matured } from './HeldPredictions.js';
export { holdout, type HoldoutOperatorOptions } from './holdout.js';
export { HoldoutEvaluator, type HoldoutOptions, type HoldoutReport, type HoldoutScores } from './HoldoutEvaluator.js';
export { evaluate, type EvaluateOptions, type EvaluationReport } from './evaluate.js';
export { prequentialKFold, type PrequentialKFoldOperatorOptions } from './prequentialKFold.js';
export { KFoldEvaluator, type PrequentialKFoldOptions, type KFoldReport } from './KFoldEvaluator.js';
export { takeRows } from './takeRows.js';

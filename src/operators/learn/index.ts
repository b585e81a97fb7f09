// Training and continuous evaluation operators; the engines under them are in src/evaluate.

export { type EvaluateOptions, type EvaluationReport, evaluate } from './evaluate.js';
export { type HoldoutOperatorOptions, holdout } from './holdout.js';
export { type LearnOptions, type LearnProgress, learn } from './learn.js';
export { type PrequentialKFoldOperatorOptions, prequentialKFold } from './prequentialKFold.js';
export { type ProgressiveOperatorOptions, progressive } from './progressive.js';

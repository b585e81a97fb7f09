// Training and continuous evaluation operators; the engines under them are in src/evaluate.
export { learn, type LearnOptions, type LearnProgress } from './learn.js';
export { progressive, type ProgressiveOperatorOptions } from './progressive.js';
export { holdout, type HoldoutOperatorOptions } from './holdout.js';
export { evaluate, type EvaluateOptions, type EvaluationReport } from './evaluate.js';
export { prequentialKFold, type PrequentialKFoldOperatorOptions } from './prequentialKFold.js';

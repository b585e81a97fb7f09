/**
 * Every kind createModel builds. The spec's `model` variants and `sluice train --model` take
 * exactly these.
 */
export const MODEL_KINDS = ['linear', 'logistic', 'softmax', 'svm', 'passiveAggressive', 'mlp'] as const;

export type ModelKind = (typeof MODEL_KINDS)[number];

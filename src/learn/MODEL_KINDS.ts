/** The tree kinds: built by the trees room (src/trees), which registers them in MODEL_BUILDERS. */
export const TREE_KINDS = ['hoeffding', 'hat', 'arf', 'forest'] as const;

/**
 * Every kind createModel builds. The spec's `model` variants and `sluice train --model` take
 * exactly these.
 */
export const MODEL_KINDS = ['linear', 'logistic', 'softmax', 'svm', 'passiveAggressive', 'mlp', ...TREE_KINDS] as const;

export type ModelKind = (typeof MODEL_KINDS)[number];
export type TreeKind = (typeof TREE_KINDS)[number];

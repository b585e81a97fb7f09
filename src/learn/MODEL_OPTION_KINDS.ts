import type { ModelKind } from './MODEL_KINDS.js';

const GRADIENT: readonly ModelKind[] = ['linear', 'logistic', 'softmax', 'svm', 'mlp'];
/** The Hoeffding trees, alone (hoeffding), adaptive (hat) or as the members of an Adaptive Random Forest. */
const HOEFFDING: readonly ModelKind[] = ['hoeffding', 'hat', 'arf'];
const FORESTS: readonly ModelKind[] = ['arf', 'forest'];
const TREES: readonly ModelKind[] = [...HOEFFDING, 'forest'];

/**
 * The options that only some kinds take, with those kinds; every option not listed applies to
 * every kind. resolveModelOptions refuses a listed option given to another kind (an option a
 * model would ignore is refused, not dropped), and the spec checks `model.<kind>` against the
 * same table. Passive-aggressive updates in closed form: no optimizer, rate, schedule or penalty.
 */
export const MODEL_OPTION_KINDS: Readonly<Record<string, readonly ModelKind[]>> = {
  hidden: ['mlp'],
  activation: ['mlp'],
  output: ['mlp'],
  init: ['mlp'],
  variant: ['passiveAggressive'],
  C: ['passiveAggressive'],
  epsilon: ['passiveAggressive'],
  optimizer: GRADIENT,
  lr: GRADIENT,
  schedule: GRADIENT,
  momentum: GRADIENT,
  beta1: GRADIENT,
  beta2: GRADIENT,
  rho: GRADIENT,
  eps: GRADIENT,
  ftrlBeta: GRADIENT,
  l1: GRADIENT,
  l2: GRADIENT,
  elasticNet: GRADIENT,
  clip: GRADIENT,
  targetScale: ['linear', 'passiveAggressive'],
  trees: FORESTS,
  maxFeatures: FORESTS,
  criterion: TREES,
  maxDepth: TREES,
  gracePeriod: HOEFFDING,
  delta: HOEFFDING,
  tau: HOEFFDING,
  leaf: HOEFFDING,
  maxLeaves: HOEFFDING,
  adwinDelta: ['hat'],
  lambda: ['arf'],
  warningDelta: ['arf'],
  driftDelta: ['arf'],
  weightedVote: ['arf'],
  workers: ['arf'],
  bins: ['forest'],
  minSamplesSplit: ['forest'],
  minSamplesLeaf: ['forest'],
  bootstrap: ['forest'],
  maxRows: ['forest'],
};

import { OptionReader, SpecError } from '../core/index.js';

/** Options both Adaptive Random Forests take. */
export interface ArfCommonOptions {
  /** Features of a row (the FeatureMatrix's columns). */
  inputs: number;
  /** Trees in the forest (default 10, as MOA and River). */
  trees?: number;
  /** Features each new leaf draws at random (ARF's random subspace); 0 = all. Default floor(sqrt(M)) + 1 (Gomes et al. 2017). */
  maxFeatures?: number;
  /** λ of the Poisson weight of online bagging (default 6, as MOA and River: leveraging bagging's value). */
  lambda?: number;
  /** Hoeffding tree grace period (default 50, as ARF in MOA and River). */
  gracePeriod?: number;
  /** Hoeffding tree split confidence (default 0.01, as ARF in MOA and River). */
  delta?: number;
  /** Hoeffding tree tie threshold (default 0.05). */
  tau?: number;
  /** The trees' leaf predictor: 'majority' | 'naiveBayes' | 'adaptive' (classes), 'mean' | 'linear' | 'adaptive' (regression); default 'adaptive' (ARF's NBAdaptive, River's adaptive). */
  leaf?: string;
  /** Classifier: the trees' split criterion, 'infoGain' (default, as MOA and River) or 'gini'. */
  criterion?: 'infoGain' | 'gini';
  /** Deepest level a tree may split to; 0 = unlimited (default). */
  maxDepth?: number;
  /** Most leaves a tree keeps learning (its memory limit); 0 = unlimited (default). */
  maxLeaves?: number;
  /** ADWIN δ of each tree's warning detector (default 0.01). */
  warningDelta?: number;
  /** ADWIN δ of each tree's drift detector (default 0.001). */
  driftDelta?: number;
  /** Weight each tree's vote by its test-then-train performance (classifier default true, as MOA; regressor default false, as River). */
  weightedVote?: boolean;
  /** Seed of the per-tree random streams (default 1). */
  seed?: number;
  /** Worker threads for testThenTrainParallel (default 0: serial). */
  workers?: number;
}

/** The resolved options of a forest, as a plain object (saved in its state, and what a worker receives). */
export interface ArfConfig {
  kind: 'classifier' | 'regressor';
  inputs: number;
  /** Classes (classifier) or 1 (regressor: one output). */
  classes: number;
  trees: number;
  /** Resolved: 0 = all features. */
  maxFeatures: number;
  lambda: number;
  gracePeriod: number;
  delta: number;
  tau: number;
  leaf: string;
  /** Classifier: 'infoGain' or 'gini' (regressor: 'infoGain', unused). */
  criterion: 'infoGain' | 'gini';
  maxDepth: number;
  maxLeaves: number;
  warningDelta: number;
  driftDelta: number;
  weightedVote: boolean;
  /** Regressor: how the trees' predictions combine. */
  aggregation: 'mean' | 'median';
  seed: number;
  workers: number;
}

/** Reads and checks a forest's options; a bad or unknown one throws SpecError naming `path.key`. */
export function arfConfig(path: string, options: object, kind: 'classifier' | 'regressor'): ArfConfig {
  const o = new OptionReader(path, options as Record<string, unknown>);
  if ((options as { inputs?: unknown }).inputs === undefined) throw new SpecError(`${path}.inputs`, 'required: the number of features');
  const inputs = o.int('inputs', 1, 1, 1 << 30);
  const classes = kind === 'classifier' ? o.int('classes', 2, 2, 1 << 16) : 1;
  if (kind === 'classifier' && (options as { classes?: unknown }).classes === undefined)
    throw new SpecError(`${path}.classes`, 'required: the number of classes');
  const trees = o.int('trees', 10, 1, 1024);
  let maxFeatures = o.int('maxFeatures', Math.floor(Math.sqrt(inputs)) + 1, 0, 1 << 30);
  // As many as there are features: every leaf sees all of them (the trees' 0).
  if (maxFeatures >= inputs) maxFeatures = 0;
  const c: ArfConfig = {
    kind,
    inputs,
    classes,
    trees,
    maxFeatures,
    lambda: o.number('lambda', 6, 0, 100, '(]'),
    gracePeriod: o.int('gracePeriod', 50, 1),
    delta: o.number('delta', 0.01, 0, 1, '()'),
    tau: o.number('tau', 0.05, 0, 1, '[]'),
    leaf: o.oneOf('leaf', 'adaptive', kind === 'classifier' ? (['majority', 'naiveBayes', 'adaptive'] as const) : (['mean', 'linear', 'adaptive'] as const)),
    criterion: kind === 'classifier' ? o.oneOf('criterion', 'infoGain', ['infoGain', 'gini'] as const) : 'infoGain',
    maxDepth: o.int('maxDepth', 0, 0, 1 << 16),
    maxLeaves: o.int('maxLeaves', 0, 0),
    warningDelta: o.number('warningDelta', 0.01, 0, 1, '()'),
    driftDelta: o.number('driftDelta', 0.001, 0, 1, '()'),
    weightedVote: o.bool('weightedVote', kind === 'classifier'),
    aggregation: kind === 'regressor' ? o.oneOf('aggregation', 'mean', ['mean', 'median'] as const) : 'mean',
    seed: o.seed('seed', 1),
    workers: o.int('workers', 0, 0, 64),
  };
  o.done();
  return c;
}

import { SpecError } from '../core/index.js';
import type { TreeKind } from './MODEL_KINDS.js';
import type { Task } from './Model.js';

/** The options of the tree kinds (src/trees), as given: each tree class fills its own defaults. */
export interface TreeOptions {
  /** Members of the forest (arf: default 10; forest: default 100). */
  trees?: number;
  /** Features drawn per leaf (arf: default floor(√M) + 1) or per split (forest: default √M for classes, M for regression). */
  maxFeatures?: number;
  /** `gini` or `entropy` (information gain); default entropy for the Hoeffding trees, gini for the forest. Classification only. */
  criterion?: 'gini' | 'entropy';
  /** 0 = unlimited (default). */
  maxDepth?: number;
  /** Rows a leaf sees between split attempts (default 200; arf 50). */
  gracePeriod?: number;
  /** Split confidence δ of the Hoeffding bound (default 1e-7; arf 0.01). */
  delta?: number;
  /** Tie threshold τ (default 0.05). */
  tau?: number;
  /** Leaf prediction: majority, naiveBayes or adaptive (classes); mean, linear or adaptive (regression). Default adaptive. */
  leaf?: 'majority' | 'naiveBayes' | 'adaptive' | 'mean' | 'linear';
  /** Active leaves kept learning (memory limit); 0 = unlimited (default). */
  maxLeaves?: number;
  /** hat: ADWIN's δ at each node. */
  adwinDelta?: number;
  /** arf: Poisson λ of online bagging (default 6). */
  lambda?: number;
  /** arf: ADWIN δ of the per-tree warning (default 0.01) and drift (default 0.001) detectors. */
  warningDelta?: number;
  driftDelta?: number;
  /** arf: votes weighted by each tree's test-then-train accuracy (default true). */
  weightedVote?: boolean;
  /** arf: worker threads the trees are spread over (default 0: the calling thread). */
  workers?: number;
  /** forest: histogram bins per feature (default 1024). */
  bins?: number;
  /** forest: scikit-learn's min_samples_split (default 2) and min_samples_leaf (default 1). */
  minSamplesSplit?: number;
  minSamplesLeaf?: number;
  /** forest: each tree learns a bootstrap sample (default true). */
  bootstrap?: boolean;
  /** forest: rows kept to fit on (default 1,000,000; beyond, a seeded reservoir sample). */
  maxRows?: number;
}

export const TREE_OPTION_KEYS = [
  'trees',
  'maxFeatures',
  'criterion',
  'maxDepth',
  'gracePeriod',
  'delta',
  'tau',
  'leaf',
  'maxLeaves',
  'adwinDelta',
  'lambda',
  'warningDelta',
  'driftDelta',
  'weightedVote',
  'workers',
  'bins',
  'minSamplesSplit',
  'minSamplesLeaf',
  'bootstrap',
  'maxRows',
] as const;

const INT: Record<string, number> = {
  trees: 1,
  maxFeatures: 1,
  maxDepth: 0,
  gracePeriod: 1,
  maxLeaves: 0,
  workers: 0,
  bins: 2,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  maxRows: 1,
};
const UNIT: readonly string[] = ['delta', 'adwinDelta', 'warningDelta', 'driftDelta'];

/**
 * Checks the tree options given (which kinds take which is MODEL_OPTION_KINDS' business) and
 * returns them as given: the tree classes fill their defaults, and record them in their state.
 */
export function resolveTreeOptions(kind: TreeKind, task: Task, o: Record<string, unknown>): TreeOptions {
  const out: Record<string, unknown> = {};
  for (const k of TREE_OPTION_KEYS) {
    const v = o[k];
    if (v === undefined) continue;
    if (k in INT) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < INT[k]! || v > 2 ** 31 - 1)
        throw new SpecError(k, `must be an integer ≥ ${INT[k]}, got ${JSON.stringify(v)}`);
      if (k === 'bins' && v > 65536) throw new SpecError(k, `must be at most 65536, got ${v}`);
    } else if (UNIT.includes(k)) {
      if (typeof v !== 'number' || !(v > 0 && v < 1)) throw new SpecError(k, `must be in (0, 1), got ${JSON.stringify(v)}`);
    } else if (k === 'tau' || k === 'lambda') {
      if (typeof v !== 'number' || !Number.isFinite(v) || !(k === 'tau' ? v >= 0 : v > 0))
        throw new SpecError(k, `must be ${k === 'tau' ? 'non-negative' : 'positive'}, got ${JSON.stringify(v)}`);
    } else if (k === 'weightedVote' || k === 'bootstrap') {
      if (typeof v !== 'boolean') throw new SpecError(k, `must be true or false, got ${JSON.stringify(v)}`);
    } else if (k === 'criterion') {
      if (task === 'regression') throw new SpecError(k, `applies to classification: a regression ${kind} splits on variance reduction`);
      if (v !== 'gini' && v !== 'entropy') throw new SpecError(k, `must be gini or entropy, got ${JSON.stringify(v)}`);
    } else if (k === 'leaf') {
      const allowed = task === 'regression' ? ['mean', 'linear', 'adaptive'] : ['majority', 'naiveBayes', 'adaptive'];
      if (!allowed.includes(v as string))
        throw new SpecError(
          k,
          `must be one of ${allowed.join(', ')} for a ${task === 'regression' ? 'regression' : 'classification'} tree, got ${JSON.stringify(v)}`,
        );
    }
    out[k] = v;
  }
  return out as TreeOptions;
}

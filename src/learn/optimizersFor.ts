import { OPTIMIZER_KINDS } from '../kernels/index.js';
import { LEARN_OPTIMIZERS, type LearnOptimizer } from './LEARN_OPTIMIZERS.js';
import type { ModelKind } from './MODEL_KINDS.js';

/**
 * The optimizers a kind takes. FTRL's closed-form per-coordinate update is for one-output linear
 * models (linear, logistic); passive-aggressive updates in closed form and takes none.
 */
export function optimizersFor(kind: ModelKind): readonly LearnOptimizer[] {
  if (kind === 'passiveAggressive') return [];
  return kind === 'linear' || kind === 'logistic' ? LEARN_OPTIMIZERS : OPTIMIZER_KINDS;
}

import { OPTIMIZER_KINDS } from '../kernels/index.js';
import { LEARN_OPTIMIZERS, type LearnOptimizer } from './LEARN_OPTIMIZERS.js';
import type { ModelKind } from './MODEL_KINDS.js';

/**
 * The optimizers a kind takes. The host's per-coordinate optimizers (ftrl, normalized) are for the
 * linear kinds; an MLP takes the device optimizers; passive-aggressive updates in closed form and
 * takes none.
 */
export function optimizersFor(kind: ModelKind): readonly LearnOptimizer[] {
  if (kind === 'passiveAggressive') return [];
  return kind === 'mlp' ? OPTIMIZER_KINDS : LEARN_OPTIMIZERS;
}

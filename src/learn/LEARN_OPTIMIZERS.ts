import { OPTIMIZER_KINDS } from '../kernels/index.js';

/**
 * The `optimizer` a model takes: the backends' device optimizers, FTRL-Proximal, and `normalized`
 * (adaptive, normalized, importance-weight aware: the linear kinds' default, no rate to tune; see
 * docs/learn.md). The last two keep per-coordinate state on the host and update in O(non-zeros)
 * per row (linear kinds only: see optimizersFor).
 */
export const LEARN_OPTIMIZERS = [...OPTIMIZER_KINDS, 'ftrl', 'normalized'] as const;

export type LearnOptimizer = (typeof LEARN_OPTIMIZERS)[number];

import { OPTIMIZER_KINDS } from '../kernels/index.js';

/**
 * The `optimizer` a model takes: the backends' device optimizers, and FTRL-Proximal, which keeps
 * per-coordinate state on the host (linear and logistic models only: see optimizersFor).
 */
export const LEARN_OPTIMIZERS = [...OPTIMIZER_KINDS, 'ftrl'] as const;

export type LearnOptimizer = (typeof LEARN_OPTIMIZERS)[number];

import type { Model } from '../../learn/index.js';

/**
 * A model for an operator: an instance (shared; the caller disposes it) or a factory called once
 * per subscription (the operator owns that model and disposes it at teardown).
 */
export type ModelSource = Model | (() => Model | Promise<Model>);

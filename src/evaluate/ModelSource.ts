import type { Model, ModelOptions } from '../learn/index.js';

/**
 * A model for an operator: an instance (shared; the caller disposes it), model options (a model is
 * built with createModel per subscription) or a factory called once per subscription. The operator
 * owns and disposes at teardown the models it built or got from a factory.
 */
export type ModelSource = Model | ModelOptions | (() => Model | Promise<Model>);

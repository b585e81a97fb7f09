import { buildModel } from './buildModel.js';
import type { Model } from './Model.js';
import { type ModelOptions, resolveModelOptions } from './resolveModelOptions.js';

/**
 * A model from options (see ModelOptions), checked up front: a bad option throws SpecError
 * naming its key. Example: `createModel({ kind: 'logistic', optimizer: 'adam', lr: 0.01, batchSize: 256, backend: 'auto' })`.
 */
export async function createModel(options: ModelOptions): Promise<Model> {
  const o = resolveModelOptions(options);
  return buildModel(o, options);
}

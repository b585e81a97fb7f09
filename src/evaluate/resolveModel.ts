import { SpecError } from '../core/index.js';
import { createModel, type Model, type ModelOptions } from '../learn/index.js';
import { isModel } from './isModel.js';
import type { ModelSource } from './ModelSource.js';

/**
 * The model for one subscription, and whether the operator made it (and so must dispose it).
 * Checked again here because a factory's result is only known at subscription.
 */
export async function resolveModel(source: ModelSource, path: string): Promise<{ model: Model; owned: boolean }> {
  if (typeof source === 'function') {
    const model = await source();
    if (!isModel(model)) throw new SpecError(path, 'the model factory did not return a Model (predict/learn/dispose)');
    return { model, owned: true };
  }
  if (isModel(source)) return { model: source, owned: false };
  return { model: await createModel(source as ModelOptions), owned: true };
}

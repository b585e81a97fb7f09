import { SpecError } from '../core/index.js';
import { createBackend } from '../kernels/index.js';
import { GradientModel } from './GradientModel.js';
import { LinearModel } from './LinearModel.js';
import { MODEL_BUILDERS } from './MODEL_BUILDERS.js';
import { TREE_KINDS, type TreeKind } from './MODEL_KINDS.js';
import type { Model } from './Model.js';
import type { ModelOptions, ResolvedModelOptions } from './resolveModelOptions.js';
import { SparseLinearModel } from './SparseLinearModel.js';

/** Builds the model for resolved options on the backend they name (or the `device` given). */
export async function buildModel(o: ResolvedModelOptions, extra: Pick<ModelOptions, 'device' | 'backendOptions'> = {}): Promise<Model> {
  if ((TREE_KINDS as readonly string[]).includes(o.kind)) {
    const build = MODEL_BUILDERS.get(o.kind as TreeKind);
    if (!build) throw new SpecError('model', `${o.kind} models live in sluice's trees module: import 'sluice' (or src/trees/index.js) before building one`);
    return build(o);
  }
  // normalized, FTRL and passive-aggressive: per-coordinate state on the host, O(non-zeros) per row.
  if (SparseLinearModel.fits(o)) return new SparseLinearModel(o);
  const backend = extra.device ?? (await createBackend(o.backend, extra.backendOptions));
  // A one-output linear model on a backend whose wrap shares memory (the cpu): one loop per mini-batch.
  if (LinearModel.fits(o, backend)) return new LinearModel(o, backend, !extra.device);
  return new GradientModel(o, backend, !extra.device);
}

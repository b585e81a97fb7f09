import { createBackend } from '../kernels/index.js';
import { FtrlModel } from './FtrlModel.js';
import { GradientModel } from './GradientModel.js';
import { LinearModel } from './LinearModel.js';
import type { Model } from './Model.js';
import { PassiveAggressiveModel } from './PassiveAggressiveModel.js';
import type { ModelOptions, ResolvedModelOptions } from './resolveModelOptions.js';

/** Builds the model for resolved options on the backend they name (or the `device` given). */
export async function buildModel(o: ResolvedModelOptions, extra: Pick<ModelOptions, 'device' | 'backendOptions'> = {}): Promise<Model> {
  // FTRL and passive-aggressive keep per-coordinate / per-row closed-form state on the host.
  if (o.optimizer === 'ftrl') return new FtrlModel(o);
  if (o.kind === 'passiveAggressive') return new PassiveAggressiveModel(o);
  const backend = extra.device ?? (await createBackend(o.backend, extra.backendOptions));
  // A one-output linear model on a backend whose wrap shares memory (the cpu): one loop per mini-batch.
  if (LinearModel.fits(o, backend)) return new LinearModel(o, backend, !extra.device);
  return new GradientModel(o, backend, !extra.device);
}

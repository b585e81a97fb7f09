import { SpecError } from '../core/index.js';
import type { Backend, BackendChoice, CreateBackendOptions } from '../kernels/index.js';
import { buildModel } from './buildModel.js';
import type { ModelKind } from './MODEL_KINDS.js';
import { MODEL_OPTION_KINDS } from './MODEL_OPTION_KINDS.js';
import type { Model, ModelState } from './Model.js';
import { type ModelOptions, resolveModelOptions } from './resolveModelOptions.js';

export interface ModelFromStateOptions {
  /** Run the restored model here instead of the backend it was trained on. */
  backend?: BackendChoice;
  backendOptions?: CreateBackendOptions;
  device?: Backend;
}

/** Rebuilds a model from `state()` (the pipeline artifact), on any backend; same predictions. */
export async function modelFromState(state: ModelState, options: ModelFromStateOptions = {}): Promise<Model> {
  if (!state || typeof state !== 'object' || !state.options) throw new SpecError('model', 'not a model state (no options)');
  // The recorded options are resolved ones: re-resolving checks them and fills anything newer.
  const { outputs: _o, tree, ...recorded } = state.options as Record<string, unknown>;
  // The tree kinds record their options as given under `tree` (their classes record the defaults).
  if (tree && typeof tree === 'object') Object.assign(recorded, tree);
  const known = Object.fromEntries(Object.entries(recorded).filter(([, v]) => v !== null));
  // Resolved options carry every key; drop those the kind does not take before re-checking.
  const drop = [
    ...Object.entries(MODEL_OPTION_KINDS)
      .filter(([, kinds]) => !kinds.includes(known.kind as ModelKind))
      .map(([k]) => k),
    ...(known.task === 'regression' ? ['classes'] : []),
    ...(known.clip === 0 ? ['clip'] : []),
  ];
  for (const k of drop) delete known[k];
  if (state.inputs) known.inputs = state.inputs;
  if (options.backend) known.backend = options.backend;
  const o = resolveModelOptions(known as unknown as ModelOptions);
  const model = await buildModel(o, options);
  model.load(state);
  return model;
}

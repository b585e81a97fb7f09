import type { TreeKind } from './MODEL_KINDS.js';
import type { Model } from './Model.js';
import type { ResolvedModelOptions } from './resolveModelOptions.js';

/**
 * Builders of the kinds that live above learn: the tree kinds sit in src/trees (they take ADWIN
 * from drift, which learn may not import), and src/trees/index.ts registers them here when it is
 * loaded (the package entry and the operators load it). The model starts untrained; `load` puts
 * a state back.
 */
export const MODEL_BUILDERS = new Map<TreeKind, (o: ResolvedModelOptions) => Model>();

import { MODEL_BUILDERS, TREE_KINDS } from '../learn/index.js';
import { TreeModel } from './TreeModel.js';

/** Lets learn's createModel and modelFromState build the tree kinds (learn may not import this room). Idempotent. */
export function registerTreeModels(): void {
  for (const kind of TREE_KINDS) MODEL_BUILDERS.set(kind, (o) => new TreeModel(o));
}

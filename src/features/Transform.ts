import type { Batch } from '../core/index.js';

/** Serialized form of any transform: enough for `transformFromJSON` to rebuild it. */
export interface TransformState<S = unknown> {
  kind: string;
  state: S;
}

/**
 * A preprocessing step as a plain stateful object. `learn` updates state from the training rows
 * of a batch only (see `trainMask`); `apply` maps any batch with the current state and never
 * changes it. The operator wrapper calls learn then apply on each batch; a frozen pipeline
 * (serving, validation) only applies. Stateless steps implement `learn` as a no-op.
 */
export interface Transform<S = unknown> {
  /** Registry key (`impute`, `standardize`, `oneHot`, ...). */
  readonly kind: string;
  learn(batch: Batch): void;
  apply(batch: Batch): Batch;
  toJSON(): TransformState<S>;
}

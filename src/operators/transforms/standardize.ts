import type { OperatorFunction } from 'rxjs';
import type { Batch } from '../../core/index.js';
import { type ScaleOperatorOptions, scale } from './scale.js';

/** Standard scaling, (x - mean) / std, with moments learned from training rows only. */
export function standardize(columns: readonly string[], options: Omit<ScaleOperatorOptions, 'method'> = {}): OperatorFunction<Batch, Batch> {
  return scale(columns, { ...options, method: 'standard' });
}

import { map, type OperatorFunction } from 'rxjs';
import type { Batch } from '../../core/index.js';
import { KFold } from '../../features/index.js';

/** Adds the `__fold` column (0..k-1) from a seeded hash of the key or row id. */
export function kfold(k: number, options: { key?: string; seed?: number } = {}): OperatorFunction<Batch, Batch> {
  const t = new KFold(k, options);
  return map((b) => t.apply(b));
}

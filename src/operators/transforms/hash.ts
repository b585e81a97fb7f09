import { map, type OperatorFunction } from 'rxjs';
import type { Batch } from '../../core/index.js';
import { FeatureHasher, type FeatureHasherOptions } from '../../features/index.js';

/** Signed MurmurHash3 feature hashing of columns into one 2^bits-wide vector column (stateless). */
export function hash(columns: readonly string[], options: FeatureHasherOptions = {}): OperatorFunction<Batch, Batch> {
  const t = new FeatureHasher(columns, options);
  return map((b) => t.apply(b));
}

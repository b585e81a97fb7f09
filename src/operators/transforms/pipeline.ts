import { map, type OperatorFunction } from 'rxjs';
import type { Batch, FeatureMatrix } from '../../core/index.js';
import type { Pipeline } from '../../features/index.js';

/**
 * Runs a Pipeline on each batch: learn and apply, or apply only once the pipeline is frozen.
 * The pipeline object keeps the state, so the caller saves it with `p.toJSON()` afterwards.
 * Emits FeatureMatrix when the pipeline ends with vectorize, Batch otherwise.
 */
export function pipeline(p: Pipeline): OperatorFunction<Batch, Batch | FeatureMatrix> {
  return map((batch) => p.step(batch));
}

import { defer, map, type OperatorFunction } from 'rxjs';
import type { Batch } from '../../core/index.js';
import { VarianceThreshold, type VarianceThresholdOptions } from '../../features/index.js';

/** Drops numeric columns whose online variance (training rows) is at or below the threshold. */
export function varianceThreshold(columns: readonly string[], options: VarianceThresholdOptions = {}): OperatorFunction<Batch, Batch> {
  new VarianceThreshold(columns, options);
  return (source) =>
    defer(() => {
      const t = new VarianceThreshold(columns, options);
      return source.pipe(
        map((b) => {
          t.learn(b);
          return t.apply(b);
        }),
      );
    });
}

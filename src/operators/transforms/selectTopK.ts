import { defer, map, type OperatorFunction } from 'rxjs';
import type { Batch } from '../../core/index.js';
import { TopKCorrelation, type TopKCorrelationOptions } from '../../features/index.js';

/** Keeps the k columns most correlated (|Pearson r|, online, training rows) with the target. */
export function selectTopK(columns: readonly string[], options: TopKCorrelationOptions): OperatorFunction<Batch, Batch> {
  new TopKCorrelation(columns, options);
  return (source) =>
    defer(() => {
      const t = new TopKCorrelation(columns, options);
      return source.pipe(
        map((b) => {
          t.learn(b);
          return t.apply(b);
        }),
      );
    });
}

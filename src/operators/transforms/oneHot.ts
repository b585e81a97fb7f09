import { defer, map, type OperatorFunction } from 'rxjs';
import type { Batch } from '../../core/index.js';
import { OneHot, type OneHotOptions } from '../../features/index.js';

/** One-hot encodes category columns into fixed-width vector columns (learns from training rows). */
export function oneHot(columns: readonly string[], options: OneHotOptions = {}): OperatorFunction<Batch, Batch> {
  new OneHot(columns, options);
  return (source) =>
    defer(() => {
      const t = new OneHot(columns, options);
      return source.pipe(
        map((b) => {
          t.learn(b);
          return t.apply(b);
        }),
      );
    });
}

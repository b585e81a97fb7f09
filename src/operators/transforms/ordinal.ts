import { defer, map, type OperatorFunction } from 'rxjs';
import type { Batch } from '../../core/index.js';
import { Ordinal, type OrdinalOptions } from '../../features/index.js';

/** Replaces category columns by integer codes in order of first appearance in training rows. */
export function ordinal(columns: readonly string[], options: OrdinalOptions = {}): OperatorFunction<Batch, Batch> {
  new Ordinal(columns, options);
  return (source) =>
    defer(() => {
      const t = new Ordinal(columns, options);
      return source.pipe(
        map((b) => {
          t.learn(b);
          return t.apply(b);
        }),
      );
    });
}

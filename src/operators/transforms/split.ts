import { defer, map, type OperatorFunction } from 'rxjs';
import type { Batch } from '../../core/index.js';
import { type SplitOptions, Splitter } from '../../features/index.js';

/** Adds the split column (0 train, 1 validation, 2 test) by a seeded hash of the key or row id. */
export function split(options: SplitOptions): OperatorFunction<Batch, Batch> {
  new Splitter(options);
  return (source) =>
    defer(() => {
      const s = new Splitter(options);
      return source.pipe(map((b) => s.apply(b)));
    });
}

import { defer, filter, map, type OperatorFunction } from 'rxjs';
import type { Batch } from '../../core/index.js';
import { Dedupe, type DedupeOptions } from '../../features/index.js';

/** Drops rows whose key was seen within the window (count or time); batches left empty are not emitted. */
export function dedupe(options: DedupeOptions): OperatorFunction<Batch, Batch> {
  new Dedupe(options);
  return (source) => defer(() => {
    const d = new Dedupe(options);
    return source.pipe(map((b) => d.process(b)), filter((b) => b.length > 0));
  });
}

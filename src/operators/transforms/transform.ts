import { Observable, type OperatorFunction } from 'rxjs';
import { type BadRowOptions, BadRows, type Batch } from '../../core/index.js';
import type { Transform } from '../../features/index.js';

export interface TransformOperatorOptions {
  /** Apply only, never learn (validation streams, serving). */
  frozen?: boolean;
  /**
   * Bad-row books for transforms that reject rows (those with a `badRows` field): one BadRows per
   * subscription, named `source`, published as an `account` event when the stream ends.
   */
  rows?: BadRowOptions & { source: string };
}

/**
 * The generic transform operator: for each batch, `learn` (unless frozen) then `apply`. Given a
 * factory, each subscription gets its own fresh transform; given an instance, its state is shared
 * (and readable by the caller afterwards, e.g. to save it). Batches emptied by skipped rows are
 * not passed on.
 */
export function transform(t: Transform | (() => Transform), options: TransformOperatorOptions = {}): OperatorFunction<Batch, Batch> {
  const make = typeof t === 'function' ? t : () => t;
  if (options.rows) new BadRows(options.rows.source, options.rows); // validates the policy now
  return (source) =>
    new Observable<Batch>((subscriber) => {
      const step = make();
      const books = options.rows ? new BadRows(options.rows.source, options.rows) : null;
      if (books && 'badRows' in step) (step as { badRows: BadRows | null }).badRows = books;
      const sub = source.subscribe({
        next(batch) {
          let out: Batch;
          try {
            if (!options.frozen) step.learn(batch);
            out = step.apply(batch);
          } catch (err) {
            subscriber.error(err);
            return;
          }
          if (out.length > 0 || batch.length === 0) subscriber.next(out);
        },
        error(err) {
          books?.close();
          subscriber.error(err);
        },
        complete() {
          books?.publish(true);
          books?.close();
          subscriber.complete();
        },
      });
      return () => {
        sub.unsubscribe();
        books?.close();
      };
    });
}

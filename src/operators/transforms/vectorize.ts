import { Observable, type OperatorFunction } from 'rxjs';
import { type BadRowOptions, BadRows, type Batch, type FeatureMatrix } from '../../core/index.js';
import { Vectorize, type VectorizeOptions } from '../../features/index.js';

export type VectorizeOperatorOptions = Omit<VectorizeOptions, 'badRows'> &
  BadRowOptions & {
    /** Apply only with the given state (serving). */
    frozen?: boolean;
    /** An existing Vectorize whose layout and classes to use and update (default: a fresh one per subscription). */
    instance?: Vectorize;
  };

/**
 * The last step: Batch → FeatureMatrix (dense, or CSR when vector slots dominate; see
 * Vectorize). Rows with a missing or non-finite feature follow `badRows` unless `missing: 'zero'`.
 */
export function vectorize(options: VectorizeOperatorOptions = {}): OperatorFunction<Batch, FeatureMatrix> {
  const { badRows, deadLetter, telemetry, frozen, instance, ...spec } = options;
  new Vectorize(spec);
  const rows: BadRowOptions = { badRows: badRows ?? 'skip', ...(deadLetter ? { deadLetter } : {}), ...(telemetry ? { telemetry } : {}) };
  new BadRows('vectorize', rows);
  return (source) =>
    new Observable<FeatureMatrix>((subscriber) => {
      const v = instance ?? new Vectorize(spec);
      const books = new BadRows('vectorize', rows);
      v.badRows = books;
      const sub = source.subscribe({
        next(batch) {
          let m: FeatureMatrix;
          try {
            if (!frozen) v.learn(batch);
            m = v.apply(batch);
          } catch (err) {
            subscriber.error(err);
            return;
          }
          m.ticket = batch.ticket;
          if (m.rows > 0 || batch.length === 0) subscriber.next(m);
        },
        error(err) {
          books.close();
          subscriber.error(err);
        },
        complete() {
          books.publish(true);
          books.close();
          subscriber.complete();
        },
      });
      return () => {
        sub.unsubscribe();
        books.close();
      };
    });
}

import { Observable, type OperatorFunction } from 'rxjs';
import { type BadRowOptions, BadRows, type Batch } from '../../core/index.js';
import { Dedupe, type DedupeOptions } from '../../features/index.js';

export interface DedupeOperatorOptions extends DedupeOptions {
  /**
   * Books for the dropped rows: counted under `duplicate`, dead-lettered, published as an `account`
   * event named `source` when the stream ends. A repeat is never an error, so the policy is skip.
   */
  rows?: Omit<BadRowOptions, 'badRows'> & { source: string };
}

/** Drops rows whose key was seen within the window (count or time); batches left empty are not emitted. */
export function dedupe(options: DedupeOperatorOptions): OperatorFunction<Batch, Batch> {
  const { rows, ...spec } = options;
  new Dedupe(spec);
  return (source) =>
    new Observable<Batch>((subscriber) => {
      const d = new Dedupe(spec);
      const books = rows ? new BadRows(rows.source, { ...rows, badRows: 'skip' }) : null;
      d.badRows = books;
      const sub = source.subscribe({
        next(b) {
          let out: Batch;
          try {
            out = d.process(b);
          } catch (err) {
            subscriber.error(err);
            return;
          }
          if (out.length > 0) subscriber.next(out);
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

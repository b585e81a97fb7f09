import { Observable, type OperatorFunction } from 'rxjs';
import type { Batch } from './Batch.js';

/**
 * Runs an async step on each batch, one at a time and in order, holding the batch's queue ticket
 * until the step finishes. That hold is what makes a slow async stage (GPU training, network
 * sinks) slow the source down instead of buffering without bound. `null` results are dropped.
 */
export function asyncMap(step: (batch: Batch) => Promise<Batch | null>): OperatorFunction<Batch, Batch> {
  return (source) => new Observable<Batch>((subscriber) => {
    let chain: Promise<void> = Promise.resolve();
    let closed = false;
    const sub = source.subscribe({
      next(batch) {
        const ticket = batch.ticket?.retain() ?? null;
        chain = chain.then(async () => {
          try {
            if (closed) return;
            const out = await step(batch);
            if (out && !closed) {
              if (out.ticket === null) out.ticket = ticket;
              subscriber.next(out);
            }
          } catch (err) {
            closed = true;
            subscriber.error(err);
          } finally {
            ticket?.release();
          }
        });
      },
      error(err) { chain.then(() => { if (!closed) { closed = true; subscriber.error(err); } }); },
      complete() { chain.then(() => { if (!closed) { closed = true; subscriber.complete(); } }); },
    });
    return () => { closed = true; sub.unsubscribe(); };
  });
}

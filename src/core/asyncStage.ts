import { Observable } from 'rxjs';
import type { Ticket } from './Ticket.js';

/** One subscription's worth of async work, made when the subscription starts. */
export interface AsyncStageHandlers<T, R> {
  /** Handles one input; returns true to end the stream early (maxRows): flush, complete, unsubscribe. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a step may return nothing (go on) or true (end early).
  step(item: T, emit: (out: R) => void): Promise<boolean | void>;
  /** After the last input (or an early end): remaining work and the final output. */
  flush?(emit: (out: R) => void): Promise<void>;
  /** Runs once, after in-flight work, on complete, error or unsubscribe: dispose owned models. */
  teardown?(): Promise<void> | void;
}

/**
 * The one place that holds queue tickets across async work: inputs handled one at a time, in
 * order, each holding its ticket (when the input carries one, as a Batch does) until its async
 * work is done, so a slow stage (GPU training, network sinks) slows the source instead of
 * buffering without bound. asyncMap and the learn/evaluate operators are built on it.
 */
export function asyncStage<T, R>(
  source: Observable<T>,
  make: () => Promise<AsyncStageHandlers<T, R>>,
  ticketOf: (item: T) => Ticket | null = duckTicket,
): Observable<R> {
  return new Observable<R>((subscriber) => {
    let closed = false,
      ended = false;
    let handlers: AsyncStageHandlers<T, R> | null = null;
    const emit = (out: R) => {
      if (!closed) subscriber.next(out);
    };
    const fail = (err: unknown) => {
      if (!closed) {
        closed = true;
        subscriber.error(err);
      }
    };
    let chain: Promise<void> = make().then((h) => {
      handlers = h;
    }, fail);
    const finish = async () => {
      if (closed || ended) return;
      ended = true;
      try {
        await handlers?.flush?.(emit);
        if (!closed) {
          closed = true;
          subscriber.complete();
        }
      } catch (err) {
        fail(err);
      }
    };
    const sub = source.subscribe({
      next(item) {
        if (ended) return;
        const ticket = ticketOf(item)?.retain() ?? null;
        chain = chain.then(async () => {
          try {
            if (closed || ended || !handlers) return;
            const stop = await handlers.step(item, emit);
            if (stop) {
              await finish();
              sub?.unsubscribe();
            }
          } catch (err) {
            fail(err);
          } finally {
            ticket?.release();
          }
        });
      },
      error(err) {
        chain = chain.then(() => fail(err));
      },
      complete() {
        chain = chain.then(finish);
      },
    });
    return () => {
      closed = true;
      sub.unsubscribe();
      // Dispose only after the work in flight, which may still be using the model.
      chain = chain.then(async () => {
        try {
          await handlers?.teardown?.();
        } catch {
          /* teardown errors have no subscriber left */
        }
      });
    };
  });
}

/** A Batch (or anything carrying one) holds its slot through `ticket`; a FeatureMatrix may carry one too. */
function duckTicket(item: unknown): Ticket | null {
  const t = (item as { ticket?: Ticket | null } | null)?.ticket;
  return t && typeof t.retain === 'function' && !t.released ? t : null;
}

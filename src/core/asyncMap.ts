import type { OperatorFunction } from 'rxjs';
import { asyncStage } from './asyncStage.js';
import type { Batch } from './Batch.js';

/**
 * Runs an async step on each batch, one at a time and in order, holding the batch's queue ticket
 * until the step finishes (through asyncStage). A result without a ticket of its own carries the
 * input's. `null` results are dropped.
 */
export function asyncMap(step: (batch: Batch) => Promise<Batch | null>): OperatorFunction<Batch, Batch> {
  return (source) =>
    asyncStage<Batch, Batch>(
      source,
      async () => ({
        async step(batch, emit) {
          const ticket = batch.ticket;
          const out = await step(batch);
          if (out) {
            if (out.ticket === null) out.ticket = ticket;
            emit(out);
          }
        },
      }),
      (batch) => batch.ticket,
    );
}

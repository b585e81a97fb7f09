import type { OperatorFunction } from 'rxjs';
import type { BadRowOptions, Batch } from '../../core/index.js';
import { Interactions, type InteractionsOptions } from '../../features/index.js';
import { transform } from './transform.js';

export type InteractionsOperatorOptions = Omit<InteractionsOptions, 'badRows'> & BadRowOptions;

/** Products of numeric columns: `interactions({ pairs: [['a', 'b']] })` or all pairs of `interactions(['a', 'b', 'c'])`. */
export function interactions(spec: readonly string[] | InteractionsOperatorOptions): OperatorFunction<Batch, Batch> {
  const { badRows, deadLetter, telemetry, ...rest } = Array.isArray(spec)
    ? ({ columns: spec as readonly string[] } as InteractionsOperatorOptions)
    : (spec as InteractionsOperatorOptions);
  new Interactions(rest);
  return transform(() => new Interactions(rest), {
    rows: { source: 'interactions', badRows: badRows ?? 'skip', ...(deadLetter ? { deadLetter } : {}), ...(telemetry ? { telemetry } : {}) },
  });
}

import { filter, map, type OperatorFunction } from 'rxjs';
import { type Batch, SpecError } from '../../core/index.js';
import { SPLIT_COLUMN } from '../../features/index.js';

const CODES = { train: 0, validation: 1, test: 2 } as const;

/**
 * Keeps only the rows of one split (after `split`). A batch without the split column passes
 * whole for 'train' (every row is a training row) and is dropped otherwise; empty batches are not emitted.
 */
export function splitOnly(which: keyof typeof CODES): OperatorFunction<Batch, Batch> {
  if (!(which in CODES)) throw new SpecError('splitOnly', `expected train, validation or test, got ${JSON.stringify(which)}`);
  const code = CODES[which];
  return (source) =>
    source.pipe(
      map((b) => {
        if (!b.has(SPLIT_COLUMN)) return which === 'train' ? b : b.slice(0, 0);
        const c = b.column(SPLIT_COLUMN);
        const keep = new Uint8Array(b.length);
        if (c.type === 'integer') for (let i = 0; i < b.length; i++) keep[i] = c.values[i] === code ? 1 : 0;
        return b.filter(keep);
      }),
      filter((b) => b.length > 0),
    );
}

import type { Batch } from '../core/index.js';
import { SPLIT_COLUMN } from './SPLIT_COLUMN.js';

/**
 * 1 for the rows a transform may learn from (split = train), or null when the batch has no
 * split column, meaning every row is a training row.
 */
export function trainMask(batch: Batch): Uint8Array | null {
  if (!batch.has(SPLIT_COLUMN)) return null;
  const c = batch.column(SPLIT_COLUMN);
  if (c.type !== 'integer') return null;
  const m = new Uint8Array(batch.length);
  for (let i = 0; i < batch.length; i++) m[i] = c.values[i] === 0 ? 1 : 0;
  return m;
}

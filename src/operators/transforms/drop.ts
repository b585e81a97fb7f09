import type { OperatorFunction } from 'rxjs';
import type { Batch } from '../../core/index.js';
import { DropColumns } from '../../features/index.js';
import { transform } from './transform.js';

/** Removes the named columns. */
export function drop(columns: readonly string[]): OperatorFunction<Batch, Batch> {
  const t = new DropColumns(columns);
  return transform(t);
}

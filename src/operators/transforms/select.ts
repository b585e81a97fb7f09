import type { OperatorFunction } from 'rxjs';
import type { Batch } from '../../core/index.js';
import { SelectColumns } from '../../features/index.js';
import { transform } from './transform.js';

/** Keeps only the named columns, in that order. */
export function select(columns: readonly string[]): OperatorFunction<Batch, Batch> {
  const t = new SelectColumns(columns);
  return transform(t);
}

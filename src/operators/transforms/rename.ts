import type { OperatorFunction } from 'rxjs';
import type { Batch } from '../../core/index.js';
import { RenameColumns } from '../../features/index.js';
import { transform } from './transform.js';

/** Renames columns: `rename({ dep_delay: 'delay' })`. */
export function rename(mapping: Readonly<Record<string, string>>): OperatorFunction<Batch, Batch> {
  return transform(new RenameColumns(mapping));
}

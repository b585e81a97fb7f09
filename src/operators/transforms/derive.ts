import { map, type OperatorFunction } from 'rxjs';
import type { Batch } from '../../core/index.js';
import { Derive, type ColumnFunction, type DeriveOptions } from '../../features/index.js';

/**
 * Adds column `name` from an expression (`'delay > 15'`, `'log1p(distance)'`) or a JS function
 * of columns. The expression is parsed here, so a bad one fails at pipeline creation.
 */
export function derive(name: string, def: string | ColumnFunction, options: DeriveOptions = {}): OperatorFunction<Batch, Batch> {
  const t = new Derive(name, def, options);
  return map((b) => t.apply(b));
}

import type { OperatorFunction } from 'rxjs';
import type { BadRowOptions, Batch } from '../../core/index.js';
import { Impute, type ImputeOptions } from '../../features/index.js';
import { transform } from './transform.js';

export type ImputeOperatorOptions = Omit<ImputeOptions, 'columns' | 'badRows'> & BadRowOptions;

/**
 * Fills missing values per column: `impute({ distance: 'median', origin: 'mode' })`. With
 * `nonFinite: 'error'`, NaN/±Infinity rows follow `badRows` (skip by default, or fail).
 */
export function impute(columns: ImputeOptions['columns'], options: ImputeOperatorOptions = {}): OperatorFunction<Batch, Batch> {
  const { badRows, deadLetter, telemetry, ...rest } = options;
  const spec: ImputeOptions = { ...rest, columns };
  new Impute(spec);
  return transform(() => new Impute(spec), {
    rows: { source: 'impute', badRows: badRows ?? 'skip', ...(deadLetter ? { deadLetter } : {}), ...(telemetry ? { telemetry } : {}) },
  });
}

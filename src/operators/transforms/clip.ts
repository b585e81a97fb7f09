import type { OperatorFunction } from 'rxjs';
import type { BadRowOptions, Batch } from '../../core/index.js';
import { Clip, type ClipOptions } from '../../features/index.js';
import { transform } from './transform.js';

export type ClipOperatorOptions = Omit<ClipOptions, 'columns' | 'badRows'> & BadRowOptions;

/** Clamps outliers to a z-score band or to quantile bounds learned from training rows only. */
export function clip(columns: readonly string[], options: ClipOperatorOptions = {}): OperatorFunction<Batch, Batch> {
  const { badRows, deadLetter, telemetry, ...rest } = options;
  const spec: ClipOptions = { ...rest, columns };
  new Clip(spec);
  return transform(() => new Clip(spec), {
    rows: { source: 'clip', badRows: badRows ?? 'skip', ...(deadLetter ? { deadLetter } : {}), ...(telemetry ? { telemetry } : {}) },
  });
}

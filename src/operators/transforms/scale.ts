import type { OperatorFunction } from 'rxjs';
import type { BadRowOptions, Batch } from '../../core/index.js';
import { Scaler, type ScalerOptions } from '../../features/index.js';
import { transform } from './transform.js';

export type ScaleOperatorOptions = Omit<ScalerOptions, 'columns' | 'badRows'> & BadRowOptions;

/** Scales numeric columns (`method`: standard, minmax, maxabs or robust), learning from training rows only. */
export function scale(columns: readonly string[], options: ScaleOperatorOptions = {}): OperatorFunction<Batch, Batch> {
  const { badRows, deadLetter, telemetry, ...rest } = options;
  const spec: ScalerOptions = { ...rest, columns };
  new Scaler(spec);
  return transform(() => new Scaler(spec), {
    rows: { source: 'scale', badRows: badRows ?? 'skip', ...(deadLetter ? { deadLetter } : {}), ...(telemetry ? { telemetry } : {}) },
  });
}

import type { OperatorFunction } from 'rxjs';
import type { BadRowOptions, Batch } from '../../core/index.js';
import { type DatetimePart, DatetimeParts, type DatetimePartsOptions } from '../../features/index.js';
import { transform } from './transform.js';

export type DatetimePartsOperatorOptions = Omit<DatetimePartsOptions, 'column' | 'parts' | 'badRows'> & BadRowOptions;

/** Calendar parts of a datetime column in an explicit time zone: `datetimeParts('date', ['hour', 'dayOfWeek'])`. */
export function datetimeParts(column: string, parts: readonly DatetimePart[], options: DatetimePartsOperatorOptions = {}): OperatorFunction<Batch, Batch> {
  const { badRows, deadLetter, telemetry, ...rest } = options;
  const spec: DatetimePartsOptions = { ...rest, column, parts };
  new DatetimeParts(spec);
  return transform(() => new DatetimeParts(spec), {
    rows: { source: 'datetimeParts', badRows: badRows ?? 'skip', ...(deadLetter ? { deadLetter } : {}), ...(telemetry ? { telemetry } : {}) },
  });
}

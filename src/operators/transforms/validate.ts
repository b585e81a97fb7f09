import type { OperatorFunction } from 'rxjs';
import type { BadRowOptions, Batch } from '../../core/index.js';
import { Validate, type ValidateOptions } from '../../features/index.js';
import { transform } from './transform.js';

export type ValidateOperatorOptions = Omit<ValidateOptions, 'badRows'> & BadRowOptions;

/**
 * Checks declared types, ranges, allowed categories and required columns. Bad rows follow
 * `badRows`: skip (default: counted by reason, dead-lettered, dropped) or fail (BadInputError at
 * the source line and column).
 */
export function validate(options: ValidateOperatorOptions = {}): OperatorFunction<Batch, Batch> {
  const { badRows, deadLetter, telemetry, ...spec } = options;
  new Validate(spec); // option errors surface at creation
  return transform(() => new Validate(spec), {
    rows: { source: spec.source ?? 'validate', badRows: badRows ?? 'skip', ...(deadLetter ? { deadLetter } : {}), ...(telemetry ? { telemetry } : {}) },
  });
}

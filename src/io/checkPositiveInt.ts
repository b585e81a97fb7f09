import { SpecError } from '../core/index.js';

/** Validates an optional positive-integer option; throws SpecError naming it. */
export function checkPositiveInt(path: string, v: number | undefined): void {
  if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new SpecError(path, `expected a positive integer, got ${String(v)}`);
}

import { SpecError } from '../core/index.js';
import { type ModelOptions, resolveModelOptions } from '../learn/index.js';
import { isModel } from './isModel.js';

/** Checked when an operator is created, so a wrong argument (or model option) fails at the pipe, not mid-stream. */
export function checkModelSource(source: unknown, path: string): void {
  if (typeof source === 'function' || isModel(source)) return;
  if (source === null || typeof source !== 'object' || typeof (source as { kind?: unknown }).kind !== 'string')
    throw new SpecError(path, 'expected a Model, model options ({ kind, ... }) or a function returning a Model');
  resolveModelOptions(source as ModelOptions);
}

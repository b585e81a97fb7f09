import { SpecError } from '../../core/index.js';
import { isModel } from './isModel.js';

/** Checked when an operator is created, so a wrong argument fails at the pipe, not mid-stream. */
export function checkModelSource(source: unknown, path: string): void {
  if (typeof source === 'function') return;
  if (!isModel(source)) throw new SpecError(path, 'expected a Model or a function returning one');
}

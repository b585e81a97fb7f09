import { SchemaError } from '../core/index.js';
import type { Task } from './Model.js';

/**
 * Rejects targets a loss cannot use, naming the row: binary in [0, 1] (0/1 labels, or soft
 * labels for logistic loss), multiclass an integer class in [0, classes), regression finite.
 * One pass over the targets on the host, cheaper than a NaN surfacing later in the weights
 * (a loop per task: the task test was per row, a noticeable part of this pass for 4-wide rows).
 */
export function checkTargets(task: Task, classes: number, t: Float32Array, rowIds: Float64Array | null): void {
  const n = t.length;
  let r = 0;
  if (task === 'binary') while (r < n && t[r]! >= 0 && t[r]! <= 1) r++;
  else if (task === 'multiclass') while (r < n && Number.isInteger(t[r]!) && t[r]! >= 0 && t[r]! < classes) r++;
  else while (r < n && Number.isFinite(t[r]!)) r++;
  if (r === n) return;
  const want = task === 'binary' ? 'a label in [0, 1]' : task === 'multiclass' ? `a class index in [0, ${classes})` : 'a finite number';
  throw new SchemaError(`${task} target of row ${r}${rowIds ? ` (rowId ${rowIds[r]})` : ''} is ${t[r]}, expected ${want}`);
}

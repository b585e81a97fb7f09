import { SchemaError } from '../core/index.js';
import type { Task } from './Model.js';

/**
 * Rejects targets a loss cannot use, naming the row: binary in [0, 1] (0/1 labels, or soft
 * labels for logistic loss), multiclass an integer class in [0, classes), regression finite.
 * One pass over the targets on the host, cheaper than a NaN surfacing later in the weights.
 */
export function checkTargets(task: Task, classes: number, t: Float32Array, rowIds: Float64Array | null): void {
  for (let r = 0; r < t.length; r++) {
    const v = t[r]!;
    const ok = task === 'binary' ? v >= 0 && v <= 1 : task === 'multiclass' ? Number.isInteger(v) && v >= 0 && v < classes : Number.isFinite(v);
    if (!ok) {
      const want = task === 'binary' ? 'a label in [0, 1]' : task === 'multiclass' ? `a class index in [0, ${classes})` : 'a finite number';
      throw new SchemaError(`${task} target of row ${r}${rowIds ? ` (rowId ${rowIds[r]})` : ''} is ${v}, expected ${want}`);
    }
  }
}

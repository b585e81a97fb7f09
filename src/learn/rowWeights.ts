import { SchemaError } from '../core/index.js';
import type { Task } from './Model.js';

/**
 * Per-row loss weights of a batch: sample weight × class weight (binary class = target ≥ 0.5).
 * `weights` is null when every row weighs 1 (no upload needed); `sum` is Σw, whose inverse scales
 * the gradient to the weighted mean.
 */
export function rowWeights(
  targets: Float32Array,
  sample: Float32Array | null,
  classWeights: readonly number[] | null,
  task: Task,
): { weights: Float32Array | null; sum: number } {
  const rows = targets.length;
  if (!sample && !classWeights) return { weights: null, sum: rows };
  const w = new Float32Array(rows);
  let sum = 0;
  for (let r = 0; r < rows; r++) {
    let v = sample ? sample[r]! : 1;
    if (!(v >= 0 && v < Infinity)) throw new SchemaError(`sample weight of row ${r} is ${v}, expected a finite non-negative number`);
    if (classWeights) v *= classWeights[task === 'binary' ? (targets[r]! >= 0.5 ? 1 : 0) : targets[r]!]!;
    w[r] = v;
    sum += v;
  }
  return { weights: w, sum };
}

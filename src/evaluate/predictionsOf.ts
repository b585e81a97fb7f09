import type { Task } from '../learn/index.js';
import type { Predictions } from '../metrics/index.js';

/** A model's raw output in the form MetricSet reads: P(y=1) or class probabilities, or values. */
export function predictionsOf(task: Task, output: Float32Array): Predictions {
  return task === 'regression' ? { values: output } : { probabilities: output };
}

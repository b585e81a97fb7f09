import type { Model } from '../learn/index.js';

/** Duck test for the Model contract: what an operator checks before trusting its argument. */
export function isModel(m: unknown): m is Model {
  return (
    m !== null &&
    typeof m === 'object' &&
    typeof (m as Model).predict === 'function' &&
    typeof (m as Model).learn === 'function' &&
    typeof (m as Model).dispose === 'function'
  );
}

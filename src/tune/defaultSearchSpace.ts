import { SpecError } from '../core/index.js';
import type { ModelKind, Task } from '../learn/index.js';
import type { SubSpace } from './resolveSearchSpace.js';

/** L2 values worth a look for the normalized optimizer: its updates are scale-free, so these are small. */
const NORMALIZED_L2 = [0, 1e-7, 1e-6, 1e-5, 1e-4];

/**
 * The space `--auto` races when none is given, for a task and (optionally) a kind fixed with
 * `--model`. The linear family: the normalized optimizer over a rate range around its default
 * 0.5 with small L2 values, and FTRL-Proximal over its rate, L1 and L2. The first candidate of
 * each family takes the model's defaults, so the untuned model always races.
 */
export function defaultSearchSpace(task: Task, kind?: ModelKind): SubSpace[] {
  const linear: ModelKind = task === 'binary' ? 'logistic' : task === 'multiclass' ? 'softmax' : 'linear';
  const k = kind ?? linear;
  switch (k) {
    case 'linear':
    case 'logistic':
    case 'softmax':
    case 'svm':
      return [
        { kind: k, optimizer: 'normalized', lr: { logUniform: [0.05, 5] }, l2: NORMALIZED_L2 },
        { kind: k, optimizer: 'ftrl', lr: { logUniform: [0.01, 2] }, l1: [0, 0.01, 0.1, 1], l2: [0, 0.01, 0.1, 1] },
      ];
    case 'passiveAggressive':
      return [{ kind: k, variant: ['PA-I', 'PA-II', 'PA'], C: { logUniform: [0.001, 10] } }];
    case 'mlp':
      return [{ kind: k, hidden: [[32], [16], [64], [32, 16]], lr: { logUniform: [0.001, 0.05] }, l2: [0, 1e-5, 1e-4] }];
    default:
      throw new SpecError('tune.space', `no default search space for ${k} models: give one (docs/tune.md)`);
  }
}

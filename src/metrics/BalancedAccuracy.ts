import { ConfusionMetric } from './ConfusionMetric.js';
import type { MetricState } from './Metric.js';

/**
 * Mean of per-class recall over the classes that occur as true labels (as sklearn's
 * balanced_accuracy_score; a class only ever predicted has no recall and is left out).
 * NaN before any row.
 */
export class BalancedAccuracy extends ConfusionMetric {
  readonly name = 'balancedAccuracy';

  get value(): number {
    let sum = 0,
      classes = 0;
    for (let c = 0; c < this.cm.classes; c++) {
      const support = this.cm.actual(c);
      if (support > 0) {
        sum += this.cm.get(c, c) / support;
        classes++;
      }
    }
    return classes > 0 ? sum / classes : NaN;
  }

  static fromJSON(state: MetricState): BalancedAccuracy {
    return new BalancedAccuracy().restore(state);
  }
}

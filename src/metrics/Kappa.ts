import { ConfusionMetric } from './ConfusionMetric.js';
import type { MetricState } from './Metric.js';

/**
 * Cohen's kappa: (po − pe) / (1 − pe), po the observed agreement (accuracy), pe the agreement
 * expected by chance from the true and predicted class frequencies. NaN before any row and when
 * pe = 1 (a single class in both truth and prediction: agreement beyond chance is undefined).
 */
export class Kappa extends ConfusionMetric {
  readonly name = 'kappa';

  get value(): number {
    const n = this.cm.total;
    if (!(n > 0)) return NaN;
    const po = this.cm.correct() / n;
    let pe = 0;
    for (let c = 0; c < this.cm.classes; c++) pe += (this.cm.actual(c) / n) * (this.cm.predicted(c) / n);
    // 1e-12: pe is a sum of products and lands a rounding error below 1 when it is really 1.
    return 1 - pe > 1e-12 ? (po - pe) / (1 - pe) : NaN;
  }

  static fromJSON(state: MetricState): Kappa {
    return new Kappa().restore(state);
  }
}

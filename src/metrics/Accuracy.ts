import { ConfusionMetric } from './ConfusionMetric.js';
import type { MetricState } from './Metric.js';

/** Weighted share of rows whose predicted label equals the true label. NaN before any row. */
export class Accuracy extends ConfusionMetric {
  readonly name = 'accuracy';

  get value(): number {
    const n = this.cm.total;
    return n > 0 ? this.cm.correct() / n : NaN;
  }

  static fromJSON(state: MetricState): Accuracy {
    return new Accuracy().restore(state);
  }
}

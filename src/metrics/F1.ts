import { type Average, averageScore } from './averageScore.js';
import { ConfusionMetric } from './ConfusionMetric.js';
import type { MetricState } from './Metric.js';

export interface F1Options {
  /** Default `binary` (as sklearn); see `averageScore` for each averaging and its NaN cases. */
  average?: Average;
  /** The positive class for `binary` averaging; default 1. */
  positive?: number;
}

/** F1: harmonic mean of precision and recall, 2·tp / (2·tp + fp + fn) per class. Takes predicted labels. */
export class F1 extends ConfusionMetric {
  readonly name = 'f1';
  readonly average: Average;
  readonly positive: number;

  constructor(options: F1Options = {}) {
    super();
    this.average = options.average ?? 'binary';
    this.positive = options.positive ?? 1;
  }

  get value(): number {
    return averageScore(this.cm, 'f1', this.average, this.positive);
  }

  protected override options(): Record<string, unknown> {
    return { average: this.average, positive: this.positive };
  }

  static fromJSON(state: MetricState): F1 {
    return new F1({ average: state.average as Average, positive: state.positive as number }).restore(state);
  }
}

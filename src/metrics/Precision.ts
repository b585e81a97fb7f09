import { type Average, averageScore } from './averageScore.js';
import { ConfusionMetric } from './ConfusionMetric.js';
import type { MetricState } from './Metric.js';

export interface PrecisionOptions {
  /** Default `binary` (as sklearn); see `averageScore` for each averaging and its NaN cases. */
  average?: Average;
  /** The positive class for `binary` averaging; default 1. */
  positive?: number;
}

/** Precision: of the rows predicted as a class, the weighted share that truly are. Takes predicted labels. */
export class Precision extends ConfusionMetric {
  readonly name = 'precision';
  readonly average: Average;
  readonly positive: number;

  constructor(options: PrecisionOptions = {}) {
    super();
    this.average = options.average ?? 'binary';
    this.positive = options.positive ?? 1;
  }

  get value(): number {
    return averageScore(this.cm, 'precision', this.average, this.positive);
  }

  protected override options(): Record<string, unknown> {
    return { average: this.average, positive: this.positive };
  }

  static fromJSON(state: MetricState): Precision {
    return new Precision({ average: state.average as Average, positive: state.positive as number }).restore(state);
  }
}

import { type Average, averageScore } from './averageScore.js';
import { ConfusionMetric } from './ConfusionMetric.js';
import type { MetricState } from './Metric.js';

export interface RecallOptions {
  /** Default `binary` (as sklearn); see `averageScore` for each averaging and its NaN cases. */
  average?: Average;
  /** The positive class for `binary` averaging; default 1. */
  positive?: number;
}

/** Recall: of the rows truly of a class, the weighted share predicted as it. Takes predicted labels. */
export class Recall extends ConfusionMetric {
  readonly name = 'recall';
  readonly average: Average;
  readonly positive: number;

  constructor(options: RecallOptions = {}) {
    super();
    this.average = options.average ?? 'binary';
    this.positive = options.positive ?? 1;
  }

  get value(): number {
    return averageScore(this.cm, 'recall', this.average, this.positive);
  }

  protected override options(): Record<string, unknown> {
    return { average: this.average, positive: this.positive };
  }

  static fromJSON(state: MetricState): Recall {
    return new Recall({ average: state.average as Average, positive: state.positive as number }).restore(state);
  }
}

import type { MetricState } from './Metric.js';
import { ScoreMetric, type ScoreMetricOptions } from './ScoreMetric.js';

export type RocAucOptions = ScoreMetricOptions;

/**
 * Area under the ROC curve for one positive class: the weighted probability that a random
 * positive scores above a random negative, ties counting ½ (Mann–Whitney). Takes the
 * positive-class score per row. NaN until both a positive and a negative row were seen.
 * Streaming mode is within `errorBound` of the exact value (half the share of
 * positive–negative pairs whose scores share a bin; see ScoreHistogram).
 */
export class RocAuc extends ScoreMetric {
  readonly name = 'rocAuc';

  get value(): number {
    return this.hist ? this.hist.rocAuc() : this.pairs!.rocAuc();
  }

  get errorBound(): number {
    return this.hist ? this.hist.rocAucErrorBound() : Number.isNaN(this.value) ? NaN : 0;
  }

  static fromJSON(state: MetricState): RocAuc {
    return new RocAuc(ScoreMetric.optionsOf(state)).restore(state);
  }
}

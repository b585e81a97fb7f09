import type { MetricState } from './Metric.js';
import { ScoreMetric, type ScoreMetricOptions } from './ScoreMetric.js';

export type PrAucOptions = ScoreMetricOptions;

/**
 * Area under the precision–recall curve as average precision (sklearn's
 * average_precision_score: Σ (R_k − R_{k−1})·P_k over score thresholds, no interpolation, which
 * unlike the trapezoid does not overstate it). Takes the positive-class score per row. NaN until
 * a positive row was seen. Streaming mode treats each bin as one threshold and is within
 * `errorBound` of the exact value (see ScoreHistogram).
 * Cost: exact mode sweeps every row on each read (O(rows) a read, unlike exact ROC AUC's O(1)),
 * so on long streams read it every few batches or use streaming mode (O(bins) a read).
 */
export class PrAuc extends ScoreMetric {
  readonly name = 'prAuc';

  get value(): number {
    return this.hist ? this.hist.averagePrecision() : this.pairs!.averagePrecision();
  }

  get errorBound(): number {
    return this.hist ? this.hist.averagePrecisionErrorBound() : Number.isNaN(this.value) ? NaN : 0;
  }

  static fromJSON(state: MetricState): PrAuc {
    return new PrAuc(ScoreMetric.optionsOf(state)).restore(state);
  }
}

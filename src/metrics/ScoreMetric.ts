import { SluiceError } from '../core/index.js';
import { checkBatch } from './checkBatch.js';
import type { Metric, MetricState } from './Metric.js';
import { ScoreHistogram, type ScoreHistogramState } from './ScoreHistogram.js';
import { ScorePairs, type ScorePairsState } from './ScorePairs.js';

export interface ScoreMetricOptions {
  /**
   * `exact` (default) keeps every (score, label) pair: exact on finite data, memory grows by
   * 8 bytes a row (24 with weights); see ScorePairs for the cost of each read. `streaming` keeps `bins` score bins over [0, 1]: fixed memory, O(1) per row,
   * and a computed `errorBound` (see ScoreHistogram).
   */
  mode?: 'exact' | 'streaming';
  /** Bins for streaming mode; default 4096. */
  bins?: number;
  /** The label counted as positive; every other label is negative. Default 1. */
  positive?: number;
}

/**
 * Base of ROC AUC and PR AUC: binary ranking metrics over one score per row (the
 * positive-class probability, or any score where higher means more positive). A NaN score is
 * an error: it has no rank. Only streaming mode can revert rows; exact rolling windows recompute.
 */
export abstract class ScoreMetric implements Metric {
  abstract readonly name: string;
  readonly input = 'scores' as const;
  readonly mode: 'exact' | 'streaming';
  readonly bins: number;
  readonly positive: number;
  readonly revert?: (yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights?: ArrayLike<number>) => void;
  protected pairs: ScorePairs | null = null;
  protected hist: ScoreHistogram | null = null;

  constructor(options: ScoreMetricOptions = {}) {
    this.mode = options.mode ?? 'exact';
    this.bins = options.bins ?? 4096;
    this.positive = options.positive ?? 1;
    if (this.mode === 'streaming') {
      this.hist = new ScoreHistogram(this.bins);
      this.revert = (yTrue, yPred, weights) => this.add(yTrue, yPred, weights, -1);
    } else {
      this.pairs = new ScorePairs();
    }
  }

  get count(): number {
    return (this.hist ?? this.pairs!).count;
  }
  abstract get value(): number;
  /** Bound on |value − exact value|: 0 in exact mode, computed from the bins in streaming mode. */
  abstract get errorBound(): number;

  update(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights?: ArrayLike<number>): void {
    this.add(yTrue, yPred, weights, 1);
  }

  private add(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights: ArrayLike<number> | undefined, sign: 1 | -1): void {
    checkBatch(this.name, yTrue, yPred, weights);
    const h = this.hist;
    // Exact mode checks for NaN as it buffers the rows (and takes none back when it finds one).
    const bad = h ? firstNaN(yPred) : this.pairs!.add(yTrue, yPred, weights, this.positive);
    if (bad >= 0) throw new SluiceError('METRIC', `${this.name}.update: yPred[${bad}] is NaN; a score must be a number to be ranked`);
    h?.addBatch(yPred, yTrue, this.positive, weights, sign);
  }

  reset(): void {
    this.hist?.reset();
    this.pairs?.reset();
  }

  toJSON(): MetricState {
    return {
      type: this.name,
      mode: this.mode,
      bins: this.bins,
      positive: this.positive,
      ...(this.hist ? { histogram: this.hist.toJSON() } : { pairs: this.pairs!.toJSON() }),
    };
  }

  protected restore(state: MetricState): this {
    if (this.hist) this.hist = ScoreHistogram.fromJSON(state.histogram as ScoreHistogramState);
    else this.pairs = ScorePairs.fromJSON(state.pairs as ScorePairsState);
    return this;
  }

  protected static optionsOf(state: MetricState): ScoreMetricOptions {
    return { mode: state.mode as 'exact' | 'streaming', bins: state.bins as number, positive: state.positive as number };
  }
}

function firstNaN(v: ArrayLike<number>): number {
  for (let i = 0; i < v.length; i++) if (Number.isNaN(v[i])) return i;
  return -1;
}

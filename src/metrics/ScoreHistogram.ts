import { SluiceError } from '../core/index.js';

export interface ScoreHistogramState {
  bins: number;
  /** Weight of positive / negative rows per bin, as [bin, weight] pairs for non-empty bins. */
  pos: Array<[number, number]>;
  neg: Array<[number, number]>;
  rows: number;
}

/**
 * Fixed-memory streaming ROC AUC and average precision: positive and negative weight per score
 * bin, `bins` equal bins over [0, 1] (scores outside are clamped into the end bins). Adding and
 * removing a row are O(1), so rolling windows slide exactly; reading is O(bins).
 *
 * Error bounds (both computed from the counts themselves, so they hold for any data):
 * - ROC AUC: binning keeps the order of every pair whose scores fall in different bins (the bin
 *   index is monotone in the score) and scores a same-bin pair 1/2, where the exact value gives
 *   it 0, 1/2 or 1. So |binned − exact| ≤ ½·Σ_b pos_b·neg_b / (P·N): half the share of
 *   positive–negative pairs sharing a bin. Σ_b π_b·ν_b ≤ max_b ν_b (π, ν the bins' shares of
 *   P and N), so when the negatives' (or positives') score density is at most f the bound is
 *   ≤ f/(2·bins): 4096 bins give ≤ 1.2e-4·f. Scores piled on few values loosen it.
 * - Average precision: each positive in bin b is credited the precision at its own threshold
 *   exactly, (A + a)/(A + F + a + f) with A, F the positive/negative weight in higher bins and
 *   0 < a ≤ pos_b, 0 ≤ f ≤ neg_b; binned, it gets (A + pos_b)/(A + F + pos_b + neg_b). Both lie in
 *   [A/(A + F + neg_b), (A + pos_b)/(A + F + pos_b)], so the error is at most
 *   Σ_b pos_b/P · max(hi_b − binned_b, binned_b − lo_b).
 */
export class ScoreHistogram {
  readonly bins: number;
  /** pos then neg in one array, so a row's cell is bin + bins·isNegative: no branch on the label. */
  private readonly both: Float64Array;
  private readonly pos: Float64Array;
  private readonly neg: Float64Array;
  private rows = 0;

  constructor(bins: number) {
    this.bins = bins;
    this.both = new Float64Array(2 * bins);
    this.pos = this.both.subarray(0, bins);
    this.neg = this.both.subarray(bins);
  }

  get count(): number {
    return this.rows;
  }

  /** Adds (sign 1) or removes (sign −1) one row. */
  add(score: number, positive: boolean, w: number, sign: 1 | -1): void {
    const b = score <= 0 ? 0 : score >= 1 ? this.bins - 1 : Math.floor(score * this.bins);
    (positive ? this.pos : this.neg)[b]! += sign * w;
    this.rows += sign;
  }

  /**
   * Adds (sign 1) or removes (sign −1) a batch: row i has score scores[i], is positive when
   * labels[i] === positive, weighs weights[i] (1 without weights). Same as `add` row by row.
   */
  addBatch(scores: ArrayLike<number>, labels: ArrayLike<number>, positive: number, weights: ArrayLike<number> | undefined, sign: 1 | -1): void {
    const bins = this.bins,
      top = bins - 1,
      both = this.both,
      n = scores.length;
    for (let i = 0; i < n; i++) {
      const s = scores[i]!;
      const b = s <= 0 ? 0 : s >= 1 ? top : Math.floor(s * bins);
      both[b + bins * +(labels[i] !== positive)]! += sign * (weights === undefined ? 1 : weights[i]!);
    }
    this.rows += sign * n;
  }

  reset(): void {
    this.both.fill(0);
    this.rows = 0;
  }

  /** Trapezoidal ROC AUC over the bin edges (same-bin pairs count ½). NaN without both classes. */
  rocAuc(): number {
    let below = 0,
      sum = 0,
      P = 0;
    for (let b = 0; b < this.bins; b++) {
      const p = this.pos[b]!,
        n = this.neg[b]!;
      sum += p * (below + 0.5 * n);
      below += n;
      P += p;
    }
    return P > 0 && below > 0 ? sum / (P * below) : NaN;
  }

  /** The bound on |rocAuc() − exact ROC AUC| described above (NaN when rocAuc is). */
  rocAucErrorBound(): number {
    let same = 0,
      P = 0,
      N = 0;
    for (let b = 0; b < this.bins; b++) {
      same += this.pos[b]! * this.neg[b]!;
      P += this.pos[b]!;
      N += this.neg[b]!;
    }
    return P > 0 && N > 0 ? (0.5 * same) / (P * N) : NaN;
  }

  /** Average precision with each bin as one threshold. NaN without a positive. */
  averagePrecision(): number {
    return this.ap(false);
  }

  /** The bound on |averagePrecision() − exact average precision| described above. */
  averagePrecisionErrorBound(): number {
    return this.ap(true);
  }

  private ap(bound: boolean): number {
    let P = 0;
    for (let b = 0; b < this.bins; b++) P += this.pos[b]!;
    if (!(P > 0)) return NaN;
    let A = 0,
      F = 0,
      out = 0;
    for (let b = this.bins - 1; b >= 0; b--) {
      const p = this.pos[b]!,
        n = this.neg[b]!;
      if (p > 0) {
        const est = (A + p) / (A + F + p + n);
        if (bound) {
          const hi = (A + p) / (A + F + p);
          const lo = A + F + n > 0 ? A / (A + F + n) : 1;
          out += (p / P) * Math.max(hi - est, est - lo);
        } else {
          out += (p / P) * est;
        }
      }
      A += p;
      F += n;
    }
    return out;
  }

  toJSON(): ScoreHistogramState {
    const sparse = (a: Float64Array) => {
      const out: Array<[number, number]> = [];
      for (let b = 0; b < a.length; b++) if (a[b] !== 0) out.push([b, a[b]!]);
      return out;
    };
    return { bins: this.bins, pos: sparse(this.pos), neg: sparse(this.neg), rows: this.rows };
  }

  static fromJSON(state: ScoreHistogramState): ScoreHistogram {
    const h = new ScoreHistogram(state.bins);
    for (const [side, a] of [
      [state.pos, h.pos],
      [state.neg, h.neg],
    ] as const) {
      for (const [b, w] of side) {
        if (!(b >= 0 && b < h.bins)) throw new SluiceError('METRIC', `scoreHistogram.fromJSON: bin ${b} outside 0..${h.bins - 1}`);
        a[b] = w;
      }
    }
    h.rows = state.rows;
    return h;
  }
}

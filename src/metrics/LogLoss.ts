import { ConfusionMatrix } from './ConfusionMatrix.js';
import { MeanLoss } from './MeanLoss.js';
import type { MetricState } from './Metric.js';

/**
 * Log loss (cross-entropy): Σ w·(−ln p_true) / Σ w, with p clipped to [1e-15, 1 − 1e-15] so a
 * confident mistake costs ln(1e15) ≈ 34.5 instead of Infinity (sklearn's former eps).
 * `yPred` is either one positive-class probability per row (binary; `yTrue` must be 0 or 1) or a
 * row-major rows×classes probability matrix (`yTrue` a class index; a class beyond the matrix
 * width has probability 0). Rows are taken as given, not renormalized to sum to 1.
 */
export class LogLoss extends MeanLoss {
  static readonly EPS = 1e-15;
  readonly name = 'logLoss';
  readonly input = 'probabilities' as const;
  protected override readonly maxWidth = ConfusionMatrix.MAX_CLASSES;

  protected accumulate(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights: ArrayLike<number> | undefined, width: number, sign: 1 | -1): void {
    this.checkLabels(yTrue, width);
    const lo = LogLoss.EPS,
      hi = 1 - LogLoss.EPS;
    if (width === 1 && weights === undefined) {
      this.binaryUnweighted(yTrue, yPred, sign);
      return;
    }
    for (let i = 0; i < yTrue.length; i++) {
      const y = yTrue[i]!;
      let p: number;
      if (width === 1) {
        p = y === 1 ? yPred[i]! : 1 - yPred[i]!;
      } else {
        p = y < width ? yPred[i * width + y]! : 0;
      }
      const w = weights === undefined ? 1 : weights[i]!;
      this.put(-sign * w * Math.log(p < lo ? lo : p > hi ? hi : p), sign * w);
    }
    this.rows += sign * yTrue.length;
  }

  /**
   * The usual case (one probability per row, no weights): the same Neumaier steps as `put`, row by
   * row in the same order, on locals; a field read and write per row measured about half the loop.
   */
  private binaryUnweighted(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, sign: 1 | -1): void {
    // The clip bounds as literals in the function: as parameters (or module variables, which a
    // bundle makes mutable) V8 merged the clipped value with a tagged value and boxed it on every
    // row (~40 bytes of garbage a row, the run's largest source, and ~1/4 slower).
    const lo = 1e-15,
      hi = 1 - 1e-15;
    const len = yTrue.length;
    let sum = this.sum,
      sumC = this.sumC;
    for (let i = 0; i < len; i++) {
      const q = yPred[i]!;
      const p = yTrue[i] === 1 ? q : 1 - q;
      const x = -sign * Math.log(p < lo ? lo : p > hi ? hi : p);
      const t = sum + x;
      sumC += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
      sum = t;
    }
    this.sum = sum;
    this.sumC = sumC;
    let weight = this.weight,
      weightC = this.weightC;
    // Unit weights on an integer total with no compensation: every step is exact and adds +0 to
    // the compensation, so the loop below would end here.
    if (Number.isInteger(weight) && Math.abs(weight) + len <= 2 ** 53 && Object.is(weightC, 0)) {
      this.weight = weight + sign * len;
      this.rows += sign * len;
      return;
    }
    for (let i = 0; i < len; i++) {
      const t = weight + sign;
      weightC += Math.abs(weight) >= 1 ? weight - t + sign : sign - t + weight;
      weight = t;
    }
    this.weight = weight;
    this.weightC = weightC;
    this.rows += sign * len;
  }

  static fromJSON(state: MetricState): LogLoss {
    return new LogLoss().restore(state);
  }
}

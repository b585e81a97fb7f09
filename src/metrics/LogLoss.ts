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

  static fromJSON(state: MetricState): LogLoss {
    return new LogLoss().restore(state);
  }
}

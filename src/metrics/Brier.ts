import { ConfusionMatrix } from './ConfusionMatrix.js';
import { MeanLoss } from './MeanLoss.js';
import type { MetricState } from './Metric.js';

/**
 * Brier score, the mean squared error of probabilities. Binary (one positive-class probability
 * per row, `yTrue` 0 or 1): Σ w·(p − y)² / Σ w, as sklearn's brier_score_loss, range [0, 1].
 * Multi-class (rows×classes matrix): Brier's original Σ_c (p_c − [y = c])² per row, range [0, 2];
 * a true class beyond the matrix width counts as probability 0.
 */
export class Brier extends MeanLoss {
  readonly name = 'brier';
  readonly input = 'probabilities' as const;
  protected override readonly maxWidth = ConfusionMatrix.MAX_CLASSES;

  protected accumulate(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights: ArrayLike<number> | undefined, width: number, sign: 1 | -1): void {
    this.checkLabels(yTrue, width);
    for (let i = 0; i < yTrue.length; i++) {
      const y = yTrue[i]!;
      let loss = 0;
      if (width === 1) {
        const e = yPred[i]! - y;
        loss = e * e;
      } else {
        for (let c = 0, o = i * width; c < width; c++) {
          const e = yPred[o + c]! - (c === y ? 1 : 0);
          loss += e * e;
        }
        if (y >= width) loss += 1;
      }
      const w = weights === undefined ? 1 : weights[i]!;
      this.put(sign * w * loss, sign * w);
    }
    this.rows += sign * yTrue.length;
  }

  static fromJSON(state: MetricState): Brier {
    return new Brier().restore(state);
  }
}

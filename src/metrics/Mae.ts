import { MeanLoss } from './MeanLoss.js';
import type { MetricState } from './Metric.js';

/** Mean absolute error: Σ w·|y − ŷ| / Σ w. Takes target values and predicted values; weights supported. */
export class Mae extends MeanLoss {
  readonly name = 'mae';
  readonly input = 'values' as const;

  protected accumulate(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights: ArrayLike<number> | undefined, _width: number, sign: 1 | -1): void {
    let s = 0, sw = 0;
    for (let i = 0; i < yTrue.length; i++) {
      const w = weights === undefined ? 1 : weights[i]!;
      const e = yTrue[i]! - yPred[i]!;
      s += w * Math.abs(e);
      sw += w;
    }
    this.sum += sign * s;
    this.weight += sign * sw;
    this.rows += sign * yTrue.length;
  }

  static fromJSON(state: MetricState): Mae {
    return new Mae().restore(state);
  }
}

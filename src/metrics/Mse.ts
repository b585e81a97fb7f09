import { MeanLoss } from './MeanLoss.js';
import type { MetricState } from './Metric.js';

/** Mean squared error: Σ w·(y − ŷ)² / Σ w. Takes target values and predicted values; weights supported. */
export class Mse extends MeanLoss {
  readonly name: string = 'mse';
  readonly input = 'values' as const;

  protected accumulate(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights: ArrayLike<number> | undefined, _width: number, sign: 1 | -1): void {
    for (let i = 0; i < yTrue.length; i++) {
      const w = weights === undefined ? 1 : weights[i]!;
      const e = yTrue[i]! - yPred[i]!;
      this.put(sign * w * e * e, sign * w);
    }
    this.rows += sign * yTrue.length;
  }

  static fromJSON(state: MetricState): Mse {
    return new Mse().restore(state);
  }
}

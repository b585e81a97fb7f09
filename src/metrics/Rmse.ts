import { MeanLoss } from './MeanLoss.js';
import type { MetricState } from './Metric.js';

/** Root mean squared error: √MSE (the root of the mean, so rolling RMSE is the root of rolling MSE). Takes target values and predicted values; weights supported. */
export class Rmse extends MeanLoss {
  readonly name = 'rmse';
  readonly input = 'values' as const;

  override get value(): number {
    const w = this.weight + this.weightC;
    return w > 0 ? Math.sqrt(Math.max(0, this.sum + this.sumC) / w) : NaN;
  }

  protected accumulate(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights: ArrayLike<number> | undefined, _width: number, sign: 1 | -1): void {
    for (let i = 0; i < yTrue.length; i++) {
      const w = weights === undefined ? 1 : weights[i]!;
      const e = yTrue[i]! - yPred[i]!;
      this.put(sign * w * e * e, sign * w);
    }
    this.rows += sign * yTrue.length;
  }

  static fromJSON(state: MetricState): Rmse {
    return new Rmse().restore(state);
  }
}

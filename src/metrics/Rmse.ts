import type { MetricState } from './Metric.js';
import { Mse } from './Mse.js';

/** Root mean squared error: √MSE (the root of the mean, so rolling RMSE is the root of rolling MSE). Takes target values and predicted values; weights supported. */
export class Rmse extends Mse {
  override readonly name: string = 'rmse';

  override get value(): number {
    const mse = super.value;
    return mse === mse ? Math.sqrt(Math.max(0, mse)) : NaN;
  }

  static override fromJSON(state: MetricState): Rmse {
    return new Rmse().restore(state);
  }
}

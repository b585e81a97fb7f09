import { checkBatch } from './checkBatch.js';
import type { Metric, MetricInput, MetricState } from './Metric.js';

/**
 * Base of the metrics that are a weighted mean of a per-row loss (log loss, Brier, MAE, MSE,
 * RMSE, MAPE): the state is Σ w·loss and Σ w, so updates in any batching agree and a row can be
 * reverted exactly (up to float rounding; the rolling window rebuilds now and then to stop drift).
 * NaN before any row (or while all weights are 0). A NaN prediction makes the value NaN.
 */
export abstract class MeanLoss implements Metric {
  abstract readonly name: string;
  abstract readonly input: MetricInput;
  /** Largest prediction width per row accepted (1 = one value per row). */
  protected readonly maxWidth: number = 1;
  protected sum = 0;
  protected weight = 0;
  protected rows = 0;

  get count(): number { return this.rows; }

  get value(): number {
    return this.weight > 0 ? this.sum / this.weight : NaN;
  }

  update(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights?: ArrayLike<number>): void {
    const width = checkBatch(this.name, yTrue, yPred, weights, this.maxWidth);
    this.accumulate(yTrue, yPred, weights, width, 1);
  }

  revert(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights?: ArrayLike<number>): void {
    const width = checkBatch(this.name, yTrue, yPred, weights, this.maxWidth);
    this.accumulate(yTrue, yPred, weights, width, -1);
  }

  /** Adds sign·(Σ w·loss, Σ w, rows) of the batch to the state. */
  protected abstract accumulate(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights: ArrayLike<number> | undefined, width: number, sign: 1 | -1): void;

  reset(): void {
    this.sum = 0;
    this.weight = 0;
    this.rows = 0;
  }

  toJSON(): MetricState {
    return { type: this.name, sum: this.sum, weight: this.weight, rows: this.rows };
  }

  protected restore(state: MetricState): this {
    this.sum = state.sum as number;
    this.weight = state.weight as number;
    this.rows = state.rows as number;
    return this;
  }
}

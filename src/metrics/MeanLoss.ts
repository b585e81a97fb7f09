import { SluiceError } from '../core/index.js';
import { checkBatch } from './checkBatch.js';
import type { Metric, MetricInput, MetricState } from './Metric.js';

/**
 * Base of the metrics that are a weighted mean of a per-row loss (log loss, Brier, MAE, MSE,
 * RMSE, MAPE): the state is Σ w·loss and Σ w, so updates in any batching agree and a row can be
 * reverted. Both sums are compensated per row (Neumaier): a huge loss added and later reverted
 * (an outlier leaving a rolling window) leaves a residue of order ε²·|loss| instead of ε·|loss|,
 * which would otherwise swamp the small losses still in the window.
 * NaN before any row (or while all weights are 0). A NaN prediction makes the value NaN.
 */
export abstract class MeanLoss implements Metric {
  abstract readonly name: string;
  abstract readonly input: MetricInput;
  /** Largest prediction width per row accepted (1 = one value per row). */
  protected readonly maxWidth: number = 1;
  protected sum = 0;
  protected sumC = 0;
  protected weight = 0;
  protected weightC = 0;
  protected rows = 0;

  get count(): number {
    return this.rows;
  }

  /** Σ w·loss / Σ w with the compensations folded in. */
  get value(): number {
    const w = this.weight + this.weightC;
    return w > 0 ? (this.sum + this.sumC) / w : NaN;
  }

  /** Adds one row's weighted loss `x` and weight `w` (both already signed). */
  protected put(x: number, w: number): void {
    let t = this.sum + x;
    this.sumC += Math.abs(this.sum) >= Math.abs(x) ? this.sum - t + x : x - t + this.sum;
    this.sum = t;
    t = this.weight + w;
    this.weightC += Math.abs(this.weight) >= Math.abs(w) ? this.weight - t + w : w - t + this.weight;
    this.weight = t;
  }

  update(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights?: ArrayLike<number>): void {
    const width = checkBatch(this.name, yTrue, yPred, weights, this.maxWidth);
    this.accumulate(yTrue, yPred, weights, width, 1);
  }

  revert(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights?: ArrayLike<number>): void {
    const width = checkBatch(this.name, yTrue, yPred, weights, this.maxWidth);
    this.accumulate(yTrue, yPred, weights, width, -1);
  }

  /**
   * For probability metrics: labels must be 0/1 with one probability per row, class indices with
   * a matrix. Checked before any row is put, so a bad batch changes nothing.
   */
  protected checkLabels(yTrue: ArrayLike<number>, width: number): void {
    for (let i = 0; i < yTrue.length; i++) {
      const y = yTrue[i]!;
      if (width === 1 && y !== 0 && y !== 1) {
        throw new SluiceError(
          'METRIC',
          `${this.name}.update: yTrue[${i}] = ${y}, but a binary probability per row needs labels 0 or 1 (pass a rows×classes matrix for more classes)`,
        );
      }
      if (width > 1 && (!Number.isInteger(y) || y < 0)) throw new SluiceError('METRIC', `${this.name}.update: yTrue[${i}] = ${y} is not a class index`);
    }
  }

  /** Puts each row's sign·w·loss and sign·w, and adds sign·rows. */
  protected abstract accumulate(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights: ArrayLike<number> | undefined, width: number, sign: 1 | -1): void;

  reset(): void {
    this.sum = 0;
    this.sumC = 0;
    this.weight = 0;
    this.weightC = 0;
    this.rows = 0;
  }

  toJSON(): MetricState {
    return { type: this.name, sum: this.sum, sumC: this.sumC, weight: this.weight, weightC: this.weightC, rows: this.rows };
  }

  protected restore(state: MetricState): this {
    this.sum = state.sum as number;
    this.sumC = state.sumC as number;
    this.weight = state.weight as number;
    this.weightC = state.weightC as number;
    this.rows = state.rows as number;
    return this;
  }
}

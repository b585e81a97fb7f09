import { MeanLoss } from './MeanLoss.js';
import type { MetricState } from './Metric.js';

/**
 * Mean absolute percentage error as a fraction (0.1 = 10 %, like sklearn): Σ w·|y − ŷ|/|y| / Σ w
 * over the rows whose target is not 0. Rows with y = 0 have no percentage error; they are
 * skipped and counted in `skipped` (and not in `count`). NaN while no row with y ≠ 0 was seen.
 */
export class Mape extends MeanLoss {
  readonly name = 'mape';
  readonly input = 'values' as const;
  private zeros = 0;

  /** Rows skipped because their target was 0. */
  get skipped(): number {
    return this.zeros;
  }

  protected accumulate(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights: ArrayLike<number> | undefined, _width: number, sign: 1 | -1): void {
    let rows = 0;
    for (let i = 0; i < yTrue.length; i++) {
      const y = yTrue[i]!;
      if (y === 0) continue;
      const w = weights === undefined ? 1 : weights[i]!;
      this.put((sign * w * Math.abs(y - yPred[i]!)) / Math.abs(y), sign * w);
      rows++;
    }
    this.rows += sign * rows;
    this.zeros += sign * (yTrue.length - rows);
  }

  override reset(): void {
    super.reset();
    this.zeros = 0;
  }

  override toJSON(): MetricState {
    return { ...super.toJSON(), skipped: this.zeros };
  }

  static fromJSON(state: MetricState): Mape {
    const m = new Mape().restore(state);
    m.zeros = state.skipped as number;
    return m;
  }
}

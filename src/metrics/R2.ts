import { checkBatch } from './checkBatch.js';
import type { Metric, MetricState } from './Metric.js';

/**
 * Coefficient of determination R² = 1 − SSres / SStot, SSres = Σ w·(y − ŷ)², SStot = Σ w·(y − ȳ)²
 * with ȳ the weighted mean of the targets seen. SStot is kept with a weighted Welford update
 * (not Σy² − (Σy)²/n, which cancels catastrophically when the targets have a large mean).
 * NaN before any row and while SStot = 0 (constant targets: sklearn reports 1 or 0 there,
 * which hides that R² is undefined).
 * No `revert`: running Welford backwards after an outlier left leaves an error of ε·(the
 * outlier's share of SStot), which can swamp the spread of what remains; a rolling R²
 * recomputes from its window instead (O(window) a read, exact).
 */
export class R2 implements Metric {
  readonly name = 'r2';
  readonly input = 'values' as const;
  private w = 0;
  private mean = 0;
  private m2 = 0;
  private ssRes = 0;
  private rows = 0;

  get count(): number {
    return this.rows;
  }

  get value(): number {
    // Relative to ȳ²: M2 of constant targets can be rounding noise of order ε·ȳ² a row, not
    // spread; a real variance below 1e-14·ȳ² is below float precision anyway.
    if (!(this.w > 0) || !(this.m2 > 0) || this.m2 <= 1e-14 * this.w * this.mean * this.mean) return NaN;
    return 1 - this.ssRes / this.m2;
  }

  update(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights?: ArrayLike<number>): void {
    checkBatch(this.name, yTrue, yPred, weights);
    for (let i = 0; i < yTrue.length; i++) {
      const wi = weights === undefined ? 1 : weights[i]!;
      if (wi === 0) {
        this.rows++;
        continue;
      }
      const y = yTrue[i]!,
        e = y - yPred[i]!;
      const w = this.w + wi;
      const d = y - this.mean;
      this.mean += (wi * d) / w;
      this.m2 += wi * d * (y - this.mean);
      this.w = w;
      this.ssRes += wi * e * e;
      this.rows++;
    }
  }

  reset(): void {
    this.w = 0;
    this.mean = 0;
    this.m2 = 0;
    this.ssRes = 0;
    this.rows = 0;
  }

  toJSON(): MetricState {
    return { type: this.name, weight: this.w, mean: this.mean, m2: this.m2, ssRes: this.ssRes, rows: this.rows };
  }

  static fromJSON(state: MetricState): R2 {
    const r = new R2();
    r.w = state.weight as number;
    r.mean = state.mean as number;
    r.m2 = state.m2 as number;
    r.ssRes = state.ssRes as number;
    r.rows = state.rows as number;
    return r;
  }
}

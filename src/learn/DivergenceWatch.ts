import type { Task } from './Model.js';

export interface DivergenceWatchOptions {
  /**
   * Rows whose mean loss is the reference "start" loss: whole mini-batches until at least this many
   * (default 32, one default mini-batch: a runaway rate blows up within a few updates, so the
   * reference must come from the first ones).
   */
  startRows?: number;
  /** Rows of the exponential window that smooths the recent loss (default 256). */
  window?: number;
  /**
   * How many times its start the smoothed loss may grow before the model counts as diverged.
   * Default 1e4 for regression (squared error grows with the square of a runaway weight; a
   * drifting target rarely moves it 100×), 10 for classification (log loss: 10× ln 2 ≈ 6.9 means
   * the true class gets p ≈ 0.001 on average, which only a runaway model does).
   */
  factor?: number;
}

export interface DivergenceWatchState {
  task: Task;
  /** The `startRows` option. */
  startWanted: number;
  window: number;
  factor: number;
  rows: number;
  startSum: number;
  startRows: number;
  smoothed: number;
}

/**
 * Watches the loss of a model's predictions made before it learns each mini-batch (test-then-train)
 * and says when training has diverged: a prediction that is not finite, or a smoothed loss
 * (exponential window of about `window` rows) grown past `factor` times the mean loss of the first
 * mini-batches (`startRows`). It reads predictions the run computes anyway: one pass over them.
 */
export class DivergenceWatch {
  readonly task: Task;
  readonly startRowsWanted: number;
  readonly window: number;
  readonly factor: number;
  private rows = 0;
  private startSum = 0;
  private startRows = 0;
  private smoothed = NaN;

  constructor(task: Task, options: DivergenceWatchOptions = {}) {
    this.task = task;
    this.startRowsWanted = options.startRows ?? 32;
    this.window = options.window ?? 256;
    if (!(Number.isInteger(this.startRowsWanted) && this.startRowsWanted >= 1))
      throw new RangeError(`DivergenceWatch: startRows must be an integer ≥ 1, got ${this.startRowsWanted}`);
    this.factor = options.factor ?? (task === 'regression' ? 1e4 : 10);
    if (!(Number.isInteger(this.window) && this.window >= 1)) throw new RangeError(`DivergenceWatch: window must be an integer ≥ 1, got ${this.window}`);
    if (!(this.factor > 1)) throw new RangeError(`DivergenceWatch: factor must be > 1, got ${this.factor}`);
  }

  /** Mean loss of the first mini-batches (NaN before any row). */
  get start(): number {
    return this.startSum / this.startRows;
  }

  /** The smoothed recent loss (NaN before any row). */
  get recent(): number {
    return this.smoothed;
  }

  /** Rows seen. */
  get seen(): number {
    return this.rows;
  }

  /** True while the recent loss is no worse than twice the start: a state worth keeping to restore. */
  get healthy(): boolean {
    return this.startRows > 0 && this.smoothed <= 2 * this.start;
  }

  /**
   * Adds one mini-batch: `targets` (class index or value per row) and the predictions made before
   * learning it (`outputs` per row: 1 for regression and binary, the class count for multiclass).
   * Returns why training diverged, or null.
   */
  update(targets: ArrayLike<number>, predictions: ArrayLike<number>, outputs: number): string | null {
    return this.updateRows(targets, predictions, outputs, 0, targets.length);
  }

  /**
   * update() on rows [from, to) of `targets` (and their predictions, from row `from`): a caller
   * that feeds a chunk in pieces needs no views of it.
   */
  updateRows(targets: ArrayLike<number>, predictions: ArrayLike<number>, outputs: number, from: number, to: number): string | null {
    const n = to - from;
    if (n <= 0) return null;
    let sum = 0;
    if (this.task === 'regression') {
      for (let i = from; i < to; i++) {
        const p = predictions[i]!,
          y = targets[i]!;
        if (!Number.isFinite(p)) return `the prediction for row ${this.rows + i - from + 1} is ${p}`;
        sum += (p - y) * (p - y);
      }
    } else {
      // Probabilities are clipped like LogLoss does, so one confident miss costs at most ~34.5.
      // Σ −log p as −log Π p: one log per piece instead of one a row (each clipped p is ≥ 1e-15,
      // so the product is folded into the sum below 1e-280, before it could underflow). Equal to
      // the row-by-row sum within rounding (a few ulps); the watch compares it with a bar 10× its
      // start. The bounds are literals here (see LogLoss): a module constant in the clip made V8
      // box the product on every row.
      const lo = 1e-15,
        hi = 1 - 1e-15,
        floor = 1e-280;
      let prod = 1;
      for (let i = from; i < to; i++) {
        const y = targets[i]!;
        const p = outputs === 1 ? (y === 1 ? predictions[i]! : 1 - predictions[i]!) : predictions[i * outputs + y]!;
        if (!Number.isFinite(p)) return `the predicted probability for row ${this.rows + i - from + 1} is ${p}`;
        prod *= p < lo ? lo : p > hi ? hi : p;
        if (prod < floor) {
          sum -= Math.log(prod);
          prod = 1;
        }
      }
      sum -= Math.log(prod);
    }
    if (!Number.isFinite(sum)) return `the loss of rows ${this.rows + 1}–${this.rows + n} is ${sum}`;
    const mean = sum / n;
    if (this.startRows < this.startRowsWanted) {
      this.startSum += sum;
      this.startRows += n;
      this.smoothed = this.start;
      this.rows += n;
      return null;
    }
    this.smoothed += (mean - this.smoothed) * Math.min(1, n / this.window);
    this.rows += n;
    const start = this.start;
    // A model perfect at first (start 0) is judged against a small floor instead.
    if (this.smoothed > this.factor * Math.max(start, 1e-12)) {
      return `the mean loss grew from ${fmt(start)} over the first ${this.startRows} rows to ${fmt(this.smoothed)} by row ${this.rows}`;
    }
    return null;
  }

  toJSON(): DivergenceWatchState {
    return {
      task: this.task,
      startWanted: this.startRowsWanted,
      window: this.window,
      factor: this.factor,
      rows: this.rows,
      startSum: this.startSum,
      startRows: this.startRows,
      smoothed: this.smoothed,
    };
  }

  static fromJSON(s: DivergenceWatchState): DivergenceWatch {
    const w = new DivergenceWatch(s.task, { startRows: s.startWanted, window: s.window, factor: s.factor });
    w.rows = s.rows;
    w.startSum = s.startSum;
    w.startRows = s.startRows;
    w.smoothed = s.smoothed ?? NaN; // JSON writes NaN as null
    return w;
  }
}

function fmt(x: number): string {
  return Math.abs(x) >= 1e5 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(2) : x.toPrecision(4);
}

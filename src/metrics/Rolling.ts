import { SluiceError } from '../core/index.js';
import { ConfusionMatrix } from './ConfusionMatrix.js';
import { checkBatch } from './checkBatch.js';
import type { Metric, MetricState } from './Metric.js';

export interface RollingState extends MetricState {
  type: 'rolling';
  window: number;
  /** Prediction values per row (0 before the first row). */
  width: number;
  /** The window's rows, oldest first. */
  yTrue: number[];
  yPred: number[];
  weights: number[] | null;
  inner: MetricState;
}

/**
 * Any metric over the last `window` rows. The rows live in a ring buffer (memory bounded by the
 * window: 8·(1 + width) bytes a row, plus the metric's own state). Metrics that can `revert`
 * (confusion-matrix metrics, mean losses, streaming AUC) slide in O(rows): the rows leaving the
 * window are reverted. Their counts are exact for integer weights and their loss sums are
 * compensated (see MeanLoss); to stop any remaining float drift the metric is also rebuilt from
 * the buffer every `window` evicted rows (amortized O(1) a row). The others (exact AUC, R²) are
 * rebuilt from the buffer when read after a change: O(window) a read, O(window·log) for AUC.
 */
export class Rolling implements Metric {
  readonly window: number;
  private readonly m: Metric;
  private width = 0;
  private yt: Float64Array;
  private yp = new Float64Array(0);
  private w: Float64Array | null = null;
  private start = 0;
  private size = 0;
  private dirty = false;
  private evicted = 0;

  constructor(metric: Metric, window: number) {
    if (!Number.isInteger(window) || window < 1) throw new SluiceError('METRIC', `rolling ${metric.name}: window must be an integer ≥ 1, got ${window}`);
    this.m = metric;
    this.window = window;
    this.yt = new Float64Array(window);
    metric.reset();
  }

  get name(): string {
    return this.m.name;
  }
  get input(): Metric['input'] {
    return this.m.input;
  }
  /** Rows in the window. */
  get count(): number {
    return this.size;
  }

  /** The wrapped metric, holding exactly the window's rows (for extras like `errorBound`). */
  get metric(): Metric {
    if (this.dirty) this.rebuild();
    return this.m;
  }

  get value(): number {
    return this.metric.value;
  }

  update(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights?: ArrayLike<number>): void {
    const n = yTrue.length;
    const width = checkBatch(this.name, yTrue, yPred, weights, ConfusionMatrix.MAX_CLASSES);
    if (n === 0) return;
    if (this.width !== 0 && width !== this.width) {
      throw new SluiceError('METRIC', `rolling ${this.name}: yPred has ${width} values per row, the window holds ${this.width}`);
    }
    // The metric checks the rows (labels, NaN scores) and throws before changing anything,
    // so a bad batch leaves the window as it was.
    this.m.update(yTrue, yPred, weights);
    if (this.width === 0) {
      this.width = width;
      this.yp = new Float64Array(this.window * width);
    }
    if (weights !== undefined && this.w === null) this.w = new Float64Array(this.window).fill(1);
    const revertible = this.m.revert !== undefined;
    if (n >= this.window) {
      this.start = 0;
      this.size = 0;
      this.write(yTrue, yPred, weights, n - this.window, n);
      this.rebuild();
      return;
    }
    const out = Math.max(0, this.size + n - this.window);
    if (out > 0) {
      if (revertible) this.forEachSegment(this.start, out, (a, b) => this.m.revert!(...this.rows(a, b)));
      this.start = (this.start + out) % this.window;
      this.size -= out;
      this.evicted += out;
    }
    this.write(yTrue, yPred, weights, 0, n);
    if (!revertible) {
      this.dirty = true;
      // Without reads the metric would keep every row; rebuilding caps it at twice the window.
      if (this.m.count > 2 * this.window) this.rebuild();
    } else if (this.evicted >= this.window) {
      this.rebuild();
    }
  }

  reset(): void {
    this.m.reset();
    this.start = 0;
    this.size = 0;
    this.dirty = false;
    this.evicted = 0;
  }

  toJSON(): RollingState {
    const yTrue: number[] = [],
      yPred: number[] = [],
      weights: number[] | null = this.w ? [] : null;
    this.forEachSegment(this.start, this.size, (a, b) => {
      const [t, p, w] = this.rows(a, b);
      // Loops, not push(...a): spreading a large window overflows the argument limit.
      for (const v of t) yTrue.push(v);
      for (const v of p) yPred.push(v);
      if (weights && w) for (const v of w) weights.push(v);
    });
    return { type: 'rolling', window: this.window, width: this.width, yTrue, yPred, weights, inner: this.metric.toJSON() };
  }

  /** Restores a window around `metric`, which must be the inner metric restored from `state.inner`. */
  static fromJSON(state: RollingState, metric: Metric): Rolling {
    const r = new Rolling(metric, state.window);
    if (state.yTrue.length > 0) {
      r.width = state.width;
      r.yp = new Float64Array(state.window * state.width);
      if (state.weights) r.w = new Float64Array(state.window).fill(1);
      r.write(state.yTrue, state.yPred, state.weights ?? undefined, 0, state.yTrue.length);
    }
    r.rebuild();
    return r;
  }

  /** Appends batch rows [from, to) after the newest row; the caller has made room. */
  private write(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights: ArrayLike<number> | undefined, from: number, to: number): void {
    const k = this.width,
      W = this.window;
    for (let i = from; i < to; i++) {
      const slot = (this.start + this.size) % W;
      this.yt[slot] = yTrue[i]!;
      for (let c = 0; c < k; c++) this.yp[slot * k + c] = yPred[i * k + c]!;
      if (this.w) this.w[slot] = weights === undefined ? 1 : weights[i]!;
      this.size++;
    }
  }

  /** Calls `fn` on the ring slots of `count` rows from slot `from`: one or two contiguous runs. */
  private forEachSegment(from: number, count: number, fn: (a: number, b: number) => void): void {
    const end = from + count;
    if (end <= this.window) {
      if (count > 0) fn(from, end);
    } else {
      fn(from, this.window);
      fn(0, end - this.window);
    }
  }

  private rows(a: number, b: number): [Float64Array, Float64Array, Float64Array | undefined] {
    return [this.yt.subarray(a, b), this.yp.subarray(a * this.width, b * this.width), this.w?.subarray(a, b)];
  }

  private rebuild(): void {
    this.m.reset();
    this.forEachSegment(this.start, this.size, (a, b) => this.m.update(...this.rows(a, b)));
    this.dirty = false;
    this.evicted = 0;
  }
}

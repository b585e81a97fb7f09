/**
 * A bounded (x, y) history for charts. When full it drops every other kept point and doubles
 * its stride, so a run of any length keeps at most `capacity` points spread evenly over the
 * whole run (plus the latest one), in O(1) amortised per point.
 */
export class Series {
  readonly capacity: number;
  private readonly xs: Float64Array;
  private readonly ys: Float64Array;
  private n = 0;
  private stride = 1;
  private seen = 0;
  private lastX = NaN;
  private lastY = NaN;

  constructor(capacity = 240) {
    // Even, so halving keeps the first point and the spacing stays uniform.
    this.capacity = Math.max(4, capacity + (capacity % 2));
    this.xs = new Float64Array(this.capacity);
    this.ys = new Float64Array(this.capacity);
  }

  /** Points offered so far (kept or not). */
  get count(): number {
    return this.seen;
  }

  add(x: number, y: number): void {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    this.lastX = x;
    this.lastY = y;
    if (this.seen++ % this.stride !== 0) return;
    if (this.n === this.capacity) {
      for (let i = 0; i < this.capacity / 2; i++) {
        this.xs[i] = this.xs[2 * i]!;
        this.ys[i] = this.ys[2 * i]!;
      }
      this.n = this.capacity / 2;
      this.stride *= 2;
      // After doubling, this point sits on the new grid only when its index is a multiple.
      if ((this.seen - 1) % this.stride !== 0) return;
    }
    this.xs[this.n] = x;
    this.ys[this.n] = y;
    this.n++;
  }

  /** Kept points in order, ending with the latest point offered. */
  points(): { xs: number[]; ys: number[] } {
    const xs = Array.from(this.xs.subarray(0, this.n)),
      ys = Array.from(this.ys.subarray(0, this.n));
    if (this.seen > 0 && (this.n === 0 || xs[this.n - 1] !== this.lastX || ys[this.n - 1] !== this.lastY)) {
      xs.push(this.lastX);
      ys.push(this.lastY);
    }
    return { xs, ys };
  }
}

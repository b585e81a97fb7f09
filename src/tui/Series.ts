/**
 * A bounded (x, y) history for charts. When full it merges neighbour points pairwise and doubles
 * its stride, so a run of any length keeps at most `capacity` points spread evenly over the
 * whole run (plus the latest one), in O(1) amortised per point. A kept point stands for a bucket
 * of `stride` points: its x is the bucket's first, its y the bucket's value furthest from the
 * point kept before it, so a short dip or spike (a drift) survives decimation instead of falling
 * between the points kept.
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
    if (this.seen++ % this.stride !== 0) {
      this.fold(y);
      return;
    }
    if (this.n === this.capacity) {
      for (let i = 0; i < this.capacity / 2; i++) {
        this.xs[i] = this.xs[2 * i]!;
        this.ys[i] = i === 0 ? this.ys[0]! : furthest(this.ys[i - 1]!, this.ys[2 * i]!, this.ys[2 * i + 1]!);
      }
      this.n = this.capacity / 2;
      this.stride *= 2;
      // After doubling, this point starts a bucket only when its index is a multiple; else it joins the last one.
      if ((this.seen - 1) % this.stride !== 0) {
        this.fold(y);
        return;
      }
    }
    this.xs[this.n] = x;
    this.ys[this.n] = y;
    this.n++;
  }

  /** A point inside the last kept bucket: it becomes the bucket's y when further from the point before. */
  private fold(y: number): void {
    const n = this.n;
    if (n < 2) return;
    this.ys[n - 1] = furthest(this.ys[n - 2]!, this.ys[n - 1]!, y);
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

/** Of a and b, the one further from `from` (a on a tie). */
function furthest(from: number, a: number, b: number): number {
  return Math.abs(b - from) > Math.abs(a - from) ? b : a;
}

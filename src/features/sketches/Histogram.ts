import { SpecError } from '../../core/index.js';

/** Serialized Histogram. */
export interface HistogramState {
  bins: number;
  lo: number;
  width: number;
  counts: number[];
}

/**
 * Fixed number of equal-width bins whose range grows to cover the data: the first value sets the
 * range, and a value outside doubles the bin width (merging neighbour bins pairwise) until it
 * fits. Counts stay exact; only the resolution coarsens. Non-finite values are ignored.
 * Bin i covers [lo + i·width, lo + (i+1)·width). `merge` adds the other's counts at its bin
 * centres (exact when both share a grid, otherwise each count lands in the bin of its centre).
 */
export class Histogram {
  lo = NaN;
  width = NaN;
  counts: Float64Array;

  constructor(
    readonly bins = 32,
    initial?: { lo: number; hi: number },
  ) {
    if (!Number.isInteger(bins) || bins < 2 || bins % 2 !== 0) throw new SpecError('bins', `expected an even integer ≥ 2, got ${bins}`);
    this.counts = new Float64Array(bins);
    if (initial) {
      if (!(initial.hi > initial.lo)) throw new SpecError('range', `expected lo < hi, got [${initial.lo}, ${initial.hi}]`);
      this.lo = initial.lo;
      this.width = (initial.hi - initial.lo) / bins;
    }
  }

  get hi(): number {
    return this.lo + this.width * this.bins;
  }

  get total(): number {
    let t = 0;
    for (const c of this.counts) t += c;
    return t;
  }

  add(x: number, weight = 1): void {
    if (!Number.isFinite(x)) return;
    if (Number.isNaN(this.lo)) this.init(x, x);
    while (x < this.lo) this.grow(false);
    while (x >= this.hi) this.grow(true);
    const i = Math.min(this.bins - 1, Math.floor((x - this.lo) / this.width));
    this.counts[i]! += weight;
  }

  /** Adds `values[i]` where `keep` is null or set. The first call sizes the range from its data. */
  addMany(values: ArrayLike<number>, keep: Uint8Array | null = null, n = values.length): void {
    if (Number.isNaN(this.lo)) {
      let mn = Infinity,
        mx = -Infinity;
      for (let i = 0; i < n; i++) {
        if (keep && !keep[i]) continue;
        const x = values[i]!;
        if (!Number.isFinite(x)) continue;
        if (x < mn) mn = x;
        if (x > mx) mx = x;
      }
      if (mn === Infinity) return;
      this.init(mn, mx);
    }
    for (let i = 0; i < n; i++) if (!keep || keep[i]) this.add(values[i]!);
  }

  merge(other: Histogram): this {
    if (Number.isNaN(other.lo)) return this;
    for (let i = 0; i < other.bins; i++) if (other.counts[i]) this.add(other.lo + (i + 0.5) * other.width, other.counts[i]!);
    return this;
  }

  private init(mn: number, mx: number): void {
    // A single point gets unit-width bins around it; a range is padded by one bin so the max fits.
    if (mx === mn) {
      this.width = 1;
      this.lo = mn - this.bins / 2;
      return;
    }
    this.width = (mx - mn) / (this.bins - 1);
    this.lo = mn;
  }

  /** Doubles the width, extending the range up or down; neighbour bins merge pairwise. */
  private grow(up: boolean): void {
    const half = this.bins / 2;
    const next = new Float64Array(this.bins);
    if (up) {
      for (let i = 0; i < this.bins; i++) next[i >> 1]! += this.counts[i]!;
    } else {
      for (let i = 0; i < this.bins; i++) next[half + (i >> 1)]! += this.counts[i]!;
      this.lo -= this.width * this.bins;
    }
    this.width *= 2;
    this.counts = next;
  }

  toJSON(): HistogramState {
    return { bins: this.bins, lo: Number.isNaN(this.lo) ? 0 : this.lo, width: Number.isNaN(this.width) ? 0 : this.width, counts: Array.from(this.counts) };
  }

  static fromJSON(s: HistogramState): Histogram {
    const h = new Histogram(s.bins);
    if (s.width > 0) {
      h.lo = s.lo;
      h.width = s.width;
    }
    h.counts = Float64Array.from(s.counts);
    return h;
  }
}

import { SpecError } from '../../core/index.js';

/** Serialized QuantileSketch. */
export interface QuantileSketchState {
  k: number;
  n: number;
  min: number;
  max: number;
  /** levels[h] holds items of weight 2^h. */
  levels: number[][];
  /** xorshift32 state for the compaction coin, so restored sketches continue identically. */
  seed: number;
}

/** Smallest level capacity: below it, compaction saves too little to be worth it (as in DataSketches). */
const MIN_CAPACITY = 8;
/** Capacity decay per level below the top (KLL's c = 2/3). */
const DECAY = 2 / 3;

/**
 * KLL quantile sketch (Karnin, Lang, Liberty 2016) over finite numbers: mergeable, serializable,
 * deterministic under its seed. Memory is O(k) items (about 3k).
 *
 * Error bound: for the default k = 200, the rank of a returned quantile is within ±1.33% of n of
 * the asked rank with 99% probability (normalized rank error ≈ 2.296 / k^0.9723, the bound
 * Apache DataSketches measures for this layout; `rankErrorBound(k)`). Min and max are exact.
 */
export class QuantileSketch {
  readonly k: number;
  n = 0;
  min = Infinity;
  max = -Infinity;
  private levels: number[][] = [[]];
  private seed: number;
  private size = 0;
  /** Cached sum of level capacities; changes only when a level is added. */
  private total = 0;
  /**
   * The items sorted, with their cumulative weights, kept until the next change: drift checks read
   * ten deciles and a rank per edge of one unchanged sketch (a sort per read made each comparison
   * of DataDriftMonitor cost ~1 ms a column).
   */
  private sorted: { values: Float64Array; cum: Float64Array } | null = null;

  constructor(k = 200, seed = 0x9e3779b9) {
    if (!Number.isInteger(k) || k < MIN_CAPACITY || k > 65535) throw new SpecError('k', `expected an integer in [${MIN_CAPACITY}, 65535], got ${k}`);
    this.k = k;
    this.seed = seed >>> 0 || 1;
    this.total = this.capacityTotal();
  }

  /** Normalized rank error (fraction of n) at 99% confidence for a sketch of parameter k. */
  static rankErrorBound(k: number): number {
    return 2.296 / k ** 0.9723;
  }

  add(x: number): void {
    if (!Number.isFinite(x)) return;
    this.n++;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    this.levels[0]!.push(x);
    this.sorted = null;
    if (++this.size > this.total) this.compress();
  }

  /** Adds `values[i]` for rows where `keep` is null or `keep[i]` is non-zero; non-finite values are ignored. */
  addMany(values: ArrayLike<number>, keep: Uint8Array | null = null, n = values.length): void {
    for (let i = 0; i < n; i++) if (!keep || keep[i]) this.add(values[i]!);
  }

  merge(other: QuantileSketch): this {
    if (other.n === 0) return this;
    this.sorted = null;
    while (this.levels.length < other.levels.length) this.levels.push([]);
    this.total = this.capacityTotal();
    other.levels.forEach((lvl, h) => {
      for (const x of lvl) this.levels[h]!.push(x);
    });
    this.n += other.n;
    this.size += other.size;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
    while (this.size > this.total) this.compress();
    return this;
  }

  /** The value at quantile q ∈ [0, 1] (NaN when empty). q=0 and q=1 give the exact min and max. */
  quantile(q: number): number {
    if (this.n === 0) return NaN;
    if (q <= 0) return this.min;
    if (q >= 1) return this.max;
    const { values, cum } = this.weighted();
    // The first item whose cumulative weight reaches q·n (cum increases: binary search).
    const target = q * this.n;
    let lo = 0,
      hi = values.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid]! >= target) hi = mid;
      else lo = mid + 1;
    }
    return lo < values.length ? values[lo]! : this.max;
  }

  /** Estimated fraction of values ≤ x. */
  rank(x: number): number {
    if (this.n === 0) return NaN;
    const { values, cum } = this.weighted();
    // Items ≤ x are a prefix of the sorted ones; their weights (powers of two) sum exactly.
    let lo = 0,
      hi = values.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (values[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return (lo === 0 ? 0 : cum[lo - 1]!) / this.n;
  }

  /** True while the sketch holds every value it was given (no level was ever compacted). */
  get exact(): boolean {
    for (let h = 1; h < this.levels.length; h++) if (this.levels[h]!.length > 0) return false;
    return true;
  }

  /**
   * The retained items in ascending order and their cumulative weights (each item weighs
   * 2^level; the last cumulative weight is n), kept until the next change. Read-only views.
   */
  sortedItems(): { readonly values: Float64Array; readonly cum: Float64Array } {
    return this.weighted();
  }

  private weighted(): { values: Float64Array; cum: Float64Array } {
    if (this.sorted) return this.sorted;
    const pairs: Array<[number, number]> = [];
    this.levels.forEach((lvl, h) => {
      for (const v of lvl) pairs.push([v, 2 ** h]);
    });
    pairs.sort((a, b) => a[0] - b[0]);
    const values = Float64Array.from(pairs, (p) => p[0]),
      cum = new Float64Array(pairs.length);
    let c = 0;
    for (let i = 0; i < pairs.length; i++) cum[i] = c += pairs[i]![1];
    this.sorted = { values, cum };
    return this.sorted;
  }

  private capacity(h: number): number {
    const depth = this.levels.length - 1 - h;
    return Math.max(MIN_CAPACITY, Math.ceil(this.k * DECAY ** depth));
  }

  private capacityTotal(): number {
    let c = 0;
    for (let h = 0; h < this.levels.length; h++) c += this.capacity(h);
    return c;
  }

  /** Compacts the lowest level at or over capacity: sorts it and promotes every other item. */
  private compress(): void {
    for (let h = 0; h < this.levels.length; h++) {
      const lvl = this.levels[h]!;
      if (lvl.length < this.capacity(h)) continue;
      if (h + 1 === this.levels.length) {
        this.levels.push([]);
        this.total = this.capacityTotal();
      }
      lvl.sort((a, b) => a - b);
      // An odd item stays behind so the promoted half has an even count to pair.
      const keep = lvl.length % 2 === 1 ? lvl.shift()! : undefined;
      const offset = this.coin();
      const up = this.levels[h + 1]!;
      for (let i = offset; i < lvl.length; i += 2) up.push(lvl[i]!);
      this.size -= lvl.length / 2;
      this.levels[h] = keep === undefined ? [] : [keep];
      return;
    }
  }

  private coin(): number {
    let x = this.seed;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.seed = x;
    return x & 1;
  }

  toJSON(): QuantileSketchState {
    return { k: this.k, n: this.n, min: this.n ? this.min : 0, max: this.n ? this.max : 0, levels: this.levels.map((l) => l.slice()), seed: this.seed };
  }

  static fromJSON(s: QuantileSketchState): QuantileSketch {
    const q = new QuantileSketch(s.k, s.seed);
    q.n = s.n;
    q.min = s.n ? s.min : Infinity;
    q.max = s.n ? s.max : -Infinity;
    q.levels = s.levels.map((l) => l.slice());
    if (q.levels.length === 0) q.levels.push([]);
    q.size = q.levels.reduce((a, l) => a + l.length, 0);
    q.total = q.capacityTotal();
    return q;
  }
}

import { SpecError } from '../../core/index.js';

/** Serialized SpaceSaving: `[item, count, error]` triples. */
export interface SpaceSavingState {
  capacity: number;
  n: number;
  entries: Array<[string, number, number]>;
}

/** One heavy hitter: `count` overestimates the true count by at most `error`. */
export interface TopItem {
  value: string;
  count: number;
  error: number;
}

/**
 * Space-saving heavy hitters (Metwally, Agrawal, El Abbadi 2005) with weighted updates, over
 * strings. Keeps `capacity` counters; every item whose true count exceeds n / capacity is kept,
 * and each kept count overestimates the truth by at most `error` ≤ n / capacity. Mergeable
 * (Agarwal et al. 2012: sum the counters, then keep the largest `capacity`) and serializable.
 */
export class SpaceSaving {
  n = 0;
  private readonly counts = new Map<string, number>();
  private readonly errors = new Map<string, number>();

  constructor(readonly capacity = 64) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new SpecError('capacity', `expected a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.counts.size;
  }

  add(item: string, weight = 1): void {
    this.n += weight;
    const c = this.counts.get(item);
    if (c !== undefined) { this.counts.set(item, c + weight); return; }
    if (this.counts.size < this.capacity) { this.counts.set(item, weight); this.errors.set(item, 0); return; }
    // Replace the smallest counter; the newcomer inherits its count as error. O(capacity), but
    // callers pre-aggregate each batch by dictionary code, so this runs per distinct item per batch.
    let minItem = '', minCount = Infinity;
    for (const [k, v] of this.counts) if (v < minCount) { minCount = v; minItem = k; }
    this.counts.delete(minItem);
    this.errors.delete(minItem);
    this.counts.set(item, minCount + weight);
    this.errors.set(item, minCount);
  }

  /** Smallest kept count (0 while not full): the most an unkept item can have occurred. */
  get floor(): number {
    if (this.counts.size < this.capacity) return 0;
    let m = Infinity;
    for (const v of this.counts.values()) if (v < m) m = v;
    return m;
  }

  merge(other: SpaceSaving): this {
    const fa = this.floor, fb = other.floor;
    const all = new Map<string, [number, number]>();
    for (const [k, c] of this.counts) all.set(k, [c + (other.counts.has(k) ? 0 : fb), this.errors.get(k)! + (other.counts.has(k) ? 0 : fb)]);
    for (const [k, c] of other.counts) {
      const e = other.errors.get(k)!;
      const cur = all.get(k);
      if (cur && this.counts.has(k)) all.set(k, [cur[0] + c, cur[1] + e]);
      else all.set(k, [c + fa, e + fa]);
    }
    const kept = [...all].sort((a, b) => b[1][0] - a[1][0] || (a[0] < b[0] ? -1 : 1)).slice(0, this.capacity);
    this.counts.clear(); this.errors.clear();
    for (const [k, [c, e]] of kept) { this.counts.set(k, c); this.errors.set(k, e); }
    this.n += other.n;
    return this;
  }

  /** The `m` largest counters, largest first (ties by value, for determinism). */
  top(m = this.capacity): TopItem[] {
    return [...this.counts].map(([value, count]) => ({ value, count, error: this.errors.get(value)! }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
      .slice(0, m);
  }

  toJSON(): SpaceSavingState {
    return { capacity: this.capacity, n: this.n, entries: [...this.counts].map(([k, c]) => [k, c, this.errors.get(k)!]) };
  }

  static fromJSON(s: SpaceSavingState): SpaceSaving {
    const ss = new SpaceSaving(s.capacity);
    ss.n = s.n;
    for (const [k, c, e] of s.entries) { ss.counts.set(k, c); ss.errors.set(k, e); }
    return ss;
  }
}

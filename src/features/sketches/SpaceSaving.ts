import { SpecError } from '../../core/index.js';

/** Serialized SpaceSaving: `[item, count, error]` triples. */
export interface SpaceSavingState {
  capacity: number;
  n: number;
  entries: Array<[string, number, number]>;
  /** No item was ever dropped (absent in older states: then fewer entries than capacity). */
  exact?: boolean;
  /** The most an item not kept can have occurred (absent in older states: the smallest count when full). */
  floor?: number;
}

/** One heavy hitter: `count` overestimates the true count by at most `error` (0: exact). */
export interface TopItem {
  value: string;
  count: number;
  error: number;
}

/**
 * Space-saving heavy hitters (Metwally, Agrawal, El Abbadi 2005) with weighted updates, over
 * strings. Keeps `capacity` counters; every item whose true count exceeds n / capacity is kept,
 * and each kept count overestimates the truth by at most `error` ≤ n / capacity. Counts are
 * exact (`exact`) until more distinct items than `capacity` have been seen. Mergeable (Agarwal
 * et al. 2012: sum the counters, then keep the largest `capacity`) and serializable.
 *
 * The counters form a binary min-heap, so an update costs O(log capacity) and a large capacity
 * (thousands, for exploring high-cardinality columns) stays cheap.
 */
export class SpaceSaving {
  n = 0;
  private items: string[] = [];
  private counts: number[] = [];
  private errors: number[] = [];
  private readonly slot = new Map<string, number>();
  private dropped = false;
  /** The most an item not kept can have occurred (0 while exact). */
  private unkept = 0;

  constructor(readonly capacity = 64) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new SpecError('capacity', `expected a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.items.length;
  }

  /** True while no item has been dropped: every count is exact and every item seen is kept. */
  get exact(): boolean {
    return !this.dropped;
  }

  add(item: string, weight = 1): void {
    this.n += weight;
    const i = this.slot.get(item);
    if (i !== undefined) {
      this.counts[i]! += weight;
      this.down(i);
      return;
    }
    if (this.items.length < this.capacity) {
      // Room left (always, while exact): a dropped item may come back, so it starts at the floor.
      this.items.push(item);
      this.counts.push(this.unkept + weight);
      this.errors.push(this.unkept);
      this.slot.set(item, this.items.length - 1);
      this.up(this.items.length - 1);
      return;
    }
    // Replace the smallest counter; the newcomer inherits its count as error.
    this.dropped = true;
    this.slot.delete(this.items[0]!);
    const min = this.counts[0]!;
    this.unkept = Math.max(this.unkept, min);
    this.items[0] = item;
    this.counts[0] = min + weight;
    this.errors[0] = min;
    this.slot.set(item, 0);
    this.down(0);
  }

  /** The most an item not kept can have occurred: 0 while exact, else at most the smallest counter. */
  get floor(): number {
    return this.unkept;
  }

  merge(other: SpaceSaving): this {
    const fa = this.floor,
      fb = other.floor;
    const all = new Map<string, [number, number]>();
    for (let i = 0; i < this.items.length; i++) all.set(this.items[i]!, [this.counts[i]! + fb, this.errors[i]! + fb]);
    for (let j = 0; j < other.items.length; j++) {
      const k = other.items[j]!,
        c = other.counts[j]!,
        e = other.errors[j]!;
      const cur = all.get(k);
      // Seen by both: the sums, without the floor added above for "unseen by other".
      if (cur) all.set(k, [cur[0] - fb + c, cur[1] - fb + e]);
      else all.set(k, [c + fa, e + fa]);
    }
    const sorted = [...all].sort((a, b) => b[1][0] - a[1][0] || (a[0] < b[0] ? -1 : 1));
    const kept = sorted.slice(0, this.capacity);
    this.dropped = this.dropped || other.dropped || sorted.length > this.capacity;
    // An item in neither had at most fa + fb; one dropped here at most its merged count.
    this.unkept = Math.max(fa + fb, sorted[this.capacity]?.[1][0] ?? 0);
    this.load(kept.map(([k, [c, e]]) => [k, c, e]));
    this.n += other.n;
    return this;
  }

  /**
   * The `m` items with the largest guaranteed counts (count − error), largest first; ties by
   * count, then by value, for determinism. While `exact`, these are the true top counts.
   */
  top(m = this.capacity): TopItem[] {
    return this.items
      .map((value, i) => ({ value, count: this.counts[i]!, error: this.errors[i]! }))
      .sort((a, b) => b.count - b.error - (a.count - a.error) || b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
      .slice(0, m);
  }

  toJSON(): SpaceSavingState {
    return {
      capacity: this.capacity,
      n: this.n,
      exact: !this.dropped,
      floor: this.unkept,
      entries: this.items.map((k, i) => [k, this.counts[i]!, this.errors[i]!]),
    };
  }

  static fromJSON(s: SpaceSavingState): SpaceSaving {
    const ss = new SpaceSaving(s.capacity);
    ss.n = s.n;
    ss.dropped = !(s.exact ?? s.entries.length < s.capacity);
    ss.load(s.entries);
    ss.unkept = s.floor ?? (ss.dropped ? Math.min(...ss.counts) : 0);
    return ss;
  }

  private load(entries: ReadonlyArray<readonly [string, number, number]>): void {
    this.items = entries.map((e) => e[0]);
    this.counts = entries.map((e) => e[1]);
    this.errors = entries.map((e) => e[2]);
    this.slot.clear();
    this.items.forEach((k, i) => this.slot.set(k, i));
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.counts[p]! <= this.counts[i]!) return;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.items.length;
    for (;;) {
      const l = 2 * i + 1,
        r = l + 1;
      let m = i;
      if (l < n && this.counts[l]! < this.counts[m]!) m = l;
      if (r < n && this.counts[r]! < this.counts[m]!) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(i: number, j: number): void {
    const k = this.items[i]!,
      c = this.counts[i]!,
      e = this.errors[i]!;
    this.items[i] = this.items[j]!;
    this.counts[i] = this.counts[j]!;
    this.errors[i] = this.errors[j]!;
    this.items[j] = k;
    this.counts[j] = c;
    this.errors[j] = e;
    this.slot.set(this.items[i]!, i);
    this.slot.set(k, j);
  }
}

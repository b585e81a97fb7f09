import { type BadRows, type Batch, type Column, SpecError, validity } from '../core/index.js';
import { type RowReject, rejectRows } from './rejectRows.js';

export interface DedupeOptions {
  /** Key columns: rows with equal values in all of them are duplicates. */
  keys: readonly string[];
  /** Count window: a row is a duplicate when its key occurred among the previous `count` rows. */
  count?: number;
  /** Time window: a duplicate when its key occurred within `ms` before it, by datetime column `time`. */
  ms?: number;
  time?: string;
  /** Time window only: hard cap on remembered keys (default 1,000,000); oldest go first. */
  maxKeys?: number;
}

export interface DedupeState {
  keys: string[];
  count: number | null;
  ms: number | null;
  time: string | null;
  maxKeys: number;
  /** Remembered keys, oldest first: count window → keys; time window → [key, time]. */
  recent: Array<string | [string, number]>;
}

/**
 * Drops rows whose key was seen recently. Memory is bounded by the window: a count window keeps a
 * ring of the last `count` keys with a key → occurrences map; a time window keeps key → last time
 * plus a FIFO to evict keys older than `ms` (and at most `maxKeys` of them). Rows with a missing
 * time are kept and not remembered. Not a learned transform: it filters every row it sees.
 */
export class Dedupe {
  readonly keys: readonly string[];
  readonly count: number | null;
  readonly ms: number | null;
  readonly time: string | null;
  readonly maxKeys: number;
  private ring: string[] = [];
  private head = 0;
  private readonly occurrences = new Map<string, number>();
  private readonly lastSeen = new Map<string, number>();
  private fifo: Array<[string, number]> = [];
  private fifoHead = 0;
  private maxTime = -Infinity;
  /** Rows dropped so far. */
  dropped = 0;
  /** Books for dropped rows (reason `duplicate`, policy always skip); without them rows are only filtered. */
  badRows: BadRows | null = null;

  constructor(options: DedupeOptions) {
    if (!Array.isArray(options?.keys) || options.keys.length === 0 || options.keys.some((k) => typeof k !== 'string'))
      throw new SpecError('dedupe.keys', 'expected a non-empty list of column names');
    this.keys = options.keys.slice();
    const hasCount = options.count !== undefined,
      hasTime = options.ms !== undefined || options.time !== undefined;
    if (hasCount === hasTime) throw new SpecError('dedupe', 'give exactly one window: { count } or { ms, time }');
    if (hasCount && (!Number.isInteger(options.count) || options.count! < 1))
      throw new SpecError('dedupe.count', `expected a positive integer, got ${String(options.count)}`);
    if (hasTime && !(typeof options.ms === 'number' && options.ms >= 0 && Number.isFinite(options.ms)))
      throw new SpecError('dedupe.ms', `expected a finite number of milliseconds >= 0, got ${String(options.ms)}`);
    if (hasTime && typeof options.time !== 'string') throw new SpecError('dedupe.time', 'a time window needs the datetime column in `time`');
    this.maxKeys = options.maxKeys ?? 1_000_000;
    if (!Number.isInteger(this.maxKeys) || this.maxKeys < 1)
      throw new SpecError('dedupe.maxKeys', `expected a positive integer, got ${String(options.maxKeys)}`);
    this.count = hasCount ? options.count! : null;
    this.ms = hasTime ? options.ms! : null;
    this.time = hasTime ? options.time! : null;
  }

  /** Keys remembered now (bounded by the window). */
  get size(): number {
    return this.count !== null ? this.occurrences.size : this.lastSeen.size;
  }

  /** The rows of `batch` that are not duplicates, in order; updates the window. */
  process(batch: Batch): Batch {
    const n = batch.length,
      keep = new Uint8Array(n),
      keys = rowKeys(batch, this.keys);
    if (this.count !== null) {
      for (let i = 0; i < n; i++) {
        const k = keys[i]!;
        keep[i] = this.occurrences.has(k) ? 0 : 1;
        this.push(k);
      }
    } else {
      const tc = batch.column(this.time!);
      if (tc.type !== 'datetime' && tc.type !== 'number' && tc.type !== 'integer')
        throw new SpecError('dedupe.time', `column "${this.time}" is ${tc.type}, expected datetime`);
      for (let i = 0; i < n; i++) {
        const t = tc.values[i]!;
        if (!validity.get(tc.validity, i) || !Number.isFinite(t)) {
          keep[i] = 1;
          continue;
        }
        const k = keys[i]!,
          last = this.lastSeen.get(k);
        keep[i] = last !== undefined && Math.abs(t - last) <= this.ms! ? 0 : 1;
        this.remember(k, t);
      }
    }
    let kept = 0;
    for (let i = 0; i < n; i++) kept += keep[i]!;
    this.dropped += n - kept;
    if (!this.badRows) return batch.filter(keep);
    // With books, every repeat is counted under `duplicate` and goes to the dead letter.
    const rejects: RowReject[] = [];
    const first = this.keys[0]!;
    for (let i = 0; i < n; i++)
      if (!keep[i])
        rejects.push({
          row: i,
          reason: 'duplicate',
          field: first,
          value: String(batch.value(first, i) ?? ''),
          detail: `repeats the key of a row within the ${this.count !== null ? `last ${this.count} rows` : `last ${this.ms} ms`}`,
        });
    return rejectRows(batch, rejects, this.badRows, 'dedupe');
  }

  private push(k: string): void {
    const N = this.count!;
    if (this.ring.length < N) this.ring.push(k);
    else {
      const old = this.ring[this.head]!;
      const c = this.occurrences.get(old)! - 1;
      if (c === 0) this.occurrences.delete(old);
      else this.occurrences.set(old, c);
      this.ring[this.head] = k;
      this.head = (this.head + 1) % N;
    }
    this.occurrences.set(k, (this.occurrences.get(k) ?? 0) + 1);
  }

  private remember(k: string, t: number): void {
    this.lastSeen.set(k, t);
    this.fifo.push([k, t]);
    if (t > this.maxTime) this.maxTime = t;
    // Evict keys whose latest sighting fell out of the window, and the oldest beyond maxKeys.
    while (this.fifoHead < this.fifo.length) {
      const [ok, ot] = this.fifo[this.fifoHead]!;
      const stale = ot < this.maxTime - this.ms!;
      if (!stale && this.lastSeen.size <= this.maxKeys) break;
      if (this.lastSeen.get(ok) === ot && (stale || this.lastSeen.size > this.maxKeys)) this.lastSeen.delete(ok);
      this.fifoHead++;
    }
    if (this.fifoHead > 1024 && this.fifoHead * 2 > this.fifo.length) {
      this.fifo = this.fifo.slice(this.fifoHead);
      this.fifoHead = 0;
    }
  }

  toJSON(): DedupeState {
    const recent: DedupeState['recent'] =
      this.count !== null ? [...this.ring.slice(this.head), ...this.ring.slice(0, this.head)] : [...this.lastSeen].sort((a, b) => a[1] - b[1]);
    return { keys: this.keys.slice(), count: this.count, ms: this.ms, time: this.time, maxKeys: this.maxKeys, recent };
  }

  static fromJSON(s: DedupeState): Dedupe {
    const d = new Dedupe({ keys: s.keys, maxKeys: s.maxKeys, ...(s.count !== null ? { count: s.count } : { ms: s.ms!, time: s.time! }) });
    for (const r of s.recent) {
      if (typeof r === 'string') d.push(r);
      else d.remember(r[0], r[1]);
    }
    return d;
  }
}

/** One string per row joining the key cells (type-tagged, so 1 and "1" differ; missing is its own value). */
function rowKeys(batch: Batch, names: readonly string[]): string[] {
  const n = batch.length,
    out: string[] = new Array(n).fill('');
  names.forEach((name, j) => {
    const c: Column = batch.column(name);
    for (let i = 0; i < n; i++) {
      let v: string;
      if (!validity.get(c.validity, i)) v = '\u0000';
      else if (c.type === 'category' || c.type === 'text') v = `s${c.dictionary.get(c.codes[i]!)}`;
      else if (c.type === 'vector') throw new SpecError('dedupe.keys', `column "${name}" is a vector`);
      else v = `n${c.values[i]}`;
      out[i] = j === 0 ? v : `${out[i]}\u0001${v}`;
    }
  });
  return out;
}

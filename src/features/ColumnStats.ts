import { type Batch, type ColumnType, validity } from '../core/index.js';
import { Histogram, type HistogramState } from './sketches/Histogram.js';
import { QuantileSketch, type QuantileSketchState } from './sketches/QuantileSketch.js';
import { RunningMoments, type RunningMomentsState } from './sketches/RunningMoments.js';
import { SpaceSaving, type SpaceSavingState, type TopItem } from './sketches/SpaceSaving.js';

export interface ColumnStatsOptions {
  /** Columns to follow (default: all but vector columns). */
  columns?: readonly string[];
  /** Histogram bins (even, default 20). */
  bins?: number;
  /** KLL parameter (default 200: ±1.33% rank error, see QuantileSketch). */
  k?: number;
  /** Space-saving counters for top categories (default 1024; counts are exact up to this many distinct values). */
  topCapacity?: number;
}

/** The published summary of one column. Numeric fields are null where they do not apply or nothing was seen. */
export interface ColumnSummary {
  type: ColumnType;
  count: number;
  missing: number;
  /** NaN/±Infinity cells, counted apart from missing and kept out of the moments. */
  nonFinite: number;
  mean: number | null;
  std: number | null;
  min: number | null;
  max: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  /** Rank error bound of p50/p90/p99 (fraction of count, 99% confidence). */
  quantileError: number | null;
  /**
   * Category/text: the 10 values with the largest guaranteed counts, largest first. Each `count`
   * overestimates the truth by at most `error`: the true count lies in [count − error, count].
   */
  top: TopItem[] | null;
  /** True when the column had no more distinct values than the sketch holds: counts are exact. */
  topExact: boolean | null;
  /** The most a value not kept by the sketch can have occurred (0 when exact). */
  topFloor: number | null;
  histogram: { lo: number; width: number; counts: number[] } | null;
}

/** One column's live sketches (ColumnStats.sketches): read them, never change them. */
export interface ColumnSketches {
  type: ColumnType;
  count: number;
  missing: number;
  nonFinite: number;
  moments: RunningMoments | null;
  quantiles: QuantileSketch | null;
  histogram: Histogram | null;
  top: SpaceSaving | null;
}

export interface ColumnStatsState {
  bins: number;
  k: number;
  topCapacity: number;
  columns: string[] | null;
  entries: Record<
    string,
    {
      type: ColumnType;
      count: number;
      missing: number;
      nonFinite: number;
      moments: RunningMomentsState | null;
      quantiles: QuantileSketchState | null;
      histogram: HistogramState | null;
      top: SpaceSavingState | null;
    }
  >;
}

/**
 * Streaming statistics of every column, for exploration: count, missing, mean, std, min, max
 * (stable moments), p50/p90/p99 (KLL, stated rank error), a fixed-bin histogram for numeric and
 * datetime columns, and top categories (space-saving) for category and text columns. Mergeable
 * across shards and serializable. Counts all rows (exploration is not learning).
 */
export class ColumnStats {
  readonly bins: number;
  readonly k: number;
  readonly topCapacity: number;
  readonly columns: string[] | null;
  private readonly entries = new Map<string, ColumnSketches>();

  constructor(options: ColumnStatsOptions = {}) {
    this.bins = options.bins ?? 20;
    this.k = options.k ?? 200;
    // 1024 counters: exact for most category columns, and a few KB of strings per column.
    this.topCapacity = options.topCapacity ?? 1024;
    this.columns = options.columns?.slice() ?? null;
    new Histogram(this.bins); // validates bins
    new QuantileSketch(this.k); // validates k
    new SpaceSaving(this.topCapacity); // validates topCapacity
  }

  /**
   * One column's sketches as they are (no copy: a data-drift comparison reads the same reference
   * at every window, and its sorted views are kept between reads); undefined for a column not seen.
   */
  sketches(name: string): Readonly<ColumnSketches> | undefined {
    return this.entries.get(name);
  }

  get names(): string[] {
    return [...this.entries.keys()];
  }

  update(batch: Batch): void {
    const names = this.columns ?? batch.names.filter((n) => batch.column(n).type !== 'vector');
    for (const name of names) {
      const c = batch.column(name);
      let e = this.entries.get(name);
      if (!e) {
        e = this.entry(c.type);
        this.entries.set(name, e);
      }
      const n = batch.length;
      e.count += n;
      if (c.type === 'category' || c.type === 'text') {
        const counts = new Map<number, number>();
        for (let i = 0; i < n; i++) {
          const code = c.codes[i]!;
          if (!validity.isValid(c, i) || code < 0) {
            e.missing++;
            continue;
          }
          counts.set(code, (counts.get(code) ?? 0) + 1);
        }
        for (const [code, k] of counts) e.top?.add(c.dictionary.get(code), k);
        continue;
      }
      if (c.type === 'vector') {
        e.missing += validity.nullCount(c.validity, n);
        continue;
      }
      const ok = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        if (!validity.isValid(c, i)) {
          e.missing++;
          continue;
        }
        const x = c.values[i]!;
        if (x - x === 0) ok[i] = 1;
        else e.nonFinite++;
      }
      e.moments?.addMany(c.values, ok, n);
      e.quantiles?.addMany(c.values, ok, n);
      e.histogram?.addMany(c.values, ok, n);
    }
  }

  merge(other: ColumnStats): this {
    for (const [name, o] of other.entries) {
      let e = this.entries.get(name);
      if (!e) {
        e = this.entry(o.type);
        this.entries.set(name, e);
      }
      e.count += o.count;
      e.missing += o.missing;
      e.nonFinite += o.nonFinite;
      if (o.moments) e.moments?.merge(o.moments);
      if (o.quantiles) e.quantiles?.merge(o.quantiles);
      if (o.histogram) e.histogram?.merge(o.histogram);
      if (o.top) e.top?.merge(o.top);
    }
    return this;
  }

  summary(name: string): ColumnSummary | undefined {
    const e = this.entries.get(name);
    if (!e) return undefined;
    const m = e.moments && e.moments.count > 0 ? e.moments : null;
    const q = e.quantiles && e.quantiles.n > 0 ? e.quantiles : null;
    return {
      type: e.type,
      count: e.count,
      missing: e.missing,
      nonFinite: e.nonFinite,
      mean: m ? m.mean : null,
      std: m ? m.std : null,
      min: m ? m.min : null,
      max: m ? m.max : null,
      p50: q ? q.quantile(0.5) : null,
      p90: q ? q.quantile(0.9) : null,
      p99: q ? q.quantile(0.99) : null,
      quantileError: q ? QuantileSketch.rankErrorBound(this.k) : null,
      top: e.top ? e.top.top(10) : null,
      topExact: e.top ? e.top.exact : null,
      topFloor: e.top ? e.top.floor : null,
      histogram: e.histogram && e.histogram.total > 0 ? { lo: e.histogram.lo, width: e.histogram.width, counts: Array.from(e.histogram.counts) } : null,
    };
  }

  /** Every column's summary, as published in `stats` telemetry events. */
  summaries(): Record<string, ColumnSummary> {
    const out: Record<string, ColumnSummary> = {};
    for (const name of this.entries.keys()) out[name] = this.summary(name)!;
    return out;
  }

  private entry(type: ColumnType): ColumnSketches {
    const numeric = type === 'number' || type === 'integer' || type === 'boolean' || type === 'datetime';
    const strings = type === 'category' || type === 'text';
    return {
      type,
      count: 0,
      missing: 0,
      nonFinite: 0,
      moments: numeric ? new RunningMoments() : null,
      quantiles: numeric && type !== 'boolean' ? new QuantileSketch(this.k) : null,
      histogram: numeric && type !== 'boolean' ? new Histogram(this.bins) : null,
      top: strings ? new SpaceSaving(this.topCapacity) : null,
    };
  }

  toJSON(): ColumnStatsState {
    const entries: ColumnStatsState['entries'] = {};
    for (const [name, e] of this.entries) {
      entries[name] = {
        type: e.type,
        count: e.count,
        missing: e.missing,
        nonFinite: e.nonFinite,
        moments: e.moments?.toJSON() ?? null,
        quantiles: e.quantiles?.toJSON() ?? null,
        histogram: e.histogram?.toJSON() ?? null,
        top: e.top?.toJSON() ?? null,
      };
    }
    return { bins: this.bins, k: this.k, topCapacity: this.topCapacity, columns: this.columns?.slice() ?? null, entries };
  }

  static fromJSON(s: ColumnStatsState): ColumnStats {
    const cs = new ColumnStats({ bins: s.bins, k: s.k, topCapacity: s.topCapacity, ...(s.columns ? { columns: s.columns } : {}) });
    for (const [name, e] of Object.entries(s.entries)) {
      cs.entries.set(name, {
        type: e.type,
        count: e.count,
        missing: e.missing,
        nonFinite: e.nonFinite,
        moments: e.moments ? RunningMoments.fromJSON(e.moments) : null,
        quantiles: e.quantiles ? QuantileSketch.fromJSON(e.quantiles) : null,
        histogram: e.histogram ? Histogram.fromJSON(e.histogram) : null,
        top: e.top ? SpaceSaving.fromJSON(e.top) : null,
      });
    }
    return cs;
  }
}

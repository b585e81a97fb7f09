import { type Batch, SpecError, type Telemetry } from '../core/index.js';
import { ColumnStats, type ColumnStatsOptions, type ColumnStatsState } from '../features/index.js';
import type { ColumnDriftOptions, DriftMeasure, DriftVerdict } from './columnDrift.js';
import { type DataDriftReport, dataDrift } from './dataDrift.js';

/** A column that moved: the measure that decided, at the stream row (0-based) ending the live window. */
export interface DataDriftAlert {
  column: string;
  row: number;
  measure: DriftMeasure['measure'];
  value: number;
  verdict: Exclude<DriftVerdict, 'none'>;
  message: string;
}

export interface DataDriftMonitorOptions extends ColumnDriftOptions {
  /** Columns to follow (default: every column but vectors). */
  columns?: readonly string[];
  /** The reference: another sample's statistics (a reference file's). Without it, the first `referenceRows` rows. */
  reference?: ColumnStats | ColumnStatsState;
  /** Rows that form the reference when none is given (default 10,000). */
  referenceRows?: number;
  /** Rows in the live window (default 10,000). */
  window?: number;
  /** The window is kept as this many panes; each full pane ends a comparison and the oldest drops (default 4). */
  panes?: number;
  /** Sketch sizes of the live statistics (and of the reference when it is the first rows); default ColumnStats', with 256 top counters. */
  stats?: Pick<ColumnStatsOptions, 'bins' | 'k' | 'topCapacity'>;
  /** Called for each alert, synchronously. */
  onAlert?: (alert: DataDriftAlert) => void;
  /** Also emits each alert as a `dataDrift` event. */
  telemetry?: Telemetry;
}

/** Serialized DataDriftMonitor: options (without the listeners) and every sketch. */
export interface DataDriftMonitorState {
  options: {
    columns: string[] | null;
    referenceRows: number;
    window: number;
    panes: number;
    bins: number;
    topK: number;
    stats: { bins: number; k: number; topCapacity: number };
  };
  rows: number;
  reference: ColumnStatsState;
  referenceSeen: number;
  /** True when the reference came from outside (no rows of this stream go into it). */
  referenceGiven: boolean;
  panes: ColumnStatsState[];
  current: ColumnStatsState;
  currentRows: number;
  levels: Record<string, DriftVerdict>;
  alerts: number;
  last: DataDriftReport | null;
}

const RANK: Record<DriftVerdict, number> = { none: 0, moderate: 1, major: 2 };

/**
 * Data drift of a stream: each column's live distribution against a reference (columnDrift: PSI
 * and KS for numbers, Jensen–Shannon for categories), with an alert per drifted column.
 *
 * The reference is a given ColumnStats (say a reference file's) or the stream's first
 * `referenceRows` rows. After it, the live window is the last `window` rows, kept as `panes`
 * ColumnStats of window/panes rows each (sketches cannot forget a row; whole panes can be
 * dropped). Each time a pane fills, the panes so far (at most `panes`) are merged and compared
 * with the reference. A column alerts when its verdict rises (none → moderate → major) and is
 * re-armed when it falls back to none, so a lasting shift alerts once, not at every pane.
 * Serializable (`toJSON`, `fromJSON`); the listeners are passed again on restore.
 */
export class DataDriftMonitor {
  private readonly opts: DataDriftMonitorState['options'];
  private readonly onAlert: ((a: DataDriftAlert) => void) | null;
  private readonly telemetry: Telemetry | null;
  private nRows = 0;
  private reference: ColumnStats;
  private referenceSeen = 0;
  private readonly referenceGiven: boolean;
  private panes: ColumnStats[] = [];
  private current: ColumnStats;
  private currentRows = 0;
  private levels: Record<string, DriftVerdict> = {};
  private liveStats: ColumnStats | null = null;
  private nAlerts = 0;
  private last: DataDriftReport | null = null;

  constructor(options: DataDriftMonitorOptions = {}) {
    const int = (key: string, v: number | undefined, dflt: number) => {
      const x = v ?? dflt;
      if (!Number.isSafeInteger(x) || x < 1) throw new SpecError(`dataDrift.${key}`, `expected an integer ≥ 1, got ${x}`);
      return x;
    };
    const window = int('window', options.window, 10_000);
    const panes = int('panes', options.panes, 4);
    if (panes > window) throw new SpecError('dataDrift.panes', `expected at most window (${window}) panes, got ${panes}`);
    const given = options.reference ? (options.reference instanceof ColumnStats ? options.reference.toJSON() : options.reference) : null;
    // A given reference's sketch sizes are kept live too, so both sides carry the same error.
    const stats = {
      bins: options.stats?.bins ?? given?.bins ?? 20,
      k: options.stats?.k ?? given?.k ?? 200,
      topCapacity: options.stats?.topCapacity ?? given?.topCapacity ?? 256,
    };
    this.opts = {
      columns: options.columns?.slice() ?? null,
      referenceRows: int('referenceRows', options.referenceRows, 10_000),
      window,
      panes,
      bins: int('bins', options.bins, 10),
      topK: int('topK', options.topK, 20),
      stats,
    };
    this.onAlert = options.onAlert ?? null;
    this.telemetry = options.telemetry ?? null;
    this.referenceGiven = given !== null;
    this.reference = given ? ColumnStats.fromJSON(given) : this.stats();
    this.current = this.stats();
  }

  /** Rows seen so far. */
  get rows(): number {
    return this.nRows;
  }

  /** Alerts so far. */
  get alerts(): number {
    return this.nAlerts;
  }

  /** True once the reference is complete and live rows are compared with it. */
  get ready(): boolean {
    return this.referenceGiven || this.referenceSeen >= this.opts.referenceRows;
  }

  /** Live rows per pane. */
  get paneRows(): number {
    return Math.ceil(this.opts.window / this.opts.panes);
  }

  /** The latest comparison (null before the first). */
  get report(): DataDriftReport | null {
    return this.last;
  }

  /** Each compared column's verdict at the latest comparison (what a rise is measured from). */
  get verdicts(): Record<string, DriftVerdict> {
    return { ...this.levels };
  }

  /** The live window's statistics as of the latest comparison: what was compared (null before the first, and after fromJSON until the next). */
  get live(): ColumnStats | null {
    return this.liveStats;
  }

  /** Takes a batch's rows; returns the alerts raised by the comparisons its panes completed. */
  update(batch: Batch): DataDriftAlert[] {
    const alerts: DataDriftAlert[] = [];
    let at = 0;
    while (at < batch.length) {
      if (!this.ready) {
        const take = Math.min(batch.length - at, this.opts.referenceRows - this.referenceSeen);
        this.reference.update(slice(batch, at, at + take));
        this.referenceSeen += take;
        at += take;
        this.nRows += take;
        continue;
      }
      const take = Math.min(batch.length - at, this.paneRows - this.currentRows);
      this.current.update(slice(batch, at, at + take));
      this.currentRows += take;
      at += take;
      this.nRows += take;
      if (this.currentRows === this.paneRows) alerts.push(...this.closePane());
    }
    return alerts;
  }

  private closePane(): DataDriftAlert[] {
    this.panes.push(this.current);
    if (this.panes.length > this.opts.panes) this.panes.shift();
    this.current = this.stats();
    this.currentRows = 0;
    const live = this.stats();
    for (const p of this.panes) live.merge(p);
    this.liveStats = live;
    const report = dataDrift(this.reference, live, { bins: this.opts.bins, topK: this.opts.topK });
    this.last = report;
    const row = this.nRows - 1;
    const first = row + 1 - this.panes.length * this.paneRows;
    const alerts: DataDriftAlert[] = [];
    for (const [column, c] of Object.entries(report.columns)) {
      const before = this.levels[column] ?? 'none';
      if (c.verdict === 'none') {
        this.levels[column] = 'none';
        continue;
      }
      if (RANK[c.verdict] <= RANK[before]) continue;
      this.levels[column] = c.verdict;
      const m = c.measures.find((x) => x.verdict === c.verdict)!;
      const alert: DataDriftAlert = {
        column,
        row,
        measure: m.measure,
        value: m.value,
        verdict: c.verdict,
        message: `${column}: ${m.measure} ${round(m.value)} (${c.verdict}) in rows ${first}–${row} against the reference`,
      };
      alerts.push(alert);
      this.nAlerts++;
      this.onAlert?.(alert);
      this.telemetry?.emit({ type: 'dataDrift', ...alert });
    }
    return alerts;
  }

  private stats(): ColumnStats {
    return new ColumnStats({ ...this.opts.stats, ...(this.opts.columns ? { columns: this.opts.columns } : {}) });
  }

  toJSON(): DataDriftMonitorState {
    return {
      options: { ...this.opts, columns: this.opts.columns?.slice() ?? null, stats: { ...this.opts.stats } },
      rows: this.nRows,
      reference: this.reference.toJSON(),
      referenceSeen: this.referenceSeen,
      referenceGiven: this.referenceGiven,
      panes: this.panes.map((p) => p.toJSON()),
      current: this.current.toJSON(),
      currentRows: this.currentRows,
      levels: { ...this.levels },
      alerts: this.nAlerts,
      last: this.last ? structuredClone(this.last) : null,
    };
  }

  static fromJSON(s: DataDriftMonitorState, listeners: Pick<DataDriftMonitorOptions, 'onAlert' | 'telemetry'> = {}): DataDriftMonitor {
    const o = s.options;
    const m = new DataDriftMonitor({
      ...(o.columns ? { columns: o.columns } : {}),
      referenceRows: o.referenceRows,
      window: o.window,
      panes: o.panes,
      bins: o.bins,
      topK: o.topK,
      stats: o.stats,
      ...(s.referenceGiven ? { reference: s.reference } : {}),
      ...listeners,
    });
    m.nRows = s.rows;
    m.reference = ColumnStats.fromJSON(s.reference);
    m.referenceSeen = s.referenceSeen;
    m.panes = s.panes.map((p) => ColumnStats.fromJSON(p));
    m.current = ColumnStats.fromJSON(s.current);
    m.currentRows = s.currentRows;
    m.levels = { ...s.levels };
    m.nAlerts = s.alerts;
    m.last = s.last ? structuredClone(s.last) : null;
    return m;
  }
}

function slice(b: Batch, start: number, end: number): Batch {
  return start === 0 && end === b.length ? b : b.slice(start, end);
}

function round(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(3) : String(x);
}

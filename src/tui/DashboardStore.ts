import type { Subscription } from 'rxjs';
import type { BadRowReason, LeaderboardEntry, Telemetry, TelemetryEvent, TreeStats } from '../core/index.js';
import { Series } from './Series.js';

export type RunState = 'starting' | 'running' | 'paused' | 'stopping' | 'done' | 'error';

export interface SourceView {
  name: string;
  rows: number;
  bytes: number;
  totalRows: number | null;
  totalBytes: number | null;
  done: boolean;
  rowsPerSecond: number | null;
  bytesPerSecond: number | null;
}

export interface ModelView {
  /** `''` when the metrics events name no model. */
  model: string;
  rows: number;
  values: Record<string, number>;
  rolling: Record<string, number>;
  /** A tree model's size and drift resets, the last reported (metrics events without it keep it). */
  trees?: TreeStats;
}

export interface ConfusionView {
  model: string;
  classes: number;
  /** Row-major classes×classes: row = true class, column = predicted class. */
  counts: number[];
  labels?: string[];
}

export interface EventEntry {
  /** Increasing from 1; the event log prints each entry once. */
  seq: number;
  t: number;
  kind: 'drift' | 'dataDrift' | 'checkpoint' | 'error' | 'info' | 'warn';
  message: string;
}

/**
 * The last `leaderboard` event of a hyperparameter race (src/tune): the stream row it was taken
 * at, the leader's id, how many candidates still race, the budget spent, every candidate.
 */
export interface LeaderboardView {
  t: number;
  rows: number;
  leader: number;
  alive: number;
  budgetUsed: number;
  entries: LeaderboardEntry[];
}

/** A drift detector's alarm, marked on the charts at its row. */
export interface DriftMarker {
  row: number;
  kind: 'drift' | 'warning';
  detector: string;
}

export interface DashboardSnapshot {
  title: string;
  backend: string | null;
  adapter: string | null;
  state: RunState;
  startedAt: number;
  /** Wall-clock time of the snapshot (ms since epoch). */
  now: number;
  sources: SourceView[];
  queues: Array<{ name: string; depth: number; capacity: number }>;
  skipped: { total: number; read: number; byReason: Partial<Record<BadRowReason, number>> };
  models: ModelView[];
  /** Per model, per metric: the charted history against rows. */
  history: Record<string, Record<string, { xs: number[]; ys: number[] }>>;
  confusion: ConfusionView | null;
  stats: { source: string; columns: Record<string, unknown> } | null;
  /** Columns whose data drifted, for the column panel: raised by dataDrift events, set to the current verdicts by a drift window's stats event. */
  drifted: Record<string, 'moderate' | 'major'>;
  events: EventEntry[];
  /** Drift and warning alarms (the last 100), by row: the charts mark them. */
  markers: DriftMarker[];
  /** A hyperparameter race's last standings; null (or absent, in snapshots made elsewhere) without a race. */
  leaderboard?: LeaderboardView | null;
  /** Bumped by every folded event; equal versions mean equal snapshots. */
  version: number;
}

export interface DashboardStoreOptions {
  title?: string;
  backend?: string;
  adapter?: string;
  /** Points kept per metric history (default 240: two braille dots per column at 120 columns). */
  historyPoints?: number;
  /** Event-log entries kept (default 200). */
  maxEvents?: number;
  /** Clock, for tests (default Date.now). */
  now?: () => number;
}

/** Alarms kept for the chart markers (a chart spans at most a few hundred columns). */
const MAX_MARKERS = 100;

/** Rates are averaged over this much time (the issue's "last 5 s"). */
const RATE_WINDOW_MS = 5000;
/** Samples of a source's progress kept for the window are at least this far apart. */
const RATE_SAMPLE_MS = 100;
/** A window shorter than this is too noisy to show. */
const RATE_MIN_SPAN_MS = 500;

/** Nesting kept of a candidate's configuration (a few levels: options, a list of pairs). */
const CONFIG_DEPTH = 4;

/**
 * `v` as plain data: numbers, strings, booleans, null, arrays and plain objects, `CONFIG_DEPTH`
 * levels deep. The snapshot crosses to the render worker by structured clone, which throws on a
 * function or a class instance a configuration might hold; those become their name or are left out.
 */
function plain(v: unknown, depth = 0): unknown {
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'function') return v.name ? `[${v.name}]` : undefined;
  if (typeof v !== 'object' || depth >= CONFIG_DEPTH) return undefined;
  if (Array.isArray(v)) return v.map((x) => plain(x, depth + 1) ?? null);
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const p = plain(x, depth + 1);
    if (p !== undefined) o[k] = p;
  }
  return o;
}

interface SkipBook {
  read: number;
  skipped: number;
  byReason: Partial<Record<BadRowReason, number>>;
}

/**
 * Folds telemetry into what the dashboard shows. Folding is O(1) per event and allocates
 * little; the snapshot (copies) is made only when a frame asks for it, so a fast pipeline pays
 * for events, never for renders. Plain class, no React: the hooks read it on their own clock.
 */
export class DashboardStore {
  private readonly opts: Required<Pick<DashboardStoreOptions, 'historyPoints' | 'maxEvents'>> & { now: () => number };
  private title: string;
  private backend: string | null;
  private adapter: string | null;
  private state: RunState = 'starting';
  private startedAt: number;
  private readonly sources = new Map<string, SourceView>();
  private readonly queues = new Map<string, { name: string; depth: number; capacity: number }>();
  private readonly skipBooks = new Map<string, SkipBook>();
  private readonly models = new Map<string, ModelView>();
  private readonly history = new Map<string, Map<string, Series>>();
  private readonly rates = new Map<string, { samples: Array<{ t: number; rows: number; bytes: number }>; ready: boolean }>();
  private confusion: ConfusionView | null = null;
  private stats: { source: string; columns: Record<string, unknown> } | null = null;
  private readonly drifted: Record<string, 'moderate' | 'major'> = {};
  private events: EventEntry[] = [];
  private markers: DriftMarker[] = [];
  /** Replaced by each leaderboard event, never changed: snapshots share it. */
  private leaderboard: LeaderboardView | null = null;
  private seq = 0;
  private v = 0;
  private sub: Subscription | null = null;

  constructor(options: DashboardStoreOptions = {}) {
    this.opts = { historyPoints: options.historyPoints ?? 240, maxEvents: options.maxEvents ?? 200, now: options.now ?? Date.now };
    this.title = options.title ?? 'sluice';
    this.backend = options.backend ?? null;
    this.adapter = options.adapter ?? null;
    this.startedAt = this.opts.now();
  }

  get version(): number {
    return this.v;
  }
  get runState(): RunState {
    return this.state;
  }

  /** Folds every event of `telemetry` until `detach()`. */
  attach(telemetry: Telemetry): this {
    this.detach();
    this.sub = telemetry.events$.subscribe((e) => this.fold(e));
    return this;
  }

  detach(): void {
    this.sub?.unsubscribe();
    this.sub = null;
  }

  setState(state: RunState): void {
    if (state !== this.state) {
      this.state = state;
      this.v++;
    }
  }
  setBackend(backend: string, adapter?: string): void {
    this.backend = backend;
    this.adapter = adapter ?? null;
    this.v++;
  }
  setTitle(title: string): void {
    this.title = title;
    this.v++;
  }
  /** For pipelines whose confusion matrix does not travel in `metrics` events. */
  setConfusion(confusion: ConfusionView | null): void {
    this.confusion = confusion;
    this.v++;
  }

  /** Adds an entry to the event log (the dashboard's own notes: paused, snapshot saved). */
  note(kind: EventEntry['kind'], message: string, t = this.opts.now()): void {
    this.events.push({ seq: ++this.seq, t, kind, message });
    if (this.events.length > this.opts.maxEvents) this.events.splice(0, this.events.length - this.opts.maxEvents);
    this.v++;
  }

  /**
   * Rows/s and bytes/s of a source over the last RATE_WINDOW_MS of progress events, so the rate
   * and the ETA move smoothly; ready once the window spans RATE_MIN_SPAN_MS.
   */
  private smooth(s: SourceView, t: number): void {
    let r = this.rates.get(s.name);
    if (!r) {
      r = { samples: [], ready: false };
      this.rates.set(s.name, r);
    }
    // One sample per RATE_SAMPLE_MS at most: a fast source sends hundreds of progress events a
    // second, and the window then holds ~50 samples, not thousands shifted on every event.
    const last = r.samples[r.samples.length - 1];
    if (last === undefined || t - last.t >= RATE_SAMPLE_MS) r.samples.push({ t, rows: s.rows, bytes: s.bytes });
    // Keep one sample at or before the window's start, so the span covers the whole window.
    while (r.samples.length > 2 && r.samples[1]!.t <= t - RATE_WINDOW_MS) r.samples.shift();
    const first = r.samples[0]!,
      dt = t - first.t;
    if (dt < RATE_MIN_SPAN_MS) return;
    r.ready = true;
    s.rowsPerSecond = (1000 * (s.rows - first.rows)) / dt;
    s.bytesPerSecond = (1000 * (s.bytes - first.bytes)) / dt;
  }

  fold(e: TelemetryEvent): void {
    this.v++;
    switch (e.type) {
      case 'progress': {
        const s = this.source(e.source);
        s.rows = e.rows;
        s.bytes = e.bytes;
        s.done = e.done;
        this.smooth(s, e.t);
        if (e.totalRows !== undefined) s.totalRows = e.totalRows;
        if (e.totalBytes !== undefined) s.totalBytes = e.totalBytes;
        if (this.state === 'starting') this.state = 'running';
        if (e.done && this.state !== 'error' && [...this.sources.values()].every((x) => x.done)) this.state = 'done';
        break;
      }
      case 'throughput': {
        // The source's own rate covers only the gap since its last event (it jumps 10× between
        // frames); it is shown only until the smoothed window has enough time in it.
        const s = this.source(e.source);
        if (!this.rates.get(e.source)?.ready) {
          s.rowsPerSecond = e.rowsPerSecond;
          s.bytesPerSecond = e.bytesPerSecond;
        }
        break;
      }
      case 'queue': {
        const q = this.queues.get(e.name);
        if (q) {
          q.depth = e.depth;
          q.capacity = e.capacity;
        } else this.queues.set(e.name, { name: e.name, depth: e.depth, capacity: e.capacity });
        break;
      }
      case 'skipped': {
        const b = this.skipBook(e.source);
        b.skipped = Math.max(b.skipped, e.skipped);
        b.byReason = { ...e.byReason };
        break;
      }
      case 'account': {
        const b = this.skipBook(e.source);
        b.read = e.read;
        b.skipped = e.skipped;
        b.byReason = { ...e.skippedByReason };
        break;
      }
      case 'metrics': {
        const name = e.model ?? '';
        let m = this.models.get(name);
        if (!m) {
          m = { model: name, rows: 0, values: {}, rolling: {} };
          this.models.set(name, m);
        }
        m.rows = e.rows;
        Object.assign(m.values, e.values);
        if (e.rolling) Object.assign(m.rolling, e.rolling);
        // Known fields only: the snapshot crosses to the render worker as plain data.
        if (e.trees) {
          const t = e.trees;
          m.trees = { kind: t.kind, trees: t.trees, nodes: t.nodes, leaves: t.leaves, depth: t.depth, resets: t.resets, rows: t.rows };
        }
        let h = this.history.get(name);
        if (!h) {
          h = new Map();
          this.history.set(name, h);
        }
        // Charts follow the rolling value when there is one: it is what moves under drift.
        for (const k of new Set([...Object.keys(e.values), ...Object.keys(e.rolling ?? {})])) {
          const y = e.rolling?.[k] ?? e.values[k];
          if (y === undefined) continue;
          let s = h.get(k);
          if (!s) {
            s = new Series(this.opts.historyPoints);
            h.set(k, s);
          }
          s.add(e.rows, y);
        }
        // Forward-compatible: a metrics event may carry its confusion matrix.
        const cm = (e as { confusion?: { classes: number; counts: number[]; labels?: string[] } }).confusion;
        if (cm && Number.isInteger(cm.classes) && Array.isArray(cm.counts))
          this.confusion = { model: name, classes: cm.classes, counts: cm.counts.slice(), ...(cm.labels ? { labels: cm.labels.slice() } : {}) };
        break;
      }
      case 'stats':
        this.stats = { source: e.source, columns: e.columns };
        // Statistics of a data-drift window come with the current verdicts: a column back to none loses its mark.
        if (e.drift)
          for (const [c, v] of Object.entries(e.drift))
            if (v === 'none') delete this.drifted[c];
            else this.drifted[c] = v;
        break;
      case 'drift':
      case 'warning':
        this.note(e.type === 'drift' ? 'drift' : 'warn', `${e.type} ${e.detector} at row ${e.row}: ${e.message}`, e.t);
        this.markers.push({ row: e.row, kind: e.type, detector: e.detector });
        if (this.markers.length > MAX_MARKERS) this.markers.splice(0, this.markers.length - MAX_MARKERS);
        break;
      case 'dataDrift':
        // A column's distribution moved (DataDriftMonitor): the log and the column panel; the charts mark error drift.
        this.note('dataDrift', `data drift ${e.column} at row ${e.row}: ${e.measure} ${e.value.toPrecision(3)} (${e.verdict})`, e.t);
        if (this.drifted[e.column] !== 'major') this.drifted[e.column] = e.verdict;
        break;
      case 'leaderboard':
        this.leaderboard = {
          t: e.t,
          rows: e.rows,
          leader: e.leader,
          alive: e.alive,
          budgetUsed: e.budgetUsed,
          entries: e.entries.map((x) => ({
            id: x.id,
            label: x.label,
            config: (plain(x.config) ?? {}) as Record<string, unknown>,
            rows: x.rows,
            loss: x.loss,
            stderr: x.stderr,
            metric: x.metric,
            metricName: x.metricName,
            cost: x.cost,
            dropped: x.dropped,
          })),
        };
        break;
      case 'checkpoint':
        this.note('checkpoint', `checkpoint ${e.path}${e.version ? ` ${e.version}` : ''}`, e.t);
        break;
      case 'error':
        this.note('error', `error ${e.source}: ${e.message}`, e.t);
        this.state = 'error';
        break;
      case 'log':
        this.note(e.level === 'error' ? 'error' : e.level, e.message, e.t);
        break;
      default:
        break;
    }
  }

  snapshot(): DashboardSnapshot {
    let read = 0,
      total = 0;
    const byReason: Partial<Record<BadRowReason, number>> = {};
    for (const b of this.skipBooks.values()) {
      read += b.read;
      total += b.skipped;
      for (const [k, v] of Object.entries(b.byReason) as Array<[BadRowReason, number]>) byReason[k] = (byReason[k] ?? 0) + v;
    }
    // Without an account event, rows read = rows the sources passed on + rows skipped.
    if (read === 0) {
      for (const s of this.sources.values()) read += s.rows;
      read += total;
    }
    const history: DashboardSnapshot['history'] = {};
    for (const [model, h] of this.history) {
      const o: Record<string, { xs: number[]; ys: number[] }> = {};
      for (const [k, s] of h) o[k] = s.points();
      history[model] = o;
    }
    return {
      title: this.title,
      backend: this.backend,
      adapter: this.adapter,
      state: this.state,
      startedAt: this.startedAt,
      now: this.opts.now(),
      sources: [...this.sources.values()].map((s) => ({ ...s })),
      queues: [...this.queues.values()].map((q) => ({ ...q })),
      skipped: { total, read, byReason },
      models: [...this.models.values()].map((m) => ({
        model: m.model,
        rows: m.rows,
        values: { ...m.values },
        rolling: { ...m.rolling },
        ...(m.trees ? { trees: { ...m.trees } } : {}),
      })),
      history,
      confusion: this.confusion,
      stats: this.stats,
      drifted: { ...this.drifted },
      events: this.events.slice(),
      markers: this.markers.map((m) => ({ ...m })),
      leaderboard: this.leaderboard,
      version: this.v,
    };
  }

  private source(name: string): SourceView {
    let s = this.sources.get(name);
    if (!s) {
      s = { name, rows: 0, bytes: 0, totalRows: null, totalBytes: null, done: false, rowsPerSecond: null, bytesPerSecond: null };
      this.sources.set(name, s);
    }
    return s;
  }

  private skipBook(name: string): SkipBook {
    let b = this.skipBooks.get(name);
    if (!b) {
      b = { read: 0, skipped: 0, byReason: {} };
      this.skipBooks.set(name, b);
    }
    return b;
  }
}

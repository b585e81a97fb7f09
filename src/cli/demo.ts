import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Observable, tap } from 'rxjs';
import { type Batch, formatCount, Telemetry, textLogger, writeFileAtomic } from '../core/index.js';
import { DataDriftMonitor, type DriftPolicy, type DriftReport } from '../drift/index.js';
import { ColumnStats } from '../features/index.js';
import { type DriftProgressiveReport, detectDrift, synthetic, vectorize } from '../operators/index.js';
import { ConceptDriftGenerator, SEAGenerator } from '../synth/index.js';
import type { DashboardHandle, PauseGate } from '../tui/index.js';

export interface DemoOptions {
  rows: number;
  seed: number;
  batchSize: number;
  /** What the model does at a drift alarm (default swap: a background model replaces it). */
  onDrift?: DriftPolicy;
  /** Summary lines (default: stdout). */
  out?: (line: string) => void;
  /** Progress lines (default: stderr). */
  err?: (line: string) => void;
  /** Gap between summary lines (default 1000 ms). */
  summaryMs?: number;
  /** Aborting ends the stream early; the final summary still prints. */
  signal?: AbortSignal;
  /**
   * The live dashboard instead of progress and summary lines (keys p, s, q). Default: when
   * stdout and stdin are terminals and CI is not set.
   */
  tui?: boolean;
}

/** One change of the stream (its labels flip at `row`) and how the model went through it, from the engine's rolling accuracy. */
export interface DemoChange {
  /** Stream row (0-based) where the labels flip: where the generator changes, not a detection. */
  row: number;
  /** Rolling accuracy of the last report at or before the change. */
  before: number;
  /** Lowest rolling accuracy after it (until the next change or the end). */
  dip: number;
  /** Row of the detector's first drift alarm at or after the change (null: none, or not yet). */
  alarm: number | null;
  /** First report row after the dip whose rolling accuracy is back within 1 point of `before` (null: not yet). */
  recovered: number | null;
  /** Rolling accuracy at the last report before the next change (or the end). */
  after: number;
}

export interface DemoResult {
  rows: number;
  seconds: number;
  interrupted: boolean;
  /** Ended by `q` on the dashboard (a clean stop, not an interruption). */
  quit?: boolean;
  /** Progressive (test-then-train) accuracy over every row, from the engine. */
  accuracy: number;
  /** Rows in the rolling accuracy window. */
  rolling: number;
  /** The detector's alarms and what the policy did (detectDrift's report). */
  drift: DriftReport;
  /** The label flips the stream reached, with the model's accuracy around each. */
  changes: DemoChange[];
  /** Data-drift alerts on the label column (DataDriftMonitor): the inputs keep their distribution, the labels do not. */
  dataDrift: number;
}

/** Detector of the demo: DDM has a warning level, so `swap` starts its background model before the drift. */
const DETECTOR = 'ddm';
/** Rolling accuracy back within this of its level before a change counts as recovered. */
const RECOVERED = 0.01;

/**
 * The built-in live demo, on the real engine: SEA concept 1 (class 1 when attrib1 + attrib2 > 8,
 * 10% label noise) whose labels flip at a third of the stream and flip back at two thirds. A
 * per-row logistic model (createModel defaults) learns it test-then-train (detectDrift, the one
 * engine), DDM watches its errors and the swap policy replaces the model at each drift with a
 * background one that started learning at the warning.
 *
 * Why this stream (measured on 200k rows, change at 100k, rolling windows of 1000 rows, this
 * model): with the labels flipped, a plain model must unlearn its concept: its accuracy falls
 * from 0.89 to 0.29 and takes 74k rows to come back within 2 points; under swap with DDM it is
 * back in 11k. SEA 1 → 3 (a shifted threshold, the earlier demo) dips to 0.86 and recovers in 3k
 * rows with or without adaptation: nothing to show. STAGGER 1 → 3 recovers in 4k rows even plain;
 * Agrawal 1 → 2 never recovers for a linear model. DDM because, on 12M rows with two flips, it
 * raised drifts only at the flips (ADWIN raised a false one per run, HDDM-A 19–33).
 */
export async function demo(options: DemoOptions): Promise<DemoResult> {
  const out = options.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  const err = options.err ?? ((l: string) => process.stderr.write(`${l}\n`));
  const { rows, seed, batchSize } = options;
  const policy = options.onDrift ?? 'swap';
  const flips = [Math.floor(rows / 3), Math.floor((2 * rows) / 3)];
  // A hundredth of the stream (the chart keeps a few hundred points of it), and at least a batch:
  // a report comes per batch, and a shorter window would skip the rows between reports.
  const rolling = Math.max(1000, batchSize, Math.round(rows / 100));
  // Noise 0.9 flips 90% of the labels: concept 1 with its labels flipped, and 10% noise as before.
  const sea = (flipped: boolean, s: number) => new SEAGenerator({ function: 1, noise: flipped ? 0.9 : 0.1, seed: s });
  const generator = new ConceptDriftGenerator(
    new ConceptDriftGenerator(sea(false, seed), sea(true, seed + 1), { position: flips[0]!, width: 1, seed: seed + 2 }),
    sea(false, seed + 3),
    { position: flips[1]!, width: 1, seed: seed + 4 },
  );
  const telemetry = new Telemetry();
  const useTui = options.tui ?? (process.stdout.isTTY === true && process.stdin.isTTY === true && !ciSet());
  const logger = useTui ? null : textLogger({ telemetry, write: err });
  out(
    `sluice demo: SEA concept 1 (class 1 when attrib1 + attrib2 > 8, 10% label noise), labels flipped at rows ${flips[0]} and ${flips[1]}; ` +
      `logistic model (defaults) learning test-then-train, ${DETECTOR} detector, on drift: ${policy}; rolling accuracy over ${rolling} rows; ${rows} rows, seed ${seed}`,
  );

  // The label column's distribution is watched too: at a flip it moves (the inputs do not).
  const labels = new DataDriftMonitor({ columns: ['class'], referenceRows: rolling, window: rolling, telemetry });

  let started = performance.now();
  let total = 0;
  let last: DriftProgressiveReport | null = null;
  const changes: DemoChange[] = [];
  // Window since the last summary line.
  let wRows = 0,
    wStart = started;

  /** Folds a report into the changes: the engine's rolling accuracy around each flip, and the detector's alarms. */
  const follow = (r: DriftProgressiveReport) => {
    const acc = r.rolling?.accuracy;
    if (acc === undefined || !Number.isFinite(acc)) return;
    let k = flips.length - 1;
    while (k >= 0 && r.rows <= flips[k]!) k--;
    if (k >= 0 && changes.length === k) {
      const before = last?.rolling?.accuracy ?? Number.NaN;
      changes.push({ row: flips[k]!, before, dip: acc, alarm: null, recovered: null, after: acc });
    }
    const c = changes[k];
    if (!c) return;
    c.after = acc;
    c.alarm ??= r.drift.driftRows.find((x) => x >= c.row && (k + 1 >= flips.length || x < flips[k + 1]!)) ?? null;
    if (acc < c.dip) {
      c.dip = acc;
      c.recovered = null;
    } else if (c.recovered === null && c.dip < c.before - RECOVERED && acc >= c.before - RECOVERED) c.recovered = r.rows;
  };

  const driftText = (d: DriftReport) =>
    `${d.detector}: ${d.drifts} drift${d.drifts === 1 ? '' : 's'}${d.driftRows.length ? ` (row${d.driftRows.length > 1 ? 's' : ''} ${d.driftRows.slice(0, 4).join(', ')}${d.driftRows.length > 4 ? ', …' : ''})` : ''}, ${d.warnings} warning${d.warnings === 1 ? '' : 's'}${policy === 'swap' ? `, ${d.swaps} swap${d.swaps === 1 ? '' : 's'}` : policy === 'reset' ? `, ${d.resets} reset${d.resets === 1 ? '' : 's'}` : ''}`;
  const changeText = (c: DemoChange) =>
    `labels flipped at row ${c.row}: rolling accuracy ${c.before.toFixed(4)} before, dip ${c.dip.toFixed(4)}, ` +
    `${c.alarm !== null ? `${DETECTOR} drift at row ${c.alarm} (+${c.alarm - c.row})` : `no ${DETECTOR} drift yet`}, ` +
    `${c.recovered !== null ? `back within ${100 * RECOVERED} point at row ${c.recovered} (+${c.recovered - c.row})` : 'not back yet'}, now ${c.after.toFixed(4)}`;

  let statsTick = -1;
  const summary = () => {
    if (useTui) {
      if (stats && ++statsTick % 4 === 0) telemetry.emit({ type: 'stats', source: 'sea-flip', columns: stats.summaries() as Record<string, unknown> });
      return;
    }
    const now = performance.now();
    const r = last;
    out(
      `rows=${formatCount(total)} ${((100 * total) / rows).toFixed(0)}% ${formatCount(wRows / ((now - wStart) / 1000))} rows/s | ` +
        (r
          ? `accuracy ${fmt(r.metrics.accuracy)} all, ${fmt(r.rolling?.accuracy)} last ${formatCount(rolling)} | ${driftText(r.drift)}`
          : 'no rows scored yet'),
    );
    wRows = 0;
    wStart = now;
  };

  // The dashboard (ink, React) loads only when shown. It draws in a worker thread (which picks
  // React's production build itself); this thread only folds telemetry and posts snapshots, and
  // loads the production build too for what it imports.
  if (useTui) process.env.NODE_ENV ??= 'production';
  const tui = useTui ? await import('../tui/index.js') : null;
  const stats = useTui ? new ColumnStats({ columns: ['attrib1', 'attrib2', 'attrib3', 'class'], bins: 20 }) : null;
  const gate: PauseGate | null = tui ? new tui.PauseGate() : null;
  let dash: DashboardHandle | null = null;
  let quit = () => {};
  if (tui && gate) {
    dash = tui.dashboard({
      telemetry,
      title: 'sluice demo',
      onPause: () => gate.pause(),
      onResume: () => gate.resume(),
      onSnapshot: async () => {
        const path = join(tmpdir(), `sluice-demo-${process.pid}-${total}.json`);
        const report = last ? { rows: last.rows, metrics: last.metrics, rolling: last.rolling, drift: last.drift } : null;
        await writeFileAtomic(path, `${JSON.stringify({ rows: total, report, changes, generator: generator.toJSON() }, null, 2)}\n`);
        return path;
      },
      onQuit: () => quit(),
    });
    // The render worker takes a second or two of CPU to start: the stream starts after it, so
    // the two do not share the cores, and the clock starts with the stream.
    await dash.ready;
    started = wStart = performance.now();
  }

  return new Promise<DemoResult>((resolve, reject) => {
    let finished = false;
    // Stats for the dashboard a few times a second; summary lines every second.
    const timer = setInterval(summary, options.summaryMs ?? (useTui ? 250 : 1000));
    const finish = (interrupted: boolean, error?: unknown, byQuit = false) => {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      options.signal?.removeEventListener('abort', onAbort);
      logger?.unsubscribe();
      gate?.resume();
      if (wRows > 0 || useTui) summary();
      dash?.store.setState(error !== undefined ? 'error' : byQuit || interrupted ? 'stopping' : 'done');
      // The dashboard's last frame stays on screen; the summary prints below it.
      void (dash?.stop() ?? Promise.resolve()).then(() => report(interrupted, error, byQuit));
    };
    const report = (interrupted: boolean, error: unknown, byQuit: boolean) => {
      if (error !== undefined) {
        reject(error);
        return;
      }
      const seconds = (performance.now() - started) / 1000;
      const drift = last?.drift ?? emptyDrift(policy);
      const accuracy = last?.metrics.accuracy ?? Number.NaN;
      out(
        `${byQuit ? 'stopped' : interrupted ? 'interrupted' : 'done'}: ${total} rows in ${seconds.toFixed(1)} s (${formatCount(total / Math.max(seconds, 1e-9))} rows/s); ` +
          `progressive accuracy ${fmt(accuracy)}; ${driftText(drift)}; ${labels.alerts} data-drift alert${labels.alerts === 1 ? '' : 's'} on the labels`,
      );
      for (const c of changes) out(changeText(c));
      resolve({ rows: total, seconds, interrupted, accuracy, rolling, drift, changes, dataDrift: labels.alerts, ...(byQuit ? { quit: true } : {}) });
    };
    let stream: Observable<Batch> = synthetic(generator, { rows, batchSize, telemetry, name: 'sea-flip' });
    // Pausing holds the batch (and its queue ticket), so the generator stops pulling.
    if (gate) stream = stream.pipe(gate.operator());
    const sub = stream
      .pipe(
        tap((b) => {
          labels.update(b);
          // Exploration on a sample (the first rows of each batch): full statistics cost several
          // times what generating the rows does.
          stats?.update(b.length > STATS_SAMPLE ? b.slice(0, STATS_SAMPLE) : b);
          total += b.length;
          wRows += b.length;
        }),
        vectorize({ target: 'class' }),
        // A metrics event per batch (every: 0): the charts get a point per batch, the dip included.
        detectDrift({ kind: 'logistic' }, { metrics: ['accuracy', 'logLoss'], rolling, detector: DETECTOR, onDrift: policy, telemetry, every: 0 }),
      )
      .subscribe({
        next: (r) => {
          follow(r);
          last = r;
        },
        error: (e) => finish(false, e),
        complete: () => finish(false),
      });
    const onAbort = () => {
      sub.unsubscribe();
      finish(true);
    };
    // `q`: stopping here lets the current batch finish.
    quit = () => {
      sub.unsubscribe();
      finish(false, undefined, true);
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const STATS_SAMPLE = 500;

function fmt(x: number | undefined): string {
  return x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(4);
}

function emptyDrift(policy: DriftPolicy): DriftReport {
  return {
    detector: DETECTOR,
    warnings: 0,
    drifts: 0,
    falls: 0,
    driftRows: [],
    policy,
    resets: 0,
    swaps: 0,
    backgroundStarts: 0,
    backgroundRestarts: 0,
    backgroundRows: 0,
  };
}

function ciSet(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
}

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Observable } from 'rxjs';
import { type Batch, formatCount, Telemetry, textLogger, writeFileAtomic } from '../core/index.js';
import { ColumnStats } from '../features/index.js';
import { synthetic } from '../operators/index.js';
import { ConceptDriftGenerator, SEAGenerator } from '../synth/index.js';
import type { DashboardHandle, PauseGate } from '../tui/index.js';

export interface DemoOptions {
  rows: number;
  seed: number;
  batchSize: number;
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

export interface DemoResult {
  rows: number;
  seconds: number;
  interrupted: boolean;
  /** Ended by `q` on the dashboard (a clean stop, not an interruption). */
  quit?: boolean;
  /** Rows drawn from the second concept (SEA function 3). */
  fromB: number;
}

/**
 * The built-in live demo: SEA concepts drifting gradually from function 1 (θ = 8) to
 * function 3 (θ = 7) around mid-stream, 10% label noise. Prints textLogger progress on stderr
 * and, every second, a summary of the recent window on stdout: throughput, class balance, how
 * much of the window came from the new concept and how well the labels agree with each concept.
 */
export async function demo(options: DemoOptions): Promise<DemoResult> {
  const out = options.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  const err = options.err ?? ((l: string) => process.stderr.write(`${l}\n`));
  const { rows, seed, batchSize } = options;
  // Width a tenth of the stream: the changeover (10% → 90% new concept) spans about 11% of it.
  const position = Math.floor(rows / 2),
    width = Math.max(1, Math.floor(rows / 10));
  const drift = new ConceptDriftGenerator(new SEAGenerator({ function: 1, noise: 0.1, seed }), new SEAGenerator({ function: 3, noise: 0.1, seed: seed + 1 }), {
    position,
    width,
    seed: seed + 2,
  });
  const telemetry = new Telemetry();
  const useTui = options.tui ?? (process.stdout.isTTY === true && process.stdin.isTTY === true && !ciSet());
  const logger = useTui ? null : textLogger({ telemetry, write: err });
  out(
    `sluice demo: SEA concept 1 (x1+x2 > 8) drifting to concept 3 (x1+x2 > 7) around row ${position} (width ${width}), 10% label noise, ${rows} rows, seed ${seed}`,
  );

  let started = performance.now();
  let total = 0,
    totalOnes = 0;
  // Window since the last summary line.
  let wRows = 0,
    wOnes = 0,
    wAgree1 = 0,
    wAgree3 = 0,
    wFromB = 0,
    wStart = started;

  // Dashboard: the two concepts' rules scored as classifiers of the noisy labels, so the
  // metrics panel, the charts and the confusion matrix show the drift from one to the other.
  const cum = [new Float64Array(4), new Float64Array(4)],
    win = [new Float64Array(4), new Float64Array(4)];
  let leader = -1,
    statsTick = -1;
  const tuiSummary = () => {
    const rules = ['rule c1', 'rule c3'];
    const acc = (m: Float64Array) => (m[0]! + m[3]!) / Math.max(1, m[0]! + m[1]! + m[2]! + m[3]!);
    const f1 = (m: Float64Array) => (2 * m[3]!) / Math.max(1, 2 * m[3]! + m[1]! + m[2]!);
    for (let r = 0; r < 2; r++) {
      telemetry.emit({
        type: 'metrics',
        rows: total,
        model: rules[r]!,
        values: { accuracy: acc(cum[r]!), f1: f1(cum[r]!) },
        rolling: { accuracy: acc(win[r]!), f1: f1(win[r]!) },
      });
    }
    const now = win[1]!.reduce((a, b) => a + b, 0) > 0 ? (acc(win[1]!) > acc(win[0]!) ? 1 : 0) : leader;
    if (leader !== -1 && now !== leader)
      telemetry.emit({ type: 'drift', detector: 'demo', row: total, message: `labels now agree best with concept ${now === 1 ? 3 : 1}` });
    if (now !== -1) leader = now;
    const m = cum[Math.max(0, leader)]!;
    dash?.store.setConfusion({ model: rules[Math.max(0, leader)]!, classes: 2, counts: Array.from(m) });
    if (stats && ++statsTick % 4 === 0) telemetry.emit({ type: 'stats', source: 'sea-drift', columns: stats.summaries() as Record<string, unknown> });
    win[0]!.fill(0);
    win[1]!.fill(0);
  };
  const summary = () => {
    if (useTui) {
      tuiSummary();
      return;
    }
    const now = performance.now();
    const fromB = drift.fromB - wFromB;
    const pct = (x: number) => `${wRows > 0 ? ((100 * x) / wRows).toFixed(1) : '-'}%`;
    const concept = fromB * 2 > wRows ? 'concept 3' : 'concept 1';
    out(
      `rows=${formatCount(total)} ${((100 * total) / rows).toFixed(0)}% ${formatCount(wRows / ((now - wStart) / 1000))} rows/s | window ${formatCount(wRows)}: class1 ${pct(wOnes)}, from concept 3 ${pct(fromB)}, labels agree c1 ${pct(wAgree1)} c3 ${pct(wAgree3)} → ${concept}`,
    );
    wRows = wOnes = wAgree1 = wAgree3 = 0;
    wFromB = drift.fromB;
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
        await writeFileAtomic(path, `${JSON.stringify({ rows: total, totalOnes, generator: drift.toJSON() }, null, 2)}\n`);
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
    // The dashboard charts a point per summary: a few a second keeps its charts moving.
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
      out(
        `${byQuit ? 'stopped' : interrupted ? 'interrupted' : 'done'}: ${total} rows in ${seconds.toFixed(1)} s (${formatCount(total / Math.max(seconds, 1e-9))} rows/s); class1 ${((100 * totalOnes) / Math.max(total, 1)).toFixed(1)}%; ${drift.fromB} rows (${((100 * drift.fromB) / Math.max(total, 1)).toFixed(1)}%) from concept 3`,
      );
      resolve({ rows: total, seconds, interrupted, fromB: drift.fromB, ...(byQuit ? { quit: true } : {}) });
    };
    let stream: Observable<Batch> = synthetic(drift, { rows, batchSize, telemetry, name: 'sea-drift' });
    // Pausing holds the batch (and its queue ticket), so the generator stops pulling.
    if (gate) stream = stream.pipe(gate.operator());
    const sub = stream.subscribe({
      next: (b) => {
        const x1 = b.column('attrib1'),
          x2 = b.column('attrib2'),
          y = b.column('class');
        if (x1.type !== 'number' || x2.type !== 'number' || y.type !== 'integer') return;
        let ones = 0,
          agree1 = 0,
          agree3 = 0;
        for (let i = 0; i < b.length; i++) {
          const s = x1.values[i]! + x2.values[i]!,
            c = y.values[i]!;
          ones += c;
          if (c === (s > 8 ? 1 : 0)) agree1++;
          if (c === (s > 7 ? 1 : 0)) agree3++;
          if (useTui) {
            // Confusion cells [tn, fp, fn, tp] of each concept's rule against the label.
            const p1 = s > 8 ? 1 : 0,
              p3 = s > 7 ? 1 : 0;
            win[0]![c * 2 + p1]!++;
            cum[0]![c * 2 + p1]!++;
            win[1]![c * 2 + p3]!++;
            cum[1]![c * 2 + p3]!++;
          }
        }
        // Exploration on a sample (the first rows of each batch): full statistics cost several
        // times what generating the rows does.
        stats?.update(b.length > STATS_SAMPLE ? b.slice(0, STATS_SAMPLE) : b);
        total += b.length;
        totalOnes += ones;
        wRows += b.length;
        wOnes += ones;
        wAgree1 += agree1;
        wAgree3 += agree3;
      },
      error: (e) => finish(false, e),
      complete: () => finish(false),
    });
    const onAbort = () => {
      sub.unsubscribe();
      finish(true);
    };
    // `q`: batches are handled synchronously, so stopping here lets the current one finish.
    quit = () => {
      sub.unsubscribe();
      finish(false, undefined, true);
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const STATS_SAMPLE = 500;

function ciSet(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
}

import type { Subscription } from 'rxjs';
import { Telemetry } from './Telemetry.js';
import type { TelemetryEvent } from './TelemetryEvent.js';

export interface TextLoggerOptions {
  telemetry?: Telemetry;
  /** Where lines go (default: stderr). */
  write?: (line: string) => void;
  /** Minimum gap between progress lines (default 1000 ms). */
  intervalMs?: number;
}

/** Span of the rows/s figure: smooths the steps of batch-sized progress, still follows a change within seconds. */
const RATE_WINDOW_MS = 5000;
/** Least gap between the samples kept for the rate, which bounds them to about 50 per source. */
const SAMPLE_MS = 100;

interface SourceState {
  lastLine: number;
  /** (time, rows read) samples, oldest first; the first is at or just before the window's start. */
  samples: Array<{ t: number; read: number }>;
  skipped: Extract<TelemetryEvent, { type: 'skipped' }> | null;
}

/**
 * Plain-text progress for non-TTY runs: at most one progress line per interval per source, and
 * every drift, warning, data drift, checkpoint and log event at once. A progress line counts the rows read (passed
 * and skipped: the source's own books), the skipped ones by reason, and the rows per second over
 * the last 5 s. Metrics lines are throttled too; the last one held back prints when the logger is
 * unsubscribed, so the final figures always show.
 *
 * `error` events are not printed: each comes with the error of the stream itself, which its
 * subscriber reports (the `sluice` command prints it once, as `sluice: <message>`).
 */
export function textLogger(options: TextLoggerOptions = {}): Subscription {
  const telemetry = options.telemetry ?? Telemetry.global;
  const write = options.write ?? ((l: string) => process.stderr.write(`${l}\n`));
  const interval = options.intervalMs ?? 1000;
  const sources = new Map<string, SourceState>();
  const state = (source: string): SourceState => {
    let s = sources.get(source);
    if (!s) sources.set(source, (s = { lastLine: -Infinity, samples: [], skipped: null }));
    return s;
  };
  let lastMetrics = -Infinity;
  let heldMetrics: Extract<TelemetryEvent, { type: 'metrics' }> | null = null;
  const stamp = (t: number) => new Date(t).toISOString().slice(11, 19);
  const metricsLine = (e: Extract<TelemetryEvent, { type: 'metrics' }>) =>
    `${stamp(e.t)} metrics rows=${e.rows} ${Object.entries(e.values)
      .map(([k, v]) => `${k}=${v.toFixed(4)}`)
      .join(' ')}`;

  const sub = telemetry.events$.subscribe((e) => {
    switch (e.type) {
      case 'skipped':
        state(e.source).skipped = e;
        break;
      case 'progress': {
        const s = state(e.source);
        const sk = s.skipped;
        // Progress counts the rows a source passed on; its skipped rows were read too.
        const read = e.rows + (sk?.skipped ?? 0);
        let last: { t: number; read: number } | undefined = s.samples[s.samples.length - 1];
        // Fewer rows than before: the source is read again (another epoch), a new count starts.
        if (last && read < last.read) {
          s.samples = [];
          last = undefined;
        }
        if (!last || e.t - last.t >= SAMPLE_MS) s.samples.push({ t: e.t, read });
        else last.read = read;
        while (s.samples.length > 1 && s.samples[1]!.t <= e.t - RATE_WINDOW_MS) s.samples.shift();
        if (!e.done && e.t - s.lastLine < interval) break;
        s.lastLine = e.t;
        const first = s.samples[0]!;
        // None yet from a single sample; none at the end when the window saw no rows (one batch
        // read at once has no measurable rate); a stall while running is a real 0.
        const rate = e.t > first.t && !(e.done && read === first.read) ? ((read - first.read) * 1000) / (e.t - first.t) : undefined;
        const pct = e.totalBytes ? ` ${((100 * e.bytes) / e.totalBytes).toFixed(1)}%` : e.totalRows ? ` ${((100 * read) / e.totalRows).toFixed(1)}%` : '';
        const skipText = sk
          ? ` skipped=${sk.skipped} (${Object.entries(sk.byReason)
              .map(([k, v]) => `${k}:${v}`)
              .join(' ')})`
          : '';
        write(`${stamp(e.t)} ${e.source} read=${read}${pct}${rate !== undefined ? ` ${Math.round(rate)} rows/s` : ''}${skipText}${e.done ? ' done' : ''}`);
        break;
      }
      case 'metrics': {
        if (e.t - lastMetrics < interval) {
          heldMetrics = e;
          break;
        }
        lastMetrics = e.t;
        heldMetrics = null;
        write(metricsLine(e));
        break;
      }
      case 'drift':
        write(`${stamp(e.t)} drift ${e.detector} at row ${e.row}: ${e.message}`);
        break;
      case 'warning':
        write(`${stamp(e.t)} warning ${e.detector} at row ${e.row}: ${e.message}`);
        break;
      case 'dataDrift':
        write(`${stamp(e.t)} data drift ${e.column} at row ${e.row}: ${e.measure} ${e.value.toPrecision(3)} (${e.verdict})`);
        break;
      case 'checkpoint':
        write(`${stamp(e.t)} checkpoint ${e.path}${e.version ? ` ${e.version}` : ''}`);
        break;
      case 'log':
        write(`${stamp(e.t)} ${e.level} ${e.message}`);
        break;
      default:
        break;
    }
  });
  sub.add(() => {
    if (heldMetrics) write(metricsLine(heldMetrics));
    heldMetrics = null;
  });
  return sub;
}

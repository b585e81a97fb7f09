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

/**
 * Plain-text progress for non-TTY runs: at most one progress line per interval per source, and
 * every error, drift, checkpoint and log event at once. Skips are summarised on progress lines.
 */
export function textLogger(options: TextLoggerOptions = {}): Subscription {
  const telemetry = options.telemetry ?? Telemetry.global;
  const write = options.write ?? ((l: string) => process.stderr.write(l + '\n'));
  const interval = options.intervalMs ?? 1000;
  const last = new Map<string, number>();
  const rates = new Map<string, number>();
  const skipped = new Map<string, Extract<TelemetryEvent, { type: 'skipped' }>>();
  const stamp = (t: number) => new Date(t).toISOString().slice(11, 19);
  return telemetry.events$.subscribe((e) => {
    switch (e.type) {
      case 'throughput': rates.set(e.source, e.rowsPerSecond); break;
      case 'skipped': skipped.set(e.source, e); break;
      case 'progress': {
        const prev = last.get(e.source) ?? 0;
        if (!e.done && e.t - prev < interval) break;
        last.set(e.source, e.t);
        const pct = e.totalBytes ? ` ${(100 * e.bytes / e.totalBytes).toFixed(1)}%` : e.totalRows ? ` ${(100 * e.rows / e.totalRows).toFixed(1)}%` : '';
        const rate = rates.get(e.source);
        const sk = skipped.get(e.source);
        const skipText = sk ? ` skipped=${sk.skipped} (${Object.entries(sk.byReason).map(([k, v]) => `${k}:${v}`).join(' ')})` : '';
        write(`${stamp(e.t)} ${e.source} rows=${e.rows}${pct}${rate !== undefined ? ` ${Math.round(rate)} rows/s` : ''}${skipText}${e.done ? ' done' : ''}`);
        break;
      }
      case 'metrics': {
        const prev = last.get('metrics') ?? 0;
        if (e.t - prev < interval) break;
        last.set('metrics', e.t);
        write(`${stamp(e.t)} metrics rows=${e.rows} ${Object.entries(e.values).map(([k, v]) => `${k}=${v.toFixed(4)}`).join(' ')}`);
        break;
      }
      case 'error': write(`${stamp(e.t)} ERROR ${e.source}: ${e.message}`); break;
      case 'drift': write(`${stamp(e.t)} drift ${e.detector} at row ${e.row}: ${e.message}`); break;
      case 'checkpoint': write(`${stamp(e.t)} checkpoint ${e.path}${e.version ? ' ' + e.version : ''}`); break;
      case 'log': write(`${stamp(e.t)} ${e.level} ${e.message}`); break;
      default: break;
    }
  });
}

import { type MonoTypeOperatorFunction, Observable } from 'rxjs';
import { type Batch, SpecError, Telemetry } from '../../core/index.js';
import { ColumnStats, type ColumnStatsOptions } from '../../features/index.js';

export interface ExploreOptions extends ColumnStatsOptions {
  /** Least time between two `stats` events (default 1000 ms); a last one is sent when the stream ends. */
  intervalMs?: number;
  /** Source name in the events (default `explore`). */
  source?: string;
  telemetry?: Telemetry;
  /** Statistics object to update (default: a fresh one per subscription), readable afterwards. */
  stats?: ColumnStats;
}

/** Pass-through: updates streaming column statistics per batch and publishes them as `stats` telemetry. */
export function explore(options: ExploreOptions = {}): MonoTypeOperatorFunction<Batch> {
  const intervalMs = options.intervalMs ?? 1000;
  if (!(intervalMs >= 0)) throw new SpecError('explore.intervalMs', `expected a number ≥ 0, got ${intervalMs}`);
  new ColumnStats(options);
  const telemetry = options.telemetry ?? Telemetry.global;
  const name = options.source ?? 'explore';
  return (source) =>
    new Observable<Batch>((subscriber) => {
      const stats = options.stats ?? new ColumnStats(options);
      let last = -Infinity;
      const publish = () => telemetry.emit({ type: 'stats', source: name, columns: stats.summaries() as Record<string, unknown> });
      const sub = source.subscribe({
        next(batch) {
          try {
            stats.update(batch);
          } catch (err) {
            subscriber.error(err);
            return;
          }
          const now = performance.now();
          if (now - last >= intervalMs) {
            last = now;
            publish();
          }
          subscriber.next(batch);
        },
        error(err) {
          subscriber.error(err);
        },
        complete() {
          publish();
          subscriber.complete();
        },
      });
      return () => sub.unsubscribe();
    });
}

import { Observable } from 'rxjs';
import type { Batch } from './Batch.js';
import { BoundedQueue } from './BoundedQueue.js';
import { Telemetry } from './Telemetry.js';

export interface PullChunk {
  batch: Batch;
  /** Input bytes consumed to make this batch, for MB/s and progress. */
  bytes?: number;
}

export interface PullSourceOptions {
  /** Source name in telemetry: a path, `-`, `tcp://host:port`, `sea`. */
  name: string;
  /** Batches in flight before the reader waits (default 4). */
  capacity?: number;
  telemetry?: Telemetry;
  totalRows?: number;
  totalBytes?: number;
}

/** Minimum gap between throughput events. */
const THROUGHPUT_MS = 500;

/**
 * Turns a pull-based reader into an Observable<Batch> with bounded memory: the next chunk is
 * pulled only while the source's BoundedQueue has room, so a slow pipeline stops the reader.
 * Emits progress, throughput and queue telemetry. Unsubscribing stops the reader and closes it.
 */
export function fromPull(open: (signal: AbortSignal) => AsyncIterable<PullChunk> | AsyncIterator<PullChunk>, options: PullSourceOptions): Observable<Batch> {
  const capacity = options.capacity ?? 4;
  const telemetry = options.telemetry ?? Telemetry.global;
  return new Observable<Batch>((subscriber) => {
    const ac = new AbortController();
    const queue = new BoundedQueue(options.name, capacity, telemetry);
    let rows = 0,
      bytes = 0;
    const started = performance.now();
    let lastRate = started,
      lastRows = 0,
      lastBytes = 0;
    const progress = (done: boolean) =>
      telemetry.emit({
        type: 'progress',
        source: options.name,
        rows,
        bytes,
        done,
        ...(options.totalRows !== undefined ? { totalRows: options.totalRows } : {}),
        ...(options.totalBytes !== undefined ? { totalBytes: options.totalBytes } : {}),
      });
    (async () => {
      const src = open(ac.signal);
      const it: AsyncIterator<PullChunk> =
        Symbol.asyncIterator in src ? (src as AsyncIterable<PullChunk>)[Symbol.asyncIterator]() : (src as AsyncIterator<PullChunk>);
      try {
        for (;;) {
          if (!queue.hasRoom) await queue.waitForRoom();
          if (ac.signal.aborted) break;
          const r = await it.next();
          if (r.done || ac.signal.aborted) break;
          const { batch } = r.value;
          rows += batch.length;
          bytes += r.value.bytes ?? 0;
          const ticket = queue.admit();
          batch.ticket = ticket;
          progress(false);
          const now = performance.now();
          if (now - lastRate >= THROUGHPUT_MS) {
            const dt = (now - lastRate) / 1000;
            telemetry.emit({ type: 'throughput', source: options.name, rowsPerSecond: (rows - lastRows) / dt, bytesPerSecond: (bytes - lastBytes) / dt });
            lastRate = now;
            lastRows = rows;
            lastBytes = bytes;
          }
          subscriber.next(batch);
          ticket.release();
        }
        if (!ac.signal.aborted) {
          progress(true);
          subscriber.complete();
        }
      } catch (err) {
        telemetry.emit({ type: 'error', source: options.name, message: err instanceof Error ? err.message : String(err), error: err });
        subscriber.error(err);
      } finally {
        try {
          await it.return?.();
        } catch {
          /* closing after an error: the first error wins */
        }
      }
    })();
    return () => ac.abort();
  });
}

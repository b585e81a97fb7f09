import { Worker } from 'node:worker_threads';
import { type PullChunk, SourceError, Telemetry, type TelemetryEvent } from '../../core/index.js';
import { CsvBatchDecoder } from './CsvBatchDecoder.js';
import type { CsvWorkerData, CsvWorkerOptions, FromCsvWorker, ToCsvWorker } from './csvWorkerMain.js';
import { errorFromWire } from './errorFromWire.js';

/** How long a parse thread asked to stop may take to close its files before it is terminated. */
const STOP_GRACE_MS = 2000;
/**
 * The parse thread's entry. From the sources, src/io/csv/csvWorker.mjs loads the TypeScript
 * through tsx (~0.35 s to its first batch here); in the package, scripts/build.ts writes a
 * self-contained bundle of csvWorkerEntry.ts under the same name beside the code that runs this
 * (dist/csvWorker.mjs, ~0.1 s).
 */
const ENTRY = new URL('./csvWorker.mjs', import.meta.url);

/**
 * The main thread's side of fromCsv's parse thread: starts csvWorker.mjs on a file, and yields
 * its batches as the single-thread path would (same batches, bytes and telemetry, errors of the
 * same classes). Before each batch it re-emits, on `telemetry`, the events the parser emitted
 * while making it (account, skipped), so they arrive in the same order relative to fromPull's
 * progress and queue events. One credit goes back per batch handed on (see csvWorkerMain).
 *
 * The thread is kept referenced while the stream runs: the caller is waiting on it, and an
 * unreferenced thread would let Node exit under a pipeline that has nothing else pending. When
 * the stream ends, fails or is abandoned (`signal`, or `return()` on the generator) the thread is
 * told to stop, closes its input and dead letter and ends by itself, or is terminated after
 * STOP_GRACE_MS.
 */
export class CsvParseThread {
  /** Parse threads started and not yet exited, in this process (for tests and diagnostics). */
  static live = 0;
  /** Batches received, handed on, and the most the thread was ever ahead (parsed − handed on). */
  readonly stats = { received: 0, handed: 0, maxAhead: 0 };

  constructor(
    private readonly path: string,
    private readonly options: CsvWorkerOptions,
    private readonly capacity: number,
    private readonly telemetry: Telemetry = Telemetry.global,
  ) {}

  async *batches(signal?: AbortSignal): AsyncGenerator<PullChunk> {
    const data: CsvWorkerData = { path: this.path, options: this.options, capacity: this.capacity };
    const inbox: FromCsvWorker[] = [];
    let failure = null as Error | null,
      exited = false,
      stopping = false;
    let wake: (() => void) | null = null;
    const ring = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    let grace: NodeJS.Timeout | undefined;
    const worker = new Worker(ENTRY, {
      workerData: data,
      // Plain JavaScript (or an entry that registers tsx itself): the parent's flags are not for it.
      execArgv: [],
      // No resourceLimits: text values and rows up to maxRowBytes (64 MiB by default) live on this
      // thread's heap, and a cap would turn legal input into a crash.
      stdin: false,
    });
    CsvParseThread.live++;
    worker.on('message', (m: FromCsvWorker) => {
      if (m.type === 'batch') {
        this.stats.received++;
        this.stats.maxAhead = Math.max(this.stats.maxAhead, m.parsed - this.stats.handed);
      }
      inbox.push(m);
      ring();
    });
    worker.on('error', (e) => {
      failure ??= e;
      ring();
    });
    worker.on('exit', () => {
      CsvParseThread.live--;
      exited = true;
      clearTimeout(grace);
      ring();
    });
    const send = (m: ToCsvWorker) => {
      if (!exited) worker.postMessage(m);
    };
    const stop = () => {
      if (stopping || exited) return;
      stopping = true;
      send({ type: 'stop' });
      grace = setTimeout(() => void worker.terminate(), STOP_GRACE_MS);
    };
    const onAbort = () => {
      stop();
      ring();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const decoder = new CsvBatchDecoder();
    const replay = (events: readonly Omit<TelemetryEvent, 't'>[]) => {
      for (const e of events) this.telemetry.emit(e as TelemetryEvent);
    };
    try {
      for (;;) {
        while (inbox.length === 0) {
          if (stopping || signal?.aborted) return;
          if (failure !== null) throw new SourceError(this.path, `the CSV parse thread failed: ${failure.message}`, { cause: failure });
          if (exited) throw new SourceError(this.path, 'the CSV parse thread ended without finishing the input');
          await new Promise<void>((r) => {
            wake = r;
          });
        }
        if (signal?.aborted) return;
        const m = inbox.shift()!;
        replay(m.events);
        if (m.type === 'end') return;
        if (m.type === 'error') throw errorFromWire(m.error);
        const batch = decoder.decode(m.batch);
        this.stats.handed++;
        send({ type: 'credit' });
        yield m.bytes !== undefined ? { batch, bytes: m.bytes } : { batch };
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // After `end` or `error` the thread is closing already; a stop is harmless then.
      stop();
    }
  }
}

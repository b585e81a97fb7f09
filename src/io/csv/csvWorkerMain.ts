import { parentPort, workerData } from 'node:worker_threads';
import { type Field, type PullChunk, Schema, Telemetry, type TelemetryEvent } from '../../core/index.js';
import { type ByteInput, type InputOptions, openInput } from '../input/index.js';
import { CsvBatchEncoder, type WireBatch } from './CsvBatchEncoder.js';
import { type CsvBatchesOptions, csvBatches } from './csvBatches.js';
import { errorToWire, type WireError } from './errorToWire.js';

/** fromCsv's options as they cross threads: no telemetry, a Schema instance as its fields. */
export type CsvWorkerOptions = Omit<CsvBatchesOptions, 'telemetry' | 'schema' | 'name'> &
  InputOptions & {
    schema?: { fields: readonly Field[] } | Readonly<Record<string, string>>;
    /** Whether `schema` holds a Schema instance's fields (it names columns, marks required ones). */
    schemaIsInstance?: boolean;
  };

/** What CsvParseThread hands the parse thread when it starts it. */
export interface CsvWorkerData {
  path: string;
  options: CsvWorkerOptions;
  /** Batches the thread may parse before the main thread has handed any on. */
  capacity: number;
}

/** A telemetry event without its time: the main thread stamps it when it re-emits it, in stream order. */
export type WireEvent = Omit<TelemetryEvent, 't'>;

/** Parse thread → main thread. Events are those the parser emitted since the previous message. */
export type FromCsvWorker =
  | { type: 'batch'; batch: WireBatch; bytes: number | undefined; events: WireEvent[]; parsed: number }
  | { type: 'end'; events: WireEvent[] }
  | { type: 'error'; error: WireError; events: WireEvent[] };

/** Main thread → parse thread: one more batch may be parsed, or stop now. */
export type ToCsvWorker = { type: 'credit' } | { type: 'stop' };

/**
 * Body of the CSV parse thread (csvWorker.mjs): opens the input (gzip sniffing included), runs
 * csvBatches exactly as fromCsv does on one thread, and posts each batch with the telemetry the
 * parser emitted before it. It parses a batch only while it holds a credit: it starts with
 * `capacity` and the main thread grants one per batch it hands on, so it never runs more than
 * `capacity` batches ahead. On `stop` it finishes the batch in hand, closes the parser (which
 * flushes the dead letter) and the input, and lets the thread end. The dead letter is written on
 * this thread, and closed before `end` or `error` is posted.
 */
export async function csvWorkerMain(): Promise<void> {
  const port = parentPort!;
  const { path, options, capacity } = workerData as CsvWorkerData;
  let credits = capacity,
    stopped = false;
  let wake: (() => void) | null = null;
  port.on('message', (m: ToCsvWorker) => {
    if (m.type === 'credit') credits++;
    else stopped = true;
    const w = wake;
    wake = null;
    w?.();
  });
  let events: WireEvent[] = [];
  const telemetry = new Telemetry();
  telemetry.events$.subscribe(({ t: _t, ...e }) => {
    events.push(e as WireEvent);
  });
  const take = () => {
    const e = events;
    events = [];
    return e;
  };
  const post = (m: FromCsvWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

  const { schema: wireSchema, schemaIsInstance, chunkSize, gzip, reuseBuffers, ...parse } = options;
  const schema =
    wireSchema === undefined
      ? undefined
      : schemaIsInstance
        ? new Schema((wireSchema as { fields: readonly Field[] }).fields)
        : (wireSchema as CsvBatchesOptions['schema']);
  const encoder = new CsvBatchEncoder();
  let input: ByteInput | null = null;
  let batches: AsyncGenerator<PullChunk> | null = null;
  const close = async () => {
    // Ends csvBatches at its yield: its finally closes the books and flushes the dead letter.
    try {
      await batches?.return(undefined);
    } finally {
      input?.close();
    }
    batches = null;
    input = null;
  };
  let parsed = 0;
  try {
    input = await openInput(path, {
      ...(chunkSize !== undefined ? { chunkSize } : {}),
      ...(gzip !== undefined ? { gzip } : {}),
      // The parser copies every chunk on push, so the reader may reuse its buffers (as fromCsv).
      reuseBuffers: reuseBuffers ?? true,
    });
    batches = csvBatches(input.chunks, { ...parse, ...(schema !== undefined ? { schema } : {}), name: path, telemetry });
    for (;;) {
      while (credits === 0 && !stopped)
        await new Promise<void>((r) => {
          wake = r;
        });
      if (stopped) break;
      const r = await batches.next();
      if (stopped) break;
      if (r.done) {
        await close();
        post({ type: 'end', events: take() });
        break;
      }
      credits--;
      parsed++;
      const { message, transfer } = encoder.encode(r.value.batch);
      post({ type: 'batch', batch: message, bytes: r.value.bytes, events: take(), parsed }, transfer);
    }
  } catch (err) {
    // csvBatches' own finally has run (the books are closed); close the input before reporting.
    try {
      await close();
    } catch {
      /* the first error wins */
    }
    post({ type: 'error', error: errorToWire(err), events: take() });
  } finally {
    await close();
    // Nothing more to say or hear: the thread ends once its last handles close.
    port.removeAllListeners('message');
    port.unref();
  }
}

import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Observable } from 'rxjs';
import { type Batch, fromPull, type PullChunk, Schema, SpecError } from '../../core/index.js';
import { type CsvBatchesOptions, CsvParser, CsvParseThread, type CsvWorkerOptions, csvBatches, type InputOptions, openInput } from '../../io/index.js';

export interface FromCsvOptions extends CsvBatchesOptions, InputOptions {
  /** Batches in flight before the reader waits (default 4). */
  capacity?: number;
  /**
   * Parse on a second thread, so that parsing overlaps with the pipeline's work on this one (the
   * rate becomes about min(parse, rest) instead of 1/(1/parse + 1/rest)).
   * - `'auto'` (default): a thread for a regular file (not stdin) of at least 16 MiB when the
   *   machine has two or more cores. Starting the thread takes ~0.1 s (~0.35 s when sluice runs
   *   from its TypeScript sources, through tsx) during which no batch arrives; the overlap
   *   saves at most the parse time, ~0.15 s for 16 MiB at ~110 MB/s here.
   * - `true`: a thread for any file, gzip included; stdin (`-`) always stays on this thread.
   * - `false`: parse on this thread.
   *
   * The thread gives the same batches (schema, values, validity, dictionaries, rowIds, lines),
   * progress bytes, telemetry, dead-letter file and errors (same classes and messages) as this
   * thread would, except the time-based throughput events, which start later by the thread's
   * start-up. It parses at most `capacity` batches beyond those handed on (so at most 2 ×
   * `capacity` batches are alive), and unsubscribing stops it. Options that cannot
   * be sent to a thread (a function or class instance other than `telemetry` and a Schema, in
   * any key) make fromCsv parse on this thread instead.
   */
  parseThread?: boolean | 'auto';
}

/**
 * Below this size `parseThread: 'auto'` parses on the calling thread: the thread's start-up
 * (~0.1 s before its first batch, measured here) is more than the overlap can save.
 */
const PARSE_THREAD_MIN_BYTES = 16 * 1024 * 1024;

/**
 * Reads a CSV file, gzip file (sniffed) or stdin (`-`) as an Observable of typed batches, with
 * bounded memory: the file is read only while fewer than `capacity` batches are in flight.
 * Large files are parsed on a second thread (see `parseThread`).
 * Progress telemetry carries the file size as totalBytes (unknown for stdin and gzip).
 * Options are checked now (SpecError naming the option); a missing file errors on subscribe
 * (SourceError).
 */
export function fromCsv(path: string, options: FromCsvOptions = {}): Observable<Batch> {
  if (typeof path !== 'string' || path === '') throw new SpecError('path', 'expected a file path or "-" for stdin');
  CsvParser.validate(options);
  if (options.capacity !== undefined && (!Number.isInteger(options.capacity) || options.capacity < 1))
    throw new SpecError('capacity', `expected a positive integer, got ${JSON.stringify(options.capacity)}`);
  const mode = options.parseThread ?? 'auto';
  if (mode !== true && mode !== false && mode !== 'auto')
    throw new SpecError('parseThread', `expected true, false or "auto", got ${JSON.stringify(options.parseThread)}`);
  return new Observable<Batch>((subscriber) => {
    const totalBytes = path === '-' ? undefined : plainSize(path, options.gzip);
    const threaded = threadOptions(path, options, mode);
    async function* open(): AsyncGenerator<PullChunk> {
      // The parser copies every chunk on push, so the reader may reuse its buffers.
      const input = await openInput(path, { ...options, reuseBuffers: options.reuseBuffers ?? true });
      try {
        yield* csvBatches(input.chunks, { ...options, name: path });
      } finally {
        input.close();
      }
    }
    const capacity = options.capacity ?? 4;
    return fromPull(threaded === null ? open : (signal) => new CsvParseThread(path, threaded, capacity, options.telemetry).batches(signal), {
      name: path,
      capacity,
      ...(options.telemetry ? { telemetry: options.telemetry } : {}),
      ...(totalBytes !== undefined ? { totalBytes } : {}),
    }).subscribe(subscriber);
  });
}

/** The options to send to a parse thread, or null to parse on this thread. */
function threadOptions(path: string, options: FromCsvOptions, mode: boolean | 'auto'): CsvWorkerOptions | null {
  if (mode === false || path === '-') return null;
  if (mode === 'auto') {
    if (availableParallelism() < 2) return null;
    try {
      const st = statSync(path);
      if (!st.isFile() || st.size < PARSE_THREAD_MIN_BYTES) return null;
    } catch {
      return null; // missing: the single-thread path reports it (SourceError on subscribe)
    }
  }
  const { telemetry: _t, capacity: _c, parseThread: _p, name: _n, schema, ...rest } = options;
  const plain: CsvWorkerOptions = {
    ...rest,
    ...(schema instanceof Schema
      ? { schema: { fields: schema.fields.map((f) => ({ ...f })) }, schemaIsInstance: true }
      : schema !== undefined
        ? { schema: { ...schema } }
        : {}),
  };
  try {
    structuredClone(plain);
  } catch {
    return null; // something only this thread can hold (a function, a class instance)
  }
  return plain;
}

/**
 * The file size for progress, or undefined when it says nothing about the bytes parsed (gzip,
 * sniffed as openInput does) or the file is missing (openInput reports that on subscribe).
 */
function plainSize(path: string, gzip: InputOptions['gzip']): number | undefined {
  try {
    const size = statSync(path).size;
    if (gzip === true) return undefined;
    if (gzip === false) return size;
    const fd = openSync(path, 'r');
    const magic = Buffer.alloc(2);
    try {
      readSync(fd, magic, 0, 2, 0);
    } finally {
      closeSync(fd);
    }
    return magic[0] === 0x1f && magic[1] === 0x8b ? undefined : size;
  } catch {
    return undefined;
  }
}

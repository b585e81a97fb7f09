import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { Observable } from 'rxjs';
import { Batch, SpecError, fromPull, type PullChunk } from '../../core/index.js';
import { openInput, type InputOptions } from '../input/index.js';
import { CsvParser } from './CsvParser.js';
import { csvBatches, type CsvBatchesOptions } from './csvBatches.js';

export interface FromCsvOptions extends CsvBatchesOptions, InputOptions {
  /** Batches in flight before the reader waits (default 4). */
  capacity?: number;
}

/**
 * Reads a CSV file, gzip file (sniffed) or stdin (`-`) as an Observable of typed batches, with
 * bounded memory: the file is read only while fewer than `capacity` batches are in flight.
 * Progress telemetry carries the file size as totalBytes (unknown for stdin and gzip).
 * Options are checked now (SpecError naming the option); a missing file errors on subscribe
 * (SourceError).
 */
export function fromCsv(path: string, options: FromCsvOptions = {}): Observable<Batch> {
  if (typeof path !== 'string' || path === '') throw new SpecError('path', 'expected a file path or "-" for stdin');
  CsvParser.validate(options);
  if (options.capacity !== undefined && (!Number.isInteger(options.capacity) || options.capacity < 1))
    throw new SpecError('capacity', `expected a positive integer, got ${JSON.stringify(options.capacity)}`);
  return new Observable<Batch>((subscriber) => {
    const totalBytes = path === '-' ? undefined : plainSize(path, options.gzip);
    async function* open(): AsyncGenerator<PullChunk> {
      // The parser copies every chunk on push, so the reader may reuse its buffers.
      const input = await openInput(path, { ...options, reuseBuffers: options.reuseBuffers ?? true });
      try {
        yield* csvBatches(input.chunks, { ...options, name: path });
      } finally {
        input.close();
      }
    }
    return fromPull(open, {
      name: path,
      ...(options.capacity !== undefined ? { capacity: options.capacity } : {}),
      ...(options.telemetry ? { telemetry: options.telemetry } : {}),
      ...(totalBytes !== undefined ? { totalBytes } : {}),
    }).subscribe(subscriber);
  });
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
    try { readSync(fd, magic, 0, 2, 0); } finally { closeSync(fd); }
    return magic[0] === 0x1f && magic[1] === 0x8b ? undefined : size;
  } catch {
    return undefined;
  }
}

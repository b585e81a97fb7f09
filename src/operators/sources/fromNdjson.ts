import type { Observable } from 'rxjs';
import { BadRows, type Batch, fromPull } from '../../core/index.js';
import { type ByteInput, checkPositiveInt, type NdjsonBatchOptions, ndjsonBatches, openInput } from '../../io/index.js';
import { deferSource } from './deferSource.js';
import type { SourceOptions } from './SourceOptions.js';

/** Options of `fromNdjson`. */
export interface NdjsonOptions
  extends SourceOptions,
    Omit<NdjsonBatchOptions, 'source' | 'badRows' | 'deadLetter' | 'telemetry' | 'firstRowId' | 'sharedSchema'> {
  /** Read size in bytes (default 1 MiB). */
  chunkSize?: number;
  /** Gunzip: `auto` (default) sniffs the gzip magic bytes. */
  gzip?: boolean | 'auto';
}

/**
 * Newline-delimited JSON from a file, a gzipped file or stdin (`-`) as a bounded stream of
 * Batches. See `ndjsonBatches` for parsing, schema inference and bad rows.
 */
export function fromNdjson(path: string, options: NdjsonOptions = {}): Observable<Batch> {
  checkPositiveInt('capacity', options.capacity);
  checkPositiveInt('chunkSize', options.chunkSize);
  checkPositiveInt('batchSize', options.batchSize);
  checkPositiveInt('inferRows', options.inferRows);
  checkPositiveInt('maxLineBytes', options.maxLineBytes);
  // Validates badRows now (SpecError at creation), not at subscription.
  new BadRows(path, { ...(options.badRows ? { badRows: options.badRows } : {}) });
  const { capacity, telemetry, badRows, deadLetter, chunkSize, gzip, ...parse } = options;
  return deferSource(
    path,
    telemetry,
    () => openInput(path, { ...(chunkSize ? { chunkSize } : {}), ...(gzip !== undefined ? { gzip } : {}) }),
    (input: ByteInput) =>
      fromPull(
        async function* () {
          const books = new BadRows(path, { ...(badRows ? { badRows } : {}), ...(deadLetter ? { deadLetter } : {}), ...(telemetry ? { telemetry } : {}) });
          let ok = false;
          try {
            yield* ndjsonBatches(input.chunks, { ...parse, source: path, badRows: books });
            ok = true;
          } finally {
            input.close();
            books.close();
            books.publish(ok);
          }
        },
        {
          name: path,
          ...(capacity ? { capacity } : {}),
          ...(telemetry ? { telemetry } : {}),
          ...(input.totalBytes !== undefined ? { totalBytes: input.totalBytes } : {}),
        },
      ),
    (input) => input.close(),
  );
}

import type { Batch } from '../../core/index.js';

/** Output encodings of `openBatchWriter`. */
export type OutputFormat = 'csv' | 'ndjson' | 'arrow';

/** Options of the text writers. */
export interface BatchWriterOptions {
  /** CSV field separator: one character, not a quote or a line break (default `,`; `\t` for `.tsv` paths). */
  delimiter?: string;
}

/**
 * Writes Batches to one output, in order. Every call is awaited before the next: `write` resolves
 * once the stream has taken the bytes (after 'drain' when it was full), which is what holds a fast
 * pipeline back to the speed of its output. End with `close` (the output is complete) or, after a
 * failure, `discard` (nothing is left under the final name); both may be called more than once.
 */
export interface BatchWriter {
  write(batch: Batch): Promise<void>;
  close(): Promise<void>;
  /** Stops without completing the output: a file target's temporary file is deleted; a stream is left as it is. */
  discard(): Promise<void>;
  /** Rows written so far. */
  readonly rows: number;
  /** The encoding written. */
  readonly format: OutputFormat;
}

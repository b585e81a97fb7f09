import { type BadRowOptions, BadRows, type PullChunk } from '../../core/index.js';
import { CsvParser, type CsvParserOptions } from './CsvParser.js';

export interface CsvBatchesOptions extends CsvParserOptions, BadRowOptions {
  /**
   * Emit the complete rows at the end of every input chunk instead of waiting for a full batch:
   * for line-by-line streams (sockets) where latency matters more than batch size.
   */
  flushOnChunk?: boolean;
}

/**
 * Parses CSV from any byte stream into typed batches, pull-based: the next chunk is read only
 * when the consumer asks for the next batch. Bad rows follow `badRows` (skip|fail) and the books
 * (read = passed + skipped) are published as `account` telemetry after every batch and at the end.
 * Options are validated on the first pull (use `CsvParser.validate` to check them earlier).
 */
export async function* csvBatches(chunks: AsyncIterable<Uint8Array>, options: CsvBatchesOptions = {}): AsyncGenerator<PullChunk> {
  const name = options.name ?? 'csv';
  CsvParser.validate(options);
  const badRows = new BadRows(name, options);
  const parser = new CsvParser({ ...options, name }, badRows);
  try {
    for await (const chunk of chunks) {
      parser.push(chunk);
      if (options.flushOnChunk) parser.flush();
      for (let r = parser.shift(); r !== undefined; r = parser.shift()) {
        badRows.publish(false);
        // The rows this batch's parse rejected are on disk before it is handed on: a checkpoint past it covers them.
        badRows.flush();
        yield r;
      }
    }
    parser.end();
    for (let r = parser.shift(); r !== undefined; r = parser.shift()) {
      badRows.publish(false);
      yield r;
    }
    badRows.publish(true);
  } finally {
    badRows.close();
  }
}

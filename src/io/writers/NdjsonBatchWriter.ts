import type { Batch, Column } from '../../core/index.js';
import type { BatchWriter } from './BatchWriter.js';
import { cellEncoder } from './cellEncoder.js';
import { StreamSink } from './StreamSink.js';
import { TextChunks } from './TextChunks.js';

/**
 * Batches as NDJSON: one object per row, keys in column order. Missing values, NaN and ±Infinity
 * are `null` (JSON has no NaN); datetimes are ISO 8601 UTC strings; a vector is an object of its
 * non-zero slots (`{"3": 1.5}`), as `Batch.value` gives it. Each line stands alone, so batches
 * need not share columns. Each batch becomes one buffer and one `write`.
 */
export class NdjsonBatchWriter implements BatchWriter {
  readonly format = 'ndjson' as const;
  private readonly sink: StreamSink;
  private written = 0;

  constructor(out: NodeJS.WritableStream) {
    this.sink = new StreamSink(out, 'NdjsonBatchWriter');
  }

  get rows(): number {
    return this.written;
  }

  async write(batch: Batch): Promise<void> {
    this.sink.checkOpen();
    const m = batch.columns.length;
    const keys = batch.names.map((n, k) => `${k === 0 ? '{' : ','}${JSON.stringify(n)}:`);
    const cells = batch.columns.map(cellJson);
    const text = new TextChunks();
    for (let i = 0; i < batch.length; i++) {
      let line = m === 0 ? '{' : '';
      for (let k = 0; k < m; k++) line += keys[k]! + cells[k]!(i);
      text.add(`${line}}\n`);
    }
    const bytes = text.take();
    if (bytes.length > 0) await this.sink.write(bytes);
    this.written += batch.length;
  }

  close(): Promise<void> {
    return this.sink.close();
  }

  discard(): Promise<void> {
    return this.sink.discard();
  }
}

/** The JSON of row i of a column (cellEncoder in JSON's spelling: null when missing; a vector as {index: value}, non-finite sums as null). */
function cellJson(c: Column): (i: number) => string {
  return cellEncoder(c, { missing: 'null', string: (s) => JSON.stringify(s), vector: (slots) => JSON.stringify(slots) })!;
}

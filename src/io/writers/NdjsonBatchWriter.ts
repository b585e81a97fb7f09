import type { Batch, Column } from '../../core/index.js';
import { validity } from '../../core/index.js';
import type { BatchWriter } from './BatchWriter.js';
import { isoDatetime } from './isoDatetime.js';
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

/** The JSON of row i of a column; strings are encoded once per dictionary code, not per row. */
function cellJson(c: Column): (i: number) => string {
  const v = c.validity;
  const ok = (i: number) => v === null || validity.get(v, i);
  switch (c.type) {
    case 'number': {
      const x = c.values;
      return (i) => (ok(i) && Number.isFinite(x[i]!) ? String(x[i]!) : 'null');
    }
    case 'integer': {
      const x = c.values;
      return (i) => (ok(i) ? String(x[i]!) : 'null');
    }
    case 'boolean': {
      const x = c.values;
      return (i) => (ok(i) ? (x[i] ? 'true' : 'false') : 'null');
    }
    case 'datetime': {
      const x = c.values;
      return (i) => {
        const s = ok(i) ? isoDatetime(x[i]!) : null;
        return s === null ? 'null' : `"${s}"`;
      };
    }
    case 'category':
    case 'text': {
      const { codes, dictionary } = c;
      const encoded: Array<string | undefined> = [];
      return (i) => {
        const code = codes[i]!;
        return ok(i) && code >= 0 ? (encoded[code] ??= JSON.stringify(dictionary.get(code))) : 'null';
      };
    }
    case 'vector': {
      const { indptr, indices, values } = c;
      return (i) => {
        if (!ok(i)) return 'null';
        // Summed per slot like Batch.value (a CSR row may repeat an index); JSON.stringify writes non-finite sums as null.
        const slots: Record<number, number> = {};
        for (let p = indptr[i]!; p < indptr[i + 1]!; p++) slots[indices[p]!] = (slots[indices[p]!] ?? 0) + values[p]!;
        return JSON.stringify(slots);
      };
    }
  }
}

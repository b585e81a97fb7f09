import { type Batch, type Column, type Schema, SchemaError, SpecError } from '../../core/index.js';
import type { BatchWriter, BatchWriterOptions } from './BatchWriter.js';
import { cellEncoder } from './cellEncoder.js';
import { checkSameColumns } from './checkSameColumns.js';
import { StreamSink } from './StreamSink.js';
import { TextChunks } from './TextChunks.js';

/**
 * Batches as CSV text (RFC 4180 quoting, `\n` line ends), the header before the first batch's
 * rows. Numbers print as JS does (shortest text that reads back to the same double); missing
 * values, NaN and ±Infinity print as empty fields, datetimes as ISO 8601 UTC. An empty string
 * and a missing value look alike in CSV, as do strings such as `NA` that readers take for
 * missing. Each batch becomes one buffer and one `write`. Vector columns have no CSV form.
 */
export class CsvBatchWriter implements BatchWriter {
  readonly format = 'csv' as const;
  private readonly sink: StreamSink;
  private readonly delimiter: string;
  private schema: Schema | null = null;
  private written = 0;

  constructor(out: NodeJS.WritableStream, options: BatchWriterOptions = {}) {
    const d = options.delimiter ?? ',';
    if (typeof d !== 'string' || d.length !== 1 || d === '"' || d === '\r' || d === '\n')
      throw new SpecError('delimiter', `expected one character other than a quote or a line break, got ${JSON.stringify(d)}`);
    this.delimiter = d;
    this.sink = new StreamSink(out, 'CsvBatchWriter');
  }

  get rows(): number {
    return this.written;
  }

  async write(batch: Batch): Promise<void> {
    this.sink.checkOpen();
    const d = this.delimiter;
    const cells = batch.columns.map((c, k) => cellText(c, batch.schema.fields[k]!.name, d));
    const text = new TextChunks();
    if (this.schema === null) {
      text.add(`${batch.names.map((n) => quote(n, d)).join(d)}\n`);
      this.schema = batch.schema;
    } else checkSameColumns(this.schema, batch.schema, 'CSV', false);
    const m = cells.length;
    for (let i = 0; i < batch.length; i++) {
      let line = m > 0 ? cells[0]!(i) : '';
      for (let k = 1; k < m; k++) line += d + cells[k]!(i);
      text.add(`${line}\n`);
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

/** `s` as a CSV field: quoted when it holds the delimiter, a quote or a line break, or starts or ends with a space (readers may trim it). */
function quote(s: string, d: string): string {
  if (s.includes(d) || s.includes('"') || s.includes('\n') || s.includes('\r') || s.startsWith(' ') || s.endsWith(' ')) return `"${s.replaceAll('"', '""')}"`;
  return s;
}

/** The text of row i of a column (cellEncoder in CSV's spelling: empty when missing, strings quoted when needed). */
function cellText(c: Column, name: string, d: string): (i: number) => string {
  const cell = cellEncoder(c, { missing: '', string: (s) => quote(s, d) });
  if (!cell)
    throw new SchemaError(
      `vector columns (encoder output, width ${(c as { width: number }).width}) cannot be written as CSV; write NDJSON, or drop the column`,
      name,
    );
  return cell;
}

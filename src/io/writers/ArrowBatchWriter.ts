import * as arrow from 'apache-arrow';
import { type Batch, batchToArrow, type Schema, SchemaError, type StringDictionary, validity } from '../../core/index.js';
import type { BatchWriter } from './BatchWriter.js';
import { checkSameColumns } from './checkSameColumns.js';
import { StreamSink } from './StreamSink.js';

/** apache-arrow's writer queues bytes without bound; this sink hands them to us instead, batch by batch. */
class ByteCollector extends arrow.AsyncByteQueue {
  chunks: Uint8Array[] = [];
  override write(value: Parameters<typeof arrow.util.toUint8Array>[0]): void {
    const bytes = arrow.util.toUint8Array(value);
    if (bytes.byteLength > 0) this.chunks.push(bytes);
  }
  take(): Uint8Array | null {
    if (this.chunks.length === 0) return null;
    const out = Buffer.concat(this.chunks);
    this.chunks = [];
    return out;
  }
}

/** What was sent of one category/text column's dictionary. */
interface SentDictionary {
  source: StringDictionary;
  sent: number;
  vector: arrow.Vector<arrow.Utf8>;
}

/**
 * Batches as an Arrow IPC stream (schema, then dictionary and record batches, then the
 * end-of-stream marker on close), through apache-arrow's RecordBatchStreamWriter; each batch's
 * bytes are copied into one chunk and written with backpressure. The stream format: `.arrow` or
 * `.feather` readers that want the file format's footer (pyarrow's `open_file`, `read_feather`)
 * cannot read it; stream readers (`open_stream`, sluice's own) can.
 *
 * One schema per stream, fixed by the first batch (same columns, order and types after it), with
 * every field nullable since later batches may hold missing values the first did not. Category
 * and text columns are built here, not by batchToArrow, which would resend the whole dictionary
 * with every batch: a column whose batches share one StringDictionary (a source's stable codes)
 * sends only its new entries, as delta dictionary batches; a new StringDictionary replaces it.
 */
export class ArrowBatchWriter implements BatchWriter {
  readonly format = 'arrow' as const;
  private readonly sink: StreamSink;
  private readonly collector = new ByteCollector();
  private readonly writer = new arrow.RecordBatchStreamWriter();
  private schema: Schema | null = null;
  private arrowSchema: arrow.Schema | null = null;
  private readonly dictionaries = new Map<number, SentDictionary>();
  private written = 0;

  constructor(out: NodeJS.WritableStream) {
    this.sink = new StreamSink(out, 'ArrowBatchWriter');
    this.writer.reset(this.collector);
  }

  get rows(): number {
    return this.written;
  }

  async write(batch: Batch): Promise<void> {
    this.sink.checkOpen();
    const vector = batch.columns.findIndex((c) => c.type === 'vector');
    if (vector >= 0)
      throw new SchemaError('vector columns (encoder output) have no Arrow form here; write NDJSON, or drop the column', batch.schema.fields[vector]!.name);
    if (this.schema !== null) checkSameColumns(this.schema, batch.schema, 'Arrow', true);
    this.writer.write(this.toArrow(batch));
    const bytes = this.collector.take();
    if (bytes !== null) await this.sink.write(bytes);
    this.written += batch.length;
  }

  close(): Promise<void> {
    return this.sink.close(() => {
      // Writes the end-of-stream marker, when a schema was written.
      this.writer.close();
      return this.collector.take();
    });
  }

  discard(): Promise<void> {
    return this.sink.discard();
  }

  /** The batch as a RecordBatch of the stream's one schema (the same Schema object each time, so the writer never starts a new stream). */
  private toArrow(batch: Batch): arrow.RecordBatch {
    const n = batch.length;
    const names = batch.names;
    const isDict = batch.columns.map((c) => c.type === 'category' || c.type === 'text');
    const flat = batchToArrow(isDict.includes(true) ? batch.select(names.filter((_, k) => !isDict[k])) : batch);
    if (this.arrowSchema === null) {
      let j = 0;
      const fields = names.map((name, k) => {
        const type = isDict[k] ? new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()) : flat.schema.fields[j++]!.type;
        return new arrow.Field(name, type, true);
      });
      this.arrowSchema = new arrow.Schema(fields);
      this.schema = batch.schema;
    }
    const schema = this.arrowSchema;
    let j = 0;
    const children = batch.columns.map((c, k): arrow.Data => {
      if (c.type !== 'category' && c.type !== 'text') return flat.data.children[j++]!;
      const type = schema.fields[k]!.type as arrow.Dictionary<arrow.Utf8, arrow.Int32>;
      return arrow.makeData({
        type,
        length: n,
        nullCount: validity.nullCount(c.validity, n),
        nullBitmap: c.validity ?? undefined,
        data: c.codes,
        dictionary: this.dictionaryVector(type.id, c.dictionary),
      });
    });
    return new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length: n, nullCount: 0, children }));
  }

  /** The Arrow dictionary of `id` covering all of `source`: the vector sent before plus a chunk of new entries (a delta), or a new vector (a replacement). */
  private dictionaryVector(id: number, source: StringDictionary): arrow.Vector<arrow.Utf8> {
    const prev = this.dictionaries.get(id);
    if (prev !== undefined && prev.source === source) {
      if (source.size > prev.sent) {
        prev.vector = prev.vector.concat(arrow.vectorFromArray(source.values.slice(prev.sent), new arrow.Utf8()));
        prev.sent = source.size;
      }
      return prev.vector;
    }
    const vector = arrow.vectorFromArray(source.values.slice(), new arrow.Utf8());
    this.dictionaries.set(id, { source, sent: source.size, vector });
    return vector;
  }
}

import { statSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { Schema as ArrowSchema, DataType, makeData, RecordBatch, RecordBatchReader, Struct, type Vector } from 'apache-arrow';
import type { Observable } from 'rxjs';
import { BadRows, Batch, batchFromArrow, type Column, type Field, fromPull, Schema, SourceError, StringDictionary } from '../../core/index.js';
import { ArrowBatchDecoder, ArrowIpcReader, arrowDictionaryColumn, arrowTimeColumn, type ByteInput, checkPositiveInt, openInput } from '../../io/index.js';
import type { SourceOptions } from './SourceOptions.js';

/** Options of `fromArrowIpc`. */
export interface ArrowIpcOptions extends SourceOptions {
  /**
   * Rows per batch at most (default 65536). Larger record batches are cut (copying) into pieces
   * of this size, so a file written as one huge record batch still flows in pipeline-sized parts.
   */
  batchSize?: number;
}

const DEFAULT_BATCH = 65536;

/**
 * Arrow IPC file (`ARROW1` magic, random access) or stream format, read record batch by record
 * batch, never as a whole table: flat types (numbers, ints, bools, times, utf8 and dictionary
 * strings) through ArrowIpcReader + ArrowBatchDecoder, which view fixed-width buffers in place;
 * other schemas through apache-arrow's async readers and batchFromArrow. `-` reads the stream format
 * from stdin. Category columns share one dictionary per column across batches (stable codes);
 * rowIds continue across batches. Typed input has no parse failures, so every row passes, but
 * the books (read = passed + skipped) are still kept and published like any source's.
 */
export function fromArrowIpc(path: string, options: ArrowIpcOptions = {}): Observable<Batch> {
  checkPositiveInt('capacity', options.capacity);
  checkPositiveInt('batchSize', options.batchSize);
  new BadRows(path, { ...(options.badRows ? { badRows: options.badRows } : {}) });
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const { telemetry } = options;
  let totalBytes: number | undefined;
  if (path !== '-')
    try {
      totalBytes = statSync(path).size;
    } catch {
      /* open reports it */
    }
  return fromPull(
    async function* () {
      const books = new BadRows(path, {
        ...(options.badRows ? { badRows: options.badRows } : {}),
        ...(options.deadLetter ? { deadLetter: options.deadLetter } : {}),
        ...(telemetry ? { telemetry } : {}),
      });
      let fh: FileHandle | null = null;
      let input: ByteInput | null = null;
      let reader: Awaited<ReturnType<typeof openReader>> | null = null;
      let ok = false;
      let size = 0;
      try {
        if (path === '-') input = await openInput(path);
        else {
          try {
            fh = await open(path, 'r');
            const st = await fh.stat();
            if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
            size = st.size;
          } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            throw new SourceError(path, code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, expected a file' : (err as Error).message, {
              cause: err,
            });
          }
        }
        let fast: ArrowIpcReader;
        try {
          fast = fh ? await ArrowIpcReader.fromFile(fh, size) : await ArrowIpcReader.fromStream(input!.chunks);
        } catch (err) {
          throw new SourceError(path, `not an Arrow IPC file or stream: ${(err as Error).message}`, { cause: err });
        }
        const dictionaries = new Map<string, StringDictionary>();
        let rowId = 0;
        const cut = function* (whole: Batch, bytes: number) {
          const n = whole.length;
          for (let s = 0; s < n; s += batchSize) {
            const e = Math.min(n, s + batchSize);
            const batch = s === 0 && e === n ? whole : whole.slice(s, e);
            books.read += batch.length;
            yield { batch, bytes: Math.round((bytes * (e - s)) / n) };
          }
        };
        if (ArrowBatchDecoder.supports(fast.schema)) {
          // Own reader: flat types are decoded straight from the IPC bodies (ArrowBatchDecoder).
          const decoder = new ArrowBatchDecoder(fast.schema, dictionaries);
          for (;;) {
            let whole: Batch, bytes: number;
            try {
              const m = await fast.next();
              if (m === null) break;
              if (m.kind === 'dictionary') {
                decoder.addDictionary(m.header, m.body);
                continue;
              }
              if (m.header.length === 0) continue;
              whole = decoder.decode(m.header, m.body, rowId);
              bytes = m.bytes;
            } catch (err) {
              throw new SourceError(path, `cannot read Arrow record batch after row ${rowId}: ${(err as Error).message}`, { cause: err });
            }
            rowId += whole.length;
            yield* cut(whole, bytes);
          }
        } else {
          // Other types (nested, half floats, large strings...): apache-arrow's reader and batchFromArrow.
          try {
            reader = await openReader(fast.rest ? fast.rest() : fh!);
          } catch (err) {
            throw new SourceError(path, `not an Arrow IPC file or stream: ${(err as Error).message}`, { cause: err });
          }
          const remaps = new WeakMap<Vector, Int32Array>();
          for (;;) {
            let rb: RecordBatch;
            try {
              const r = await reader.next();
              if (r.done) break;
              rb = r.value;
            } catch (err) {
              throw new SourceError(path, `cannot read Arrow record batch after row ${rowId}: ${(err as Error).message}`, { cause: err });
            }
            const n = rb.numRows;
            if (n === 0) continue;
            // Converted whole (zero-copy views where the layout allows), then cut with Batch.slice:
            // RecordBatch.slice would give Data whose fixed-width values are already offset, which
            // batchFromArrow offsets a second time.
            const whole = convert(rb, rowId, dictionaries, remaps);
            rowId += n;
            yield* cut(whole, rb.data.byteLength);
          }
        }
        ok = true;
      } finally {
        try {
          await reader?.cancel();
        } catch {
          /* already failed */
        }
        await fh?.close();
        input?.close();
        books.close();
        books.publish(ok);
      }
    },
    {
      name: path,
      ...(options.capacity ? { capacity: options.capacity } : {}),
      ...(telemetry ? { telemetry } : {}),
      ...(totalBytes !== undefined ? { totalBytes } : {}),
    },
  );
}

/** batchFromArrow, with time and dictionary columns taken by faster paths (arrowTimeColumn, arrowDictionaryColumn). */
function convert(rb: RecordBatch, firstRowId: number, dictionaries: Map<string, StringDictionary>, remaps: WeakMap<Vector, Int32Array>): Batch {
  const fields = rb.schema.fields;
  const times = fields.map((f, k) => {
    const data = rb.getChildAt(k)!.data[0]!;
    if (DataType.isDictionary(data.type)) {
      let d = dictionaries.get(f.name);
      if (!d) {
        d = new StringDictionary();
        dictionaries.set(f.name, d);
      }
      return arrowDictionaryColumn(data, d, remaps);
    }
    return arrowTimeColumn(data);
  });
  if (times.every((c) => c === null)) return batchFromArrow(rb, { firstRowId, dictionaries });
  // A record batch of the other columns, built by hand: RecordBatch.select (apache-arrow 21)
  // gives columns without nulls an all-zero validity bitmap, i.e. every value missing.
  const keep = fields.map((_, k) => k).filter((k) => times[k] === null);
  const subFields = keep.map((k) => fields[k]!);
  const other = batchFromArrow(
    new RecordBatch(
      new ArrowSchema(subFields),
      makeData({
        type: new Struct(subFields),
        length: rb.numRows,
        nullCount: 0,
        children: keep.map((k) => rb.getChildAt(k)!.data[0]!),
      }),
    ),
    { firstRowId, dictionaries },
  );
  const cols: Column[] = [];
  const out: Field[] = [];
  fields.forEach((f, k) => {
    const c = times[k] ?? other.column(f.name);
    cols.push(c);
    out.push({ name: f.name, type: c.type, nullable: f.nullable });
  });
  return new Batch(new Schema(out), cols, rb.numRows, other.rowIds);
}

async function openReader(source: FileHandle | AsyncIterable<Uint8Array>) {
  const reader = (await RecordBatchReader.from(source as never)) as unknown as AsyncIterableIterator<RecordBatch> & {
    open(): Promise<unknown>;
    cancel(): Promise<void> | void;
  };
  await reader.open();
  return reader;
}

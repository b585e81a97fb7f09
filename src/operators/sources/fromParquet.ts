import {
  type AsyncBuffer,
  asyncBufferFromFile,
  type DecodedArray,
  type FileMetaData,
  type ParquetScan,
  parquetMetadataAsync,
  parquetScan,
  parquetSchema,
  type SchemaElement,
} from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { Observable } from 'rxjs';
import {
  BadRows,
  Batch,
  type Column,
  type ColumnType,
  type Field,
  fromPull,
  Schema,
  SchemaError,
  SourceError,
  StringDictionary,
  validity,
} from '../../core/index.js';
import { checkPositiveInt } from '../../io/index.js';
import { deferSource } from './deferSource.js';
import type { SourceOptions } from './SourceOptions.js';

/** Options of `fromParquet`. */
export interface ParquetOptions extends SourceOptions {
  /** Columns to read, in this order (default: every top-level column). */
  columns?: readonly string[];
  /** Rows per batch at most (default 65536); a larger row group is read in row ranges of this size. */
  batchSize?: number;
}

const DEFAULT_BATCH = 65536;
const DAY_MS = 86_400_000;

/** Numbers (epoch ms) instead of Date objects: no per-row objects for time columns. */
const parsers = {
  timestampFromMilliseconds: (x: bigint | null) => (x === null || x === undefined ? null : Number(x)),
  timestampFromMicroseconds: (x: bigint | null) => (x === null || x === undefined ? null : Number(x) / 1e3),
  timestampFromNanoseconds: (x: bigint | null) => (x === null || x === undefined ? null : Number(x) / 1e6),
  dateFromDays: (d: number | null) => (d === null || d === undefined ? null : d * DAY_MS),
};

interface Opened {
  file: AsyncBuffer;
  metadata: FileMetaData;
  scan: ParquetScan;
  schema: Schema;
}

/**
 * Parquet through hyparquet (+ Snappy, Zstd, Gzip, Brotli, LZ4 from hyparquet-compressors), read
 * column by column for one row group (or one `batchSize` row range of it) at a time, so memory
 * holds one row group, not the file. Types: double/float/decimal → number; int32 → integer;
 * int64 → integer when every row group's statistics fit int32, else number; boolean; strings
 * (UTF8/ENUM/plain byte arrays) → category with one dictionary per column for the whole file;
 * timestamps, dates and INT96 → datetime (epoch ms). Nested columns are not supported: select
 * the flat ones with `columns`. Every row passes (typed input), and the books are published.
 */
export function fromParquet(path: string, options: ParquetOptions = {}): Observable<Batch> {
  checkPositiveInt('capacity', options.capacity);
  checkPositiveInt('batchSize', options.batchSize);
  new BadRows(path, { ...(options.badRows ? { badRows: options.badRows } : {}) });
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const { telemetry } = options;
  return deferSource(
    path,
    telemetry,
    () => openParquet(path, options.columns),
    (p) =>
      fromPull(
        async function* () {
          const books = new BadRows(path, {
            ...(options.badRows ? { badRows: options.badRows } : {}),
            ...(options.deadLetter ? { deadLetter: options.deadLetter } : {}),
            ...(telemetry ? { telemetry } : {}),
          });
          const dictionaries = p.schema.fields.map(() => new StringDictionary());
          let ok = false;
          try {
            let group = 0,
              groupStart = 0;
            for (const range of p.scan.ranges) {
              // Compressed bytes of the row group this range lies in, for progress.
              while (group < p.metadata.row_groups.length - 1 && range.rowStart >= groupStart + Number(p.metadata.row_groups[group]!.num_rows))
                groupStart += Number(p.metadata.row_groups[group++]!.num_rows);
              const rg = p.metadata.row_groups[group]!;
              const groupBytes = Number(rg.total_compressed_size ?? rg.total_byte_size);
              const groupRows = Math.max(1, Number(rg.num_rows));
              for (let s = range.rowStart; s < range.rowEnd; s += batchSize) {
                const e = Math.min(range.rowEnd, s + batchSize);
                const cols: Column[] = [];
                for (let k = 0; k < p.schema.fields.length; k++) {
                  const f = p.schema.fields[k]!;
                  let data: DecodedArray;
                  try {
                    data = await p.scan.readColumn({ column: f.name, rowStart: s, rowEnd: e });
                  } catch (err) {
                    throw new SourceError(path, `cannot read column "${f.name}" rows ${s}-${e}: ${(err as Error).message}`, { cause: err });
                  }
                  cols.push(toColumn(f, data, e - s, dictionaries[k]!));
                }
                const batch = new Batch(p.schema, cols, e - s, Batch.sequence(s, e - s));
                books.read += batch.length;
                yield { batch, bytes: Math.round((groupBytes * (e - s)) / groupRows) };
              }
            }
            ok = true;
          } finally {
            books.close();
            books.publish(ok);
          }
        },
        {
          name: path,
          totalRows: Number(p.metadata.num_rows),
          totalBytes: p.file.byteLength,
          ...(options.capacity ? { capacity: options.capacity } : {}),
          ...(telemetry ? { telemetry } : {}),
        },
      ),
    () => {
      /* nothing held open: every slice opens and closes its own read stream */
    },
  );
}

async function openParquet(path: string, columns: readonly string[] | undefined): Promise<Opened> {
  let file: AsyncBuffer;
  try {
    file = await asyncBufferFromFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SourceError(path, code === 'ENOENT' ? 'no such file' : (err as Error).message, { cause: err });
  }
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (err) {
    throw new SourceError(path, `not a Parquet file: ${(err as Error).message}`, { cause: err });
  }
  const tree = parquetSchema(metadata);
  const top = new Map(tree.children.map((c) => [c.element.name, c]));
  const names = columns ? [...columns] : tree.children.map((c) => c.element.name);
  const fields: Field[] = names.map((name) => {
    const node = top.get(name);
    if (!node) throw new SchemaError(`no such Parquet column; columns are ${[...top.keys()].join(', ')}`, name);
    if (node.children.length > 0) throw new SchemaError('nested Parquet columns (lists, maps, structs) are not supported; leave it out with `columns`', name);
    const leaf = metadata.schema.indexOf(node.element);
    return { name, type: sluiceType(node.element, metadata, leafIndex(metadata, leaf)), nullable: node.element.repetition_type !== 'REQUIRED' };
  });
  const scan = await parquetScan({ file, metadata, columns: names, compressors, parsers });
  return { file, metadata, scan, schema: new Schema(fields) };
}

/** Index among leaf columns (column chunks) of the schema element at `index`. */
function leafIndex(metadata: FileMetaData, index: number): number {
  let leaf = 0;
  for (let i = 1; i < index; i++) if (!metadata.schema[i]!.num_children) leaf++;
  return leaf;
}

function sluiceType(el: SchemaElement, metadata: FileMetaData, leaf: number): ColumnType {
  const ct = el.converted_type,
    lt = el.logical_type;
  if (
    ct === 'DATE' ||
    ct === 'TIMESTAMP_MILLIS' ||
    ct === 'TIMESTAMP_MICROS' ||
    lt?.type === 'DATE' ||
    lt?.type === 'TIMESTAMP' ||
    (el.type === 'INT96' && !ct)
  )
    return 'datetime';
  if (ct === 'DECIMAL' || lt?.type === 'DECIMAL' || lt?.type === 'FLOAT16') return 'number';
  if (ct === 'UTF8' || ct === 'ENUM' || ct === 'JSON' || lt?.type === 'STRING' || lt?.type === 'ENUM' || lt?.type === 'UUID' || lt?.type === 'JSON')
    return 'category';
  switch (el.type) {
    case 'BOOLEAN':
      return 'boolean';
    case 'FLOAT':
    case 'DOUBLE':
      return 'number';
    case 'INT32':
      return ct === 'UINT_32' || (lt?.type === 'INTEGER' && !lt.isSigned && lt.bitWidth === 32) ? 'number' : 'integer';
    case 'INT64':
      return ct !== 'UINT_64' && fitsInt32(metadata, leaf) ? 'integer' : 'number';
    case 'BYTE_ARRAY':
      return 'category';
    default:
      throw new SchemaError(`Parquet type ${el.type}${ct ? ` (${ct})` : ''} is not supported`, el.name);
  }
}

/** int64 is read as integer only when statistics prove every value fits int32. */
function fitsInt32(metadata: FileMetaData, leaf: number): boolean {
  if (metadata.row_groups.length === 0) return false;
  return metadata.row_groups.every((rg) => {
    const st = rg.columns[leaf]?.meta_data?.statistics;
    const lo = st?.min_value ?? st?.min,
      hi = st?.max_value ?? st?.max;
    if (lo === undefined || hi === undefined || lo === null || hi === null)
      return Number(rg.num_rows) === 0 || (st?.null_count !== undefined && Number(st.null_count) === Number(rg.num_rows));
    return Number(lo) >= -2147483648 && Number(hi) <= 2147483647;
  });
}

/** A decoded column chunk → Column; nulls become validity bits. */
function toColumn(f: Field, data: DecodedArray, n: number, dictionary: StringDictionary): Column {
  if (data.length !== n) throw new SchemaError(`Parquet reader returned ${data.length} values for ${n} rows`, f.name);
  let bits: Uint8Array | null = null;
  const missing = (i: number) => {
    bits ??= validity.allocate(n, 1);
    validity.set(bits, i, false);
  };
  const src = data as ArrayLike<unknown>;
  switch (f.type) {
    case 'number':
    case 'datetime': {
      if (data instanceof Float64Array) return { type: f.type, values: data, validity: null };
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = src[i];
        if (v === null || v === undefined) {
          values[i] = NaN;
          missing(i);
        } else values[i] = v instanceof Date ? v.getTime() : Number(v);
      }
      return { type: f.type, values, validity: bits };
    }
    case 'integer': {
      if (data instanceof Int32Array) return { type: 'integer', values: data, validity: null };
      const values = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = src[i];
        if (v === null || v === undefined) missing(i);
        else values[i] = Number(v);
      }
      return { type: 'integer', values, validity: bits };
    }
    case 'boolean': {
      const values = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const v = src[i];
        if (v === null || v === undefined) missing(i);
        else values[i] = v ? 1 : 0;
      }
      return { type: 'boolean', values, validity: bits };
    }
    case 'category': {
      const codes = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = src[i];
        if (v === null || v === undefined) {
          codes[i] = -1;
          missing(i);
        } else
          codes[i] = dictionary.code(
            typeof v === 'string' ? v : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : typeof v === 'object' ? JSON.stringify(v) : String(v),
          );
      }
      return { type: 'category', codes, dictionary, validity: bits };
    }
    default:
      throw new SchemaError(`cannot read Parquet data as ${f.type}`, f.name);
  }
}

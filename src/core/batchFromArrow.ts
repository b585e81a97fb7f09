import * as arrow from 'apache-arrow';
import { Batch } from './Batch.js';
import type { Column } from './Column.js';
import type { Field } from './Field.js';
import { Schema } from './Schema.js';
import { SchemaError } from './SchemaError.js';
import { StringDictionary } from './StringDictionary.js';

export interface BatchFromArrowOptions {
  /** Row id of the first row (default 0). */
  firstRowId?: number;
  /** Dictionaries to reuse per category column, so codes stay stable across batches. */
  dictionaries?: Map<string, StringDictionary>;
}

/**
 * Arrow RecordBatch → Batch. Float64 and Int32 values and validity bitmaps are viewed in place
 * when the child has no offset; other widths are converted. Utf8 and dictionary strings become
 * category columns; timestamps and dates become datetime (epoch ms).
 */
export function batchFromArrow(rb: arrow.RecordBatch, options: BatchFromArrowOptions = {}): Batch {
  const n = rb.numRows;
  const fields: Field[] = [];
  const cols: Column[] = [];
  rb.schema.fields.forEach((f, k) => {
    const data = rb.getChildAt(k)!.data[0]!;
    const col = dataToColumn(f.name, data, n, options.dictionaries);
    fields.push({ name: f.name, type: col.type, nullable: f.nullable });
    cols.push(col);
  });
  return new Batch(new Schema(fields), cols, n, Batch.sequence(options.firstRowId ?? 0, n));
}

const MS_PER_UNIT: Record<number, number> = {
  [arrow.TimeUnit.SECOND]: 1000,
  [arrow.TimeUnit.MILLISECOND]: 1,
  [arrow.TimeUnit.MICROSECOND]: 1e-3,
  [arrow.TimeUnit.NANOSECOND]: 1e-6,
};

function bitmapOf(data: arrow.Data, n: number): Uint8Array | null {
  if (!data.nullBitmap || data.nullBitmap.length === 0 || data.nullCount === 0) return null;
  if (data.offset === 0) return data.nullBitmap.subarray(0, (n + 7) >> 3);
  const out = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) {
    const j = i + data.offset;
    if ((data.nullBitmap[j >> 3]! >> (j & 7)) & 1) out[i >> 3]! |= 1 << (i & 7);
  }
  return out;
}

function dataToColumn(name: string, data: arrow.Data, n: number, dicts?: Map<string, StringDictionary>): Column {
  const validity = bitmapOf(data, n);
  const valid = (i: number) => validity === null || ((validity[i >> 3]! >> (i & 7)) & 1) === 1;
  const t = data.type;
  // apache-arrow already starts fixed-width `values` (and dictionary indices) at the slice's
  // first row; `offset` applies only to bit-packed buffers (validity, booleans).
  const off = data.offset;
  if (arrow.DataType.isFloat(t)) {
    if (data.values instanceof Float64Array) return { type: 'number', values: data.values.subarray(0, n), validity };
    const values = new Float64Array(n);
    if (t.precision === arrow.Precision.HALF) {
      const v = arrow.makeVector(data);
      for (let i = 0; i < n; i++) values[i] = valid(i) ? Number(v.get(i)) : NaN;
    } else for (let i = 0; i < n; i++) values[i] = valid(i) ? Number(data.values[i]) : NaN;
    return { type: 'number', values, validity };
  }
  if (arrow.DataType.isInt(t)) {
    if (data.values instanceof Int32Array) return { type: 'integer', values: data.values.subarray(0, n), validity };
    if (t.bitWidth < 32) {
      return { type: 'integer', values: Int32Array.from(data.values.subarray(0, n) as ArrayLike<number>), validity };
    }
    // 64-bit and uint32 values may not fit int32: widen to number.
    const values = new Float64Array(n);
    const src = data.values as unknown;
    if (t.bitWidth === 64 && (src instanceof BigInt64Array || src instanceof BigUint64Array)) {
      const w = new Int32Array(src.buffer, src.byteOffset, n * 2);
      for (let i = 0; i < n; i++) values[i] = valid(i) ? (t.isSigned ? w[2 * i + 1]! : w[2 * i + 1]! >>> 0) * 4294967296 + (w[2 * i]! >>> 0) : NaN;
    } else for (let i = 0; i < n; i++) values[i] = valid(i) ? Number(data.values[i]) : NaN;
    return { type: 'number', values, validity };
  }
  if (arrow.DataType.isBool(t)) {
    const values = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const j = off + i;
      values[i] = (data.values[j >> 3]! >> (j & 7)) & 1;
    }
    return { type: 'boolean', values, validity };
  }
  if (arrow.DataType.isTimestamp(t) || arrow.DataType.isDate(t)) {
    // 64-bit times read as two 32-bit halves (hi·2³² + lo): several times faster than BigInt,
    // exact below 2⁵³ ms.
    const src = data.values as unknown;
    const scale = arrow.DataType.isTimestamp(t) ? MS_PER_UNIT[t.unit]! : t.unit === arrow.DateUnit.DAY ? 86_400_000 : 1;
    const values = new Float64Array(n);
    if (arrow.DataType.isDate(t) && t.unit === arrow.DateUnit.DAY && src instanceof Int32Array) {
      for (let i = 0; i < n; i++) values[i] = valid(i) ? src[i]! * scale : NaN;
      return { type: 'datetime', values, validity };
    }
    if (src instanceof BigInt64Array || (src instanceof Int32Array && src.length >= 2 * n)) {
      const w = src instanceof BigInt64Array ? new Int32Array(src.buffer, src.byteOffset, n * 2) : src;
      for (let i = 0; i < n; i++) values[i] = valid(i) ? (w[2 * i + 1]! * 4294967296 + (w[2 * i]! >>> 0)) * scale : NaN;
      return { type: 'datetime', values, validity };
    }
    const v = arrow.makeVector(data);
    for (let i = 0; i < n; i++) {
      const x = valid(i) ? v.get(i) : null;
      values[i] = x === null ? NaN : x instanceof Date ? x.getTime() : Number(x);
    }
    return { type: 'datetime', values, validity };
  }
  if (arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t) || arrow.DataType.isDictionary(t)) {
    const v = arrow.makeVector(data);
    const dictionary = dicts?.get(name) ?? new StringDictionary();
    dicts?.set(name, dictionary);
    const codes = new Int32Array(n);
    if (arrow.DataType.isDictionary(t) && data.dictionary) {
      const remap = Int32Array.from({ length: data.dictionary.length }, (_, j) => {
        const s = data.dictionary!.get(j);
        return s === null ? -1 : dictionary.code(String(s));
      });
      for (let i = 0; i < n; i++) codes[i] = valid(i) ? remap[Number(data.values[i])]! : -1;
    } else {
      for (let i = 0; i < n; i++) {
        const s = valid(i) ? v.get(i) : null;
        codes[i] = s === null ? -1 : dictionary.code(String(s));
      }
    }
    return { type: 'category', codes, dictionary, validity };
  }
  throw new SchemaError(`Arrow type ${String(t)} is not supported (supported: float, int, bool, utf8, dictionary, date, timestamp)`, name);
}

import * as arrow from 'apache-arrow';
import type { Batch } from './Batch.js';
import type { Column } from './Column.js';
import { SchemaError } from './SchemaError.js';

/**
 * Batch → Arrow RecordBatch. Number, integer and category columns and every validity bitmap are
 * handed over without copying; booleans are bit-packed and datetimes widened to int64 ms (copies).
 */
export function batchToArrow(batch: Batch): arrow.RecordBatch {
  const fields: arrow.Field[] = [];
  const children: arrow.Data[] = [];
  batch.schema.fields.forEach((f, k) => {
    const data = columnToData(batch.columns[k]!, batch.length);
    fields.push(new arrow.Field(f.name, data.type, f.nullable));
    children.push(data);
  });
  const schema = new arrow.Schema(fields);
  const struct = arrow.makeData({ type: new arrow.Struct(fields), length: batch.length, nullCount: 0, children });
  return new arrow.RecordBatch(schema, struct);
}

function nulls(c: Column, n: number): number {
  if (!c.validity) return 0;
  let present = 0;
  for (let i = 0; i < n; i++) present += (c.validity[i >> 3]! >> (i & 7)) & 1;
  return n - present;
}

function columnToData(c: Column, n: number): arrow.Data {
  if (c.type === 'vector')
    throw new SchemaError(`vector columns (encoder output, width ${c.width}) have no Arrow form; vectorize them into a FeatureMatrix instead`);
  const nullCount = nulls(c, n);
  const nullBitmap = c.validity ?? undefined;
  switch (c.type) {
    case 'number':
      return arrow.makeData({ type: new arrow.Float64(), length: n, nullCount, nullBitmap, data: c.values });
    case 'integer':
      return arrow.makeData({ type: new arrow.Int32(), length: n, nullCount, nullBitmap, data: c.values });
    case 'boolean': {
      const bits = new Uint8Array((n + 7) >> 3);
      for (let i = 0; i < n; i++) if (c.values[i]) bits[i >> 3]! |= 1 << (i & 7);
      return arrow.makeData({ type: new arrow.Bool(), length: n, nullCount, nullBitmap, data: bits });
    }
    case 'datetime': {
      const ms = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        const v = c.values[i]!;
        ms[i] = Number.isFinite(v) ? BigInt(Math.round(v)) : 0n;
      }
      return arrow.makeData({ type: new arrow.TimestampMillisecond(), length: n, nullCount, nullBitmap, data: ms as never });
    }
    case 'category':
    case 'text': {
      const dict = arrow.vectorFromArray(c.dictionary.values, new arrow.Utf8());
      const codes = c.codes;
      // Missing slots hold -1; Arrow readers index the dictionary only under valid bits.
      return arrow.makeData({
        type: new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()),
        length: n,
        nullCount,
        nullBitmap,
        data: codes,
        dictionary: dict,
      });
    }
  }
}

import * as arrow from 'apache-arrow';
import { Batch, batchFromArrow, batchToArrow, type Column, SchemaError, type StringDictionary } from '../core/index.js';
import { RequestError, tooManyRows } from './RequestError.js';

/** The media type of an Arrow IPC stream (the file format is read too). */
export const ARROW = 'application/vnd.apache.arrow.stream';

/**
 * An Arrow IPC body (stream or file format) → one Batch: its record batches, read by
 * batchFromArrow with one dictionary per category column (those in `dictionaries` for their
 * columns, shared across requests), joined end to end. A body that does not
 * decode is a 400; more than `maxRows` rows a 413; a column type sluice does not read a 400 naming
 * the column.
 */
export function readArrowBody(body: Buffer, maxRows: number, dictionaries: Map<string, StringDictionary> = new Map()): Batch {
  let table: arrow.Table;
  try {
    table = arrow.tableFromIPC(body);
  } catch (e) {
    throw new RequestError(400, `malformed Arrow IPC body: ${(e as Error).message}`);
  }
  if (table.numRows > maxRows) throw tooManyRows(String(table.numRows), maxRows);
  if (table.schema.fields.length === 0) throw new RequestError(400, 'the Arrow body has no columns');
  let parts: Batch[];
  try {
    parts = table.batches.map((rb) => batchFromArrow(rb, { dictionaries }));
  } catch (e) {
    if (e instanceof SchemaError) throw new RequestError(400, e.message, e.column !== undefined ? { field: e.column } : {});
    throw e;
  }
  if (parts.length === 1) return parts[0]!;
  if (parts.length === 0) throw new RequestError(400, 'the Arrow body has a schema but no record batch (an empty table is one batch of 0 rows)');
  return concat(parts);
}

/** Batches of one schema (category columns sharing their dictionaries) end to end. */
function concat(parts: readonly Batch[]): Batch {
  const n = parts.reduce((s, b) => s + b.length, 0);
  const first = parts[0]!;
  const columns = first.columns.map((c0, k): Column => {
    const cols = parts.map((b) => b.columns[k]!);
    let bitmap: Uint8Array | null = null;
    if (cols.some((c) => c.validity !== null)) {
      bitmap = new Uint8Array((n + 7) >> 3);
      let at = 0;
      parts.forEach((b, j) => {
        const v = cols[j]!.validity;
        for (let i = 0; i < b.length; i++, at++) if (v === null || ((v[i >> 3]! >> (i & 7)) & 1) === 1) bitmap![at >> 3]! |= 1 << (at & 7);
      });
    }
    const joined = <T extends Float64Array | Int32Array | Uint8Array>(make: (n: number) => T, arrays: T[]): T => {
      const out = make(n);
      let at = 0;
      for (const a of arrays) {
        out.set(a, at);
        at += a.length;
      }
      return out;
    };
    switch (c0.type) {
      case 'number':
      case 'datetime':
        return {
          type: c0.type,
          values: joined(
            (m) => new Float64Array(m),
            cols.map((c) => (c as typeof c0).values),
          ),
          validity: bitmap,
        };
      case 'integer':
        return {
          type: 'integer',
          values: joined(
            (m) => new Int32Array(m),
            cols.map((c) => (c as typeof c0).values),
          ),
          validity: bitmap,
        };
      case 'boolean':
        return {
          type: 'boolean',
          values: joined(
            (m) => new Uint8Array(m),
            cols.map((c) => (c as typeof c0).values),
          ),
          validity: bitmap,
        };
      case 'category':
      case 'text':
        return {
          type: c0.type,
          codes: joined(
            (m) => new Int32Array(m),
            cols.map((c) => (c as typeof c0).codes),
          ),
          dictionary: c0.dictionary,
          validity: bitmap,
        };
      default:
        throw new RequestError(400, `column "${first.schema.fields[k]!.name}": a ${c0.type} column cannot be read from Arrow`, {
          field: first.schema.fields[k]!.name,
        });
    }
  });
  return new Batch(first.schema, columns, n);
}

/** A Batch as an Arrow IPC stream (schema, one record batch, end of stream). */
export function writeArrowBody(batch: Batch): Uint8Array {
  return arrow.tableToIPC(new arrow.Table(batchToArrow(batch)), 'stream');
}

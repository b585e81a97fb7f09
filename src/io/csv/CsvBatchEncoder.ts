import type { Batch, Column, Field, SourcePosition, StringDictionary } from '../../core/index.js';

/** A dictionary as it crosses threads: the strings added since the receiver's copy was made. */
export interface WireDictionary {
  /** Identity of the sending thread's dictionary; a new id means a new dictionary. */
  id: number;
  /** Size of the receiver's copy before `added` (a check that no message was missed). */
  start: number;
  added: string[];
}

type DictColumn = Extract<Column, { dictionary: StringDictionary }>;
/** A column as it crosses threads: its typed arrays (transferred), dictionaries as deltas. */
export type WireColumn =
  | Exclude<Column, DictColumn>
  | { type: 'category'; codes: Int32Array; validity: Uint8Array | null; dictionary: WireDictionary }
  | { type: 'text'; codes: Int32Array; validity: Uint8Array | null; dictionary: WireDictionary };

/** A Batch as it crosses threads (see CsvBatchDecoder). */
export interface WireBatch {
  /** The schema's fields, sent when it differs from the previous batch's schema, else null. */
  fields: readonly Field[] | null;
  columns: WireColumn[];
  length: number;
  rowIds: Float64Array;
  lines: Float64Array | null;
  /** The batch's sourceAt. */
  at: SourcePosition | null;
}

/**
 * Turns the parser's batches into structured-clone messages whose typed arrays are moved, not
 * copied: `encode` returns the ArrayBuffers to list as transferables. The parser hands every
 * batch fresh arrays (a full batch keeps them, the last one gets slices), so moving them takes
 * nothing from the parser; an array that shares its buffer is copied instead. A category
 * column's dictionary grows across batches (one StringDictionary per column for the whole
 * source): only the strings added since the last batch are sent, and CsvBatchDecoder keeps a
 * mirror whose codes match exactly. A text column gets a fresh dictionary per batch: sent whole.
 * Used on the parse thread; the arrays of an encoded batch are unusable there afterwards.
 */
export class CsvBatchEncoder {
  private readonly sent = new WeakMap<StringDictionary, { id: number; size: number }>();
  private nextId = 0;
  private lastSchema: Batch['schema'] | null = null;

  encode(batch: Batch): { message: WireBatch; transfer: ArrayBuffer[] } {
    const seen = new Set<ArrayBufferLike>();
    const transfer: ArrayBuffer[] = [];
    const move = <T extends Float64Array | Float32Array | Int32Array | Uint8Array>(a: T): T => {
      const own = a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.buffer instanceof ArrayBuffer && !seen.has(a.buffer);
      const out = own ? a : (a.slice() as T);
      seen.add(out.buffer);
      transfer.push(out.buffer as ArrayBuffer);
      return out;
    };
    const valid = (v: Uint8Array | null) => (v === null ? null : move(v));
    const columns = batch.columns.map((c): WireColumn => {
      switch (c.type) {
        case 'category':
        case 'text':
          return { type: c.type, codes: move(c.codes), validity: valid(c.validity), dictionary: this.delta(c.dictionary) };
        case 'vector':
          return { ...c, indptr: move(c.indptr), indices: move(c.indices), values: move(c.values), validity: valid(c.validity) };
        case 'number':
        case 'datetime':
          return { type: c.type, values: move(c.values), validity: valid(c.validity) };
        case 'integer':
          return { type: c.type, values: move(c.values), validity: valid(c.validity) };
        case 'boolean':
          return { type: c.type, values: move(c.values), validity: valid(c.validity) };
      }
    });
    const fields = batch.schema === this.lastSchema ? null : batch.schema.fields;
    this.lastSchema = batch.schema;
    const message: WireBatch = {
      fields,
      columns,
      length: batch.length,
      rowIds: move(batch.rowIds),
      lines: batch.lines === null ? null : move(batch.lines),
      at: batch.sourceAt,
    };
    return { message, transfer };
  }

  private delta(d: StringDictionary): WireDictionary {
    let s = this.sent.get(d);
    if (s === undefined) this.sent.set(d, (s = { id: this.nextId++, size: 0 }));
    const start = s.size;
    s.size = d.size;
    return { id: s.id, start, added: d.values.slice(start) };
  }
}

import { type Field as ArrowField, type Schema as ArrowSchema, DataType, DateUnit, Precision, TimeUnit } from 'apache-arrow';
import type { BufferRegion, DictionaryBatch, FieldNode, RecordBatch } from 'apache-arrow/ipc/metadata/message';
import { Batch, type Column, type ColumnType, type Field, Schema, StringDictionary } from '../../core/index.js';
import { ByteStringCache } from '../csv/index.js';

const MS_PER: Record<number, number> = { [TimeUnit.SECOND]: 1000, [TimeUnit.MILLISECOND]: 1, [TimeUnit.MICROSECOND]: 1e-3, [TimeUnit.NANOSECOND]: 1e-6 };
const utf8 = new TextDecoder();
const decode = (b: Uint8Array, s: number, e: number) => utf8.decode(b.subarray(s, e));

/** An Arrow dictionary as read so far (deltas append), and a version that changes on replacement. */
interface ArrowDict {
  values: Array<string | null>;
  version: number;
}

/** Per dictionary-encoded field: Arrow index → sluice code, for one dictionary version. */
interface Remap {
  version: number;
  codes: Int32Array;
  size: number;
  identity: boolean;
}

/**
 * Converts IPC record batch bodies (as framed by ArrowIpcReader) straight into Batches, giving
 * the same columns as batchFromArrow + arrowTimeColumn + arrowDictionaryColumn without building
 * apache-arrow Data/Vector objects: float64 and int32 values and validity bitmaps are views of
 * the body; int64 times are read as two 32-bit halves; dictionary indices are mapped through a
 * code table computed once per Arrow dictionary, and viewed in place when that table is the
 * identity (the usual case: one StringDictionary per column filled from the Arrow dictionary in
 * order). Flat types only (see `supports`); anything else goes through apache-arrow.
 */
export class ArrowBatchDecoder {
  readonly schema: Schema;
  private readonly fields: readonly ArrowField[];
  private readonly dictionaries = new Map<number, ArrowDict>();
  private readonly sluiceDicts: StringDictionary[] = [];
  private readonly caches: Array<ByteStringCache | null> = [];
  private readonly remaps: Array<Remap | null> = [];

  /** Whether every field is a type this decoder reads (else use apache-arrow's reader). */
  static supports(schema: ArrowSchema): boolean {
    return schema.fields.every((f) => columnType(f.type) !== null);
  }

  /** `dictionaries` gives the category dictionary of a column by name, created when missing (codes stable across batches). */
  constructor(arrowSchema: ArrowSchema, dictionaries: Map<string, StringDictionary> = new Map()) {
    this.fields = arrowSchema.fields;
    const out: Field[] = [];
    for (const f of this.fields) {
      const type = columnType(f.type);
      if (type === null) throw new Error(`Arrow type ${String(f.type)} of ${f.name} is not supported`);
      out.push({ name: f.name, type, nullable: f.nullable });
      let d: StringDictionary | undefined;
      if (type === 'category') {
        d = dictionaries.get(f.name);
        if (!d) {
          d = new StringDictionary();
          dictionaries.set(f.name, d);
        }
      }
      this.sluiceDicts.push(d ?? (null as unknown as StringDictionary));
      this.caches.push(d && DataType.isUtf8(f.type) ? new ByteStringCache(d, decode) : null);
      this.remaps.push(null);
    }
    this.schema = new Schema(out);
  }

  /** Takes a dictionary batch: a new dictionary, a replacement, or a delta appended to it. */
  addDictionary(header: DictionaryBatch, body: Uint8Array): void {
    if (header.data.compression) throw new Error('compressed IPC bodies are not supported');
    const node = header.nodes[0];
    const [validity, offsets, data] = header.buffers;
    if (!node || !offsets || !data) throw new Error(`dictionary ${header.id} is not a utf8 dictionary`);
    const m = node.length;
    const valid = node.nullCount > 0 && validity!.length > 0 ? region(body, validity!, (m + 7) >> 3) : null;
    const offs = view(Int32Array, body, offsets, m + 1);
    const bytes = region(body, data, data.length);
    const values: Array<string | null> = new Array(m);
    for (let j = 0; j < m; j++) values[j] = valid !== null && ((valid[j >> 3]! >> (j & 7)) & 1) === 0 ? null : decode(bytes, offs[j]!, offs[j + 1]!);
    const old = this.dictionaries.get(header.id);
    if (header.isDelta && old) {
      for (const v of values) old.values.push(v);
    } else this.dictionaries.set(header.id, { values, version: (old?.version ?? 0) + 1 });
  }

  /** The Batch of one record batch body; rowIds start at `firstRowId`. */
  decode(header: RecordBatch, body: Uint8Array, firstRowId: number): Batch {
    if (header.compression) throw new Error('compressed IPC bodies are not supported');
    const n = header.length;
    const nodes = header.nodes,
      buffers = header.buffers;
    const cols: Column[] = [];
    let bi = 0;
    for (let k = 0; k < this.fields.length; k++) {
      const node = nodes[k];
      if (!node || node.length !== n) throw new Error(`field ${this.fields[k]!.name}: no field node of ${n} rows`);
      const t = this.fields[k]!.type;
      const vb = buffers[bi++]!;
      const validity = node.nullCount > 0 && vb.length > 0 ? region(body, vb, (n + 7) >> 3) : null;
      if (DataType.isUtf8(t)) {
        cols.push(this.utf8Column(k, node, validity, body, buffers[bi]!, buffers[bi + 1]!));
        bi += 2;
      } else {
        const b = buffers[bi++];
        if (!b) throw new Error(`field ${this.fields[k]!.name}: missing value buffer`);
        cols.push(this.fixedColumn(k, t, n, validity, body, b));
      }
    }
    return new Batch(this.schema, cols, n, Batch.sequence(firstRowId, n));
  }

  private fixedColumn(k: number, t: DataType, n: number, validity: Uint8Array | null, body: Uint8Array, b: BufferRegion): Column {
    const isValid = (i: number) => validity === null || ((validity[i >> 3]! >> (i & 7)) & 1) === 1;
    if (DataType.isFloat(t)) {
      if (t.precision === Precision.DOUBLE) return { type: 'number', values: view(Float64Array, body, b, n), validity };
      const src = view(Float32Array, body, b, n);
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = isValid(i) ? src[i]! : NaN;
      return { type: 'number', values, validity };
    }
    if (DataType.isInt(t)) {
      if (t.bitWidth === 32 && t.isSigned) return { type: 'integer', values: view(Int32Array, body, b, n), validity };
      if (t.bitWidth < 32) return { type: 'integer', values: Int32Array.from(intView(t.bitWidth, t.isSigned, body, b, n)), validity };
      const values = new Float64Array(n);
      if (t.bitWidth === 32) {
        const src = view(Uint32Array, body, b, n);
        for (let i = 0; i < n; i++) values[i] = isValid(i) ? src[i]! : NaN;
      } else {
        const w = view(Int32Array, body, b, 2 * n);
        for (let i = 0; i < n; i++) values[i] = isValid(i) ? (t.isSigned ? w[2 * i + 1]! : w[2 * i + 1]! >>> 0) * 4294967296 + (w[2 * i]! >>> 0) : NaN;
      }
      return { type: 'number', values, validity };
    }
    if (DataType.isBool(t)) {
      const bits = region(body, b, (n + 7) >> 3);
      const values = new Uint8Array(n);
      for (let i = 0; i < n; i++) values[i] = (bits[i >> 3]! >> (i & 7)) & 1;
      return { type: 'boolean', values, validity };
    }
    if (DataType.isTimestamp(t) || DataType.isDate(t)) {
      let values: Float64Array;
      if (DataType.isDate(t) && t.unit === DateUnit.DAY) {
        const src = view(Int32Array, body, b, n);
        values = new Float64Array(n);
        for (let i = 0; i < n; i++) values[i] = src[i]! * 86_400_000;
      } else {
        const scale = DataType.isTimestamp(t) ? MS_PER[t.unit]! : 1;
        // Little-endian int64 as hi·2³² + lo: exact below 2⁵³ and much faster than BigInt.
        // Converted in place: the body belongs to this batch alone (a fresh read or copy), and
        // element i is read before it is overwritten. Saves an 8-byte-per-row ArrayBuffer, which
        // matters: V8 schedules mark-compacts by external (ArrayBuffer) bytes allocated.
        const w = view(Int32Array, body, b, 2 * n);
        values = new Float64Array(w.buffer, w.byteOffset, n);
        if (scale === 1) for (let i = 0; i < n; i++) values[i] = w[2 * i + 1]! * 4294967296 + (w[2 * i]! >>> 0);
        else for (let i = 0; i < n; i++) values[i] = (w[2 * i + 1]! * 4294967296 + (w[2 * i]! >>> 0)) * scale;
      }
      if (validity !== null) for (let i = 0; i < n; i++) if (((validity[i >> 3]! >> (i & 7)) & 1) === 0) values[i] = NaN;
      return { type: 'datetime', values, validity };
    }
    // Dictionary-encoded strings (supports() admits nothing else here).
    const dt = t as DataType & { id: number; indices: { bitWidth: number; isSigned: boolean } };
    const remap = this.remap(k, dt.id);
    const idx = intView(dt.indices.bitWidth, dt.indices.isSigned, body, b, n);
    if (remap.identity && validity === null && idx instanceof Int32Array) {
      // Codes equal the indices: view them, after checking they are all in range.
      let bad = false;
      const size = remap.size;
      for (let i = 0; i < n; i++)
        if (idx[i]! >>> 0 >= size) {
          bad = true;
          break;
        }
      if (!bad) return { type: 'category', codes: idx, dictionary: this.sluiceDicts[k]!, validity };
    }
    const table = remap.codes;
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = table[idx[i]!];
      if (c === undefined) {
        if (isValid(i)) throw new Error(`field ${this.fields[k]!.name}: dictionary index ${idx[i]} out of range (${remap.size} entries)`);
        codes[i] = -1;
      } else codes[i] = c;
    }
    if (validity !== null) for (let i = 0; i < n; i++) if (((validity[i >> 3]! >> (i & 7)) & 1) === 0) codes[i] = -1;
    return { type: 'category', codes, dictionary: this.sluiceDicts[k]!, validity };
  }

  private utf8Column(k: number, node: FieldNode, validity: Uint8Array | null, body: Uint8Array, ob: BufferRegion, db: BufferRegion): Column {
    const n = node.length;
    if (!ob || !db) throw new Error(`field ${this.fields[k]!.name}: missing utf8 buffers`);
    const offs = view(Int32Array, body, ob, n + 1);
    const bytes = region(body, db, db.length);
    const cache = this.caches[k]!;
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      codes[i] = validity !== null && ((validity[i >> 3]! >> (i & 7)) & 1) === 0 ? -1 : cache.code(bytes, offs[i]!, offs[i + 1]!);
    }
    return { type: 'category', codes, dictionary: this.sluiceDicts[k]!, validity };
  }

  /** The code table of field k for the current version of Arrow dictionary `id`, extended after deltas. */
  private remap(k: number, id: number): Remap {
    const d = this.dictionaries.get(id);
    if (!d) throw new Error(`field ${this.fields[k]!.name}: dictionary ${id} was never sent`);
    let r = this.remaps[k];
    if (!r || r.version !== d.version) r = this.remaps[k] = { version: d.version, codes: new Int32Array(0), size: 0, identity: true };
    const m = d.values.length;
    if (r.size < m) {
      const codes = new Int32Array(m);
      codes.set(r.codes.subarray(0, r.size));
      const dict = this.sluiceDicts[k]!;
      let identity = r.identity;
      for (let j = r.size; j < m; j++) {
        const s = d.values[j];
        codes[j] = s === null || s === undefined ? -1 : dict.code(s);
        if (codes[j] !== j) identity = false;
      }
      r.codes = codes;
      r.size = m;
      r.identity = identity;
    }
    return r;
  }
}

/** The sluice column type of an Arrow type, or null when this decoder does not read it. */
function columnType(t: DataType): ColumnType | null {
  if (DataType.isFloat(t)) return t.precision === Precision.HALF ? null : 'number';
  if (DataType.isInt(t)) return t.bitWidth < 32 || (t.bitWidth === 32 && t.isSigned) ? 'integer' : 'number';
  if (DataType.isBool(t)) return 'boolean';
  if (DataType.isTimestamp(t)) return 'datetime';
  if (DataType.isDate(t)) return t.unit === DateUnit.DAY || t.unit === DateUnit.MILLISECOND ? 'datetime' : null;
  if (DataType.isUtf8(t)) return 'category';
  if (DataType.isDictionary(t)) return DataType.isUtf8(t.dictionary) && t.indices.bitWidth <= 32 ? 'category' : null;
  return null;
}

/** Bytes of a buffer region, checked against the body. */
function region(body: Uint8Array, b: BufferRegion, len: number): Uint8Array {
  if (b.offset < 0 || b.offset + len > body.length || len > b.length)
    throw new Error(`buffer of ${len} bytes at ${b.offset} lies outside the ${body.length}-byte body`);
  return body.subarray(b.offset, b.offset + len);
}

type TypedCtor<T> = { new (buffer: ArrayBufferLike, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number };

/** A typed-array view of `count` elements of a buffer region (a copy when the region is misaligned). */
function view<T>(ctor: TypedCtor<T>, body: Uint8Array, b: BufferRegion, count: number): T {
  const bytes = region(body, b, count * ctor.BYTES_PER_ELEMENT);
  if (bytes.byteOffset % ctor.BYTES_PER_ELEMENT !== 0) {
    const copy = bytes.slice();
    return new ctor(copy.buffer, 0, count);
  }
  return new ctor(bytes.buffer, bytes.byteOffset, count);
}

function intView(
  bitWidth: number,
  signed: boolean,
  body: Uint8Array,
  b: BufferRegion,
  n: number,
): Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array {
  switch (bitWidth) {
    case 8:
      return signed ? view(Int8Array, body, b, n) : view(Uint8Array, body, b, n);
    case 16:
      return signed ? view(Int16Array, body, b, n) : view(Uint16Array, body, b, n);
    default:
      return signed ? view(Int32Array, body, b, n) : view(Uint32Array, body, b, n);
  }
}

import type { Column } from './Column.js';
import type { ColumnType } from './ColumnType.js';
import { Schema } from './Schema.js';
import { SchemaError } from './SchemaError.js';
import { StringDictionary } from './StringDictionary.js';
import type { Ticket } from './Ticket.js';
import { validity } from './validity.js';

export type CellValue = number | string | boolean | null | Record<number, number>;

/**
 * A set of named, typed columns of equal length: the unit that flows through a pipeline.
 * Transforms return new Batches that share untouched column arrays (no copies).
 * `rowIds` are the 0-based positions of the rows in their source stream; `lines` the 1-based
 * physical line where each row started, when the source is line-oriented, for error messages.
 */
export class Batch {
  /** Slot in the source's bounded queue; carried to derived batches (see BoundedQueue). */
  ticket: Ticket | null = null;
  /**
   * Where the source goes on after this batch, when it can go on from there (a CSV file: the byte
   * offset after its last row, the next line and row position). Set by the source on the batches
   * it emits, not carried to derived batches; a checkpoint records it (see QuiesceGate).
   */
  sourceAt: SourcePosition | null = null;
  /**
   * Set by withColumn just before it builds its batch: the one column to check (the others were
   * checked when the batch it derives from was made), so a step replacing the columns of a
   * 785-column batch one at a time does not re-check all 785 each time. Taken by the constructor.
   */
  private static checkOnly = -1;

  constructor(
    readonly schema: Schema,
    readonly columns: readonly Column[],
    readonly length: number,
    readonly rowIds: Float64Array = Batch.sequence(0, length),
    readonly lines: Float64Array | null = null,
  ) {
    const only = Batch.checkOnly;
    Batch.checkOnly = -1;
    if (columns.length !== schema.fields.length) throw new SchemaError(`batch has ${columns.length} columns but schema has ${schema.fields.length}`);
    if (only >= 0 && only < columns.length) checkColumn(schema, columns, only, length);
    else for (let i = 0; i < columns.length; i++) checkColumn(schema, columns, i, length);
    if (rowIds.length !== length) throw new SchemaError(`rowIds has ${rowIds.length} entries, batch has ${length} rows`);
  }

  static sequence(start: number, n: number): Float64Array {
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = start + i;
    return a;
  }

  get names(): string[] {
    return this.schema.names;
  }

  has(name: string): boolean {
    return this.schema.has(name);
  }

  column(name: string): Column {
    const i = this.schema.indexOf(name);
    if (i < 0) throw new SchemaError(`no such column; columns are ${this.names.join(', ')}`, name);
    return this.columns[i]!;
  }

  /** Adds a column, or replaces the one of the same name (keeping its position). */
  withColumn(name: string, column: Column, nullable = true): Batch {
    const i = this.schema.indexOf(name);
    const schema = this.schema.with({ name, type: column.type, nullable });
    const cols = this.columns.slice();
    if (i < 0) cols.push(column);
    else cols[i] = column;
    Batch.checkOnly = i < 0 ? cols.length - 1 : i;
    return this.derive(schema, cols);
  }

  /**
   * withColumn for many columns at once, in order: one new schema instead of one per column (a
   * transform over all 784 columns of a wide batch would otherwise rebuild the schema 784 times).
   */
  withColumns(entries: ReadonlyArray<{ name: string; column: Column; nullable?: boolean }>): Batch {
    if (entries.length === 0) return this;
    if (entries.length === 1) return this.withColumn(entries[0]!.name, entries[0]!.column, entries[0]!.nullable);
    const fields = this.schema.fields.slice();
    const cols = this.columns.slice();
    const at = new Map<string, number>();
    for (const e of entries) {
      const i = at.get(e.name) ?? this.schema.indexOf(e.name);
      const f = { name: e.name, type: e.column.type, nullable: e.nullable ?? true };
      if (i < 0) {
        at.set(e.name, fields.length);
        fields.push(f);
        cols.push(e.column);
      } else {
        fields[i] = f;
        cols[i] = e.column;
      }
    }
    return this.derive(new Schema(fields), cols);
  }

  drop(names: readonly string[]): Batch {
    for (const n of names) this.column(n);
    const dropped = new Set(names);
    const keep = this.schema.fields.map((f, i) => [f, i] as const).filter(([f]) => !dropped.has(f.name));
    return this.derive(
      new Schema(keep.map(([f]) => f)),
      keep.map(([, i]) => this.columns[i]!),
    );
  }

  select(names: readonly string[]): Batch {
    return this.derive(
      new Schema(names.map((n) => this.schema.field(n))),
      names.map((n) => this.column(n)),
    );
  }

  rename(mapping: Readonly<Record<string, string>>): Batch {
    for (const n of Object.keys(mapping)) this.column(n);
    return this.derive(new Schema(this.schema.fields.map((f) => ({ ...f, name: mapping[f.name] ?? f.name }))), this.columns);
  }

  /** Rows [start, end). Copies the values (typed-array views would pin the whole parent). */
  slice(start: number, end = this.length): Batch {
    const s = Math.max(0, start),
      e = Math.min(this.length, end);
    const cols = this.columns.map((c) => sliceColumn(c, s, e));
    const b = new Batch(this.schema, cols, e - s, this.rowIds.slice(s, e), this.lines?.slice(s, e) ?? null);
    b.ticket = this.ticket;
    return b;
  }

  /** The rows where `keep[i]` is non-zero, in order. */
  filter(keep: Uint8Array): Batch {
    let n = 0;
    for (let i = 0; i < this.length; i++) if (keep[i]) n++;
    if (n === this.length) return this;
    const idx = new Int32Array(n);
    for (let i = 0, j = 0; i < this.length; i++) if (keep[i]) idx[j++] = i;
    return this.take(idx);
  }

  /** The rows at `indices`, in that order. */
  take(indices: Int32Array): Batch {
    const cols = this.columns.map((c) => takeColumn(c, indices));
    const rowIds = new Float64Array(indices.length);
    for (let j = 0; j < indices.length; j++) rowIds[j] = this.rowIds[indices[j]!]!;
    let lines: Float64Array | null = null;
    if (this.lines) {
      lines = new Float64Array(indices.length);
      for (let j = 0; j < indices.length; j++) lines[j] = this.lines[indices[j]!]!;
    }
    const b = new Batch(this.schema, cols, indices.length, rowIds, lines);
    b.ticket = this.ticket;
    return b;
  }

  /** One cell as a JS value (slow path, for tests, errors and serving single rows). */
  value(name: string, i: number): CellValue {
    return cellValue(this.column(name), i);
  }

  /** All rows as objects (slow path: tests and debugging only). */
  toRows(): Array<Record<string, CellValue>> {
    const out: Array<Record<string, CellValue>> = [];
    for (let i = 0; i < this.length; i++) {
      const row: Record<string, CellValue> = {};
      this.schema.fields.forEach((f, k) => {
        row[f.name] = cellValue(this.columns[k]!, i);
      });
      out.push(row);
    }
    return out;
  }

  /**
   * Builds a batch from row objects (tests, serving). Types come from `schema` or are guessed:
   * numbers → number, booleans → boolean, strings → category; `null`/`undefined` are missing.
   */
  static fromRows(rows: ReadonlyArray<Record<string, unknown>>, schema?: Schema): Batch {
    const s = schema ?? guessSchema(rows);
    const n = rows.length;
    const cols = s.fields.map((f): Column => {
      const bitmap = validity.allocate(n, 1);
      let missing = 0;
      const isMissing = (v: unknown) => v === null || v === undefined;
      const mark = (i: number) => {
        validity.set(bitmap, i, false);
        missing++;
      };
      let col: Column;
      switch (f.type) {
        case 'number':
        case 'datetime': {
          const values = new Float64Array(n);
          rows.forEach((r, i) => {
            const v = r[f.name];
            if (isMissing(v)) {
              values[i] = NaN;
              mark(i);
            } else values[i] = f.type === 'datetime' && !(typeof v === 'number') ? Date.parse(String(v instanceof Date ? v.toISOString() : v)) : Number(v);
          });
          col = { type: f.type, values, validity: bitmap };
          break;
        }
        case 'integer': {
          const values = new Int32Array(n);
          rows.forEach((r, i) => {
            const v = r[f.name];
            if (isMissing(v)) mark(i);
            else values[i] = Number(v);
          });
          col = { type: 'integer', values, validity: bitmap };
          break;
        }
        case 'boolean': {
          const values = new Uint8Array(n);
          rows.forEach((r, i) => {
            const v = r[f.name];
            if (isMissing(v)) mark(i);
            else values[i] = v === true || v === 'true' || v === 1 ? 1 : 0;
          });
          col = { type: 'boolean', values, validity: bitmap };
          break;
        }
        case 'category':
        case 'text': {
          const codes = new Int32Array(n);
          const dictionary = new StringDictionary();
          rows.forEach((r, i) => {
            const v = r[f.name];
            if (isMissing(v)) {
              codes[i] = -1;
              mark(i);
            } else codes[i] = dictionary.code(String(v));
          });
          col = { type: f.type, codes, dictionary, validity: bitmap };
          break;
        }
        case 'vector':
          throw new SchemaError('vector columns cannot be built from rows', f.name);
      }
      if (missing === 0) col.validity = null;
      return col;
    });
    return new Batch(s, cols, n);
  }

  private derive(schema: Schema, columns: readonly Column[]): Batch {
    const b = new Batch(schema, columns, this.length, this.rowIds, this.lines);
    b.ticket = this.ticket;
    return b;
  }
}

/** Column i must have its field's type and the batch's length. */
function checkColumn(schema: Schema, columns: readonly Column[], i: number, length: number): void {
  const c = columns[i]!,
    f = schema.fields[i]!;
  if (c.type !== f.type) throw new SchemaError(`column holds ${c.type} data but schema says ${f.type}`, f.name);
  const n = c.type === 'vector' ? c.indptr.length - 1 : 'codes' in c ? c.codes.length : c.values.length;
  if (n !== length) throw new SchemaError(`column has ${n} values, batch has ${length} rows`, f.name);
}

function cellValue(c: Column, i: number): CellValue {
  if (!validity.isValid(c, i)) return null;
  switch (c.type) {
    case 'number':
    case 'integer':
    case 'datetime':
      return c.values[i]!;
    case 'boolean':
      return c.values[i] === 1;
    case 'category':
    case 'text':
      return c.dictionary.get(c.codes[i]!);
    case 'vector': {
      const out: Record<number, number> = {};
      for (let p = c.indptr[i]!; p < c.indptr[i + 1]!; p++) out[c.indices[p]!] = (out[c.indices[p]!] ?? 0) + c.values[p]!;
      return out;
    }
  }
}

function takeVector(c: Extract<Column, { type: 'vector' }>, idx: ArrayLike<number>, v: Uint8Array | null): Column {
  let nnz = 0;
  for (let j = 0; j < idx.length; j++) nnz += c.indptr[idx[j]! + 1]! - c.indptr[idx[j]!]!;
  const indptr = new Int32Array(idx.length + 1),
    indices = new Int32Array(nnz),
    values = new Float32Array(nnz);
  for (let j = 0, q = 0; j < idx.length; j++) {
    for (let p = c.indptr[idx[j]!]!; p < c.indptr[idx[j]! + 1]!; p++, q++) {
      indices[q] = c.indices[p]!;
      values[q] = c.values[p]!;
    }
    indptr[j + 1] = q;
  }
  return { ...c, indptr, indices, values, validity: v };
}

function sliceColumn(c: Column, s: number, e: number): Column {
  const v = validity.slice(c.validity, s, e);
  if (c.type === 'vector') return takeVector(c, Batch.sequence(s, e - s), v);
  if ('codes' in c) return { ...c, codes: c.codes.slice(s, e), validity: v };
  return { ...c, values: c.values.slice(s, e), validity: v } as Column;
}

function takeColumn(c: Column, idx: Int32Array): Column {
  let v: Uint8Array | null = null;
  if (c.validity) {
    v = validity.allocate(idx.length, 0);
    for (let j = 0; j < idx.length; j++) if (validity.get(c.validity, idx[j]!)) validity.set(v, j, true);
  }
  if (c.type === 'vector') return takeVector(c, idx, v);
  if ('codes' in c) {
    const codes = new Int32Array(idx.length);
    for (let j = 0; j < idx.length; j++) codes[j] = c.codes[idx[j]!]!;
    return { ...c, codes, validity: v };
  }
  const src = (c as { values: Float64Array | Int32Array | Uint8Array }).values;
  const values = new (src.constructor as new (n: number) => typeof src)(idx.length);
  for (let j = 0; j < idx.length; j++) values[j] = src[idx[j]!]!;
  return { ...c, values, validity: v } as Column;
}

function guessSchema(rows: ReadonlyArray<Record<string, unknown>>): Schema {
  const types = new Map<string, ColumnType>();
  for (const r of rows)
    for (const [k, v] of Object.entries(r)) {
      if (v === null || v === undefined || types.has(k)) {
        if (!types.has(k)) types.set(k, 'number');
        continue;
      }
      types.set(k, typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : v instanceof Date ? 'datetime' : 'category');
    }
  // A column first seen as missing takes the type of its first present value.
  for (const k of types.keys()) {
    const first = rows.find((r) => r[k] !== null && r[k] !== undefined)?.[k];
    if (first !== undefined)
      types.set(k, typeof first === 'number' ? 'number' : typeof first === 'boolean' ? 'boolean' : first instanceof Date ? 'datetime' : 'category');
  }
  return Schema.from(Object.fromEntries(types));
}

/** A point a source can go on from: the byte offset of the next row, its line (1-based) and its row position (0-based, every row counted). */
export interface SourcePosition {
  offset: number;
  line: number;
  row: number;
  /** The source's books up to there (it may have read ahead since): what a run resumed from here starts them from. */
  books?: { read: number; skipped: number; skippedByReason: Record<string, number> };
}

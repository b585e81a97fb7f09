import { Batch } from './Batch.js';
import { ColumnBuilder, type ParseFailure } from './ColumnBuilder.js';
import { DEFAULT_NULL_VALUES } from './DEFAULT_NULL_VALUES.js';
import { Schema } from './Schema.js';

/** Where and why `appendRaw`/`appendValues` rejected a row. */
export interface RowFailure {
  reason: ParseFailure | 'required';
  /** Index of the offending field in the schema. */
  field: number;
}

/** Options of a BatchBuilder. */
export interface BatchBuilderOptions {
  /** Initial rows per column (arrays grow by doubling). */
  capacity?: number;
  /** Raw strings read as missing. */
  nullValues?: readonly string[];
  /**
   * Integer columns that widen to number on a non-int32 value (see ColumnBuilderOptions): `true`
   * for every one (an inferred schema), or their names (inferred columns beside declared ones).
   */
  widen?: boolean | readonly string[];
}

/**
 * Builds Batches row by row for sources that are not columnar (NDJSON, sockets, generators).
 * A row is appended whole or not at all: a field that fails to parse rolls the row back and
 * reports which field and why, so the source can apply its bad-row policy. A widening integer
 * column that turns number changes `schema` from that row on (the row's batch included); a row
 * rolled back undoes the widening it caused.
 */
export class BatchBuilder {
  private readonly builders: ColumnBuilder[];
  private readonly nullTokens: Set<string>;
  /** Indexes of integer columns that may still widen. */
  private watch: number[];
  private current: Schema;
  private rowIds: number[] = [];
  private lines: number[] = [];

  constructor(schema: Schema, options: BatchBuilderOptions = {}) {
    const cap = options.capacity ?? 1024;
    const w = options.widen ?? false;
    const widens = (name: string) => w === true || (Array.isArray(w) && w.includes(name));
    this.current = schema;
    this.builders = schema.fields.map((f) => new ColumnBuilder(f.type, cap, undefined, { widen: widens(f.name) }));
    this.watch = schema.fields.flatMap((f, k) => (f.type === 'integer' && widens(f.name) ? [k] : []));
    this.nullTokens = new Set(options.nullValues ?? DEFAULT_NULL_VALUES);
  }

  /** The schema of the rows so far (of the next `finish`). */
  get schema(): Schema {
    return this.current;
  }

  get length(): number {
    return this.rowIds.length;
  }

  /** Appends one row of raw strings (`null` = missing) in schema order. */
  appendRaw(fields: ReadonlyArray<string | null>, rowId: number, line = 0): RowFailure | null {
    const start = this.length;
    for (let k = 0; k < this.builders.length; k++) {
      const raw = fields[k];
      const b = this.builders[k]!;
      let fail: RowFailure['reason'] | null = null;
      if (raw === null || raw === undefined || this.nullTokens.has(raw)) {
        if (!this.schema.fields[k]!.nullable) fail = 'required';
        else b.appendNull();
      } else fail = b.appendRaw(raw);
      if (fail) {
        this.rollback(start);
        return { reason: fail, field: k };
      }
    }
    this.accept(rowId, line);
    return null;
  }

  /** Appends one row given as an object keyed by column name (JSON rows). */
  appendObject(row: Readonly<Record<string, unknown>>, rowId: number, line = 0): RowFailure | null {
    const start = this.length;
    for (let k = 0; k < this.builders.length; k++) {
      const f = this.schema.fields[k]!;
      const v = row[f.name];
      const b = this.builders[k]!;
      let fail: RowFailure['reason'] | null = null;
      if (v === null || v === undefined || (typeof v === 'string' && this.nullTokens.has(v))) {
        if (!f.nullable) fail = 'required';
        else b.appendNull();
      } else fail = b.appendValue(v);
      if (fail) {
        this.rollback(start);
        return { reason: fail, field: k };
      }
    }
    this.accept(rowId, line);
    return null;
  }

  /** The rows so far as a Batch; the builder starts empty (category dictionaries carry on). */
  finish(): Batch {
    const cols = this.builders.map((b) => b.finish());
    const batch = new Batch(this.current, cols, this.rowIds.length, Float64Array.from(this.rowIds), Float64Array.from(this.lines));
    this.rowIds = [];
    this.lines = [];
    return batch;
  }

  private accept(rowId: number, line: number): void {
    this.rowIds.push(rowId);
    this.lines.push(line);
    if (this.watch.length === 0) return;
    let widened = false;
    for (const k of this.watch) if (this.builders[k]!.type !== 'integer') widened = true;
    if (!widened) return;
    this.current = new Schema(this.current.fields.map((f, k) => ({ ...f, type: this.builders[k]!.type })));
    this.watch = this.watch.filter((k) => this.builders[k]!.type === 'integer');
  }

  private rollback(length: number): void {
    for (const b of this.builders) b.truncate(length);
    for (const k of this.watch) this.builders[k]!.narrow();
  }
}

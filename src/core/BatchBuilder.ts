import { Batch } from './Batch.js';
import { ColumnBuilder, type ParseFailure } from './ColumnBuilder.js';
import type { Schema } from './Schema.js';
import { DEFAULT_NULL_VALUES } from './DEFAULT_NULL_VALUES.js';

/** Where and why `appendRaw`/`appendValues` rejected a row. */
export interface RowFailure {
  reason: ParseFailure | 'required';
  /** Index of the offending field in the schema. */
  field: number;
}


/**
 * Builds Batches row by row for sources that are not columnar (NDJSON, sockets, generators).
 * A row is appended whole or not at all: a field that fails to parse rolls the row back and
 * reports which field and why, so the source can apply its bad-row policy.
 */
export class BatchBuilder {
  private readonly builders: ColumnBuilder[];
  private readonly nullTokens: Set<string>;
  private rowIds: number[] = [];
  private lines: number[] = [];

  constructor(readonly schema: Schema, options: { capacity?: number; nullValues?: readonly string[] } = {}) {
    const cap = options.capacity ?? 1024;
    this.builders = schema.fields.map((f) => new ColumnBuilder(f.type, cap));
    this.nullTokens = new Set(options.nullValues ?? DEFAULT_NULL_VALUES);
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
      if (fail) { this.rollback(start); return { reason: fail, field: k }; }
    }
    this.rowIds.push(rowId);
    this.lines.push(line);
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
      if (fail) { this.rollback(start); return { reason: fail, field: k }; }
    }
    this.rowIds.push(rowId);
    this.lines.push(line);
    return null;
  }

  /** The rows so far as a Batch; the builder starts empty (category dictionaries carry on). */
  finish(): Batch {
    const cols = this.builders.map((b) => b.finish());
    const batch = new Batch(this.schema, cols, this.rowIds.length, Float64Array.from(this.rowIds), Float64Array.from(this.lines));
    this.rowIds = [];
    this.lines = [];
    return batch;
  }

  private rollback(length: number): void {
    for (const b of this.builders) b.truncate(length);
  }
}

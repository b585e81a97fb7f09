import { SchemaError, SpecError, validity, type Batch, type Column } from '../core/index.js';

/** How numeric transforms treat NaN/±Infinity in present cells: as missing, or as bad input. */
export type NonFinitePolicy = 'missing' | 'error';

/** A numeric column read for a transform. */
export interface NumericInput {
  /** The values as numbers (the column's own array, not a copy). */
  values: ArrayLike<number>;
  /** 1 where the value is present and finite. */
  ok: Uint8Array;
  /** Rows present but NaN/±Infinity. */
  nonFinite: number[];
  type: 'number' | 'integer' | 'boolean' | 'datetime';
}

/** Helpers for numeric transforms: reading a column and checking the non-finite option. */
export const numericInput = {
  /**
   * Reads column `name` of `batch` as numbers for a numeric transform (`step` names it in
   * errors). Missing and non-finite cells get ok = 0; non-finite rows are listed so the caller
   * applies its NonFinitePolicy. Category/text/vector columns are a SchemaError.
   */
  read(batch: Batch, name: string, step: string): NumericInput {
    const c = batch.column(name);
    if (c.type !== 'number' && c.type !== 'integer' && c.type !== 'boolean' && c.type !== 'datetime') {
      throw new SchemaError(`${step} needs a numeric column, got ${c.type}`, name);
    }
    const n = batch.length, v = c.validity, values = c.values;
    const ok = new Uint8Array(n);
    const nonFinite: number[] = [];
    for (let i = 0; i < n; i++) {
      if (v !== null && ((v[i >> 3]! >> (i & 7)) & 1) === 0) continue;
      const x = values[i]!;
      if (x - x === 0) ok[i] = 1; // finite: for NaN and ±Infinity, x - x is NaN
      else nonFinite.push(i);
    }
    return { values, ok, nonFinite, type: c.type };
  },

  /**
   * A number column from `values`, missing where `ok[i]` is 0 (those slots are set to NaN, as
   * the Column layout asks); validity is null when every row is present.
   */
  output(values: Float64Array, ok: Uint8Array): Column {
    let bitmap: Uint8Array | null = null;
    for (let i = 0; i < values.length; i++) {
      if (ok[i]) continue;
      bitmap ??= validity.allocate(values.length, 1);
      validity.set(bitmap, i, false);
      values[i] = NaN;
    }
    return { type: 'number', values, validity: bitmap };
  },

  /** Validates a NonFinitePolicy option (default `missing`). */
  policy(value: unknown, path: string): NonFinitePolicy {
    if (value === undefined) return 'missing';
    if (value !== 'missing' && value !== 'error') throw new SpecError(path, `expected one of missing|error, got ${JSON.stringify(value)}`);
    return value;
  },
};

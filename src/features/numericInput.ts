import { type Batch, type Column, SchemaError, SpecError, validity } from '../core/index.js';

/** How numeric transforms treat NaN/±Infinity in present cells: as missing, or as bad input. */
export type NonFinitePolicy = 'missing' | 'error';

/** A numeric column read for a transform. */
export interface NumericInput {
  /** The values as numbers (the column's own array, not a copy). */
  values: Float64Array | Int32Array | Uint8Array;
  /** 1 where the value is present and finite. */
  ok: Uint8Array;
  /** True when every `ok[i]` is 1, so callers may skip the per-row test. */
  allOk: boolean;
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
    const n = batch.length,
      v = c.validity;
    const ok = new Uint8Array(n);
    const nonFinite: number[] = [];
    // One branch per array type, so each loop sees a single typed-array kind (monomorphic).
    let allOk: boolean;
    if (c.type === 'number' || c.type === 'datetime') allOk = finiteF64(c.values, v, ok, n, nonFinite);
    else if (v === null) {
      ok.fill(1);
      allOk = true;
    } // integers and booleans are always finite
    else allOk = presentBits(v, ok, n);
    return { values: c.values, ok, allOk, nonFinite, type: c.type };
  },

  /**
   * A number column from `values`, missing where `ok[i]` is 0 (those slots are set to NaN, as
   * the Column layout asks); validity is null when every row is present. `allOk` (every ok[i]
   * is 1) skips the scan.
   */
  output(values: Float64Array, ok: Uint8Array, allOk = false): Column {
    if (allOk) return { type: 'number', values, validity: null };
    let bitmap: Uint8Array | null = null;
    for (let i = 0; i < values.length; i++) {
      if (ok[i]) continue;
      bitmap ??= validity.allocate(values.length, 1);
      bitmap[i >> 3]! &= ~(1 << (i & 7));
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

/** ok[i] = present and finite; returns whether every row is. */
function finiteF64(values: Float64Array, v: Uint8Array | null, ok: Uint8Array, n: number, nonFinite: number[]): boolean {
  let good = 0;
  if (v === null) {
    // Clean prefix first (the common case is all of it): reads only, then one fill.
    let i = 0;
    while (i < n) {
      const x = values[i]!;
      if (x - x !== 0) break;
      i++;
    }
    ok.fill(1, 0, i);
    if (i === n) return true;
    good = i;
    for (; i < n; i++) {
      const x = values[i]!;
      if (x - x === 0) {
        ok[i] = 1;
        good++;
      } // finite: for NaN and ±Infinity, x - x is NaN
      else nonFinite.push(i);
    }
  } else {
    for (let i = 0; i < n; i++) {
      if (((v[i >> 3]! >> (i & 7)) & 1) === 0) continue;
      const x = values[i]!;
      if (x - x === 0) {
        ok[i] = 1;
        good++;
      } else nonFinite.push(i);
    }
  }
  return good === n;
}

/** ok[i] = bit i of the validity bitmap; returns whether every row is present. */
function presentBits(v: Uint8Array, ok: Uint8Array, n: number): boolean {
  let good = 0;
  for (let i = 0; i < n; i++) {
    const b = (v[i >> 3]! >> (i & 7)) & 1;
    ok[i] = b;
    good += b;
  }
  return good === n;
}

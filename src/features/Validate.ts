import {
  type BadRows,
  type Batch,
  type Column,
  type ColumnType,
  INPUT_TYPES,
  parseBoolean,
  parseDatetime,
  parseNumber,
  SchemaError,
  SpecError,
  validity,
} from '../core/index.js';
import { type NonFinitePolicy, numericInput } from './numericInput.js';
import { type RowReject, rejectRows } from './rejectRows.js';
import type { Transform, TransformState } from './Transform.js';

export interface ValidateRange {
  min?: number | string;
  max?: number | string;
}

export interface ValidateOptions {
  /** Declared types. Category/text columns are parsed into the declared number, integer, boolean or datetime (a failure is a `type` bad row); number ↔ integer converts (a fraction is a `type` bad row). */
  types?: Readonly<Record<string, ColumnType>>;
  /** Inclusive bounds for numeric or datetime columns (datetimes as epoch ms or ISO strings); outside is `range`. */
  ranges?: Readonly<Record<string, ValidateRange>>;
  /** Allowed values of category/text columns; anything else is `category`. */
  categories?: Readonly<Record<string, readonly string[]>>;
  /** Columns that must be present in every row (`required`); a column absent from the batch is a SchemaError. */
  required?: readonly string[];
  /** NaN/±Infinity in numeric columns: bad rows with reason `non-finite` (default), or made missing. */
  nonFinite?: NonFinitePolicy;
  /** Policy for bad rows (skip with reason, or fail); without it the first bad row throws BadInputError. Not serialized. */
  badRows?: BadRows | null;
  /** Name used in errors and dead-letter books (default `validate`). */
  source?: string;
}

export interface ValidateState {
  types: Record<string, ColumnType>;
  ranges: Record<string, { min: number | null; max: number | null }>;
  categories: Record<string, string[]>;
  required: string[];
  nonFinite: NonFinitePolicy;
  source: string;
}

const NUMERIC = new Set<ColumnType>(['number', 'integer', 'boolean', 'datetime']);

/**
 * Checks rows against declared types, ranges, allowed categories and required columns. Bad rows
 * follow the bad-row policy: `skip` drops them and counts them by reason (`required`, `type`,
 * `non-finite`, `range`, `category`, checked in that order; a row counts once, for its first
 * fault), `fail` throws BadInputError at the row's source line and column. Empty or blank
 * strings count as missing. Stateless.
 */
export class Validate implements Transform<ValidateState> {
  readonly kind = 'validate';
  readonly types: Record<string, ColumnType>;
  readonly ranges: Record<string, { min: number | null; max: number | null }>;
  readonly categories: Record<string, string[]>;
  readonly required: string[];
  readonly nonFinite: NonFinitePolicy;
  readonly source: string;
  badRows: BadRows | null;

  constructor(options: ValidateOptions = {}) {
    this.types = { ...(options.types ?? {}) };
    for (const [c, t] of Object.entries(this.types))
      if (!INPUT_TYPES.includes(t)) throw new SpecError(`validate.types.${c}`, `expected one of ${INPUT_TYPES.join('|')}, got ${JSON.stringify(t)}`);
    this.ranges = {};
    for (const [c, r] of Object.entries(options.ranges ?? {})) {
      const min = bound(r.min, `validate.ranges.${c}.min`),
        max = bound(r.max, `validate.ranges.${c}.max`);
      if (min !== null && max !== null && min > max) throw new SpecError(`validate.ranges.${c}`, `min ${r.min} is above max ${r.max}`);
      this.ranges[c] = { min, max };
    }
    this.categories = {};
    for (const [c, list] of Object.entries(options.categories ?? {})) {
      if (!Array.isArray(list) || !list.every((s) => typeof s === 'string')) throw new SpecError(`validate.categories.${c}`, 'expected a list of strings');
      this.categories[c] = list.slice();
    }
    if (options.required !== undefined && (!Array.isArray(options.required) || !options.required.every((s) => typeof s === 'string'))) {
      throw new SpecError('validate.required', `expected a list of column names, got ${JSON.stringify(options.required)}`);
    }
    this.required = (options.required ?? []).slice();
    this.nonFinite = options.nonFinite === undefined ? 'error' : numericInput.policy(options.nonFinite, 'validate.nonFinite');
    this.source = options.source ?? 'validate';
    this.badRows = options.badRows ?? null;
  }

  learn(_batch: Batch): void {}

  apply(batch: Batch): Batch {
    const n = batch.length;
    const rejects: RowReject[] = [];
    let out = batch;
    const at = (row: number, reason: RowReject['reason'], field: string, value: string, detail: string) => rejects.push({ row, reason, field, value, detail });

    for (const name of this.required) {
      const c = batch.column(name);
      for (let i = 0; i < n; i++) if (!present(c, i)) at(i, 'required', name, '', 'required value is missing');
    }

    for (const [name, type] of Object.entries(this.types)) {
      const c = out.column(name);
      if (c.type === type) continue;
      out = out.withColumn(name, this.cast(c, type, name, at));
    }

    for (const name of out.names) {
      const c = out.column(name);
      if (c.type !== 'number' && c.type !== 'datetime') continue;
      const { values, nonFinite } = numericInput.read(out, name, 'validate');
      if (nonFinite.length === 0) continue;
      if (this.nonFinite === 'error') {
        for (const i of nonFinite) at(i, 'non-finite', name, String(values[i]), 'non-finite number');
      } else {
        const bitmap = c.validity ? c.validity.slice() : validity.allocate(n, 1);
        const v = c.values.slice();
        for (const i of nonFinite) {
          validity.set(bitmap, i, false);
          v[i] = NaN;
        }
        out = out.withColumn(name, { type: c.type, values: v, validity: bitmap });
      }
    }

    for (const [name, { min, max }] of Object.entries(this.ranges)) {
      const c = out.column(name);
      if (!NUMERIC.has(c.type)) throw new SchemaError(`validate range needs a numeric or datetime column, got ${c.type}`, name);
      const values = (c as { values: ArrayLike<number> }).values;
      for (let i = 0; i < n; i++) {
        if (!validity.isValid(c, i)) continue;
        const x = values[i]!;
        if ((min !== null && x < min) || (max !== null && x > max))
          at(i, 'range', name, c.type === 'datetime' ? new Date(x).toISOString() : String(x), `outside [${min ?? '-inf'}, ${max ?? 'inf'}]`);
      }
    }

    for (const [name, allowed] of Object.entries(this.categories)) {
      const c = out.column(name);
      if (c.type !== 'category' && c.type !== 'text') throw new SchemaError(`validate categories need a category or text column, got ${c.type}`, name);
      const ok = new Uint8Array(c.dictionary.size);
      const set = new Set(allowed);
      c.dictionary.values.forEach((s, code) => {
        ok[code] = set.has(s) ? 1 : 0;
      });
      for (let i = 0; i < n; i++) {
        if (!present(c, i)) continue;
        if (!ok[c.codes[i]!]) at(i, 'category', name, c.dictionary.get(c.codes[i]!), `not one of the ${allowed.length} allowed categories`);
      }
    }
    return rejectRows(out, rejects, this.badRows, this.source);
  }

  /** Converts a column to its declared type; rows that do not convert become `type` rejects (and missing). */
  private cast(c: Column, type: ColumnType, name: string, at: (row: number, reason: 'type', field: string, value: string, detail: string) => void): Column {
    const n = 'codes' in c ? c.codes.length : c.type === 'vector' ? c.indptr.length - 1 : c.values.length;
    const bitmap = validity.allocate(n, 1);
    if ((c.type === 'category' || c.type === 'text') && (type === 'category' || type === 'text')) return { ...c, type };
    if (c.type === 'category' || c.type === 'text') {
      // Parse each dictionary entry once; codes repeat across rows.
      const parsed = new Float64Array(c.dictionary.size);
      c.dictionary.values.forEach((s, code) => {
        parsed[code] = parseAs(s, type);
      });
      const values = type === 'integer' ? new Int32Array(n) : type === 'boolean' ? new Uint8Array(n) : new Float64Array(n);
      for (let i = 0; i < n; i++) {
        if (!present(c, i)) {
          validity.set(bitmap, i, false);
          if (values instanceof Float64Array) values[i] = NaN;
          continue;
        }
        const x = parsed[c.codes[i]!]!;
        if (Number.isNaN(x) && c.dictionary.get(c.codes[i]!).trim().toLowerCase() !== 'nan') {
          validity.set(bitmap, i, false);
          if (values instanceof Float64Array) values[i] = NaN;
          at(i, 'type', name, c.dictionary.get(c.codes[i]!), `not a valid ${type}`);
        } else values[i] = x;
      }
      return { type, values, validity: bitmap } as Column;
    }
    if ((c.type === 'number' || c.type === 'integer' || c.type === 'boolean') && (type === 'number' || type === 'integer')) {
      const values = type === 'integer' ? new Int32Array(n) : new Float64Array(n);
      for (let i = 0; i < n; i++) {
        if (!validity.isValid(c, i)) {
          validity.set(bitmap, i, false);
          if (type === 'number') values[i] = NaN;
          continue;
        }
        const x = c.values[i]!;
        if (type === 'integer' && !(Number.isInteger(x) && x >= -2147483648 && x <= 2147483647)) {
          validity.set(bitmap, i, false);
          at(i, 'type', name, String(x), 'not a 32-bit integer');
        } else values[i] = x;
      }
      return { type, values, validity: bitmap } as Column;
    }
    throw new SchemaError(`validate cannot convert a ${c.type} column to ${type}`, name);
  }

  toJSON(): TransformState<ValidateState> {
    return {
      kind: this.kind,
      state: {
        types: { ...this.types },
        ranges: structuredClone(this.ranges),
        categories: structuredClone(this.categories),
        required: this.required.slice(),
        nonFinite: this.nonFinite,
        source: this.source,
      },
    };
  }

  static fromJSON(json: TransformState<ValidateState>): Validate {
    const s = json.state;
    const ranges: Record<string, ValidateRange> = {};
    for (const [c, r] of Object.entries(s.ranges)) ranges[c] = { ...(r.min !== null ? { min: r.min } : {}), ...(r.max !== null ? { max: r.max } : {}) };
    return new Validate({ types: s.types, ranges, categories: s.categories, required: s.required, nonFinite: s.nonFinite, source: s.source });
  }
}

/** Present: valid, and for strings a code that is not empty or blank (empty strings count as missing). */
function present(c: Column, i: number): boolean {
  if (!validity.isValid(c, i)) return false;
  if (!('codes' in c)) return true;
  const code = c.codes[i]!;
  return code >= 0 && c.dictionary.get(code).trim() !== '';
}

function bound(v: number | string | undefined, path: string): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' && !Number.isNaN(v)) return v;
  if (typeof v === 'string') {
    const t = parseDatetime(v);
    if (t !== undefined) return t;
  }
  throw new SpecError(path, `expected a number or an ISO date, got ${JSON.stringify(v)}`);
}

/** Parses a string as `type`; NaN when it does not parse. */
function parseAs(s: string, type: ColumnType): number {
  const t = s.trim();
  switch (type) {
    case 'number':
      return parseNumber(t) ?? NaN;
    case 'integer': {
      const x = parseNumber(t);
      return x !== undefined && Number.isInteger(x) && Math.abs(x) <= 2147483647 ? x : NaN;
    }
    case 'boolean': {
      const b = parseBoolean(t);
      return b === undefined ? NaN : b ? 1 : 0;
    }
    case 'datetime':
      return parseDatetime(t) ?? NaN;
    default:
      return NaN;
  }
}

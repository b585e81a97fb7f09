import type { Column } from './Column.js';
import type { ColumnType } from './ColumnType.js';
import { parseBoolean } from './parseBoolean.js';
import { parseDatetime } from './parseDatetime.js';
import { parseNumber } from './parseNumber.js';
import { SchemaError } from './SchemaError.js';
import { StringDictionary } from './StringDictionary.js';
import { validity } from './validity.js';

/** Why a raw value could not be appended: maps onto a BadRowReason. */
export type ParseFailure = 'number' | 'date' | 'type';

/** Options of a ColumnBuilder. */
export interface ColumnBuilderOptions {
  /**
   * An integer column (inferred, not declared) becomes a number column when it meets a number
   * that is not an int32 (a fraction, a value past ±2^31): its values so far are kept as float64,
   * and it stays number from then on. Without it such a value is a `type` failure.
   */
  widen?: boolean;
}

/**
 * Appends values of one type into growable typed arrays, then hands out a Column.
 * Category columns keep one dictionary for the builder's life (stable codes across batches);
 * text columns start a fresh dictionary per batch so memory stays bounded.
 */
export class ColumnBuilder {
  private kind: ColumnType;
  private readonly widens: boolean;
  private nums: Float64Array | Int32Array | Uint8Array;
  private valid: Uint8Array;
  private nulls = 0;
  private n = 0;
  private dictionary: StringDictionary;

  constructor(
    type: ColumnType,
    private capacity = 1024,
    dictionary?: StringDictionary,
    options: ColumnBuilderOptions = {},
  ) {
    if (type === 'vector') throw new SchemaError('vector columns are made by encoders, not built from input values');
    this.kind = type;
    this.widens = options.widen === true && type === 'integer';
    this.nums = this.alloc(capacity);
    this.valid = validity.allocate(capacity, 1);
    this.dictionary = dictionary ?? new StringDictionary();
  }

  /** The column type: `integer` until a widening builder meets a non-int32 number, then `number`. */
  get type(): ColumnType {
    return this.kind;
  }

  get length(): number {
    return this.n;
  }

  /** The dictionary behind category/text codes. */
  get strings(): StringDictionary {
    return this.dictionary;
  }

  appendNull(): void {
    this.grow();
    const i = this.n++;
    validity.set(this.valid, i, false);
    this.nulls++;
    if (this.kind === 'number' || this.kind === 'datetime') this.nums[i] = NaN;
    else if (this.kind === 'category' || this.kind === 'text') this.nums[i] = -1;
    else this.nums[i] = 0;
  }

  /** A number for number/integer/datetime(ms)/boolean columns. */
  appendNumber(x: number): void {
    this.grow();
    this.nums[this.n++] = x;
  }

  appendString(s: string): void {
    this.grow();
    this.nums[this.n++] = this.dictionary.code(s);
  }

  /** Parses `raw` by the column type; returns the failure kind, or null on success. */
  appendRaw(raw: string): ParseFailure | null {
    switch (this.kind) {
      case 'number': {
        const x = parseNumber(raw);
        if (x === undefined) return 'number';
        this.appendNumber(x);
        return null;
      }
      case 'integer': {
        const x = parseNumber(raw);
        if (x === undefined) return 'number';
        if (!Number.isInteger(x) || x > 2147483647 || x < -2147483648) {
          if (!this.widens) return 'type';
          this.widen();
        }
        this.appendNumber(x);
        return null;
      }
      case 'boolean': {
        const b = parseBoolean(raw);
        if (b === undefined) return 'type';
        this.appendNumber(b ? 1 : 0);
        return null;
      }
      case 'datetime': {
        const t = parseDatetime(raw);
        if (t === undefined) return 'date';
        this.appendNumber(t);
        return null;
      }
      case 'category':
      case 'text':
        this.appendString(raw);
        return null;
      case 'vector':
        return 'type';
    }
  }

  /** Appends a JS value (from JSON): null/undefined → missing; strings are parsed as by `appendRaw`. */
  appendValue(v: unknown): ParseFailure | null {
    if (v === null || v === undefined) {
      this.appendNull();
      return null;
    }
    if (typeof v === 'string') return this.appendRaw(v);
    switch (this.kind) {
      case 'number':
      case 'datetime':
        if (typeof v !== 'number') return 'type';
        this.appendNumber(v);
        return null;
      case 'integer':
        if (typeof v !== 'number') return 'type';
        if (!Number.isInteger(v) || v > 2147483647 || v < -2147483648) {
          if (!this.widens) return 'type';
          this.widen();
        }
        this.appendNumber(v);
        return null;
      case 'boolean':
        if (typeof v !== 'boolean') return 'type';
        this.appendNumber(v ? 1 : 0);
        return null;
      case 'category':
      case 'text':
        if (typeof v !== 'number' && typeof v !== 'boolean') return 'type';
        this.appendString(String(v));
        return null;
      case 'vector':
        return 'type';
    }
  }

  /**
   * Turns an integer column into a number column: the values so far become float64 (missing
   * ones NaN, as number columns hold them). Later values and batches are number.
   */
  widen(): void {
    if (this.kind !== 'integer') return;
    const from = this.nums,
      to = new Float64Array(this.capacity);
    for (let i = 0; i < this.n; i++) to[i] = validity.get(this.valid, i) ? from[i]! : NaN;
    this.nums = to;
    this.kind = 'number';
  }

  /**
   * Undoes `widen` (BatchBuilder, when the row that widened is rolled back): every value kept is
   * an int32 then, so the conversion is exact.
   */
  narrow(): void {
    if (this.kind !== 'number' || !this.widens) return;
    const from = this.nums,
      to = new Int32Array(this.capacity);
    for (let i = 0; i < this.n; i++) to[i] = validity.get(this.valid, i) ? from[i]! : 0;
    this.nums = to;
    this.kind = 'integer';
  }

  /** Drops values back to `length` (undoes a partly appended row). */
  truncate(length: number): void {
    for (let i = length; i < this.n; i++)
      if (!validity.get(this.valid, i)) {
        validity.set(this.valid, i, true);
        this.nulls--;
      }
    this.n = Math.min(this.n, length);
  }

  /** The values appended so far as a Column; the builder starts empty again. */
  finish(): Column {
    const n = this.n;
    const bits = this.nulls > 0 ? this.valid.slice(0, (n + 7) >> 3) : null;
    const data = this.nums.slice(0, n);
    let col: Column;
    switch (this.kind) {
      case 'number':
      case 'datetime':
        col = { type: this.kind, values: data as Float64Array, validity: bits };
        break;
      case 'integer':
        col = { type: 'integer', values: data as Int32Array, validity: bits };
        break;
      case 'boolean':
        col = { type: 'boolean', values: data as Uint8Array, validity: bits };
        break;
      case 'category':
        col = { type: 'category', codes: data as Int32Array, dictionary: this.dictionary, validity: bits };
        break;
      case 'text':
        col = { type: 'text', codes: data as Int32Array, dictionary: this.dictionary, validity: bits };
        this.dictionary = new StringDictionary();
        break;
      case 'vector':
        throw new SchemaError('vector columns are made by encoders, not built from input values');
    }
    this.n = 0;
    this.nulls = 0;
    this.valid.fill(0xff);
    return col;
  }

  private alloc(n: number): Float64Array | Int32Array | Uint8Array {
    switch (this.kind) {
      case 'number':
      case 'datetime':
        return new Float64Array(n);
      case 'boolean':
        return new Uint8Array(n);
      default:
        return new Int32Array(n);
    }
  }

  private grow(): void {
    if (this.n < this.capacity) return;
    this.capacity *= 2;
    const next = this.alloc(this.capacity);
    next.set(this.nums as never);
    this.nums = next;
    const v = validity.allocate(this.capacity, 1);
    v.set(this.valid);
    this.valid = v;
  }
}

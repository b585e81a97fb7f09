import { type Column, SchemaError, type StringDictionary, validity } from '../core/index.js';

/** `ids()` value for a missing cell. */
const MISSING = -2;
/** Cache value for a dictionary code not resolved yet. */
const UNRESOLVED = -3;
/**
 * Integer values in [0, SMALL) are resolved through a table indexed by the value itself (hours,
 * weekdays, months, small codes): a string key and a Map lookup per row cost ~0.1 µs.
 */
const SMALL = 4096;

/**
 * An online category vocabulary capped at `max` entries, shared by one-hot and ordinal encoding.
 * Keyed by string so its state moves between sources, but it works on dictionary codes: a
 * code → id table per StringDictionary means each distinct value is looked up once, not per row.
 */
export class OneHotVocabulary {
  static readonly MISSING = MISSING;
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  private cache = new WeakMap<StringDictionary, Int32Array>();
  /** Id of each small integer value (UNRESOLVED until looked up; see SMALL). */
  private small: Int32Array | null = null;

  constructor(
    readonly max: number,
    values: readonly string[] = [],
  ) {
    for (const v of values) this.add(v);
  }

  get full(): boolean {
    return this.values.length >= this.max;
  }

  /** Adds the present values of the rows where `mask` is 1 (all rows when null), until full. */
  learn(column: Column, mask: Uint8Array | null, name: string): void {
    const n = length(column, name);
    if ('codes' in column) {
      const table = this.table(column.dictionary);
      const codes = column.codes,
        bits = column.validity;
      if (this.full) return;
      if (!mask && !bits) {
        // Common case, no per-row tests: a row costs two loads once its value has an id.
        for (let i = 0; i < n; i++) {
          const code = codes[i]!;
          if (table[code]! >= 0) continue;
          table[code] = this.add(column.dictionary.get(code));
          if (this.full) return;
        }
        return;
      }
      for (let i = 0; i < n && !this.full; i++) {
        if ((mask && !mask[i]) || (bits && ((bits[i >> 3]! >> (i & 7)) & 1) === 0)) continue;
        const code = codes[i]!;
        if (table[code]! >= 0) continue;
        table[code] = this.add(column.dictionary.get(code));
      }
      return;
    }
    if (column.type === 'integer') {
      const table = this.smallTable(),
        values = column.values,
        bits = column.validity;
      // Common case, no per-row tests: rows whose small value has an id already are passed over.
      const from = !mask && !bits ? knownSmall(values, table, n) : 0;
      for (let i = from; i < n && !this.full; i++) {
        if ((mask && !mask[i]) || (bits && ((bits[i >> 3]! >> (i & 7)) & 1) === 0)) continue;
        const x = values[i]!;
        if (x >= 0 && x < SMALL) {
          if (table[x]! < 0) table[x] = this.add(String(x));
        } else this.add(String(x));
      }
      return;
    }
    for (let i = 0; i < n && !this.full; i++) {
      if ((mask && !mask[i]) || !validity.get(column.validity, i)) continue;
      this.add(keyOf(column, i));
    }
  }

  /**
   * Whether every id the last `ids()` call gave is a vocabulary id (no -1, no MISSING), when that
   * call could tell without a pass of its own (integer columns); false when unknown.
   */
  lastAllKnown = false;

  /** The id of every row: 0..size-1, -1 for values outside the vocabulary, MISSING (-2) for missing. */
  ids(column: Column, name: string): Int32Array {
    const n = length(column, name);
    const out = new Int32Array(n);
    this.lastAllKnown = false;
    if ('codes' in column) {
      const table = this.table(column.dictionary);
      const codes = column.codes,
        bits = column.validity;
      for (let i = 0; i < n; i++) {
        if (bits && ((bits[i >> 3]! >> (i & 7)) & 1) === 0) {
          out[i] = MISSING;
          continue;
        }
        const code = codes[i]!;
        let id = table[code]!;
        if (id === UNRESOLVED) {
          id = this.index.get(column.dictionary.get(code)) ?? -1;
          // An unknown value may still join while the vocabulary has room: cache it only once full.
          if (id >= 0 || this.full) table[code] = id;
        }
        out[i] = id;
      }
      return out;
    }
    if (column.type === 'integer') {
      const table = this.smallTable(),
        values = column.values,
        bits = column.validity;
      // Common case: every value small with an id, read straight from the table (-1 ends it early).
      const from = bits ? 0 : smallIds(values, table, out, n);
      if (from === n) {
        this.lastAllKnown = true;
        return out;
      }
      for (let i = from; i < n; i++) {
        if (bits && ((bits[i >> 3]! >> (i & 7)) & 1) === 0) {
          out[i] = MISSING;
          continue;
        }
        const x = values[i]!;
        if (x >= 0 && x < SMALL) {
          let id = table[x]!;
          if (id === UNRESOLVED) {
            id = this.index.get(String(x)) ?? -1;
            // As for codes: an unknown value is cached only once the vocabulary is full.
            if (id >= 0 || this.full) table[x] = id;
          }
          out[i] = id;
        } else out[i] = this.index.get(String(x)) ?? -1;
      }
      return out;
    }
    for (let i = 0; i < n; i++) out[i] = validity.get(column.validity, i) ? (this.index.get(keyOf(column, i)) ?? -1) : MISSING;
    return out;
  }

  toJSON(): string[] {
    return this.values.slice();
  }

  private add(v: string): number {
    let id = this.index.get(v);
    if (id === undefined) {
      if (this.full) return -1;
      id = this.values.length;
      this.values.push(v);
      this.index.set(v, id);
    }
    return id;
  }

  private smallTable(): Int32Array {
    this.small ??= new Int32Array(SMALL).fill(UNRESOLVED);
    return this.small;
  }

  private table(dict: StringDictionary): Int32Array {
    let t = this.cache.get(dict);
    if (!t || t.length < dict.size) {
      const grown = new Int32Array(Math.max(16, dict.size * 2)).fill(UNRESOLVED);
      if (t) grown.set(t);
      this.cache.set(dict, grown);
      t = grown;
    }
    return t;
  }
}

/** Rows from the start whose value is small and has an id in `table`: where learn's general loop starts. */
function knownSmall(values: Int32Array, table: Int32Array, n: number): number {
  const small = 4096; // SMALL as a literal: a bundle makes the module's constant a mutable variable, read at every use
  let i = 0;
  for (; i < n; i++) {
    const x = values[i]!;
    if (!(x >= 0 && x < small && table[x]! >= 0)) break;
  }
  return i;
}

/** ids() for rows from the start whose value is small and has an id; returns the first row that does not (n: none). */
function smallIds(values: Int32Array, table: Int32Array, out: Int32Array, n: number): number {
  const small = 4096; // SMALL as a literal: a bundle makes the module's constant a mutable variable, read at every use
  let i = 0;
  for (; i < n; i++) {
    const x = values[i]!;
    const id = x >= 0 && x < small ? table[x]! : -1;
    if (id < 0) break;
    out[i] = id;
  }
  return i;
}

function length(c: Column, name: string): number {
  if (c.type === 'category' || c.type === 'text') return c.codes.length;
  if (c.type === 'integer' || c.type === 'boolean') return c.values.length;
  throw new SchemaError(`categorical encoding needs a category, text, integer or boolean column, got ${c.type}`, name);
}

/** The vocabulary key of an integer or boolean cell. */
function keyOf(c: Column, i: number): string {
  if (c.type === 'boolean') return c.values[i] ? 'true' : 'false';
  return String((c as { values: Int32Array }).values[i]);
}

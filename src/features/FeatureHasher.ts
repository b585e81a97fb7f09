import { type Batch, type Column, SchemaError, SpecError, type StringDictionary, validity } from '../core/index.js';
import type { NonFinitePolicy } from './expr/NonFinitePolicy.js';
import { numericColumn } from './expr/numericColumn.js';
import { murmurhash3String } from './murmurhash3String.js';
import type { Transform, TransformState } from './Transform.js';

export interface FeatureHasherOptions {
  /** 2^bits slots (1..30; default 18). */
  bits?: number;
  /** MurmurHash3 seed (default 0). */
  seed?: number;
  /** Multiply each feature by ±1 from the hash's top bit so collisions cancel on average (default true). */
  signed?: boolean;
  /** Name of the output vector column (default `hashed`). */
  output?: string;
  /** Keep the input columns (default false: they are replaced by the output). */
  keepInputs?: boolean;
  /** Present NaN/±Infinity in number columns (default 'missing': the feature is left out). */
  nonFinite?: NonFinitePolicy;
}

export interface FeatureHasherState {
  columns: string[];
  bits: number;
  seed: number;
  signed: boolean;
  output: string;
  keepInputs: boolean;
  nonFinite: NonFinitePolicy;
}

/**
 * Signed feature hashing (the hashing trick) into 2^bits slots, as one `vector` column.
 * Category/text/integer/boolean cells hash the UTF-8 string `column=value` with value 1; number
 * cells hash the column name with the number as value. Slot = h mod 2^bits, sign = bit 31 of h.
 * Category hashes are cached per dictionary code, so each distinct value is hashed once.
 * Missing cells add nothing. Stateless: `learn` does nothing.
 */
export class FeatureHasher implements Transform<FeatureHasherState> {
  readonly kind = 'hash';
  readonly bits: number;
  readonly seed: number;
  readonly signed: boolean;
  readonly output: string;
  readonly keepInputs: boolean;
  readonly nonFinite: NonFinitePolicy;
  /** Per column and dictionary: each code's slot and signed value (see codeTable). */
  private readonly caches = new Map<string, WeakMap<StringDictionary, CodeTable>>();

  constructor(
    readonly columns: readonly string[],
    options: FeatureHasherOptions = {},
  ) {
    if (!Array.isArray(columns) || columns.length === 0 || columns.some((c) => typeof c !== 'string'))
      throw new SpecError('hash.columns', 'expected a non-empty list of column names');
    this.bits = options.bits ?? 18;
    if (!Number.isInteger(this.bits) || this.bits < 1 || this.bits > 30)
      throw new SpecError('hash.bits', `expected an integer in 1..30, got ${String(options.bits)}`);
    this.seed = options.seed ?? 0;
    if (!Number.isInteger(this.seed)) throw new SpecError('hash.seed', `expected an integer, got ${String(options.seed)}`);
    this.signed = options.signed ?? true;
    this.output = options.output ?? 'hashed';
    this.keepInputs = options.keepInputs ?? false;
    this.nonFinite = options.nonFinite ?? 'missing';
    if (this.nonFinite !== 'missing' && this.nonFinite !== 'error')
      throw new SpecError('hash.nonFinite', `expected 'missing' or 'error', got ${String(options.nonFinite)}`);
    for (const c of columns) this.caches.set(c, new WeakMap());
  }

  get width(): number {
    return 2 ** this.bits;
  }

  learn(_batch: Batch): void {}

  apply(batch: Batch): Batch {
    const n = batch.length,
      C = this.columns.length;
    const indptr = new Int32Array(n + 1);
    const idx = new Int32Array(n * C),
      val = new Float32Array(n * C);
    let q: number;
    const a = batch.column(this.columns[0]!),
      b = C === 2 ? batch.column(this.columns[1]!) : null;
    if (b && 'codes' in a && 'codes' in b && a.validity === null && b.validity === null) {
      // Two category columns with every cell present (a pair of airports, of keys): rows read
      // from the codes' tables in one pass, no per-column arrays.
      const ta = this.codeTable(this.columns[0]!, a.dictionary),
        tb = this.codeTable(this.columns[1]!, b.dictionary);
      q = rowsOfTwo(n, a.codes, ta.slots, ta.signs, b.codes, tb.slots, tb.signs, indptr, idx, val);
    } else {
      // Per column and row: the slot (-1 when the cell adds nothing) and the signed value.
      const slots = this.columns.map(() => new Int32Array(n));
      const vals = this.columns.map(() => new Float64Array(n));
      this.columns.forEach((name, j) => this.hashColumn(batch, name, slots[j]!, vals[j]!));
      q = rowsOf(slots, vals, indptr, idx, val);
    }
    const col: Column = {
      type: 'vector',
      width: this.width,
      indptr,
      indices: q === idx.length ? idx : idx.slice(0, q),
      values: q === val.length ? val : val.slice(0, q),
      names: null,
      validity: null,
    };
    const base = this.keepInputs ? batch : batch.drop(this.columns.filter((c) => c !== this.output));
    return base.withColumn(this.output, col, false);
  }

  /** Slot and signed value of each row's cell of column `name` (slot -1: the cell adds nothing). */
  private hashColumn(batch: Batch, name: string, slots: Int32Array, vals: Float64Array): void {
    const c = batch.column(name),
      n = batch.length,
      mask = this.width - 1,
      signed = this.signed;
    // Sign from bit 31 of the hash, slot from its low bits.
    const sign = (h: number) => (signed && h >= 0x80000000 ? -1 : 1);
    switch (c.type) {
      case 'category':
      case 'text': {
        const t = this.codeTable(name, c.dictionary),
          codes = c.codes,
          bits = c.validity;
        for (let i = 0; i < n; i++) {
          if (bits && ((bits[i >> 3]! >> (i & 7)) & 1) === 0) {
            slots[i] = -1;
            continue;
          }
          const code = codes[i]!;
          slots[i] = code < 0 ? -1 : t.slots[code]!;
          vals[i] = t.signs[code]!;
        }
        return;
      }
      case 'integer':
      case 'boolean':
        for (let i = 0; i < n; i++) {
          if (!validity.get(c.validity, i)) {
            slots[i] = -1;
            continue;
          }
          const h = murmurhash3String(`${name}=${c.type === 'boolean' ? (c.values[i] ? 'true' : 'false') : c.values[i]}`, this.seed);
          slots[i] = h & mask;
          vals[i] = sign(h);
        }
        return;
      case 'number': {
        const x = numericColumn(batch, name, this.nonFinite, 'hash');
        const h = murmurhash3String(name, this.seed),
          slot = h & mask,
          s = sign(h);
        for (let i = 0; i < n; i++) {
          const v = x[i]!;
          slots[i] = v !== v ? -1 : slot;
          vals[i] = s * v;
        }
        return;
      }
      default:
        throw new SchemaError(`hash needs category, text, integer, boolean or number columns, got ${c.type}`, name);
    }
  }

  /**
   * Slot and signed value of every code of `dict` (each distinct value hashed once, when the
   * dictionary grows to it; dictionaries are shared by a source's batches).
   */
  private codeTable(name: string, dict: StringDictionary): CodeTable {
    const byDict = this.caches.get(name)!;
    let t = byDict.get(dict);
    const size = dict.size;
    if (t && t.size >= size) return t;
    const from = t?.size ?? 0;
    const cap = t && t.slots.length >= size ? t.slots.length : Math.max(16, size * 2);
    const slots = t && t.slots.length === cap ? t.slots : new Int32Array(cap);
    const signs = t && t.signs.length === cap ? t.signs : new Float64Array(cap);
    if (t && slots !== t.slots) {
      slots.set(t.slots.subarray(0, from));
      signs.set(t.signs.subarray(0, from));
    }
    const mask = this.width - 1;
    for (let code = from; code < size; code++) {
      const h = murmurhash3String(`${name}=${dict.get(code)}`, this.seed);
      slots[code] = h & mask;
      signs[code] = this.signed && h >= 0x80000000 ? -1 : 1;
    }
    t = { slots, signs, size };
    byDict.set(dict, t);
    return t;
  }

  toJSON(): TransformState<FeatureHasherState> {
    return {
      kind: this.kind,
      state: {
        columns: this.columns.slice(),
        bits: this.bits,
        seed: this.seed,
        signed: this.signed,
        output: this.output,
        keepInputs: this.keepInputs,
        nonFinite: this.nonFinite,
      },
    };
  }

  static fromJSON(s: TransformState<FeatureHasherState> | FeatureHasherState): FeatureHasher {
    const st = 'state' in s ? s.state : s;
    return new FeatureHasher(st.columns, st);
  }
}

/**
 * CSR rows from per-column slots and values: each row's slots in ascending order, equal slots
 * (collisions) added up, zero sums left out. Returns the number of entries.
 */
function rowsOf(slots: Int32Array[], vals: Float64Array[], indptr: Int32Array, idx: Int32Array, val: Float32Array): number {
  const n = indptr.length - 1,
    C = slots.length;
  const rowI = new Int32Array(C),
    rowV = new Float64Array(C);
  let q = 0;
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = 0; j < C; j++) {
      const slot = slots[j]![i]!;
      if (slot < 0) continue;
      const v = vals[j]![i]!;
      // Insertion into the row's short sorted list; equal slots (collisions) add up.
      let p = m - 1;
      while (p >= 0 && rowI[p]! > slot) p--;
      if (p >= 0 && rowI[p] === slot) {
        rowV[p]! += v;
        continue;
      }
      for (let r = m; r > p + 1; r--) {
        rowI[r] = rowI[r - 1]!;
        rowV[r] = rowV[r - 1]!;
      }
      rowI[p + 1] = slot;
      rowV[p + 1] = v;
      m++;
    }
    for (let r = 0; r < m; r++)
      if (rowV[r] !== 0) {
        idx[q] = rowI[r]!;
        val[q] = rowV[r]!;
        q++;
      }
    indptr[i + 1] = q;
  }
  return q;
}

/**
 * rowsOf for two category columns with every cell present, read through their codes' slot and
 * sign tables (two airports, a pair of keys), without the per-row insertion list.
 */
function rowsOfTwo(
  n: number,
  ca: Int32Array,
  sa: Int32Array,
  va: Float64Array,
  cb: Int32Array,
  sb: Int32Array,
  vb: Float64Array,
  indptr: Int32Array,
  idx: Int32Array,
  val: Float32Array,
): number {
  let q = 0;
  // The two values by which one is first, for the usual row (two slots, two non-zero values):
  // slots ordered without a branch (which mispredicted on every other row), values picked by index.
  const pair = new Float64Array(2);
  for (let i = 0; i < n; i++) {
    const ka = ca[i]!,
      kb = cb[i]!;
    let a = ka < 0 ? -1 : sa[ka]!,
      b = kb < 0 ? -1 : sb[kb]!,
      x = va[ka]!,
      y = vb[kb]!;
    if (a >= 0 && b >= 0 && a !== b && x !== 0 && y !== 0) {
      // d = -1 when b < a (b first), else 0.
      const d = (b - a) >> 31;
      pair[0] = x;
      pair[1] = y;
      idx[q] = (a & ~d) | (b & d);
      val[q] = pair[-d]!;
      idx[q + 1] = (b & ~d) | (a & d);
      val[q + 1] = pair[1 + d]!;
      q += 2;
      indptr[i + 1] = q;
      continue;
    }
    if (a === b && a >= 0) {
      x += y;
      b = -1;
    } else if (b < a) {
      const t = a,
        u = x;
      a = b;
      x = y;
      b = t;
      y = u;
    }
    if (a >= 0 && x !== 0) {
      idx[q] = a;
      val[q++] = x;
    }
    if (b >= 0 && y !== 0) {
      idx[q] = b;
      val[q++] = y;
    }
    indptr[i + 1] = q;
  }
  return q;
}

/** A dictionary's codes below `size`: their slots and signed values (±1). */
interface CodeTable {
  slots: Int32Array;
  signs: Float64Array;
  size: number;
}

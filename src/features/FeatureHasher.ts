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
  private readonly caches = new Map<string, WeakMap<StringDictionary, Float64Array>>();

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
      C = this.columns.length,
      mask = this.width - 1;
    // Per column and row: the 32-bit hash (NaN when the cell adds nothing) and the value.
    const hashes = this.columns.map(() => new Float64Array(n));
    const vals = this.columns.map(() => new Float64Array(n).fill(1));
    this.columns.forEach((name, j) => this.hashColumn(batch, name, hashes[j]!, vals[j]!));
    const indptr = new Int32Array(n + 1);
    const idx = new Int32Array(n * C),
      val = new Float32Array(n * C);
    const rowI = new Int32Array(C),
      rowV = new Float64Array(C);
    let q = 0;
    for (let i = 0; i < n; i++) {
      let m = 0;
      for (let j = 0; j < C; j++) {
        const h = hashes[j]![i]!;
        if (h !== h) continue;
        const slot = h & mask,
          v = this.signed && h >= 0x80000000 ? -vals[j]![i]! : vals[j]![i]!;
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
    const col: Column = { type: 'vector', width: this.width, indptr, indices: idx.slice(0, q), values: val.slice(0, q), names: null, validity: null };
    const base = this.keepInputs ? batch : batch.drop(this.columns.filter((c) => c !== this.output));
    return base.withColumn(this.output, col, false);
  }

  private hashColumn(batch: Batch, name: string, hashes: Float64Array, vals: Float64Array): void {
    const c = batch.column(name),
      n = batch.length;
    switch (c.type) {
      case 'category':
      case 'text': {
        let cache = this.caches.get(name)!.get(c.dictionary);
        if (!cache || cache.length < c.dictionary.size) {
          const grown = new Float64Array(Math.max(16, c.dictionary.size * 2)).fill(NaN);
          if (cache) grown.set(cache);
          this.caches.get(name)!.set(c.dictionary, grown);
          cache = grown;
        }
        for (let i = 0; i < n; i++) {
          if (!validity.get(c.validity, i)) {
            hashes[i] = NaN;
            continue;
          }
          const code = c.codes[i]!;
          let h = cache[code]!;
          if (h !== h) h = cache[code] = murmurhash3String(`${name}=${c.dictionary.get(code)}`, this.seed);
          hashes[i] = h;
        }
        return;
      }
      case 'integer':
      case 'boolean':
        for (let i = 0; i < n; i++)
          hashes[i] = validity.get(c.validity, i)
            ? murmurhash3String(`${name}=${c.type === 'boolean' ? (c.values[i] ? 'true' : 'false') : c.values[i]}`, this.seed)
            : NaN;
        return;
      case 'number': {
        const x = numericColumn(batch, name, this.nonFinite, 'hash');
        const h = murmurhash3String(name, this.seed);
        for (let i = 0; i < n; i++) {
          const v = x[i]!;
          hashes[i] = v !== v ? NaN : h;
          vals[i] = v;
        }
        return;
      }
      default:
        throw new SchemaError(`hash needs category, text, integer, boolean or number columns, got ${c.type}`, name);
    }
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

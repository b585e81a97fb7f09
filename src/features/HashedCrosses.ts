import { type Batch, type Column, SchemaError, SpecError, type StringDictionary, validity } from '../core/index.js';
import { murmurhash3String } from './murmurhash3String.js';
import type { Transform, TransformState } from './Transform.js';

export interface HashedCrossesOptions {
  /** Column pairs to cross; each row gets one feature per pair whose two cells are present. */
  pairs: ReadonlyArray<readonly [string, string]>;
  /** 2^bits slots (1..30; default 18). */
  bits?: number;
  /** Output vector column (default `crosses`). */
  output?: string;
}

export interface HashedCrossesState {
  pairs: Array<[string, string]>;
  bits: number;
  output: string;
}

/**
 * Hashed pairwise crosses of categorical columns (category, text, integer or boolean cells): for
 * each pair (a, b) a row adds 1 at slot hash(a=va, b=vb) mod 2^bits of one `vector` column, so a
 * linear model can learn a weight per combination (origin × hour) that neither column has alone.
 * The input columns stay. A missing cell adds nothing for its pairs. Stateless.
 */
export class HashedCrosses implements Transform<HashedCrossesState> {
  readonly kind = 'crosses';
  readonly pairs: Array<[string, string]>;
  readonly bits: number;
  readonly output: string;
  /** Per column and dictionary: the hash of `column=value` by code (NaN: not yet hashed). */
  private readonly caches = new Map<string, WeakMap<StringDictionary, Float64Array>>();

  constructor(options: HashedCrossesOptions) {
    if (!Array.isArray(options?.pairs) || options.pairs.length === 0) throw new SpecError('crosses.pairs', 'expected a non-empty list of [a, b] column pairs');
    this.pairs = options.pairs.map((p, i) => {
      if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'string' || typeof p[1] !== 'string' || p[0] === p[1])
        throw new SpecError(`crosses.pairs[${i}]`, `expected two different column names, got ${JSON.stringify(p)}`);
      return [p[0], p[1]];
    });
    this.bits = options.bits ?? 18;
    if (!Number.isInteger(this.bits) || this.bits < 1 || this.bits > 30)
      throw new SpecError('crosses.bits', `expected an integer in 1..30, got ${String(options.bits)}`);
    this.output = options.output ?? 'crosses';
    for (const p of this.pairs) for (const c of p) if (!this.caches.has(c)) this.caches.set(c, new WeakMap());
  }

  get width(): number {
    return 2 ** this.bits;
  }

  learn(_batch: Batch): void {}

  apply(batch: Batch): Batch {
    const n = batch.length,
      P = this.pairs.length,
      mask = this.width - 1;
    const hashes = new Map<string, Float64Array>();
    for (const name of this.caches.keys()) hashes.set(name, this.hashColumn(batch, name));
    const indptr = new Int32Array(n + 1);
    const idx = new Int32Array(n * P),
      val = new Float32Array(n * P);
    const row = new Int32Array(P);
    let q = 0;
    for (let i = 0; i < n; i++) {
      let m = 0;
      for (const [a, b] of this.pairs) {
        const ha = hashes.get(a)![i]!,
          hb = hashes.get(b)![i]!;
        if (ha !== ha || hb !== hb) continue;
        row[m++] = mix(ha, hb) & mask;
      }
      // Indices ascend within a row; collisions add up.
      const r = row.subarray(0, m).sort();
      for (let k = 0; k < m; k++) {
        if (k > 0 && r[k] === r[k - 1]) {
          val[q - 1]! += 1;
          continue;
        }
        idx[q] = r[k]!;
        val[q++] = 1;
      }
      indptr[i + 1] = q;
    }
    const col: Column = { type: 'vector', width: this.width, indptr, indices: idx.slice(0, q), values: val.slice(0, q), names: null, validity: null };
    return batch.withColumn(this.output, col, false);
  }

  /** The 32-bit hash of `name=value` per row, NaN where the cell is missing. */
  private hashColumn(batch: Batch, name: string): Float64Array {
    const c = batch.column(name),
      n = batch.length,
      out = new Float64Array(n);
    if (c.type === 'category' || c.type === 'text') {
      let cache = this.caches.get(name)!.get(c.dictionary);
      if (!cache || cache.length < c.dictionary.size) {
        const grown = new Float64Array(Math.max(16, c.dictionary.size * 2)).fill(NaN);
        if (cache) grown.set(cache);
        this.caches.get(name)!.set(c.dictionary, grown);
        cache = grown;
      }
      for (let i = 0; i < n; i++) {
        const code = c.codes[i]!;
        if (code < 0 || !validity.get(c.validity, i)) {
          out[i] = NaN;
          continue;
        }
        let h = cache[code]!;
        if (h !== h) h = cache[code] = murmurhash3String(`${name}=${c.dictionary.get(code)}`, 0);
        out[i] = h;
      }
    } else if (c.type === 'integer' || c.type === 'boolean') {
      for (let i = 0; i < n; i++)
        out[i] = validity.get(c.validity, i) ? murmurhash3String(`${name}=${c.type === 'boolean' ? (c.values[i] ? 'true' : 'false') : c.values[i]}`, 0) : NaN;
    } else throw new SchemaError(`crosses needs category, text, integer or boolean columns, got ${c.type}`, name);
    return out;
  }

  toJSON(): TransformState<HashedCrossesState> {
    return { kind: this.kind, state: { pairs: this.pairs.map((p) => [p[0], p[1]]), bits: this.bits, output: this.output } };
  }

  static fromJSON(json: TransformState<HashedCrossesState>): HashedCrosses {
    return new HashedCrosses(json.state);
  }
}

/** Two 32-bit hashes into one (MurmurHash3's fmix32 over a multiply-xor combine), unsigned. */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

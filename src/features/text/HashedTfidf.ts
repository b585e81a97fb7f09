import { type Batch, type Column, SchemaError, SpecError, validity } from '../../core/index.js';
import { murmurhash3String } from '../murmurhash3String.js';
import type { Transform, TransformState } from '../Transform.js';
import { trainMask } from '../trainMask.js';
import { charNgrams } from './charNgrams.js';
import { type CleanStringOptions, cleanString } from './cleanString.js';
import { tokenize } from './tokenize.js';
import { wordNgrams } from './wordNgrams.js';

export interface HashedTfidfOptions {
  /** 2^bits slots (1..28; default 18). */
  bits?: number;
  seed?: number;
  /** Cleaning before tokenizing, or false to tokenize the raw text (default: cleanString defaults). */
  clean?: CleanStringOptions | false;
  /** Drop English stopwords (default true). */
  stopwords?: boolean;
  /** Word n-gram range (default [1, 1]). */
  ngrams?: [number, number];
  /** Also character n-grams within words (e.g. [3, 5]); default none. */
  charNgrams?: [number, number] | null;
  /** Weight by online inverse document frequency (default true); false gives plain term counts. */
  idf?: boolean;
  /** Use 1 + ln(tf) instead of tf (default false). */
  sublinearTf?: boolean;
  /** Scale each row to unit L2 norm (default true). */
  normalize?: boolean;
  /** ±1 per term from the hash's top bit (default false: idf of signed counts is hard to read). */
  signed?: boolean;
  /** Output vector column (default: replaces the input column). */
  output?: string;
}

export interface HashedTfidfState {
  column: string;
  options: Required<Omit<HashedTfidfOptions, 'output' | 'charNgrams' | 'clean'>> & {
    output: string;
    charNgrams: [number, number] | null;
    clean: CleanStringOptions | false;
  };
  documents: number;
  /** Sparse document frequencies: [slot, count] pairs. */
  df: Array<[number, number]>;
}

/** Raw term counts of one batch in CSR form (slot indices sorted per row). */
interface Terms {
  indptr: Int32Array;
  indices: Int32Array;
  counts: Float64Array;
  present: Uint8Array;
}

/**
 * Hashed bag of words with online TF-IDF: text → clean → tokens (minus stopwords) → word and
 * character n-grams → MurmurHash3 slots, as a sparse `vector` column of width 2^bits.
 * Document frequencies are learned from training rows only; idf = ln((1 + N) / (1 + df)) + 1
 * (scikit-learn's smoothed form). A missing cell gives an empty vector and counts as no document;
 * an empty string is a document with no terms.
 */
export class HashedTfidf implements Transform<HashedTfidfState> {
  readonly kind = 'textHash';
  readonly options: HashedTfidfState['options'];
  private documents = 0;
  private readonly df: Float64Array;
  private readonly memo = new WeakMap<Batch, Terms>();

  constructor(
    readonly column: string,
    options: HashedTfidfOptions = {},
  ) {
    if (typeof column !== 'string' || !column) throw new SpecError('textHash.column', 'expected a column name');
    const bits = options.bits ?? 18;
    if (!Number.isInteger(bits) || bits < 1 || bits > 28) throw new SpecError('textHash.bits', `expected an integer in 1..28, got ${String(options.bits)}`);
    const range = (key: string, r: unknown): [number, number] => {
      if (!Array.isArray(r) || r.length !== 2 || !r.every((x) => Number.isInteger(x) && x >= 1) || r[0] > r[1])
        throw new SpecError(`textHash.${key}`, `expected [min, max] with integers 1 <= min <= max, got ${JSON.stringify(r)}`);
      return [r[0], r[1]];
    };
    this.options = {
      bits,
      seed: options.seed ?? 0,
      clean: options.clean ?? {},
      stopwords: options.stopwords ?? true,
      ngrams: range('ngrams', options.ngrams ?? [1, 1]),
      charNgrams: options.charNgrams ? range('charNgrams', options.charNgrams) : null,
      idf: options.idf ?? true,
      sublinearTf: options.sublinearTf ?? false,
      normalize: options.normalize ?? true,
      signed: options.signed ?? false,
      output: options.output ?? column,
    };
    this.df = new Float64Array(2 ** bits);
  }

  get width(): number {
    return 2 ** this.options.bits;
  }

  /** Training documents seen so far. */
  get documentCount(): number {
    return this.documents;
  }

  /** Hashed slots (with sign, as slot*2 + negative) of the terms of one document. */
  terms(text: string): Int32Array {
    const o = this.options;
    const clean = o.clean === false ? text : cleanString(text, o.clean);
    const tokens = tokenize(clean, { stopwords: o.stopwords });
    const grams = wordNgrams(tokens, o.ngrams[0], o.ngrams[1]);
    if (o.charNgrams) for (const t of tokens) grams.push(...charNgrams(t, o.charNgrams[0], o.charNgrams[1]));
    const out = new Int32Array(grams.length),
      mask = this.width - 1;
    for (let i = 0; i < grams.length; i++) {
      const h = murmurhash3String(grams[i]!, o.seed);
      out[i] = ((h & mask) << 1) | (o.signed && h >= 0x80000000 ? 1 : 0);
    }
    return out.sort();
  }

  learn(batch: Batch): void {
    const t = this.count(batch);
    this.memo.set(batch, t);
    const mask = trainMask(batch);
    for (let i = 0; i < batch.length; i++) {
      if ((mask && !mask[i]) || !t.present[i]) continue;
      this.documents++;
      for (let p = t.indptr[i]!; p < t.indptr[i + 1]!; p++) this.df[t.indices[p]!]!++;
    }
  }

  apply(batch: Batch): Batch {
    const t = this.memo.get(batch) ?? this.count(batch);
    this.memo.delete(batch);
    const o = this.options,
      n = batch.length;
    const values = new Float32Array(t.indices.length);
    for (let i = 0; i < n; i++) {
      let norm = 0;
      for (let p = t.indptr[i]!; p < t.indptr[i + 1]!; p++) {
        const c = t.counts[p]!,
          a = Math.abs(c);
        let w = o.sublinearTf ? Math.sign(c) * (1 + Math.log(a)) : c;
        if (o.idf) w *= Math.log((1 + this.documents) / (1 + this.df[t.indices[p]!]!)) + 1;
        values[p] = w;
        norm += w * w;
      }
      if (o.normalize && norm > 0) {
        const s = 1 / Math.sqrt(norm);
        for (let p = t.indptr[i]!; p < t.indptr[i + 1]!; p++) values[p]! *= s;
      }
    }
    const col: Column = { type: 'vector', width: this.width, indptr: t.indptr, indices: t.indices, values, names: null, validity: null };
    return batch.withColumn(o.output, col, false);
  }

  /** Term counts per row: sorted slots, collisions and repeats summed (signed when `signed`). */
  private count(batch: Batch): Terms {
    const c = batch.column(this.column);
    if (c.type !== 'text' && c.type !== 'category') throw new SchemaError(`textHash needs a text or category column, got ${c.type}`, this.column);
    const n = batch.length,
      present = new Uint8Array(n),
      indptr = new Int32Array(n + 1);
    let indices = new Int32Array(n * 8),
      counts = new Float64Array(n * 8),
      q = 0;
    for (let i = 0; i < n; i++) {
      if (validity.get(c.validity, i)) {
        present[i] = 1;
        const s = this.terms(c.dictionary.get(c.codes[i]!));
        if (q + s.length > indices.length) {
          const cap = Math.max(indices.length * 2, q + s.length);
          const ni = new Int32Array(cap);
          ni.set(indices);
          indices = ni;
          const nc = new Float64Array(cap);
          nc.set(counts);
          counts = nc;
        }
        for (let p = 0; p < s.length; ) {
          const slot = s[p]! >> 1;
          let v = 0;
          for (; p < s.length && s[p]! >> 1 === slot; p++) v += s[p]! & 1 ? -1 : 1;
          if (v !== 0) {
            indices[q] = slot;
            counts[q] = v;
            q++;
          }
        }
      }
      indptr[i + 1] = q;
    }
    return { indptr, indices: indices.slice(0, q), counts: counts.slice(0, q), present };
  }

  toJSON(): TransformState<HashedTfidfState> {
    const df: Array<[number, number]> = [];
    for (let s = 0; s < this.df.length; s++) if (this.df[s]) df.push([s, this.df[s]!]);
    return { kind: this.kind, state: { column: this.column, options: { ...this.options }, documents: this.documents, df } };
  }

  static fromJSON(s: TransformState<HashedTfidfState> | HashedTfidfState): HashedTfidf {
    const st = 'state' in s ? s.state : s;
    const t = new HashedTfidf(st.column, st.options);
    t.documents = st.documents;
    for (const [slot, c] of st.df) t.df[slot] = c;
    return t;
  }
}

import { type Batch, type Column, SpecError } from '../core/index.js';
import { OneHotVocabulary } from './OneHotVocabulary.js';
import type { Transform, TransformState } from './Transform.js';
import { trainMask } from './trainMask.js';

export interface OneHotOptions {
  /** Categories kept per column, in order of first appearance in training rows (default 100). */
  maxCategories?: number;
  /**
   * Add an "other" slot (the last) for values beyond `maxCategories` and values never seen in
   * training (default true). Without it those rows get an all-zero vector.
   */
  other?: boolean;
}

export interface OneHotState {
  columns: string[];
  maxCategories: number;
  other: boolean;
  vocabularies: Record<string, string[]>;
}

/** Arrays shared by the one-hot columns of one batch (see encode). */
interface Shared {
  indptr: Int32Array | null;
  ones: Float32Array | null;
}

/** Name of the "other" slot in a one-hot vector's `names`. */
const OTHER = '<other>';

/**
 * One-hot encoding with an online vocabulary. Each input column is replaced by a `vector` column
 * of fixed width `maxCategories (+1 other)` so a model's input size never changes as categories
 * arrive; `names` labels the slots (unfilled ones `#k`). A missing value gives an all-zero
 * vector: missing is not a category, and it is not "other" either. The output columns that give
 * every row a slot share one indptr (0..n) and one values array of ones, within a batch and across
 * batches of the same length, as Batch columns are never written in place.
 */
export class OneHot implements Transform<OneHotState> {
  readonly kind = 'oneHot';
  readonly maxCategories: number;
  readonly other: boolean;
  private readonly vocab = new Map<string, OneHotVocabulary>();
  private readonly labels = new Map<OneHotVocabulary, { size: number; names: readonly string[] }>();
  /** indptr 0..n and n ones of the last batch length seen (see encode). */
  private complete: { n: number; indptr: Int32Array; ones: Float32Array } | null = null;

  constructor(
    readonly columns: readonly string[],
    options: OneHotOptions = {},
    vocabularies: Record<string, readonly string[]> = {},
  ) {
    if (!Array.isArray(columns) || columns.length === 0 || columns.some((c) => typeof c !== 'string'))
      throw new SpecError('oneHot.columns', 'expected a non-empty list of column names');
    this.maxCategories = options.maxCategories ?? 100;
    if (!Number.isInteger(this.maxCategories) || this.maxCategories < 1)
      throw new SpecError('oneHot.maxCategories', `expected a positive integer, got ${String(options.maxCategories)}`);
    this.other = options.other ?? true;
    for (const c of columns) this.vocab.set(c, new OneHotVocabulary(this.maxCategories, vocabularies[c] ?? []));
  }

  get width(): number {
    return this.maxCategories + (this.other ? 1 : 0);
  }

  /** The categories learned so far for `column`, by slot. */
  categories(column: string): readonly string[] {
    return this.vocab.get(column)?.values ?? [];
  }

  learn(batch: Batch): void {
    const mask = trainMask(batch);
    for (const [name, v] of this.vocab) v.learn(batch.column(name), mask, name);
  }

  apply(batch: Batch): Batch {
    let out = batch;
    // indptr 0..n and n ones, shared by this batch's columns that give every row one slot.
    const shared: Shared = { indptr: null, ones: null };
    for (const [name, v] of this.vocab) {
      const ids = v.ids(batch.column(name), name);
      out = out.withColumn(name, this.encode(ids, v, shared, v.lastAllKnown), false);
    }
    return out;
  }

  /** `known`: every id is a vocabulary id already (OneHotVocabulary.lastAllKnown), so slotEvery has nothing to look at. */
  private encode(ids: Int32Array, v: OneHotVocabulary, shared: Shared, known: boolean): Column {
    const n = ids.length,
      otherSlot = this.other ? this.maxCategories : -1;
    // Common case first: every row has a slot (nothing missing; unknown values go to "other").
    // Then `ids` itself becomes `indices`, indptr is 0..n and values are n ones; both are shared
    // with the batch's other one-hot columns (columns are never written in place).
    if (known || slotEvery(ids, otherSlot)) {
      if (!shared.indptr) {
        // Batches of one length (a file's full batches) share one pair too: read-only, like any column.
        if (this.complete?.n !== n) this.complete = { n, indptr: identity(n), ones: new Float32Array(n).fill(1) };
        shared.indptr = this.complete.indptr;
        shared.ones = this.complete.ones;
      }
      return { type: 'vector', width: this.width, indptr: shared.indptr, indices: ids, values: shared.ones!, names: this.names(v), validity: null };
    }
    const indptr = new Int32Array(n + 1);
    const q = compact(ids, otherSlot, indptr);
    return {
      type: 'vector',
      width: this.width,
      indptr,
      indices: q === n ? ids : ids.slice(0, q),
      values: new Float32Array(q).fill(1),
      names: this.names(v),
      validity: null,
    };
  }

  /** Slot labels; rebuilt only when the vocabulary has grown (it only appends), else shared. */
  private names(v: OneHotVocabulary): readonly string[] {
    const cached = this.labels.get(v);
    if (cached && cached.size === v.values.length) return cached.names;
    const names: string[] = [];
    for (let k = 0; k < this.maxCategories; k++) names.push(v.values[k] ?? `#${k}`);
    if (this.other) names.push(OTHER);
    this.labels.set(v, { size: v.values.length, names });
    return names;
  }

  toJSON(): TransformState<OneHotState> {
    const vocabularies: Record<string, string[]> = {};
    for (const [name, v] of this.vocab) vocabularies[name] = v.toJSON();
    return { kind: this.kind, state: { columns: this.columns.slice(), maxCategories: this.maxCategories, other: this.other, vocabularies } };
  }

  static fromJSON(s: TransformState<OneHotState> | OneHotState): OneHot {
    const st = 'state' in s ? s.state : s;
    return new OneHot(st.columns, { maxCategories: st.maxCategories, other: st.other }, st.vocabularies);
  }
}

/**
 * Whether every row has a slot: ids >= 0, or -1 (outside the vocabulary) with an other slot,
 * which is written in place. Stops at the first row without one. A function of its own so the
 * loop is optimized with the function, not on-stack-replaced with the cold code after it.
 */
function slotEvery(ids: Int32Array, otherSlot: number): boolean {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id >= 0) continue;
    if (id !== -1 || otherSlot < 0) return false;
    ids[i] = otherSlot;
  }
  return true;
}

/** 0, 1, ..., n: the indptr of one entry per row. */
function identity(n: number): Int32Array {
  const p = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) p[i] = i;
  return p;
}

/**
 * Slots compacted into `ids` itself (q <= i), with indptr; returns the number kept. slotEvery may
 * have turned some -1 into the other slot already, which reads as that slot here. A function of
 * its own so the loop is not stack-compiled with the cold code after it.
 */
function compact(ids: Int32Array, otherSlot: number, indptr: Int32Array): number {
  let q = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const slot = id >= 0 ? id : id === -1 ? otherSlot : -1;
    if (slot >= 0) ids[q++] = slot;
    indptr[i + 1] = q;
  }
  return q;
}

import { type Batch, SpecError, validity } from '../core/index.js';
import { OneHotVocabulary } from './OneHotVocabulary.js';
import type { Transform, TransformState } from './Transform.js';
import { trainMask } from './trainMask.js';

export interface OrdinalOptions {
  /** Codes handed out per column, in order of first appearance in training rows (default 10000). */
  maxCategories?: number;
  /** Code for values never seen in training or beyond the cap (default -1). */
  unknown?: number;
}

export interface OrdinalState {
  columns: string[];
  maxCategories: number;
  unknown: number;
  vocabularies: Record<string, string[]>;
}

/**
 * Ordinal encoding: each category column becomes an `integer` column of 0-based codes in order of
 * first appearance in training rows. Unseen values get `unknown`; missing stays missing.
 */
export class Ordinal implements Transform<OrdinalState> {
  readonly kind = 'ordinal';
  readonly maxCategories: number;
  readonly unknown: number;
  private readonly vocab = new Map<string, OneHotVocabulary>();

  constructor(
    readonly columns: readonly string[],
    options: OrdinalOptions = {},
    vocabularies: Record<string, readonly string[]> = {},
  ) {
    if (!Array.isArray(columns) || columns.length === 0 || columns.some((c) => typeof c !== 'string'))
      throw new SpecError('ordinal.columns', 'expected a non-empty list of column names');
    this.maxCategories = options.maxCategories ?? 10_000;
    if (!Number.isInteger(this.maxCategories) || this.maxCategories < 1)
      throw new SpecError('ordinal.maxCategories', `expected a positive integer, got ${String(options.maxCategories)}`);
    this.unknown = options.unknown ?? -1;
    if (!Number.isInteger(this.unknown)) throw new SpecError('ordinal.unknown', `expected an integer, got ${String(options.unknown)}`);
    for (const c of columns) this.vocab.set(c, new OneHotVocabulary(this.maxCategories, vocabularies[c] ?? []));
  }

  learn(batch: Batch): void {
    const mask = trainMask(batch);
    for (const [name, v] of this.vocab) v.learn(batch.column(name), mask, name);
  }

  apply(batch: Batch): Batch {
    let out = batch;
    for (const [name, v] of this.vocab) {
      const ids = v.ids(batch.column(name), name);
      let bitmap: Uint8Array | null = null;
      for (let i = 0; i < ids.length; i++) {
        if (ids[i] === OneHotVocabulary.MISSING) {
          bitmap ??= validity.allocate(ids.length, 1);
          validity.set(bitmap, i, false);
          ids[i] = 0;
        } else if (ids[i] === -1) ids[i] = this.unknown;
      }
      out = out.withColumn(name, { type: 'integer', values: ids, validity: bitmap });
    }
    return out;
  }

  toJSON(): TransformState<OrdinalState> {
    const vocabularies: Record<string, string[]> = {};
    for (const [name, v] of this.vocab) vocabularies[name] = v.toJSON();
    return { kind: this.kind, state: { columns: this.columns.slice(), maxCategories: this.maxCategories, unknown: this.unknown, vocabularies } };
  }

  static fromJSON(s: TransformState<OrdinalState> | OrdinalState): Ordinal {
    const st = 'state' in s ? s.state : s;
    return new Ordinal(st.columns, { maxCategories: st.maxCategories, unknown: st.unknown }, st.vocabularies);
  }
}

import { type Batch, SpecError } from '../../core/index.js';
import type { Transform, TransformState } from '../Transform.js';
import { FOLD_COLUMN } from './FOLD_COLUMN.js';
import { rowKeyHashes } from './rowKeyHashes.js';

export interface KFoldState {
  k: number;
  key: string | null;
  seed: number;
}

/** Mixed into the seed so fold and split hashes of the same key are independent. */
const FOLD_SALT = 0x5bd1e995;

/**
 * Streaming k-fold assignment for prequential cross-validation: adds the integer FOLD_COLUMN,
 * floor(k · hash(key) / 2^32), so each key (or row id) always gets the same fold. Stateless.
 */
export class KFold implements Transform<KFoldState> {
  readonly kind = 'kfold';
  readonly key: string | undefined;
  readonly seed: number;

  constructor(
    readonly k: number,
    options: { key?: string; seed?: number } = {},
  ) {
    if (!Number.isInteger(k) || k < 2) throw new SpecError('kfold.k', `expected an integer >= 2, got ${String(k)}`);
    if (options.key !== undefined && typeof options.key !== 'string') throw new SpecError('kfold.key', 'expected a column name');
    this.key = options.key;
    this.seed = options.seed ?? 0;
    if (!Number.isInteger(this.seed)) throw new SpecError('kfold.seed', `expected an integer, got ${String(options.seed)}`);
  }

  learn(_batch: Batch): void {}

  apply(batch: Batch): Batch {
    const h = rowKeyHashes(batch, this.key, (this.seed ^ FOLD_SALT) | 0),
      n = batch.length,
      folds = new Int32Array(n);
    for (let i = 0; i < n; i++) folds[i] = Math.floor((h[i]! / 4294967296) * this.k);
    return batch.withColumn(FOLD_COLUMN, { type: 'integer', values: folds, validity: null }, false);
  }

  toJSON(): TransformState<KFoldState> {
    return { kind: this.kind, state: { k: this.k, key: this.key ?? null, seed: this.seed } };
  }

  static fromJSON(s: TransformState<KFoldState> | KFoldState): KFold {
    const st = 'state' in s ? s.state : s;
    return new KFold(st.k, { seed: st.seed, ...(st.key !== null ? { key: st.key } : {}) });
  }
}

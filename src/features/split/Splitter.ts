import { type Batch, type Column, SpecError, validity } from '../../core/index.js';
import { SPLIT_COLUMN } from '../SPLIT_COLUMN.js';
import type { Transform, TransformState } from '../Transform.js';
import { rowKeyHashes } from './rowKeyHashes.js';

export interface SplitOptions {
  /** Column whose value decides the split; default: the row id (stream position). */
  key?: string;
  /** [train, validation, test] (or [train, test]) summing to 1, or an object of the same. */
  fractions: readonly number[] | { train: number; validation?: number; test?: number };
  /** Class column whose proportions each split must keep (stratified split). */
  stratify?: string;
  seed?: number;
}

export interface SplitState {
  key: string | null;
  fractions: [number, number, number];
  stratify: string | null;
  seed: number;
  /** Stratified only: class → rows given to [train, validation, test] so far. */
  counts: Array<[string, [number, number, number]]>;
}

/**
 * How far (in rows) a stratified split lets one class's count in one split run ahead of its
 * quota before overriding the hash. Small keeps proportions within a row or two of exact;
 * non-zero keeps most rows on their hashed split.
 */
const SLACK = 2;

/**
 * Adds the integer SPLIT_COLUMN (0 train, 1 validation, 2 test). Plain: a seeded MurmurHash3 of
 * the key maps to [0, 1) and the fractions cut that interval, so the same key always lands in
 * the same split, in any batch or run. Stratified: the hash proposes a split, and a per-class
 * quota overrides it when that class would exceed its share of the split by more than SLACK
 * rows, so each class keeps its proportion in every split; the assignment then depends on
 * stream order too (still deterministic for a replay of the same stream).
 */
export class Splitter implements Transform<SplitState> {
  readonly kind = 'split';
  readonly fractions: [number, number, number];
  readonly key: string | undefined;
  readonly stratify: string | undefined;
  readonly seed: number;
  private readonly counts = new Map<string, [number, number, number]>();

  constructor(options: SplitOptions) {
    const f = options?.fractions;
    let fr: number[];
    if (Array.isArray(f)) fr = f.length === 2 ? [f[0]!, 0, f[1]!] : [...f];
    else if (f && typeof f === 'object')
      fr = [(f as { train: number }).train, (f as { validation?: number }).validation ?? 0, (f as { test?: number }).test ?? 0];
    else throw new SpecError('split.fractions', 'expected [train, validation, test] or { train, validation, test }');
    if (fr.length !== 3 || fr.some((x) => typeof x !== 'number' || !(x >= 0) || x > 1))
      throw new SpecError('split.fractions', `expected 2 or 3 fractions in [0, 1], got ${JSON.stringify(f)}`);
    const sum = fr[0]! + fr[1]! + fr[2]!;
    if (Math.abs(sum - 1) > 1e-9) throw new SpecError('split.fractions', `fractions must sum to 1, got ${sum}`);
    this.fractions = fr as [number, number, number];
    if (options.key !== undefined && typeof options.key !== 'string') throw new SpecError('split.key', 'expected a column name');
    if (options.stratify !== undefined && typeof options.stratify !== 'string') throw new SpecError('split.stratify', 'expected a column name');
    this.key = options.key;
    this.stratify = options.stratify;
    this.seed = options.seed ?? 0;
    if (!Number.isInteger(this.seed)) throw new SpecError('split.seed', `expected an integer, got ${String(options.seed)}`);
  }

  /** Splitting is decided per row as it passes; `apply` does it (and updates stratified quotas). */
  learn(_batch: Batch): void {}

  apply(batch: Batch): Batch {
    return batch.withColumn(SPLIT_COLUMN, { type: 'integer', values: this.assign(batch), validity: null }, false);
  }

  /** The split of every row of `batch`. */
  assign(batch: Batch): Int32Array {
    const n = batch.length,
      h = rowKeyHashes(batch, this.key, this.seed),
      out = new Int32Array(n);
    const [a, b] = this.fractions,
      cut1 = a,
      cut2 = a + b;
    for (let i = 0; i < n; i++) {
      const u = h[i]! / 4294967296;
      out[i] = u < cut1 ? 0 : u < cut2 ? 1 : 2;
    }
    if (this.stratify === undefined) return out;
    const cls = classKeys(batch.column(this.stratify));
    for (let i = 0; i < n; i++) {
      const k = cls[i]!;
      let c = this.counts.get(k);
      if (!c) {
        c = [0, 0, 0];
        this.counts.set(k, c);
      }
      const total = c[0] + c[1] + c[2] + 1;
      let s = out[i]!;
      if (c[s]! + 1 > this.fractions[s]! * total + SLACK) {
        // Over quota: give the row to the split furthest below its share.
        let best = 0,
          gap = -Infinity;
        for (let j = 0; j < 3; j++) {
          const g = this.fractions[j]! * total - c[j]!;
          if (this.fractions[j]! > 0 && g > gap) {
            gap = g;
            best = j;
          }
        }
        s = best;
      }
      c[s]!++;
      out[i] = s;
    }
    return out;
  }

  toJSON(): TransformState<SplitState> {
    return {
      kind: this.kind,
      state: {
        key: this.key ?? null,
        fractions: [...this.fractions],
        stratify: this.stratify ?? null,
        seed: this.seed,
        counts: [...this.counts].map(([k, c]) => [k, [...c]]),
      },
    };
  }

  static fromJSON(s: TransformState<SplitState> | SplitState): Splitter {
    const st = 'state' in s ? s.state : s;
    const sp = new Splitter({
      fractions: st.fractions,
      seed: st.seed,
      ...(st.key !== null ? { key: st.key } : {}),
      ...(st.stratify !== null ? { stratify: st.stratify } : {}),
    });
    for (const [k, c] of st.counts) sp.counts.set(k, [...c]);
    return sp;
  }
}

/** The class of each row as a string key; missing is its own class. */
function classKeys(c: Column): string[] {
  const n = c.type === 'vector' ? c.indptr.length - 1 : 'codes' in c ? c.codes.length : c.values.length;
  const out: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    if (!validity.get(c.validity, i)) {
      out[i] = '\0missing';
      continue;
    }
    switch (c.type) {
      case 'category':
      case 'text':
        out[i] = c.dictionary.get(c.codes[i]!);
        break;
      case 'vector':
        out[i] = '\0vector';
        break;
      default:
        out[i] = String(c.values[i]);
    }
  }
  return out;
}

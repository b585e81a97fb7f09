import { type Batch, type Column, SchemaError, SpecError, type StringDictionary, validity } from '../core/index.js';
import type { NonFinitePolicy } from './expr/NonFinitePolicy.js';
import { numericColumn } from './expr/numericColumn.js';
import type { Transform, TransformState } from './Transform.js';
import { trainMask } from './trainMask.js';

export interface TargetEncoderOptions {
  /** Numeric or boolean target column. */
  target: string;
  /** Pseudo-count pulling each category toward the global mean (default 10). */
  smoothing?: number;
  /** Categories tracked per column; later new ones are encoded with the global mean (default 100000). */
  maxCategories?: number;
  /** Present NaN/±Infinity targets: 'missing' (the row updates nothing; default) or 'error'. */
  nonFinite?: NonFinitePolicy;
}

export interface TargetEncoderState {
  columns: string[];
  target: string;
  smoothing: number;
  maxCategories: number;
  nonFinite: NonFinitePolicy;
  count: number;
  sum: number;
  /** Per column: [category, count, sum of targets]. */
  stats: Record<string, Array<[string, number, number]>>;
}

interface ColumnStats {
  index: Map<string, number>;
  keys: string[];
  count: number[];
  sum: number[];
  codes: WeakMap<StringDictionary, Int32Array>;
}

/**
 * Leak-free online target encoding: a category becomes (sum + m·mean) / (count + m), the smoothed
 * mean target of that category. A training row is encoded with the statistics of the rows BEFORE
 * it (computed in `learn`, in stream order, before the row is added), so its own label never
 * reaches its feature. Other rows use the statistics as they stand. Missing and unseen
 * categories get the global mean; before any target is seen the output is missing.
 */
export class TargetEncoder implements Transform<TargetEncoderState> {
  readonly kind = 'targetEncode';
  readonly target: string;
  readonly smoothing: number;
  readonly maxCategories: number;
  readonly nonFinite: NonFinitePolicy;
  private count = 0;
  private sum = 0;
  private readonly stats = new Map<string, ColumnStats>();
  /** Encodings of the training rows of the batch just learned, keyed by batch. */
  private readonly pending = new WeakMap<Batch, Float64Array[]>();

  constructor(
    readonly columns: readonly string[],
    options: TargetEncoderOptions,
  ) {
    if (!Array.isArray(columns) || columns.length === 0 || columns.some((c) => typeof c !== 'string'))
      throw new SpecError('targetEncode.columns', 'expected a non-empty list of column names');
    if (typeof options?.target !== 'string') throw new SpecError('targetEncode.target', 'expected the name of the target column');
    if (columns.includes(options.target)) throw new SpecError('targetEncode.target', `the target "${options.target}" cannot also be an encoded column`);
    this.target = options.target;
    this.smoothing = options.smoothing ?? 10;
    if (!(this.smoothing >= 0) || !Number.isFinite(this.smoothing))
      throw new SpecError('targetEncode.smoothing', `expected a finite number >= 0, got ${String(options.smoothing)}`);
    this.maxCategories = options.maxCategories ?? 100_000;
    if (!Number.isInteger(this.maxCategories) || this.maxCategories < 1)
      throw new SpecError('targetEncode.maxCategories', `expected a positive integer, got ${String(options.maxCategories)}`);
    this.nonFinite = options.nonFinite ?? 'missing';
    if (this.nonFinite !== 'missing' && this.nonFinite !== 'error')
      throw new SpecError('targetEncode.nonFinite', `expected 'missing' or 'error', got ${String(options.nonFinite)}`);
    for (const c of columns) this.stats.set(c, { index: new Map(), keys: [], count: [], sum: [], codes: new WeakMap() });
  }

  learn(batch: Batch): void {
    const mask = trainMask(batch);
    const y = numericColumn(batch, this.target, this.nonFinite, 'targetEncode');
    const n = batch.length;
    const cols = this.columns.map((name) => ({ st: this.stats.get(name)!, ids: this.ids(batch, name, true, mask), out: new Float64Array(n).fill(NaN) }));
    for (let i = 0; i < n; i++) {
      if (mask && !mask[i]) continue;
      for (const c of cols) c.out[i] = this.encodeOne(c.st, c.ids[i]!);
      const t = y[i]!;
      if (t !== t) continue;
      this.count++;
      this.sum += t;
      for (const c of cols) {
        const id = c.ids[i]!;
        if (id >= 0) {
          c.st.count[id]!++;
          c.st.sum[id]! += t;
        }
      }
    }
    this.pending.set(
      batch,
      cols.map((c) => c.out),
    );
  }

  apply(batch: Batch): Batch {
    const pre = this.pending.get(batch);
    this.pending.delete(batch);
    const mask = pre ? trainMask(batch) : null;
    let out = batch;
    this.columns.forEach((name, j) => {
      const st = this.stats.get(name)!,
        ids = this.ids(batch, name, false, null),
        n = batch.length;
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = pre && (!mask || mask[i]) ? pre[j]![i]! : this.encodeOne(st, ids[i]!);
      let bitmap: Uint8Array | null = null;
      for (let i = 0; i < n; i++)
        if (values[i] !== values[i]) {
          bitmap ??= validity.allocate(n, 1);
          validity.set(bitmap, i, false);
        }
      out = out.withColumn(name, { type: 'number', values, validity: bitmap });
    });
    return out;
  }

  private encodeOne(st: ColumnStats, id: number): number {
    if (this.count === 0) return NaN;
    const mean = this.sum / this.count;
    if (id < 0 || st.count[id] === 0) return mean;
    return (st.sum[id]! + this.smoothing * mean) / (st.count[id]! + this.smoothing);
  }

  /** Category ids per row (-1 unseen, -2 missing); `add` creates ids for training rows. */
  private ids(batch: Batch, name: string, add: boolean, mask: Uint8Array | null): Int32Array {
    const c: Column = batch.column(name),
      st = this.stats.get(name)!,
      n = batch.length,
      out = new Int32Array(n);
    const resolve = (key: string, train: boolean): number => {
      let id = st.index.get(key);
      if (id === undefined) {
        if (!train || st.keys.length >= this.maxCategories) return -1;
        id = st.keys.length;
        st.index.set(key, id);
        st.keys.push(key);
        st.count.push(0);
        st.sum.push(0);
      }
      return id;
    };
    if (c.type === 'category' || c.type === 'text') {
      let table = st.codes.get(c.dictionary);
      if (!table || table.length < c.dictionary.size) {
        const grown = new Int32Array(Math.max(16, c.dictionary.size * 2)).fill(-1);
        if (table) grown.set(table);
        st.codes.set(c.dictionary, grown);
        table = grown;
      }
      for (let i = 0; i < n; i++) {
        if (!validity.get(c.validity, i)) {
          out[i] = -2;
          continue;
        }
        const code = c.codes[i]!;
        let id = table[code]!;
        if (id < 0) {
          id = resolve(c.dictionary.get(code), add && (!mask || mask[i] === 1));
          if (id >= 0) table[code] = id;
        }
        out[i] = id;
      }
      return out;
    }
    if (c.type === 'integer' || c.type === 'boolean') {
      for (let i = 0; i < n; i++)
        out[i] = validity.get(c.validity, i) ? resolve(String(c.type === 'boolean' ? c.values[i] === 1 : c.values[i]), add && (!mask || mask[i] === 1)) : -2;
      return out;
    }
    throw new SchemaError(`targetEncode needs a category, text, integer or boolean column, got ${c.type}`, name);
  }

  toJSON(): TransformState<TargetEncoderState> {
    const stats: TargetEncoderState['stats'] = {};
    for (const [name, st] of this.stats) stats[name] = st.keys.map((k, i) => [k, st.count[i]!, st.sum[i]!]);
    return {
      kind: this.kind,
      state: {
        columns: this.columns.slice(),
        target: this.target,
        smoothing: this.smoothing,
        maxCategories: this.maxCategories,
        nonFinite: this.nonFinite,
        count: this.count,
        sum: this.sum,
        stats,
      },
    };
  }

  static fromJSON(s: TransformState<TargetEncoderState> | TargetEncoderState): TargetEncoder {
    const st = 'state' in s ? s.state : s;
    const t = new TargetEncoder(st.columns, st);
    t.count = st.count;
    t.sum = st.sum;
    for (const [name, rows] of Object.entries(st.stats)) {
      const cs = t.stats.get(name);
      if (!cs) continue;
      for (const [k, c, sm] of rows) {
        cs.index.set(k, cs.keys.length);
        cs.keys.push(k);
        cs.count.push(c);
        cs.sum.push(sm);
      }
    }
    return t;
  }
}

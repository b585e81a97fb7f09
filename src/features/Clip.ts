import { type BadRows, type Batch, SpecError } from '../core/index.js';
import { type NonFinitePolicy, numericInput } from './numericInput.js';
import { type RowReject, rejectRows } from './rejectRows.js';
import { QuantileSketch, type QuantileSketchState } from './sketches/QuantileSketch.js';
import { RunningMoments, type RunningMomentsState } from './sketches/RunningMoments.js';
import type { Transform, TransformState } from './Transform.js';
import { trainMask } from './trainMask.js';

export type ClipMethod = 'zscore' | 'quantile';

export interface ClipOptions {
  columns: readonly string[];
  /** zscore: [mean - z·std, mean + z·std]; quantile: [q(lower), q(upper)]. Default zscore. */
  method?: ClipMethod;
  /** Width of the z-score band in standard deviations (default 3). */
  z?: number;
  /** Quantile bounds (defaults 0.01 and 0.99). */
  lower?: number;
  upper?: number;
  nonFinite?: NonFinitePolicy;
  /** Bad-row policy for `nonFinite: 'error'`; without it the first bad row throws. Not serialized. */
  badRows?: BadRows | null;
  /** KLL parameter for the quantile method. */
  k?: number;
}

export interface ClipState {
  columns: string[];
  method: ClipMethod;
  z: number;
  lower: number;
  upper: number;
  nonFinite: NonFinitePolicy;
  k: number;
  moments: Record<string, RunningMomentsState> | null;
  sketches: Record<string, QuantileSketchState> | null;
}

/**
 * Clamps outliers of numeric columns to bounds learned from training rows only: a z-score band
 * around the mean, or quantile bounds from a KLL sketch (rank error in QuantileSketch). Output
 * columns are `number`; missing stays missing. No training rows yet: values pass unchanged.
 */
export class Clip implements Transform<ClipState> {
  readonly kind = 'clip';
  readonly columns: readonly string[];
  readonly method: ClipMethod;
  readonly z: number;
  readonly lower: number;
  readonly upper: number;
  readonly nonFinite: NonFinitePolicy;
  readonly k: number;
  badRows: BadRows | null;
  private readonly moments = new Map<string, RunningMoments>();
  private readonly sketches = new Map<string, QuantileSketch>();

  constructor(options: ClipOptions) {
    if (!Array.isArray(options.columns) || options.columns.length === 0 || !options.columns.every((c) => typeof c === 'string')) {
      throw new SpecError('clip.columns', `expected a non-empty list of column names, got ${JSON.stringify(options.columns)}`);
    }
    const method = options.method ?? 'zscore';
    if (method !== 'zscore' && method !== 'quantile') throw new SpecError('clip.method', `expected one of zscore|quantile, got ${JSON.stringify(method)}`);
    const z = options.z ?? 3,
      lower = options.lower ?? 0.01,
      upper = options.upper ?? 0.99;
    if (!(z > 0) || !Number.isFinite(z)) throw new SpecError('clip.z', `expected a positive number, got ${z}`);
    if (!(lower >= 0 && lower < 1)) throw new SpecError('clip.lower', `expected a quantile in [0, 1), got ${lower}`);
    if (!(upper > lower && upper <= 1)) throw new SpecError('clip.upper', `expected a quantile in (lower, 1], got ${upper}`);
    this.columns = options.columns.slice();
    this.method = method;
    this.z = z;
    this.lower = lower;
    this.upper = upper;
    this.nonFinite = numericInput.policy(options.nonFinite, 'clip.nonFinite');
    this.k = options.k ?? 200;
    this.badRows = options.badRows ?? null;
    for (const c of this.columns) {
      if (method === 'zscore') this.moments.set(c, new RunningMoments());
      else this.sketches.set(c, new QuantileSketch(this.k));
    }
  }

  learn(batch: Batch): void {
    const train = trainMask(batch);
    for (const name of this.columns) {
      const { values, ok } = numericInput.read(batch, name, 'clip');
      if (train) for (let i = 0; i < ok.length; i++) ok[i]! &= train[i]!;
      this.moments.get(name)?.addMany(values, ok, batch.length);
      this.sketches.get(name)?.addMany(values, ok, batch.length);
    }
  }

  /** The [lo, hi] bounds for `name` (±Infinity before any training row). */
  bounds(name: string): { lo: number; hi: number } {
    if (this.method === 'zscore') {
      const m = this.moments.get(name);
      if (!m) throw new SpecError('clip.columns', `column ${JSON.stringify(name)} is not clipped`);
      if (m.count === 0) return { lo: -Infinity, hi: Infinity };
      return { lo: m.mean - this.z * m.std, hi: m.mean + this.z * m.std };
    }
    const q = this.sketches.get(name);
    if (!q) throw new SpecError('clip.columns', `column ${JSON.stringify(name)} is not clipped`);
    if (q.n === 0) return { lo: -Infinity, hi: Infinity };
    return { lo: q.quantile(this.lower), hi: q.quantile(this.upper) };
  }

  apply(batch: Batch): Batch {
    let out = batch;
    const rejects: RowReject[] = [];
    for (const name of this.columns) {
      const { values, ok, nonFinite } = numericInput.read(batch, name, 'clip');
      if (this.nonFinite === 'error')
        for (const i of nonFinite) rejects.push({ row: i, reason: 'non-finite', field: name, value: String(values[i]), detail: 'clip: non-finite number' });
      const { lo, hi } = this.bounds(name);
      const y = new Float64Array(batch.length);
      for (let i = 0; i < y.length; i++)
        if (ok[i]) {
          const x = values[i]!;
          y[i] = x < lo ? lo : x > hi ? hi : x;
        }
      out = out.withColumn(name, numericInput.output(y, ok));
    }
    return rejectRows(out, rejects, this.badRows, 'clip');
  }

  toJSON(): TransformState<ClipState> {
    return {
      kind: this.kind,
      state: {
        columns: this.columns.slice(),
        method: this.method,
        z: this.z,
        lower: this.lower,
        upper: this.upper,
        nonFinite: this.nonFinite,
        k: this.k,
        moments: this.method === 'zscore' ? Object.fromEntries([...this.moments].map(([c, m]) => [c, m.toJSON()])) : null,
        sketches: this.method === 'quantile' ? Object.fromEntries([...this.sketches].map(([c, q]) => [c, q.toJSON()])) : null,
      },
    };
  }

  static fromJSON(json: TransformState<ClipState>): Clip {
    const s = json.state;
    const t = new Clip({ columns: s.columns, method: s.method, z: s.z, lower: s.lower, upper: s.upper, nonFinite: s.nonFinite, k: s.k });
    for (const c of s.columns) {
      if (s.moments) t.moments.set(c, RunningMoments.fromJSON(s.moments[c]!));
      if (s.sketches) t.sketches.set(c, QuantileSketch.fromJSON(s.sketches[c]!));
    }
    return t;
  }
}

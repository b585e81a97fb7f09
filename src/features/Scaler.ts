import { type BadRows, type Batch, type Column, SpecError } from '../core/index.js';
import { type NonFinitePolicy, numericInput } from './numericInput.js';
import { type RowReject, rejectRows } from './rejectRows.js';
import { QuantileSketch, type QuantileSketchState } from './sketches/QuantileSketch.js';
import { RunningMoments, type RunningMomentsState } from './sketches/RunningMoments.js';
import type { Transform, TransformState } from './Transform.js';
import { trainMask } from './trainMask.js';

export type ScaleMethod = 'standard' | 'minmax' | 'maxabs' | 'robust';
const METHODS: readonly ScaleMethod[] = ['standard', 'minmax', 'maxabs', 'robust'];

export interface ScalerOptions {
  columns: readonly string[];
  /** standard: (x-mean)/std; minmax: (x-min)/(max-min); maxabs: x/max|x|; robust: (x-median)/IQR. */
  method?: ScaleMethod;
  /** NaN/±Infinity: treated as missing (default), or bad input under the bad-row policy. */
  nonFinite?: NonFinitePolicy;
  /** Bad-row policy for `nonFinite: 'error'`; without it the first bad row throws. Not serialized. */
  badRows?: BadRows | null;
  /** KLL parameter of the robust scaler's quantile sketches. */
  k?: number;
}

export interface ScalerState {
  columns: string[];
  method: ScaleMethod;
  nonFinite: NonFinitePolicy;
  k: number;
  moments: Record<string, RunningMomentsState>;
  sketches: Record<string, QuantileSketchState> | null;
}

/**
 * Scales numeric columns with statistics learned from training rows only: standard (Welford /
 * Chan moments, stable under large offsets), min-max, max-abs, or robust (median and
 * interquartile range from KLL sketches, rank error in QuantileSketch). Output columns are
 * `number`; missing stays missing. A zero spread (constant column) divides by 1, and a column
 * with no training rows yet passes through unscaled (center 0, scale 1).
 */
export class Scaler implements Transform<ScalerState> {
  readonly kind = 'scale';
  readonly columns: readonly string[];
  readonly method: ScaleMethod;
  readonly nonFinite: NonFinitePolicy;
  readonly k: number;
  badRows: BadRows | null;
  private readonly moments = new Map<string, RunningMoments>();
  private readonly sketches = new Map<string, QuantileSketch>();

  constructor(options: ScalerOptions) {
    if (!Array.isArray(options.columns) || options.columns.length === 0 || !options.columns.every((c) => typeof c === 'string')) {
      throw new SpecError('scale.columns', `expected a non-empty list of column names, got ${JSON.stringify(options.columns)}`);
    }
    const method = options.method ?? 'standard';
    if (!METHODS.includes(method)) throw new SpecError('scale.method', `expected one of ${METHODS.join('|')}, got ${JSON.stringify(method)}`);
    this.columns = options.columns.slice();
    this.method = method;
    this.nonFinite = numericInput.policy(options.nonFinite, 'scale.nonFinite');
    this.k = options.k ?? 200;
    this.badRows = options.badRows ?? null;
    for (const c of this.columns) {
      this.moments.set(c, new RunningMoments());
      if (method === 'robust') this.sketches.set(c, new QuantileSketch(this.k));
    }
  }

  learn(batch: Batch): void {
    const train = trainMask(batch);
    for (const name of this.columns) {
      const c = batch.column(name);
      // No mask, no bitmap, no sketch: one sum tells whether every value is finite.
      if (
        !train &&
        c.validity === null &&
        c.type !== 'vector' &&
        !('codes' in c) &&
        this.method !== 'robust' &&
        this.moments.get(name)!.addAllFinite(c.values, batch.length)
      )
        continue;
      const { values, ok, allOk } = numericInput.read(batch, name, 'scale');
      if (train) for (let i = 0; i < ok.length; i++) ok[i]! &= train[i]!;
      // Without a mask the moments run the unmasked loop (same sums, fewer loads).
      this.moments.get(name)!.addMany(values, allOk && !train ? null : ok, batch.length);
      this.sketches.get(name)?.addMany(values, ok, batch.length);
    }
  }

  /** The (center, scale) pair applied to `name`: y = (x - center) / scale. */
  params(name: string): { center: number; scale: number } {
    const m = this.moments.get(name);
    if (!m) throw new SpecError('scale.columns', `column ${JSON.stringify(name)} is not scaled`);
    if (m.count === 0) return { center: 0, scale: 1 };
    let center = 0,
      scale = 1;
    switch (this.method) {
      case 'standard':
        center = m.mean;
        scale = m.std;
        break;
      case 'minmax':
        center = m.min;
        scale = m.max - m.min;
        break;
      case 'maxabs':
        scale = Math.max(Math.abs(m.min), Math.abs(m.max));
        break;
      case 'robust': {
        const q = this.sketches.get(name)!;
        center = q.quantile(0.5);
        scale = q.quantile(0.75) - q.quantile(0.25);
        break;
      }
    }
    // A spread that overflowed (one 1e308 cell squares to infinity or NaN) is bounded by the range, so the
    // output stays finite and ordered instead of passing the huge raw values through (scale 1).
    if (!Number.isFinite(scale) && Number.isFinite(m.min) && Number.isFinite(m.max))
      scale = Number.isFinite(m.max - m.min) && m.max > m.min ? m.max - m.min : Number.MAX_VALUE;
    return { center, scale: scale > 0 && Number.isFinite(scale) ? scale : 1 };
  }

  apply(batch: Batch): Batch {
    // Scaled columns, set at once at the end (one schema, not one per column).
    const set: Array<{ name: string; column: Column }> = [];
    const rejects: RowReject[] = [];
    const n = batch.length;
    // The outputs of the one-pass case are cut from one allocation: hundreds of columns of a wide
    // batch are then one buffer to allocate, zero and collect, not hundreds.
    const slab = new Float64Array(n * this.columns.length);
    let used = 0;
    for (const name of this.columns) {
      const c = batch.column(name);
      if (c.validity === null && (c.type === 'number' || c.type === 'integer' || c.type === 'datetime')) {
        // No bitmap: scale in one pass; keep it when every input was finite, else redo below.
        const { center, scale } = this.params(name);
        const y = slab.subarray(used * n, (used + 1) * n);
        if (c.type === 'integer' ? scaleI32(c.values, y, center, scale) : scaleF64(c.values, y, center, scale)) {
          set.push({ name, column: { type: 'number', values: y, validity: null } });
          used++;
          continue;
        }
      }
      const { values, ok, allOk, nonFinite } = numericInput.read(batch, name, 'scale');
      if (this.nonFinite === 'error')
        for (const i of nonFinite) rejects.push({ row: i, reason: 'non-finite', field: name, value: String(values[i]), detail: 'scale: non-finite number' });
      const { center, scale } = this.params(name);
      const y = new Float64Array(batch.length);
      // One loop per array kind keeps each monomorphic; rows not ok become NaN in output().
      if (values instanceof Float64Array) scaleF64(values, y, center, scale);
      else if (values instanceof Int32Array) scaleI32(values, y, center, scale);
      else for (let i = 0; i < y.length; i++) y[i] = (values[i]! - center) / scale;
      set.push({ name, column: numericInput.output(y, ok, allOk) });
    }
    return rejectRows(batch.withColumns(set), rejects, this.badRows, 'scale');
  }

  toJSON(): TransformState<ScalerState> {
    return {
      kind: this.kind,
      state: {
        columns: this.columns.slice(),
        method: this.method,
        nonFinite: this.nonFinite,
        k: this.k,
        moments: Object.fromEntries([...this.moments].map(([c, m]) => [c, m.toJSON()])),
        sketches: this.method === 'robust' ? Object.fromEntries([...this.sketches].map(([c, q]) => [c, q.toJSON()])) : null,
      },
    };
  }

  static fromJSON(json: TransformState<ScalerState>): Scaler {
    const s = json.state;
    const t = new Scaler({ columns: s.columns, method: s.method, nonFinite: s.nonFinite, k: s.k });
    for (const c of s.columns) {
      t.moments.set(c, RunningMoments.fromJSON(s.moments[c]!));
      if (s.sketches) t.sketches.set(c, QuantileSketch.fromJSON(s.sketches[c]!));
    }
    return t;
  }
}

/** y = (x - center) / scale; returns whether every x is finite. */
function scaleF64(x: Float64Array, y: Float64Array, center: number, scale: number): boolean {
  let finite = true;
  for (let i = 0; i < y.length; i++) {
    const v = x[i]!;
    if (v - v !== 0) finite = false;
    y[i] = (v - center) / scale;
  }
  return finite;
}

function scaleI32(x: Int32Array, y: Float64Array, center: number, scale: number): boolean {
  for (let i = 0; i < y.length; i++) y[i] = (x[i]! - center) / scale;
  return true;
}

import { type Batch, type Column, SchemaError, SpecError } from '../core/index.js';
import { numericInput } from './numericInput.js';
import { RunningMoments, type RunningMomentsState } from './sketches/RunningMoments.js';
import type { Transform, TransformState } from './Transform.js';
import { trainMask } from './trainMask.js';
import { transformRegistry } from './transformRegistry.js';

export interface ImputeStandardizeOptions {
  /** Number or integer columns: missing and NaN/±Infinity filled with the mean, then standardized. */
  columns: readonly string[];
  /** The subset of `columns` that gets sign(x)·ln(1 + |x|) first. */
  log1p?: readonly string[];
}

export interface ImputeStandardizeState {
  columns: string[];
  log1p: string[];
  /** Per column: the moments behind the fill (the mean of present values). */
  impute: Record<string, RunningMomentsState>;
  /** Per column: the moments behind the scaling (of the values after filling). */
  scale: Record<string, RunningMomentsState>;
}

type NumberColumn = Extract<Column, { type: 'number' | 'integer' }>;

/**
 * `log1p` (for the columns asked) → `impute` mean → `standardize`, as one step with the same
 * outputs and the same statistics as the three chained (tests hold it to that, bit for bit). The
 * three read and write every cell of a wide batch five to seven times and allocate per column;
 * here a clean column (no bitmap, every value finite, no split mask) is read once, its logs and
 * statistics stay in a per-batch slab in cache, and the scaled values are written there in place.
 * Other columns take the general path, which runs the three steps' logic column by column.
 */
export class ImputeStandardize implements Transform<ImputeStandardizeState> {
  readonly kind = 'imputeStandardize';
  readonly columns: readonly string[];
  readonly log1p: readonly string[];
  private readonly logged: Uint8Array;
  private readonly fills: RunningMoments[];
  private readonly scales: RunningMoments[];
  /** The batch learned last, its slab, and which columns took the clean path (their slab rows hold log values). */
  private lastLearned: Batch | null = null;
  private slab: Float64Array | null = null;
  private clean: Uint8Array;
  private readonly batchMoments = new RunningMoments();

  constructor(options: ImputeStandardizeOptions) {
    const cols = options?.columns;
    if (!Array.isArray(cols) || cols.length === 0 || !cols.every((c) => typeof c === 'string'))
      throw new SpecError('imputeStandardize.columns', `expected a non-empty list of column names, got ${JSON.stringify(cols)}`);
    if (new Set(cols).size !== cols.length) throw new SpecError('imputeStandardize.columns', 'expected each column once');
    const log = options.log1p ?? [];
    if (!Array.isArray(log) || !log.every((c) => typeof c === 'string' && cols.includes(c)))
      throw new SpecError('imputeStandardize.log1p', `expected a list of columns among imputeStandardize.columns, got ${JSON.stringify(log)}`);
    this.columns = cols.slice();
    this.log1p = log.slice();
    const logSet = new Set(log);
    this.logged = Uint8Array.from(this.columns, (c) => (logSet.has(c) ? 1 : 0));
    this.fills = this.columns.map(() => new RunningMoments());
    this.scales = this.columns.map(() => new RunningMoments());
    this.clean = new Uint8Array(this.columns.length);
  }

  learn(batch: Batch): void {
    const n = batch.length,
      k = this.columns.length;
    const train = trainMask(batch);
    const slab = new Float64Array(n * k);
    const clean = new Uint8Array(k);
    const b = this.batchMoments;
    for (let j = 0; j < k; j++) {
      const name = this.columns[j]!;
      const c = numberColumn(batch, name);
      const seg = slab.subarray(j * n, (j + 1) * n);
      if (!train && c.validity === null) {
        // Impute's and Scaler's statistics of a clean column: the same batch summary merged
        // into both (what each would add on its own), except that impute sums an integer
        // column's raw values in one exact pass while the scaler sums their float copy.
        reset(b);
        if (this.logged[j]) {
          if (logSummary(c.values, seg, n, b)) {
            this.fills[j]!.merge(b);
            this.scales[j]!.merge(b);
            clean[j] = 1;
            continue;
          }
        } else if (c.type === 'integer') {
          if (!intSummaries(c.values, n, b, this.fills[j]!, this.scales[j]!)) {
            b.addAllFinite(c.values, n);
            this.fills[j]!.merge(b);
            reset(b);
            b.addMany(c.values, null, n);
            this.scales[j]!.merge(b);
          }
          clean[j] = 1;
          continue;
        } else if (b.addAllFinite(c.values, n)) {
          this.fills[j]!.merge(b);
          this.scales[j]!.merge(b);
          clean[j] = 1;
          continue;
        }
      }
      this.learnGeneral(j, c, n, train);
    }
    this.lastLearned = batch;
    this.slab = slab;
    this.clean = clean;
  }

  apply(batch: Batch): Batch {
    const n = batch.length,
      k = this.columns.length;
    const cached = batch === this.lastLearned;
    const slab = cached ? this.slab! : new Float64Array(n * k);
    // The slab is handed out with the batch: the next learn allocates its own.
    this.lastLearned = this.slab = null;
    const set: Array<{ name: string; column: Column }> = [];
    for (let j = 0; j < k; j++) {
      const name = this.columns[j]!;
      const c = numberColumn(batch, name);
      const seg = slab.subarray(j * n, (j + 1) * n);
      const { center, scale } = this.params(j);
      if (cached ? this.clean[j] : c.validity === null) {
        if (!this.logged[j]) {
          if (c.type === 'integer') scaleI32(c.values, seg, center, scale, n);
          else if (!scaleF64(c.values, seg, center, scale, n)) {
            set.push({ name, column: this.applyGeneral(j, c, n) });
            continue;
          }
          set.push({ name, column: { type: 'number', values: seg, validity: null } });
          continue;
        }
        if (!cached) logInto(c.values, seg, n);
        if (cached || allFinite(seg, n)) {
          scaleF64(seg, seg, center, scale, n);
          set.push({ name, column: { type: 'number', values: seg, validity: null } });
          continue;
        }
      }
      set.push({ name, column: this.applyGeneral(j, c, n) });
    }
    return batch.withColumns(set);
  }

  /** Log1p, then Impute.learn and apply, then Scaler.learn, for column j (any bitmap, values or mask). */
  private learnGeneral(j: number, c: NumberColumn, n: number, train: Uint8Array | null): void {
    const x = this.logged[j] ? logged(c, n) : c;
    addMoments(this.fills[j]!, x, n, train);
    addMoments(this.scales[j]!, this.filled(j, x, n), n, train);
  }

  /** Log1p, Impute.apply and Scaler.apply for column j. */
  private applyGeneral(j: number, c: NumberColumn, n: number): Column {
    const f = this.filled(j, this.logged[j] ? logged(c, n) : c, n);
    const { center, scale } = this.params(j);
    const y = new Float64Array(n);
    if (f.validity === null && (f.type === 'integer' ? scaleI32(f.values, y, center, scale, n) : scaleF64(f.values, y, center, scale, n)))
      return { type: 'number', values: y, validity: null };
    const { ok, allOk } = readOk(f, n);
    if (f.type === 'integer') scaleI32(f.values, y, center, scale, n);
    else scaleF64(f.values, y, center, scale, n);
    return numericInput.output(y, ok, allOk);
  }

  /** Impute.apply (mean): missing and non-finite cells take the fill; none yet leaves them missing. */
  private filled(j: number, c: NumberColumn, n: number): NumberColumn {
    if (c.validity === null && (c.type === 'integer' || allFinite(c.values, n)))
      return c.type === 'integer' ? { type: 'number', values: Float64Array.from(c.values), validity: null } : c;
    const m = this.fills[j]!;
    const fill = m.count ? m.mean : null;
    const { ok, allOk } = readOk(c, n);
    const y = new Float64Array(n);
    y.set(c.values);
    if (!allOk && fill !== null) for (let i = 0; i < n; i++) if (!ok[i]) y[i] = fill;
    return numericInput.output(y, ok, allOk || fill !== null) as NumberColumn;
  }

  /** Scaler.params for `standard`: y = (x - center) / scale. */
  private params(j: number): { center: number; scale: number } {
    const m = this.scales[j]!;
    if (m.count === 0) return { center: 0, scale: 1 };
    const center = m.mean;
    let scale = m.std;
    if (!Number.isFinite(scale) && Number.isFinite(m.min) && Number.isFinite(m.max))
      scale = Number.isFinite(m.max - m.min) && m.max > m.min ? m.max - m.min : Number.MAX_VALUE;
    return { center, scale: scale > 0 && Number.isFinite(scale) ? scale : 1 };
  }

  /** The mean that fills column `name` now (null before any value is learned), and its (center, scale). */
  describe(name: string): { fill: number | null; center: number; scale: number } {
    const j = this.columns.indexOf(name);
    if (j < 0) throw new SpecError('imputeStandardize.columns', `column ${JSON.stringify(name)} is not in this step`);
    const m = this.fills[j]!;
    return { fill: m.count ? m.mean : null, ...this.params(j) };
  }

  toJSON(): TransformState<ImputeStandardizeState> {
    const impute: Record<string, RunningMomentsState> = {},
      scale: Record<string, RunningMomentsState> = {};
    this.columns.forEach((c, j) => {
      impute[c] = this.fills[j]!.toJSON();
      scale[c] = this.scales[j]!.toJSON();
    });
    return { kind: this.kind, state: { columns: this.columns.slice(), log1p: this.log1p.slice(), impute, scale } };
  }

  static fromJSON(json: TransformState<ImputeStandardizeState>): ImputeStandardize {
    const s = json.state;
    const t = new ImputeStandardize({ columns: s.columns, log1p: s.log1p });
    s.columns.forEach((c, j) => {
      if (s.impute[c]) t.fills[j] = RunningMoments.fromJSON(s.impute[c]);
      if (s.scale[c]) t.scales[j] = RunningMoments.fromJSON(s.scale[c]);
    });
    return t;
  }
}

transformRegistry.register('imputeStandardize', (s) => ImputeStandardize.fromJSON(s as TransformState<ImputeStandardizeState>));

function numberColumn(batch: Batch, name: string): NumberColumn {
  const c = batch.column(name);
  if (c.type !== 'number' && c.type !== 'integer') throw new SchemaError(`imputeStandardize needs a number or integer column, got ${c.type}`, name);
  return c;
}

function reset(m: RunningMoments): void {
  m.count = 0;
  m.mean = 0;
  m.m2 = 0;
  m.min = Infinity;
  m.max = -Infinity;
}

/** What Impute.learn and Scaler.learn (mean / standard) add for a column, mask and bitmap included. */
function addMoments(m: RunningMoments, c: NumberColumn, n: number, train: Uint8Array | null): void {
  if (!train && c.validity === null && m.addAllFinite(c.values, n)) return;
  const { ok, allOk } = readOk(c, n);
  if (train) for (let i = 0; i < n; i++) ok[i]! &= train[i]!;
  m.addMany(c.values, allOk && !train ? null : ok, n);
}

/** Log1p.apply of one column: a number column, missing where the input is missing or not finite. */
function logged(c: NumberColumn, n: number): NumberColumn {
  const { ok, allOk } = readOk(c, n);
  const v = new Float64Array(n);
  logInto(c.values, v, n);
  return numericInput.output(v, ok, allOk) as NumberColumn;
}

/**
 * The logs of a column into y and, when every one is finite, their batch summary into the empty
 * `b`, as `b.addAllFinite(y, n)` computes it (sum, min and max in row order, then the squared
 * deviations around s / n and their compensation), with the sum taken in the log loop instead of
 * a pass of its own. Returns false, adding nothing, when a log is not finite.
 */
function logSummary(x: Float64Array | Int32Array, y: Float64Array, n: number, b: RunningMoments): boolean {
  const r = x instanceof Int32Array ? logSumI32(x, y, n) : logSumF64(x, y, n);
  const s = r[0]!;
  if (s - s !== 0) return false;
  if (n === 0) return true;
  const m = s / n;
  let ss = 0,
    comp = 0;
  for (let i = 0; i < n; i++) {
    const d = y[i]! - m;
    ss += d * d;
    comp += d;
  }
  b.count = n;
  b.mean = m + comp / n;
  b.m2 = ss - (comp * comp) / n;
  b.min = r[1]!;
  b.max = r[2]!;
  return true;
}

/**
 * An integer column's two batch summaries in two passes instead of three: Impute's,
 * `addAllFinite` (one exact pass: Σx and Σx², m2 = (n·Σx² − (Σx)²) / n), and the Scaler's, `addMany`
 * (Σx, min and max in row order, then the deviations around Σx / n), whose first pass gives
 * the same Σx, min and max as Impute's: it is not run again. Each is merged as the two calls
 * merge theirs. False, adding nothing, where n·Σx² passes 2^53 (addAllFinite's exact case ends).
 */
function intSummaries(x: Int32Array, n: number, b: RunningMoments, fill: RunningMoments, scale: RunningMoments): boolean {
  if (n === 0) return true;
  const r = RunningMoments.int32Sums(x, n);
  const s = r[1]!,
    q = r[4]!;
  if (!(n * q <= 2 ** 53)) return false;
  b.count = n;
  b.mean = s / n;
  b.m2 = (n * q - s * s) / n;
  b.min = r[2]!;
  b.max = r[3]!;
  fill.merge(b);
  const m = s / n;
  let ss = 0,
    comp = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - m;
    ss += d * d;
    comp += d;
  }
  b.mean = m + comp / n;
  b.m2 = ss - (comp * comp) / n;
  scale.merge(b);
  return true;
}

/** Scratch [sum, min, max] of the log loops. */
const SUM = new Float64Array(3);

function logSumI32(x: Int32Array, y: Float64Array, n: number): Float64Array {
  const t = LOG_TABLE;
  let s = 0,
    mn = Infinity,
    mx = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    const l = v >= 0 ? (v < 1024 ? t[v]! : Math.log1p(v)) : -Math.log1p(-v);
    y[i] = l;
    s += l;
    if (l < mn) mn = l;
    if (l > mx) mx = l;
  }
  SUM[0] = s;
  SUM[1] = mn;
  SUM[2] = mx;
  return SUM;
}

function logSumF64(x: Float64Array, y: Float64Array, n: number): Float64Array {
  let s = 0,
    mn = Infinity,
    mx = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    const l = v >= 0 ? Math.log1p(v) : -Math.log1p(-v);
    y[i] = l;
    s += l;
    if (l < mn) mn = l;
    if (l > mx) mx = l;
  }
  SUM[0] = s;
  SUM[1] = mn;
  SUM[2] = mx;
  return SUM;
}

/** y = sign(x)·ln(1 + |x|), as Log1p. Monomorphic per array kind. */
function logInto(x: Float64Array | Int32Array, y: Float64Array, n: number): void {
  if (x instanceof Int32Array) logI32(x, y, n);
  else logF64(x, y, n);
}

/**
 * log1p of 0..1023, the same doubles Math.log1p gives: small counts and pixels are most integer
 * cells, and a load costs a fraction of the call.
 */
const LOG_TABLE = Float64Array.from({ length: 1024 }, (_, v) => Math.log1p(v));

function logI32(x: Int32Array, y: Float64Array, n: number): void {
  const t = LOG_TABLE;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    y[i] = v >= 0 ? (v < 1024 ? t[v]! : Math.log1p(v)) : -Math.log1p(-v);
  }
}

function logF64(x: Float64Array, y: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    y[i] = v >= 0 ? Math.log1p(v) : -Math.log1p(-v);
  }
}

/** numericInput.read's mask: 1 where present and finite. */
function readOk(c: NumberColumn, n: number): { ok: Uint8Array; allOk: boolean } {
  const ok = new Uint8Array(n);
  const v = c.validity;
  let good = 0;
  for (let i = 0; i < n; i++) {
    if (v !== null && !((v[i >> 3]! >> (i & 7)) & 1)) continue;
    const x = c.values[i]!;
    if (x - x === 0) {
      ok[i] = 1;
      good++;
    }
  }
  return { ok, allOk: good === n };
}

function allFinite(v: Float64Array | Int32Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const x = v[i]!;
    if (x - x !== 0) return false;
  }
  return true;
}

/** y = (x - center) / scale; whether every x is finite. */
function scaleF64(x: Float64Array | Int32Array, y: Float64Array, center: number, scale: number, n: number): boolean {
  if (x instanceof Int32Array) return scaleI32(x, y, center, scale, n);
  let finite = true;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (v - v !== 0) finite = false;
    y[i] = (v - center) / scale;
  }
  return finite;
}

function scaleI32(x: Float64Array | Int32Array, y: Float64Array, center: number, scale: number, n: number): boolean {
  for (let i = 0; i < n; i++) y[i] = (x[i]! - center) / scale;
  return true;
}

import { type BadRows, type Batch, type Column, SchemaError, SpecError, validity } from '../core/index.js';
import { IMPUTE_STRATEGIES, type ImputeStrategy } from './IMPUTE_STRATEGIES.js';
import { type NonFinitePolicy, type NumericInput, numericInput } from './numericInput.js';
import { type RowReject, rejectRows } from './rejectRows.js';
import { QuantileSketch, type QuantileSketchState } from './sketches/QuantileSketch.js';
import { RunningMoments, type RunningMomentsState } from './sketches/RunningMoments.js';
import { SpaceSaving, type SpaceSavingState } from './sketches/SpaceSaving.js';
import type { Transform, TransformState } from './Transform.js';
import { trainMask } from './trainMask.js';

export interface ImputeColumnSpec {
  strategy: ImputeStrategy;
  /** The fill value for `constant`. */
  value?: number | string | boolean;
  /** Adds a boolean `<column>_missing` column (1 where the value was missing). */
  indicator?: boolean;
}

export interface ImputeOptions {
  /** Per column: a strategy, or a full spec. */
  columns: Readonly<Record<string, ImputeStrategy | ImputeColumnSpec>>;
  /** Default for every column's `indicator` (false). */
  indicator?: boolean;
  /** NaN/±Infinity in numeric columns: imputed like missing values (default), or bad input. */
  nonFinite?: NonFinitePolicy;
  /** Bad-row policy for `nonFinite: 'error'`; without it the first bad row throws. Not serialized. */
  badRows?: BadRows | null;
  /** Counters of the space-saving sketch behind `mode` (the mode is exact when the column has at most this many distinct values). */
  modeCapacity?: number;
}

type Fill = number | string | null;

interface ColumnState {
  strategy: ImputeStrategy;
  value: number | string | boolean | null;
  indicator: boolean;
  moments?: RunningMomentsState;
  sketch?: QuantileSketchState;
  counts?: SpaceSavingState;
  last?: Fill;
}

export interface ImputeState {
  nonFinite: NonFinitePolicy;
  modeCapacity: number;
  columns: Record<string, ColumnState>;
}

interface Slot {
  spec: ImputeColumnSpec & { indicator: boolean };
  moments: RunningMoments | null;
  sketch: QuantileSketch | null;
  counts: SpaceSaving | null;
  /** Last present training value (previous strategy); numbers for numeric columns, strings otherwise. */
  last: Fill;
  /** `last` before the most recent learn call, used when that same batch is applied. */
  prior: Fill;
}

/**
 * Fills missing values (and, by default, NaN/±Infinity) column by column with state learned from
 * training rows only: mean (stable moments), median (KLL sketch), mode (space-saving counters),
 * a constant, or the previous training value (forward fill; carried across batches). Category and
 * text columns take mode, constant or previous; a new constant is appended to the column's
 * dictionary (append-only, existing codes keep their meaning). Mean and median turn integer
 * columns into number columns. A column with nothing learned yet stays missing.
 */
export class Impute implements Transform<ImputeState> {
  readonly kind = 'impute';
  readonly nonFinite: NonFinitePolicy;
  readonly modeCapacity: number;
  badRows: BadRows | null;
  private readonly slots = new Map<string, Slot>();
  private lastLearned: Batch | null = null;
  /** Numeric reads of the last learned batch (unmasked only), reused when that batch is applied. */
  private readonly reads = new Map<string, NumericInput>();

  constructor(options: ImputeOptions) {
    if (!options.columns || typeof options.columns !== 'object' || Object.keys(options.columns).length === 0) {
      throw new SpecError('impute.columns', 'expected at least one column with a strategy');
    }
    this.nonFinite = numericInput.policy(options.nonFinite, 'impute.nonFinite');
    this.modeCapacity = options.modeCapacity ?? 64;
    this.badRows = options.badRows ?? null;
    for (const [name, raw] of Object.entries(options.columns)) {
      const spec: ImputeColumnSpec = typeof raw === 'string' ? { strategy: raw } : raw;
      if (!IMPUTE_STRATEGIES.includes(spec?.strategy)) {
        const path = typeof raw === 'string' ? `impute.${name}` : `impute.${name}.strategy`;
        throw new SpecError(path, `expected one of ${IMPUTE_STRATEGIES.join('|')}, got ${JSON.stringify(spec?.strategy)}`);
      }
      if (
        spec.strategy === 'constant' &&
        (spec.value === undefined || spec.value === null || (typeof spec.value === 'number' && !Number.isFinite(spec.value)))
      ) {
        throw new SpecError(`impute.${name}.value`, 'the constant strategy needs a finite number, string or boolean value');
      }
      this.slots.set(name, {
        spec: { ...spec, indicator: spec.indicator ?? options.indicator ?? false },
        moments: spec.strategy === 'mean' ? new RunningMoments() : null,
        sketch: spec.strategy === 'median' ? new QuantileSketch() : null,
        counts: spec.strategy === 'mode' ? new SpaceSaving(this.modeCapacity) : null,
        last: null,
        prior: null,
      });
    }
  }

  get columns(): string[] {
    return [...this.slots.keys()];
  }

  learn(batch: Batch): void {
    const train = trainMask(batch);
    this.lastLearned = batch;
    this.reads.clear();
    for (const [name, slot] of this.slots) {
      const c = batch.column(name);
      slot.prior = slot.last;
      if (c.type === 'category' || c.type === 'text') {
        this.checkStrategy(name, c.type, slot.spec.strategy);
        const v = c.validity;
        const counts = slot.counts ? new Map<number, number>() : null;
        for (let i = 0; i < batch.length; i++) {
          if ((train && !train[i]) || (v !== null && !validity.get(v, i)) || c.codes[i]! < 0) continue;
          if (counts) counts.set(c.codes[i]!, (counts.get(c.codes[i]!) ?? 0) + 1);
          else if (slot.spec.strategy === 'previous') slot.last = c.codes[i]!;
        }
        if (typeof slot.last === 'number') slot.last = c.dictionary.get(slot.last);
        if (counts) for (const [code, k] of counts) slot.counts!.add(c.dictionary.get(code), k);
        continue;
      }
      if (c.type === 'vector') throw new SchemaError('impute cannot fill vector columns', name);
      this.checkStrategy(name, c.type, slot.spec.strategy);
      // Mean without a mask or bitmap: one sum tells whether every value is finite.
      if (!train && c.validity === null && slot.spec.strategy === 'mean' && slot.moments!.addAllFinite(c.values, batch.length)) continue;
      const read = numericInput.read(batch, name, 'impute');
      const { values, ok, allOk } = read;
      if (train) for (let i = 0; i < ok.length; i++) ok[i]! &= train[i]!;
      else this.reads.set(name, read);
      // Without a mask the moments run the unmasked loop (same sums, fewer loads).
      slot.moments?.addMany(values, allOk && !train ? null : ok, batch.length);
      slot.sketch?.addMany(values, ok, batch.length);
      if (slot.counts) {
        const counts = new Map<number, number>();
        for (let i = 0; i < batch.length; i++) if (ok[i]) counts.set(values[i]!, (counts.get(values[i]!) ?? 0) + 1);
        for (const [x, k] of counts) slot.counts.add(String(x), k);
      }
      if (slot.spec.strategy === 'previous')
        for (let i = batch.length - 1; i >= 0; i--)
          if (ok[i]) {
            slot.last = values[i]!;
            break;
          }
    }
  }

  /** The value that fills `name` now (null when nothing is learned yet; `previous` gives the carried value). */
  fillValue(name: string): number | string | null {
    const slot = this.slots.get(name);
    if (!slot) throw new SpecError('impute.columns', `column ${JSON.stringify(name)} is not imputed`);
    switch (slot.spec.strategy) {
      case 'mean':
        return slot.moments!.count ? slot.moments!.mean : null;
      case 'median':
        return slot.sketch!.n ? slot.sketch!.quantile(0.5) : null;
      case 'mode':
        return slot.counts!.top(1)[0]?.value ?? null;
      case 'constant':
        return typeof slot.spec.value === 'boolean' ? (slot.spec.value ? 1 : 0) : slot.spec.value!;
      case 'previous':
        return slot.last;
    }
  }

  apply(batch: Batch): Batch {
    // Replaced and added columns, set at once at the end (one schema, not one per column).
    const set: Array<{ name: string; column: Column; nullable?: boolean }> = [];
    const rejects: RowReject[] = [];
    const train = trainMask(batch);
    // Integer columns turned into numbers are cut from one allocation (see Scaler.apply).
    let slab: Float64Array | null = null,
      used = 0;
    for (const [name, slot] of this.slots) {
      const c = batch.column(name);
      const strategy = slot.spec.strategy;
      this.checkStrategy(name, c.type, strategy);
      const carry: Fill = strategy === 'previous' ? (batch === this.lastLearned ? slot.prior : slot.last) : this.fillValue(name);
      const n = batch.length;
      const missing = slot.spec.indicator ? new Uint8Array(n) : null;
      let filled: Column;
      if (c.type === 'category' || c.type === 'text') {
        const codes = new Int32Array(n);
        const dict = c.dictionary;
        // Resolved on the first missing row, so a clean batch adds nothing to the dictionary.
        let carryCode = carry === null ? -1 : -2;
        const bitmap = validity.allocate(n, 1);
        let anyMissing = false;
        for (let i = 0; i < n; i++) {
          const present = validity.isValid(c, i) && c.codes[i]! >= 0;
          if (present) {
            codes[i] = c.codes[i]!;
            if (strategy === 'previous' && (!train || train[i])) carryCode = codes[i]!;
            continue;
          }
          if (missing) missing[i] = 1;
          if (carryCode === -2) carryCode = dict.code(String(carry));
          codes[i] = carryCode;
          if (carryCode < 0) {
            validity.set(bitmap, i, false);
            anyMissing = true;
          }
        }
        filled = { type: c.type, codes, dictionary: dict, validity: anyMissing ? bitmap : null };
      } else if (c.type === 'vector') {
        throw new SchemaError('impute cannot fill vector columns', name);
      } else if (c.validity === null && c.type !== 'boolean' && (c.type === 'integer' || allFinite(c.values, n))) {
        // Nothing to fill: the column keeps its values (Batch columns are never written in place,
        // so sharing the array is safe), except that mean and median turn integers into numbers.
        if (c.type === 'integer' && (strategy === 'mean' || strategy === 'median')) {
          slab ??= new Float64Array(n * this.slots.size);
          const y = slab.subarray(used * n, ++used * n);
          y.set(c.values);
          filled = { type: 'number', values: y, validity: null };
        } else {
          filled = c;
        }
      } else {
        const read = batch === this.lastLearned ? this.reads.get(name) : undefined;
        const { values, ok, allOk, nonFinite } = read ?? numericInput.read(batch, name, 'impute');
        if (this.nonFinite === 'error')
          for (const i of nonFinite) rejects.push({ row: i, reason: 'non-finite', field: name, value: String(values[i]), detail: 'impute: non-finite number' });
        const y = new Float64Array(n);
        let fill = typeof carry === 'string' ? Number(carry) : carry;
        let okOut: Uint8Array, outAll: boolean;
        if (strategy !== 'previous') {
          // The fill is fixed for the batch: copy the column (converting integers in native code),
          // then patch the missing rows; output() turns rows still without a value into NaN.
          y.set(values);
          if (!allOk) patchMissing(y, ok, n, fill, missing);
          okOut = ok;
          outAll = allOk || fill !== null;
        } else {
          okOut = new Uint8Array(n);
          outAll = false;
          for (let i = 0; i < n; i++) {
            if (ok[i]) {
              y[i] = values[i]!;
              okOut[i] = 1;
              if (!train || train[i]) fill = values[i]!;
              continue;
            }
            if (missing) missing[i] = 1;
            if (fill !== null) {
              y[i] = fill;
              okOut[i] = 1;
            }
          }
        }
        const num = numericInput.output(y, okOut, outAll) as Extract<Column, { type: 'number' }>;
        const asNumber = c.type === 'number' || ((strategy === 'mean' || strategy === 'median') && c.type === 'integer');
        if (asNumber) filled = num;
        else if (c.type === 'datetime') filled = { type: 'datetime', values: num.values, validity: num.validity };
        else if (c.type === 'integer')
          filled = { type: 'integer', values: Int32Array.from(y, (x) => (Number.isNaN(x) ? 0 : Math.round(x))), validity: num.validity };
        else filled = { type: 'boolean', values: Uint8Array.from(y, (x) => (x ? 1 : 0) & (Number.isNaN(x) ? 0 : 1)), validity: num.validity };
      }
      set.push({ name, column: filled });
      if (missing) set.push({ name: `${name}_missing`, column: { type: 'boolean', values: missing, validity: null }, nullable: false });
    }
    return rejectRows(batch.withColumns(set), rejects, this.badRows, 'impute');
  }

  private checkStrategy(name: string, type: Column['type'], strategy: ImputeStrategy): void {
    const numericOnly = strategy === 'mean' || strategy === 'median';
    if (numericOnly && (type === 'category' || type === 'text' || type === 'boolean')) {
      throw new SchemaError(`impute strategy ${strategy} needs a numeric column, got ${type}; use mode, constant or previous`, name);
    }
  }

  toJSON(): TransformState<ImputeState> {
    const columns: Record<string, ColumnState> = {};
    for (const [name, s] of this.slots) {
      const cs: ColumnState = { strategy: s.spec.strategy, value: s.spec.value ?? null, indicator: s.spec.indicator };
      if (s.moments) cs.moments = s.moments.toJSON();
      if (s.sketch) cs.sketch = s.sketch.toJSON();
      if (s.counts) cs.counts = s.counts.toJSON();
      if (s.spec.strategy === 'previous') cs.last = s.last;
      columns[name] = cs;
    }
    return { kind: this.kind, state: { nonFinite: this.nonFinite, modeCapacity: this.modeCapacity, columns } };
  }

  static fromJSON(json: TransformState<ImputeState>): Impute {
    const s = json.state;
    const specs: Record<string, ImputeColumnSpec> = {};
    for (const [name, c] of Object.entries(s.columns))
      specs[name] = { strategy: c.strategy, indicator: c.indicator, ...(c.value !== null ? { value: c.value } : {}) };
    const t = new Impute({ columns: specs, nonFinite: s.nonFinite, modeCapacity: s.modeCapacity });
    for (const [name, c] of Object.entries(s.columns)) {
      const slot = t.slots.get(name)!;
      if (c.moments) slot.moments = RunningMoments.fromJSON(c.moments);
      if (c.sketch) slot.sketch = QuantileSketch.fromJSON(c.sketch);
      if (c.counts) slot.counts = SpaceSaving.fromJSON(c.counts);
      if (c.last !== undefined) slot.last = slot.prior = c.last;
    }
    return t;
  }
}

/** Whether every value is finite (no NaN or ±Infinity). */
function allFinite(v: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const x = v[i]!;
    if (x - x !== 0) return false;
  }
  return true;
}

/**
 * y[i] = fill (when not null) and missing[i] = 1 (when asked) for the rows where ok[i] is 0. A
 * function of its own: a hot loop inlined in apply() is compiled on the stack with the cold code
 * after it, and in Node 20 that code can keep deoptimizing there on every batch.
 */
function patchMissing(y: Float64Array, ok: Uint8Array, n: number, fill: number | null, missing: Uint8Array | null): void {
  for (let i = 0; i < n; i++) {
    if (ok[i]) continue;
    if (missing) missing[i] = 1;
    if (fill !== null) y[i] = fill;
  }
}

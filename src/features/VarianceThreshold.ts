import { type Batch, SpecError } from '../core/index.js';
import type { NonFinitePolicy } from './expr/NonFinitePolicy.js';
import { numericColumn } from './expr/numericColumn.js';
import type { Transform, TransformState } from './Transform.js';
import { trainMask } from './trainMask.js';

export interface VarianceThresholdOptions {
  /** Drop columns whose variance is <= this (default 0: constant columns). */
  threshold?: number;
  /**
   * Training rows to watch before the selection is made and frozen (default 1000). Until then all
   * columns pass; after, the dropped set never changes, so a model's input width stays fixed.
   */
  freezeAfter?: number;
  nonFinite?: NonFinitePolicy;
}

export interface VarianceThresholdState {
  columns: string[];
  threshold: number;
  freezeAfter: number;
  nonFinite: NonFinitePolicy;
  rows: number;
  /** Per column [n, mean, M2] (Welford). */
  moments: Array<[number, number, number]>;
  dropped: string[] | null;
}

/** Online variance threshold over numeric columns (Welford moments from training rows only). */
export class VarianceThreshold implements Transform<VarianceThresholdState> {
  readonly kind = 'varianceThreshold';
  readonly threshold: number;
  readonly freezeAfter: number;
  readonly nonFinite: NonFinitePolicy;
  private rows = 0;
  private readonly moments: Array<[number, number, number]>;
  /** Columns dropped, once frozen; null before. */
  dropped: string[] | null = null;

  constructor(
    readonly columns: readonly string[],
    options: VarianceThresholdOptions = {},
  ) {
    if (!Array.isArray(columns) || columns.length === 0 || columns.some((c) => typeof c !== 'string'))
      throw new SpecError('varianceThreshold.columns', 'expected a non-empty list of column names');
    this.threshold = options.threshold ?? 0;
    if (!(this.threshold >= 0) || !Number.isFinite(this.threshold))
      throw new SpecError('varianceThreshold.threshold', `expected a finite number >= 0, got ${String(options.threshold)}`);
    this.freezeAfter = options.freezeAfter ?? 1000;
    if (!Number.isInteger(this.freezeAfter) || this.freezeAfter < 2)
      throw new SpecError('varianceThreshold.freezeAfter', `expected an integer >= 2, got ${String(options.freezeAfter)}`);
    this.nonFinite = options.nonFinite ?? 'missing';
    this.moments = columns.map(() => [0, 0, 0]);
  }

  /** Sample variance of each column so far (NaN with fewer than 2 values). */
  variances(): Record<string, number> {
    return Object.fromEntries(
      this.columns.map((c, j) => {
        const [n, , m2] = this.moments[j]!;
        return [c, n > 1 ? m2 / (n - 1) : NaN];
      }),
    );
  }

  learn(batch: Batch): void {
    if (this.dropped) return;
    const mask = trainMask(batch),
      n = batch.length;
    this.columns.forEach((name, j) => {
      const x = numericColumn(batch, name, this.nonFinite, 'varianceThreshold'),
        m = this.moments[j]!;
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        if ((mask && !mask[i]) || v !== v) continue;
        m[0]++;
        const d = v - m[1];
        m[1] += d / m[0];
        m[2] += d * (v - m[1]);
      }
    });
    if (mask) for (let i = 0; i < n; i++) this.rows += mask[i]!;
    else this.rows += n;
    if (this.rows >= this.freezeAfter) {
      const v = this.variances();
      // A column with too few values to judge is kept.
      this.dropped = this.columns.filter((c) => v[c]! <= this.threshold);
    }
  }

  apply(batch: Batch): Batch {
    return this.dropped?.length ? batch.drop(this.dropped.filter((c) => batch.has(c))) : batch;
  }

  toJSON(): TransformState<VarianceThresholdState> {
    return {
      kind: this.kind,
      state: {
        columns: this.columns.slice(),
        threshold: this.threshold,
        freezeAfter: this.freezeAfter,
        nonFinite: this.nonFinite,
        rows: this.rows,
        moments: this.moments.map((m) => [...m] as [number, number, number]),
        dropped: this.dropped,
      },
    };
  }

  static fromJSON(s: TransformState<VarianceThresholdState> | VarianceThresholdState): VarianceThreshold {
    const st = 'state' in s ? s.state : s;
    const t = new VarianceThreshold(st.columns, st);
    t.rows = st.rows;
    st.moments.forEach((m, j) => {
      t.moments[j] = [...m];
    });
    t.dropped = st.dropped ? st.dropped.slice() : null;
    return t;
  }
}

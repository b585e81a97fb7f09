import { type Batch, SpecError } from '../core/index.js';
import type { NonFinitePolicy } from './expr/NonFinitePolicy.js';
import { numericColumn } from './expr/numericColumn.js';
import type { Transform, TransformState } from './Transform.js';
import { trainMask } from './trainMask.js';

export interface TopKCorrelationOptions {
  target: string;
  k: number;
  /** Training rows to watch before the top k are chosen and frozen (default 1000); until then all pass. */
  freezeAfter?: number;
  nonFinite?: NonFinitePolicy;
}

export interface TopKCorrelationState {
  columns: string[];
  target: string;
  k: number;
  freezeAfter: number;
  nonFinite: NonFinitePolicy;
  rows: number;
  /** Per column co-moments over rows where both are present: [n, meanX, meanY, M2x, M2y, Cxy]. */
  moments: number[][];
  selected: string[] | null;
}

/**
 * Keeps the k candidate columns with the largest online |Pearson correlation| with the target
 * (pairwise-complete co-moments, training rows only) and drops the rest, once `freezeAfter`
 * training rows are seen. A constant column has correlation 0.
 */
export class TopKCorrelation implements Transform<TopKCorrelationState> {
  readonly kind = 'selectTopK';
  readonly target: string;
  readonly k: number;
  readonly freezeAfter: number;
  readonly nonFinite: NonFinitePolicy;
  private rows = 0;
  private readonly moments: number[][];
  selected: string[] | null = null;

  constructor(
    readonly columns: readonly string[],
    options: TopKCorrelationOptions,
  ) {
    if (!Array.isArray(columns) || columns.length === 0 || columns.some((c) => typeof c !== 'string'))
      throw new SpecError('selectTopK.columns', 'expected a non-empty list of column names');
    if (typeof options?.target !== 'string') throw new SpecError('selectTopK.target', 'expected the target column name');
    if (!Number.isInteger(options.k) || options.k < 1) throw new SpecError('selectTopK.k', `expected a positive integer, got ${String(options.k)}`);
    this.target = options.target;
    this.k = options.k;
    this.freezeAfter = options.freezeAfter ?? 1000;
    if (!Number.isInteger(this.freezeAfter) || this.freezeAfter < 2)
      throw new SpecError('selectTopK.freezeAfter', `expected an integer >= 2, got ${String(options.freezeAfter)}`);
    this.nonFinite = options.nonFinite ?? 'missing';
    this.moments = columns.map(() => [0, 0, 0, 0, 0, 0]);
  }

  /** Current |r| per column (0 when undefined). */
  correlations(): Record<string, number> {
    return Object.fromEntries(
      this.columns.map((c, j) => {
        const [n, , , sx, sy, cxy] = this.moments[j]! as [number, number, number, number, number, number];
        const r = n > 1 && sx > 0 && sy > 0 ? cxy / Math.sqrt(sx * sy) : 0;
        return [c, Math.abs(r)];
      }),
    );
  }

  learn(batch: Batch): void {
    if (this.selected) return;
    const mask = trainMask(batch),
      n = batch.length;
    const y = numericColumn(batch, this.target, this.nonFinite, 'selectTopK');
    this.columns.forEach((name, j) => {
      const x = numericColumn(batch, name, this.nonFinite, 'selectTopK'),
        m = this.moments[j]!;
      for (let i = 0; i < n; i++) {
        const a = x[i]!,
          b = y[i]!;
        if ((mask && !mask[i]) || a !== a || b !== b) continue;
        const c = ++m[0]!;
        const dx = a - m[1]!,
          dy = b - m[2]!;
        m[1]! += dx / c;
        m[2]! += dy / c;
        m[3]! += dx * (a - m[1]!);
        m[4]! += dy * (b - m[2]!);
        m[5]! += dx * (b - m[2]!);
      }
    });
    if (mask) for (let i = 0; i < n; i++) this.rows += mask[i]!;
    else this.rows += n;
    if (this.rows >= this.freezeAfter) {
      const r = this.correlations();
      // Stable order: by |r| descending, ties by the given column order.
      this.selected = this.columns
        .map((c, j) => [c, j] as const)
        .sort((a, b) => r[b[0]]! - r[a[0]]! || a[1] - b[1])
        .slice(0, this.k)
        .map(([c]) => c);
    }
  }

  apply(batch: Batch): Batch {
    if (!this.selected) return batch;
    const drop = this.columns.filter((c) => !this.selected!.includes(c) && batch.has(c));
    return drop.length ? batch.drop(drop) : batch;
  }

  toJSON(): TransformState<TopKCorrelationState> {
    return {
      kind: this.kind,
      state: {
        columns: this.columns.slice(),
        target: this.target,
        k: this.k,
        freezeAfter: this.freezeAfter,
        nonFinite: this.nonFinite,
        rows: this.rows,
        moments: this.moments.map((m) => m.slice()),
        selected: this.selected,
      },
    };
  }

  static fromJSON(s: TransformState<TopKCorrelationState> | TopKCorrelationState): TopKCorrelation {
    const st = 'state' in s ? s.state : s;
    const t = new TopKCorrelation(st.columns, st);
    t.rows = st.rows;
    st.moments.forEach((m, j) => {
      t.moments[j] = m.slice();
    });
    t.selected = st.selected ? st.selected.slice() : null;
    return t;
  }
}

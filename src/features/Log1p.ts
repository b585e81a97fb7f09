import { type Batch, SpecError } from '../core/index.js';
import { numericInput } from './numericInput.js';
import type { Transform, TransformState } from './Transform.js';

export interface Log1pState {
  columns: string[];
}

/**
 * sign(x)·ln(1 + |x|) of numeric columns, in place (number columns out). For x ≥ 0 it is log1p:
 * long right tails (counts, amounts, areas) shrink so a few large values do not dominate a linear
 * model; the sign keeps a negative value that arrives later finite and ordered. Missing and
 * non-finite cells stay missing. Stateless.
 */
export class Log1p implements Transform<Log1pState> {
  readonly kind = 'log1p';

  constructor(readonly columns: readonly string[]) {
    if (!Array.isArray(columns) || columns.length === 0 || columns.some((c) => typeof c !== 'string'))
      throw new SpecError('log1p.columns', 'expected a non-empty list of column names');
  }

  learn(_batch: Batch): void {}

  apply(batch: Batch): Batch {
    let out = batch;
    for (const name of this.columns) {
      const x = numericInput.read(batch, name, 'log1p');
      const v = new Float64Array(batch.length);
      for (let i = 0; i < v.length; i++) {
        const y = x.values[i]!;
        v[i] = y >= 0 ? Math.log1p(y) : -Math.log1p(-y);
      }
      out = out.withColumn(name, numericInput.output(v, x.ok, x.allOk));
    }
    return out;
  }

  toJSON(): TransformState<Log1pState> {
    return { kind: this.kind, state: { columns: this.columns.slice() } };
  }

  static fromJSON(json: TransformState<Log1pState>): Log1p {
    return new Log1p(json.state.columns);
  }
}

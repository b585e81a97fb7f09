import { type Batch, SpecError } from '../core/index.js';
import type { Transform, TransformState } from './Transform.js';

export interface SelectColumnsState {
  columns: string[];
}

/** Keeps only the named columns, in the order given; a column absent from the batch is a SchemaError. Stateless. */
export class SelectColumns implements Transform<SelectColumnsState> {
  readonly kind = 'select';
  readonly columns: string[];

  constructor(columns: readonly string[]) {
    if (!Array.isArray(columns) || columns.length === 0 || !columns.every((c) => typeof c === 'string')) {
      throw new SpecError('select', `expected a non-empty list of column names, got ${JSON.stringify(columns)}`);
    }
    this.columns = columns.slice();
  }

  learn(_batch: Batch): void {}

  apply(batch: Batch): Batch {
    return batch.select(this.columns);
  }

  toJSON(): TransformState<SelectColumnsState> {
    return { kind: this.kind, state: { columns: this.columns.slice() } };
  }

  static fromJSON(json: TransformState<SelectColumnsState>): SelectColumns {
    return new SelectColumns(json.state.columns);
  }
}

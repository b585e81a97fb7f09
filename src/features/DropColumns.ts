import { type Batch, SpecError } from '../core/index.js';
import type { Transform, TransformState } from './Transform.js';

export interface DropColumnsState {
  columns: string[];
}

/** Removes the named columns; a column absent from the batch is a SchemaError. Stateless. */
export class DropColumns implements Transform<DropColumnsState> {
  readonly kind = 'drop';
  readonly columns: string[];

  constructor(columns: readonly string[]) {
    if (!Array.isArray(columns) || columns.length === 0 || !columns.every((c) => typeof c === 'string')) {
      throw new SpecError('drop', `expected a non-empty list of column names, got ${JSON.stringify(columns)}`);
    }
    this.columns = columns.slice();
  }

  learn(_batch: Batch): void {}

  apply(batch: Batch): Batch {
    return batch.drop(this.columns);
  }

  toJSON(): TransformState<DropColumnsState> {
    return { kind: this.kind, state: { columns: this.columns.slice() } };
  }

  static fromJSON(json: TransformState<DropColumnsState>): DropColumns {
    return new DropColumns(json.state.columns);
  }
}

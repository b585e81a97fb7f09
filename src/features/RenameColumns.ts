import { type Batch, SpecError } from '../core/index.js';
import type { Transform, TransformState } from './Transform.js';

export interface RenameColumnsState {
  mapping: Record<string, string>;
}

/** Renames columns (`{ old: new }`); a column absent from the batch is a SchemaError. Stateless. */
export class RenameColumns implements Transform<RenameColumnsState> {
  readonly kind = 'rename';
  readonly mapping: Record<string, string>;

  constructor(mapping: Readonly<Record<string, string>>) {
    if (!mapping || typeof mapping !== 'object' || Array.isArray(mapping) || Object.keys(mapping).length === 0) {
      throw new SpecError('rename', `expected a { old: new } mapping, got ${JSON.stringify(mapping)}`);
    }
    for (const [k, v] of Object.entries(mapping))
      if (typeof v !== 'string' || !v) throw new SpecError(`rename.${k}`, `expected a new column name, got ${JSON.stringify(v)}`);
    this.mapping = { ...mapping };
  }

  learn(_batch: Batch): void {}

  apply(batch: Batch): Batch {
    return batch.rename(this.mapping);
  }

  toJSON(): TransformState<RenameColumnsState> {
    return { kind: this.kind, state: { mapping: { ...this.mapping } } };
  }

  static fromJSON(json: TransformState<RenameColumnsState>): RenameColumns {
    return new RenameColumns(json.state.mapping);
  }
}

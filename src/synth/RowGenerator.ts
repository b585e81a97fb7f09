import { Batch, type Column, Rng, Schema, StringDictionary } from '../core/index.js';
import type { GeneratorState, StreamGenerator } from './StreamGenerator.js';

/** One generated column: `values` fixes a category column's dictionary, in code order. */
export interface GeneratedField {
  name: string;
  type: 'number' | 'integer' | 'boolean' | 'category';
  values?: readonly string[];
}

/**
 * Base of the row-at-a-time generators: a subclass writes one row of plain numbers in
 * `generate`, this class counts rows and packs them into typed columns. Generators are defined
 * per example (MOA style), and a drift wrapper must be able to draw single rows from either side.
 */
export abstract class RowGenerator implements StreamGenerator {
  abstract readonly kind: string;
  readonly schema: Schema;
  readonly dictionaries: ReadonlyArray<StringDictionary | null>;
  protected rng: Rng;
  protected pos = 0;
  private readonly row: Float64Array;

  constructor(
    fields: readonly GeneratedField[],
    readonly numClasses: number,
    seed: number,
  ) {
    this.schema = new Schema(fields.map((f) => ({ name: f.name, type: f.type, nullable: false })));
    this.dictionaries = fields.map((f) => (f.type === 'category' ? new StringDictionary(f.values ?? []) : null));
    this.row = new Float64Array(fields.length);
    this.rng = new Rng(seed);
  }

  get position(): number {
    return this.pos;
  }

  /** Writes the next example into `out` (schema order, category codes, class as 0..k-1). */
  protected abstract generate(out: Float64Array): void;

  nextRow(out: Float64Array): void {
    this.generate(out);
    this.pos++;
  }

  next(n: number): Batch {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`${this.kind}: row count must be a non-negative integer, got ${n}`);
    const start = this.pos;
    const fields = this.schema.fields;
    const cols: Column[] = [];
    const sinks: Array<Float64Array | Int32Array | Uint8Array> = [];
    fields.forEach((f, j) => {
      switch (f.type) {
        case 'number': {
          const values = new Float64Array(n);
          sinks.push(values);
          cols.push({ type: 'number', values, validity: null });
          break;
        }
        case 'integer': {
          const values = new Int32Array(n);
          sinks.push(values);
          cols.push({ type: 'integer', values, validity: null });
          break;
        }
        case 'boolean': {
          const values = new Uint8Array(n);
          sinks.push(values);
          cols.push({ type: 'boolean', values, validity: null });
          break;
        }
        default: {
          const codes = new Int32Array(n);
          sinks.push(codes);
          cols.push({ type: 'category', codes, dictionary: this.dictionaries[j]!, validity: null });
          break;
        }
      }
    });
    const row = this.row,
      width = fields.length;
    for (let i = 0; i < n; i++) {
      this.nextRow(row);
      for (let j = 0; j < width; j++) sinks[j]![i] = row[j]!;
    }
    return new Batch(this.schema, cols, n, Batch.sequence(start, n));
  }

  /** Common part of every subclass's state; subclasses add their options and dynamic state. */
  protected baseState(): { kind: string; position: number; rng: ReturnType<Rng['toJSON']> } {
    return { kind: this.kind, position: this.pos, rng: this.rng.toJSON() };
  }

  protected restoreBase(state: GeneratorState): void {
    this.pos = Number(state.position ?? 0);
    this.rng = Rng.fromJSON(state.rng as ReturnType<Rng['toJSON']>);
  }

  abstract toJSON(): GeneratorState;
}

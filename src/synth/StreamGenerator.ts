import type { Batch, Schema, StringDictionary } from '../core/index.js';

/** A generator's whole state as JSON: `kind` picks the class in `generatorFromJSON`. */
export interface GeneratorState {
  kind: string;
  [key: string]: unknown;
}

/**
 * An endless, seeded source of rows. Same seed and options give the same rows; `toJSON()`
 * captures the state (RNG included) so that a restored generator continues identically.
 * Columns follow the schema: numeric attributes `number`, nominal ones `category` with fixed
 * dictionaries (in value order, shared by every batch), the label `class` as `integer` 0..k-1.
 */
export interface StreamGenerator {
  /** Registry name (`sea`, `hyperplane`, ..., `drift`). */
  readonly kind: string;
  readonly schema: Schema;
  /** One entry per field: the fixed dictionary of a category column, else null. */
  readonly dictionaries: ReadonlyArray<StringDictionary | null>;
  readonly numClasses: number;
  /** Rows produced so far, which is the rowId of the next row. */
  readonly position: number;
  /** The next `n` rows, with rowIds continuing from the previous call. */
  next(n: number): Batch;
  /**
   * Writes the next row into `out`, one slot per field in schema order (category columns as
   * codes). The row-at-a-time path wrappers use to interleave streams.
   */
  nextRow(out: Float64Array): void;
  toJSON(): GeneratorState;
}

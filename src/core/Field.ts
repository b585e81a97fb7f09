import type { ColumnType } from './ColumnType.js';

/** A named, typed column in a Schema. */
export interface Field {
  readonly name: string;
  readonly type: ColumnType;
  /** Whether missing values are allowed; a required column's missing value is bad input. */
  readonly nullable: boolean;
}

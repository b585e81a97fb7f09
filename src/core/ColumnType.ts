/**
 * Logical column types. Storage per type (see Column.ts):
 * number → Float64Array, integer → Int32Array, boolean → Uint8Array (0/1),
 * category/text → Int32Array codes into a StringDictionary, datetime → Float64Array epoch ms (UTC),
 * vector → CSR rows (indptr/indices/values) of a fixed width.
 */
export type ColumnType = 'number' | 'integer' | 'boolean' | 'category' | 'text' | 'datetime' | 'vector';

/**
 * `vector` is made by encoders (one-hot, hashing, TF-IDF), never read from input: a fixed-width
 * sparse row vector per row, in CSR layout, that `vectorize` concatenates into the FeatureMatrix.
 */
export const COLUMN_TYPES: readonly ColumnType[] = ['number', 'integer', 'boolean', 'category', 'text', 'datetime', 'vector'];

/** The types a schema may declare for input data. */
export const INPUT_TYPES: readonly ColumnType[] = ['number', 'integer', 'boolean', 'category', 'text', 'datetime'];

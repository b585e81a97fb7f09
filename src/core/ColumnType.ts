/**
 * Logical column types. Storage per type (see Column.ts):
 * number → Float64Array, integer → Int32Array, boolean → Uint8Array (0/1),
 * category/text → Int32Array codes into a StringDictionary, datetime → Float64Array epoch ms (UTC).
 */
export type ColumnType = 'number' | 'integer' | 'boolean' | 'category' | 'text' | 'datetime';

export const COLUMN_TYPES: readonly ColumnType[] = ['number', 'integer', 'boolean', 'category', 'text', 'datetime'];

import type { StringDictionary } from './StringDictionary.js';

/**
 * One column of a Batch. `validity` is an Arrow-layout bitmap (LSB first, bit = 1 when present),
 * or null when every value is present, so it moves to and from Arrow without conversion.
 * Missing slots hold NaN (number, datetime), 0 (integer, boolean) or -1 (codes).
 */
export type Column =
  | { type: 'number'; values: Float64Array; validity: Uint8Array | null }
  | { type: 'integer'; values: Int32Array; validity: Uint8Array | null }
  | { type: 'boolean'; values: Uint8Array; validity: Uint8Array | null }
  | { type: 'category'; codes: Int32Array; dictionary: StringDictionary; validity: Uint8Array | null }
  | { type: 'text'; codes: Int32Array; dictionary: StringDictionary; validity: Uint8Array | null }
  | { type: 'datetime'; values: Float64Array; validity: Uint8Array | null }
  | {
      type: 'vector';
      /** Number of slots; `names[j]` labels slot j when known (one-hot categories). */
      width: number;
      /** rows+1 offsets into indices/values. */
      indptr: Int32Array;
      indices: Int32Array;
      values: Float32Array;
      names: readonly string[] | null;
      validity: Uint8Array | null;
    };

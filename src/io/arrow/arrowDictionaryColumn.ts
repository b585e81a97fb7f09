import { type Data, DataType, type Vector } from 'apache-arrow';
import type { Column, StringDictionary } from '../../core/index.js';

/**
 * Fast path for Arrow dictionary<int, utf8> columns → category codes in `dictionary`. The
 * Arrow dictionary → sluice code table is computed once per Arrow dictionary vector (`cache`):
 * IPC files repeat the same dictionary for every record batch, so a batch costs one indexed
 * copy per row. Returns null when it does not apply (sliced data, non-dictionary types).
 */
export function arrowDictionaryColumn(data: Data, dictionary: StringDictionary, cache: WeakMap<Vector, Int32Array>): Column | null {
  if (data.offset !== 0 || !DataType.isDictionary(data.type) || !data.dictionary) return null;
  const idx = data.values as unknown;
  if (!(idx instanceof Int32Array || idx instanceof Int16Array || idx instanceof Int8Array || idx instanceof Uint8Array || idx instanceof Uint16Array))
    return null;
  const dict = data.dictionary;
  let remap = cache.get(dict);
  if (!remap || remap.length !== dict.length) {
    remap = new Int32Array(dict.length);
    for (let j = 0; j < dict.length; j++) {
      const s = dict.get(j);
      remap[j] = s === null || s === undefined ? -1 : dictionary.code(String(s));
    }
    cache.set(dict, remap);
  }
  const n = data.length;
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = remap[idx[i]!]!;
  let validity: Uint8Array | null = null;
  if (data.nullCount > 0 && data.nullBitmap && data.nullBitmap.length > 0) {
    validity = data.nullBitmap.subarray(0, (n + 7) >> 3);
    for (let i = 0; i < n; i++) if (((validity[i >> 3]! >> (i & 7)) & 1) === 0) codes[i] = -1;
  }
  return { type: 'category', codes, dictionary, validity };
}

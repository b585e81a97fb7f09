import { type Batch, SchemaError, validity } from '../../core/index.js';
import { murmurhash3 } from '../murmurhash3.js';
import { murmurhash3String } from '../murmurhash3String.js';

const f64 = new Float64Array(1);
const bytes8 = new Uint8Array(f64.buffer);

/**
 * A uint32 MurmurHash3 per row of the `key` column, or of the row id when `key` is undefined.
 * Strings hash their UTF-8 bytes (once per dictionary code), numbers their float64 bytes, so
 * a key hashes the same in every batch, run and source. Missing keys all hash the string "\0".
 */
export function rowKeyHashes(batch: Batch, key: string | undefined, seed: number): Float64Array {
  const n = batch.length,
    out = new Float64Array(n);
  const num = (x: number) => {
    f64[0] = x === 0 ? 0 : x;
    return murmurhash3(bytes8, seed);
  };
  if (key === undefined) {
    for (let i = 0; i < n; i++) out[i] = num(batch.rowIds[i]!);
    return out;
  }
  const c = batch.column(key);
  const missing = murmurhash3String('\0', seed);
  if (c.type === 'vector') throw new SchemaError('a split key cannot be a vector column', key);
  if (c.type === 'category' || c.type === 'text') {
    const cache = new Float64Array(c.dictionary.size).fill(NaN);
    for (let i = 0; i < n; i++) {
      if (!validity.get(c.validity, i)) {
        out[i] = missing;
        continue;
      }
      const code = c.codes[i]!;
      let h = cache[code]!;
      if (h !== h) h = cache[code] = murmurhash3String(c.dictionary.get(code), seed);
      out[i] = h;
    }
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = validity.get(c.validity, i) ? num(c.values[i]!) : missing;
  return out;
}

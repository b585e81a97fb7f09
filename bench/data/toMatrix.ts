import { type Batch, FeatureMatrix } from '../../src/core/index.js';

/**
 * A batch as a dense FeatureMatrix with `class` as the target: numbers (divided by the first
 * batch's largest magnitude when `scale` is given, for the linear baseline), booleans 0/1,
 * categories one-hot (one column per dictionary value, in code order).
 */
export function toMatrix(b: Batch, scale: Map<string, number> | null = null): FeatureMatrix {
  const names = b.names.filter((n) => n !== 'class');
  const widths = names.map((n) => {
    const c = b.column(n);
    return c.type === 'category' ? c.dictionary.values.length : 1;
  });
  const w = widths.reduce((a, x) => a + x, 0);
  const v = new Float32Array(b.length * w);
  let off = 0;
  names.forEach((n, k) => {
    const c = b.column(n);
    if (c.type === 'category') for (let i = 0; i < b.length; i++) v[i * w + off + c.codes[i]!] = 1;
    else if (c.type === 'boolean') for (let i = 0; i < b.length; i++) v[i * w + off] = c.values[i]!;
    else if (c.type === 'number' || c.type === 'integer') {
      let s = 1;
      if (scale) {
        let m = scale.get(n);
        if (m === undefined) {
          m = 0;
          for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(c.values[i]!));
          m ||= 1;
          scale.set(n, m);
        }
        s = m;
      }
      for (let i = 0; i < b.length; i++) v[i * w + off] = c.values[i]! / s;
    }
    off += widths[k]!;
  });
  const t = b.column('class');
  const targets = new Float32Array(b.length);
  if (t.type === 'integer' || t.type === 'number') for (let i = 0; i < b.length; i++) targets[i] = t.values[i]!;
  return FeatureMatrix.dense(b.length, w, v, { targets });
}

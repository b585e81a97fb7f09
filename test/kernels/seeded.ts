import { Rng } from '../../src/core/index.js';

/** Test helper: n standard-normal float32 values from a seed (times `scale`). */
export function seeded(seed: number, n: number, scale = 1): Float32Array {
  const r = new Rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = r.normal() * scale;
  return out;
}

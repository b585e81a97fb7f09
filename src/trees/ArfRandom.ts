import { Rng } from '../core/index.js';

/**
 * The forest's randomness: each tree slot draws from its own Rng, seeded from (forest seed, slot
 * index) alone, so a tree's Poisson weights and its trees' seeds never depend on other trees or
 * on which thread runs it. Poisson(λ) by inversion of a precomputed CDF: one uniform per draw
 * (Knuth's product method takes λ + 1 on average, 7 at λ = 6, and the forest draws trees × rows).
 */
export class ArfRandom {
  private readonly cdf: Float64Array;

  constructor(readonly lambda: number) {
    const cdf: number[] = [];
    let p = Math.exp(-lambda),
      s = 0;
    // Up to where the tail is below 1e-16 (k ≈ 30 at λ = 6); a draw beyond falls on the last k.
    for (let k = 0; k < 1000; k++) {
      s += p;
      cdf.push(s);
      if (1 - s < 1e-16 && k > lambda) break;
      p *= lambda / (k + 1);
    }
    this.cdf = Float64Array.from(cdf);
  }

  /** A Poisson(λ) count from `rng`. */
  poisson(rng: Rng): number {
    const u = rng.float(),
      cdf = this.cdf,
      last = cdf.length - 1;
    let k = 0;
    while (k < last && u >= cdf[k]!) k++;
    return k;
  }

  /** The Rng of tree slot `index` of a forest seeded `seed` (a murmur3 mix, so nearby seeds and slots give unrelated streams). */
  static slotRng(seed: number, index: number): Rng {
    let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    return new Rng((h ^ (h >>> 16)) >>> 0);
  }
}

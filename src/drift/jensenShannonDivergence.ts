import { SpecError } from '../core/index.js';

/**
 * Jensen–Shannon divergence of two discrete distributions, base 2 (Lin, "Divergence measures
 * based on the Shannon entropy", IEEE Trans. Inf. Theory 37(1), 1991):
 * JS(P, Q) = ½ KL(P ‖ M) + ½ KL(Q ‖ M) with M = ½ (P + Q), in bits, so it lies in [0, 1]:
 * 0 for equal distributions, 1 for disjoint supports. Unlike KL or PSI it is finite when a
 * category is absent from one side, so it needs no floor. `p` and `q` are counts (or shares)
 * per category, aligned by index, normalized here; NaN when either sums to 0.
 */
export function jensenShannonDivergence(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length) throw new SpecError('q', `expected ${p.length} categories as in p, got ${q.length}`);
  const sp = total(p, 'p'),
    sq = total(q, 'q');
  if (sp === 0 || sq === 0) return NaN;
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i]! / sp,
      b = q[i]! / sq,
      m = (a + b) / 2;
    // 0·log 0 = 0; m > 0 whenever a or b is.
    if (a > 0) js += a * Math.log2(a / m);
    if (b > 0) js += b * Math.log2(b / m);
  }
  // Rounding can leave a hair outside [0, 1].
  return Math.min(1, Math.max(0, js / 2));
}

function total(xs: ArrayLike<number>, path: string): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (!(x >= 0) || x === Infinity) throw new SpecError(path, `category ${i}: expected a finite count ≥ 0, got ${x}`);
    s += x;
  }
  return s;
}

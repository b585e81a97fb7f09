import { SpecError } from '../core/index.js';

/**
 * The share an empty bin is given. ln(a/0) is infinite, so every PSI implementation floors empty
 * bins; 1e-4 (0.01%) is the usual constant. It keeps one emptied bin finite but large: a bin
 * holding 10% on one side and nothing on the other adds 0.1·ln(1000) ≈ 0.69, "major" alone,
 * while a bin near 0 on both sides adds nothing. A count-based floor (half a row) would make
 * the same change score higher on a larger sample; a fixed share keeps PSI comparable across
 * sample sizes.
 */
export const PSI_FLOOR = 1e-4;

/**
 * Population Stability Index of two binned distributions (Siddiqi, "Credit Risk Scorecards",
 * Wiley 2006; Yurdakul, "Statistical Properties of Population Stability Index", 2018):
 * PSI = Σ_i (a_i − e_i) · ln(a_i / e_i), where e_i and a_i are the shares of bin i in the
 * expected (reference) and actual (live) samples. It is the symmetric Kullback–Leibler
 * divergence KL(a‖e) + KL(e‖a) (Jeffreys' J), in nats: 0 for equal distributions, never
 * negative. `expected` and `actual` are counts (or shares) per bin, normalized here; shares
 * under `floor` are raised to it (PSI_FLOOR). Usual reading: < 0.1 no shift, 0.1–0.25
 * moderate, ≥ 0.25 major.
 */
export function populationStabilityIndex(expected: ArrayLike<number>, actual: ArrayLike<number>, floor = PSI_FLOOR): number {
  if (expected.length !== actual.length) throw new SpecError('actual', `expected ${expected.length} bins as in expected, got ${actual.length}`);
  if (!(floor > 0 && floor < 1)) throw new SpecError('floor', `expected a share in (0, 1), got ${floor}`);
  const se = total(expected, 'expected'),
    sa = total(actual, 'actual');
  if (se === 0 || sa === 0) return NaN;
  let psi = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i]! / se, floor),
      a = Math.max(actual[i]! / sa, floor);
    psi += (a - e) * Math.log(a / e);
  }
  return psi;
}

function total(xs: ArrayLike<number>, path: string): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (!(x >= 0) || x === Infinity) throw new SpecError(path, `bin ${i}: expected a finite count ≥ 0, got ${x}`);
    s += x;
  }
  return s;
}

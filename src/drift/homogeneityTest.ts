import { SpecError } from '../core/index.js';

/** Pearson's two-sample chi-square test of homogeneity over shared bins. */
export interface HomogeneityTest {
  statistic: number;
  /** Degrees of freedom: the bins where either sample has a count, minus one. */
  df: number;
  /** The statistic's 1 − α quantile under equal distributions (Wilson–Hilferty approximation). */
  critical: number;
  /** statistic > critical: the samples differ at level α. */
  significant: boolean;
}

/**
 * Pearson's chi-square test that two samples, binned alike, come from one distribution (the
 * 2×B contingency table): X² = Σ_samples Σ_bins (O − E)² / E with E from the pooled shares,
 * on B − 1 degrees of freedom. PSI and JS grow with sampling noise as well as with drift (under
 * no drift, PSI ≈ X²·(1/n + 1/m)), so the verdicts also ask this test: a large PSI of two small
 * samples is noise, not drift. The critical value uses Wilson & Hilferty's cube-root normal
 * approximation (PNAS 17, 1931) from 3 degrees of freedom (within 1% of the tables), exact
 * below.
 */
export function homogeneityTest(a: ArrayLike<number>, b: ArrayLike<number>, alpha = 0.05): HomogeneityTest {
  if (a.length !== b.length) throw new SpecError('b', `expected ${a.length} bins as in a, got ${b.length}`);
  if (!(alpha > 0 && alpha < 1)) throw new SpecError('alpha', `expected a number in (0, 1), got ${alpha}`);
  let na = 0,
    nb = 0;
  for (let i = 0; i < a.length; i++) {
    na += a[i]!;
    nb += b[i]!;
  }
  let x2 = 0,
    bins = 0;
  if (na > 0 && nb > 0) {
    for (let i = 0; i < a.length; i++) {
      const pooled = (a[i]! + b[i]!) / (na + nb);
      if (pooled <= 0) continue;
      bins++;
      const ea = pooled * na,
        eb = pooled * nb;
      x2 += (a[i]! - ea) ** 2 / ea + (b[i]! - eb) ** 2 / eb;
    }
  }
  const df = Math.max(0, bins - 1);
  const critical = chiSquareQuantile(1 - alpha, df);
  return { statistic: x2, df, critical, significant: df > 0 && x2 > critical };
}

/** Exact for 1 and 2 degrees of freedom; beyond, Wilson–Hilferty: χ²_p(k) ≈ k (1 − 2/(9k) + z_p sqrt(2/(9k)))³. */
function chiSquareQuantile(p: number, k: number): number {
  if (k <= 0) return Infinity;
  if (k === 1) return normalQuantile((1 + p) / 2) ** 2;
  if (k === 2) return -2 * Math.log(1 - p);
  const h = 2 / (9 * k);
  return k * (1 - h + normalQuantile(p) * Math.sqrt(h)) ** 3;
}

/** Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9). */
function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5,
    r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

import { SpecError } from '../core/index.js';

/**
 * The two-sample Kolmogorov–Smirnov critical value (Smirnov 1948; the large-sample form in
 * e.g. Knuth, TAOCP vol. 2, §3.3.1): D_α = c(α) · sqrt((n + m) / (n·m)) with
 * c(α) = sqrt(−ln(α/2) / 2), c(0.05) ≈ 1.358. Two samples of sizes n and m from one
 * distribution have sup |F_n − F_m| > D_α with probability about α. Asymptotic: close for
 * n, m ≥ 40 or so, slightly conservative below.
 */
export function ksCriticalValue(n: number, m: number, alpha = 0.05): number {
  if (!(alpha > 0 && alpha < 1)) throw new SpecError('alpha', `expected a number in (0, 1), got ${alpha}`);
  if (!(n > 0 && m > 0)) return NaN;
  return Math.sqrt(-Math.log(alpha / 2) / 2) * Math.sqrt((n + m) / (n * m));
}
